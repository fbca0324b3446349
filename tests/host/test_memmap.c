/* test_memmap.c - host tests for kernel/mm/memmap.c (the boot memory map). */
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include <mica/memmap.h>
#include <mica/errno.h>

static struct memmap m;

static void add(uint64_t base, uint64_t length, uint32_t type)
{
    const char *why = NULL;
    CHECK_EQ(memmap_add(&m, base, length, type, &why), 0);
}

/* A sanitized map: sorted, non-empty entries, no overlap, touching entries differ. */
static void check_shape(const struct memmap *map)
{
    CHECK(map->count <= MEMMAP_MAX);
    for (unsigned i = 0; i < map->count; i++) {
        CHECK(map->e[i].length > 0);
        CHECK(map->e[i].type >= MEM_USABLE && map->e[i].type <= MEM_BOOT_MODULE);
        if (i + 1 < map->count) {
            uint64_t end = map->e[i].base + map->e[i].length;
            CHECK(end <= map->e[i + 1].base);
            if (end == map->e[i + 1].base)
                CHECK(map->e[i].type != map->e[i + 1].type);
        }
    }
}

static void check_entry(unsigned i, uint64_t base, uint64_t length, uint32_t type)
{
    CHECK(i < m.count);
    if (i >= m.count)
        return;
    CHECK_EQ(m.e[i].base, base);
    CHECK_EQ(m.e[i].length, length);
    CHECK_EQ(m.e[i].type, type);
}

static void test_init_and_add(void)
{
    memmap_init(&m);
    CHECK_EQ(m.count, 0);
    add(0x1000, 0x2000, MEM_USABLE);
    add(0, 0x1000, MEM_ACPI_NVS);
    CHECK_EQ(m.count, 2);
    check_entry(0, 0x1000, 0x2000, MEM_USABLE); /* add does not sort */
    check_entry(1, 0, 0x1000, MEM_ACPI_NVS);
    CHECK_EQ(memmap_add(&m, 0x5000, 1, MEM_BOOT_MODULE, NULL), 0); /* why may be NULL */
    CHECK_EQ(m.count, 3);
}

static void test_add_unknown_type_is_reserved(void)
{
    memmap_init(&m);
    add(0, 10, 0);
    add(10, 10, 8);
    add(20, 10, 0xffffffffu);
    add(30, 10, 12);
    for (unsigned i = 0; i < 4; i++)
        CHECK_EQ(m.e[i].type, MEM_RESERVED);
}

static void test_add_errors(void)
{
    const char *why = NULL;
    memmap_init(&m);
    CHECK_EQ(memmap_add(&m, 0x1000, 0, MEM_USABLE, &why), -EINVAL);
    CHECK(why != NULL && strcmp(why, "zero-length entry") == 0);
    why = NULL;
    CHECK_EQ(memmap_add(&m, UINT64_MAX - 10, 100, MEM_USABLE, &why), -EINVAL);
    CHECK(why != NULL && strcmp(why, "entry wraps past 2^64") == 0);
    CHECK_EQ(memmap_add(&m, 1, UINT64_MAX, MEM_USABLE, &why), -EINVAL);
    CHECK_EQ(memmap_add(&m, 0x1000, 0, MEM_USABLE, NULL), -EINVAL);
    CHECK_EQ(m.count, 0);
    CHECK_EQ(memmap_add(&m, UINT64_MAX - 10, 10, MEM_RESERVED, &why), 0); /* ends at 2^64 - 1 */
    CHECK_EQ(memmap_add(&m, 0, UINT64_MAX, MEM_RESERVED, &why), 0);
    CHECK_EQ(m.count, 2);
}

static void test_add_too_many(void)
{
    const char *why = NULL;
    memmap_init(&m);
    for (unsigned i = 0; i < MEMMAP_MAX; i++)
        add((uint64_t)i * 0x1000, 0x1000, i % 2 ? MEM_USABLE : MEM_RESERVED);
    CHECK_EQ(m.count, MEMMAP_MAX);
    CHECK_EQ(memmap_add(&m, 0x1000000, 0x1000, MEM_USABLE, &why), -ENOSPC);
    CHECK(why != NULL && strcmp(why, "too many entries") == 0);
    CHECK_EQ(m.count, MEMMAP_MAX);
    /* A full map of alternating types sanitizes to itself. */
    CHECK_EQ(memmap_sanitize(&m, &why), 0);
    CHECK_EQ(m.count, MEMMAP_MAX);
    check_shape(&m);
}

static void test_sanitize_empty_or_unusable(void)
{
    const char *why = NULL;
    memmap_init(&m);
    CHECK_EQ(memmap_sanitize(&m, &why), -EINVAL);
    CHECK(why != NULL && strcmp(why, "no entries") == 0);
    add(0, 0x10000, MEM_RESERVED);
    add(0x10000, 0x10000, MEM_ACPI_RECLAIM);
    why = NULL;
    CHECK_EQ(memmap_sanitize(&m, &why), -EINVAL);
    CHECK(why != NULL && strcmp(why, "no usable memory") == 0);
    /* Usable memory entirely covered by a reservation is no usable memory. */
    memmap_init(&m);
    add(0x1000, 0x1000, MEM_USABLE);
    add(0, 0x10000, MEM_BAD);
    CHECK_EQ(memmap_sanitize(&m, &why), -EINVAL);
    CHECK(strcmp(why, "no usable memory") == 0);
    CHECK_EQ(memmap_sanitize(&m, NULL), -EINVAL);
}

static void test_sanitize_sorts_and_merges(void)
{
    memmap_init(&m);
    add(0x300000, 0x100000, MEM_USABLE);
    add(0x100000, 0x100000, MEM_USABLE);
    add(0x200000, 0x100000, MEM_USABLE); /* touches both: all three merge */
    add(0x800000, 0x1000, MEM_USABLE);   /* a gap before it: stays apart */
    add(0x400000, 0x1000, MEM_RESERVED); /* touches, other type: stays apart */
    add(0x0, 0x1000, MEM_RESERVED);
    add(0x800, 0x1000, MEM_RESERVED); /* overlaps the entry above: merges */
    CHECK_EQ(memmap_sanitize(&m, NULL), 0);
    check_shape(&m);
    CHECK_EQ(m.count, 4);
    check_entry(0, 0x0, 0x1800, MEM_RESERVED);
    check_entry(1, 0x100000, 0x300000, MEM_USABLE);
    check_entry(2, 0x400000, 0x1000, MEM_RESERVED);
    check_entry(3, 0x800000, 0x1000, MEM_USABLE);
}

static void test_sanitize_overlap_priority(void)
{
    memmap_init(&m);
    add(0x0, 0x10000, MEM_USABLE);
    add(0x2000, 0x1000, MEM_RESERVED);     /* reserved beats usable */
    add(0x4000, 0x2000, MEM_ACPI_RECLAIM); /* ACPI reclaim (3) beats ... */
    add(0x5000, 0x2000, MEM_RESERVED);     /* ... reserved (2) where they overlap */
    add(0x9000, 0x1000, MEM_KERNEL);
    add(0x9800, 0x1000, MEM_BAD);      /* kernel (6) beats bad (5) */
    add(0xf000, 0x2000, MEM_ACPI_NVS); /* sticks out past the usable end */
    CHECK_EQ(memmap_sanitize(&m, NULL), 0);
    check_shape(&m);
    CHECK_EQ(m.count, 10);
    check_entry(0, 0x0, 0x2000, MEM_USABLE);
    check_entry(1, 0x2000, 0x1000, MEM_RESERVED);
    check_entry(2, 0x3000, 0x1000, MEM_USABLE);
    check_entry(3, 0x4000, 0x2000, MEM_ACPI_RECLAIM);
    check_entry(4, 0x6000, 0x1000, MEM_RESERVED);
    check_entry(5, 0x7000, 0x2000, MEM_USABLE);
    check_entry(6, 0x9000, 0x1000, MEM_KERNEL);
    check_entry(7, 0xa000, 0x800, MEM_BAD);
    check_entry(8, 0xa800, 0x4800, MEM_USABLE);
    check_entry(9, 0xf000, 0x2000, MEM_ACPI_NVS);
}

static void test_sanitize_identical_and_nested(void)
{
    memmap_init(&m);
    add(0x1000, 0x1000, MEM_USABLE);
    add(0x1000, 0x1000, MEM_RESERVED);
    add(0x1000, 0x1000, MEM_USABLE);
    add(0x10000, 0x10000, MEM_USABLE);
    add(0x10000, 0x10000, MEM_USABLE);
    add(0x12000, 0x1000, MEM_USABLE); /* nested, same type */
    CHECK_EQ(memmap_sanitize(&m, NULL), 0);
    check_shape(&m);
    CHECK_EQ(m.count, 2);
    check_entry(0, 0x1000, 0x1000, MEM_RESERVED);
    check_entry(1, 0x10000, 0x10000, MEM_USABLE);
}

static void test_sanitize_realistic_e820(void)
{
    /* What QEMU's firmware reports for 128 MiB, in a scrambled order. */
    memmap_init(&m);
    add(0x100000, 0x7ee0000, 1);
    add(0xfeffc000, 0x4000, 2);
    add(0x0, 0x9fc00, 1);
    add(0x7fe0000, 0x20000, 2);
    add(0x9fc00, 0x400, 2);
    add(0xf0000, 0x10000, 2);
    add(0xfffc0000, 0x40000, 2);
    CHECK_EQ(memmap_sanitize(&m, NULL), 0);
    check_shape(&m);
    CHECK_EQ(m.count, 7);
    check_entry(0, 0x0, 0x9fc00, MEM_USABLE);
    check_entry(1, 0x9fc00, 0x400, MEM_RESERVED);
    check_entry(2, 0xf0000, 0x10000, MEM_RESERVED);
    check_entry(3, 0x100000, 0x7ee0000, MEM_USABLE);
    check_entry(4, 0x7fe0000, 0x20000, MEM_RESERVED);
    check_entry(5, 0xfeffc000, 0x4000, MEM_RESERVED);
    check_entry(6, 0xfffc0000, 0x40000, MEM_RESERVED);
    CHECK_EQ(memmap_usable_pages(&m), 0x9f + 0x7ee0);
    CHECK_EQ(memmap_highest_end(&m), 0x7fe0000);
}

static void test_sanitize_result_too_big(void)
{
    /* One big usable range cut by 127 holes would need 255 entries. */
    const char *why = NULL;
    memmap_init(&m);
    add(0, 0x10000000, MEM_USABLE);
    for (unsigned i = 0; i < MEMMAP_MAX - 1; i++)
        add(0x10000 + (uint64_t)i * 0x10000, 0x1000, MEM_RESERVED);
    CHECK_EQ(memmap_sanitize(&m, &why), -ENOSPC);
    CHECK(why != NULL && strcmp(why, "too many entries") == 0);
    CHECK_EQ(m.count, MEMMAP_MAX); /* the old entries are kept */
    CHECK_EQ(memmap_total(&m, MEM_USABLE), 0x10000000);
    CHECK_EQ(memmap_total(&m, MEM_RESERVED), (MEMMAP_MAX - 1) * 0x1000);
}

static void setup_simple(void)
{
    memmap_init(&m);
    add(0x0, 0x9f000, MEM_USABLE);
    add(0x100000, 0xf00000, MEM_USABLE);
    add(0xf0000, 0x10000, MEM_RESERVED);
    CHECK_EQ(memmap_sanitize(&m, NULL), 0);
    CHECK_EQ(m.count, 3);
}

static void test_carve_middle_and_edges(void)
{
    setup_simple();
    /* The kernel image in the middle of RAM: one entry becomes three. */
    CHECK_EQ(memmap_carve(&m, 0x200000, 0x80000, MEM_KERNEL, NULL), 0);
    check_shape(&m);
    CHECK_EQ(m.count, 5);
    check_entry(2, 0x100000, 0x100000, MEM_USABLE);
    check_entry(3, 0x200000, 0x80000, MEM_KERNEL);
    check_entry(4, 0x280000, 0xd80000, MEM_USABLE);
    /* A module right after the kernel, at the start of an entry. */
    CHECK_EQ(memmap_carve(&m, 0x280000, 0x1000, MEM_BOOT_MODULE, NULL), 0);
    check_shape(&m);
    CHECK_EQ(m.count, 6);
    check_entry(4, 0x280000, 0x1000, MEM_BOOT_MODULE);
    check_entry(5, 0x281000, 0xd7f000, MEM_USABLE);
    /* At the very end of the last entry. */
    CHECK_EQ(memmap_carve(&m, 0xfff000, 0x1000, MEM_BAD, NULL), 0);
    check_shape(&m);
    CHECK_EQ(m.count, 7);
    check_entry(5, 0x281000, 0xd7e000, MEM_USABLE);
    check_entry(6, 0xfff000, 0x1000, MEM_BAD);
    /* More kernel right after the kernel merges with it. */
    CHECK_EQ(memmap_carve(&m, 0x1ff000, 0x1000, MEM_KERNEL, NULL), 0);
    check_shape(&m);
    check_entry(3, 0x1ff000, 0x81000, MEM_KERNEL);
}

static void test_carve_across_entries_and_gaps(void)
{
    setup_simple();
    /* From inside the low RAM, over the gap and the BIOS area, into high RAM. */
    CHECK_EQ(memmap_carve(&m, 0x90000, 0x80000, MEM_RESERVED, NULL), 0);
    check_shape(&m);
    CHECK_EQ(m.count, 3);
    check_entry(0, 0x0, 0x90000, MEM_USABLE);
    check_entry(1, 0x90000, 0x80000, MEM_RESERVED);
    check_entry(2, 0x110000, 0xef0000, MEM_USABLE);
    /* In a gap beyond the end: a new entry. */
    CHECK_EQ(memmap_carve(&m, 0x10000000, 0x1000, MEM_BOOT_MODULE, NULL), 0);
    check_shape(&m);
    CHECK_EQ(m.count, 4);
    check_entry(3, 0x10000000, 0x1000, MEM_BOOT_MODULE);
    /* Covering everything: one entry. */
    CHECK_EQ(memmap_carve(&m, 0, 0x20000000, MEM_USABLE, NULL), 0);
    CHECK_EQ(m.count, 1);
    check_entry(0, 0, 0x20000000, MEM_USABLE);
    /* Into an empty map. */
    memmap_init(&m);
    CHECK_EQ(memmap_carve(&m, 0x5000, 0x1000, MEM_KERNEL, NULL), 0);
    CHECK_EQ(m.count, 1);
    check_entry(0, 0x5000, 0x1000, MEM_KERNEL);
}

static void test_carve_same_type_and_exact(void)
{
    setup_simple();
    CHECK_EQ(memmap_carve(&m, 0x200000, 0x1000, MEM_USABLE, NULL), 0); /* already usable */
    CHECK_EQ(m.count, 3);
    check_entry(2, 0x100000, 0xf00000, MEM_USABLE);
    CHECK_EQ(memmap_carve(&m, 0xf0000, 0x10000, MEM_ACPI_NVS, NULL), 0); /* exactly one entry */
    CHECK_EQ(m.count, 3);
    check_entry(1, 0xf0000, 0x10000, MEM_ACPI_NVS);
    /* Filling the gap with usable memory joins all three entries' neighbours. */
    CHECK_EQ(memmap_carve(&m, 0x9f000, 0x51000, MEM_USABLE, NULL), 0);
    CHECK_EQ(m.count, 3);
    check_entry(0, 0x0, 0xf0000, MEM_USABLE);
    CHECK_EQ(memmap_carve(&m, 0xf0000, 0x10000, MEM_USABLE, NULL), 0);
    CHECK_EQ(m.count, 1);
    check_entry(0, 0, 0x1000000, MEM_USABLE);
}

static void test_carve_errors(void)
{
    const char *why = NULL;
    setup_simple();
    struct memmap before = m;
    CHECK_EQ(memmap_carve(&m, 0x1000, 0, MEM_KERNEL, &why), -EINVAL);
    CHECK(strcmp(why, "zero-length entry") == 0);
    CHECK_EQ(memmap_carve(&m, UINT64_MAX, 2, MEM_KERNEL, &why), -EINVAL);
    CHECK(strcmp(why, "entry wraps past 2^64") == 0);
    CHECK(memcmp(&before, &m, sizeof(m)) == 0);

    /* A full map: a split needs room, a merge or a replacement does not. */
    memmap_init(&m);
    for (unsigned i = 0; i < MEMMAP_MAX; i++)
        add((uint64_t)i * 0x10000, 0x8000, i % 2 ? MEM_USABLE : MEM_RESERVED);
    CHECK_EQ(memmap_sanitize(&m, NULL), 0);
    CHECK_EQ(m.count, MEMMAP_MAX);
    before = m;
    why = NULL;
    CHECK_EQ(memmap_carve(&m, 0x11000, 0x1000, MEM_KERNEL, &why), -ENOSPC); /* split */
    CHECK(why != NULL && strcmp(why, "too many entries") == 0);
    CHECK_EQ(memmap_carve(&m, 0x18000, 0x1000, MEM_KERNEL, &why), -ENOSPC); /* new in a gap */
    CHECK(memcmp(&before, &m, sizeof(m)) == 0);
    CHECK_EQ(memmap_carve(&m, 0x18000, 0x1000, MEM_USABLE, &why), 0); /* extends its left */
    CHECK_EQ(m.count, MEMMAP_MAX);
    CHECK_EQ(memmap_carve(&m, 0x20000, 0x8000, MEM_KERNEL, &why), 0); /* replaces one */
    CHECK_EQ(m.count, MEMMAP_MAX);
    CHECK_EQ(memmap_carve(&m, 0x0, 0x40000, MEM_BAD, &why), 0); /* swallows several */
    CHECK(m.count < MEMMAP_MAX);
    check_shape(&m);
}

static void test_totals_and_pages(void)
{
    memmap_init(&m);
    add(0x0, 0x9fc00, MEM_USABLE);     /* 159 whole pages */
    add(0x100800, 0x2000, MEM_USABLE); /* unaligned both ends: 1 whole page */
    add(0x200000, 0x800, MEM_USABLE);  /* less than a page */
    add(0x300000, 0x10000, MEM_KERNEL);
    add(0x400000, 0x1000, MEM_ACPI_RECLAIM);
    add(0x500000, 0x1000, MEM_RESERVED);
    add(0xfee00000, 0x1000, MEM_BAD);
    CHECK_EQ(memmap_total(&m, MEM_USABLE), 0x9fc00 + 0x2000 + 0x800);
    CHECK_EQ(memmap_total(&m, MEM_KERNEL), 0x10000);
    CHECK_EQ(memmap_total(&m, MEM_ACPI_NVS), 0);
    CHECK_EQ(memmap_usable_pages(&m), 159 + 1);
    CHECK_EQ(memmap_highest_end(&m), 0x401000); /* reserved and bad do not count */
    add(0x600000, 0x1000, MEM_BOOT_MODULE);
    CHECK_EQ(memmap_highest_end(&m), 0x601000);
    memmap_init(&m);
    CHECK_EQ(memmap_highest_end(&m), 0);
    CHECK_EQ(memmap_usable_pages(&m), 0);
    add(UINT64_MAX - 0x2000, 0x2000, MEM_USABLE); /* near the top of the address space */
    CHECK_EQ(memmap_usable_pages(&m), 1);
    CHECK_EQ(memmap_highest_end(&m), UINT64_MAX);
}

static void test_type_names(void)
{
    CHECK(strcmp(memmap_type_name(MEM_USABLE), "usable") == 0);
    CHECK(strcmp(memmap_type_name(MEM_RESERVED), "reserved") == 0);
    CHECK(strcmp(memmap_type_name(MEM_ACPI_RECLAIM), "ACPI reclaimable") == 0);
    CHECK(strcmp(memmap_type_name(MEM_ACPI_NVS), "ACPI NVS") == 0);
    CHECK(strcmp(memmap_type_name(MEM_BAD), "bad") == 0);
    CHECK(strcmp(memmap_type_name(MEM_KERNEL), "kernel") == 0);
    CHECK(strcmp(memmap_type_name(MEM_BOOT_MODULE), "boot module") == 0);
    CHECK(strcmp(memmap_type_name(0), "unknown") == 0);
    CHECK(strcmp(memmap_type_name(99), "unknown") == 0);
}

/* ---- randomized comparison with a byte-by-byte model ---- */

#define SPACE 600

static uint8_t model[SPACE]; /* type of each address, 0 = not in the map */

static void check_against_model(void)
{
    static uint8_t seen[SPACE];
    memset(seen, 0, sizeof(seen));
    check_shape(&m);
    for (unsigned i = 0; i < m.count; i++) {
        for (uint64_t a = m.e[i].base; a < m.e[i].base + m.e[i].length && a < SPACE; a++)
            seen[a] = (uint8_t)m.e[i].type;
        CHECK(m.e[i].base + m.e[i].length <= SPACE);
    }
    CHECK(memcmp(seen, model, SPACE) == 0);
}

static void test_random_sanitize_and_carve(void)
{
    int failed_before = unit_failed_checks;
    srand(99);
    for (int round = 0; round < 3000 && unit_failed_checks == failed_before; round++) {
        memmap_init(&m);
        memset(model, 0, sizeof(model));
        unsigned n = 1 + (unsigned)rand() % 20;
        for (unsigned i = 0; i < n; i++) {
            uint64_t base = (uint64_t)rand() % (SPACE - 1);
            uint64_t len = 1 + (uint64_t)rand() % (SPACE - base < 120 ? SPACE - base : 120);
            uint32_t type = 1 + (uint32_t)rand() % 7;
            if (rand() % 3 == 0)
                type = MEM_USABLE;
            add(base, len, type);
            for (uint64_t a = base; a < base + len; a++) {
                if (type > model[a])
                    model[a] = (uint8_t)type;
            }
        }
        bool any_usable = memchr(model, MEM_USABLE, SPACE) != NULL;
        int rc = memmap_sanitize(&m, NULL);
        CHECK_EQ(rc, any_usable ? 0 : -EINVAL);
        check_against_model();
        for (int c = 0; c < 10; c++) {
            uint64_t base = (uint64_t)rand() % (SPACE - 1);
            uint64_t len = 1 + (uint64_t)rand() % (SPACE - base < 80 ? SPACE - base : 80);
            uint32_t type = 1 + (uint32_t)rand() % 7;
            CHECK_EQ(memmap_carve(&m, base, len, type, NULL), 0);
            memset(model + base, (int)type, len);
            check_against_model();
        }
        uint64_t usable = 0;
        for (unsigned a = 0; a < SPACE; a++)
            usable += model[a] == MEM_USABLE;
        CHECK_EQ(memmap_total(&m, MEM_USABLE), usable);
    }
}

int main(void)
{
    unit_run("memmap", "init_and_add", test_init_and_add);
    unit_run("memmap", "add_unknown_type_is_reserved", test_add_unknown_type_is_reserved);
    unit_run("memmap", "add_errors", test_add_errors);
    unit_run("memmap", "add_too_many", test_add_too_many);
    unit_run("memmap", "sanitize_empty_or_unusable", test_sanitize_empty_or_unusable);
    unit_run("memmap", "sanitize_sorts_and_merges", test_sanitize_sorts_and_merges);
    unit_run("memmap", "sanitize_overlap_priority", test_sanitize_overlap_priority);
    unit_run("memmap", "sanitize_identical_and_nested", test_sanitize_identical_and_nested);
    unit_run("memmap", "sanitize_realistic_e820", test_sanitize_realistic_e820);
    unit_run("memmap", "sanitize_result_too_big", test_sanitize_result_too_big);
    unit_run("memmap", "carve_middle_and_edges", test_carve_middle_and_edges);
    unit_run("memmap", "carve_across_entries_and_gaps", test_carve_across_entries_and_gaps);
    unit_run("memmap", "carve_same_type_and_exact", test_carve_same_type_and_exact);
    unit_run("memmap", "carve_errors", test_carve_errors);
    unit_run("memmap", "totals_and_pages", test_totals_and_pages);
    unit_run("memmap", "type_names", test_type_names);
    unit_run("memmap", "random_sanitize_and_carve", test_random_sanitize_and_carve);
    return unit_exit_code();
}
