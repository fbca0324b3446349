/* unit.c - runner for the host unit tests (see unit.h). */
#include "unit.h"

int unit_failed_checks;
static int failed_tests;

void unit_run(const char *suite, const char *name, void (*fn)(void))
{
    int before = unit_failed_checks;
    fn();
    if (unit_failed_checks == before) {
        printf("PASS: host/%s/%s\n", suite, name);
    } else {
        printf("FAIL: host/%s/%s\n", suite, name);
        failed_tests++;
    }
    fflush(stdout);
}

int unit_exit_code(void)
{
    return failed_tests ? 1 : 0;
}
