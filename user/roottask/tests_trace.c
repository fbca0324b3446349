/*
 * tests_trace.c - the kernel trace buffer: start it, make something happen
 * (IPC between two threads), stop it and read back what it recorded.  The
 * events are also printed as "trace-event:" lines, which tools/trace2json.py
 * turns into a trace that Chrome's and Perfetto's viewers open.
 */
#include "rt.h"

#define STACK_SIZE 65536
#define MAX_EVENTS 2048

static mica_handle_t echo_ep;

static void echo(uint64_t arg)
{
    (void)arg;
    struct mica_msg m = {0};
    mica_recv(echo_ep, &m);
    for (;;)
        mica_reply_recv(echo_ep, &m);
}

static struct mica_trace_event *event_buffer(void)
{
    uint64_t size = MAX_EVENTS * sizeof(struct mica_trace_event);
    int64_t vmo = mica_vmo_create(size);
    int64_t at =
        mica_vm_map(rt_self, (mica_handle_t)vmo, 0, 0, size, MICA_PROT_READ | MICA_PROT_WRITE);
    mica_handle_close((mica_handle_t)vmo);
    return (struct mica_trace_event *)at;
}

static unsigned count_type(const struct mica_trace_event *ev, int64_t n, uint32_t type)
{
    unsigned count = 0;
    for (int64_t i = 0; i < n; i++)
        count += ev[i].type == type;
    return count;
}

/* Switches, system calls and IPC of a short ping-pong all show up, in time order. */
static void test_trace_records_ipc(void)
{
    struct mica_trace_event *ev = event_buffer();
    echo_ep = (mica_handle_t)mica_endpoint_create();
    int64_t vmo = mica_vmo_create(STACK_SIZE);
    int64_t stack = mica_vm_map(rt_self, (mica_handle_t)vmo, 0, 0, STACK_SIZE,
                                MICA_PROT_READ | MICA_PROT_WRITE);
    int64_t t = mica_thread_create(rt_self, echo, (void *)(stack + STACK_SIZE), 0);
    RT_EQ(mica_thread_set_cpu((mica_handle_t)t, 0), 0);
    RT_EQ(mica_thread_start((mica_handle_t)t), 0);
    struct mica_msg m = {0};
    RT_EQ(mica_call(echo_ep, &m), 0); /* the echo thread is up */

    RT_EQ(mica_trace_control(rt_trace, MICA_TRACE_CLEAR), 0);
    RT_EQ(mica_trace_control(rt_trace, MICA_TRACE_START), 0);
    for (int i = 0; i < 10; i++)
        RT_EQ(mica_call(echo_ep, &m), 0);
    RT_EQ(mica_trace_control(rt_trace, MICA_TRACE_STOP), 0);

    /* The test thread may have moved between CPUs: collect every CPU's ring. */
    int64_t n = 0;
    for (unsigned cpu = 0;; cpu++) {
        int64_t got = mica_trace_read(rt_trace, cpu, ev + n, (uint64_t)(MAX_EVENTS - n));
        if (got < 0)
            break; /* no such CPU */
        n += got;
    }
    RT_CHECK(n > 40);
    RT_CHECK(count_type(ev, n, MICA_EV_IPC_SEND) >= 10);
    RT_CHECK(count_type(ev, n, MICA_EV_IPC_RECV) >= 10);
    RT_CHECK(count_type(ev, n, MICA_EV_SYSCALL) >= 20);
    for (int64_t i = 1; i < n; i++)
        RT_CHECK(ev[i].tsc >= ev[i - 1].tsc || ev[i].cpu != ev[i - 1].cpu); /* per CPU in order */
    for (int64_t i = 0; i < n; i++)
        mica_printf("trace-event: %lu %u %u %lu %lu\n", ev[i].tsc, ev[i].type, ev[i].cpu, ev[i].a,
                    ev[i].b);
    RT_EQ(mica_trace_read(rt_trace, 0, ev, MAX_EVENTS), 0); /* taken: the ring is empty now */
    RT_EQ(mica_thread_suspend((mica_handle_t)t), 0);
    mica_handle_close((mica_handle_t)t);
    mica_handle_close(echo_ep);
}

/* Control and read check their handle and arguments. */
static void test_trace_errors(void)
{
    struct mica_trace_event ev[4];
    RT_EQ(mica_trace_control(rt_self, MICA_TRACE_START), -MICA_EINVAL);
    RT_EQ(mica_trace_control(rt_trace, 99), -MICA_EINVAL);
    RT_EQ(mica_trace_read(rt_trace, 999, ev, 4), -MICA_EINVAL);
    RT_EQ(mica_trace_control(rt_trace, MICA_TRACE_START), 0);
    mica_yield();
    RT_EQ(mica_trace_read(rt_trace, 0, (struct mica_trace_event *)0xffff800000000000ull, 4),
          -MICA_EFAULT);
    RT_EQ(mica_trace_control(rt_trace, MICA_TRACE_STOP), 0);
    RT_EQ(mica_trace_control(rt_trace, MICA_TRACE_CLEAR), 0);
    RT_EQ(mica_trace_read(rt_trace, 0, ev, 4), 0);
    int64_t weak = mica_handle_dup(rt_trace, MICA_RIGHT_READ);
    RT_EQ(mica_trace_control((mica_handle_t)weak, MICA_TRACE_START), -MICA_EACCES);
    mica_handle_close((mica_handle_t)weak);
}

const struct rt_test rt_trace_tests[] = {
    {"trace_records_ipc", test_trace_records_ipc},
    {"trace_errors", test_trace_errors},
};
const unsigned rt_trace_test_count = sizeof rt_trace_tests / sizeof rt_trace_tests[0];
