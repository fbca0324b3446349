/*
 * platform.c - finding the PC's firmware tables (ACPI) and reading them with
 * the generic parser (kernel/acpi/acpi.c).
 *
 * The parser reads physical memory through map_table(), which maps it with
 * kmap().  Test boots can ask (mica.inject=acpi-...) for a table to arrive
 * corrupted: map_table() then hands the parser a damaged copy, exactly as a
 * firmware with a broken table would.  `mica.acpidump` prints every table in
 * the format of Linux's acpidump, which is how tests/data/acpi/ was captured.
 */
#include <stdbool.h>
#include <mica/acpi.h>
#include <mica/cmdline.h>
#include <mica/format.h>
#include <mica/log.h>
#include <mica/panic.h>
#include <mica/string.h>
#include <arch/boot.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/platform.h>

#define CORRUPT_COPY_MAX 4096

struct acpi_info platform_acpi;

struct map_ctx {
    const char *corrupt_sig; /* signature of the table to damage, or NULL */
    uint8_t copy[CORRUPT_COPY_MAX];
};

static struct map_ctx map_ctx;
static uint8_t rsdp_copy[36] __attribute__((aligned(16)));

/* "ROOT" stands for whichever root table the firmware has, RSDT or XSDT. */
static bool table_matches(const uint8_t *table, const char *sig)
{
    if (strcmp(sig, "ROOT") == 0)
        return memcmp(table, "RSDT", 4) == 0 || memcmp(table, "XSDT", 4) == 0;
    return memcmp(table, sig, strlen(sig)) == 0;
}

static const void *map_table(uint64_t phys, size_t len, void *arg)
{
    struct map_ctx *ctx = arg;
    const uint8_t *p = kmap(phys, len, KMAP_WB);
    if (!ctx->corrupt_sig || len > CORRUPT_COPY_MAX)
        return p;
    if (!table_matches(p, ctx->corrupt_sig))
        return p;
    memcpy(ctx->copy, p, len);
    ctx->copy[9] ^= 0x5a; /* byte 9 is the checksum field of every table header */
    return ctx->copy;
}

static const char *injected_corruption(const struct boot_info *bi)
{
    if (boot_inject(bi, "acpi-rsdp-checksum"))
        return "RSD PTR ";
    if (boot_inject(bi, "acpi-root-checksum"))
        return "ROOT";
    if (boot_inject(bi, "acpi-madt-checksum"))
        return "APIC";
    if (boot_inject(bi, "acpi-hpet-checksum"))
        return "HPET";
    return 0;
}

/* Work on a copy of the RSDP; GRUB hands one over anyway, and the BIOS area may be read-only. */
static uint64_t copy_rsdp(uint64_t phys, bool corrupt)
{
    memcpy(rsdp_copy, kmap(phys, sizeof rsdp_copy, KMAP_WB), sizeof rsdp_copy);
    if (corrupt)
        rsdp_copy[8] ^= 0x5a; /* the RSDP's checksum byte */
    return virt_to_phys(rsdp_copy);
}

static void dump_bytes(const char *sig, uint64_t phys, uint32_t len)
{
    const uint8_t *p = kmap(phys, len, KMAP_WB);
    kprintf("%.4s @ 0x%016lx\n", sig, phys);
    for (uint32_t off = 0; off < len; off += 16) {
        char line[80];
        int n = ksnprintf(line, sizeof line, "    %04x:", off);
        for (uint32_t i = off; i < off + 16 && i < len; i++)
            n += ksnprintf(line + n, sizeof line - (size_t)n, " %02x", p[i]);
        kprintf("%s\n", line);
    }
    kprintf("\n");
}

static uint32_t table_length(uint64_t phys)
{
    uint32_t len;
    memcpy(&len, (const uint8_t *)kmap(phys, 8, KMAP_WB) + 4, 4);
    return len;
}

static void dump_tables(uint64_t rsdp_phys)
{
    const uint8_t *rsdp = kmap(rsdp_phys, 36, KMAP_WB);
    bool xsdt = rsdp[15] >= 2;
    dump_bytes("RSDP", rsdp_phys, xsdt ? 36 : 20);
    uint64_t root = 0;
    memcpy(&root, rsdp + (xsdt ? 24 : 16), xsdt ? 8 : 4);
    uint32_t len = table_length(root);
    dump_bytes(xsdt ? "XSDT" : "RSDT", root, len);
    const uint8_t *t = kmap(root, len, KMAP_WB);
    unsigned width = xsdt ? 8 : 4;
    for (uint32_t off = 36; off + width <= len; off += width) {
        uint64_t phys = 0;
        memcpy(&phys, t + off, width);
        dump_bytes(kmap(phys, 4, KMAP_WB), phys, table_length(phys));
    }
}

void platform_acpi_init(const struct boot_info *bi)
{
    uint64_t rsdp = bi->rsdp_phys;
    if (boot_inject(bi, "acpi-missing"))
        rsdp = 0;
    else if (!rsdp && acpi_find_rsdp(map_table, &map_ctx, 0, &rsdp) < 0)
        rsdp = 0;
    if (!rsdp)
        panic("ACPI: no RSDP found; Mica needs ACPI tables (MADT) to find its CPUs");
    if (cmdline_has(bi->cmdline, "mica.acpidump"))
        dump_tables(rsdp);

    map_ctx.corrupt_sig = injected_corruption(bi);
    bool corrupt_rsdp = map_ctx.corrupt_sig && strcmp(map_ctx.corrupt_sig, "RSD PTR ") == 0;
    if (corrupt_rsdp)
        map_ctx.corrupt_sig = 0; /* damaged in the copy, not through map_table() */
    char why[128];
    if (acpi_parse(copy_rsdp(rsdp, corrupt_rsdp), map_table, &map_ctx, &platform_acpi, why,
                   sizeof why) < 0)
        panic("%s", why);
    for (unsigned i = 0; i < platform_acpi.nwarnings; i++)
        pr_warn("%s\n", platform_acpi.warnings[i]);
    pr_info("acpi: %s tables from \"%s\": %u CPUs, %u I/O APICs%s%s\n",
            platform_acpi.use_xsdt ? "XSDT" : "RSDT", platform_acpi.oem_id, platform_acpi.ncpus,
            platform_acpi.nioapics, platform_acpi.has_hpet ? ", HPET" : "",
            platform_acpi.has_mcfg ? ", MCFG" : "");
}

void platform_facts(struct mica_platform *out)
{
    for (unsigned i = 0; i < platform_acpi.nmcfg; i++) {
        const struct acpi_mcfg *m = &platform_acpi.mcfg[i];
        if (m->segment != 0)
            continue;
        /* The window starts at bus 0's place, even if its first bus is higher. */
        out->pci_ecam = m->base;
        out->pci_bus_start = m->bus_start;
        out->pci_bus_end = m->bus_end;
        break;
    }
    if (boot_info.fb.present) {
        out->fb_addr = boot_info.fb.addr;
        out->fb_pitch = boot_info.fb.pitch;
        out->fb_width = boot_info.fb.width;
        out->fb_height = boot_info.fb.height;
        out->fb_bpp = boot_info.fb.bpp;
    }
}
