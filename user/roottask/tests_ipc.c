/*
 * tests_ipc.c - synchronous IPC through endpoints: send/recv, call/reply,
 * reply_recv servers, what happens when a server dies or an endpoint is
 * closed under waiting threads.
 *
 * Threads share results with the test through the static `ipc` state; the
 * test reads them only after the thread has signalled `ipc.note`.
 */
#include "rt.h"
#include "tests.h"

/* Tags carry a label in bits 32-63; the low bits say what lies in an IPC buffer (nothing here). */
#define QUIT_TAG mica_tag(0xdead, 0, 0)

static struct {
    mica_handle_t ep, ep2, note;
    struct mica_msg got;  /* what a thread received */
    int64_t result;       /* what its last call returned */
    int64_t reply_result; /* what its reply returned */
    volatile int flag;
} ipc;

/* Message words made from (seed, i), covering all 64 bits. */
static uint64_t word(uint64_t seed, unsigned i)
{
    uint64_t x = (seed + 1) * 0x9e3779b97f4a7c15ull + i * 0xbf58476d1ce4e5b9ull;
    return x ^ (x >> 29);
}

/* A tag with a label made from seed. */
static uint64_t tag_of(uint64_t seed)
{
    return mica_tag((uint32_t)(word(seed, 7) >> 32), 0, 0);
}

static void fill_msg(struct mica_msg *m, uint64_t seed)
{
    m->badge = 0;
    m->tag = tag_of(seed);
    for (unsigned i = 0; i < 4; i++)
        m->w[i] = word(seed, i);
}

/* Does m hold exactly what fill_msg(m, seed) put in? */
static int msg_is(const struct mica_msg *m, uint64_t seed)
{
    if (m->tag != tag_of(seed))
        return 0;
    for (unsigned i = 0; i < 4; i++)
        if (m->w[i] != word(seed, i))
            return 0;
    return 1;
}

static void setup(void)
{
    int64_t ep = mica_endpoint_create(), ep2 = mica_endpoint_create(), n = mica_notify_create();
    RT_CHECK(ep > 0 && ep2 > 0 && n > 0);
    ipc.ep = (mica_handle_t)ep;
    ipc.ep2 = (mica_handle_t)ep2;
    ipc.note = (mica_handle_t)n;
    ipc.result = ipc.reply_result = 12345;
    ipc.flag = 0;
}

/* Close what setup() made; an already closed handle is skipped (pass 0). */
static void teardown(void)
{
    if (ipc.ep)
        RT_EQ(mica_handle_close(ipc.ep), 0);
    RT_EQ(mica_handle_close(ipc.ep2), 0);
    RT_EQ(mica_handle_close(ipc.note), 0);
}

/* Give a thread that was just woken time to block again (it runs on another CPU, or here). */
static void settle(void)
{
    rt_yield_n(300);
}

/* reply with nobody waiting for an answer is refused with EINVAL. */
void test_ipc_reply_without_caller(void)
{
    struct mica_msg m;
    fill_msg(&m, 1);
    RT_EQ(mica_reply(&m), -MICA_EINVAL);
    RT_EQ(mica_reply(&m), -MICA_EINVAL);
}

/* send hands a message to a receiver whole; the receiver cannot reply to a send. */
static void receiver(uint64_t arg)
{
    (void)arg;
    ipc.result = mica_recv(ipc.ep, &ipc.got);
    ipc.reply_result = mica_reply(&ipc.got);
    rt_signal_exit(ipc.note, 1);
}

void test_ipc_send_recv(void)
{
    setup();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, receiver, 0), 0);
    struct mica_msg m;
    fill_msg(&m, 2);
    m.badge = 0x77; /* not sent: the kernel sets the badge */
    RT_EQ(mica_send(ipc.ep, &m), 0);
    RT_EQ(rt_wait_bits(ipc.note, 1), 1);
    RT_EQ(ipc.result, 0);
    RT_CHECK(msg_is(&ipc.got, 2));
    RT_EQ(ipc.got.badge, 0);
    RT_EQ(ipc.reply_result, -MICA_EINVAL);
    rt_reap(&t, 1);
    teardown();
}

/* send waits until a receiver has taken the message (a rendezvous). */
static void late_receiver(uint64_t arg)
{
    (void)arg;
    rt_yield_n(200);
    ipc.flag = 1;
    ipc.result = mica_recv(ipc.ep, &ipc.got);
    rt_signal_exit(ipc.note, 1);
}

void test_ipc_send_waits_for_receiver(void)
{
    setup();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, late_receiver, 0), 0);
    struct mica_msg m;
    fill_msg(&m, 3);
    RT_EQ(mica_send(ipc.ep, &m), 0);
    RT_EQ(ipc.flag, 1); /* the receiver had come */
    RT_EQ(rt_wait_bits(ipc.note, 1), 1);
    RT_CHECK(msg_is(&ipc.got, 3));
    rt_reap(&t, 1);
    teardown();
}

/* call carries a message to the server and its reply back; a second reply is refused. */
static void one_shot_server(uint64_t arg)
{
    (void)arg;
    struct mica_msg m;
    ipc.result = mica_recv(ipc.ep, &ipc.got);
    rt_yield_n(100); /* the caller must still wait */
    fill_msg(&m, 5);
    ipc.flag = 1;
    ipc.reply_result = mica_reply(&m);
    ipc.got.badge = (uint64_t)mica_reply(&m); /* the second one */
    rt_signal_exit(ipc.note, 1);
}

void test_ipc_call_reply(void)
{
    setup();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, one_shot_server, 0), 0);
    struct mica_msg m;
    fill_msg(&m, 4);
    RT_EQ(mica_call(ipc.ep, &m), 0);
    RT_EQ(ipc.flag, 1); /* call returned only after the reply */
    RT_CHECK(msg_is(&m, 5));
    RT_EQ(rt_wait_bits(ipc.note, 1), 1);
    RT_EQ(ipc.result, 0);
    RT_CHECK(msg_is(&ipc.got, 4));
    RT_EQ(ipc.reply_result, 0);
    RT_EQ((int64_t)ipc.got.badge, -MICA_EINVAL);
    rt_reap(&t, 1);
    teardown();
}

/* A server loop: answer every call with (seed + 1) until QUIT_TAG, checking each request. */
static void echo_server(uint64_t arg)
{
    (void)arg;
    struct mica_msg m;
    int64_t r = mica_recv(ipc.ep, &m);
    uint64_t bad = 0;
    while (r == 0 && m.tag != QUIT_TAG) {
        uint64_t seed = m.w[0] - word(0, 0); /* requests carry their seed in w[0], see below */
        uint64_t tag = m.tag;
        fill_msg(&m, seed + 1000000);
        m.w[0] = seed;
        if (tag != tag_of(seed))
            bad++;
        r = mica_reply_recv(ipc.ep, &m);
    }
    ipc.result = r;
    ipc.flag = (int)bad;
    if (r == 0)
        mica_reply(&m);
    rt_signal_exit(ipc.note, 1);
}

/* One round trip to echo_server with this seed; 1 if the answer is right. */
static int echo_call(mica_handle_t ep, uint64_t seed)
{
    struct mica_msg m;
    fill_msg(&m, seed);
    m.w[0] = seed + word(0, 0);
    if (mica_call(ep, &m) != 0)
        return 0;
    uint64_t w0 = m.w[0];
    m.w[0] = word(seed + 1000000, 0);
    return w0 == seed && msg_is(&m, seed + 1000000);
}

static void quit_server(mica_handle_t ep)
{
    struct mica_msg m = {0};
    m.tag = QUIT_TAG;
    RT_EQ(mica_call(ep, &m), 0);
}

/* 1000 round trips between this thread and a server thread; every word arrives intact. */
void test_ipc_pingpong(void)
{
    setup();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, echo_server, 0), 0);
    unsigned good = 0;
    for (uint64_t i = 0; i < 1000; i++)
        good += echo_call(ipc.ep, i);
    RT_EQ(good, 1000);
    quit_server(ipc.ep);
    RT_EQ(rt_wait_bits(ipc.note, 1), 1);
    RT_EQ(ipc.result, 0);
    RT_EQ(ipc.flag, 0);
    rt_reap(&t, 1);
    teardown();
}

/* Two threads play ping-pong with send and recv over two endpoints, 1000 times. */
static void ping(uint64_t arg)
{
    (void)arg;
    struct mica_msg m;
    uint64_t bad = 0;
    for (uint64_t i = 0; i < 1000; i++) {
        fill_msg(&m, 2 * i);
        if (mica_send(ipc.ep, &m) != 0 || mica_recv(ipc.ep2, &m) != 0 || !msg_is(&m, 2 * i + 1))
            bad++;
    }
    ipc.result = (int64_t)bad;
    rt_signal_exit(ipc.note, 1);
}

static void pong(uint64_t arg)
{
    (void)arg;
    struct mica_msg m;
    uint64_t bad = 0;
    for (uint64_t i = 0; i < 1000; i++) {
        if (mica_recv(ipc.ep, &m) != 0 || !msg_is(&m, 2 * i))
            bad++;
        fill_msg(&m, 2 * i + 1);
        if (mica_send(ipc.ep2, &m) != 0)
            bad++;
    }
    ipc.reply_result = (int64_t)bad;
    rt_signal_exit(ipc.note, 2);
}

void test_ipc_pingpong_send_recv(void)
{
    setup();
    struct rt_thread t[2];
    RT_EQ(rt_spawn(&t[0], ping, 0), 0);
    RT_EQ(rt_spawn(&t[1], pong, 0), 0);
    RT_EQ(rt_wait_bits(ipc.note, 3), 3);
    RT_EQ(ipc.result, 0);
    RT_EQ(ipc.reply_result, 0);
    rt_reap(t, 2);
    teardown();
}

/* Two client threads call one reply_recv server; every reply reaches its own caller. */
static mica_handle_t clients_note;
static unsigned client_good[3];

static void echo_client(uint64_t id)
{
    unsigned good = 0;
    for (uint64_t i = 0; i < 500; i++)
        good += echo_call(ipc.ep, id * 1000000000ull + i);
    client_good[id] = good;
    rt_signal_exit(clients_note, 1ull << id);
}

/* A server that starts with reply_recv: with no caller yet it just receives. */
static void reply_recv_server(uint64_t arg)
{
    struct mica_msg m = {0};
    (void)arg;
    int64_t r = mica_reply_recv(ipc.ep, &m);
    while (r == 0 && m.tag != QUIT_TAG) {
        uint64_t seed = m.w[0] - word(0, 0);
        fill_msg(&m, seed + 1000000);
        m.w[0] = seed;
        r = mica_reply_recv(ipc.ep, &m);
    }
    ipc.result = r;
    if (r == 0)
        mica_reply(&m);
    rt_signal_exit(ipc.note, 1);
}

void test_ipc_two_clients(void)
{
    setup();
    clients_note = (mica_handle_t)mica_notify_create();
    struct rt_thread t[3];
    RT_EQ(rt_spawn(&t[0], reply_recv_server, 0), 0);
    RT_EQ(rt_spawn(&t[1], echo_client, 1), 0);
    RT_EQ(rt_spawn(&t[2], echo_client, 2), 0);
    RT_EQ(rt_wait_bits(clients_note, 0x6), 0x6);
    RT_EQ(client_good[1], 500);
    RT_EQ(client_good[2], 500);
    quit_server(ipc.ep);
    RT_EQ(rt_wait_bits(ipc.note, 1), 1);
    RT_EQ(ipc.result, 0);
    rt_reap(t, 3);
    RT_EQ(mica_handle_close(clients_note), 0);
    teardown();
}

/* A handle with only the SEND right is enough to call. */
void test_ipc_send_only_handle(void)
{
    setup();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, echo_server, 0), 0);
    int64_t send_only = mica_handle_dup(ipc.ep, MICA_RIGHT_SEND);
    RT_CHECK(send_only > 0);
    RT_EQ(echo_call((mica_handle_t)send_only, 42), 1);
    struct mica_msg m;
    RT_EQ(mica_recv((mica_handle_t)send_only, &m), -MICA_EACCES);
    quit_server((mica_handle_t)send_only);
    RT_EQ(rt_wait_bits(ipc.note, 1), 1);
    rt_reap(&t, 1);
    RT_EQ(mica_handle_close((mica_handle_t)send_only), 0);
    teardown();
}

/* A server that ends without replying makes the pending call fail with EPIPE. */
static void quitting_server(uint64_t arg)
{
    (void)arg;
    ipc.result = mica_recv(ipc.ep, &ipc.got);
    rt_signal_exit(ipc.note, 1); /* no reply */
}

void test_ipc_server_exit_epipe(void)
{
    setup();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, quitting_server, 0), 0);
    struct mica_msg m;
    fill_msg(&m, 9);
    RT_EQ(mica_call(ipc.ep, &m), -MICA_EPIPE);
    RT_EQ(rt_wait_bits(ipc.note, 1), 1);
    RT_EQ(ipc.result, 0);
    RT_CHECK(msg_is(&ipc.got, 9));
    rt_reap(&t, 1);
    teardown();
}

/* A server that faults while a call waits for it makes the call fail with EPIPE. */
static void faulting_server(uint64_t arg)
{
    (void)arg;
    ipc.result = mica_recv(ipc.ep, &ipc.got);
    mica_notify_signal(ipc.note, 1);
    __asm__ volatile("movq $1, 0" ::: "memory"); /* null write: the thread ends here */
    rt_signal_exit(ipc.note, 2);
}

void test_ipc_server_fault_epipe(void)
{
    setup();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, faulting_server, 0), 0);
    struct mica_msg m;
    fill_msg(&m, 10);
    RT_EQ(mica_call(ipc.ep, &m), -MICA_EPIPE);
    RT_CHECK(rt_wait_bits(ipc.note, 1) > 0);
    rt_reap(&t, 1);
    RT_EQ(mica_notify_poll(ipc.note) & 2, 0);
    teardown();
}

/* Closing the last handle to an endpoint wakes a blocked receiver with EPIPE. */
static void blocked_receiver(uint64_t arg)
{
    (void)arg;
    mica_notify_signal(ipc.note, 1);
    ipc.result = mica_recv(ipc.ep, &ipc.got);
    rt_signal_exit(ipc.note, 2);
}

void test_ipc_close_wakes_receiver(void)
{
    setup();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, blocked_receiver, 0), 0);
    RT_EQ(rt_wait_bits(ipc.note, 1), 1);
    RT_CHECK(rt_wait_blocked(t.handle)); /* in its IPC, not just before it */
    RT_EQ(mica_handle_close(ipc.ep), 0);
    ipc.ep = 0;
    RT_EQ(rt_wait_bits(ipc.note, 2), 2);
    RT_EQ(ipc.result, -MICA_EPIPE);
    rt_reap(&t, 1);
    teardown();
}

/* Closing the last handle to an endpoint wakes a blocked caller with EPIPE. */
static void blocked_caller(uint64_t arg)
{
    struct mica_msg m;
    fill_msg(&m, 11);
    mica_notify_signal(ipc.note, 1);
    ipc.result = arg ? mica_call(ipc.ep, &m) : mica_send(ipc.ep, &m);
    rt_signal_exit(ipc.note, 2);
}

void test_ipc_close_wakes_caller(void)
{
    setup();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, blocked_caller, 1), 0);
    RT_EQ(rt_wait_bits(ipc.note, 1), 1);
    RT_CHECK(rt_wait_blocked(t.handle)); /* in its IPC, not just before it */
    RT_EQ(mica_handle_close(ipc.ep), 0);
    ipc.ep = 0;
    RT_EQ(rt_wait_bits(ipc.note, 2), 2);
    RT_EQ(ipc.result, -MICA_EPIPE);
    rt_reap(&t, 1);
    teardown();
}

/* Closing the last handle to an endpoint wakes a blocked sender with EPIPE. */
void test_ipc_close_wakes_sender(void)
{
    setup();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, blocked_caller, 0), 0);
    RT_EQ(rt_wait_bits(ipc.note, 1), 1);
    RT_CHECK(rt_wait_blocked(t.handle)); /* in its IPC, not just before it */
    RT_EQ(mica_handle_close(ipc.ep), 0);
    ipc.ep = 0;
    RT_EQ(rt_wait_bits(ipc.note, 2), 2);
    RT_EQ(ipc.result, -MICA_EPIPE);
    rt_reap(&t, 1);
    teardown();
}

/* Closing one of two handles to an endpoint leaves its waiters waiting. */
void test_ipc_close_one_of_two_handles(void)
{
    setup();
    int64_t dup = mica_handle_dup(ipc.ep, MICA_RIGHT_ALL);
    RT_CHECK(dup > 0);
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, blocked_receiver, 0), 0);
    RT_EQ(rt_wait_bits(ipc.note, 1), 1);
    RT_CHECK(rt_wait_blocked(t.handle)); /* in its IPC, not just before it */
    RT_EQ(mica_handle_close(ipc.ep), 0);
    ipc.ep = 0;
    settle();
    RT_EQ(mica_notify_poll(ipc.note), 0); /* still blocked */
    struct mica_msg m;
    fill_msg(&m, 12);
    RT_EQ(mica_send((mica_handle_t)dup, &m), 0);
    RT_EQ(rt_wait_bits(ipc.note, 2), 2);
    RT_EQ(ipc.result, 0);
    RT_CHECK(msg_is(&ipc.got, 12));
    rt_reap(&t, 1);
    RT_EQ(mica_handle_close((mica_handle_t)dup), 0);
    teardown();
}

/* Senders queue up on an endpoint; a receiver that comes later takes them one by one. */
static mica_handle_t queue_note;

static void queued_sender(uint64_t i)
{
    struct mica_msg m;
    fill_msg(&m, 100 + i);
    int64_t r = mica_send(ipc.ep, &m);
    rt_signal_exit(queue_note, r == 0 ? 1ull << i : 1ull << (i + 16));
}

void test_ipc_queued_senders(void)
{
    setup();
    queue_note = (mica_handle_t)mica_notify_create();
    struct rt_thread t[4];
    for (int i = 0; i < 4; i++)
        RT_EQ(rt_spawn(&t[i], queued_sender, (uint64_t)i), 0);
    settle();
    unsigned seen = 0;
    for (int i = 0; i < 4; i++) {
        struct mica_msg m;
        RT_EQ(mica_recv(ipc.ep, &m), 0);
        for (unsigned k = 0; k < 4; k++)
            if (msg_is(&m, 100 + k))
                seen |= 1u << k;
    }
    RT_EQ(seen, 0xf);
    RT_EQ(rt_wait_bits(queue_note, 0xf), 0xf);
    rt_reap(t, 4);
    RT_EQ(mica_handle_close(queue_note), 0);
    teardown();
}

/* ---- passing handles (tests_ipc_long.c has the long-message tests) ---- */

static struct mica_ipc_buffer *xfer_buf;

/* Receives calls; counts the handles that arrive (in ipc.flag) and closes them. */
static void xfer_server(uint64_t arg)
{
    (void)arg;
    struct mica_msg m = {0};
    mica_thread_set_ipc_buffer(MICA_THREAD_SELF, xfer_buf);
    mica_notify_signal(ipc.note, 1);
    int64_t r = mica_recv(ipc.ep, &m);
    while (r == 0 && m.tag != QUIT_TAG) {
        unsigned n = (m.tag >> MICA_TAG_HANDLES_SHIFT) & MICA_TAG_HANDLES_MASK;
        ipc.flag += (int)n;
        for (unsigned i = 0; i < n; i++)
            mica_handle_close(xfer_buf->handles[i]);
        m.tag = mica_tag(2, 0, 0);
        r = mica_reply_recv(ipc.ep, &m);
    }
    if (r == 0)
        mica_reply(&m);
    rt_signal_exit(ipc.note, 2);
}

/* A handle listed twice in one message cannot arrive twice: that would copy it
 * without the DUP right.  The message is refused and nothing moves. */
void test_ipc_transfer_same_handle_twice(void)
{
    setup();
    mica_handle_t vmo_a, vmo_b;
    struct mica_ipc_buffer *mine = rt_map_new(RT_PAGE, RT_RW, &vmo_a);
    xfer_buf = rt_map_new(RT_PAGE, RT_RW, &vmo_b);
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, xfer_server, 0), 0);
    RT_EQ(rt_wait_bits(ipc.note, 1), 1);
    settle();
    RT_EQ(mica_thread_set_ipc_buffer(MICA_THREAD_SELF, mine), 0);

    mica_handle_t n = (mica_handle_t)mica_notify_create();
    int64_t d = mica_handle_dup(n, MICA_RIGHT_SIGNAL | MICA_RIGHT_TRANSFER); /* no DUP */
    RT_CHECK(d > 0);
    struct mica_kernel_stats s0, s1;
    rt_stats(&s0);
    mine->handles[0] = mine->handles[1] = (mica_handle_t)d;
    struct mica_msg m = {0, mica_tag(1, 0, 2), {0}};
    RT_EQ(mica_call(ipc.ep, &m), -MICA_EINVAL);
    rt_stats(&s1);
    RT_EQ(s1.handles, s0.handles); /* no handle made or lost */
    RT_EQ(ipc.flag, 0);            /* none arrived */
    RT_EQ(rt_rights((mica_handle_t)d), MICA_RIGHT_SIGNAL | MICA_RIGHT_TRANSFER);

    mica_handle_close((mica_handle_t)d); /* whatever became of it */

    /* Listed once, a handle moves: one arrives, and ours is gone. */
    d = mica_handle_dup(n, MICA_RIGHT_SIGNAL | MICA_RIGHT_TRANSFER);
    int before = ipc.flag;
    mine->handles[0] = (mica_handle_t)d;
    m.tag = mica_tag(1, 0, 1);
    RT_EQ(mica_call(ipc.ep, &m), 0);
    RT_EQ(ipc.flag - before, 1);
    RT_EQ(mica_handle_close((mica_handle_t)d), -MICA_EBADF);

    quit_server(ipc.ep);
    RT_EQ(rt_wait_bits(ipc.note, 2), 2);
    rt_reap(&t, 1);
    RT_EQ(mica_thread_set_ipc_buffer(MICA_THREAD_SELF, 0), 0);
    RT_EQ(mica_handle_close(n), 0);
    rt_unmap_close(mine, RT_PAGE, vmo_a);
    rt_unmap_close(xfer_buf, RT_PAGE, vmo_b);
    teardown();
}

/* A message with reserved tag bits (12-31) set is refused, and the receiver keeps waiting. */
void test_ipc_reserved_tag_bits(void)
{
    setup();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, echo_server, 0), 0);
    settle();
    struct mica_msg m = {0, mica_tag(1, 0, 0) | (1ull << 12), {0}};
    RT_EQ(mica_call(ipc.ep, &m), -MICA_EINVAL);
    m.tag = mica_tag(1, 0, 0) | 0x80000000ull;
    RT_EQ(mica_send(ipc.ep, &m), -MICA_EINVAL);
    /* Extra words or handles without IPC buffers: refused too. */
    m.tag = mica_tag(1, 1, 0);
    RT_EQ(mica_call(ipc.ep, &m), -MICA_EINVAL);
    m.tag = mica_tag(1, 0, 1);
    RT_EQ(mica_call(ipc.ep, &m), -MICA_EINVAL);
    RT_EQ(echo_call(ipc.ep, 77), 1); /* the server is still there and well */
    quit_server(ipc.ep);
    RT_EQ(rt_wait_bits(ipc.note, 1), 1);
    RT_EQ(ipc.flag, 0);
    rt_reap(&t, 1);
    teardown();
}
