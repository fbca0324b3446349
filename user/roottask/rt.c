/* rt.c - running the root task's tests (see rt.h). */
#include "rt.h"

unsigned rt_failed_checks;
mica_handle_t rt_self;
mica_handle_t rt_ioports;
mica_handle_t rt_irq_control;
mica_handle_t rt_phys;
mica_handle_t rt_trace;
mica_handle_t rt_initrd;
uint64_t rt_initrd_size;

extern const struct rt_test rt_tests[];
extern const unsigned rt_test_count;
extern const struct rt_test rt_late_tests[];
extern const unsigned rt_late_test_count;
extern const struct rt_test rt_thread_control_tests[];
extern const unsigned rt_thread_control_test_count;
extern const struct rt_test rt_device_tests[];
extern const unsigned rt_device_test_count;
extern const struct rt_test rt_device_memory_tests[];
extern const unsigned rt_device_memory_test_count;
extern const struct rt_test rt_ipc_long_tests[];
extern const unsigned rt_ipc_long_test_count;
extern const struct rt_test rt_idl_tests[];
extern const unsigned rt_idl_test_count;
extern const struct rt_test rt_trace_tests[];
extern const unsigned rt_trace_test_count;
extern const struct rt_test rt_cow_tests[];
extern const unsigned rt_cow_test_count;
extern const struct rt_test rt_timer_tests[];
extern const unsigned rt_timer_test_count;
extern const struct rt_test rt_msi_tests[];
extern const unsigned rt_msi_test_count;
extern const struct rt_test rt_kill_tests[];
extern const unsigned rt_kill_test_count;
extern const struct rt_test rt_initrd_tests[];
extern const unsigned rt_initrd_test_count;
extern const struct rt_test rt_badge_tests[];
extern const unsigned rt_badge_test_count;
extern const struct rt_test rt_timeout_tests[];
extern const unsigned rt_timeout_test_count;
extern const struct rt_test rt_runtime_tests[];
extern const unsigned rt_runtime_test_count;
extern const struct rt_test rt_forward_tests[];
extern const unsigned rt_forward_test_count;
extern const struct rt_test rt_console_tests[];
extern const unsigned rt_console_test_count;
extern const struct rt_test rt_fast_tests[];
extern const unsigned rt_fast_test_count;

static unsigned passed, failed;

/* check_leaks: also fail a test that leaves objects or handles behind. */
static void run_table(const struct rt_test *tests, unsigned count, int check_leaks)
{
    for (unsigned i = 0; i < count; i++) {
        unsigned before = rt_failed_checks;
        struct mica_kernel_stats stats;
        mica_kernel_stats(&stats);
        tests[i].fn();
        if (check_leaks)
            rt_check_leaks(&stats, UINT64_MAX);
        if (rt_failed_checks == before) {
            mica_printf("PASS: kernel/%s\n", tests[i].name);
            passed++;
        } else {
            mica_printf("FAIL: kernel/%s\n", tests[i].name);
            failed++;
        }
    }
}

unsigned rt_run_all(mica_handle_t self)
{
    rt_self = self;
    run_table(rt_tests, rt_test_count, 1); /* each test closes what it creates */
    run_table(rt_thread_control_tests, rt_thread_control_test_count, 0);
    run_table(rt_device_tests, rt_device_test_count, 0);
    run_table(rt_device_memory_tests, rt_device_memory_test_count, 0);
    run_table(rt_ipc_long_tests, rt_ipc_long_test_count, 0);
    run_table(rt_idl_tests, rt_idl_test_count, 1);
    run_table(rt_trace_tests, rt_trace_test_count, 0);
    run_table(rt_cow_tests, rt_cow_test_count, 0);
    run_table(rt_timeout_tests, rt_timeout_test_count, 0);
    run_table(rt_badge_tests, rt_badge_test_count, 1);
    run_table(rt_initrd_tests, rt_initrd_test_count, 1);
    run_table(rt_kill_tests, rt_kill_test_count, 1);
    run_table(rt_msi_tests, rt_msi_test_count, 0);
    run_table(rt_timer_tests, rt_timer_test_count, 1);
    run_table(rt_runtime_tests, rt_runtime_test_count, 0); /* lib/mica: keeps heap memory */
    run_table(rt_fast_tests, rt_fast_test_count, 0);
    run_table(rt_forward_tests, rt_forward_test_count, 1);
    run_table(rt_console_tests, rt_console_test_count, 1);
    run_table(rt_late_tests, rt_late_test_count, 1); /* last: may crash the machine */
    mica_printf("roottask: %u passed, %u failed\n", passed, failed);
    return failed;
}
