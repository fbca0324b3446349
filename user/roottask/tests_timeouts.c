/*
 * tests_timeouts.c - waits with a time limit, sleeping, and waiting for a
 * message and a notification at once (bound notifications).
 */
#include "rt.h"

#define STACK_SIZE 65536
#define MS         1000000ull

static int64_t spawn(void (*fn)(uint64_t), uint64_t arg)
{
    int64_t vmo = mica_vmo_create(STACK_SIZE);
    int64_t at = mica_vm_map(rt_self, (mica_handle_t)vmo, 0, 0, STACK_SIZE,
                             MICA_PROT_READ | MICA_PROT_WRITE);
    mica_handle_close((mica_handle_t)vmo);
    int64_t t = mica_thread_create(rt_self, fn, (void *)(at + STACK_SIZE), arg);
    mica_thread_start((mica_handle_t)t);
    return t;
}

static mica_handle_t late_ep, woke;

static void late_sender(uint64_t arg)
{
    (void)arg;
    mica_sleep(40 * MS);
    struct mica_msg m = {0, 0, {99, 0, 0, 0}};
    mica_send(late_ep, &m);
    mica_notify_signal(woke, 1);
    mica_thread_exit();
}

/* Timed waits end with -ETIMEDOUT when nothing comes, and still work afterwards. */
static void test_timed_waits(void)
{
    late_ep = (mica_handle_t)mica_endpoint_create();
    woke = (mica_handle_t)mica_notify_create();
    struct mica_msg m = {0};
    RT_EQ(mica_recv_timed(late_ep, &m, 0), -MICA_ETIMEDOUT);
    RT_EQ(mica_recv_timed(late_ep, &m, 20 * MS), -MICA_ETIMEDOUT);
    RT_EQ(mica_notify_wait_timed(woke, 0), -MICA_ETIMEDOUT);
    RT_EQ(mica_notify_wait_timed(woke, 20 * MS), -MICA_ETIMEDOUT);
    int64_t t = spawn(late_sender, 0);
    RT_EQ(mica_recv_timed(late_ep, &m, 5000 * MS), 0); /* the late message arrives */
    RT_EQ(m.w[0], 99);
    RT_EQ(mica_notify_wait_timed(woke, 5000 * MS), 1);
    RT_EQ(mica_sleep(0), 0);
    RT_EQ(mica_sleep(10 * MS), 0);
    mica_handle_close((mica_handle_t)t);
    mica_handle_close(late_ep);
    mica_handle_close(woke);
}

#define RACE_MESSAGES 300
static mica_handle_t race_ep, race_done;
static volatile uint64_t race_received, race_sum;

static void racing_receiver(uint64_t arg)
{
    (void)arg;
    struct mica_msg m = {0};
    while (race_received < RACE_MESSAGES) {
        if (mica_recv_timed(race_ep, &m, 1 * MS) == 0) { /* timeouts race with senders */
            race_received++;
            race_sum += m.w[0];
        }
    }
    mica_notify_signal(race_done, 1);
    mica_thread_exit();
}

static void racing_sender(uint64_t base)
{
    for (uint64_t i = 0; i < RACE_MESSAGES / 3; i++) {
        struct mica_msg m = {0, 0, {base + i, 0, 0, 0}};
        mica_send(race_ep, &m);
    }
    mica_thread_exit();
}

/* Messages racing with receive timeouts are delivered exactly once each. */
static void test_timeouts_race_messages(void)
{
    race_ep = (mica_handle_t)mica_endpoint_create();
    race_done = (mica_handle_t)mica_notify_create();
    race_received = race_sum = 0;
    int64_t r = spawn(racing_receiver, 0);
    int64_t s[3];
    uint64_t want = 0;
    for (int k = 0; k < 3; k++) {
        s[k] = spawn(racing_sender, (uint64_t)k * 1000);
        for (uint64_t i = 0; i < RACE_MESSAGES / 3; i++)
            want += (uint64_t)k * 1000 + i;
    }
    RT_EQ(mica_notify_wait_timed(race_done, 20000 * MS), 1);
    RT_EQ(race_received, RACE_MESSAGES);
    RT_EQ(race_sum, want);
    for (int k = 0; k < 3; k++)
        mica_handle_close((mica_handle_t)s[k]);
    mica_handle_close((mica_handle_t)r);
    mica_handle_close(race_ep);
    mica_handle_close(race_done);
}

static mica_handle_t bound_ep, bound_n;

/* A server that waits for calls and for its notification at once. */
static void bound_server(uint64_t arg)
{
    (void)arg;
    struct mica_msg m = {0};
    for (;;) {
        mica_recv(bound_ep, &m);
        if (m.tag >> MICA_TAG_LABEL_SHIFT == MICA_MSG_NOTIFY) {
            struct mica_msg report = {0, mica_tag(1, 0, 0), {m.w[0], 0, 0, 0}};
            mica_send(bound_ep, &report); /* tell the test what arrived (it receives) */
            continue;
        }
        m.w[0] += 1;
        mica_reply(&m);
    }
}

static void test_bound_notification(void)
{
    bound_ep = (mica_handle_t)mica_endpoint_create();
    bound_n = (mica_handle_t)mica_notify_create();
    int64_t vmo = mica_vmo_create(STACK_SIZE);
    int64_t at = mica_vm_map(rt_self, (mica_handle_t)vmo, 0, 0, STACK_SIZE,
                             MICA_PROT_READ | MICA_PROT_WRITE);
    int64_t t = mica_thread_create(rt_self, bound_server, (void *)(at + STACK_SIZE), 0);
    RT_EQ(mica_notify_bind(bound_n, (mica_handle_t)t), 0);
    RT_EQ(mica_notify_bind(bound_n, (mica_handle_t)t), -MICA_EBUSY);
    RT_EQ(mica_notify_bind(bound_ep, (mica_handle_t)t), -MICA_EINVAL);
    RT_EQ(mica_notify_signal(bound_n, 0x10), 0); /* pending before the server waits */
    RT_EQ(mica_thread_start((mica_handle_t)t), 0);
    struct mica_msg m = {0};
    RT_EQ(mica_recv(bound_ep, &m), 0);
    RT_EQ(m.w[0], 0x10);
    for (int i = 0; i < 5; i++) {
        struct mica_msg call = {0, 0, {(uint64_t)i, 0, 0, 0}};
        RT_EQ(mica_call(bound_ep, &call), 0); /* requests still served */
        RT_EQ(call.w[0], (uint64_t)i + 1);
        mica_sleep(2 * MS); /* let the server wait again */
        RT_EQ(mica_notify_signal(bound_n, 1u << i), 0);
        RT_EQ(mica_recv(bound_ep, &m), 0);
        RT_EQ(m.w[0], 1u << i);
    }
    RT_EQ(mica_notify_wait_timed(bound_n, 0), -MICA_EBUSY); /* the bound thread waits on it */
    RT_EQ(mica_thread_suspend((mica_handle_t)t), 0);
    mica_handle_close((mica_handle_t)t);
    mica_handle_close(bound_ep);
    mica_handle_close(bound_n);
    mica_vm_unmap(rt_self, (uint64_t)at, STACK_SIZE);
    mica_handle_close((mica_handle_t)vmo);
}

const struct rt_test rt_timeout_tests[] = {
    {"timed_waits", test_timed_waits},
    {"timeouts_race_messages", test_timeouts_race_messages},
    {"bound_notification", test_bound_notification},
};
const unsigned rt_timeout_test_count = sizeof rt_timeout_tests / sizeof rt_timeout_tests[0];
