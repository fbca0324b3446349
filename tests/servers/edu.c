/*
 * edu.c - a test driver for QEMU's "edu" teaching device (1234:11e8), started
 * by the supervisor with device=1234:11e8: it checks every handle the device
 * manager hands a driver (tests/system, case "devmgr-edu").
 *
 *   cfg    reads as the device's configuration space, and cannot be written
 *   bar0   the device's registers: an identification word, a "liveness"
 *          register that returns the complement of what was written
 *   irq0   an interrupt the device raises on request arrives as bit 0 of
 *          irq_note (edu uses MSI)
 *   dma    the device copies a pattern from it into its own buffer and back
 *          to another place, and interrupts when done
 *
 * edu's registers (QEMU's docs/specs/edu.txt): 0x00 id, 0x04 liveness,
 * 0x24 interrupt status (what raised it), 0x60 raise (ORed into the status),
 * 0x64 acknowledge (clears status bits), 0x80 DMA source, 0x88 destination,
 * 0x90 count, 0x98 command (bit 0 start, bit 1 from the device to memory,
 * bit 2 interrupt with status 0x100 when done).
 * The device's own buffer is at 0x40000 in its DMA address space.
 */
#include <stdbool.h>
#include <mica.h>
#include <runtime.h>
#include <server.h>
#include <str.h>

#define BAR_AT    0x0000600000000000ull
#define CFG_AT    0x0000610000000000ull
#define DMA_AT    0x0000620000000000ull
#define EDU_BUF   0x40000u
#define DMA_BYTES 2048u

static volatile uint32_t *regs;
static unsigned failures;

static void check(bool ok, const char *what)
{
    mica_printf("edu: %s: %s\n", what, ok ? "ok" : "FAILED");
    failures += !ok;
}

static uint64_t reg64(unsigned off)
{
    return *(volatile uint64_t *)((volatile uint8_t *)regs + off);
}

static void set64(unsigned off, uint64_t v)
{
    *(volatile uint64_t *)((volatile uint8_t *)regs + off) = v;
}

static int64_t map(mica_handle_t self, mica_handle_t vmo, uint64_t at, uint64_t size, uint32_t prot)
{
    return mica_vm_map(self, vmo, 0, at, size, prot);
}

static void check_cfg(mica_handle_t self, mica_handle_t cfg)
{
    int64_t r = map(self, cfg, CFG_AT, 4096, MICA_PROT_READ);
    check(r >= 0, "cfg maps for reading");
    if (r < 0)
        return;
    volatile uint32_t *c = (volatile uint32_t *)CFG_AT;
    check(c[0] == 0x11e81234u, "cfg holds vendor 1234 and device 11e8");
    check((c[1] & 6) == 6, "memory decoding and bus mastering are on");
    check(map(self, cfg, CFG_AT + 0x1000, 4096, MICA_PROT_READ | MICA_PROT_WRITE) == -MICA_EACCES,
          "cfg cannot be mapped for writing");
}

/* Wait up to a second for bit 0 of the interrupt notification. */
static bool interrupted(mica_handle_t note)
{
    int64_t bits = mica_notify_wait_timed(note, 1000000000ull);
    return bits > 0 && (bits & 1);
}

static void check_interrupt(mica_handle_t note, mica_handle_t irq)
{
    regs[0x60 / 4] = 0x5a;
    check(interrupted(note), "a raised interrupt arrives as bit 0 of irq_note");
    check(regs[0x24 / 4] == 0x5a, "the device says what raised it");
    regs[0x64 / 4] = 0x5a; /* acknowledge at the device */
    check(regs[0x24 / 4] == 0, "acknowledged at the device");
    check(mica_irq_ack(irq) == 0, "acknowledging the interrupt");
    check(mica_notify_wait_timed(note, 20000000ull) == -MICA_ETIMEDOUT, "and no other arrives");
}

static bool dma(uint64_t src, uint64_t dst, uint32_t count, uint32_t cmd, mica_handle_t note)
{
    set64(0x80, src);
    set64(0x88, dst);
    set64(0x90, count);
    set64(0x98, cmd | 1 | 4);
    bool got = interrupted(note);
    uint32_t status = regs[0x24 / 4];
    regs[0x64 / 4] = status; /* acknowledge what was raised */
    return got && status == 0x100 && !(reg64(0x98) & 1);
}

static void check_dma(mica_handle_t self, mica_handle_t dmavmo, mica_handle_t note)
{
    int64_t phys = mica_vmo_phys_addr(dmavmo);
    check(phys > 0 && phys < (1ll << 28), "dma memory lies where edu can reach it");
    if (map(self, dmavmo, DMA_AT, 8192, MICA_PROT_READ | MICA_PROT_WRITE) < 0 || phys <= 0) {
        check(false, "dma maps");
        return;
    }
    /* Not the whole 4 KiB of edu's buffer: QEMU 7.2 refuses a transfer that ends at its end. */
    uint8_t *mem = (uint8_t *)DMA_AT;
    for (unsigned i = 0; i < DMA_BYTES; i++) {
        mem[i] = (uint8_t)(i * 7 + 3);
        mem[4096 + i] = 0;
    }
    check(dma((uint64_t)phys, EDU_BUF, DMA_BYTES, 0, note), "DMA from memory into the device");
    check(dma(EDU_BUF, (uint64_t)phys + 4096, DMA_BYTES, 2, note),
          "DMA from the device into memory");
    check(memcmp(mem, mem + 4096, DMA_BYTES) == 0, "the pattern came back");
}

int main(const struct mica_server_start *st)
{
    mica_handle_t self = mica_start_handle(st, "self"), bar = mica_start_handle(st, "bar0");
    mica_handle_t note = mica_start_handle(st, "irq_note"), irq = mica_start_handle(st, "irq0");
    mica_handle_t cfg = mica_start_handle(st, "cfg"), dmavmo = mica_start_handle(st, "dma");
    mica_runtime_init(self);
    check(self && bar && note && irq && cfg && dmavmo,
          "the driver has cfg, bar0, irq0, irq_note, dma");
    check(!mica_start_handle(st, "bar1") && !mica_start_handle(st, "irq1"), "and nothing more");
    if (failures)
        return 1;
    check_cfg(self, cfg);
    check(map(self, bar, BAR_AT, 4096, MICA_PROT_READ | MICA_PROT_WRITE) >= 0, "bar0 maps");
    regs = (volatile uint32_t *)BAR_AT;
    check((regs[0] & 0xffff) == 0xedu, "bar0 holds edu's identification");
    regs[1] = 0x12345678;
    check(regs[1] == ~0x12345678u, "the liveness register answers");
    check_interrupt(note, irq);
    check_dma(self, dmavmo, note);
    mica_printf("edu: %u checks failed\n", failures);
    return failures ? 1 : 0;
}
