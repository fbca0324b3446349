/*
 * tests_timer.c - timer objects (SYS_TIMER_CREATE, SYS_TIMER_SET): one-shot
 * and periodic signals on a notification, disarming, closing, bad input.
 */
#include "rt.h"

#define MS 1000000ull

static void test_timer_one_shot(void)
{
    int64_t n = mica_notify_create();
    int64_t t = mica_timer_create((mica_handle_t)n, 0x4);
    RT_CHECK(t > 0);
    uint64_t start = mica_clock_ns();
    RT_EQ(mica_timer_set((mica_handle_t)t, start + 30 * MS, 0), 0);
    RT_EQ(mica_notify_wait_timed((mica_handle_t)n, 2000 * MS), 0x4);
    RT_CHECK(mica_clock_ns() - start >= 30 * MS);                              /* not early */
    RT_EQ(mica_notify_wait_timed((mica_handle_t)n, 60 * MS), -MICA_ETIMEDOUT); /* only once */
    /* A deadline in the past fires at the next tick. */
    RT_EQ(mica_timer_set((mica_handle_t)t, 1, 0), 0);
    RT_EQ(mica_notify_wait_timed((mica_handle_t)n, 2000 * MS), 0x4);
    RT_EQ(mica_handle_close((mica_handle_t)t), 0);
    RT_EQ(mica_handle_close((mica_handle_t)n), 0);
}

static void test_timer_periodic(void)
{
    int64_t n = mica_notify_create();
    int64_t t = mica_timer_create((mica_handle_t)n, 1);
    uint64_t start = mica_clock_ns();
    RT_EQ(mica_timer_set((mica_handle_t)t, start + 20 * MS, 20 * MS), 0);
    for (int i = 0; i < 5; i++)
        RT_EQ(mica_notify_wait_timed((mica_handle_t)n, 2000 * MS), 1);
    RT_CHECK(mica_clock_ns() - start >= 5 * 20 * MS - 20 * MS); /* five periods, give or take */
    RT_EQ(mica_timer_set((mica_handle_t)t, 0, 0), 0);           /* disarmed */
    mica_notify_poll((mica_handle_t)n); /* a tick may have fired meanwhile */
    RT_EQ(mica_notify_wait_timed((mica_handle_t)n, 80 * MS), -MICA_ETIMEDOUT);
    /* Closing an armed timer stops it too. */
    RT_EQ(mica_timer_set((mica_handle_t)t, mica_clock_ns() + 20 * MS, 20 * MS), 0);
    RT_EQ(mica_handle_close((mica_handle_t)t), 0);
    mica_notify_poll((mica_handle_t)n);
    RT_EQ(mica_notify_wait_timed((mica_handle_t)n, 80 * MS), -MICA_ETIMEDOUT);
    RT_EQ(mica_handle_close((mica_handle_t)n), 0);
}

static void test_timer_errors(void)
{
    int64_t n = mica_notify_create();
    RT_EQ(mica_timer_create(0, 1), -MICA_EBADF);
    RT_EQ(mica_timer_create(rt_self, 1), -MICA_EINVAL);
    RT_EQ(mica_timer_create((mica_handle_t)n, 0), -MICA_EINVAL);
    RT_EQ(mica_timer_create((mica_handle_t)n, 1ull << 63), -MICA_EINVAL);
    int64_t wait_only = mica_handle_dup((mica_handle_t)n, MICA_RIGHT_WAIT);
    RT_EQ(mica_timer_create((mica_handle_t)wait_only, 1), -MICA_EACCES);
    int64_t t = mica_timer_create((mica_handle_t)n, 1);
    RT_EQ(mica_timer_set((mica_handle_t)t, mica_clock_ns() + MS, 1000), -MICA_EINVAL); /* < 1 ms */
    RT_EQ(mica_timer_set((mica_handle_t)n, 1, 0), -MICA_EINVAL); /* no timer */
    int64_t ro = mica_handle_dup((mica_handle_t)t, MICA_RIGHT_READ);
    RT_EQ(mica_timer_set((mica_handle_t)ro, 1, 0), -MICA_EACCES);
    uint32_t type = 0, rights = 0;
    RT_EQ(rt_handle_info((mica_handle_t)t, &type, &rights), 0);
    RT_EQ(type, MICA_OBJ_TIMER);
    /* The timer keeps its notification alive after our handle to it is gone. */
    RT_EQ(mica_handle_close((mica_handle_t)n), 0);
    RT_EQ(mica_timer_set((mica_handle_t)t, 1, 0), 0);
    rt_yield_n(50);
    RT_EQ(mica_handle_close((mica_handle_t)ro), 0);
    RT_EQ(mica_handle_close((mica_handle_t)t), 0);
    RT_EQ(mica_handle_close((mica_handle_t)wait_only), 0);
}

const struct rt_test rt_timer_tests[] = {
    {"timer_one_shot", test_timer_one_shot},
    {"timer_periodic", test_timer_periodic},
    {"timer_errors", test_timer_errors},
};
const unsigned rt_timer_test_count = sizeof rt_timer_tests / sizeof rt_timer_tests[0];
