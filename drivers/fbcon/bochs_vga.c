/*
 * bochs_vga.c - a linear 32-bit mode on QEMU's standard VGA through the
 * Bochs VBE "dispi" registers in its MMIO BAR (see bochs_vga.h).  Pure
 * code: the host unit tests run it on ordinary memory.
 */
#include "bochs_vga.h"

static uint16_t dispi_read(const struct bochs_vga *v, unsigned index)
{
    return *(volatile uint16_t *)(v->regs + BOCHS_VGA_DISPI + 2 * index);
}

static void dispi_write(const struct bochs_vga *v, unsigned index, uint16_t value)
{
    *(volatile uint16_t *)(v->regs + BOCHS_VGA_DISPI + 2 * index) = value;
}

/* A legacy VGA port, reached through BAR2 instead of `in`/`out`. */
static volatile uint8_t *vga_port(const struct bochs_vga *v, unsigned port)
{
    return v->regs + BOCHS_VGA_PORTS + (port - VGA_ATTR_INDEX);
}

int bochs_vga_check_bars(int64_t vram_size, int64_t regs_size, const char **why)
{
    if (vram_size <= 0) {
        *why = "no \"bar0\" of device memory (the framebuffer BAR; device=1234:1111 in the "
               "manifest?)";
        return -1;
    }
    if (regs_size <= 0) {
        *why = "no \"bar2\" of device memory (the register BAR; not QEMU's standard VGA?)";
        return -1;
    }
    if (regs_size < BOCHS_VGA_REGS_MIN) {
        *why = "\"bar2\" is too small for the VGA and dispi registers";
        return -1;
    }
    return 0;
}

uint16_t bochs_vga_id(const struct bochs_vga *v)
{
    return dispi_read(v, DISPI_ID);
}

/*
 * After a mode change the attribute controller may still have its palette
 * switched away from the display (blank).  Reading the input status
 * register makes the next write to 0x3c0 an index; an index with the PAS
 * bit set gives the palette back to the display.
 */
static void unblank(const struct bochs_vga *v)
{
    (void)*vga_port(v, VGA_INPUT_STATUS);
    *vga_port(v, VGA_ATTR_INDEX) = VGA_ATTR_PAS;
}

int bochs_vga_set_mode(const struct bochs_vga *v, uint32_t width, uint32_t height,
                       struct framebuffer *fb, const char **why)
{
    uint16_t id = bochs_vga_id(v);
    if (id < DISPI_ID_MIN || id > DISPI_ID_MAX) {
        *why = "the dispi ID register holds no known version (not a Bochs VBE device)";
        return -1;
    }
    if (width == 0 || height == 0 || width > 0xffff || height > 0xffff) {
        *why = "a mode of 0 or more than 65535 pixels across or down";
        return -1;
    }
    dispi_write(v, DISPI_ENABLE, 0); /* the mode registers take effect at the next enable */
    dispi_write(v, DISPI_XRES, (uint16_t)width);
    dispi_write(v, DISPI_YRES, (uint16_t)height);
    dispi_write(v, DISPI_BPP, 32);
    dispi_write(v, DISPI_BANK, 0);
    dispi_write(v, DISPI_X_OFFSET, 0);
    dispi_write(v, DISPI_Y_OFFSET, 0);
    dispi_write(v, DISPI_ENABLE, DISPI_ENABLED | DISPI_LFB_ENABLED);
    /* The device adjusts values it cannot show; read back what it took. */
    uint32_t line = dispi_read(v, DISPI_VIRT_WIDTH);
    if (dispi_read(v, DISPI_XRES) != width || dispi_read(v, DISPI_YRES) != height ||
        dispi_read(v, DISPI_BPP) != 32 || line < width) {
        dispi_write(v, DISPI_ENABLE, 0);
        *why = "the device did not take the mode";
        return -1;
    }
    uint64_t pitch = (uint64_t)line * 4;
    if (pitch * height > v->vram_size) {
        dispi_write(v, DISPI_ENABLE, 0);
        *why = "the mode needs more video memory than \"bar0\" holds";
        return -1;
    }
    unblank(v);
    fb->base = v->vram;
    fb->pitch = (uint32_t)pitch;
    fb->width = width;
    fb->height = height;
    return 0;
}
