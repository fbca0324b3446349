/*
 * test_cmdline.c - host tests for kernel/core/cmdline.c (kernel command-line parsing).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <mica/cmdline.h>
#include "unit.h"

static const char *const line =
    "console=serial mica.test mica.smp=4 mica.inject=acpi-checksum,sipi quiet"
    "  mica.mem=0x10000000\tmica.empty= last";

static void test_has(void)
{
    CHECK(cmdline_has(line, "console"));
    CHECK(cmdline_has(line, "mica.test"));
    CHECK(cmdline_has(line, "mica.smp"));
    CHECK(cmdline_has(line, "quiet"));
    CHECK(cmdline_has(line, "mica.mem")); /* after two spaces */
    CHECK(cmdline_has(line, "mica.empty"));
    CHECK(cmdline_has(line, "last")); /* at the very end */
    CHECK(!cmdline_has(line, "absent"));
    CHECK(!cmdline_has(line, ""));
    CHECK(!cmdline_has("", "quiet"));
    CHECK(!cmdline_has(NULL, "quiet"));
    CHECK(!cmdline_has(line, "serial")); /* a value is not a key */
}

/* Keys match whole words only, in both directions. */
static void test_whole_words(void)
{
    CHECK(!cmdline_has("mica.testx", "mica.test"));
    CHECK(!cmdline_has("mica.test", "mica.testx"));
    CHECK(!cmdline_has("xmica.test", "mica.test"));
    CHECK(!cmdline_has("mica.testx=1", "mica.test"));
    CHECK(!cmdline_has("amica.test=1", "mica.test"));
    CHECK(!cmdline_has("quietly", "quiet"));
    CHECK(cmdline_has("mica.testx mica.test", "mica.test"));
    CHECK(cmdline_has("\n mica.test\n", "mica.test"));
}

static void test_get(void)
{
    char val[32];

    CHECK(cmdline_get(line, "console", val, sizeof(val)));
    CHECK(strcmp(val, "serial") == 0);
    CHECK(cmdline_get(line, "mica.inject", val, sizeof(val)));
    CHECK(strcmp(val, "acpi-checksum,sipi") == 0);
    CHECK(cmdline_get(line, "mica.mem", val, sizeof(val))); /* ends at a tab */
    CHECK(strcmp(val, "0x10000000") == 0);
    CHECK(cmdline_get(line, "mica.empty", val, sizeof(val)));
    CHECK(strcmp(val, "") == 0);
}

static void test_get_failures(void)
{
    char val[8];

    memset(val, 'q', sizeof(val));
    CHECK(!cmdline_get(line, "quiet", val, sizeof(val))); /* flag without '=' */
    CHECK(val[0] == '\0');
    CHECK(!cmdline_get(line, "absent", val, sizeof(val)));
    CHECK(!cmdline_get(line, "mica.testx", val, sizeof(val)));
    CHECK(!cmdline_get(NULL, "console", val, sizeof(val)));
    CHECK(!cmdline_get(line, "console", val, 0));
}

/* A value that does not fit is refused, not truncated; an exact fit works. */
static void test_get_sizes(void)
{
    char val[8];

    CHECK(!cmdline_get("k=1234567890", "k", val, sizeof(val)));
    CHECK(val[0] == '\0');
    CHECK(!cmdline_get("k=12345678", "k", val, sizeof(val)));
    CHECK(cmdline_get("k=1234567", "k", val, sizeof(val)));
    CHECK(strcmp(val, "1234567") == 0);
}

/* The last occurrence wins; values may themselves contain '='. */
static void test_get_last_and_equals(void)
{
    char val[16];

    CHECK(cmdline_get("a=1 b=2 a=3", "a", val, sizeof(val)));
    CHECK(strcmp(val, "3") == 0);
    CHECK(cmdline_get("root=LABEL=boot", "root", val, sizeof(val)));
    CHECK(strcmp(val, "LABEL=boot") == 0);
}

static void test_get_u64(void)
{
    uint64_t v = 0;

    CHECK(cmdline_get_u64(line, "mica.smp", &v));
    CHECK_EQ(v, 4);
    CHECK(cmdline_get_u64(line, "mica.mem", &v));
    CHECK_EQ(v, 0x10000000);
    CHECK(cmdline_get_u64("n=0", "n", &v));
    CHECK_EQ(v, 0);
    CHECK(cmdline_get_u64("n=0XfF", "n", &v));
    CHECK_EQ(v, 255);
    CHECK(cmdline_get_u64("n=18446744073709551615", "n", &v));
    CHECK(v == UINT64_MAX);
    CHECK(cmdline_get_u64("n=0xffffffffffffffff", "n", &v));
    CHECK(v == UINT64_MAX);
}

/* Malformed numbers fail and leave the output alone. */
static void test_get_u64_failures(void)
{
    static const char *const bad[] = {
        "n",
        "n=",
        "n=0x",
        "n=12a",
        "n=-1",
        "n=+1",
        "n=0x1g",
        "n= 5",
        "n=1.5",
        "n=18446744073709551616",
        "n=0x10000000000000000",
        "m=5",
    };
    uint64_t v = 77;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (cmdline_get_u64(bad[i], "n", &v)) {
            fprintf(stderr, "  accepted \"%s\"\n", bad[i]);
            unit_failed_checks++;
        }
    }
    CHECK_EQ(v, 77);
}

static void test_has_value(void)
{
    CHECK(cmdline_has_value(line, "console", "serial"));
    CHECK(cmdline_has_value(line, "mica.inject", "acpi-checksum"));
    CHECK(cmdline_has_value(line, "mica.inject", "sipi"));
    CHECK(!cmdline_has_value(line, "mica.inject", "acpi"));     /* prefix of an item */
    CHECK(!cmdline_has_value(line, "mica.inject", "checksum")); /* suffix of an item */
    CHECK(!cmdline_has_value(line, "mica.inject", "sip"));
    CHECK(!cmdline_has_value(line, "mica.inject", "acpi-checksum,sipi,x"));
    CHECK(!cmdline_has_value(line, "quiet", "")); /* a flag has no value */
    CHECK(!cmdline_has_value(line, "console", "serial2"));
    CHECK(!cmdline_has_value(line, "consol", "serial"));
    CHECK(!cmdline_has_value(NULL, "console", "serial"));
}

/* Every occurrence of the key counts, not only the last. */
static void test_has_value_repeated(void)
{
    const char *repeated = "mica.inject=a,b mica.injectx=c mica.inject=d";

    CHECK(cmdline_has_value(repeated, "mica.inject", "a"));
    CHECK(cmdline_has_value(repeated, "mica.inject", "b"));
    CHECK(cmdline_has_value(repeated, "mica.inject", "d"));
    CHECK(!cmdline_has_value(repeated, "mica.inject", "c"));
}

int main(void)
{
    unit_run("cmdline", "has", test_has);
    unit_run("cmdline", "whole_words", test_whole_words);
    unit_run("cmdline", "get", test_get);
    unit_run("cmdline", "get_failures", test_get_failures);
    unit_run("cmdline", "get_sizes", test_get_sizes);
    unit_run("cmdline", "get_last_and_equals", test_get_last_and_equals);
    unit_run("cmdline", "get_u64", test_get_u64);
    unit_run("cmdline", "get_u64_failures", test_get_u64_failures);
    unit_run("cmdline", "has_value", test_has_value);
    unit_run("cmdline", "has_value_repeated", test_has_value_repeated);
    return unit_exit_code();
}
