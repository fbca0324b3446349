/*
 * pci.c - enumerating PCI Express through the ECAM window (concepts: device
 * controllers, buses and configuration space, memory-mapped I/O).
 *
 * PCI Express gives every function (bus, slot, function) 4 KiB of
 * configuration registers, and the ECAM window (ACPI's MCFG table says
 * where) maps all of them into physical memory: a read there is a
 * configuration-space read.  A function that is not there reads as vendor
 * 0xffff.  Bridges (header type 1) lead to further buses; a device with the
 * multi-function bit has up to 8 functions.
 *
 * Each Base Address Register (BAR) says where the firmware placed one of
 * the device's register windows, in memory or I/O-port space.  Its size is
 * found by writing all ones and reading back which address bits stick -
 * with decoding switched off meanwhile, so the device never answers at the
 * half-written address.
 */
#include "pci.h"

uint64_t pci_cfg_offset(const struct pci_ecam *e, uint8_t bus, uint8_t slot, uint8_t func)
{
    return ((uint64_t)(bus - e->bus_start) << 20) | ((uint64_t)slot << 15) | ((uint64_t)func << 12);
}

static volatile uint8_t *reg(const struct pci_ecam *e, uint8_t bus, uint8_t slot, uint8_t func,
                             uint32_t off)
{
    return e->base + pci_cfg_offset(e, bus, slot, func) + off;
}

uint32_t pci_read32(const struct pci_ecam *e, const struct pci_function *f, uint32_t off)
{
    return *(volatile uint32_t *)reg(e, f->bus, f->slot, f->func, off);
}

uint16_t pci_read16(const struct pci_ecam *e, const struct pci_function *f, uint32_t off)
{
    return *(volatile uint16_t *)reg(e, f->bus, f->slot, f->func, off);
}

uint8_t pci_read8(const struct pci_ecam *e, const struct pci_function *f, uint32_t off)
{
    return *reg(e, f->bus, f->slot, f->func, off);
}

void pci_write32(const struct pci_ecam *e, const struct pci_function *f, uint32_t off, uint32_t v)
{
    *(volatile uint32_t *)reg(e, f->bus, f->slot, f->func, off) = v;
}

void pci_write16(const struct pci_ecam *e, const struct pci_function *f, uint32_t off, uint16_t v)
{
    *(volatile uint16_t *)reg(e, f->bus, f->slot, f->func, off) = v;
}

/* Size BAR i (and its upper half if it is a 64-bit memory BAR); returns the next BAR's index. */
static unsigned size_bar(const struct pci_ecam *e, struct pci_function *f, unsigned i)
{
    uint32_t off = PCI_BAR0 + 4 * i;
    uint32_t lo = pci_read32(e, f, off);
    struct pci_bar *b = &f->bar[i];
    pci_write32(e, f, off, 0xffffffffu);
    uint32_t mask_lo = pci_read32(e, f, off);
    pci_write32(e, f, off, lo);
    if (lo & 1) { /* I/O space: bits 31..2 are the address */
        uint32_t mask = mask_lo & ~3u & 0xffffu;
        b->io = true;
        b->base = lo & ~3u;
        b->size = mask ? (uint64_t)(~mask & 0xffffu) + 1 : 0;
        return i + 1;
    }
    uint64_t base = lo & ~0xfull, mask = mask_lo & ~0xfull;
    bool wide = ((lo >> 1) & 3) == 2 && i + 1 < PCI_BARS;
    bool implemented = mask != 0;
    if (wide) {
        uint32_t hi = pci_read32(e, f, off + 4);
        pci_write32(e, f, off + 4, 0xffffffffu);
        uint32_t mask_hi = pci_read32(e, f, off + 4);
        pci_write32(e, f, off + 4, hi);
        base |= (uint64_t)hi << 32;
        mask |= (uint64_t)mask_hi << 32;
        implemented = mask != 0;
    } else {
        mask |= 0xffffffff00000000ull;
    }
    b->base = base;
    b->prefetch = (lo >> 3) & 1;
    b->size = implemented ? ~mask + 1 : 0;
    return wide ? i + 2 : i + 1;
}

static void size_bars(const struct pci_ecam *e, struct pci_function *f)
{
    uint16_t cmd = pci_read16(e, f, PCI_COMMAND);
    pci_write16(e, f, PCI_COMMAND, cmd & (uint16_t) ~(PCI_CMD_IO | PCI_CMD_MEMORY));
    for (unsigned i = 0; i < PCI_BARS;)
        i = size_bar(e, f, i);
    pci_write16(e, f, PCI_COMMAND, cmd);
}

/* Follow the capability list (at most 48 entries: a looping list must not hang us). */
static void find_caps(const struct pci_ecam *e, struct pci_function *f)
{
    if (!(pci_read16(e, f, PCI_STATUS) & PCI_STATUS_CAPS))
        return;
    uint8_t at = pci_read8(e, f, PCI_CAP_PTR) & 0xfc;
    for (unsigned n = 0; at >= 0x40 && n < 48; n++) {
        uint8_t id = pci_read8(e, f, at);
        if (id == PCI_CAP_MSI && !f->msi_cap)
            f->msi_cap = at;
        else if (id == PCI_CAP_MSIX && !f->msix_cap)
            f->msix_cap = at;
        at = pci_read8(e, f, at + 1) & 0xfc;
    }
}

struct scan {
    const struct pci_ecam *e;
    struct pci_function *out;
    unsigned max, found;
};

static void scan_bus(struct scan *s, uint8_t bus, unsigned depth);

static void scan_function(struct scan *s, uint8_t bus, uint8_t slot, uint8_t func, unsigned depth)
{
    struct pci_function f = {.bus = bus, .slot = slot, .func = func};
    f.vendor = pci_read16(s->e, &f, PCI_VENDOR);
    if (f.vendor == 0xffff)
        return;
    f.device = pci_read16(s->e, &f, PCI_DEVICE);
    f.class_code = pci_read32(s->e, &f, PCI_CLASS_REV) >> 8;
    uint8_t type = pci_read8(s->e, &f, PCI_HEADER) & 0x7f;
    if (type == 1) { /* a bridge: the devices are behind it */
        uint8_t next = pci_read8(s->e, &f, PCI_SECONDARY);
        if (next > bus && next <= s->e->bus_end)
            scan_bus(s, next, depth + 1);
        return;
    }
    if (type != 0 || s->found == s->max)
        return;
    size_bars(s->e, &f);
    find_caps(s->e, &f);
    s->out[s->found++] = f;
}

static void scan_bus(struct scan *s, uint8_t bus, unsigned depth)
{
    if (depth > 32 || bus < s->e->bus_start || bus > s->e->bus_end)
        return;
    for (uint8_t slot = 0; slot < 32; slot++) {
        struct pci_function f0 = {.bus = bus, .slot = slot, .func = 0};
        if (pci_read16(s->e, &f0, PCI_VENDOR) == 0xffff)
            continue;
        bool multi = pci_read8(s->e, &f0, PCI_HEADER) & 0x80;
        for (uint8_t func = 0; func < (multi ? 8 : 1); func++)
            scan_function(s, bus, slot, func, depth);
    }
}

unsigned pci_enumerate(const struct pci_ecam *e, struct pci_function *out, unsigned max)
{
    struct scan s = {e, out, max, 0};
    scan_bus(&s, e->bus_start, 0);
    return s.found;
}
