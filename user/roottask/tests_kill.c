/*
 * tests_kill.c - ending threads and processes from outside (SYS_THREAD_KILL,
 * SYS_ASPACE_KILL) and learning that a process has ended (SYS_ASPACE_WATCH):
 * what a supervisor needs to restart a server.
 */
#include "rt.h"

#define KILL_CODE (RT_SCRATCH + 0x20000000ull) /* code of the processes made here */

static struct {
    mica_handle_t ep, note;
    volatile int reached; /* a thread got past the wait it should have died in */
} kt;

static void setup(void)
{
    kt.ep = (mica_handle_t)mica_endpoint_create();
    kt.note = (mica_handle_t)mica_notify_create();
    kt.reached = 0;
}

static void teardown(void)
{
    RT_EQ(mica_handle_close(kt.ep), 0);
    RT_EQ(mica_handle_close(kt.note), 0);
}

static void in_recv(uint64_t arg)
{
    (void)arg;
    struct mica_msg m;
    mica_recv(kt.ep, &m);
    kt.reached = 1;
    mica_thread_exit();
}

static void in_notify_wait(uint64_t arg)
{
    (void)arg;
    mica_notify_wait(kt.note);
    kt.reached = 1;
    mica_thread_exit();
}

static void in_sleep(uint64_t arg)
{
    (void)arg;
    mica_sleep(60ull * 1000 * 1000 * 1000);
    kt.reached = 1;
    mica_thread_exit();
}

static void in_send(uint64_t arg)
{
    (void)arg;
    struct mica_msg m = {0, mica_tag(0x5e, 0, 0), {1, 2, 3, 4}};
    mica_send(kt.ep, &m);
    kt.reached = 1;
    mica_thread_exit();
}

static void spinning(uint64_t arg)
{
    (void)arg;
    for (;;)
        __asm__ volatile("pause");
}

/* Kill a thread that is (by now) waiting in fn, and check it ended without going on. */
static void kill_in(void (*fn)(uint64_t))
{
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, fn, 0), 0);
    rt_yield_n(200); /* it reaches its wait */
    RT_EQ(mica_syscall1(SYS_THREAD_KILL, t.handle), 0);
    rt_reap(&t, 1);
    RT_EQ(kt.reached, 0);
}

static void kill_waiting(void (*fn)(uint64_t))
{
    setup();
    kill_in(fn);
    teardown();
}

static void test_kill_receiving(void)
{
    kill_waiting(in_recv);
}

static void test_kill_notify_waiting(void)
{
    kill_waiting(in_notify_wait);
}

static void test_kill_sleeping(void)
{
    kill_waiting(in_sleep);
}

static void test_kill_spinning(void)
{
    kill_waiting(spinning);
}

/* A killed sender leaves the endpoint's queue: no receiver ever gets its message. */
static void test_kill_sending(void)
{
    setup();
    kill_in(in_send);
    struct mica_msg m;
    RT_EQ(mica_recv_timed_msg(kt.ep, &m, 1000000), -MICA_ETIMEDOUT);
    teardown();
}

static void test_kill_suspended(void)
{
    setup();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, spinning, 0), 0);
    RT_EQ(mica_thread_suspend(t.handle), 0);
    rt_yield_n(50);
    RT_EQ(mica_syscall1(SYS_THREAD_KILL, t.handle), 0);
    rt_reap(&t, 1);
    teardown();
}

/* A thread never started cannot be started once killed; killing twice is harmless. */
static void test_kill_new_thread(void)
{
    mica_handle_t vmo;
    void *stack = rt_map_new(RT_STACK_SIZE, RT_RW, &vmo);
    int64_t t = mica_thread_create(rt_self, spinning, (char *)stack + RT_STACK_SIZE - 8, 0);
    RT_CHECK(t > 0);
    RT_EQ(mica_syscall1(SYS_THREAD_KILL, (uint64_t)t), 0);
    RT_EQ(mica_syscall1(SYS_THREAD_KILL, (uint64_t)t), 0);
    RT_EQ(mica_thread_start((mica_handle_t)t), -MICA_EPIPE);
    RT_EQ(mica_handle_close((mica_handle_t)t), 0);
    rt_unmap_close(stack, RT_STACK_SIZE, vmo);
}

/* A client in a call the server has taken ends once the server answers. */
static void caller(uint64_t arg)
{
    (void)arg;
    struct mica_msg m = {0, mica_tag(1, 0, 0), {0, 0, 0, 0}};
    mica_call(kt.ep, &m);
    kt.reached = 1;
    mica_thread_exit();
}

static void test_kill_in_call(void)
{
    setup();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, caller, 0), 0);
    struct mica_msg m;
    RT_EQ(mica_recv(kt.ep, &m), 0); /* we are the server and hold its reply */
    RT_EQ(mica_syscall1(SYS_THREAD_KILL, t.handle), 0);
    rt_yield_n(100);
    struct mica_msg r = {0, 0, {0, 0, 0, 0}};
    RT_EQ(mica_reply(&r), 0);
    rt_reap(&t, 1);
    RT_EQ(kt.reached, 0); /* it did not run on after the call */
    teardown();
}

static void test_kill_errors(void)
{
    RT_EQ(mica_syscall1(SYS_THREAD_KILL, 0), -MICA_EBADF);
    RT_EQ(mica_syscall1(SYS_THREAD_KILL, rt_self), -MICA_EINVAL);
    RT_EQ(mica_syscall1(SYS_ASPACE_KILL, 0), -MICA_EBADF);
    RT_EQ(mica_syscall1(SYS_ASPACE_KILL, rt_initrd), -MICA_EINVAL);
    RT_EQ(mica_syscall1(SYS_ASPACE_KILL, rt_self), -MICA_EPERM); /* the root task goes on */
    int64_t weak = mica_handle_dup(rt_self, MICA_RIGHT_ALL & ~MICA_RIGHT_MANAGE);
    RT_CHECK(weak > 0);
    RT_EQ(mica_syscall1(SYS_ASPACE_KILL, (uint64_t)weak), -MICA_EACCES);
    RT_EQ(mica_syscall3(SYS_ASPACE_WATCH, (uint64_t)weak, 0, 0), -MICA_EACCES);
    RT_EQ(mica_handle_close((mica_handle_t)weak), 0);
    int64_t n = mica_notify_create();
    int64_t as = rt_aspace_create();
    RT_CHECK(n > 0 && as > 0);
    RT_EQ(mica_syscall3(SYS_ASPACE_WATCH, (uint64_t)as, (uint64_t)n, 0), -MICA_EINVAL);
    RT_EQ(mica_syscall3(SYS_ASPACE_WATCH, (uint64_t)as, (uint64_t)n, 1ull << 63), -MICA_EINVAL);
    RT_EQ(mica_syscall3(SYS_ASPACE_WATCH, (uint64_t)as, (uint64_t)as, 1), -MICA_EINVAL);
    int64_t wait_only = mica_handle_dup((mica_handle_t)n, MICA_RIGHT_WAIT);
    RT_EQ(mica_syscall3(SYS_ASPACE_WATCH, (uint64_t)as, (uint64_t)wait_only, 1), -MICA_EACCES);
    RT_EQ(mica_syscall3(SYS_ASPACE_WATCH, (uint64_t)as, (uint64_t)n, 1), 0);
    RT_EQ(mica_syscall3(SYS_ASPACE_WATCH, (uint64_t)as, 0, 0), 0); /* stop watching */
    RT_EQ(mica_handle_close((mica_handle_t)wait_only), 0);
    RT_EQ(mica_handle_close((mica_handle_t)n), 0);
    RT_EQ(mica_handle_close((mica_handle_t)as), 0);
}

/*
 * A process of three threads, written in machine code at KILL_CODE:
 *   +0:  1: mov $SYS_THREAD_YIELD,%eax; syscall; jmp 1b       (spins through the kernel)
 *   +16: 1: mov $H,%edi; mov $SYS_RECV,%eax; syscall; jmp 1b (receives forever on handle H)
 *   +32: 1: mov $2000000000,%edi; mov $SYS_THREAD_SLEEP,%eax; syscall; jmp 1b
 */
static void put32(volatile uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void write_code(volatile uint8_t *c, uint32_t recv_handle)
{
    c[0] = 0xb8; /* mov $imm32, %eax */
    put32(c + 1, SYS_THREAD_YIELD);
    c[5] = 0x0f; /* syscall */
    c[6] = 0x05;
    c[7] = 0xeb; /* jmp rel8 */
    c[8] = (uint8_t)-9;
    c[16] = 0xbf; /* mov $imm32, %edi */
    put32(c + 17, recv_handle);
    c[21] = 0xb8;
    put32(c + 22, SYS_RECV);
    c[26] = 0x0f;
    c[27] = 0x05;
    c[28] = 0xeb;
    c[29] = (uint8_t)-14;
    c[32] = 0xbf;
    put32(c + 33, 2000000000u);
    c[37] = 0xb8;
    put32(c + 38, SYS_THREAD_SLEEP);
    c[42] = 0x0f;
    c[43] = 0x05;
    c[44] = 0xeb;
    c[45] = (uint8_t)-14;
}

/* Kill a whole process: its threads end, the watcher hears of it, its handles are closed. */
static void test_aspace_kill(void)
{
    struct mica_kernel_stats before, after;
    rt_stats(&before);
    int64_t as = rt_aspace_create();
    int64_t ep = mica_endpoint_create();
    int64_t n = mica_notify_create();
    RT_CHECK(as > 0 && ep > 0 && n > 0);
    int64_t granted = mica_handle_grant((mica_handle_t)as, (mica_handle_t)ep, MICA_RIGHT_ALL);
    RT_CHECK(granted > 0);
    mica_handle_t code;
    volatile uint8_t *c = rt_map_new(RT_PAGE, RT_RW, &code);
    write_code(c, (uint32_t)granted);
    RT_EQ(mica_vm_unmap(rt_self, (uint64_t)c, RT_PAGE), 0);
    RT_EQ(mica_vm_map((mica_handle_t)as, code, 0, KILL_CODE, RT_PAGE, RT_RX), KILL_CODE);
    RT_EQ(mica_syscall3(SYS_ASPACE_WATCH, (uint64_t)as, (uint64_t)n, 0x40), 0);
    int64_t t[3];
    for (int i = 0; i < 3; i++) {
        t[i] =
            mica_thread_create((mica_handle_t)as, (void (*)(uint64_t))(KILL_CODE + 16 * i), 0, 0);
        RT_CHECK(t[i] > 0);
        RT_EQ(mica_thread_start((mica_handle_t)t[i]), 0);
    }
    rt_yield_n(200);
    RT_EQ(mica_notify_poll((mica_handle_t)n), 0);   /* alive */
    RT_EQ(mica_handle_close((mica_handle_t)ep), 0); /* now only the process holds the endpoint */
    RT_EQ(mica_syscall1(SYS_ASPACE_KILL, (uint64_t)as), 0);
    RT_EQ(mica_notify_wait_timed((mica_handle_t)n, 5000000000ull), 0x40);
    /* No thread starts in it any more; it cannot be watched again. */
    int64_t late = mica_thread_create((mica_handle_t)as, (void (*)(uint64_t))KILL_CODE, 0, 0);
    RT_CHECK(late > 0);
    RT_EQ(mica_thread_start((mica_handle_t)late), -MICA_EPIPE);
    RT_EQ(mica_handle_close((mica_handle_t)late), 0);
    RT_EQ(mica_syscall3(SYS_ASPACE_WATCH, (uint64_t)as, (uint64_t)n, 1), -MICA_EPIPE);
    for (int i = 0; i < 3; i++)
        RT_EQ(mica_handle_close((mica_handle_t)t[i]), 0);
    RT_EQ(mica_handle_close((mica_handle_t)as), 0);
    RT_EQ(mica_handle_close(code), 0);
    RT_EQ(mica_handle_close((mica_handle_t)n), 0);
    RT_CHECK(rt_wait_threads(before.objects[RT_OBJ_THREAD]));
    rt_wait_objects(RT_OBJ_ENDPOINT, before.objects[RT_OBJ_ENDPOINT]);
    rt_wait_objects(RT_OBJ_ASPACE, before.objects[RT_OBJ_ASPACE]);
    rt_stats(&after);
    RT_EQ(after.objects[RT_OBJ_ENDPOINT], before.objects[RT_OBJ_ENDPOINT]); /* its handle closed */
    RT_EQ(after.objects[RT_OBJ_ASPACE], before.objects[RT_OBJ_ASPACE]);
}

/* A process whose last thread exits by itself ends the same way. */
static void test_aspace_ends_by_exit(void)
{
    int64_t as = rt_aspace_create();
    int64_t n = mica_notify_create();
    mica_handle_t code;
    volatile uint8_t *c = rt_map_new(RT_PAGE, RT_RW, &code);
    c[0] = 0xb8; /* mov $SYS_THREAD_EXIT, %eax; syscall */
    put32(c + 1, SYS_THREAD_EXIT);
    c[5] = 0x0f;
    c[6] = 0x05;
    RT_EQ(mica_vm_unmap(rt_self, (uint64_t)c, RT_PAGE), 0);
    RT_EQ(mica_vm_map((mica_handle_t)as, code, 0, KILL_CODE, RT_PAGE, RT_RX), KILL_CODE);
    RT_EQ(mica_syscall3(SYS_ASPACE_WATCH, (uint64_t)as, (uint64_t)n, 3), 0);
    int64_t t = mica_thread_create((mica_handle_t)as, (void (*)(uint64_t))KILL_CODE, 0, 0);
    RT_EQ(mica_thread_start((mica_handle_t)t), 0);
    RT_EQ(mica_notify_wait_timed((mica_handle_t)n, 5000000000ull), 3);
    RT_EQ(mica_handle_close((mica_handle_t)t), 0);
    RT_EQ(mica_handle_close((mica_handle_t)as), 0);
    RT_EQ(mica_handle_close(code), 0);
    RT_EQ(mica_handle_close((mica_handle_t)n), 0);
}

const struct rt_test rt_kill_tests[] = {
    {"kill_receiving", test_kill_receiving},
    {"kill_notify_waiting", test_kill_notify_waiting},
    {"kill_sleeping", test_kill_sleeping},
    {"kill_spinning", test_kill_spinning},
    {"kill_sending", test_kill_sending},
    {"kill_suspended", test_kill_suspended},
    {"kill_new_thread", test_kill_new_thread},
    {"kill_in_call", test_kill_in_call},
    {"kill_errors", test_kill_errors},
    {"aspace_kill", test_aspace_kill},
    {"aspace_ends_by_exit", test_aspace_ends_by_exit},
};
const unsigned rt_kill_test_count = sizeof rt_kill_tests / sizeof rt_kill_tests[0];
