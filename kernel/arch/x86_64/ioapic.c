/*
 * ioapic.c - I/O APICs (concept: interrupt controllers, routing of device
 * interrupts).
 *
 * An I/O APIC has a table of redirection entries, one per interrupt line
 * (global system interrupt, GSI): each says which vector to raise on which
 * CPU, and whether the line is edge or level triggered and active high or
 * low.  At boot every line is masked; a driver's interrupt is routed when the
 * driver asks for it.  ISA interrupts may be wired to other GSIs; the MADT's
 * interrupt source overrides say so.
 */
#include <stdbool.h>
#include <mica/errno.h>
#include <mica/log.h>
#include <arch/apic.h>
#include <arch/mmu.h>
#include <arch/platform.h>

#define IOREGSEL        0x00
#define IOWIN           0x10
#define IOAPIC_VERSION  0x01
#define IOAPIC_REDIR(n) (0x10 + 2 * (n))

#define REDIR_MASKED     (1u << 16)
#define REDIR_LEVEL      (1u << 15)
#define REDIR_ACTIVE_LOW (1u << 13)

struct ioapic {
    volatile uint32_t *regs;
    uint32_t gsi_base;
    unsigned lines;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned nioapics;

static uint32_t ioapic_read(struct ioapic *io, uint32_t reg)
{
    io->regs[IOREGSEL / 4] = reg;
    return io->regs[IOWIN / 4];
}

static void ioapic_write(struct ioapic *io, uint32_t reg, uint32_t v)
{
    io->regs[IOREGSEL / 4] = reg;
    io->regs[IOWIN / 4] = v;
}

void ioapic_init(void)
{
    for (unsigned i = 0; i < platform_acpi.nioapics; i++) {
        struct ioapic *io = &ioapics[nioapics++];
        io->regs = kmap(platform_acpi.ioapics[i].phys, 4096, KMAP_UC);
        io->gsi_base = platform_acpi.ioapics[i].gsi_base;
        io->lines = ((ioapic_read(io, IOAPIC_VERSION) >> 16) & 0xff) + 1;
        for (unsigned line = 0; line < io->lines; line++) {
            ioapic_write(io, IOAPIC_REDIR(line) + 1, 0);
            ioapic_write(io, IOAPIC_REDIR(line), REDIR_MASKED);
        }
    }
}

unsigned ioapic_count_lines(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < nioapics; i++)
        n += ioapics[i].lines;
    return n;
}

int ioapic_set_masked(uint32_t gsi, bool masked)
{
    for (unsigned i = 0; i < nioapics; i++) {
        struct ioapic *io = &ioapics[i];
        if (gsi < io->gsi_base || gsi >= io->gsi_base + io->lines)
            continue;
        uint32_t reg = IOAPIC_REDIR(gsi - io->gsi_base);
        uint32_t low = ioapic_read(io, reg);
        ioapic_write(io, reg, masked ? low | REDIR_MASKED : low & ~REDIR_MASKED);
        return 0;
    }
    return -ENOENT;
}

int ioapic_route(uint32_t gsi, uint8_t vector, uint32_t apic_id, bool level, bool active_low)
{
    for (unsigned i = 0; i < nioapics; i++) {
        struct ioapic *io = &ioapics[i];
        if (gsi < io->gsi_base || gsi >= io->gsi_base + io->lines)
            continue;
        unsigned line = gsi - io->gsi_base;
        uint32_t low = vector | (level ? REDIR_LEVEL : 0) | (active_low ? REDIR_ACTIVE_LOW : 0);
        ioapic_write(io, IOAPIC_REDIR(line) + 1, apic_id << 24);
        ioapic_write(io, IOAPIC_REDIR(line), low);
        return 0;
    }
    return -ENOENT;
}
