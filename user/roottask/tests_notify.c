/*
 * tests_notify.c - notifications: signal ORs bits in, wait takes them all
 * (blocking while there are none), poll takes them without blocking.
 */
#include "rt.h"
#include "tests.h"

static struct {
    mica_handle_t n, done;
    int64_t result[2];
} nt;

static mica_handle_t new_notification(void)
{
    int64_t n = mica_notify_create();
    RT_CHECK(n > 0);
    return n > 0 ? (mica_handle_t)n : 0;
}

/* poll of a fresh notification gives 0; after a signal it gives the bits, once. */
void test_notify_poll(void)
{
    mica_handle_t n = new_notification();
    RT_EQ(mica_notify_poll(n), 0);
    RT_EQ(mica_notify_signal(n, 0x81), 0);
    RT_EQ(mica_notify_poll(n), 0x81);
    RT_EQ(mica_notify_poll(n), 0);
    RT_EQ(mica_handle_close(n), 0);
}

/* Signals OR their bits together until somebody takes them. */
void test_notify_signal_ors(void)
{
    mica_handle_t n = new_notification();
    RT_EQ(mica_notify_signal(n, 1), 0);
    RT_EQ(mica_notify_signal(n, 4), 0);
    RT_EQ(mica_notify_signal(n, 4), 0);
    RT_EQ(mica_notify_signal(n, 0), 0);
    RT_EQ(mica_notify_wait(n), 5); /* bits are there: no blocking */
    RT_EQ(mica_notify_poll(n), 0);
    RT_EQ(mica_notify_signal(n, 1ull << 40), 0);
    RT_EQ(mica_notify_wait(n), 1ll << 40);
    RT_EQ(mica_handle_close(n), 0);
}

/* wait blocks until a signal comes, and returns its bits. */
static void waiter(uint64_t slot)
{
    mica_notify_signal(nt.done, 0x100 << slot); /* about to wait */
    nt.result[slot] = mica_notify_wait(nt.n);
    rt_signal_exit(nt.done, 1ull << slot);
}

void test_notify_wait_blocks(void)
{
    nt.n = new_notification();
    nt.done = new_notification();
    nt.result[0] = 12345;
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, waiter, 0), 0);
    RT_EQ(rt_wait_bits(nt.done, 0x100), 0x100);
    rt_yield_n(100);
    RT_EQ(mica_notify_poll(nt.done), 0); /* still waiting */
    RT_EQ(mica_notify_signal(nt.n, 0x30), 0);
    RT_EQ(rt_wait_bits(nt.done, 1), 1);
    RT_EQ(nt.result[0], 0x30);
    rt_reap(&t, 1);
    RT_EQ(mica_handle_close(nt.n), 0);
    RT_EQ(mica_handle_close(nt.done), 0);
}

/* A signal of no bits does not wake a waiter. */
void test_notify_zero_signal(void)
{
    nt.n = new_notification();
    nt.done = new_notification();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, waiter, 0), 0);
    RT_EQ(rt_wait_bits(nt.done, 0x100), 0x100);
    rt_yield_n(100);
    RT_EQ(mica_notify_signal(nt.n, 0), 0);
    rt_yield_n(100);
    RT_EQ(mica_notify_poll(nt.done), 0); /* not woken */
    RT_EQ(mica_notify_signal(nt.n, 2), 0);
    RT_EQ(rt_wait_bits(nt.done, 1), 1);
    RT_EQ(nt.result[0], 2);
    rt_reap(&t, 1);
    RT_EQ(mica_handle_close(nt.n), 0);
    RT_EQ(mica_handle_close(nt.done), 0);
}

/* Only one thread may wait at a time: the second gets EBUSY, the first the bits. */
void test_notify_second_waiter_busy(void)
{
    nt.n = new_notification();
    nt.done = new_notification();
    struct rt_thread t[2];
    RT_EQ(rt_spawn(&t[0], waiter, 0), 0);
    RT_EQ(rt_spawn(&t[1], waiter, 1), 0);
    /* Whichever came second ends at once with EBUSY. */
    int64_t first = rt_wait_bits(nt.done, 0x300);
    while ((first & 3) == 0 && first >= 0)
        first |= mica_notify_wait(nt.done);
    int busy = (first & 1) ? 0 : 1;
    RT_EQ(first & 3, 1 << busy);
    RT_EQ(nt.result[busy], -MICA_EBUSY);
    RT_EQ(mica_notify_signal(nt.n, 0x1000), 0);
    RT_EQ(rt_wait_bits(nt.done, 1u << (1 - busy)), 1u << (1 - busy));
    RT_EQ(nt.result[1 - busy], 0x1000);
    rt_reap(t, 2);
    RT_EQ(mica_handle_close(nt.n), 0);
    RT_EQ(mica_handle_close(nt.done), 0);
}

/* Closing the last handle to a notification wakes its waiter with EPIPE. */
void test_notify_close_wakes_waiter(void)
{
    nt.n = new_notification();
    nt.done = new_notification();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, waiter, 0), 0);
    RT_EQ(rt_wait_bits(nt.done, 0x100), 0x100);
    RT_CHECK(rt_wait_blocked(t.handle)); /* in its wait on nt.n, not just before it */
    RT_EQ(mica_handle_close(nt.n), 0);
    RT_EQ(rt_wait_bits(nt.done, 1), 1);
    RT_EQ(nt.result[0], -MICA_EPIPE);
    rt_reap(&t, 1);
    RT_EQ(mica_handle_close(nt.done), 0);
}

/* Signalling needs SIGNAL, waiting and polling need WAIT. */
void test_notify_rights(void)
{
    mica_handle_t n = new_notification();
    int64_t sig = mica_handle_dup(n, MICA_RIGHT_SIGNAL);
    int64_t wt = mica_handle_dup(n, MICA_RIGHT_WAIT);
    RT_CHECK(sig > 0 && wt > 0);
    RT_EQ(mica_notify_signal((mica_handle_t)sig, 8), 0);
    RT_EQ(mica_notify_poll((mica_handle_t)sig), -MICA_EACCES);
    RT_EQ(mica_notify_wait((mica_handle_t)sig), -MICA_EACCES);
    RT_EQ(mica_notify_signal((mica_handle_t)wt, 1), -MICA_EACCES);
    RT_EQ(mica_notify_poll((mica_handle_t)wt), 8);
    RT_EQ(mica_handle_close((mica_handle_t)sig), 0);
    RT_EQ(mica_handle_close((mica_handle_t)wt), 0);
    RT_EQ(mica_handle_close(n), 0);
}

/* Every one of the 63 signal bits travels.  Bit 63 is refused (EINVAL) and
 * nothing is signalled: wait and poll return the bits in rax, where a
 * negative value means an error, so a result with bit 63 would read as one. */
void test_notify_all_bits(void)
{
    mica_handle_t n = new_notification();
    for (unsigned b = 0; b < 63; b++) {
        RT_EQ(mica_notify_signal(n, 1ull << b), 0);
        RT_EQ(mica_notify_poll(n), 1ll << b);
    }
    RT_EQ(mica_notify_signal(n, 0xfffffffffffffff7ull), -MICA_EINVAL);
    RT_EQ(mica_notify_poll(n), 0);
    RT_EQ(mica_notify_signal(n, MICA_NOTIFY_BITS), 0);
    RT_EQ(mica_notify_poll(n), (int64_t)MICA_NOTIFY_BITS);
    RT_EQ(mica_handle_close(n), 0);
}

/* Two threads pass the turn to each other through two notifications, 2000 times. */
static mica_handle_t turn[2];

static void turn_taker(uint64_t me)
{
    uint64_t bad = 0;
    for (int i = 0; i < 2000; i++) {
        if (me == 1 || i > 0)
            bad += mica_notify_wait(turn[me]) != 1;
        mica_notify_signal(turn[1 - me], 1);
    }
    if (me == 0)
        bad += mica_notify_wait(turn[0]) != 1; /* the last turn */
    nt.result[me] = (int64_t)bad;
    rt_signal_exit(nt.done, 1ull << me);
}

void test_notify_pingpong(void)
{
    turn[0] = new_notification();
    turn[1] = new_notification();
    nt.done = new_notification();
    struct rt_thread t[2];
    RT_EQ(rt_spawn(&t[0], turn_taker, 0), 0);
    RT_EQ(rt_spawn(&t[1], turn_taker, 1), 0);
    RT_EQ(rt_wait_bits(nt.done, 3), 3);
    RT_EQ(nt.result[0], 0);
    RT_EQ(nt.result[1], 0);
    rt_reap(t, 2);
    RT_EQ(mica_handle_close(turn[0]), 0);
    RT_EQ(mica_handle_close(turn[1]), 0);
    RT_EQ(mica_handle_close(nt.done), 0);
}
