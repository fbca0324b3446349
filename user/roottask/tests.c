/*
 * tests.c - tests of the kernel's native system calls, run by the root task.
 * Every call is tried the right way and with each bad input it can get.
 */
#include "rt.h"

static void test_null_syscall(void)
{
    RT_EQ(mica_syscall0(SYS_NULL), 0);
}

static void test_unknown_syscall(void)
{
    RT_EQ(mica_syscall0(SYS_COUNT), -MICA_ENOSYS);
    RT_EQ(mica_syscall0(1000000), -MICA_ENOSYS);
    RT_EQ(mica_syscall0((uint64_t)-1), -MICA_ENOSYS);
}

static void test_debug_write(void)
{
    RT_EQ(mica_write("", 0), 0);
    RT_EQ(mica_syscall2(SYS_DEBUG_WRITE, 0, 5), -MICA_EFAULT);
    RT_EQ(mica_syscall2(SYS_DEBUG_WRITE, 0xffff800000000000ull, 5), -MICA_EFAULT);
    RT_EQ(mica_syscall2(SYS_DEBUG_WRITE, (uint64_t) "x", 100000), -MICA_EINVAL);
}

const struct rt_test rt_tests[] = {
    {"null_syscall", test_null_syscall},
    {"unknown_syscall", test_unknown_syscall},
    {"debug_write", test_debug_write},
};
const unsigned rt_test_count = sizeof rt_tests / sizeof rt_tests[0];
