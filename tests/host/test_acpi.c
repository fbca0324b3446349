/*
 * test_acpi.c - host tests for kernel/acpi/acpi.c (the ACPI table parser).
 *
 * The tests build ACPI tables byte by byte in a fake "physical memory" (a
 * plain array; the map function returns mem + phys), parse them, and then
 * break them in every way the parser must notice.
 *
 * They also read captured table dumps, tests/data/acpi/<machine>.acpidump,
 * in the text format of Linux's acpidump ("APIC @ 0x..." followed by lines
 * of hex bytes), and check that each real machine's tables parse.  Set
 * MICA_ACPI_DUMPS to read dumps from another directory.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mica/acpi.h>
#include <mica/errno.h>
#include "unit.h"

/* ---- Fake physical memory and table building ---- */

#define MEM_SIZE 0x200000

/* Where the standard test machine keeps its tables. */
#define RSDP_AT 0xF5A40
#define EBDA_AT 0x9FC00
#define RSDT_AT 0x100000
#define XSDT_AT 0x100100
#define MADT_AT 0x101000
#define HPET_AT 0x102000
#define MCFG_AT 0x103000
#define FACP_AT 0x104000

/* Offsets inside the standard MADT (see build_madt). */
#define MADT_FIRST_ENTRY 44
#define MADT_LAST_ENTRY  122
#define MADT_LEN         128

static uint8_t mem[MEM_SIZE];

static const void *flat_map(uint64_t phys, size_t len, void *ctx)
{
    (void)ctx;
    if (phys > MEM_SIZE || len > MEM_SIZE - phys)
        return NULL;
    return mem + phys;
}

static void put16(uint64_t at, uint16_t v)
{
    mem[at] = (uint8_t)v;
    mem[at + 1] = (uint8_t)(v >> 8);
}

static void put32(uint64_t at, uint32_t v)
{
    put16(at, (uint16_t)v);
    put16(at + 2, (uint16_t)(v >> 16));
}

static void put64(uint64_t at, uint64_t v)
{
    put32(at, (uint32_t)v);
    put32(at + 4, (uint32_t)(v >> 32));
}

static uint32_t get32(uint64_t at)
{
    return (uint32_t)mem[at] | ((uint32_t)mem[at + 1] << 8) | ((uint32_t)mem[at + 2] << 16) |
           ((uint32_t)mem[at + 3] << 24);
}

/* Set the byte at sum_at so that the len bytes at start add up to zero. */
static void set_checksum(uint64_t start, size_t len, uint64_t sum_at)
{
    uint8_t sum = 0;

    mem[sum_at] = 0;
    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + mem[start + i]);
    mem[sum_at] = (uint8_t)(0 - sum);
}

/* Recompute a table's checksum after a test has edited it. */
static void fix_table(uint64_t phys)
{
    set_checksum(phys, get32(phys + 4), phys + 9);
}

/* A table being built: the header is written first, entries are appended. */
struct builder {
    uint64_t phys;
    uint32_t len;
};

static struct builder begin_table(uint64_t phys, const char *sig, uint8_t revision)
{
    struct builder b = {phys, 36};

    memcpy(mem + phys, sig, 4);
    mem[phys + 8] = revision;
    memcpy(mem + phys + 10, "MICAOE", 6);
    memcpy(mem + phys + 16, "TESTTABL", 8);
    put32(phys + 24, 1);
    memcpy(mem + phys + 28, "MICA", 4);
    put32(phys + 32, 1);
    return b;
}

static void add8(struct builder *b, uint8_t v)
{
    mem[b->phys + b->len] = v;
    b->len += 1;
}

static void add16(struct builder *b, uint16_t v)
{
    put16(b->phys + b->len, v);
    b->len += 2;
}

static void add32(struct builder *b, uint32_t v)
{
    put32(b->phys + b->len, v);
    b->len += 4;
}

static void add64(struct builder *b, uint64_t v)
{
    put64(b->phys + b->len, v);
    b->len += 8;
}

static void end_table(struct builder *b)
{
    put32(b->phys + 4, b->len);
    fix_table(b->phys);
}

/* MADT entries: type, length, then the fields. */
static void madt_lapic(struct builder *b, uint8_t uid, uint8_t apic_id, uint32_t flags)
{
    add8(b, 0);
    add8(b, 8);
    add8(b, uid);
    add8(b, apic_id);
    add32(b, flags);
}

static void madt_x2apic(struct builder *b, uint32_t apic_id, uint32_t uid, uint32_t flags)
{
    add8(b, 9);
    add8(b, 16);
    add16(b, 0);
    add32(b, apic_id);
    add32(b, flags);
    add32(b, uid);
}

static void madt_ioapic(struct builder *b, uint8_t id, uint32_t phys, uint32_t gsi_base)
{
    add8(b, 1);
    add8(b, 12);
    add8(b, id);
    add8(b, 0);
    add32(b, phys);
    add32(b, gsi_base);
}

static void madt_override(struct builder *b, uint8_t irq, uint32_t gsi, uint16_t flags)
{
    add8(b, 2);
    add8(b, 10);
    add8(b, 0); /* bus: ISA */
    add8(b, irq);
    add32(b, gsi);
    add16(b, flags);
}

static void madt_lapic_nmi(struct builder *b, uint8_t uid, uint16_t flags, uint8_t lint)
{
    add8(b, 4);
    add8(b, 6);
    add8(b, uid);
    add16(b, flags);
    add8(b, lint);
}

/* An entry of a type the parser does not know: it must be skipped. */
static void madt_unknown(struct builder *b, uint8_t type, uint8_t len)
{
    add8(b, type);
    add8(b, len);
    for (uint8_t i = 2; i < len; i++)
        add8(b, 0xee);
}

/*
 * The standard MADT: CPUs with APIC IDs 0, 1, 2 (disabled but
 * online-capable) and 3 (an x2APIC entry), one I/O APIC, two overrides, an
 * NMI on LINT1 and one unknown entry last.  MADT_LAST_ENTRY and MADT_LEN
 * above must match this layout.
 */
static void build_madt(void)
{
    struct builder b = begin_table(MADT_AT, "APIC", 5);

    add32(&b, 0xfee00000);
    add32(&b, 1); /* PCAT_COMPAT */
    madt_lapic(&b, 0, 0, 1);
    madt_lapic(&b, 1, 1, 1);
    madt_lapic(&b, 2, 2, 2);
    madt_x2apic(&b, 3, 3, 1);
    madt_ioapic(&b, 2, 0xfec00000, 0);
    madt_override(&b, 0, 2, 0);
    madt_override(&b, 9, 9, 0xd);
    madt_lapic_nmi(&b, 0xff, 5, 1);
    madt_unknown(&b, 0x7f, 6);
    end_table(&b);
}

static void build_hpet(void)
{
    struct builder b = begin_table(HPET_AT, "HPET", 1);

    add32(&b, 0x8086a201); /* event timer block ID */
    add8(&b, 0);           /* address space: system memory */
    add8(&b, 64);
    add8(&b, 0);
    add8(&b, 0);
    add64(&b, 0xfed00000);
    add8(&b, 0);     /* HPET number */
    add16(&b, 0x80); /* minimum clock tick */
    add8(&b, 0);     /* page protection */
    end_table(&b);
}

static void build_mcfg(void)
{
    struct builder b = begin_table(MCFG_AT, "MCFG", 1);

    add64(&b, 0); /* reserved */
    add64(&b, 0xb0000000);
    add16(&b, 0); /* segment */
    add8(&b, 0);
    add8(&b, 255);
    add32(&b, 0);
    end_table(&b);
}

/* A table the parser does not read, only checksums. */
static void build_facp(void)
{
    struct builder b = begin_table(FACP_AT, "FACP", 6);

    for (int i = 0; i < 40; i++)
        add32(&b, (uint32_t)i * 0x01010101u);
    end_table(&b);
}

static const uint64_t listed_tables[] = {FACP_AT, MADT_AT, HPET_AT, MCFG_AT};
#define NLISTED 4

static void build_rsdt(void)
{
    struct builder b = begin_table(RSDT_AT, "RSDT", 1);

    for (int i = 0; i < NLISTED; i++)
        add32(&b, (uint32_t)listed_tables[i]);
    end_table(&b);
}

static void build_xsdt(void)
{
    struct builder b = begin_table(XSDT_AT, "XSDT", 1);

    for (int i = 0; i < NLISTED; i++)
        add64(&b, listed_tables[i]);
    end_table(&b);
}

/* An RSDP; revision >= 2 adds the length, the XSDT and the extended checksum. */
static void put_rsdp(uint64_t at, uint8_t revision, uint32_t rsdt, uint64_t xsdt)
{
    memcpy(mem + at, "RSD PTR ", 8);
    memcpy(mem + at + 9, "MICAOE", 6);
    mem[at + 15] = revision;
    put32(at + 16, rsdt);
    set_checksum(at, 20, at + 8);
    if (revision >= 2) {
        put32(at + 20, 36);
        put64(at + 24, xsdt);
        set_checksum(at, 36, at + 32);
    }
}

/* Wipe memory and build the standard machine with an RSDP of the given revision. */
static void build_machine(uint8_t revision)
{
    memset(mem, 0, sizeof(mem));
    build_madt();
    build_hpet();
    build_mcfg();
    build_facp();
    build_rsdt();
    build_xsdt();
    put_rsdp(RSDP_AT, revision, RSDT_AT, XSDT_AT);
}

/* ---- Running the parser ---- */

static struct acpi_info info;
static char why[128];

static int parse(void)
{
    memset(why, 'q', sizeof(why));
    return acpi_parse(RSDP_AT, flat_map, NULL, &info, why, sizeof(why));
}

/* Parse and expect a fatal error with exactly this reason. */
static void expect_fatal(const char *reason)
{
    int rc = parse();

    CHECK_EQ(rc, -EINVAL);
    if (strcmp(why, reason) != 0) {
        fprintf(stderr, "  want reason \"%s\"\n  got  \"%.127s\"\n", reason, why);
        unit_failed_checks++;
    }
}

/* Parse and expect success with exactly one warning, this one. */
static void expect_one_warning(const char *warning)
{
    int rc = parse();

    CHECK_EQ(rc, 0);
    CHECK_EQ(info.nwarnings, 1);
    if (info.nwarnings >= 1 && strcmp(info.warnings[0], warning) != 0) {
        fprintf(stderr, "  want warning \"%s\"\n  got \"%s\"\n", warning, info.warnings[0]);
        unit_failed_checks++;
    }
}

/* Everything the standard MADT describes. */
static void check_standard_madt(void)
{
    CHECK(info.lapic_phys == 0xfee00000);
    CHECK(info.pcat_compat);
    CHECK_EQ(info.ncpus, 4);
    for (unsigned i = 0; i < 4 && i < info.ncpus; i++) {
        CHECK_EQ(info.cpus[i].apic_id, i);
        CHECK_EQ(info.cpus[i].acpi_uid, i);
        CHECK(info.cpus[i].enabled == (i != 2));
        CHECK(info.cpus[i].online_capable == (i == 2));
    }
    CHECK_EQ(info.nioapics, 1);
    CHECK_EQ(info.ioapics[0].id, 2);
    CHECK(info.ioapics[0].phys == 0xfec00000);
    CHECK_EQ(info.ioapics[0].gsi_base, 0);
    CHECK_EQ(info.noverrides, 2);
    CHECK_EQ(info.overrides[0].bus_irq, 0);
    CHECK_EQ(info.overrides[0].gsi, 2);
    CHECK_EQ(info.overrides[0].flags, 0);
    CHECK_EQ(info.overrides[1].bus_irq, 9);
    CHECK_EQ(info.overrides[1].gsi, 9);
    CHECK_EQ(info.overrides[1].flags, 0xd);
    CHECK_EQ(info.lapic_nmi_lint, 1);
}

/* Everything the standard machine's other tables describe. */
static void check_standard_machine(void)
{
    CHECK(info.rsdp_phys == RSDP_AT);
    CHECK(strcmp(info.oem_id, "MICAOE") == 0);
    CHECK_EQ(info.ntables, NLISTED);
    CHECK(strcmp(info.table_sigs[0], "FACP") == 0);
    CHECK(strcmp(info.table_sigs[1], "APIC") == 0);
    CHECK(strcmp(info.table_sigs[2], "HPET") == 0);
    CHECK(strcmp(info.table_sigs[3], "MCFG") == 0);
    check_standard_madt();
    CHECK(info.has_hpet);
    CHECK(info.hpet_phys == 0xfed00000);
    CHECK_EQ(info.hpet_min_tick, 0x80);
    CHECK(info.has_mcfg);
    CHECK_EQ(info.nmcfg, 1);
    CHECK(info.mcfg[0].base == 0xb0000000);
    CHECK_EQ(info.mcfg[0].segment, 0);
    CHECK_EQ(info.mcfg[0].bus_start, 0);
    CHECK_EQ(info.mcfg[0].bus_end, 255);
    CHECK_EQ(info.nwarnings, 0);
}

/* ---- Good tables ---- */

static void test_checksum_ok(void)
{
    uint8_t bytes[4] = {1, 2, 3, 0xfa};

    CHECK(acpi_checksum_ok(bytes, 4));
    CHECK(!acpi_checksum_ok(bytes, 3));
    CHECK(acpi_checksum_ok(bytes, 0));
}

static void test_rsdt_v0(void)
{
    build_machine(0);
    CHECK_EQ(parse(), 0);
    CHECK(why[0] == '\0');
    CHECK_EQ(info.revision, 0);
    CHECK(!info.use_xsdt);
    check_standard_machine();
}

/* With revision 2 the XSDT is used: breaking the RSDT must not matter. */
static void test_xsdt_v2(void)
{
    build_machine(2);
    mem[RSDT_AT + 9] ^= 0xff;
    CHECK_EQ(parse(), 0);
    CHECK_EQ(info.revision, 2);
    CHECK(info.use_xsdt);
    check_standard_machine();
}

static void test_v2_without_xsdt_uses_rsdt(void)
{
    build_machine(2);
    put_rsdp(RSDP_AT, 2, RSDT_AT, 0);
    CHECK_EQ(parse(), 0);
    CHECK(!info.use_xsdt);
    check_standard_machine();
}

/* A type-5 entry replaces the 32-bit local APIC address. */
static void test_lapic_address_override(void)
{
    build_machine(2);
    mem[MADT_AT + MADT_LAST_ENTRY] = 5;
    mem[MADT_AT + MADT_LAST_ENTRY + 1] = 12;
    put16(MADT_AT + MADT_LAST_ENTRY + 2, 0);
    put64(MADT_AT + MADT_LAST_ENTRY + 4, 0x1fee00000ULL);
    put32(MADT_AT + 4, MADT_LEN + 6);
    fix_table(MADT_AT);
    CHECK_EQ(parse(), 0);
    CHECK(info.lapic_phys == 0x1fee00000ULL);
}

/* ---- Finding the RSDP ---- */

static void test_find_rsdp_bios_area(void)
{
    uint64_t found = 0;

    build_machine(2);
    CHECK_EQ(acpi_find_rsdp(flat_map, NULL, 0, &found), 0);
    CHECK(found == RSDP_AT);
}

/* The EBDA segment is read from the BIOS data area at 0x40E. */
static void test_find_rsdp_ebda(void)
{
    uint64_t found = 0;

    build_machine(0);
    memset(mem + RSDP_AT, 0, 20);
    put_rsdp(EBDA_AT + 0x40, 0, RSDT_AT, 0);
    put16(0x40e, EBDA_AT >> 4);
    CHECK_EQ(acpi_find_rsdp(flat_map, NULL, 0, &found), 0);
    CHECK(found == EBDA_AT + 0x40);

    /* The EBDA is searched first. */
    put_rsdp(RSDP_AT, 0, RSDT_AT, 0);
    CHECK_EQ(acpi_find_rsdp(flat_map, NULL, 0, &found), 0);
    CHECK(found == EBDA_AT + 0x40);
}

/* An explicit EBDA address replaces the BIOS data area's. */
static void test_find_rsdp_ebda_hint(void)
{
    uint64_t found = 0;

    build_machine(0);
    memset(mem + RSDP_AT, 0, 20);
    put_rsdp(0x80000 + 0x3e0, 0, RSDT_AT, 0);
    put16(0x40e, EBDA_AT >> 4); /* wrong on purpose */
    CHECK_EQ(acpi_find_rsdp(flat_map, NULL, 0x80000, &found), 0);
    CHECK(found == 0x80000 + 0x3e0);
}

/* Bad candidates are passed over: bad checksums and misaligned copies. */
static void test_find_rsdp_skips_bad(void)
{
    uint64_t found = 0;

    build_machine(2);
    put_rsdp(0xe0000, 0, RSDT_AT, 0);
    mem[0xe0000 + 8] ^= 1; /* checksum */
    put_rsdp(0xe0100, 2, RSDT_AT, XSDT_AT);
    mem[0xe0100 + 32] ^= 1;           /* extended checksum */
    put_rsdp(0xe0208, 0, RSDT_AT, 0); /* not on a 16-byte boundary */
    CHECK_EQ(acpi_find_rsdp(flat_map, NULL, 0, &found), 0);
    CHECK(found == RSDP_AT);
}

static void test_find_rsdp_none(void)
{
    uint64_t found = 1234;

    build_machine(2);
    memset(mem + RSDP_AT, 0, 36);
    put16(0x40e, EBDA_AT >> 4);
    CHECK_EQ(acpi_find_rsdp(flat_map, NULL, 0, &found), -ENOENT);
    CHECK_EQ(found, 1234);
}

/* ---- Fatal problems: RSDP, RSDT/XSDT, MADT ---- */

static void test_bad_rsdp_signature(void)
{
    build_machine(2);
    mem[RSDP_AT] = 'X';
    expect_fatal("ACPI: RSDP signature mismatch");
}

static void test_bad_rsdp_checksum(void)
{
    build_machine(0);
    mem[RSDP_AT + 8] ^= 1;
    expect_fatal("ACPI: RSDP checksum mismatch");
}

static void test_bad_rsdp_ext_checksum(void)
{
    build_machine(2);
    mem[RSDP_AT + 32] ^= 1;
    expect_fatal("ACPI: RSDP extended checksum mismatch");
}

static void test_bad_rsdp_length(void)
{
    build_machine(2);
    put32(RSDP_AT + 20, 20);
    set_checksum(RSDP_AT, 20, RSDP_AT + 8);
    expect_fatal("ACPI: RSDP length field invalid");
}

static void test_rsdp_unreadable(void)
{
    CHECK_EQ(acpi_parse(MEM_SIZE - 4, flat_map, NULL, &info, why, sizeof(why)), -EINVAL);
    CHECK(strcmp(why, "ACPI: RSDP not readable") == 0);
}

static void test_bad_rsdt_checksum(void)
{
    build_machine(0);
    mem[RSDT_AT + 40] ^= 1;
    expect_fatal("ACPI: RSDT checksum mismatch");
}

static void test_bad_xsdt_checksum(void)
{
    build_machine(2);
    mem[XSDT_AT + 9] ^= 1;
    expect_fatal("ACPI: XSDT checksum mismatch");
}

static void test_bad_xsdt_signature(void)
{
    build_machine(2);
    memcpy(mem + XSDT_AT, "RSDT", 4);
    fix_table(XSDT_AT);
    expect_fatal("ACPI: XSDT signature mismatch");
}

static void test_bad_xsdt_length(void)
{
    build_machine(2);
    put32(XSDT_AT + 4, 10);
    expect_fatal("ACPI: XSDT has invalid length 10");
}

static void test_rsdt_address_zero(void)
{
    build_machine(0);
    put_rsdp(RSDP_AT, 0, 0, 0);
    expect_fatal("ACPI: RSDT address is 0");
}

static void test_xsdt_unreadable(void)
{
    build_machine(2);
    put_rsdp(RSDP_AT, 2, RSDT_AT, 0x100000000ULL);
    expect_fatal("ACPI: XSDT not readable");
}

static void test_bad_madt_checksum(void)
{
    build_machine(2);
    mem[MADT_AT + 50] ^= 1;
    expect_fatal("ACPI: MADT checksum mismatch");
}

static void test_missing_madt(void)
{
    build_machine(2);
    memcpy(mem + MADT_AT, "APIX", 4);
    fix_table(MADT_AT);
    expect_fatal("ACPI: no MADT (APIC table) found");
}

/* A MADT whose length reaches past the end of memory cannot be read. */
static void test_madt_unreadable(void)
{
    build_machine(2);
    put32(MADT_AT + 4, MEM_SIZE);
    expect_fatal("ACPI: MADT not readable");
}

static void test_madt_too_short(void)
{
    build_machine(2);
    put32(MADT_AT + 4, 40);
    fix_table(MADT_AT);
    expect_fatal("ACPI: MADT has invalid length 40");
}

static void test_madt_zero_length_entry(void)
{
    build_machine(2);
    mem[MADT_AT + MADT_FIRST_ENTRY + 1] = 0;
    fix_table(MADT_AT);
    expect_fatal("ACPI: MADT entry at offset 44 has length 0");
}

static void test_madt_length_one_entry(void)
{
    build_machine(2);
    mem[MADT_AT + MADT_LAST_ENTRY + 1] = 1;
    fix_table(MADT_AT);
    expect_fatal("ACPI: MADT entry at offset 122 has length 1");
}

static void test_madt_entry_past_end(void)
{
    build_machine(2);
    mem[MADT_AT + MADT_LAST_ENTRY + 1] = 7;
    fix_table(MADT_AT);
    expect_fatal("ACPI: MADT entry at offset 122 runs past the end of the table");
}

/* The table ends in the middle of its last entry. */
static void test_madt_truncated(void)
{
    build_machine(2);
    put32(MADT_AT + 4, MADT_LEN - 3);
    fix_table(MADT_AT);
    expect_fatal("ACPI: MADT entry at offset 122 runs past the end of the table");

    /* Only one byte of the last entry left: not even its length is there. */
    build_machine(2);
    put32(MADT_AT + 4, MADT_LAST_ENTRY + 1);
    fix_table(MADT_AT);
    expect_fatal("ACPI: MADT entry at offset 122 runs past the end of the table");
}

/* A known type with a length too small for its fields. */
static void test_madt_entry_too_short(void)
{
    build_machine(2);
    mem[MADT_AT + MADT_LAST_ENTRY] = 1; /* I/O APIC needs 12 bytes, has 6 */
    fix_table(MADT_AT);
    expect_fatal("ACPI: MADT entry at offset 122 is too short for its type");
}

static void test_madt_no_cpus(void)
{
    build_machine(2);
    for (uint64_t off = MADT_FIRST_ENTRY; off < 84; off += mem[MADT_AT + off + 1])
        mem[MADT_AT + off] = 0x80; /* turn the four CPU entries into unknown types */
    fix_table(MADT_AT);
    expect_fatal("ACPI: MADT lists no processors");
}

/* ---- Non-fatal problems: the table is ignored, a warning is left ---- */

static void test_bad_hpet_checksum(void)
{
    build_machine(2);
    mem[HPET_AT + 44] ^= 1;
    expect_one_warning("ACPI: HPET checksum mismatch, table ignored");
    CHECK(!info.has_hpet);
    check_standard_madt();
    CHECK(info.has_mcfg);
}

static void test_hpet_too_short(void)
{
    build_machine(2);
    put32(HPET_AT + 4, 50);
    fix_table(HPET_AT);
    expect_one_warning("ACPI: HPET table too short, ignored");
    CHECK(!info.has_hpet);
}

static void test_hpet_not_memory(void)
{
    build_machine(2);
    mem[HPET_AT + 40] = 1; /* I/O space */
    fix_table(HPET_AT);
    expect_one_warning("ACPI: HPET address not in memory space, ignored");
    CHECK(!info.has_hpet);
}

static void test_bad_mcfg_checksum(void)
{
    build_machine(0);
    mem[MCFG_AT + 50] ^= 1;
    expect_one_warning("ACPI: MCFG checksum mismatch, table ignored");
    CHECK(!info.has_mcfg);
    CHECK_EQ(info.nmcfg, 0);
    CHECK(info.has_hpet);
}

static void test_bad_mcfg_length(void)
{
    build_machine(2);
    put32(MCFG_AT + 4, 50);
    fix_table(MCFG_AT);
    expect_one_warning("ACPI: MCFG has invalid length 50, ignored");
    CHECK(!info.has_mcfg);
}

static void test_bad_other_checksum(void)
{
    build_machine(2);
    mem[FACP_AT + 100] ^= 1;
    expect_one_warning("ACPI: FACP checksum mismatch, table ignored");
    CHECK(strcmp(info.table_sigs[0], "FACP") == 0);
    check_standard_madt();
    CHECK(info.has_hpet && info.has_mcfg);
}

static void test_bad_other_length(void)
{
    build_machine(2);
    put32(FACP_AT + 4, 3);
    expect_one_warning("ACPI: FACP has invalid length 3, table ignored");
}

static void test_table_unreadable(void)
{
    build_machine(2);
    put64(XSDT_AT + 36, 0x7ffff000ULL);
    fix_table(XSDT_AT);
    expect_one_warning("ACPI: table at 0x000000007ffff000 not readable, ignored");
    CHECK(strcmp(info.table_sigs[0], "????") == 0);
    check_standard_madt();
}

static void test_null_table_entry(void)
{
    build_machine(0);
    put32(RSDT_AT + 36, 0);
    fix_table(RSDT_AT);
    expect_one_warning("ACPI: null table address in the RSDT/XSDT, ignored");
}

/* A second MADT is ignored with a warning; the first one counts. */
static void test_second_madt(void)
{
    build_machine(2);
    put64(XSDT_AT + 36, MADT_AT);
    fix_table(XSDT_AT);
    expect_one_warning("ACPI: second MADT ignored");
    check_standard_madt();
}

/* Only ACPI_MAX_WARNINGS warnings are kept, and repeats are kept once. */
static void test_warning_limit(void)
{
    build_machine(2);
    mem[FACP_AT + 100] ^= 1;
    mem[HPET_AT + 44] ^= 1;
    mem[MCFG_AT + 44] ^= 1;
    put64(XSDT_AT + 36 + 8 * 3, 0x7ffff000ULL);
    fix_table(XSDT_AT);
    CHECK_EQ(parse(), 0);
    CHECK_EQ(info.nwarnings, 3);

    build_machine(2);
    struct builder b = begin_table(XSDT_AT, "XSDT", 1);
    add64(&b, MADT_AT);
    for (uint64_t bad = 0x7fff0000; bad < 0x7fff0006; bad++)
        add64(&b, bad);
    add64(&b, 0); /* twice the same warning */
    add64(&b, 0);
    end_table(&b);
    CHECK_EQ(parse(), 0);
    CHECK_EQ(info.nwarnings, ACPI_MAX_WARNINGS);
    CHECK_EQ(info.ntables, 9);
}

/* ---- Limits and odd MADT contents ---- */

/* A MADT with n xAPIC CPUs and m I/O APICs at MADT_AT. */
static void build_big_madt(unsigned ncpus, unsigned nioapics)
{
    struct builder b = begin_table(MADT_AT, "APIC", 5);

    add32(&b, 0xfee00000);
    add32(&b, 0);
    for (unsigned i = 0; i < ncpus; i++)
        madt_lapic(&b, (uint8_t)i, (uint8_t)i, 1);
    for (unsigned i = 0; i < nioapics; i++)
        madt_ioapic(&b, (uint8_t)i, 0xfec00000 + i * 0x1000, i * 24);
    end_table(&b);
}

static void test_too_many_cpus(void)
{
    build_machine(2);
    build_big_madt(70, 1);
    expect_one_warning("ACPI: more CPUs than ACPI_MAX_CPUS, extra ones ignored");
    CHECK_EQ(info.ncpus, ACPI_MAX_CPUS);
    CHECK_EQ(info.cpus[ACPI_MAX_CPUS - 1].apic_id, ACPI_MAX_CPUS - 1);
    CHECK(!info.pcat_compat);
    CHECK_EQ(info.lapic_nmi_lint, 0xff);
}

static void test_too_many_ioapics(void)
{
    build_machine(2);
    build_big_madt(1, 10);
    expect_one_warning("ACPI: more I/O APICs than ACPI_MAX_IOAPICS, extra ones ignored");
    CHECK_EQ(info.nioapics, ACPI_MAX_IOAPICS);
    CHECK_EQ(info.ioapics[7].gsi_base, 7 * 24);
}

/* The same APIC ID from an xAPIC and an x2APIC entry is one CPU. */
static void test_duplicate_apic_id(void)
{
    build_machine(2);
    mem[MADT_AT + 68 + 4] = 1; /* the x2APIC entry's ID becomes 1 */
    fix_table(MADT_AT);
    expect_one_warning("ACPI: APIC ID 1 listed twice, second entry ignored");
    CHECK_EQ(info.ncpus, 3);
}

/* ---- The reason buffer ---- */

static void test_why_optional(void)
{
    char small[10];

    build_machine(2);
    mem[RSDP_AT + 8] ^= 1;
    CHECK_EQ(acpi_parse(RSDP_AT, flat_map, NULL, &info, NULL, 0), -EINVAL);
    memset(small, 'q', sizeof(small));
    CHECK_EQ(acpi_parse(RSDP_AT, flat_map, NULL, &info, small, sizeof(small)), -EINVAL);
    CHECK(strcmp(small, "ACPI: RSD") == 0);
    CHECK_EQ(acpi_parse(RSDP_AT, NULL, NULL, &info, why, sizeof(why)), -EINVAL);
}

/* ---- acpidump files: loading them into a sparse fake memory ---- */

/* One table from a dump, at the physical address the dump gives for it. */
struct region {
    char name[16];
    uint64_t phys;
    uint8_t *data;
    size_t len;
};

struct dump {
    struct region *regions;
    size_t n;
    bool has_rsdp;
    uint64_t rsdp;
};

static const void *dump_map(uint64_t phys, size_t len, void *ctx)
{
    const struct dump *d = ctx;

    for (size_t i = 0; i < d->n; i++) {
        const struct region *r = &d->regions[i];
        if (phys >= r->phys && len <= r->len && phys - r->phys <= r->len - len)
            return r->data + (phys - r->phys);
    }
    return NULL;
}

static void dump_free(struct dump *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->regions[i].data);
    free(d->regions);
    memset(d, 0, sizeof(*d));
}

static struct region *dump_add(struct dump *d, const char *name, uint64_t phys)
{
    struct region *grown = realloc(d->regions, (d->n + 1) * sizeof(*grown));

    if (grown == NULL)
        return NULL;
    d->regions = grown;
    struct region *r = &d->regions[d->n++];
    memset(r, 0, sizeof(*r));
    snprintf(r->name, sizeof(r->name), "%s", name);
    r->phys = phys;
    return r;
}

/* Store bytes at offset off of region r, growing it as needed. */
static bool region_store(struct region *r, size_t off, const uint8_t *bytes, size_t n)
{
    if (off + n > r->len) {
        uint8_t *grown = realloc(r->data, off + n);
        if (grown == NULL)
            return false;
        memset(grown + r->len, 0, off + n - r->len);
        r->data = grown;
        r->len = off + n;
    }
    memcpy(r->data + off, bytes, n);
    return true;
}

/*
 * A table's header line starts a new region: "APIC @ 0x00000000bffe1e6b",
 * "RSD PTR @ 0xf6cd0", or "SSDT @ (nil)" when the address is unknown (0).
 */
static bool parse_header_line(struct dump *d, const char *line)
{
    const char *at = strstr(line, " @ ");
    char name[16];
    uint64_t phys = 0;

    if (at == NULL || at == line || (size_t)(at - line) >= sizeof(name))
        return false;
    memcpy(name, line, (size_t)(at - line));
    name[at - line] = '\0';
    if (strncmp(at + 3, "0x", 2) == 0) {
        char *end;
        phys = strtoull(at + 5, &end, 16);
        if (end == at + 5 || *end != '\0')
            return false;
    } else if (strcmp(at + 3, "(nil)") != 0) {
        return false;
    }
    if (dump_add(d, name, phys) == NULL)
        return false;
    if (strcmp(name, "RSDP") == 0 || strcmp(name, "RSD PTR") == 0) {
        d->has_rsdp = true;
        d->rsdp = phys;
    }
    return true;
}

/* "    0010: 46 43 56 4D ...  FCVM..." : up to 16 bytes at an offset. */
static bool parse_data_line(struct dump *d, const char *line)
{
    char *p;
    unsigned long off = strtoul(line, &p, 16);
    uint8_t bytes[16];
    size_t n = 0;

    if (d->n == 0 || p == line || *p != ':')
        return false;
    p++;
    /* Bytes are " XX"; the ASCII column starts after two spaces. */
    while (n < 16 && p[0] == ' ' && isxdigit((unsigned char)p[1]) &&
           isxdigit((unsigned char)p[2]) && (p[3] == ' ' || p[3] == '\0')) {
        char hex[3] = {p[1], p[2], '\0'};
        bytes[n++] = (uint8_t)strtoul(hex, NULL, 16);
        p += 3;
    }
    if (n == 0)
        return false;
    return region_store(&d->regions[d->n - 1], off, bytes, n);
}

/* Parse a whole dump; on failure err says which line was not understood. */
static bool parse_dump(const char *text, struct dump *d, char *err, size_t errlen)
{
    const char *line = text;
    unsigned lineno = 0;

    memset(d, 0, sizeof(*d));
    while (*line != '\0') {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        char buf[256];
        lineno++;
        if (len >= sizeof(buf))
            len = sizeof(buf) - 1;
        memcpy(buf, line, len);
        buf[len] = '\0';
        while (len > 0 && (buf[len - 1] == '\r' || buf[len - 1] == ' '))
            buf[--len] = '\0';

        bool ok = true;
        if (len == 0)
            ok = true;
        else if (isspace((unsigned char)buf[0]))
            ok = parse_data_line(d, buf);
        else
            ok = parse_header_line(d, buf);
        if (!ok) {
            snprintf(err, errlen, "line %u not understood: %.60s", lineno, buf);
            return false;
        }
        line = nl ? nl + 1 : line + strlen(line);
    }
    return true;
}

/* Do two regions overlap?  Then the dump's addresses cannot all be real. */
static bool regions_overlap(const struct dump *d)
{
    for (size_t i = 0; i < d->n; i++)
        for (size_t j = i + 1; j < d->n; j++) {
            const struct region *a = &d->regions[i], *b = &d->regions[j];
            if (a->phys < b->phys + b->len && b->phys < a->phys + a->len)
                return true;
        }
    return false;
}

static bool is_root_or_indirect(const char *name)
{
    static const char *const skip[] = {"RSDP", "RSD PTR", "RSDT", "XSDT", "DSDT", "FACS"};

    for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++) {
        if (strcmp(name, skip[i]) == 0)
            return true;
    }
    return false;
}

static void sum_into(uint8_t *bytes, size_t len, size_t sum_at)
{
    uint8_t sum = 0;

    bytes[sum_at] = 0;
    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + bytes[i]);
    bytes[sum_at] = (uint8_t)(0 - sum);
}

/*
 * Dumps taken without access to physical memory (acpidump reading
 * /sys/firmware/acpi/tables) have no RSDP and give every table address 0.
 * For those, give each table its own address and build an XSDT listing
 * them (not the DSDT and FACS, which the FADT points to) and an RSDP.
 */
static bool synthesize_root(struct dump *d)
{
    struct dump out = {NULL, 0, false, 0};
    uint64_t next = 0x100000;
    uint8_t xsdt[36 + 8 * 64] = {0};
    size_t nlisted = 0;

    for (size_t i = 0; i < d->n; i++) {
        struct region *r = &d->regions[i];
        if (strcmp(r->name, "RSDP") == 0 || strcmp(r->name, "RSD PTR") == 0 ||
            strcmp(r->name, "RSDT") == 0 || strcmp(r->name, "XSDT") == 0)
            continue;
        struct region *copy = dump_add(&out, r->name, next);
        if (copy == NULL || !region_store(copy, 0, r->data, r->len))
            break;
        if (!is_root_or_indirect(r->name) && nlisted < 64) {
            for (int b = 0; b < 8; b++)
                xsdt[36 + 8 * nlisted + b] = (uint8_t)(next >> (8 * b));
            nlisted++;
        }
        next += (r->len + 0xfff) & ~(uint64_t)0xfff;
    }

    uint32_t xlen = (uint32_t)(36 + 8 * nlisted);
    memcpy(xsdt, "XSDT", 4);
    for (int b = 0; b < 4; b++)
        xsdt[4 + b] = (uint8_t)(xlen >> (8 * b));
    xsdt[8] = 1;
    sum_into(xsdt, xlen, 9);
    struct region *x = dump_add(&out, "XSDT", next);
    bool ok = x != NULL && region_store(x, 0, xsdt, xlen);

    uint8_t rsdp[36] = "RSD PTR ";
    rsdp[15] = 2;
    rsdp[20] = 36;
    for (int b = 0; b < 8; b++)
        rsdp[24 + b] = (uint8_t)(next >> (8 * b));
    sum_into(rsdp, 20, 8);
    sum_into(rsdp, 36, 32);
    struct region *r = dump_add(&out, "RSDP", 0xe0000);
    ok = ok && r != NULL && region_store(r, 0, rsdp, sizeof(rsdp));

    dump_free(d);
    *d = out;
    d->has_rsdp = true;
    d->rsdp = 0xe0000;
    return ok;
}

/* Parse dump text and run acpi_parse on it; returns its result. */
static int parse_dump_text(const char *text, const char *label)
{
    struct dump d;
    char err[128];
    int rc = -EIO;

    if (!parse_dump(text, &d, err, sizeof(err))) {
        fprintf(stderr, "  %s: %s\n", label, err);
        dump_free(&d);
        return rc;
    }
    if (!d.has_rsdp || regions_overlap(&d)) {
        if (!synthesize_root(&d)) {
            fprintf(stderr, "  %s: out of memory\n", label);
            dump_free(&d);
            return rc;
        }
    }
    rc = acpi_parse(d.rsdp, dump_map, &d, &info, why, sizeof(why));
    if (rc != 0)
        fprintf(stderr, "  %s: %s\n", label, why);
    for (unsigned i = 0; i < info.nwarnings; i++)
        fprintf(stderr, "  %s: warning: %s\n", label, info.warnings[i]);
    dump_free(&d);
    return rc;
}

/* ---- Writing the fake memory as a dump, to test the loader itself ---- */

static void write_table(FILE *f, const char *name, uint64_t phys, size_t len)
{
    fprintf(f, "%s @ 0x%016llx\n", name, (unsigned long long)phys);
    for (size_t off = 0; off < len; off += 16) {
        size_t n = len - off < 16 ? len - off : 16;
        fprintf(f, "    %04zX:", off);
        for (size_t i = 0; i < n; i++)
            fprintf(f, " %02X", mem[phys + off + i]);
        fprintf(f, "%*s  ", (int)(3 * (16 - n)), "");
        for (size_t i = 0; i < n; i++) {
            uint8_t c = mem[phys + off + i];
            fputc(c >= 0x20 && c < 0x7f ? c : '.', f);
        }
        fputc('\n', f);
    }
    fputc('\n', f);
}

/* The standard machine as dump text; addresses omitted (0) if zero_addresses. */
static char *machine_as_dump(const char *rsdp_name, bool zero_addresses)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    static const char *const names[] = {"FACP", "APIC", "HPET", "MCFG", "RSDT", "XSDT"};
    static const uint64_t where[] = {FACP_AT, MADT_AT, HPET_AT, MCFG_AT, RSDT_AT, XSDT_AT};

    if (f == NULL)
        return NULL;
    if (!zero_addresses)
        write_table(f, rsdp_name, RSDP_AT, 36);
    for (int i = 0; i < 6; i++)
        write_table(f, names[i], where[i], get32(where[i] + 4));
    fclose(f);
    if (zero_addresses) {
        /* Every header line's address becomes 0, as in a sysfs dump. */
        for (char *at = strstr(text, " @ 0x"); at != NULL; at = strstr(at + 1, " @ 0x"))
            memset(at + 5, '0', 16);
    }
    return text;
}

static void test_dump_roundtrip(void)
{
    char *text;

    build_machine(2);
    text = machine_as_dump("RSDP", false);
    CHECK(text != NULL);
    memset(mem, 0, sizeof(mem)); /* the parse must use the dump, not mem */
    CHECK_EQ(parse_dump_text(text, "roundtrip"), 0);
    CHECK(info.use_xsdt);
    CHECK(info.rsdp_phys == RSDP_AT);
    check_standard_machine();
    free(text);

    build_machine(2);
    text = machine_as_dump("RSD PTR", false);
    CHECK(text != NULL);
    CHECK_EQ(parse_dump_text(text, "roundtrip-rsd-ptr"), 0);
    check_standard_machine();
    free(text);
}

/* A dump with no RSDP and all addresses 0 still parses (with a made-up XSDT). */
static void test_dump_without_addresses(void)
{
    build_machine(2);
    char *text = machine_as_dump("RSDP", true);
    CHECK(text != NULL);
    CHECK(strstr(text, "RSDP") == NULL);
    CHECK(strstr(text, "APIC @ 0x0000000000000000") != NULL);
    CHECK_EQ(parse_dump_text(text, "no-addresses"), 0);
    check_standard_madt();
    CHECK(info.has_hpet && info.has_mcfg);
    free(text);
}

static void test_dump_rejects_garbage(void)
{
    struct dump d;
    char err[128];

    CHECK(!parse_dump("    0000: 41 50\n", &d, err, sizeof(err))); /* data before a header */
    dump_free(&d);
    CHECK(!parse_dump("APIC at somewhere\n", &d, err, sizeof(err)));
    dump_free(&d);
    CHECK(!parse_dump("APIC @ 0x10\n    0000: zz\n", &d, err, sizeof(err)));
    dump_free(&d);
    CHECK(parse_dump("APIC @ 0x10\r\n    0000: 41 50  AP\r\n\r\n", &d, err, sizeof(err)));
    CHECK(d.n == 1 && d.regions[0].len == 2 && d.regions[0].phys == 0x10);
    dump_free(&d);
    CHECK(parse_dump("SSDT @ (nil)\n  0000: 53\n", &d, err, sizeof(err)));
    CHECK(d.n == 1 && d.regions[0].len == 1 && d.regions[0].phys == 0);
    dump_free(&d);
    CHECK(!parse_dump("SSDT @ 0x12zz\n", &d, err, sizeof(err)));
    dump_free(&d);
}

/* ---- Captured dumps from real machines ---- */

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    long size;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        text = malloc((size_t)size + 1);
        if (text != NULL && fread(text, 1, (size_t)size, f) != (size_t)size) {
            free(text);
            text = NULL;
        }
        if (text != NULL)
            text[size] = '\0';
    }
    fclose(f);
    return text;
}

static char dump_path[512];

static void test_dump_file(void)
{
    char *text = read_file(dump_path);

    CHECK(text != NULL);
    if (text == NULL)
        return;
    CHECK_EQ(parse_dump_text(text, dump_path), 0);
    CHECK(info.ncpus >= 1);
    CHECK(info.nioapics >= 1);
    /* Captures are named <machine>-<N>cpu.acpidump: the MADT must list exactly N CPUs. */
    const char *cpu_tag = strstr(dump_path, "cpu.acpidump");
    if (cpu_tag) {
        const char *digits = cpu_tag;
        while (digits > dump_path && digits[-1] >= '0' && digits[-1] <= '9')
            digits--;
        CHECK_EQ(info.ncpus, strtoul(digits, NULL, 10));
    }
    CHECK(info.lapic_phys == 0xfee00000);
    fprintf(stderr, "  %s: %u tables, %u CPUs, %u I/O APICs, %u overrides, HPET %s, MCFG %s\n",
            dump_path, info.ntables, info.ncpus, info.nioapics, info.noverrides,
            info.has_hpet ? "yes" : "no", info.has_mcfg ? "yes" : "no");
    free(text);
}

static bool is_dump_name(const struct dirent *e)
{
    const char *suffix = ".acpidump";
    size_t n = strlen(e->d_name), s = strlen(suffix);

    return n > s && strcmp(e->d_name + n - s, suffix) == 0;
}

static int dump_filter(const struct dirent *e)
{
    return is_dump_name(e);
}

/* One test per tests/data/acpi/<machine>.acpidump; none if there are no files. */
static void run_dump_files(void)
{
    const char *dir = getenv("MICA_ACPI_DUMPS");
    struct dirent **names;

    if (dir == NULL)
        dir = "../data/acpi";
    int n = scandir(dir, &names, dump_filter, alphasort);
    for (int i = 0; i < n; i++) {
        char test_name[300];
        snprintf(dump_path, sizeof(dump_path), "%s/%s", dir, names[i]->d_name);
        snprintf(test_name, sizeof(test_name), "dump/%s", names[i]->d_name);
        unit_run("acpi", test_name, test_dump_file);
        free(names[i]);
    }
    if (n >= 0)
        free(names);
}

int main(void)
{
    unit_run("acpi", "checksum_ok", test_checksum_ok);
    unit_run("acpi", "rsdt_v0", test_rsdt_v0);
    unit_run("acpi", "xsdt_v2", test_xsdt_v2);
    unit_run("acpi", "v2_without_xsdt_uses_rsdt", test_v2_without_xsdt_uses_rsdt);
    unit_run("acpi", "lapic_address_override", test_lapic_address_override);
    unit_run("acpi", "find_rsdp_bios_area", test_find_rsdp_bios_area);
    unit_run("acpi", "find_rsdp_ebda", test_find_rsdp_ebda);
    unit_run("acpi", "find_rsdp_ebda_hint", test_find_rsdp_ebda_hint);
    unit_run("acpi", "find_rsdp_skips_bad", test_find_rsdp_skips_bad);
    unit_run("acpi", "find_rsdp_none", test_find_rsdp_none);
    unit_run("acpi", "bad_rsdp_signature", test_bad_rsdp_signature);
    unit_run("acpi", "bad_rsdp_checksum", test_bad_rsdp_checksum);
    unit_run("acpi", "bad_rsdp_ext_checksum", test_bad_rsdp_ext_checksum);
    unit_run("acpi", "bad_rsdp_length", test_bad_rsdp_length);
    unit_run("acpi", "rsdp_unreadable", test_rsdp_unreadable);
    unit_run("acpi", "bad_rsdt_checksum", test_bad_rsdt_checksum);
    unit_run("acpi", "bad_xsdt_checksum", test_bad_xsdt_checksum);
    unit_run("acpi", "bad_xsdt_signature", test_bad_xsdt_signature);
    unit_run("acpi", "bad_xsdt_length", test_bad_xsdt_length);
    unit_run("acpi", "rsdt_address_zero", test_rsdt_address_zero);
    unit_run("acpi", "xsdt_unreadable", test_xsdt_unreadable);
    unit_run("acpi", "bad_madt_checksum", test_bad_madt_checksum);
    unit_run("acpi", "missing_madt", test_missing_madt);
    unit_run("acpi", "madt_unreadable", test_madt_unreadable);
    unit_run("acpi", "madt_too_short", test_madt_too_short);
    unit_run("acpi", "madt_zero_length_entry", test_madt_zero_length_entry);
    unit_run("acpi", "madt_length_one_entry", test_madt_length_one_entry);
    unit_run("acpi", "madt_entry_past_end", test_madt_entry_past_end);
    unit_run("acpi", "madt_truncated", test_madt_truncated);
    unit_run("acpi", "madt_entry_too_short", test_madt_entry_too_short);
    unit_run("acpi", "madt_no_cpus", test_madt_no_cpus);
    unit_run("acpi", "bad_hpet_checksum", test_bad_hpet_checksum);
    unit_run("acpi", "hpet_too_short", test_hpet_too_short);
    unit_run("acpi", "hpet_not_memory", test_hpet_not_memory);
    unit_run("acpi", "bad_mcfg_checksum", test_bad_mcfg_checksum);
    unit_run("acpi", "bad_mcfg_length", test_bad_mcfg_length);
    unit_run("acpi", "bad_other_checksum", test_bad_other_checksum);
    unit_run("acpi", "bad_other_length", test_bad_other_length);
    unit_run("acpi", "table_unreadable", test_table_unreadable);
    unit_run("acpi", "null_table_entry", test_null_table_entry);
    unit_run("acpi", "second_madt", test_second_madt);
    unit_run("acpi", "warning_limit", test_warning_limit);
    unit_run("acpi", "too_many_cpus", test_too_many_cpus);
    unit_run("acpi", "too_many_ioapics", test_too_many_ioapics);
    unit_run("acpi", "duplicate_apic_id", test_duplicate_apic_id);
    unit_run("acpi", "why_optional", test_why_optional);
    unit_run("acpi", "dump_roundtrip", test_dump_roundtrip);
    unit_run("acpi", "dump_without_addresses", test_dump_without_addresses);
    unit_run("acpi", "dump_rejects_garbage", test_dump_rejects_garbage);
    run_dump_files();
    return unit_exit_code();
}
