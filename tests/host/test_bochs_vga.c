/*
 * test_bochs_vga.c - setting a mode on QEMU's standard VGA
 * (drivers/fbcon/bochs_vga.c) with ordinary memory posing as its register
 * BAR: the BAR checks, the dispi version check, the registers written for a
 * mode, the read-back a real device answers (here: what the test put
 * there), the unblanking write, and each refusal.
 */
#include <string.h>
#include "../../drivers/fbcon/bochs_vga.h"
#include "unit.h"

#define MIB (1024 * 1024)

static _Alignas(4096) uint8_t regs[4096];
static uint8_t vram[64];

static uint16_t reg(unsigned index)
{
    uint16_t v;
    memcpy(&v, regs + BOCHS_VGA_DISPI + 2 * index, 2);
    return v;
}

static void set_reg(unsigned index, uint16_t v)
{
    memcpy(regs + BOCHS_VGA_DISPI + 2 * index, &v, 2);
}

/* A device of this dispi version whose line length is virt_width pixels. */
static struct bochs_vga device(uint16_t id, uint16_t virt_width, uint64_t vram_size)
{
    memset(regs, 0, sizeof regs);
    set_reg(DISPI_ID, id);
    set_reg(DISPI_VIRT_WIDTH, virt_width);
    set_reg(DISPI_ENABLE, 0x1234); /* a marker: untouched unless the driver writes it */
    return (struct bochs_vga){
        .vram = vram, .vram_size = vram_size, .regs = regs, .regs_size = sizeof regs};
}

static void test_bars(void)
{
    const char *why = "";
    CHECK_EQ(bochs_vga_check_bars(16 * MIB, 4096, &why), 0);
    CHECK_EQ(bochs_vga_check_bars(-2, 4096, &why), -1); /* no bar0 handle */
    CHECK(strstr(why, "no \"bar0\"") != NULL);
    CHECK_EQ(bochs_vga_check_bars(0, 4096, &why), -1);
    CHECK(strstr(why, "no \"bar0\"") != NULL);
    CHECK_EQ(bochs_vga_check_bars(16 * MIB, -2, &why), -1); /* no bar2, or an I/O BAR */
    CHECK(strstr(why, "no \"bar2\"") != NULL);
    CHECK_EQ(bochs_vga_check_bars(16 * MIB, 0x100, &why), -1);
    CHECK(strstr(why, "too small") != NULL);
    CHECK_EQ(bochs_vga_check_bars(16 * MIB, BOCHS_VGA_REGS_MIN, &why), 0);
}

static void test_mode(void)
{
    struct bochs_vga v = device(0xb0c5, 1024, 16 * MIB);
    struct framebuffer fb = {0};
    const char *why = "";
    CHECK_EQ(bochs_vga_id(&v), 0xb0c5);
    CHECK_EQ(bochs_vga_set_mode(&v, 1024, 768, &fb, &why), 0);
    CHECK_EQ(reg(DISPI_XRES), 1024);
    CHECK_EQ(reg(DISPI_YRES), 768);
    CHECK_EQ(reg(DISPI_BPP), 32);
    CHECK_EQ(reg(DISPI_ENABLE), DISPI_ENABLED | DISPI_LFB_ENABLED);
    CHECK_EQ(regs[BOCHS_VGA_PORTS], VGA_ATTR_PAS); /* port 0x3c0: the screen unblanked */
    CHECK(fb.base == vram);
    CHECK_EQ(fb.pitch, 4096);
    CHECK_EQ(fb.width, 1024);
    CHECK_EQ(fb.height, 768);
    /* Lines longer than the mode's width: the pitch follows the device. */
    v = device(0xb0c2, 1280, 16 * MIB);
    CHECK_EQ(bochs_vga_set_mode(&v, 800, 600, &fb, &why), 0);
    CHECK_EQ(fb.pitch, 1280 * 4);
    CHECK_EQ(fb.width, 800);
}

static void test_refusals(void)
{
    struct framebuffer fb = {0};
    const char *why = "";
    static const uint16_t bad_ids[] = {0, 0xb0c0, 0xb0c1, 0xb0c6, 0xffff};
    for (unsigned i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
        struct bochs_vga v = device(bad_ids[i], 1024, 16 * MIB);
        CHECK_EQ(bochs_vga_set_mode(&v, 1024, 768, &fb, &why), -1);
        CHECK(strstr(why, "dispi ID") != NULL);
        CHECK_EQ(reg(DISPI_ENABLE), 0x1234); /* nothing written to an unknown device */
    }
    struct bochs_vga v = device(0xb0c5, 1024, 16 * MIB);
    CHECK_EQ(bochs_vga_set_mode(&v, 0, 768, &fb, &why), -1);
    CHECK_EQ(bochs_vga_set_mode(&v, 1024, 70000, &fb, &why), -1);
    CHECK_EQ(reg(DISPI_ENABLE), 0x1234);
    /* The device kept a shorter line than asked (it could not show the mode). */
    v = device(0xb0c5, 640, 16 * MIB);
    CHECK_EQ(bochs_vga_set_mode(&v, 1024, 768, &fb, &why), -1);
    CHECK(strstr(why, "did not take") != NULL);
    CHECK_EQ(reg(DISPI_ENABLE), 0); /* left switched off */
    /* Video memory smaller than the mode. */
    v = device(0xb0c5, 1024, 2 * MIB);
    CHECK_EQ(bochs_vga_set_mode(&v, 1024, 768, &fb, &why), -1);
    CHECK(strstr(why, "more video memory") != NULL);
    CHECK_EQ(reg(DISPI_ENABLE), 0);
    CHECK_EQ(regs[BOCHS_VGA_PORTS], 0); /* not unblanked */
}

int main(void)
{
    unit_run("bochs_vga", "bars", test_bars);
    unit_run("bochs_vga", "mode", test_mode);
    unit_run("bochs_vga", "refusals", test_refusals);
    return unit_exit_code();
}
