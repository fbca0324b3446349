/*
 * tests_fast.c - the work of the `fast` branch seen from user mode: the IPC
 * fast path gives the same results as the general path (messages, replies,
 * errors, suspension, interleaving with long messages), and the
 * floating-point registers that are now switched only for the threads that
 * use them stay private to each thread, and per-thread accounting
 * (SYS_THREAD_INFO) tells running, ready and blocked time apart.
 */
#include "rt.h"

/* A thread pinned to CPU 0, like the root task's first thread: partners of the fast path. */
static int64_t spawn_on_cpu0(struct rt_thread *t, void (*fn)(uint64_t), uint64_t arg)
{
    void *base = rt_map_new(RT_PAGE + RT_STACK_SIZE, RT_RW, &t->stack_vmo);
    if (!base)
        return -MICA_ENOMEM;
    t->stack_base = (uint64_t)base;
    uint64_t top = t->stack_base + RT_PAGE + RT_STACK_SIZE - 8;
    int64_t h = mica_thread_create(rt_self, fn, (void *)top, arg);
    RT_CHECK(h > 0);
    t->handle = (mica_handle_t)h;
    RT_EQ(mica_thread_set_cpu(t->handle, 0), 0);
    RT_EQ(mica_thread_start(t->handle), 0);
    return 0;
}

/*
 * Answers every call with the label + 1, w0 + 1, w1 * 2, w2 ^ w3 (and the
 * extra words it got, if any), until a call with w3 = 0xdead.
 */
static void echo_server(uint64_t ep)
{
    struct mica_msg m = {0};
    int64_t err = mica_recv((mica_handle_t)ep, &m);
    for (;;) {
        if (err == -MICA_EPIPE)
            break;
        if (err < 0) { /* a message that could not be delivered: wait for the next */
            err = mica_recv((mica_handle_t)ep, &m);
            continue;
        }
        if (m.w[3] == 0xdead) {
            mica_reply(&m);
            break;
        }
        m.tag += 1ull << MICA_TAG_LABEL_SHIFT;
        m.w[0]++;
        m.w[1] *= 2;
        m.w[2] ^= m.w[3];
        err = mica_reply_recv((mica_handle_t)ep, &m);
    }
    mica_thread_exit();
}

/* Many round trips: every word arrives, every answer is the right one. */
static void test_fast_call_reply(void)
{
    int64_t ep = mica_endpoint_create();
    struct rt_thread t;
    spawn_on_cpu0(&t, echo_server, (uint64_t)ep);
    unsigned wrong = 0;
    for (uint64_t i = 0; i < 5000; i++) {
        struct mica_msg m = {0, mica_tag((uint32_t)i, 0, 0), {i, i + 1, i * 3, i | 1}};
        if (mica_call((mica_handle_t)ep, &m) != 0 || m.w[0] != i + 1 || m.w[1] != 2 * (i + 1) ||
            m.w[2] != ((i * 3) ^ (i | 1)) || m.w[3] != (i | 1) ||
            m.tag != mica_tag((uint32_t)i + 1, 0, 0) || m.badge != 0)
            wrong++;
    }
    RT_EQ(wrong, 0);
    struct mica_msg stop = {0, 0, {0, 0, 0, 0xdead}};
    RT_EQ(mica_call((mica_handle_t)ep, &stop), 0);
    rt_reap(&t, 1);
    mica_handle_close((mica_handle_t)ep);
}

/* Short messages (fast path) and long ones (general path) between the same pair, mixed. */
static void test_fast_and_long_mixed(void)
{
    int64_t ep = mica_endpoint_create();
    struct rt_thread t;
    spawn_on_cpu0(&t, echo_server, (uint64_t)ep);
    mica_handle_t vmo_mine, vmo_server;
    struct mica_ipc_buffer *mine = rt_map_new(RT_PAGE, RT_RW, &vmo_mine);
    void *server_buf = rt_map_new(RT_PAGE, RT_RW, &vmo_server);
    RT_EQ(mica_thread_set_ipc_buffer(MICA_THREAD_SELF, mine), 0);
    RT_EQ(mica_thread_set_ipc_buffer(t.handle, server_buf), 0);
    unsigned wrong = 0;
    for (uint64_t i = 0; i < 300; i++) {
        unsigned is_long = i % 3 == 1; /* one extra word: the general path, both ways */
        mine->words[0] = i * 7;
        struct mica_msg m = {0, mica_tag(7, is_long, 0), {i, 0, 0, 0}};
        if (mica_call((mica_handle_t)ep, &m) != 0 || m.w[0] != i + 1 ||
            m.tag != mica_tag(8, is_long, 0) || mine->words[0] != i * 7)
            wrong++;
        mine->words[0] = 0;
    }
    RT_EQ(wrong, 0);
    struct mica_msg stop = {0, 0, {0, 0, 0, 0xdead}};
    RT_EQ(mica_call((mica_handle_t)ep, &stop), 0);
    rt_reap(&t, 1);
    mica_handle_close((mica_handle_t)ep);
}

static volatile int64_t server_result;
static mica_handle_t server_done;

/* Serves calls until its endpoint goes away; records how its last wait ended. */
static void serve_until_error(uint64_t ep)
{
    struct mica_msg m = {0};
    int64_t err = mica_recv((mica_handle_t)ep, &m);
    while (err == 0)
        err = mica_reply_recv((mica_handle_t)ep, &m);
    server_result = err;
    rt_signal_exit(server_done, 1);
}

/* A server waiting in the fast path's reply-and-receive learns -EPIPE when the endpoint is closed.
 */
static void test_fast_wait_endpoint_closed(void)
{
    server_done = (mica_handle_t)mica_notify_create();
    int64_t ep = mica_endpoint_create();
    int64_t mine = mica_handle_dup((mica_handle_t)ep, MICA_RIGHT_SEND);
    struct rt_thread t;
    server_result = 0;
    spawn_on_cpu0(&t, serve_until_error, (uint64_t)ep);
    struct mica_msg m = {0};
    RT_EQ(mica_call((mica_handle_t)mine, &m), 0);
    RT_EQ(mica_call((mica_handle_t)mine, &m), 0); /* now it waits in reply-and-receive */
    mica_handle_close((mica_handle_t)ep);         /* the server's handle, the one it receives on */
    mica_handle_close((mica_handle_t)mine);       /* the last: the endpoint goes */
    RT_EQ(rt_wait_bits(server_done, 1), 1);
    RT_EQ(server_result, -MICA_EPIPE);
    rt_reap(&t, 1);
    mica_handle_close(server_done);
}

static mica_handle_t dying_ep;

/* Takes one call and ends without answering it. */
static void receive_and_die(uint64_t arg)
{
    (void)arg;
    struct mica_msg m = {0};
    mica_recv(dying_ep, &m);
    mica_thread_exit();
}

/* A caller that went through the fast path learns -EPIPE when its server ends unanswered. */
static void test_fast_call_server_dies(void)
{
    dying_ep = (mica_handle_t)mica_endpoint_create();
    struct rt_thread t;
    spawn_on_cpu0(&t, receive_and_die, 0);
    rt_yield_n(3); /* let it wait for the call */
    struct mica_msg m = {0, 0, {1, 2, 3, 4}};
    RT_EQ(mica_call(dying_ep, &m), -MICA_EPIPE);
    rt_reap(&t, 1);
    mica_handle_close(dying_ep);
}

static mica_handle_t suspend_ep, client_done;
static volatile uint64_t client_answer;

static void one_call_client(uint64_t arg)
{
    struct mica_msg m = {0, 0, {arg, 0, 0, 0}};
    client_answer = mica_call(suspend_ep, &m) == 0 ? m.w[0] : 0;
    rt_signal_exit(client_done, 1);
}

/*
 * A server suspended while it waits in the fast path takes the next call,
 * but stops before it returns to user mode, and answers once resumed.
 */
static void test_fast_wait_suspended(void)
{
    suspend_ep = (mica_handle_t)mica_endpoint_create();
    client_done = (mica_handle_t)mica_notify_create();
    struct rt_thread server, client;
    spawn_on_cpu0(&server, echo_server, suspend_ep);
    struct mica_msg m = {0, 0, {5, 0, 0, 0}};
    RT_EQ(mica_call(suspend_ep, &m), 0); /* the server now waits in reply-and-receive */
    RT_EQ(m.w[0], 6);
    RT_EQ(mica_thread_suspend(server.handle), 0);
    client_answer = 0;
    spawn_on_cpu0(&client, one_call_client, 10);
    rt_yield_n(5);
    RT_EQ(client_answer, 0); /* the server has the call, but is stopped */
    struct mica_regs regs;
    RT_EQ(mica_thread_read_regs(server.handle, &regs), 0);
    RT_EQ(mica_thread_resume(server.handle), 0);
    RT_EQ(rt_wait_bits(client_done, 1), 1);
    RT_EQ(client_answer, 11);
    struct mica_msg stop = {0, 0, {0, 0, 0, 0xdead}};
    RT_EQ(mica_call(suspend_ep, &stop), 0);
    rt_reap(&server, 1);
    rt_reap(&client, 1);
    mica_handle_close(suspend_ep);
    mica_handle_close(client_done);
}

/* ---- floating-point registers ---- */

static void xmm0_set(uint64_t v)
{
    __asm__ volatile("movq %0, %%xmm0" ::"r"(v));
}

static uint64_t xmm0_get(void)
{
    uint64_t v;
    __asm__ volatile("movq %%xmm0, %0" : "=r"(v));
    return v;
}

static uint64_t xmm7_get(void)
{
    uint64_t v;
    __asm__ volatile("movq %%xmm7, %0" : "=r"(v));
    return v;
}

static void xmm7_set(uint64_t v)
{
    __asm__ volatile("movq %0, %%xmm7" ::"r"(v));
}

static volatile uint64_t fpu_seen_xmm0, fpu_seen_xmm7, fpu_kept;
static mica_handle_t fpu_done;

/* Runs after the root task has filled xmm0 and xmm7: it must see neither value. */
static void fpu_other_thread(uint64_t arg)
{
    (void)arg;
    fpu_seen_xmm7 = xmm7_get(); /* its first use of the registers */
    fpu_seen_xmm0 = xmm0_get();
    xmm0_set(0x5555);
    mica_yield(); /* the root task checks its own registers now */
    fpu_kept = xmm0_get();
    rt_signal_exit(fpu_done, 1);
}

/* Each thread's vector registers are its own: nothing leaks in, nothing is lost. */
static void test_fpu_registers_private(void)
{
    fpu_done = (mica_handle_t)mica_notify_create();
    xmm0_set(0x1234567890abcdefull);
    xmm7_set(0xfeedfacecafebeefull);
    struct rt_thread t;
    spawn_on_cpu0(&t, fpu_other_thread, 0);
    mica_yield(); /* to the other thread, and back after its first yield */
    RT_EQ(xmm0_get(), 0x1234567890abcdefull);
    RT_EQ(xmm7_get(), 0xfeedfacecafebeefull);
    RT_EQ(rt_wait_bits(fpu_done, 1), 1);
    RT_EQ(fpu_seen_xmm0, 0);
    RT_EQ(fpu_seen_xmm7, 0);
    RT_EQ(fpu_kept, 0x5555);
    RT_EQ(xmm0_get(), 0x1234567890abcdefull);
    rt_reap(&t, 1);
    mica_handle_close(fpu_done);
}

#define MS 1000000ull

/* ---- TLB entries of an address space on a CPU that ran it before (PCIDs) ---- */

static volatile uint64_t *away_page;
static volatile uint64_t away_first, away_survived;
static mica_handle_t away_ready, away_go;

/* Reads the page (its TLB entry now lies on this CPU), waits, reads it again. */
static void away_reader(uint64_t arg)
{
    (void)arg;
    away_first = *away_page;
    mica_notify_signal(away_ready, 1);
    mica_notify_wait(away_go);  /* this CPU runs other threads or idles meanwhile */
    away_survived = *away_page; /* gone: this must fault and end the thread */
    away_survived = 1;
    mica_thread_exit();
}

/*
 * A page is unmapped while a thread that read it waits on another CPU: that
 * CPU runs no thread of the space when the shoot-down happens, so it gets no
 * IPI; with PCIDs it still holds the space's old entries, and must drop them
 * when it loads the space again.  The thread's next read faults.
 */
static void test_tlb_stale_after_switch_away(void)
{
    mica_handle_t vmo;
    away_page = rt_map_new(RT_PAGE, RT_RW, &vmo);
    *away_page = 42;
    away_first = away_survived = 0;
    away_ready = (mica_handle_t)mica_notify_create();
    away_go = (mica_handle_t)mica_notify_create();
    void *base = rt_map_new(RT_PAGE + RT_STACK_SIZE, RT_RW, &(mica_handle_t){0});
    int64_t t =
        mica_thread_create(rt_self, away_reader, (char *)base + RT_PAGE + RT_STACK_SIZE - 8, 0);
    RT_CHECK(t > 0);
    if (mica_thread_set_cpu((mica_handle_t)t, 1) < 0) /* one CPU only: the same test on it */
        RT_EQ(mica_thread_set_cpu((mica_handle_t)t, 0), 0);
    RT_EQ(mica_thread_start((mica_handle_t)t), 0);
    RT_EQ(rt_wait_bits(away_ready, 1), 1);
    RT_EQ(away_first, 42);
    RT_EQ(mica_vm_unmap(rt_self, (uint64_t)away_page, RT_PAGE), 0);
    RT_EQ(mica_notify_signal(away_go, 1), 0);
    struct mica_thread_info info = {0};
    for (unsigned i = 0; i < 2000 && info.state != MICA_THREAD_STATE_DEAD; i++) {
        mica_sleep(MS);
        RT_EQ(mica_thread_info((mica_handle_t)t, &info), 0);
    }
    RT_EQ(info.state, MICA_THREAD_STATE_DEAD);
    RT_EQ(away_survived, 0);
    mica_handle_close((mica_handle_t)t);
    mica_handle_close(vmo);
    mica_handle_close(away_ready);
    mica_handle_close(away_go);
}

/* ---- per-thread accounting (SYS_THREAD_INFO) ---- */

static mica_handle_t info_done;

static void sleep_then_exit(uint64_t ms)
{
    mica_sleep(ms * MS);
    rt_signal_exit(info_done, 1);
}

static void spin_then_exit(uint64_t ms)
{
    struct mica_thread_info me;
    do
        mica_thread_info(MICA_THREAD_SELF, &me);
    while (me.run_ns < ms * MS);
    rt_signal_exit(info_done, 1);
}

/* The caller itself: running, on some CPU, with CPU time, and each figure grows. */
static void test_thread_info_self(void)
{
    struct mica_thread_info a, b;
    RT_EQ(mica_thread_info(MICA_THREAD_SELF, &a), 0);
    RT_EQ(a.state, MICA_THREAD_STATE_RUNNING);
    RT_EQ(a.cpu, 0); /* the root task's first thread is pinned there */
    RT_CHECK(a.run_ns > 0 && a.switches >= 1 && a.id > 0);
    mica_sleep(5 * MS);
    RT_EQ(mica_thread_info(MICA_THREAD_SELF, &b), 0);
    RT_EQ(b.id, a.id);
    RT_CHECK(b.run_ns >= a.run_ns);
    RT_CHECK(b.blocked_ns >= a.blocked_ns + 4 * MS); /* the sleep */
    RT_CHECK(b.switches > a.switches);
}

/* A thread that sleeps is blocked; one that computes runs; both count their switches. */
static void test_thread_info_other(void)
{
    info_done = (mica_handle_t)mica_notify_create();
    struct rt_thread sleeper, spinner;
    RT_EQ(spawn_on_cpu0(&sleeper, sleep_then_exit, 30), 0);
    RT_EQ(spawn_on_cpu0(&spinner, spin_then_exit, 30), 0);
    RT_EQ(rt_wait_bits(info_done, 1), 1);
    RT_EQ(rt_wait_bits(info_done, 1), 1);
    rt_yield_n(3); /* both have ended */
    struct mica_thread_info s, c;
    RT_EQ(mica_thread_info(sleeper.handle, &s), 0);
    RT_EQ(mica_thread_info(spinner.handle, &c), 0);
    RT_EQ(s.state, MICA_THREAD_STATE_DEAD);
    RT_EQ(c.state, MICA_THREAD_STATE_DEAD);
    RT_CHECK(s.blocked_ns >= 25 * MS && s.run_ns < s.blocked_ns && s.switches >= 2);
    RT_CHECK(c.run_ns >= 30 * MS && c.switches >= 1);
    RT_CHECK(s.id != c.id);
    struct mica_thread_info again;
    RT_EQ(mica_thread_info(sleeper.handle, &again), 0); /* a dead thread's figures stay put */
    RT_EQ(again.blocked_ns, s.blocked_ns);
    rt_reap(&sleeper, 1);
    rt_reap(&spinner, 1);
    mica_handle_close(info_done);
}

/* A thread not started yet has spent no time at all. */
static void test_thread_info_new(void)
{
    int64_t t = mica_thread_create(rt_self, sleep_then_exit, (void *)0x10000, 0);
    RT_CHECK(t > 0);
    struct mica_thread_info info;
    RT_EQ(mica_thread_info((mica_handle_t)t, &info), 0);
    RT_EQ(info.state, MICA_THREAD_STATE_NEW);
    RT_EQ(info.run_ns + info.ready_ns + info.blocked_ns + info.switches, 0);
    mica_handle_close((mica_handle_t)t);
}

/* Bad pointers, handles that are no threads or lack RIGHT_READ, handles that are not open. */
static void test_thread_info_refusals(void)
{
    struct mica_thread_info info;
    RT_EQ(mica_thread_info(MICA_THREAD_SELF, 0), -MICA_EFAULT);
    RT_EQ(mica_thread_info(MICA_THREAD_SELF, (struct mica_thread_info *)RT_KERNEL), -MICA_EFAULT);
    RT_EQ(mica_thread_info(MICA_THREAD_SELF, (struct mica_thread_info *)(RT_USER_TOP - 8)),
          -MICA_EFAULT);
    int64_t ep = mica_endpoint_create();
    RT_EQ(mica_thread_info((mica_handle_t)ep, &info), -MICA_EINVAL);
    RT_EQ(mica_thread_info(rt_self, &info), -MICA_EINVAL); /* an address space */
    mica_handle_close((mica_handle_t)ep);
    RT_EQ(mica_thread_info((mica_handle_t)ep, &info), -MICA_EBADF); /* closed */
    RT_EQ(mica_thread_info(0, &info), -MICA_EBADF);
    int64_t t = mica_thread_create(rt_self, sleep_then_exit, (void *)0x10000, 0);
    int64_t blind = mica_handle_dup((mica_handle_t)t, MICA_RIGHT_ALL & ~MICA_RIGHT_READ);
    RT_CHECK(blind > 0);
    RT_EQ(mica_thread_info((mica_handle_t)blind, &info), -MICA_EACCES);
    int64_t reader = mica_handle_dup((mica_handle_t)t, MICA_RIGHT_READ);
    RT_EQ(mica_thread_info((mica_handle_t)reader, &info), 0); /* reading needs no more */
    mica_handle_close((mica_handle_t)reader);
    mica_handle_close((mica_handle_t)blind);
    mica_handle_close((mica_handle_t)t);
}

const struct rt_test rt_fast_tests[] = {
    {"ipc_fast_call_reply", test_fast_call_reply},
    {"ipc_fast_and_long_mixed", test_fast_and_long_mixed},
    {"ipc_fast_wait_endpoint_closed", test_fast_wait_endpoint_closed},
    {"ipc_fast_call_server_dies", test_fast_call_server_dies},
    {"ipc_fast_wait_suspended", test_fast_wait_suspended},
    {"fpu_registers_private", test_fpu_registers_private},
    {"tlb_stale_after_switch_away", test_tlb_stale_after_switch_away},
    {"thread_info_self", test_thread_info_self},
    {"thread_info_other", test_thread_info_other},
    {"thread_info_new", test_thread_info_new},
    {"thread_info_refusals", test_thread_info_refusals},
};
const unsigned rt_fast_test_count = sizeof rt_fast_tests / sizeof rt_fast_tests[0];
