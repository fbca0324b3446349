/*
 * The benchmark root task (make bench): measures the kernel's native paths
 * from user mode - the null system call, a system call forwarded to a
 * handler (as for Linux programs), IPC round trips on one CPU, across
 * CPUs and between address spaces, notification ping-pong, zero-fill page
 * faults, thread creation, and mapping a page - and prints each median as
 * "bench: NAME_cycles N cycles".
 */
#include <mica.h>
#include <mica/sort.h>

#define RUNS       1001
#define STACK_SIZE 65536

static uint64_t samples[RUNS];
static mica_handle_t self;

static void report(const char *name, unsigned n)
{
    sort_u64(samples, n);
    mica_printf("bench: %s_cycles %lu cycles\n", name, samples[n / 2]);
}

static void *new_stack(void)
{
    int64_t vmo = mica_vmo_create(STACK_SIZE);
    int64_t at =
        mica_vm_map(self, (mica_handle_t)vmo, 0, 0, STACK_SIZE, MICA_PROT_READ | MICA_PROT_WRITE);
    mica_handle_close((mica_handle_t)vmo);
    return (void *)(at + STACK_SIZE);
}

static int64_t spawn(void (*fn)(uint64_t), uint64_t arg, int cpu)
{
    int64_t t = mica_thread_create(self, fn, new_stack(), arg);
    if (t < 0)
        return t;
    if (cpu >= 0)
        mica_thread_set_cpu((mica_handle_t)t, (unsigned)cpu);
    mica_thread_start((mica_handle_t)t);
    return t;
}

static void bench_null_syscall(void)
{
    for (unsigned i = 0; i < RUNS; i++) {
        uint64_t t0 = mica_rdtsc();
        mica_syscall0(SYS_NULL);
        samples[i] = mica_rdtsc() - t0;
    }
    report("null_syscall", RUNS);
}

#define LINUX_GETPID 39
#define LINUX_EXIT   60
#define WARMUP       10

/*
 * A thread whose system calls are forwarded (SYS_THREAD_SET_SYSCALL_HANDLER):
 * it times "getpid" round trips - thread, kernel, handler, kernel, thread -
 * and ends with "exit", which the handler answers with a kill.  It can make
 * no native call, so it leaves its figures in `samples`.
 */
static void forwarded_caller(uint64_t arg)
{
    (void)arg;
    for (unsigned i = 0; i < WARMUP + RUNS; i++) {
        uint64_t t0 = mica_rdtsc(), ret;
        __asm__ volatile("syscall"
                         : "=a"(ret)
                         : "a"((uint64_t)LINUX_GETPID)
                         : "rcx", "r11", "memory");
        if (i >= WARMUP)
            samples[i - WARMUP] = mica_rdtsc() - t0;
    }
    __asm__ volatile("syscall" ::"a"((uint64_t)LINUX_EXIT) : "rcx", "r11", "memory");
    for (;;)
        ;
}

/* The cost of forwarding, next to null_syscall: the handler answers at once, on the same CPU. */
static void bench_forwarded_syscall(void)
{
    int64_t ep = mica_endpoint_create();
    int64_t t = mica_thread_create(self, forwarded_caller, new_stack(), 0);
    mica_thread_set_cpu((mica_handle_t)t, 0);
    mica_thread_set_syscall_handler((mica_handle_t)t, (mica_handle_t)ep);
    mica_thread_start((mica_handle_t)t);
    struct mica_msg m = {0};
    mica_recv((mica_handle_t)ep, &m);
    while (m.w[0] != LINUX_EXIT) {
        m = (struct mica_msg){0, 0, {MICA_SYSCALL_RETURN, 0, 0, 0}};
        if (mica_reply_recv((mica_handle_t)ep, &m) < 0)
            break;
    }
    m = (struct mica_msg){0, 0, {MICA_FAULT_KILL, 0, 0, 0}};
    mica_reply(&m);
    report("forwarded_syscall", RUNS);
    mica_handle_close((mica_handle_t)t);
    mica_handle_close((mica_handle_t)ep);
}

/* An echo server: answers every call with the words it got, plus one. */
static void echo_server(uint64_t ep)
{
    struct mica_msg m = {0};
    mica_recv((mica_handle_t)ep, &m);
    for (;;) {
        m.w[0]++;
        mica_reply_recv((mica_handle_t)ep, &m);
    }
}

static void bench_ipc(const char *name, int server_cpu)
{
    int64_t ep = mica_endpoint_create();
    spawn(echo_server, (uint64_t)ep, server_cpu);
    struct mica_msg m = {0};
    for (unsigned i = 0; i < 10; i++) /* warm up */
        mica_call((mica_handle_t)ep, &m);
    for (unsigned i = 0; i < RUNS; i++) {
        uint64_t t0 = mica_rdtsc();
        mica_call((mica_handle_t)ep, &m);
        samples[i] = mica_rdtsc() - t0;
    }
    report(name, RUNS);
}

#define CHILD_STACK 0x0000320000000000ull

/*
 * The same echo server in a second address space: a copy-on-write clone of
 * this program, a stack of its own, and the endpoint granted into its table.
 */
static void bench_ipc_cross_aspace(void)
{
    int64_t ep = mica_endpoint_create();
    int64_t child = mica_syscall0(SYS_ASPACE_CREATE);
    mica_vm_clone(self, (mica_handle_t)child, 0x400000, 0x100000);
    int64_t stack = mica_vmo_create(STACK_SIZE);
    mica_vm_map((mica_handle_t)child, (mica_handle_t)stack, 0, CHILD_STACK, STACK_SIZE,
                MICA_PROT_READ | MICA_PROT_WRITE);
    int64_t child_ep = mica_handle_grant((mica_handle_t)child, (mica_handle_t)ep, MICA_RIGHT_RECV);
    int64_t t = mica_thread_create((mica_handle_t)child, echo_server,
                                   (void *)(CHILD_STACK + STACK_SIZE), (uint64_t)child_ep);
    mica_thread_set_cpu((mica_handle_t)t, 0);
    mica_thread_start((mica_handle_t)t);
    struct mica_msg m = {0};
    for (unsigned i = 0; i < 10; i++)
        mica_call((mica_handle_t)ep, &m);
    for (unsigned i = 0; i < RUNS; i++) {
        uint64_t t0 = mica_rdtsc();
        mica_call((mica_handle_t)ep, &m);
        samples[i] = mica_rdtsc() - t0;
    }
    report("ipc_call_reply_cross_aspace", RUNS);
}

static mica_handle_t ping, pong;

static void pong_thread(uint64_t arg)
{
    (void)arg;
    for (;;) {
        mica_notify_wait(ping);
        mica_notify_signal(pong, 1);
    }
}

static void bench_notification(void)
{
    ping = (mica_handle_t)mica_notify_create();
    pong = (mica_handle_t)mica_notify_create();
    spawn(pong_thread, 0, 0);
    for (unsigned i = 0; i < RUNS; i++) {
        uint64_t t0 = mica_rdtsc();
        mica_notify_signal(ping, 1);
        mica_notify_wait(pong);
        samples[i] = mica_rdtsc() - t0;
    }
    report("notification_pingpong", RUNS);
}

static void bench_page_fault(void)
{
    uint64_t size = (uint64_t)RUNS * 4096;
    int64_t vmo = mica_vmo_create(size);
    int64_t at =
        mica_vm_map(self, (mica_handle_t)vmo, 0, 0, size, MICA_PROT_READ | MICA_PROT_WRITE);
    volatile uint8_t *p = (volatile uint8_t *)at;
    for (unsigned i = 0; i < RUNS; i++) {
        uint64_t t0 = mica_rdtsc();
        p[(uint64_t)i * 4096] = 1;
        samples[i] = mica_rdtsc() - t0;
    }
    report("page_fault_zero_fill", RUNS);
    mica_vm_unmap(self, (uint64_t)at, size);
    mica_handle_close((mica_handle_t)vmo);
}

/* A write to a page shared copy-on-write with a clone (the common case after fork). */
static void bench_cow_fault(void)
{
    uint64_t size = (uint64_t)RUNS * 4096;
    int64_t vmo = mica_vmo_create(size);
    int64_t at =
        mica_vm_map(self, (mica_handle_t)vmo, 0, 0, size, MICA_PROT_READ | MICA_PROT_WRITE);
    volatile uint8_t *p = (volatile uint8_t *)at;
    for (unsigned i = 0; i < RUNS; i++)
        p[(uint64_t)i * 4096] = 1; /* every page present and private first */
    int64_t other = mica_syscall0(SYS_ASPACE_CREATE);
    if (at < 0 || other < 0 || mica_vm_clone(self, (mica_handle_t)other, (uint64_t)at, size) < 0) {
        mica_printf("bench: cow_fault: cannot clone the range\n");
        return;
    }
    for (unsigned i = 0; i < RUNS; i++) {
        uint64_t t0 = mica_rdtsc();
        p[(uint64_t)i * 4096] = 2;
        samples[i] = mica_rdtsc() - t0;
    }
    report("cow_fault", RUNS);
    mica_handle_close((mica_handle_t)other);
    mica_vm_unmap(self, (uint64_t)at, size);
    mica_handle_close((mica_handle_t)vmo);
}

static mica_handle_t exited;

static void short_thread(uint64_t arg)
{
    (void)arg;
    mica_notify_signal(exited, 1);
    mica_thread_exit();
}

static void bench_thread_create(void)
{
    exited = (mica_handle_t)mica_notify_create();
    void *stack = new_stack();
    unsigned n = 201;
    for (unsigned i = 0; i < n; i++) {
        uint64_t t0 = mica_rdtsc();
        int64_t t = mica_thread_create(self, short_thread, stack, 0);
        mica_thread_set_cpu((mica_handle_t)t, 0);
        mica_thread_start((mica_handle_t)t);
        mica_notify_wait(exited);
        samples[i] = mica_rdtsc() - t0;
        mica_handle_close((mica_handle_t)t);
        mica_yield(); /* let it finish exiting before its stack is reused */
    }
    report("thread_create_exit", n);
}

static void bench_map_unmap(void)
{
    int64_t vmo = mica_vmo_create(4096);
    for (unsigned i = 0; i < RUNS; i++) {
        uint64_t t0 = mica_rdtsc();
        int64_t at = mica_vm_map(self, (mica_handle_t)vmo, 0, 0, 4096, MICA_PROT_READ);
        mica_vm_unmap(self, (uint64_t)at, 4096);
        samples[i] = mica_rdtsc() - t0;
    }
    report("map_unmap_page", RUNS);
    mica_handle_close((mica_handle_t)vmo);
}

int main(const struct mica_boot_handles *bh)
{
    self = bh->self;
    bench_null_syscall();
    bench_forwarded_syscall();
    bench_ipc("ipc_call_reply_same_cpu", 0);
    bench_ipc("ipc_call_reply_cross_cpu", 1);
    bench_ipc_cross_aspace();
    bench_notification();
    bench_page_fault();
    bench_cow_fault();
    bench_thread_create();
    bench_map_unmap();
    mica_printf("bench: done\n");
    mica_system_halt(0);
}
