/*
 * tests_ipc_long.c - long messages and passing handles: extra words and
 * handles travel through the threads' IPC buffers; reply handles let one
 * thread take a caller's pending answer and another give it.
 */
#include "rt.h"

#define STACK_SIZE 65536

static void *new_page(uint64_t size)
{
    int64_t vmo = mica_vmo_create(size);
    int64_t at =
        mica_vm_map(rt_self, (mica_handle_t)vmo, 0, 0, size, MICA_PROT_READ | MICA_PROT_WRITE);
    mica_handle_close((mica_handle_t)vmo);
    return (void *)at;
}

static int64_t spawn(void (*fn)(uint64_t), uint64_t arg, struct mica_ipc_buffer **buf)
{
    int64_t t = mica_thread_create(rt_self, fn, (char *)new_page(STACK_SIZE) + STACK_SIZE, arg);
    *buf = new_page(4096);
    mica_thread_set_ipc_buffer((mica_handle_t)t, *buf);
    mica_thread_start((mica_handle_t)t);
    return t;
}

static struct mica_ipc_buffer *server_buf;

/* Receives 100 words and one handle; answers with their sum and the handle's object type. */
static void summing_server(uint64_t ep)
{
    struct mica_msg m = {0};
    mica_recv((mica_handle_t)ep, &m);
    for (;;) {
        unsigned words = (m.tag >> MICA_TAG_WORDS_SHIFT) & MICA_TAG_WORDS_MASK;
        unsigned handles = (m.tag >> MICA_TAG_HANDLES_SHIFT) & MICA_TAG_HANDLES_MASK;
        uint64_t sum = 0;
        for (unsigned i = 0; i < words; i++)
            sum += server_buf->words[i];
        uint32_t type = 0, rights = 0;
        if (handles)
            mica_syscall3(SYS_HANDLE_INFO, server_buf->handles[0], (uint64_t)&type,
                          (uint64_t)&rights);
        if (handles)
            mica_handle_close(server_buf->handles[0]);
        m.tag = mica_tag(7, 0, 0);
        m.w[0] = sum;
        m.w[1] = type;
        m.w[2] = rights;
        mica_reply_recv((mica_handle_t)ep, &m);
    }
}

/* Extra words arrive intact; a passed handle leaves the sender and arrives with its rights. */
static void test_long_message_and_handle(void)
{
    mica_handle_t ep = (mica_handle_t)mica_endpoint_create();
    struct mica_ipc_buffer *mine = new_page(4096);
    /* Without an IPC buffer a long message is refused, and nothing moves. */
    struct mica_msg m = {0, mica_tag(1, 3, 0), {0}};
    int64_t t = spawn(summing_server, ep, &server_buf);
    RT_EQ(mica_call(ep, &m), -MICA_EINVAL);
    RT_EQ(mica_thread_set_ipc_buffer(0x7777, mine), -MICA_EBADF);
    RT_EQ(mica_thread_set_ipc_buffer((mica_handle_t)t, (char *)mine + 8), -MICA_EINVAL);
    RT_EQ(mica_thread_set_ipc_buffer(MICA_THREAD_SELF, mine), 0);

    uint64_t want = 0;
    for (unsigned i = 0; i < 100; i++) {
        mine->words[i] = i * 1000 + 7;
        want += i * 1000 + 7;
    }
    int64_t n = mica_notify_create();
    int64_t passed = mica_handle_dup((mica_handle_t)n, MICA_RIGHT_SIGNAL | MICA_RIGHT_TRANSFER);
    mine->handles[0] = (mica_handle_t)passed;
    m.tag = mica_tag(1, 100, 1);
    RT_EQ(mica_call(ep, &m), 0);
    RT_EQ(m.tag >> MICA_TAG_LABEL_SHIFT, 7);
    RT_EQ(m.w[0], want);
    RT_EQ(m.w[1], 5); /* a notification */
    RT_EQ(m.w[2], MICA_RIGHT_SIGNAL | MICA_RIGHT_TRANSFER);
    RT_EQ(mica_handle_close((mica_handle_t)passed), -MICA_EBADF); /* it moved */

    /* A handle without the transfer right does not move, and the call fails as a whole. */
    mine->handles[0] =
        (mica_handle_t)n; /* n has every right but is dup'ed below without TRANSFER */
    int64_t fixed = mica_handle_dup((mica_handle_t)n, MICA_RIGHT_SIGNAL);
    mine->handles[0] = (mica_handle_t)fixed;
    m.tag = mica_tag(1, 0, 1);
    RT_EQ(mica_call(ep, &m), -MICA_EACCES);
    RT_EQ(mica_handle_close((mica_handle_t)fixed), 0); /* still ours */
    m.tag = mica_tag(1, MICA_IPC_WORDS + 1, 0);
    RT_EQ(mica_call(ep, &m), -MICA_EINVAL);
    m.tag = mica_tag(1, 0, 0) | (1ull << 20); /* reserved bits */
    RT_EQ(mica_call(ep, &m), -MICA_EINVAL);
    RT_EQ(mica_thread_suspend((mica_handle_t)t), 0);
    mica_handle_close((mica_handle_t)n);
    mica_handle_close((mica_handle_t)t);
    mica_handle_close(ep);
    RT_EQ(mica_thread_set_ipc_buffer(MICA_THREAD_SELF, 0), 0);
}

static mica_handle_t front_ep, back_ep;

/* The front server takes the caller's reply handle and passes it on to the back server. */
static void front_server(uint64_t arg)
{
    struct mica_ipc_buffer *buf = (struct mica_ipc_buffer *)arg;
    struct mica_msg m = {0};
    for (;;) {
        mica_recv(front_ep, &m);
        int64_t reply = mica_reply_take();
        buf->handles[0] = (mica_handle_t)reply;
        m.tag = mica_tag(2, 0, 1);
        mica_send(back_ep, &m);
    }
}

static void back_server(uint64_t arg)
{
    struct mica_ipc_buffer *buf = (struct mica_ipc_buffer *)arg;
    struct mica_msg m = {0};
    for (;;) {
        mica_recv(back_ep, &m);
        mica_handle_t reply = buf->handles[0];
        struct mica_msg answer = {0, mica_tag(3, 0, 0), {m.w[0] * 2, 0, 0, 0}};
        mica_reply_send(reply, &answer);
        RT_EQ(mica_reply_send(reply, &answer), -MICA_EINVAL); /* one use only */
        mica_handle_close(reply);
    }
}

static void start_with_buffer(void (*fn)(uint64_t))
{
    struct mica_ipc_buffer *buf = new_page(4096);
    int64_t t =
        mica_thread_create(rt_self, fn, (char *)new_page(STACK_SIZE) + STACK_SIZE, (uint64_t)buf);
    mica_thread_set_ipc_buffer((mica_handle_t)t, buf);
    mica_thread_start((mica_handle_t)t);
    mica_handle_close((mica_handle_t)t);
}

/* A request forwarded through a reply handle is answered by the last server in the chain. */
static void test_reply_handle_forwarded(void)
{
    front_ep = (mica_handle_t)mica_endpoint_create();
    back_ep = (mica_handle_t)mica_endpoint_create();
    RT_EQ(mica_reply_take(), -MICA_EINVAL); /* no caller pending */
    start_with_buffer(front_server);
    start_with_buffer(back_server);
    for (uint64_t i = 1; i <= 20; i++) {
        struct mica_msg m = {0, mica_tag(1, 0, 0), {i, 0, 0, 0}};
        RT_EQ(mica_call(front_ep, &m), 0);
        RT_EQ(m.tag >> MICA_TAG_LABEL_SHIFT, 3);
        RT_EQ(m.w[0], 2 * i);
    }
}

static mica_handle_t drop_ep;

static void dropping_server(uint64_t arg)
{
    (void)arg;
    struct mica_msg m = {0};
    mica_recv(drop_ep, &m);
    int64_t reply = mica_reply_take();
    mica_handle_close((mica_handle_t)reply); /* never answered */
    mica_thread_exit();
}

/* A reply handle dropped unanswered wakes the caller with -EPIPE. */
static void test_reply_handle_dropped(void)
{
    drop_ep = (mica_handle_t)mica_endpoint_create();
    int64_t t =
        mica_thread_create(rt_self, dropping_server, (char *)new_page(STACK_SIZE) + STACK_SIZE, 0);
    mica_thread_start((mica_handle_t)t);
    struct mica_msg m = {0};
    RT_EQ(mica_call(drop_ep, &m), -MICA_EPIPE);
    mica_handle_close((mica_handle_t)t);
    mica_handle_close(drop_ep);
}

const struct rt_test rt_ipc_long_tests[] = {
    {"ipc_long_message_and_handle", test_long_message_and_handle},
    {"ipc_reply_handle_forwarded", test_reply_handle_forwarded},
    {"ipc_reply_handle_dropped", test_reply_handle_dropped},
};
const unsigned rt_ipc_long_test_count = sizeof rt_ipc_long_tests / sizeof rt_ipc_long_tests[0];
