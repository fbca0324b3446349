/* tcheck.c - counting checks in the driver test clients (tcheck.h). */
#include <mica.h>
#include <print.h>
#include "tcheck.h"

unsigned tc_checks, tc_failures;
static const char *tc_name = "test";

void tc_init(const char *name)
{
    tc_name = name;
}

void tc_check(bool ok, const char *what, int line)
{
    tc_checks++;
    if (!ok) {
        tc_failures++;
        mica_printf("%s: FAILED line %d: %s\n", tc_name, line, what);
    }
}

void tc_check_eq(int64_t a, int64_t b, const char *what, int line)
{
    tc_checks++;
    if (a != b) {
        tc_failures++;
        mica_printf("%s: FAILED line %d: %s is %ld, expected %ld\n", tc_name, line, what, a, b);
    }
}
