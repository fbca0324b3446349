/*
 * tests_forward.c - tests of system-call forwarding (SYS_THREAD_SET_SYSCALL_HANDLER),
 * the kernel's half of personalities such as Linux.
 *
 * A thread with a system-call handler executes `syscall` instructions with
 * registers chosen here (Linux-like numbers: 39 getpid, 60 exit); the test,
 * acting as the handler, receives each as a MICA_MSG_SYSCALL call, looks at
 * the registers and answers.  Such a thread can make no native call at all,
 * so it reports through memory, and ends with a forwarded "exit" that the
 * handler answers with MICA_FAULT_KILL.  Every test closes what it creates
 * (the table runs with leak checks).
 */
#include "rt.h"

#define LINUX_GETPID 39
#define LINUX_EXIT   60
#define RECV_LIMIT   20000000000ull /* 20 s: only a broken kernel makes a receive wait that long */

/* ---- the forwarded side: raw `syscall` instructions ---- */

/*
 * fwd_probe(p): load rax, rdi, rsi, rdx, r10, r8, r9 and the callee-saved
 * registers from p->in, execute `syscall`, and store every register as it
 * came back (and rcx, r11, rsp) in p->out.  fwd_probe_after is the address
 * right after the instruction: the rip the handler must see.
 */
enum {
    P_RAX,
    P_RDI,
    P_RSI,
    P_RDX,
    P_R10,
    P_R8,
    P_R9,
    P_RBX,
    P_RBP,
    P_R12,
    P_R13,
    P_R14,
    P_R15,
    P_IN_COUNT,
    P_RCX = P_IN_COUNT, /* out only */
    P_R11,
    P_RSP,
    P_OUT_COUNT,
};

struct probe {
    uint64_t in[P_IN_COUNT];
    uint64_t out[P_OUT_COUNT];
};
_Static_assert(sizeof(uint64_t) * P_IN_COUNT == 104, "fwd_probe's offsets below");

void fwd_probe(struct probe *p);
extern char fwd_probe_after[];

__asm__(".text\n"
        ".globl fwd_probe\n"
        "fwd_probe:\n"
        "    pushq %rbx\n"
        "    pushq %rbp\n"
        "    pushq %r12\n"
        "    pushq %r13\n"
        "    pushq %r14\n"
        "    pushq %r15\n"
        "    pushq %rdi\n" /* the probe, found again after the call */
        "    movq 0(%rdi), %rax\n"
        "    movq 16(%rdi), %rsi\n"
        "    movq 24(%rdi), %rdx\n"
        "    movq 32(%rdi), %r10\n"
        "    movq 40(%rdi), %r8\n"
        "    movq 48(%rdi), %r9\n"
        "    movq 56(%rdi), %rbx\n"
        "    movq 64(%rdi), %rbp\n"
        "    movq 72(%rdi), %r12\n"
        "    movq 80(%rdi), %r13\n"
        "    movq 88(%rdi), %r14\n"
        "    movq 96(%rdi), %r15\n"
        "    movq 8(%rdi), %rdi\n"
        "    syscall\n"
        ".globl fwd_probe_after\n"
        "fwd_probe_after:\n"
        "    xchgq %rdi, (%rsp)\n" /* rdi: the probe again; the slot: rdi as it came back */
        "    movq %rax, 104(%rdi)\n"
        "    movq %rsi, 120(%rdi)\n"
        "    movq %rdx, 128(%rdi)\n"
        "    movq %r10, 136(%rdi)\n"
        "    movq %r8, 144(%rdi)\n"
        "    movq %r9, 152(%rdi)\n"
        "    movq %rbx, 160(%rdi)\n"
        "    movq %rbp, 168(%rdi)\n"
        "    movq %r12, 176(%rdi)\n"
        "    movq %r13, 184(%rdi)\n"
        "    movq %r14, 192(%rdi)\n"
        "    movq %r15, 200(%rdi)\n"
        "    movq %rcx, 208(%rdi)\n"
        "    movq %r11, 216(%rdi)\n"
        "    movq %rsp, 224(%rdi)\n" /* as at the syscall */
        "    popq %rax\n"
        "    movq %rax, 112(%rdi)\n"
        "    popq %r15\n"
        "    popq %r14\n"
        "    popq %r13\n"
        "    popq %r12\n"
        "    popq %rbp\n"
        "    popq %rbx\n"
        "    ret\n");

/* A system call in Linux's convention, which a forwarded thread's handler sees. */
static inline uint64_t linux_call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    uint64_t ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a0), "S"(a1), "d"(a2)
                     : "rcx", "r11", "memory");
    return ret;
}

/* The end of every forwarded thread: "exit", which the handler answers with a kill. */
_Noreturn static void linux_exit(void)
{
    linux_call(LINUX_EXIT, 0, 0, 0);
    __asm__ volatile("ud2"); /* had the handler let it go on: a fault ends it */
    __builtin_unreachable();
}

/* ---- the handler's side ---- */

/* Create (not start) a thread running fn(arg) with a stack of its own, as rt_spawn() does. */
static int64_t prepare(struct rt_thread *t, void (*fn)(uint64_t), uint64_t arg)
{
    t->handle = 0;
    void *base = rt_map_new(RT_PAGE + RT_STACK_SIZE, RT_RW, &t->stack_vmo);
    if (!base)
        return -MICA_ENOMEM;
    t->stack_base = (uint64_t)base;
    RT_EQ(mica_vm_protect(rt_self, t->stack_base, RT_PAGE, 0), 0); /* the guard page */
    uint64_t top = t->stack_base + RT_PAGE + RT_STACK_SIZE - 8;
    int64_t h = mica_thread_create(rt_self, fn, (void *)top, arg);
    if (h < 0) {
        rt_unmap_close(base, RT_PAGE + RT_STACK_SIZE, t->stack_vmo);
        return h;
    }
    t->handle = (mica_handle_t)h;
    return 0;
}

/* Start a thread running fn(arg) on `cpu` (-1: any) whose system calls go to `handler`. */
static int64_t spawn_forwarded(struct rt_thread *t, void (*fn)(uint64_t), uint64_t arg,
                               mica_handle_t handler, int cpu)
{
    int64_t err = prepare(t, fn, arg);
    if (err < 0)
        return err;
    if (cpu >= 0)
        RT_EQ(mica_thread_set_cpu(t->handle, (unsigned)cpu), 0);
    if (handler)
        RT_EQ(mica_thread_set_syscall_handler(t->handle, handler), 0);
    RT_EQ(mica_thread_start(t->handle), 0);
    return 0;
}

/* Receive the next message on ep (bounded in time); 0 if it is a forwarded system call. */
static int64_t recv_syscall(mica_handle_t ep, struct mica_msg *m)
{
    int64_t err = mica_recv_timed_msg(ep, m, RECV_LIMIT);
    RT_EQ(err, 0);
    if (err < 0)
        return err;
    RT_EQ(m->tag >> MICA_TAG_LABEL_SHIFT, MICA_MSG_SYSCALL);
    RT_EQ(m->tag & 0xffffffffu, 0); /* no words or handles beyond the four */
    return 0;
}

/* Answer the call just received with `action` and `value` (w0, w1). */
static void answer(uint64_t action, uint64_t value)
{
    struct mica_msg a = {0, 0, {action, value, 0, 0}};
    RT_EQ(mica_reply(&a), 0);
}

/* Receive the thread's final "exit" and answer it with a kill. */
static void finish(mica_handle_t ep)
{
    struct mica_msg m;
    if (recv_syscall(ep, &m) < 0)
        return;
    RT_EQ(m.w[0], LINUX_EXIT);
    answer(MICA_FAULT_KILL, 0);
}

/* ---- the tests ---- */

static struct probe probe;
static volatile uint64_t got_past; /* set by a thread that went on where it must not */

static void probe_thread(uint64_t arg)
{
    (void)arg;
    fwd_probe(&probe);
    linux_exit();
}

/*
 * The whole round trip: the handler gets rax and the first three arguments
 * in the message, the badge of its handle, and the rest through READ_REGS;
 * the thread gets the answer in rax, rcx = the return address and r11 =
 * rflags as on Linux, and every other register as it was.
 */
static void test_forward_registers(void)
{
    static const uint64_t in[P_IN_COUNT] = {
        LINUX_GETPID,          0x1111111111111111ull, 0x2222222222222222ull, 0x3333333333333333ull,
        0x4444444444444444ull, 0x5555555555555555ull, 0x6666666666666666ull, 0x7777777777777777ull,
        0x8888888888888888ull, 0x9999999999999999ull, 0xaaaaaaaaaaaaaaaaull, 0xbbbbbbbbbbbbbbbbull,
        0xccccccccccccccccull,
    };
    for (int i = 0; i < P_IN_COUNT; i++)
        probe.in[i] = in[i];
    mica_handle_t ep = (mica_handle_t)mica_endpoint_create();
    mica_handle_t badged = (mica_handle_t)mica_endpoint_mint(ep, 0xb0d9e, MICA_RIGHT_SEND);
    struct rt_thread t;
    RT_EQ(spawn_forwarded(&t, probe_thread, 0, badged, -1), 0);
    RT_EQ(mica_handle_close(badged), 0); /* the thread's setting keeps the endpoint */

    struct mica_msg m;
    struct mica_regs regs;
    if (recv_syscall(ep, &m) == 0) {
        RT_EQ(m.badge, 0xb0d9e);
        RT_EQ(m.w[0], LINUX_GETPID);
        RT_EQ(m.w[1], in[P_RDI]);
        RT_EQ(m.w[2], in[P_RSI]);
        RT_EQ(m.w[3], in[P_RDX]);
        RT_EQ(mica_thread_read_regs(t.handle, &regs), 0); /* stopped as in a fault */
        RT_EQ(regs.r10, in[P_R10]);
        RT_EQ(regs.r8, in[P_R8]);
        RT_EQ(regs.r9, in[P_R9]);
        RT_EQ(regs.rbx, in[P_RBX]);
        RT_EQ(regs.rip, (uint64_t)fwd_probe_after);
        answer(MICA_SYSCALL_RETURN, 4242);
    }
    finish(ep);
    rt_reap(&t, 1);
    RT_EQ(probe.out[P_RAX], 4242);
    RT_EQ(probe.out[P_RCX], (uint64_t)fwd_probe_after);
    RT_EQ(probe.out[P_R11], regs.rflags);
    RT_EQ(probe.out[P_RSP], regs.rsp);
    for (int i = P_RDI; i < P_IN_COUNT; i++)
        RT_EQ(probe.out[i], in[i]);
    RT_EQ(mica_handle_close(ep), 0);
}

/* Where test_forward_regs_reply makes the thread go: it records rdi, rcx, r11 and rsp. */
uint64_t fwd_landing_out[4]; /* global: the assembly below names it */
void fwd_landing(void);
__asm__(".text\n"
        ".globl fwd_landing\n"
        "fwd_landing:\n"
        "    movq %rdi, fwd_landing_out(%rip)\n"
        "    movq %rcx, fwd_landing_out+8(%rip)\n"
        "    movq %r11, fwd_landing_out+16(%rip)\n"
        "    movq %rsp, fwd_landing_out+24(%rip)\n"
        "    movl $60, %eax\n" /* LINUX_EXIT */
        "    syscall\n"
        "    ud2\n");

/*
 * MICA_SYSCALL_REGS: the thread resumes with the registers exactly as the
 * handler wrote them - here a jump to another function on another stack
 * (what execve and signal delivery do), rcx and r11 included.
 */
static void test_forward_regs_reply(void)
{
    for (int i = 0; i < P_IN_COUNT; i++)
        probe.in[i] = i;
    probe.in[P_RAX] = LINUX_GETPID;
    for (int i = 0; i < P_OUT_COUNT; i++)
        probe.out[i] = 0;
    mica_handle_t ep = (mica_handle_t)mica_endpoint_create();
    mica_handle_t v;
    uint8_t *stack = rt_map_new(RT_PAGE, RT_RW, &v);
    struct rt_thread t;
    RT_EQ(spawn_forwarded(&t, probe_thread, 0, ep, -1), 0);
    struct mica_msg m;
    if (recv_syscall(ep, &m) == 0) {
        struct mica_regs regs;
        RT_EQ(mica_thread_read_regs(t.handle, &regs), 0);
        regs.rip = (uint64_t)fwd_landing;
        regs.rsp = (uint64_t)stack + RT_PAGE - 8;
        regs.rdi = 77;
        regs.rcx = 0x1234567887654321ull; /* SYSRET could not give these back */
        regs.r11 = 0x0fedcba987654321ull;
        RT_EQ(mica_thread_write_regs(t.handle, &regs), 0);
        answer(MICA_SYSCALL_REGS, 0);
    }
    finish(ep); /* from fwd_landing */
    rt_reap(&t, 1);
    RT_EQ(fwd_landing_out[0], 77);
    RT_EQ(fwd_landing_out[1], 0x1234567887654321ull);
    RT_EQ(fwd_landing_out[2], 0x0fedcba987654321ull);
    RT_EQ(fwd_landing_out[3], (uint64_t)stack + RT_PAGE - 8);
    RT_EQ(probe.out[P_RAX], 0); /* fwd_probe never got its answer */
    rt_unmap_close(stack, RT_PAGE, v);
    RT_EQ(mica_handle_close(ep), 0);
}

static void call_then_flag(uint64_t nr)
{
    linux_call(nr, 1, 2, 3);
    got_past = 1;
    linux_exit();
}

/* The handler answers MICA_FAULT_KILL to the first call: the thread ends there. */
static void test_forward_kill(void)
{
    got_past = 0;
    mica_handle_t ep = (mica_handle_t)mica_endpoint_create();
    struct rt_thread t;
    RT_EQ(spawn_forwarded(&t, call_then_flag, LINUX_GETPID, ep, -1), 0);
    struct mica_msg m;
    if (recv_syscall(ep, &m) == 0) {
        RT_EQ(m.w[1], 1);
        answer(MICA_FAULT_KILL, 0);
    }
    rt_reap(&t, 1);
    RT_EQ(got_past, 0);
    RT_EQ(mica_handle_close(ep), 0);
}

/* An answer that is none of the three actions ends the thread (0 included: a forgotten w0). */
static void test_forward_unknown_action(void)
{
    static const uint64_t actions[] = {MICA_FAULT_RESUME, 4, 99, ~0ull};
    mica_handle_t ep = (mica_handle_t)mica_endpoint_create();
    for (unsigned i = 0; i < sizeof actions / sizeof actions[0]; i++) {
        got_past = 0;
        struct rt_thread t;
        RT_EQ(spawn_forwarded(&t, call_then_flag, LINUX_GETPID, ep, -1), 0);
        struct mica_msg m;
        if (recv_syscall(ep, &m) == 0)
            answer(actions[i], 0);
        rt_reap(&t, 1);
        RT_EQ(got_past, 0);
    }
    RT_EQ(mica_handle_close(ep), 0);
}

/* A handler that ends while it holds the call: the reply is lost (EPIPE), the thread ends. */
static mica_handle_t dying_ep, dying_note;

static void dying_handler(uint64_t arg)
{
    (void)arg;
    struct mica_msg m;
    if (mica_recv_timed_msg(dying_ep, &m, RECV_LIMIT) == 0 &&
        m.tag >> MICA_TAG_LABEL_SHIFT == MICA_MSG_SYSCALL)
        rt_signal_exit(dying_note, 1); /* ends without answering */
    rt_signal_exit(dying_note, 2);
}

static void test_forward_handler_dies(void)
{
    got_past = 0;
    dying_ep = (mica_handle_t)mica_endpoint_create();
    dying_note = (mica_handle_t)mica_notify_create();
    struct rt_thread h, t;
    RT_EQ(rt_spawn(&h, dying_handler, 0), 0);
    RT_EQ(spawn_forwarded(&t, call_then_flag, LINUX_GETPID, dying_ep, -1), 0);
    RT_EQ(rt_wait_bits(dying_note, 1), 1);
    rt_reap(&t, 1); /* the forwarded thread ends too */
    rt_reap(&h, 1);
    RT_EQ(got_past, 0);
    RT_EQ(mica_handle_close(dying_ep), 0);
    RT_EQ(mica_handle_close(dying_note), 0);
}

/* A handler that drops the call's reply object unanswered: the same. */
static void test_forward_reply_dropped(void)
{
    got_past = 0;
    mica_handle_t ep = (mica_handle_t)mica_endpoint_create();
    struct rt_thread t;
    RT_EQ(spawn_forwarded(&t, call_then_flag, LINUX_GETPID, ep, -1), 0);
    struct mica_msg m;
    if (recv_syscall(ep, &m) == 0) {
        int64_t reply = mica_reply_take();
        RT_CHECK(reply > 0);
        RT_EQ(mica_handle_close((mica_handle_t)reply), 0);
    }
    rt_reap(&t, 1);
    RT_EQ(got_past, 0);
    RT_EQ(mica_handle_close(ep), 0);
}

/*
 * The endpoint goes away while the thread waits in its queue, unreceived:
 * the handler closes its handle and withdraws the setting (the last
 * reference).  The thread ends; nothing is left behind.
 */
static void test_forward_endpoint_closed(void)
{
    got_past = 0;
    mica_handle_t ep = (mica_handle_t)mica_endpoint_create();
    struct rt_thread t;
    RT_EQ(spawn_forwarded(&t, call_then_flag, LINUX_GETPID, ep, -1), 0);
    RT_CHECK(rt_wait_blocked(t.handle)); /* queued on the endpoint */
    RT_EQ(mica_handle_close(ep), 0);
    RT_EQ(mica_thread_set_syscall_handler(t.handle, 0), 0);
    rt_reap(&t, 1);
    RT_EQ(got_past, 0);
}

/* Killed while its call waits in the queue, and while the handler holds it. */
static void test_forward_killed_while_waiting(void)
{
    got_past = 0;
    mica_handle_t ep = (mica_handle_t)mica_endpoint_create();
    struct rt_thread t;
    RT_EQ(spawn_forwarded(&t, call_then_flag, LINUX_GETPID, ep, -1), 0);
    RT_CHECK(rt_wait_blocked(t.handle));
    RT_EQ(mica_thread_kill(t.handle), 0); /* queued: it leaves the queue and ends */
    rt_reap(&t, 1);

    RT_EQ(spawn_forwarded(&t, call_then_flag, LINUX_GETPID, ep, -1), 0);
    struct mica_msg m;
    if (recv_syscall(ep, &m) == 0) {
        RT_EQ(mica_thread_kill(t.handle), 0); /* received: it ends once answered */
        answer(MICA_SYSCALL_RETURN, 0);
    }
    rt_reap(&t, 1);
    RT_EQ(got_past, 0);
    RT_EQ(mica_handle_close(ep), 0);
}

/*
 * A thread may install a handler on itself; the handler may remove it while
 * it answers.  Afterwards the thread's calls are native again.
 */
static mica_handle_t self_ep, self_note;

static void sets_own_handler(uint64_t arg)
{
    (void)arg;
    if (mica_thread_set_syscall_handler(MICA_THREAD_SELF, self_ep) != 0) /* native */
        rt_signal_exit(self_note, 4);
    uint64_t r = linux_call(LINUX_GETPID, 0, 0, 0); /* forwarded; the handler is then removed */
    mica_notify_signal(self_note, r);               /* native again */
    rt_signal_exit(self_note, 8);
}

static void test_forward_handler_removed(void)
{
    self_ep = (mica_handle_t)mica_endpoint_create();
    self_note = (mica_handle_t)mica_notify_create();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, sets_own_handler, 0), 0);
    struct mica_msg m;
    if (recv_syscall(self_ep, &m) == 0) {
        RT_EQ(m.w[0], LINUX_GETPID);
        RT_EQ(mica_thread_set_syscall_handler(t.handle, 0), 0);
        answer(MICA_SYSCALL_RETURN, 3);
    }
    RT_EQ(rt_wait_bits(self_note, 8 | 3), 8 | 3);
    rt_reap(&t, 1);
    RT_EQ(mica_handle_close(self_ep), 0);
    RT_EQ(mica_handle_close(self_note), 0);
}

/* Bad handles and missing rights are refused, and a refused call changes nothing. */
static void test_forward_bad_arguments(void)
{
    mica_handle_t ep = (mica_handle_t)mica_endpoint_create();
    mica_handle_t note = (mica_handle_t)mica_notify_create();
    mica_handle_t recv_only = (mica_handle_t)mica_handle_dup(ep, MICA_RIGHT_RECV);
    mica_handle_t gone = (mica_handle_t)mica_endpoint_create();
    RT_EQ(mica_handle_close(gone), 0);
    RT_EQ(mica_thread_set_syscall_handler(0, ep), -MICA_EBADF);
    RT_EQ(mica_thread_set_syscall_handler(12345, ep), -MICA_EBADF);
    RT_EQ(mica_syscall2(SYS_THREAD_SET_SYSCALL_HANDLER, 1ull << 32, ep), -MICA_EBADF);
    RT_EQ(mica_thread_set_syscall_handler(ep, ep), -MICA_EINVAL);              /* not a thread */
    RT_EQ(mica_thread_set_syscall_handler(MICA_THREAD_SELF, ep), -MICA_EPERM); /* root's first */

    got_past = 0;
    struct rt_thread rt;
    RT_EQ(prepare(&rt, call_then_flag, LINUX_GETPID), 0);
    mica_handle_t t = rt.handle;
    int64_t weak = mica_handle_dup(t, MICA_RIGHT_ALL & ~MICA_RIGHT_MANAGE);
    RT_EQ(mica_thread_set_syscall_handler((mica_handle_t)weak, ep), -MICA_EACCES);
    RT_EQ(mica_thread_set_syscall_handler(t, ep), 0);
    RT_EQ(mica_thread_set_syscall_handler(t, note), -MICA_EINVAL);      /* not an endpoint */
    RT_EQ(mica_thread_set_syscall_handler(t, recv_only), -MICA_EACCES); /* cannot send */
    RT_EQ(mica_thread_set_syscall_handler(t, gone), -MICA_EBADF);
    RT_EQ(mica_thread_set_syscall_handler(t, 54321), -MICA_EBADF);
    RT_EQ(mica_syscall2(SYS_THREAD_SET_SYSCALL_HANDLER, t, 1ull << 32), -MICA_EBADF);
    RT_EQ(mica_handle_close((mica_handle_t)weak), 0);
    RT_EQ(mica_handle_close(recv_only), 0);
    RT_EQ(mica_handle_close(note), 0);

    /* The refused calls left the first setting in place: the call comes to ep. */
    RT_EQ(mica_thread_start(t), 0);
    struct mica_msg m;
    if (recv_syscall(ep, &m) == 0) {
        RT_EQ(m.w[0], LINUX_GETPID);
        answer(MICA_FAULT_KILL, 0);
    }
    rt_reap(&rt, 1);
    RT_EQ(got_past, 0);
    RT_EQ(mica_handle_close(ep), 0);
}

/* ---- several threads, several CPUs ---- */

#define FWD_THREADS  8
#define FWD_HANDLERS 2
#define FWD_CALLS    200
#define FWD_STOP     0x5709u /* label that ends a handler thread */

static mica_handle_t many_ep, many_note;
static mica_handle_t many_threads[FWD_THREADS]; /* by badge - 1, for READ_REGS */
static uint64_t many_errors[FWD_THREADS];
static uint64_t handler_errors[FWD_HANDLERS];

/* Thread i: FWD_CALLS calls with number 1000 + i; each answer must be 3 * arg + i. */
static void many_caller(uint64_t i)
{
    for (uint64_t j = 0; j < FWD_CALLS; j++) {
        uint64_t r;
        register uint64_t r10 __asm__("r10") = j + 7;
        __asm__ volatile("syscall"
                         : "=a"(r)
                         : "a"(1000 + i), "D"(j), "S"(i), "d"(~j), "r"(r10)
                         : "rcx", "r11", "memory");
        if (r != 3 * j + i)
            many_errors[i]++;
    }
    linux_exit();
}

/* Handlers on every CPU answer whichever call comes, checking it against its badge. */
static void many_handler(uint64_t k)
{
    struct mica_msg m;
    for (;;) {
        if (mica_recv_timed_msg(many_ep, &m, RECV_LIMIT) < 0) {
            handler_errors[k]++;
            break;
        }
        if (m.tag >> MICA_TAG_LABEL_SHIFT == FWD_STOP) {
            struct mica_msg ok = {0};
            mica_reply(&ok);
            break;
        }
        uint64_t i = m.badge - 1;
        if (m.tag >> MICA_TAG_LABEL_SHIFT != MICA_MSG_SYSCALL || i >= FWD_THREADS) {
            handler_errors[k]++;
            break;
        }
        struct mica_msg a = {0, 0, {MICA_SYSCALL_RETURN, 0, 0, 0}};
        if (m.w[0] == LINUX_EXIT) {
            a.w[0] = MICA_FAULT_KILL;
            mica_notify_signal(many_note, 1ull << i);
        } else {
            struct mica_regs regs;
            if (m.w[0] != 1000 + i || m.w[2] != i || m.w[3] != ~m.w[1] ||
                mica_thread_read_regs(many_threads[i], &regs) != 0 || regs.r10 != m.w[1] + 7)
                handler_errors[k]++;
            a.w[1] = 3 * m.w[1] + i;
        }
        mica_reply(&a);
    }
    rt_signal_exit(many_note, 1ull << (32 + k));
}

/* The CPUs there are: set_cpu accepts exactly those. */
static unsigned cpu_count(void)
{
    int64_t t = mica_thread_create(rt_self, call_then_flag, 0, 0);
    unsigned n = 1;
    while (n < 64 && mica_thread_set_cpu((mica_handle_t)t, n) == 0)
        n++;
    mica_handle_close((mica_handle_t)t);
    return n;
}

static void test_forward_many_threads(void)
{
    unsigned cpus = cpu_count();
    many_ep = (mica_handle_t)mica_endpoint_create();
    many_note = (mica_handle_t)mica_notify_create();
    struct rt_thread handlers[FWD_HANDLERS], callers[FWD_THREADS];
    for (unsigned k = 0; k < FWD_HANDLERS; k++) {
        handler_errors[k] = 0;
        RT_EQ(rt_spawn(&handlers[k], many_handler, k), 0);
    }
    /* All set up before any starts: a handler may get a call as soon as a thread runs. */
    mica_handle_t badged[FWD_THREADS];
    for (unsigned i = 0; i < FWD_THREADS; i++) {
        many_errors[i] = 0;
        badged[i] = (mica_handle_t)mica_endpoint_mint(many_ep, i + 1, MICA_RIGHT_SEND);
        RT_EQ(prepare(&callers[i], many_caller, i), 0);
        many_threads[i] = callers[i].handle;
        RT_EQ(mica_thread_set_cpu(callers[i].handle, i % cpus), 0);
        RT_EQ(mica_thread_set_syscall_handler(callers[i].handle, badged[i]), 0);
    }
    for (unsigned i = 0; i < FWD_THREADS; i++)
        RT_EQ(mica_thread_start(callers[i].handle), 0);
    RT_EQ(rt_wait_bits(many_note, (1u << FWD_THREADS) - 1) & 0xffffffffull,
          (1u << FWD_THREADS) - 1);
    for (unsigned k = 0; k < FWD_HANDLERS; k++) {
        struct mica_msg stop = {0, (uint64_t)FWD_STOP << MICA_TAG_LABEL_SHIFT, {0}};
        RT_EQ(mica_call(many_ep, &stop), 0);
    }
    rt_reap(callers, FWD_THREADS);
    rt_reap(handlers, FWD_HANDLERS);
    for (unsigned i = 0; i < FWD_THREADS; i++) {
        RT_EQ(many_errors[i], 0);
        RT_EQ(mica_handle_close(badged[i]), 0);
    }
    for (unsigned k = 0; k < FWD_HANDLERS; k++)
        RT_EQ(handler_errors[k], 0);
    RT_EQ(mica_handle_close(many_ep), 0);
    RT_EQ(mica_handle_close(many_note), 0);
}

/*
 * A new TLS base given while the thread waits in its call - as a Linux program's arch_prctl
 * gets it - is the one the thread runs with after the answer, every time: the answer can
 * come before the waiting thread has even switched out, and then no switch loads it.  The
 * thread, on another CPU than the handler, asks 2000 times for FS to point at one of two
 * words that each hold their own address, and checks through %fs that it does.
 */
#define TLS_ROUNDS 2000
static uint64_t tls_words[2];
static volatile uint64_t tls_wrong;

static void tls_thread(uint64_t arg)
{
    (void)arg;
    for (uint64_t i = 0; i < TLS_ROUNDS; i++) {
        uint64_t want = (uint64_t)&tls_words[i & 1], seen;
        linux_call(LINUX_GETPID, want, 0, 0); /* "set my FS base to want" */
        __asm__ volatile("movq %%fs:0, %0" : "=r"(seen));
        if (seen != want)
            tls_wrong++;
    }
    linux_exit();
}

static void test_forward_tls_at_answer(void)
{
    unsigned cpus = 1;
    int64_t probe_t = mica_thread_create(rt_self, probe_thread, 0, 0);
    while (cpus < 2 && mica_thread_set_cpu((mica_handle_t)probe_t, cpus) == 0)
        cpus++;
    mica_handle_close((mica_handle_t)probe_t);
    tls_words[0] = (uint64_t)&tls_words[0];
    tls_words[1] = (uint64_t)&tls_words[1];
    tls_wrong = 0;
    mica_handle_t ep = (mica_handle_t)mica_endpoint_create();
    struct rt_thread t;
    RT_EQ(spawn_forwarded(&t, tls_thread, 0, ep, cpus > 1 ? 1 : -1), 0);
    struct mica_msg m;
    for (unsigned i = 0; i < TLS_ROUNDS; i++) {
        if (recv_syscall(ep, &m) < 0)
            break;
        RT_EQ(mica_thread_set_tls(t.handle, 0, m.w[1]), 0);
        answer(MICA_SYSCALL_RETURN, 0);
    }
    finish(ep);
    rt_reap(&t, 1);
    RT_EQ(tls_wrong, 0);
    RT_EQ(mica_handle_close(ep), 0);
}

const struct rt_test rt_forward_tests[] = {
    {"forward_registers", test_forward_registers},
    {"forward_regs_reply", test_forward_regs_reply},
    {"forward_kill", test_forward_kill},
    {"forward_unknown_action", test_forward_unknown_action},
    {"forward_handler_dies", test_forward_handler_dies},
    {"forward_reply_dropped", test_forward_reply_dropped},
    {"forward_endpoint_closed", test_forward_endpoint_closed},
    {"forward_killed_while_waiting", test_forward_killed_while_waiting},
    {"forward_handler_removed", test_forward_handler_removed},
    {"forward_bad_arguments", test_forward_bad_arguments},
    {"forward_many_threads", test_forward_many_threads},
    {"forward_tls_at_answer", test_forward_tls_at_answer},
};
const unsigned rt_forward_test_count = sizeof rt_forward_tests / sizeof rt_forward_tests[0];
