/*
 * tests_badges.c - badged endpoint handles (concept: capabilities that name
 * their holder).  A server mints one badged handle per client; every message
 * sent through it carries the badge, so the server knows who asks without
 * trusting anything the client wrote.
 */
#include "rt.h"

#define BADGE_A 0x1234567890abcdefull
#define BADGE_B 7ull

static struct {
    mica_handle_t ep, note;
    struct mica_msg got[4];
} bt;

/* Receive n messages, remember them, and answer calls with their badge. */
static void badge_server(uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) {
        struct mica_msg m;
        if (mica_recv(bt.ep, &m) < 0)
            break;
        bt.got[i] = m;
        if ((m.tag >> MICA_TAG_LABEL_SHIFT) == 1) {
            struct mica_msg r = {0, mica_tag(0, 0, 0), {m.badge, 0, 0, 0}};
            mica_reply(&r);
        }
    }
    rt_signal_exit(bt.note, 1);
}

static void setup(void)
{
    bt.ep = (mica_handle_t)mica_endpoint_create();
    bt.note = (mica_handle_t)mica_notify_create();
    for (int i = 0; i < 4; i++)
        bt.got[i].badge = ~0ull;
}

static void teardown(void)
{
    RT_EQ(mica_handle_close(bt.ep), 0);
    RT_EQ(mica_handle_close(bt.note), 0);
}

/* Minting: only a non-zero badge, only an endpoint, only from an unbadged handle with DUP. */
static void test_mint_errors(void)
{
    setup();
    RT_EQ(mica_endpoint_mint(bt.ep, 0, MICA_RIGHT_ALL), -MICA_EINVAL);
    RT_EQ(mica_endpoint_mint(bt.note, 5, MICA_RIGHT_ALL), -MICA_EINVAL);
    RT_EQ(mica_endpoint_mint(0, 5, MICA_RIGHT_ALL), -MICA_EBADF);
    RT_EQ(mica_syscall3(SYS_ENDPOINT_MINT, 0x100000000ull | bt.ep, 5, MICA_RIGHT_ALL), -MICA_EBADF);
    int64_t a = mica_endpoint_mint(bt.ep, BADGE_A, MICA_RIGHT_ALL);
    RT_CHECK(a > 0);
    RT_EQ(mica_endpoint_mint((mica_handle_t)a, BADGE_B, MICA_RIGHT_ALL), -MICA_EINVAL);
    int64_t nodup = mica_handle_dup(bt.ep, MICA_RIGHT_ALL & ~MICA_RIGHT_DUP);
    RT_CHECK(nodup > 0);
    RT_EQ(mica_endpoint_mint((mica_handle_t)nodup, BADGE_B, MICA_RIGHT_ALL), -MICA_EACCES);
    /* Rights only shrink: a send-only badged handle cannot receive. */
    int64_t send_only = mica_endpoint_mint(bt.ep, BADGE_B, MICA_RIGHT_SEND);
    RT_CHECK(send_only > 0);
    struct mica_msg m;
    RT_EQ(mica_recv((mica_handle_t)send_only, &m), -MICA_EACCES);
    RT_EQ(mica_handle_close((mica_handle_t)send_only), 0);
    RT_EQ(mica_handle_close((mica_handle_t)nodup), 0);
    RT_EQ(mica_handle_close((mica_handle_t)a), 0);
    teardown();
}

/* Sends and calls carry the badge of the handle used; an unbadged handle carries 0;
 * a duplicate keeps the badge; replies carry none. */
static void test_badge_delivered(void)
{
    setup();
    int64_t a = mica_endpoint_mint(bt.ep, BADGE_A, MICA_RIGHT_SEND | MICA_RIGHT_DUP);
    int64_t b = mica_endpoint_mint(bt.ep, BADGE_B, MICA_RIGHT_SEND);
    RT_CHECK(a > 0 && b > 0);
    int64_t a2 = mica_handle_dup((mica_handle_t)a, MICA_RIGHT_SEND);
    RT_CHECK(a2 > 0);
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, badge_server, 4), 0);
    struct mica_msg m = {0, mica_tag(2, 0, 0), {0, 0, 0, 0}};
    RT_EQ(mica_send((mica_handle_t)a, &m), 0);
    RT_EQ(mica_send((mica_handle_t)b, &m), 0);
    RT_EQ(mica_send(bt.ep, &m), 0);
    struct mica_msg c = {0, mica_tag(1, 0, 0), {0, 0, 0, 0}};
    RT_EQ(mica_call((mica_handle_t)a2, &c), 0);
    RT_EQ(c.w[0], BADGE_A); /* the server saw the badge of the duplicate */
    RT_EQ(c.badge, 0);      /* a reply names no sender */
    RT_EQ(rt_wait_bits(bt.note, 1), 1);
    RT_EQ(bt.got[0].badge, BADGE_A);
    RT_EQ(bt.got[1].badge, BADGE_B);
    RT_EQ(bt.got[2].badge, 0);
    RT_EQ(bt.got[3].badge, BADGE_A);
    rt_reap(&t, 1);
    RT_EQ(mica_handle_close((mica_handle_t)a), 0);
    RT_EQ(mica_handle_close((mica_handle_t)a2), 0);
    RT_EQ(mica_handle_close((mica_handle_t)b), 0);
    teardown();
}

/* A badged handle keeps its badge when granted to a process (here: our own)
 * and when it travels in a message. */
static void test_badge_kept_by_grant_and_transfer(void)
{
    setup();
    int64_t a = mica_endpoint_mint(bt.ep, BADGE_A, MICA_RIGHT_ALL);
    RT_CHECK(a > 0);
    int64_t g = mica_handle_grant(rt_self, (mica_handle_t)a, MICA_RIGHT_ALL);
    RT_CHECK(g > 0);
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, badge_server, 1), 0);
    struct mica_msg m = {0, mica_tag(2, 0, 0), {0, 0, 0, 0}};
    RT_EQ(mica_send((mica_handle_t)g, &m), 0);
    RT_EQ(rt_wait_bits(bt.note, 1), 1);
    RT_EQ(bt.got[0].badge, BADGE_A);
    rt_reap(&t, 1);
    RT_EQ(mica_handle_close((mica_handle_t)g), 0);
    RT_EQ(mica_handle_close((mica_handle_t)a), 0);
    teardown();
}

/* A fault message carries the badge of the handle its thread's fault handler was set with. */
static void faulter(uint64_t arg)
{
    (void)arg;
    *(volatile int *)0 = 1;
    mica_thread_exit();
}

static void test_badge_on_fault_messages(void)
{
    setup();
    int64_t a = mica_endpoint_mint(bt.ep, BADGE_B, MICA_RIGHT_SEND);
    RT_CHECK(a > 0);
    struct mica_kernel_stats before;
    rt_stats(&before);
    mica_handle_t stack = 0;
    void *mem = rt_map_new(RT_STACK_SIZE, RT_RW, &stack);
    int64_t th = mica_thread_create(rt_self, faulter, (char *)mem + RT_STACK_SIZE, 0);
    RT_CHECK(th > 0);
    RT_EQ(mica_thread_set_fault_handler((mica_handle_t)th, (mica_handle_t)a), 0);
    RT_EQ(mica_thread_start((mica_handle_t)th), 0);
    struct mica_msg m;
    RT_EQ(mica_recv(bt.ep, &m), 0);
    RT_EQ((m.tag >> MICA_TAG_LABEL_SHIFT), MICA_MSG_FAULT);
    RT_EQ(m.badge, BADGE_B);
    struct mica_msg kill = {0, 0, {MICA_FAULT_KILL, 0, 0, 0}};
    RT_EQ(mica_reply(&kill), 0);
    RT_EQ(mica_handle_close((mica_handle_t)th), 0);
    RT_CHECK(rt_wait_threads(before.objects[RT_OBJ_THREAD]));
    rt_unmap_close(mem, RT_STACK_SIZE, stack);
    RT_EQ(mica_handle_close((mica_handle_t)a), 0);
    teardown();
}

const struct rt_test rt_badge_tests[] = {
    {"badge_mint_errors", test_mint_errors},
    {"badge_delivered", test_badge_delivered},
    {"badge_kept_by_grant_and_transfer", test_badge_kept_by_grant_and_transfer},
    {"badge_on_fault_messages", test_badge_on_fault_messages},
};
const unsigned rt_badge_test_count = sizeof rt_badge_tests / sizeof rt_badge_tests[0];
