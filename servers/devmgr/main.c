/*
 * main.c - devmgr, the device manager (concepts: device controllers, I/O
 * address spaces and their protection, interrupt models).
 *
 * devmgr is the only server that sees all of PCI: the supervisor gives it
 * all device memory, all I/O ports and the IRQ control (manifest option
 * `devices`).  At start it maps the PCI Express configuration window and
 * lists every function (pci.c).  When the supervisor starts a driver whose
 * manifest line names a device, it claims that device here (idl/devmgr.idl)
 * and receives exactly the device's handles, which it gives to the driver:
 *
 *   cfg        the function's 4 KiB of configuration space, to read
 *   bar0..5    each memory BAR as device memory (uncached), each I/O BAR as
 *              an I/O-port range
 *   irq0..3    message-signalled interrupts (MSI-X, else MSI; msi.c),
 *              signalling bits 0..3 of the driver's notification
 *   dma        physically contiguous memory for the device to read and write
 *
 * So a driver can reach its own device's registers and nothing else.  (It
 * can still make the device write anywhere in memory by DMA: a PC without an
 * IOMMU cannot stop that, docs/drivers.md.)
 */
#include <page.h>
#include <mica.h>
#include <runtime.h>
#include <server.h>
#include <str.h>
#include <thread.h>
#include "devmgr_server.h"
#include "msi.h"
#include "pci.h"

#define ECAM_AT     0x0000600000000000ull /* where the configuration window is mapped */
#define MSIX_AT     0x0000680000000000ull /* MSI-X tables while they are written */
#define MAX_HANDLES (2 + PCI_BARS + DEVMGR_MAX_VECTORS)
#define PAGE        4096ull

struct claim {
    bool held;
    char holder[DEVMGR_NAME_MAX];
    uint32_t irq_kind, vectors;
    unsigned nhandles, given; /* handles made, and handed out so far */
    char name[MAX_HANDLES][DEVMGR_NAME_MAX];
    mica_handle_t handle[MAX_HANDLES];
};

static struct {
    struct pci_ecam ecam;
    uint64_t ecam_phys;
    struct pci_function fn[PCI_MAX_FUNCTIONS];
    struct claim claim[PCI_MAX_FUNCTIONS];
    unsigned nfn;
    mica_handle_t self, phys, ports, irqctl;
} dm;

/* ---- Making a claimed device's handles ---- */

static int add(struct claim *c, const char *name, int64_t h)
{
    if (h < 0)
        return (int)h;
    if (c->nhandles == MAX_HANDLES) {
        mica_handle_close((mica_handle_t)h);
        return -MICA_ENOSPC;
    }
    strlcpy(c->name[c->nhandles], name, DEVMGR_NAME_MAX);
    c->handle[c->nhandles++] = (mica_handle_t)h;
    return 0;
}

static void drop_handles(struct claim *c)
{
    for (unsigned k = c->given; k < c->nhandles; k++)
        mica_handle_close(c->handle[k]);
    c->nhandles = c->given = 0;
}

static int add_bars(const struct pci_function *f, struct claim *c)
{
    char name[8] = "bar0";
    for (unsigned i = 0; i < PCI_BARS; i++) {
        const struct pci_bar *b = &f->bar[i];
        if (!b->size || !b->base)
            continue; /* not implemented, or the firmware did not place it */
        name[3] = (char)('0' + i);
        int64_t h = b->io ? mica_ioport_create(dm.ports, (uint32_t)b->base, (uint32_t)b->size)
                          : mica_vmo_create_phys(dm.phys, page_down(b->base),
                                                 page_up(b->base + b->size) - page_down(b->base),
                                                 MICA_CACHE_UC);
        int err = add(c, name, h);
        if (err < 0)
            return err;
    }
    return 0;
}

/* Map the MSI-X table for a moment and write the n messages into it. */
static int program_msix(const struct pci_function *f, const struct mica_msi *msg, unsigned n)
{
    unsigned bar;
    uint64_t offset;
    msix_table_place(&dm.ecam, f, &bar, &offset);
    const struct pci_bar *b = &f->bar[bar];
    uint64_t size = msix_table_size(&dm.ecam, f) * 16ull;
    if (bar >= PCI_BARS || b->io || !b->base || offset + size > b->size)
        return -MICA_EIO;
    uint64_t start = page_down(b->base + offset), len = page_up(b->base + offset + size) - start;
    int64_t vmo = mica_vmo_create_phys(dm.phys, start, len, MICA_CACHE_UC);
    if (vmo < 0)
        return (int)vmo;
    int64_t at =
        mica_vm_map(dm.self, (mica_handle_t)vmo, 0, MSIX_AT, len, MICA_PROT_READ | MICA_PROT_WRITE);
    mica_handle_close((mica_handle_t)vmo);
    if (at < 0)
        return (int)at;
    volatile uint32_t *table = (volatile uint32_t *)(MSIX_AT + (b->base + offset - start));
    msix_enable(&dm.ecam, f, table, msg, n);
    mica_vm_unmap(dm.self, MSIX_AT, len);
    return 0;
}

/* Bind up to `want` kernel vectors to bits 0.. of note; the IRQ handles go into c. */
static int bind_vectors(struct claim *c, mica_handle_t note, unsigned want, struct mica_msi *msg)
{
    char name[8] = "irq0";
    unsigned n = 0;
    while (n < want) {
        int64_t irq = mica_irq_bind_msi(dm.irqctl, note, 1ull << n, &msg[n]);
        if (irq == -MICA_ENOSPC && n > 0)
            break; /* fewer vectors than hoped: the device shares them */
        name[3] = (char)('0' + n);
        int err = add(c, name, irq);
        if (err < 0)
            return err;
        n++;
    }
    c->vectors = n;
    return 0;
}

static int add_interrupts(const struct pci_function *f, struct claim *c, mica_handle_t note)
{
    struct mica_msi msg[DEVMGR_MAX_VECTORS];
    unsigned table = msix_table_size(&dm.ecam, f);
    if (table) {
        unsigned want = table < DEVMGR_MAX_VECTORS ? table : DEVMGR_MAX_VECTORS;
        int err = bind_vectors(c, note, want, msg);
        if (err == 0)
            err = program_msix(f, msg, c->vectors);
        c->irq_kind = DEVMGR_IRQ_MSIX;
        return err;
    }
    if (f->msi_cap) {
        int err = bind_vectors(c, note, 1, msg);
        if (err == 0)
            msi_enable(&dm.ecam, f, &msg[0]);
        c->irq_kind = DEVMGR_IRQ_MSI;
        return err;
    }
    c->irq_kind = DEVMGR_IRQ_NONE; /* pin interrupts would need ACPI's routing tables */
    return 0;
}

static void enable_decoding(const struct pci_function *f)
{
    uint16_t cmd = pci_read16(&dm.ecam, f, PCI_COMMAND) | PCI_CMD_BUS_MASTER;
    for (unsigned i = 0; i < PCI_BARS; i++)
        if (f->bar[i].size)
            cmd |= f->bar[i].io ? PCI_CMD_IO : PCI_CMD_MEMORY;
    pci_write16(&dm.ecam, f, PCI_COMMAND, cmd);
}

static int make_handles(const struct pci_function *f, struct claim *c, mica_handle_t note,
                        uint64_t dma_size)
{
    uint64_t cfg = dm.ecam_phys + pci_cfg_offset(&dm.ecam, f->bus, f->slot, f->func);
    int err = add(c, "cfg", mica_vmo_create_phys(dm.phys, cfg, PAGE, MICA_CACHE_UC));
    if (err == 0)
        err = add_bars(f, c);
    if (err == 0)
        err = add_interrupts(f, c, note);
    if (err == 0 && dma_size)
        err = add(c, "dma", mica_vmo_create_contig(page_up(dma_size), MICA_CACHE_WB));
    return err;
}

/* ---- The devmgr service ---- */

static int dm_count(void *ctx, struct devmgr_count_out *out)
{
    (void)ctx;
    out->functions = dm.nfn;
    return 0;
}

static int dm_info(void *ctx, const struct devmgr_info_in *in, struct devmgr_info_out *out)
{
    (void)ctx;
    if (in->index >= dm.nfn)
        return -MICA_ENOENT;
    const struct pci_function *f = &dm.fn[in->index];
    const struct claim *c = &dm.claim[in->index];
    out->bus = f->bus;
    out->slot = f->slot;
    out->function = f->func;
    out->vendor = f->vendor;
    out->device = f->device;
    out->class_code = f->class_code;
    out->irq_kind = c->irq_kind;
    out->vectors = c->vectors;
    strlcpy(out->holder, c->held ? c->holder : "", sizeof out->holder);
    return 0;
}

static int find(uint32_t vendor, uint32_t device, uint32_t n)
{
    for (unsigned i = 0; i < dm.nfn; i++)
        if (dm.fn[i].vendor == vendor && dm.fn[i].device == device && n-- == 0)
            return (int)i;
    return -MICA_ENOENT;
}

static int dm_claim(void *ctx, const struct devmgr_claim_in *in, struct devmgr_claim_out *out)
{
    (void)ctx;
    int i = find(in->vendor, in->device, in->n);
    int err = i < 0 ? i : dm.claim[i].held ? -MICA_EBUSY : 0;
    if (err == 0) {
        struct claim *c = &dm.claim[i];
        err = make_handles(&dm.fn[i], c, in->note, in->dma_size);
        if (err < 0) {
            drop_handles(c);
        } else {
            enable_decoding(&dm.fn[i]);
            c->held = true;
            strlcpy(c->holder, in->holder, sizeof c->holder);
            out->id = (uint32_t)i;
            out->handles = c->nhandles;
            mica_printf("devmgr: %02x:%02x.%x %04x:%04x to %s: %u handles, %u %s vectors\n",
                        dm.fn[i].bus, dm.fn[i].slot, dm.fn[i].func, dm.fn[i].vendor,
                        dm.fn[i].device, c->holder, c->nhandles, c->vectors,
                        c->irq_kind == DEVMGR_IRQ_MSIX  ? "MSI-X"
                        : c->irq_kind == DEVMGR_IRQ_MSI ? "MSI"
                                                        : "interrupt");
        }
    }
    mica_handle_close(in->note); /* the IRQ objects hold the notification they signal */
    return err;
}

/* Handles are handed out once each, in order: the supervisor keeps them. */
static int dm_handle(void *ctx, const struct devmgr_handle_in *in, struct devmgr_handle_out *out)
{
    (void)ctx;
    if (in->id >= dm.nfn || !dm.claim[in->id].held)
        return -MICA_ENOENT;
    struct claim *c = &dm.claim[in->id];
    if (in->k >= c->nhandles || in->k != c->given)
        return -MICA_ENOENT;
    memcpy(out->name, c->name[in->k], sizeof out->name);
    out->h = c->handle[in->k];
    c->given++;
    return 0;
}

static const struct devmgr_server service = {
    .count = dm_count, .info = dm_info, .claim = dm_claim, .handle = dm_handle};

/* ---- Start-up ---- */

static int map_ecam(const struct mica_platform *p)
{
    if (!p->pci_ecam) {
        mica_printf("devmgr: the firmware describes no PCI Express window (no ACPI MCFG)\n");
        return -MICA_ENOENT;
    }
    dm.ecam_phys = p->pci_ecam + ((uint64_t)p->pci_bus_start << 20);
    uint64_t size = (uint64_t)(p->pci_bus_end - p->pci_bus_start + 1) << 20;
    int64_t vmo = mica_vmo_create_phys(dm.phys, dm.ecam_phys, size, MICA_CACHE_UC);
    if (vmo < 0)
        return (int)vmo;
    int64_t at = mica_vm_map(dm.self, (mica_handle_t)vmo, 0, ECAM_AT, size,
                             MICA_PROT_READ | MICA_PROT_WRITE);
    mica_handle_close((mica_handle_t)vmo);
    if (at < 0)
        return (int)at;
    dm.ecam = (struct pci_ecam){(volatile uint8_t *)ECAM_AT, p->pci_bus_start, p->pci_bus_end};
    return 0;
}

static void list_functions(void)
{
    for (unsigned i = 0; i < dm.nfn; i++) {
        const struct pci_function *f = &dm.fn[i];
        mica_printf("devmgr: %02x:%02x.%x %04x:%04x class %06x%s%s\n", f->bus, f->slot, f->func,
                    f->vendor, f->device, f->class_code, f->msix_cap ? " MSI-X" : "",
                    f->msi_cap ? " MSI" : "");
    }
}

int main(const struct mica_server_start *st)
{
    dm.self = mica_start_handle(st, "self");
    dm.phys = mica_start_handle(st, "phys_all");
    dm.ports = mica_start_handle(st, "ioports_all");
    dm.irqctl = mica_start_handle(st, "irq_control");
    mica_handle_t ep = mica_start_handle(st, "devmgr");
    if (!dm.self || !dm.phys || !dm.ports || !dm.irqctl || !ep) {
        mica_printf("devmgr: needs the manifest options `devices` and provides=devmgr\n");
        return 1;
    }
    if (mica_runtime_init(dm.self) < 0 || map_ecam(&st->platform) < 0)
        return 1;
    struct mica_ipc_buffer *ipc = mica_thread_ipc_buffer();
    if (!ipc)
        return 1;
    dm.nfn = pci_enumerate(&dm.ecam, dm.fn, PCI_MAX_FUNCTIONS);
    mica_printf("devmgr: %u PCI functions on buses %u-%u\n", dm.nfn, dm.ecam.bus_start,
                dm.ecam.bus_end);
    list_functions();
    struct mica_msg msg = {0};
    mica_recv(ep, &msg);
    for (;;) {
        devmgr_dispatch(&service, 0, &msg, ipc);
        mica_reply_recv(ep, &msg);
    }
}
