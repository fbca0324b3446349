/*
 * acpi.h - reading the ACPI firmware tables (kernel/acpi/acpi.c).
 *
 * Concept: hardware discovery.  The firmware describes the machine in a set
 * of tables in memory: the RSDP points to the RSDT or XSDT, which lists the
 * other tables.  Mica reads the MADT (CPUs and interrupt controllers), the
 * HPET table (a timer) and the MCFG (PCI Express configuration space).
 *
 * The parser itself touches no hardware.  The caller supplies a function
 * that makes physical memory readable, which lets the host tests feed it
 * fake tables.  Pointers it returns must stay valid until the parse call
 * returns (a direct map of physical memory does this naturally).
 */
#ifndef MICA_ACPI_H
#define MICA_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Make len bytes at physical address phys readable; NULL if that is not possible. */
typedef const void *(*acpi_map_fn)(uint64_t phys, size_t len, void *ctx);

#define ACPI_MAX_CPUS      64
#define ACPI_MAX_IOAPICS   8
#define ACPI_MAX_OVERRIDES 16
#define ACPI_MAX_MCFG      8
#define ACPI_MAX_TABLES    32 /* signatures remembered in table_sigs */
#define ACPI_MAX_WARNINGS  4  /* warnings kept; later ones are dropped */

/* A processor's local APIC (MADT entry type 0 or 9). */
struct acpi_cpu {
    uint32_t apic_id;
    uint32_t acpi_uid;
    bool enabled;        /* usable now */
    bool online_capable; /* disabled, but may be brought online later */
};

/* An I/O APIC (MADT type 1): its registers and the first interrupt (GSI) it handles. */
struct acpi_ioapic {
    uint8_t id;
    uint32_t phys;
    uint32_t gsi_base;
};

/* An ISA interrupt routed to a different GSI (MADT type 2). */
struct acpi_override {
    uint8_t bus_irq;
    uint32_t gsi;
    uint16_t flags; /* MPS INTI flags: polarity bits 0-1, trigger mode bits 2-3 */
};

/* One range of PCI Express configuration space (an MCFG entry). */
struct acpi_mcfg {
    uint64_t base;
    uint16_t segment;
    uint8_t bus_start, bus_end;
};

/* Everything acpi_parse() found. */
struct acpi_info {
    uint64_t rsdp_phys;
    uint8_t revision; /* RSDP revision: 0 for ACPI 1.0, 2 and up for later */
    char oem_id[7];
    bool use_xsdt;                       /* tables listed by the XSDT, not the RSDT */
    unsigned ntables;                    /* entries in the RSDT/XSDT */
    char table_sigs[ACPI_MAX_TABLES][5]; /* the first ACPI_MAX_TABLES signatures */

    uint64_t lapic_phys; /* local APIC registers (after any type-5 override) */
    bool pcat_compat;    /* legacy 8259 PICs present (must be masked) */
    unsigned ncpus;
    struct acpi_cpu cpus[ACPI_MAX_CPUS];
    unsigned nioapics;
    struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
    unsigned noverrides;
    struct acpi_override overrides[ACPI_MAX_OVERRIDES];
    unsigned lapic_nmi_lint; /* LINT pin (0 or 1) wired to NMI; 0xff if none */

    bool has_hpet;
    uint64_t hpet_phys;
    uint32_t hpet_min_tick;

    bool has_mcfg;
    unsigned nmcfg;
    struct acpi_mcfg mcfg[ACPI_MAX_MCFG];

    unsigned nwarnings; /* at most ACPI_MAX_WARNINGS */
    char warnings[ACPI_MAX_WARNINGS][96];
};

/* Do the len bytes at p add up to 0 (mod 256), as every ACPI checksum requires? */
bool acpi_checksum_ok(const void *p, size_t len);

/*
 * Find the RSDP: search the first KiB of the EBDA (at ebda_hint, or if that
 * is 0 at the segment stored at physical 0x40E) and then 0xE0000-0xFFFFF,
 * on 16-byte boundaries, for "RSD PTR " with valid checksums.
 * Returns 0 and the address in *rsdp_phys, or -ENOENT.
 */
int acpi_find_rsdp(acpi_map_fn map, void *ctx, uint64_t ebda_hint, uint64_t *rsdp_phys);

/*
 * Parse the tables reachable from the RSDP at rsdp_phys into *out.
 * Returns 0, or -EINVAL with a one-line reason in why (if why is not NULL)
 * when the RSDP, RSDT/XSDT or MADT is unusable.  Problems with other tables
 * are not fatal: the table is ignored and a line is added to out->warnings.
 * After a fatal error *out holds only what was read before the problem.
 */
int acpi_parse(uint64_t rsdp_phys, acpi_map_fn map, void *ctx, struct acpi_info *out, char *why,
               size_t whylen);

#endif
