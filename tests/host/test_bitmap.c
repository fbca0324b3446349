/* test_bitmap.c - host tests for kernel/lib/bitmap.c (bit vectors). */
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include <mica/bitmap.h>

static void test_words_macro(void)
{
    CHECK_EQ(BITMAP_WORDS(0), 0);
    CHECK_EQ(BITMAP_WORDS(1), 1);
    CHECK_EQ(BITMAP_WORDS(64), 1);
    CHECK_EQ(BITMAP_WORDS(65), 2);
    CHECK_EQ(BITMAP_WORDS(128), 2);
    CHECK_EQ(BITMAP_WORDS(129), 3);
}

static void test_set_clear_test(void)
{
    uint64_t map[3] = {0, 0, 0};
    bitmap_set(map, 0);
    bitmap_set(map, 63);
    bitmap_set(map, 64);
    bitmap_set(map, 191);
    CHECK(map[0] == (1ull | (1ull << 63)));
    CHECK(map[1] == 1ull);
    CHECK(map[2] == (1ull << 63));
    CHECK(bitmap_test(map, 0));
    CHECK(bitmap_test(map, 63));
    CHECK(bitmap_test(map, 64));
    CHECK(bitmap_test(map, 191));
    CHECK(!bitmap_test(map, 1));
    CHECK(!bitmap_test(map, 65));
    bitmap_set(map, 0); /* setting twice is harmless */
    CHECK(bitmap_test(map, 0));
    bitmap_clear(map, 63);
    bitmap_clear(map, 64);
    CHECK(!bitmap_test(map, 63));
    CHECK(!bitmap_test(map, 64));
    CHECK(map[1] == 0);
    bitmap_clear(map, 64); /* clearing twice is harmless */
    CHECK(map[1] == 0);
    CHECK(bitmap_test(map, 0));
}

static void test_find_first_zero(void)
{
    uint64_t map[3] = {0, 0, 0};
    CHECK_EQ(bitmap_find_first_zero(map, 150), 0);
    map[0] = ~0ull;
    CHECK_EQ(bitmap_find_first_zero(map, 150), 64);
    map[1] = ~0ull ^ (1ull << 17);
    CHECK_EQ(bitmap_find_first_zero(map, 150), 81);
    map[1] = ~0ull;
    CHECK_EQ(bitmap_find_first_zero(map, 150), 128);
    map[2] = ~0ull;
    CHECK_EQ(bitmap_find_first_zero(map, 150), 150);
    CHECK_EQ(bitmap_find_first_zero(map, 192), 192);
    CHECK_EQ(bitmap_find_first_zero(map, 0), 0);
}

static void test_find_first_zero_ignores_tail(void)
{
    /* Bits past nbits are clear, but they must not be reported. */
    uint64_t map[2] = {~0ull, (1ull << 6) - 1};
    CHECK_EQ(bitmap_find_first_zero(map, 70), 70);
    CHECK_EQ(bitmap_find_first_zero(map, 71), 70);
    CHECK_EQ(bitmap_find_first_zero(map, 64), 64);
    uint64_t small = 0x7;
    CHECK_EQ(bitmap_find_first_zero(&small, 3), 3);
    CHECK_EQ(bitmap_find_first_zero(&small, 4), 3);
}

static void test_find_next_set(void)
{
    uint64_t map[3] = {0, 0, 0};
    CHECK_EQ(bitmap_find_next_set(map, 192, 0), 192);
    bitmap_set(map, 5);
    bitmap_set(map, 64);
    bitmap_set(map, 130);
    CHECK_EQ(bitmap_find_next_set(map, 192, 0), 5);
    CHECK_EQ(bitmap_find_next_set(map, 192, 5), 5);
    CHECK_EQ(bitmap_find_next_set(map, 192, 6), 64);
    CHECK_EQ(bitmap_find_next_set(map, 192, 64), 64);
    CHECK_EQ(bitmap_find_next_set(map, 192, 65), 130);
    CHECK_EQ(bitmap_find_next_set(map, 192, 131), 192);
    CHECK_EQ(bitmap_find_next_set(map, 130, 65), 130); /* bit 130 is past the end */
    CHECK_EQ(bitmap_find_next_set(map, 192, 192), 192);
    CHECK_EQ(bitmap_find_next_set(map, 192, 500), 192);
    bitmap_set(map, 191);
    CHECK_EQ(bitmap_find_next_set(map, 192, 131), 191);
}

static void test_count(void)
{
    uint64_t map[3] = {0, 0, 0};
    CHECK_EQ(bitmap_count(map, 192), 0);
    map[0] = ~0ull;
    map[1] = 0xff;
    map[2] = ~0ull;
    CHECK_EQ(bitmap_count(map, 192), 64 + 8 + 64);
    CHECK_EQ(bitmap_count(map, 64), 64);
    CHECK_EQ(bitmap_count(map, 68), 68);
    CHECK_EQ(bitmap_count(map, 130), 64 + 8 + 2);
    CHECK_EQ(bitmap_count(map, 0), 0);
    CHECK_EQ(bitmap_count(map, 1), 1);
}

static void test_fill_range(void)
{
    uint64_t map[4] = {0, 0, 0, 0};
    bitmap_fill_range(map, 3, 0, true);
    CHECK_EQ(bitmap_count(map, 256), 0);
    bitmap_fill_range(map, 60, 10, true); /* crosses a word boundary */
    CHECK_EQ(bitmap_count(map, 256), 10);
    CHECK(!bitmap_test(map, 59));
    CHECK(bitmap_test(map, 60));
    CHECK(bitmap_test(map, 69));
    CHECK(!bitmap_test(map, 70));
    bitmap_fill_range(map, 0, 256, true);
    CHECK_EQ(bitmap_count(map, 256), 256);
    bitmap_fill_range(map, 1, 254, false);
    CHECK_EQ(bitmap_count(map, 256), 2);
    CHECK(bitmap_test(map, 0));
    CHECK(bitmap_test(map, 255));
    bitmap_fill_range(map, 64, 64, true); /* exactly one word */
    CHECK(map[1] == ~0ull);
    CHECK_EQ(bitmap_count(map, 256), 66);
}

/* Compare every operation against a plain array of bools. */
static void test_random_against_model(void)
{
    enum { NBITS = 333 };
    uint64_t map[BITMAP_WORDS(NBITS)];
    bool model[NBITS];
    memset(map, 0, sizeof(map));
    memset(model, 0, sizeof(model));
    int failed_before = unit_failed_checks;
    srand(1234);
    for (int round = 0; round < 20000; round++) {
        size_t a = (size_t)rand() % NBITS;
        switch (rand() % 4) {
        case 0:
            bitmap_set(map, a);
            model[a] = true;
            break;
        case 1:
            bitmap_clear(map, a);
            model[a] = false;
            break;
        case 2: {
            size_t n = (size_t)rand() % (NBITS - a + 1);
            bool v = rand() % 2;
            bitmap_fill_range(map, a, n, v);
            for (size_t i = a; i < a + n; i++)
                model[i] = v;
            break;
        }
        default:
            break;
        }
        size_t count = 0, first_zero = NBITS, next_set = NBITS;
        for (size_t i = 0; i < NBITS; i++) {
            count += model[i];
            if (!model[i] && first_zero == NBITS)
                first_zero = i;
        }
        for (size_t i = a; i < NBITS; i++) {
            if (model[i]) {
                next_set = i;
                break;
            }
        }
        CHECK_EQ(bitmap_count(map, NBITS), count);
        CHECK_EQ(bitmap_find_first_zero(map, NBITS), first_zero);
        CHECK_EQ(bitmap_find_next_set(map, NBITS, a), next_set);
        CHECK_EQ(bitmap_test(map, a), model[a]);
        if (unit_failed_checks != failed_before)
            return; /* one report is enough */
    }
}

static void test_iterate_set_bits(void)
{
    uint64_t map[4] = {0, 0, 0, 0};
    size_t want[] = {0, 1, 63, 64, 100, 200, 255};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        bitmap_set(map, want[i]);
    size_t seen = 0;
    for (size_t b = bitmap_find_next_set(map, 256, 0); b < 256;
         b = bitmap_find_next_set(map, 256, b + 1)) {
        CHECK(seen < sizeof(want) / sizeof(want[0]));
        if (seen < sizeof(want) / sizeof(want[0]))
            CHECK_EQ(b, want[seen]);
        seen++;
    }
    CHECK_EQ(seen, sizeof(want) / sizeof(want[0]));
}

int main(void)
{
    unit_run("bitmap", "words_macro", test_words_macro);
    unit_run("bitmap", "set_clear_test", test_set_clear_test);
    unit_run("bitmap", "find_first_zero", test_find_first_zero);
    unit_run("bitmap", "find_first_zero_ignores_tail", test_find_first_zero_ignores_tail);
    unit_run("bitmap", "find_next_set", test_find_next_set);
    unit_run("bitmap", "count", test_count);
    unit_run("bitmap", "fill_range", test_fill_range);
    unit_run("bitmap", "iterate_set_bits", test_iterate_set_bits);
    unit_run("bitmap", "random_against_model", test_random_against_model);
    return unit_exit_code();
}
