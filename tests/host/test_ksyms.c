/*
 * test_ksyms.c - host tests for kernel/core/ksyms.c (symbol lookup by address).
 *
 * The tables here are laid out exactly as tools/mksyms.py generates them.
 */
#include <stdint.h>
#include <string.h>

#include <mica/ksyms.h>
#include "unit.h"

static const uint64_t addrs[] = {0xffffffff80100000ULL, 0xffffffff80100040ULL,
                                 0xffffffff80100100ULL, 0xffffffff80100180ULL};
static const uint32_t name_offsets[] = {0, 7, 13, 24};
static const char names[] = "_start\0kmain\0panic_halt\0idle_loop";

static const struct ksym_table table = {4, addrs, name_offsets, names};

/* Look addr up and check both the name and the offset. */
static void check_lookup(const struct ksym_table *t, uint64_t addr, const char *want_name,
                         uint64_t want_offset)
{
    uint64_t offset = 12345;
    const char *name = ksym_lookup_in(t, addr, &offset);

    CHECK(name != NULL);
    if (name == NULL)
        return;
    CHECK(strcmp(name, want_name) == 0);
    CHECK_EQ(offset, want_offset);
}

static void test_exact(void)
{
    check_lookup(&table, 0xffffffff80100000ULL, "_start", 0);
    check_lookup(&table, 0xffffffff80100040ULL, "kmain", 0);
    check_lookup(&table, 0xffffffff80100100ULL, "panic_halt", 0);
    check_lookup(&table, 0xffffffff80100180ULL, "idle_loop", 0);
}

static void test_inside(void)
{
    check_lookup(&table, 0xffffffff80100001ULL, "_start", 1);
    check_lookup(&table, 0xffffffff8010003fULL, "_start", 0x3f);
    check_lookup(&table, 0xffffffff80100041ULL, "kmain", 1);
    check_lookup(&table, 0xffffffff801000ffULL, "kmain", 0xbf);
    check_lookup(&table, 0xffffffff80100123ULL, "panic_halt", 0x23);
}

/* Past the last symbol, the last one is the nearest guess. */
static void test_after_last(void)
{
    check_lookup(&table, 0xffffffff80100200ULL, "idle_loop", 0x80);
    check_lookup(&table, UINT64_MAX, "idle_loop", UINT64_MAX - 0xffffffff80100180ULL);
}

static void test_before_first(void)
{
    uint64_t offset = 777;

    CHECK(ksym_lookup_in(&table, 0xffffffff800fffffULL, &offset) == NULL);
    CHECK(ksym_lookup_in(&table, 0, &offset) == NULL);
    CHECK_EQ(offset, 777); /* untouched on failure */
}

/* An empty table (the first link, before the real table exists) finds nothing. */
static void test_empty(void)
{
    static const uint64_t no_addrs[1] = {0};
    static const uint32_t no_offsets[1] = {0};
    const struct ksym_table empty = {0, no_addrs, no_offsets, ""};

    CHECK(ksym_lookup_in(&empty, 0, NULL) == NULL);
    CHECK(ksym_lookup_in(&empty, 0xffffffff80100000ULL, NULL) == NULL);
    CHECK(ksym_lookup_in(NULL, 0xffffffff80100000ULL, NULL) == NULL);
}

/* One symbol, and a NULL offset pointer. */
static void test_single(void)
{
    const struct ksym_table one = {1, addrs, name_offsets, names};

    CHECK(ksym_lookup_in(&one, 0xffffffff80100000ULL - 1, NULL) == NULL);
    const char *name = ksym_lookup_in(&one, 0xffffffff80100500ULL, NULL);
    CHECK(name != NULL && strcmp(name, "_start") == 0);
}

/* Every address in a larger table maps to the right symbol. */
static void test_many(void)
{
    static uint64_t many_addrs[100];
    static uint32_t many_offsets[100];
    static char many_names[100 * 2];

    for (int i = 0; i < 100; i++) {
        many_addrs[i] = 0x1000 + (uint64_t)i * 0x10;
        many_offsets[i] = (uint32_t)i * 2;
        many_names[i * 2] = (char)('!' + i % 90);
        many_names[i * 2 + 1] = '\0';
    }
    const struct ksym_table many = {100, many_addrs, many_offsets, many_names};

    for (uint64_t addr = 0x1000; addr < 0x1000 + 100 * 0x10 + 0x20; addr++) {
        uint64_t offset;
        const char *name = ksym_lookup_in(&many, addr, &offset);
        uint64_t i = (addr - 0x1000) / 0x10;
        if (i > 99)
            i = 99;
        CHECK(name == many_names + i * 2);
        CHECK_EQ(offset, addr - many_addrs[i]);
    }
}

int main(void)
{
    unit_run("ksyms", "exact", test_exact);
    unit_run("ksyms", "inside", test_inside);
    unit_run("ksyms", "after_last", test_after_last);
    unit_run("ksyms", "before_first", test_before_first);
    unit_run("ksyms", "empty", test_empty);
    unit_run("ksyms", "single", test_single);
    unit_run("ksyms", "many", test_many);
    return unit_exit_code();
}
