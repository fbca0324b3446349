/*
 * test_str.c - host tests for lib/mica/str.c: string searching, strlcpy and
 * number parsing.  The host's C library is the reference: strtoul, strtol,
 * memchr, strrchr and strstr of lib/mica must give the same results (and
 * the same end pointers) for many inputs.
 *
 * The functions have the C library's names, so this file includes str.c
 * with them renamed, and keeps the host's own versions for comparison.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define memchr  mica_memchr
#define strrchr mica_strrchr
#define strstr  mica_strstr
#define strlcpy mica_strlcpy
#define strtoul mica_strtoul
#define strtol  mica_strtol
#include "../../lib/mica/str.c"
#undef memchr
#undef strrchr
#undef strstr
#undef strlcpy
#undef strtoul
#undef strtol

static const char *numbers[] = {
    "0",
    "1",
    "-1",
    "+7",
    "  42",
    "\t\n 17x",
    "007",
    "08",
    "0x",
    "0x1g",
    "0X1F",
    "0xffffffffffffffff",
    "0x10000000000000000",
    "18446744073709551615",
    "18446744073709551616",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "-18446744073709551615",
    "-18446744073709551616",
    "z",
    "Zz",
    "",
    " ",
    "-",
    "+",
    "- 1",
    "0b101",
    "777777777777777777777777",
    "123abc",
    "1e5",
    "0x-1",
    "-0x10",
    "  +0x7fffffffffffffff",
    "99999999999999999999999999",
};

static const int bases[] = {0, 2, 8, 10, 16, 36};

static void test_strtoul_like_libc(void)
{
    for (unsigned i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        for (unsigned b = 0; b < sizeof bases / sizeof bases[0]; b++) {
            char *want_end, *got_end;
            unsigned long want = strtoul(numbers[i], &want_end, bases[b]);
            unsigned long got = mica_strtoul(numbers[i], &got_end, bases[b]);
            if (want != got || want_end != got_end) {
                fprintf(stderr, "  strtoul(\"%s\", %d): want %lu end +%td, got %lu end +%td\n",
                        numbers[i], bases[b], want, want_end - numbers[i], got,
                        got_end - numbers[i]);
                unit_failed_checks++;
            }
        }
    }
}

static void test_strtol_like_libc(void)
{
    for (unsigned i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        for (unsigned b = 0; b < sizeof bases / sizeof bases[0]; b++) {
            char *want_end, *got_end;
            long want = strtol(numbers[i], &want_end, bases[b]);
            long got = mica_strtol(numbers[i], &got_end, bases[b]);
            if (want != got || want_end != got_end) {
                fprintf(stderr, "  strtol(\"%s\", %d): want %ld end +%td, got %ld end +%td\n",
                        numbers[i], bases[b], want, want_end - numbers[i], got,
                        got_end - numbers[i]);
                unit_failed_checks++;
            }
        }
    }
}

/* Bad bases parse nothing. */
static void test_strtoul_bad_base(void)
{
    const char *s = "123";
    char *end = NULL;
    CHECK_EQ(mica_strtoul(s, &end, 1), 0);
    CHECK(end == s);
    CHECK_EQ(mica_strtol(s, &end, 37), 0);
    CHECK(end == s);
    CHECK_EQ(mica_strtol(s, &end, -2), 0);
    CHECK(end == s);
}

static void test_parse_u64(void)
{
    uint64_t v = 12345;
    CHECK_EQ(mica_parse_u64("0", 10, &v), 0);
    CHECK_EQ(v, 0);
    CHECK_EQ(mica_parse_u64("0x1000", 0, &v), 0);
    CHECK_EQ(v, 4096);
    CHECK_EQ(mica_parse_u64("ff", 16, &v), 0);
    CHECK_EQ(v, 255);
    CHECK_EQ(mica_parse_u64("18446744073709551615", 10, &v), 0);
    CHECK(v == UINT64_MAX);
    v = 7;
    CHECK_EQ(mica_parse_u64("18446744073709551616", 10, &v), -MICA_EINVAL);
    CHECK_EQ(mica_parse_u64("", 10, &v), -MICA_EINVAL);
    CHECK_EQ(mica_parse_u64("12x", 10, &v), -MICA_EINVAL);
    CHECK_EQ(mica_parse_u64("-1", 10, &v), -MICA_EINVAL);
    CHECK_EQ(mica_parse_u64("+1", 10, &v), -MICA_EINVAL);
    CHECK_EQ(mica_parse_u64(" 1", 10, &v), -MICA_EINVAL);
    CHECK_EQ(mica_parse_u64("9", 8, &v), -MICA_EINVAL);
    CHECK_EQ(v, 7); /* untouched on error */
}

static void test_search_like_libc(void)
{
    const char *hay[] = {"", "a", "abc", "a/b/c", "/", "hello world", "aaab", "abcabcabd"};
    const char *needles[] = {"", "a", "b", "/", "ab", "abd", "world", "x", "aab", "hello world!"};
    const int chars[] = {'a', 'b', '/', '\0', 'x', 'c', 0x100 + 'a'};
    for (unsigned h = 0; h < sizeof hay / sizeof hay[0]; h++) {
        size_t len = strlen(hay[h]) + 1;
        for (unsigned c = 0; c < sizeof chars / sizeof chars[0]; c++) {
            CHECK(mica_strrchr(hay[h], chars[c]) == strrchr(hay[h], chars[c]));
            for (size_t n = 0; n <= len; n++)
                CHECK(mica_memchr(hay[h], chars[c], n) == memchr(hay[h], chars[c], n));
        }
        for (unsigned n = 0; n < sizeof needles / sizeof needles[0]; n++)
            CHECK(mica_strstr(hay[h], needles[n]) == strstr(hay[h], needles[n]));
    }
}

static void test_strlcpy(void)
{
    char buf[8];
    memset(buf, 'z', sizeof buf);
    CHECK_EQ(mica_strlcpy(buf, "hello", sizeof buf), 5);
    CHECK(strcmp(buf, "hello") == 0);
    CHECK_EQ(mica_strlcpy(buf, "much too long", sizeof buf), 13);
    CHECK(strcmp(buf, "much to") == 0);
    buf[0] = 'q';
    CHECK_EQ(mica_strlcpy(buf, "abc", 0), 3);
    CHECK_EQ(buf[0], 'q'); /* size 0: nothing written */
    CHECK_EQ(mica_strlcpy(buf, "abc", 1), 3);
    CHECK_EQ(buf[0], '\0');
}

int main(void)
{
    unit_run("str", "strtoul_like_libc", test_strtoul_like_libc);
    unit_run("str", "strtol_like_libc", test_strtol_like_libc);
    unit_run("str", "strtoul_bad_base", test_strtoul_bad_base);
    unit_run("str", "parse_u64", test_parse_u64);
    unit_run("str", "search_like_libc", test_search_like_libc);
    unit_run("str", "strlcpy", test_strlcpy);
    return unit_exit_code();
}
