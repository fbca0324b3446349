/*
 * test_format.c - host tests for kernel/lib/format.c (printf-style formatting).
 *
 * Most tests generate many format strings (every mix of flags, width,
 * precision, length modifier and conversion) and compare ksnprintf's output
 * with the host C library's snprintf, which is the reference.  %p, NULL
 * strings and bad conversions, where Mica deliberately differs or the C
 * standard leaves the result undefined, are checked against fixed strings.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <mica/format.h>
#include "unit.h"

/* Report only the first few mismatches; one bug can break thousands of cases. */
#define MAX_REPORTS 20
static int reports;
static int cases;

static void report(const char *fmt, const char *want, int wn, const char *got, int gn)
{
    unit_failed_checks++;
    if (reports++ < MAX_REPORTS)
        fprintf(stderr, "  format \"%s\": want \"%s\" (%d), got \"%s\" (%d)\n", fmt, want, wn, got,
                gn);
}

static void compare(const char *fmt, const char *want, int wn, const char *got, int gn)
{
    cases++;
    if (wn != gn || strcmp(want, got) != 0)
        report(fmt, want, wn, got, gn);
}

/* The C type that an integer argument must have for a given length modifier. */
enum argtype {
    ARG_INT,
    ARG_UINT,
    ARG_LONG,
    ARG_ULONG,
    ARG_LLONG,
    ARG_ULLONG,
    ARG_SIZE,
    ARG_PTRDIFF,
    ARG_INTMAX,
    ARG_UINTMAX,
};

/* Format one integer v, passed with the given type, both ways and compare. */
static void check_int(const char *fmt, enum argtype type, long long v)
{
    char want[256], got[256];
    int wn, gn;

    switch (type) {
    case ARG_INT:
        wn = snprintf(want, sizeof(want), fmt, (int)v);
        gn = ksnprintf(got, sizeof(got), fmt, (int)v);
        break;
    case ARG_UINT:
        wn = snprintf(want, sizeof(want), fmt, (unsigned int)v);
        gn = ksnprintf(got, sizeof(got), fmt, (unsigned int)v);
        break;
    case ARG_LONG:
        wn = snprintf(want, sizeof(want), fmt, (long)v);
        gn = ksnprintf(got, sizeof(got), fmt, (long)v);
        break;
    case ARG_ULONG:
        wn = snprintf(want, sizeof(want), fmt, (unsigned long)v);
        gn = ksnprintf(got, sizeof(got), fmt, (unsigned long)v);
        break;
    case ARG_LLONG:
        wn = snprintf(want, sizeof(want), fmt, v);
        gn = ksnprintf(got, sizeof(got), fmt, v);
        break;
    case ARG_ULLONG:
        wn = snprintf(want, sizeof(want), fmt, (unsigned long long)v);
        gn = ksnprintf(got, sizeof(got), fmt, (unsigned long long)v);
        break;
    case ARG_SIZE:
        wn = snprintf(want, sizeof(want), fmt, (size_t)v);
        gn = ksnprintf(got, sizeof(got), fmt, (size_t)v);
        break;
    case ARG_PTRDIFF:
        wn = snprintf(want, sizeof(want), fmt, (ptrdiff_t)v);
        gn = ksnprintf(got, sizeof(got), fmt, (ptrdiff_t)v);
        break;
    case ARG_INTMAX:
        wn = snprintf(want, sizeof(want), fmt, (intmax_t)v);
        gn = ksnprintf(got, sizeof(got), fmt, (intmax_t)v);
        break;
    default:
        wn = snprintf(want, sizeof(want), fmt, (uintmax_t)v);
        gn = ksnprintf(got, sizeof(got), fmt, (uintmax_t)v);
        break;
    }
    compare(fmt, want, wn, got, gn);
}

/* Which argument type goes with a length modifier and a conversion. */
static enum argtype type_for(const char *len, char conv)
{
    int is_signed = (conv == 'd' || conv == 'i');

    if (strcmp(len, "l") == 0)
        return is_signed ? ARG_LONG : ARG_ULONG;
    if (strcmp(len, "ll") == 0)
        return is_signed ? ARG_LLONG : ARG_ULLONG;
    if (strcmp(len, "z") == 0)
        return ARG_SIZE;
    if (strcmp(len, "t") == 0)
        return ARG_PTRDIFF;
    if (strcmp(len, "j") == 0)
        return is_signed ? ARG_INTMAX : ARG_UINTMAX;
    return is_signed ? ARG_INT : ARG_UINT; /* "", "h", "hh" take an int */
}

static const char *const flag_sets[] = {"",   "-",  "0",  "+",  " ",  "#",   "-0",
                                        "+0", " 0", "#0", "-#", "+ ", "-+#0"};
static const char *const widths[] = {"", "1", "6", "24"};
static const char *const precisions[] = {"", ".", ".0", ".1", ".4", ".25"};
static const char *const lengths[] = {"", "hh", "h", "l", "ll", "z", "t", "j"};
static const char conversions[] = "diuxXo";

static const long long values[] = {0,
                                   1,
                                   -1,
                                   7,
                                   42,
                                   -42,
                                   255,
                                   256,
                                   300,
                                   -129,
                                   65535,
                                   70000,
                                   123456789,
                                   INT_MAX,
                                   INT_MIN,
                                   UINT_MAX,
                                   0x123456789abcdefLL,
                                   LLONG_MAX,
                                   LLONG_MIN};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Every value through one format "%<flags><width><precision><length><conv>". */
static void check_all_values(const char *flags, const char *width, const char *prec,
                             const char *len, char conv)
{
    char fmt[64];
    enum argtype type = type_for(len, conv);

    snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", flags, width, prec, len, conv);
    for (size_t v = 0; v < COUNT(values); v++)
        check_int(fmt, type, values[v]);
}

/* '#' is undefined for d, i and u, so those combinations are left out. */
static void test_integers(void)
{
    cases = 0;
    for (size_t f = 0; f < COUNT(flag_sets); f++)
        for (size_t w = 0; w < COUNT(widths); w++)
            for (size_t p = 0; p < COUNT(precisions); p++)
                for (size_t l = 0; l < COUNT(lengths); l++)
                    for (size_t c = 0; conversions[c] != '\0'; c++) {
                        char conv = conversions[c];
                        int is_hex_or_octal = (conv == 'x' || conv == 'X' || conv == 'o');
                        if (strchr(flag_sets[f], '#') != NULL && !is_hex_or_octal)
                            continue;
                        check_all_values(flag_sets[f], widths[w], precisions[p], lengths[l], conv);
                    }
    CHECK(cases > 100000);
}

/* Width and precision given as arguments with '*', including negative ones. */
static void check_star(const char *fmt, int a, int b, int v)
{
    char want[256], got[256];
    int wn = snprintf(want, sizeof(want), fmt, a, b, v);
    int gn = ksnprintf(got, sizeof(got), fmt, a, b, v);

    compare(fmt, want, wn, got, gn);
}

static void test_star(void)
{
    static const char *const fmts[] = {"[%*.*d]", "[%-*.*d]", "[%0*.*x]", "[%*.*o]", "[%#*.*x]"};
    static const int nums[] = {-10, -1, 0, 1, 3, 10};

    for (size_t f = 0; f < COUNT(fmts); f++)
        for (size_t a = 0; a < COUNT(nums); a++)
            for (size_t b = 0; b < COUNT(nums); b++) {
                check_star(fmts[f], nums[a], nums[b], 0);
                check_star(fmts[f], nums[a], nums[b], -77);
                check_star(fmts[f], nums[a], nums[b], 12345);
            }
    char want[64], got[64];
    int wn = snprintf(want, sizeof(want), "[%*s|%-*c]", 6, "ab", 3, 'z');
    int gn = ksnprintf(got, sizeof(got), "[%*s|%-*c]", 6, "ab", 3, 'z');
    compare("[%*s|%-*c]", want, wn, got, gn);
}

static void test_strings(void)
{
    static const char *const fmts[] = {"[%s]",   "[%10s]",    "[%-10s]", "[%.3s]", "[%10.3s]",
                                       "[%.0s]", "[%-10.0s]", "[%.20s]", "[%1s]"};
    static const char *const strs[] = {"", "a", "abc", "hello world", "0123456789abcdef"};
    char want[64], got[64];

    for (size_t f = 0; f < COUNT(fmts); f++)
        for (size_t s = 0; s < COUNT(strs); s++) {
            int wn = snprintf(want, sizeof(want), fmts[f], strs[s]);
            int gn = ksnprintf(got, sizeof(got), fmts[f], strs[s]);
            compare(fmts[f], want, wn, got, gn);
        }
}

/* A precision must stop %s from reading past the end of an unterminated array. */
static void test_string_precision_unterminated(void)
{
    char raw[3] = {'x', 'y', 'z'};
    char got[16];

    CHECK_EQ(ksnprintf(got, sizeof(got), "%.3s|", raw), 4);
    CHECK(strcmp(got, "xyz|") == 0);
}

/* volatile, so that the compiler cannot see (and warn) that the argument is NULL. */
static const char *volatile null_string = NULL;

static void test_null_string(void)
{
    char got[32];

    CHECK_EQ(ksnprintf(got, sizeof(got), "%s", null_string), 6);
    CHECK(strcmp(got, "(null)") == 0);
    CHECK_EQ(ksnprintf(got, sizeof(got), "[%8s]", null_string), 10);
    CHECK(strcmp(got, "[  (null)]") == 0);
}

static void test_chars(void)
{
    static const char *const fmts[] = {"[%c]", "[%3c]", "[%-3c]", "[%1c]"};
    static const int chars[] = {'a', ' ', '~', 0x7f};
    char want[32], got[32];

    for (size_t f = 0; f < COUNT(fmts); f++)
        for (size_t c = 0; c < COUNT(chars); c++) {
            int wn = snprintf(want, sizeof(want), fmts[f], chars[c]);
            int gn = ksnprintf(got, sizeof(got), fmts[f], chars[c]);
            compare(fmts[f], want, wn, got, gn);
        }
}

/* %c of '\0' writes a real NUL into the middle of the output. */
static void test_nul_char(void)
{
    char got[8];

    memset(got, 'q', sizeof(got));
    CHECK_EQ(ksnprintf(got, sizeof(got), "a%cb", 0), 3);
    CHECK(memcmp(got, "a\0b\0", 4) == 0);
}

static void test_pointer(void)
{
    char got[64];

    CHECK_EQ(ksnprintf(got, sizeof(got), "%p", (void *)0), 18);
    CHECK(strcmp(got, "0x0000000000000000") == 0);
    CHECK_EQ(ksnprintf(got, sizeof(got), "%p", (void *)0x1234), 18);
    CHECK(strcmp(got, "0x0000000000001234") == 0);
    CHECK_EQ(ksnprintf(got, sizeof(got), "%p", (void *)0xffffffff80abcdefULL), 18);
    CHECK(strcmp(got, "0xffffffff80abcdef") == 0);
    CHECK_EQ(ksnprintf(got, sizeof(got), "[%20p]", (void *)0x10), 22);
    CHECK(strcmp(got, "[  0x0000000000000010]") == 0);
    CHECK_EQ(ksnprintf(got, sizeof(got), "[%-20p]", (void *)0x10), 22);
    CHECK(strcmp(got, "[0x0000000000000010  ]") == 0);
}

static void test_mixed(void)
{
    char want[128], got[128];
    const char *fmt = "cpu%u: %s at %#lx, %d%% done, flag %c, %lld bytes";
    int wn = snprintf(want, sizeof(want), fmt, 3u, "lapic", 0xfee00000UL, 50, 'y', -5LL);
    int gn = ksnprintf(got, sizeof(got), fmt, 3u, "lapic", 0xfee00000UL, 50, 'y', -5LL);

    compare(fmt, want, wn, got, gn);
    CHECK_EQ(ksnprintf(got, sizeof(got), "plain text"), 10);
    CHECK(strcmp(got, "plain text") == 0);
    CHECK_EQ(ksnprintf(got, sizeof(got), "%s", ""), 0);
    CHECK(strcmp(got, "") == 0);
}

/* Unknown or unfinished conversions are printed as written. */
static void test_bad_conversions(void)
{
    /*
     * Variables, not literals, so the compiler's format check leaves them
     * alone; the unused extra argument keeps clang's -Wformat-security quiet.
     */
    const char *unknown = "a%qb";
    const char *unfinished = "abc%-5";
    const char *lone = "50%";
    char got[32];

    CHECK_EQ(ksnprintf(got, sizeof(got), unknown, 0), 4);
    CHECK(strcmp(got, "a%qb") == 0);
    CHECK_EQ(ksnprintf(got, sizeof(got), unfinished, 0), 6);
    CHECK(strcmp(got, "abc%-5") == 0);
    CHECK_EQ(ksnprintf(got, sizeof(got), lone, 0), 3);
    CHECK(strcmp(got, "50%") == 0);
}

static void test_truncation(void)
{
    char buf[16];

    /* size 0: nothing is written, not even a NUL; buf may be NULL. */
    memset(buf, 'q', sizeof(buf));
    CHECK_EQ(ksnprintf(buf, 0, "hello %d", 42), 8);
    CHECK(buf[0] == 'q');
    CHECK_EQ(ksnprintf(NULL, 0, "hello %d", 42), 8);

    /* size 1: only the NUL fits. */
    CHECK_EQ(ksnprintf(buf, 1, "hello %d", 42), 8);
    CHECK(buf[0] == '\0' && buf[1] == 'q');

    /* Exact fit: 8 characters and the NUL in 9 bytes. */
    memset(buf, 'q', sizeof(buf));
    CHECK_EQ(ksnprintf(buf, 9, "hello %d", 42), 8);
    CHECK(strcmp(buf, "hello 42") == 0);
    CHECK(buf[9] == 'q');

    /* One byte short: the last character is dropped. */
    memset(buf, 'q', sizeof(buf));
    CHECK_EQ(ksnprintf(buf, 8, "hello %d", 42), 8);
    CHECK(strcmp(buf, "hello 4") == 0);
    CHECK(buf[8] == 'q');

    /* Truncation inside padding. */
    CHECK_EQ(ksnprintf(buf, 5, "%10d", 7), 10);
    CHECK(strcmp(buf, "    ") == 0);
}

/* Every truncation size gives a prefix of the full output and the same count. */
static void test_truncation_all_sizes(void)
{
    const char *fmt = "%-6s|%08.3x|%+d";
    char full[64], buf[64];
    int n = snprintf(full, sizeof(full), fmt, "ab", 0xbeefu, 99);

    for (size_t size = 0; size <= (size_t)n + 2; size++) {
        char want[64];
        memset(buf, 'q', sizeof(buf));
        memset(want, 'q', sizeof(want));
        int wn = snprintf(want, size, fmt, "ab", 0xbeefu, 99);
        int gn = ksnprintf(buf, size, fmt, "ab", 0xbeefu, 99);
        CHECK_EQ(gn, wn);
        CHECK(memcmp(buf, want, sizeof(buf)) == 0);
    }
}

/* kvformat with a custom output function, as the console uses it. */
struct collect {
    char text[64];
    size_t len;
};

static void collect_out(char c, void *ctx)
{
    struct collect *col = ctx;

    if (col->len + 1 < sizeof(col->text))
        col->text[col->len++] = c;
    col->text[col->len] = '\0';
}

static int collect_format(struct collect *col, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int collect_format(struct collect *col, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = kvformat(collect_out, col, fmt, ap);
    va_end(ap);
    return n;
}

static void test_kvformat_callback(void)
{
    struct collect col = {{0}, 0};

    CHECK_EQ(collect_format(&col, "x=%d y=%s", -3, "ok"), 9);
    CHECK_EQ(col.len, 9);
    CHECK(strcmp(col.text, "x=-3 y=ok") == 0);
}

int main(void)
{
    unit_run("format", "integers_vs_libc", test_integers);
    unit_run("format", "star_width_precision", test_star);
    unit_run("format", "strings_vs_libc", test_strings);
    unit_run("format", "string_precision_unterminated", test_string_precision_unterminated);
    unit_run("format", "null_string", test_null_string);
    unit_run("format", "chars_vs_libc", test_chars);
    unit_run("format", "nul_char", test_nul_char);
    unit_run("format", "pointer", test_pointer);
    unit_run("format", "mixed", test_mixed);
    unit_run("format", "bad_conversions", test_bad_conversions);
    unit_run("format", "truncation", test_truncation);
    unit_run("format", "truncation_all_sizes", test_truncation_all_sizes);
    unit_run("format", "kvformat_callback", test_kvformat_callback);
    return unit_exit_code();
}
