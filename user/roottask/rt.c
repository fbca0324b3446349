/* rt.c - running the root task's tests (see rt.h). */
#include "rt.h"

unsigned rt_failed_checks;
mica_handle_t rt_self;

extern const struct rt_test rt_tests[];
extern const unsigned rt_test_count;

unsigned rt_run_all(mica_handle_t self)
{
    unsigned failed = 0, passed = 0;
    rt_self = self;
    for (unsigned i = 0; i < rt_test_count; i++) {
        unsigned before = rt_failed_checks;
        rt_tests[i].fn();
        if (rt_failed_checks == before) {
            mica_printf("PASS: kernel/%s\n", rt_tests[i].name);
            passed++;
        } else {
            mica_printf("FAIL: kernel/%s\n", rt_tests[i].name);
            failed++;
        }
    }
    mica_printf("roottask: %u passed, %u failed\n", passed, failed);
    return failed;
}
