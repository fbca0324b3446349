/*
 * tests_threads.c - threads and address spaces: creating, starting and ending
 * threads, their arguments and stacks, registers kept across system calls and
 * preemption, and threads in address spaces of their own.
 */
#include <stdatomic.h>
#include "rt.h"
#include "tests.h"

#define STR_(x) #x
#define STR(x)  STR_(x)

static void never_runs(uint64_t arg)
{
    (void)arg;
    mica_thread_exit();
}

/* thread_create refuses an entry point or stack outside user space with EINVAL. */
void test_thread_create_bad_addresses(void)
{
    RT_EQ(mica_syscall4(SYS_THREAD_CREATE, rt_self, RT_USER_TOP, 0, 0), -MICA_EINVAL);
    RT_EQ(mica_syscall4(SYS_THREAD_CREATE, rt_self, RT_KERNEL, 0, 0), -MICA_EINVAL);
    RT_EQ(mica_syscall4(SYS_THREAD_CREATE, rt_self, ~0ull, 0, 0), -MICA_EINVAL);
    RT_EQ(mica_syscall4(SYS_THREAD_CREATE, rt_self, (uint64_t)never_runs, RT_USER_TOP + 16, 0),
          -MICA_EINVAL);
    RT_EQ(mica_syscall4(SYS_THREAD_CREATE, rt_self, (uint64_t)never_runs, RT_KERNEL, 0),
          -MICA_EINVAL);
    /* The stack may start right at the top of user space (it grows down). */
    int64_t t = mica_thread_create(rt_self, never_runs, (void *)RT_USER_TOP, 0);
    RT_CHECK(t > 0);
    RT_EQ(mica_handle_close((mica_handle_t)t), 0);
}

/* A thread can be started once: again, or after it ended, gives EBUSY. */
static void signal_and_exit(uint64_t note)
{
    rt_signal_exit((mica_handle_t)note, 1);
}

void test_thread_start_twice(void)
{
    int64_t n = mica_notify_create();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, signal_and_exit, (uint64_t)n), 0);
    RT_EQ(mica_thread_start(t.handle), -MICA_EBUSY);
    RT_EQ(rt_wait_bits((mica_handle_t)n, 1), 1);
    rt_yield_n(20);
    RT_EQ(mica_thread_start(t.handle), -MICA_EBUSY);
    rt_reap(&t, 1);
    RT_EQ(mica_handle_close((mica_handle_t)n), 0);
}

/* Threads created and never started cost nothing once their handles are closed. */
void test_thread_unstarted(void)
{
    struct mica_kernel_stats s0, s1;
    mica_handle_t h[16];
    rt_stats(&s0);
    for (int i = 0; i < 16; i++) {
        int64_t t = mica_thread_create(rt_self, never_runs, 0, 0);
        RT_CHECK(t > 0);
        h[i] = (mica_handle_t)t;
    }
    rt_stats(&s1);
    RT_EQ(s1.objects[RT_OBJ_THREAD], s0.objects[RT_OBJ_THREAD] + 16);
    for (int i = 0; i < 16; i++)
        RT_EQ(mica_handle_close(h[i]), 0);
    rt_check_leaks(&s0, 64);
}

/* The argument arrives whole in the new thread, which runs on the stack it was given. */
struct arg_report {
    mica_handle_t note;
    uint64_t arg;
    uint64_t stack_addr;
};
static struct arg_report arg_report;

static void report_arg(uint64_t arg)
{
    volatile int local = 0;
    arg_report.arg = arg;
    arg_report.stack_addr = (uint64_t)&local;
    rt_signal_exit(arg_report.note, 1);
}

void test_thread_arg_and_stack(void)
{
    const uint64_t arg = 0xfedcba9876543210ull;
    arg_report.note = (mica_handle_t)mica_notify_create();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, report_arg, arg), 0);
    RT_EQ(rt_wait_bits(arg_report.note, 1), 1);
    RT_EQ(arg_report.arg, arg);
    RT_CHECK(arg_report.stack_addr > t.stack_base + RT_PAGE);
    RT_CHECK(arg_report.stack_addr < t.stack_base + RT_PAGE + RT_STACK_SIZE);
    rt_reap(&t, 1);
    RT_EQ(mica_handle_close(arg_report.note), 0);
}

/* mica_yield() returns 0, with or without other threads to run. */
void test_thread_yield(void)
{
    for (int i = 0; i < 100; i++)
        RT_EQ(mica_yield(), 0);
}

/* A thread whose handle is closed while it runs goes on, then is freed when it ends. */
static mica_handle_t early_note, early_go;

static void wait_go_then_signal(uint64_t arg)
{
    (void)arg;
    uint64_t bits = (uint64_t)mica_notify_wait(early_go);
    rt_signal_exit(early_note, bits);
}

void test_thread_handle_closed_early(void)
{
    struct mica_kernel_stats s0;
    rt_stats(&s0);
    early_note = (mica_handle_t)mica_notify_create();
    early_go = (mica_handle_t)mica_notify_create();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, wait_go_then_signal, 0), 0);
    RT_EQ(mica_handle_close(t.handle), 0); /* the running thread keeps itself alive */
    RT_EQ(mica_notify_signal(early_go, 0x8), 0);
    RT_EQ(rt_wait_bits(early_note, 0x8), 0x8);
    RT_CHECK(rt_wait_threads(s0.objects[RT_OBJ_THREAD]));
    rt_unmap_close((void *)t.stack_base, RT_PAGE + RT_STACK_SIZE, t.stack_vmo);
    RT_EQ(mica_handle_close(early_note), 0);
    RT_EQ(mica_handle_close(early_go), 0);
}

/* Eight threads increment one counter in parallel; every increment counts. */
#define PAR_THREADS 8
#define PAR_ROUNDS  20000
static _Atomic uint64_t par_counter;
static mica_handle_t par_note;

static void par_worker(uint64_t i)
{
    for (int k = 0; k < PAR_ROUNDS; k++) {
        atomic_fetch_add(&par_counter, 1);
        if (k % 1000 == 0)
            mica_yield();
    }
    rt_signal_exit(par_note, 1ull << i);
}

void test_threads_parallel(void)
{
    struct rt_thread t[PAR_THREADS];
    par_note = (mica_handle_t)mica_notify_create();
    atomic_store(&par_counter, 0);
    for (int i = 0; i < PAR_THREADS; i++)
        RT_EQ(rt_spawn(&t[i], par_worker, (uint64_t)i), 0);
    RT_EQ(rt_wait_bits(par_note, (1u << PAR_THREADS) - 1), (1u << PAR_THREADS) - 1);
    RT_EQ(atomic_load(&par_counter), PAR_THREADS * PAR_ROUNDS);
    rt_reap(t, PAR_THREADS);
    RT_EQ(mica_handle_close(par_note), 0);
}

/*
 * uint64_t rt_reg_spin(uint64_t seed, uint64_t rounds, uint64_t sysno)
 * Fill every general register except rax, rcx, r11 (which SYSCALL uses) and
 * rsp with values made from seed, loop `rounds` times - making system call
 * `sysno` each time unless it is ~0 - and return 0 if every register still
 * holds its value, 1 if not.
 */
uint64_t rt_reg_spin(uint64_t seed, uint64_t rounds, uint64_t sysno);
__asm__(".text\n"
        ".globl rt_reg_spin\n"
        "rt_reg_spin:\n"
        "    pushq %rbp\n"
        "    pushq %rbx\n"
        "    pushq %r12\n"
        "    pushq %r13\n"
        "    pushq %r14\n"
        "    pushq %r15\n"
        "    pushq %rdx\n" /* 16(%rsp): sysno */
        "    pushq %rsi\n" /* 8(%rsp): rounds left */
        "    pushq %rdi\n" /* 0(%rsp): seed */
        "    leaq 1(%rdi), %rbx\n"
        "    leaq 2(%rdi), %rbp\n"
        "    leaq 3(%rdi), %rdx\n"
        "    leaq 4(%rdi), %rsi\n"
        "    leaq 5(%rdi), %r8\n"
        "    leaq 6(%rdi), %r9\n"
        "    leaq 7(%rdi), %r10\n"
        "    leaq 8(%rdi), %r12\n"
        "    leaq 9(%rdi), %r13\n"
        "    leaq 10(%rdi), %r14\n"
        "    leaq 11(%rdi), %r15\n"
        "1:  movq 16(%rsp), %rax\n"
        "    cmpq $-1, %rax\n"
        "    je 2f\n"
        "    syscall\n"
        "2:  decq 8(%rsp)\n"
        "    jnz 1b\n"
        "    movq 0(%rsp), %rax\n"
        "    cmpq %rax, %rdi\n"
        "    jne 3f\n"
        "    leaq 1(%rax), %rcx\n"
        "    cmpq %rcx, %rbx\n"
        "    jne 3f\n"
        "    leaq 2(%rax), %rcx\n"
        "    cmpq %rcx, %rbp\n"
        "    jne 3f\n"
        "    leaq 3(%rax), %rcx\n"
        "    cmpq %rcx, %rdx\n"
        "    jne 3f\n"
        "    leaq 4(%rax), %rcx\n"
        "    cmpq %rcx, %rsi\n"
        "    jne 3f\n"
        "    leaq 5(%rax), %rcx\n"
        "    cmpq %rcx, %r8\n"
        "    jne 3f\n"
        "    leaq 6(%rax), %rcx\n"
        "    cmpq %rcx, %r9\n"
        "    jne 3f\n"
        "    leaq 7(%rax), %rcx\n"
        "    cmpq %rcx, %r10\n"
        "    jne 3f\n"
        "    leaq 8(%rax), %rcx\n"
        "    cmpq %rcx, %r12\n"
        "    jne 3f\n"
        "    leaq 9(%rax), %rcx\n"
        "    cmpq %rcx, %r13\n"
        "    jne 3f\n"
        "    leaq 10(%rax), %rcx\n"
        "    cmpq %rcx, %r14\n"
        "    jne 3f\n"
        "    leaq 11(%rax), %rcx\n"
        "    cmpq %rcx, %r15\n"
        "    jne 3f\n"
        "    xorl %eax, %eax\n"
        "    jmp 4f\n"
        "3:  movl $1, %eax\n"
        "4:  addq $24, %rsp\n"
        "    popq %r15\n"
        "    popq %r14\n"
        "    popq %r13\n"
        "    popq %r12\n"
        "    popq %rbx\n"
        "    popq %rbp\n"
        "    ret\n");

/* System calls - the fast null call, a failing call, a yield - keep all registers but rax, rcx,
 * r11. */
void test_registers_kept_by_syscalls(void)
{
    RT_EQ(rt_reg_spin(0x1111111111111111ull, 100, SYS_NULL), 0);
    RT_EQ(rt_reg_spin(0x2222222222222222ull, 100, SYS_NOTIFY_POLL), 0); /* EBADF */
    RT_EQ(rt_reg_spin(0x3333333333333333ull, 100, SYS_THREAD_YIELD), 0);
    RT_EQ(rt_reg_spin(0x4444444444444444ull, 100, SYS_COUNT), 0); /* ENOSYS */
}

/* Threads that spin with all registers in use on every CPU keep them across preemption. */
#define SPIN_THREADS 6
static mica_handle_t spin_note;
static _Atomic uint64_t spin_errors;

static void spinner(uint64_t i)
{
    static const struct {
        uint64_t sysno, rounds;
    } modes[] = {
        {~0ull, 50000},          /* plain loop: only interrupts take the CPU away */
        {SYS_THREAD_YIELD, 300}, /* gives the CPU to the others */
        {SYS_NULL, 2000},        /* the fast system-call path */
        {SYS_NOTIFY_POLL, 2000}, /* a failing call under the kernel lock (EBADF) */
    };
    uint64_t seed = 0x0101010101010101ull * (i + 1);
    for (unsigned k = 0; k < 8; k++)
        atomic_fetch_add(&spin_errors,
                         rt_reg_spin(seed + k, modes[k % 4].rounds, modes[k % 4].sysno));
    rt_signal_exit(spin_note, 1ull << i);
}

void test_registers_kept_by_preemption(void)
{
    struct rt_thread t[SPIN_THREADS];
    spin_note = (mica_handle_t)mica_notify_create();
    atomic_store(&spin_errors, 0);
    for (int i = 0; i < SPIN_THREADS; i++)
        RT_EQ(rt_spawn(&t[i], spinner, (uint64_t)i), 0);
    RT_EQ(rt_reg_spin(0x7777777777777777ull, 300000, ~0ull), 0);
    RT_EQ(rt_wait_bits(spin_note, (1u << SPIN_THREADS) - 1), (1u << SPIN_THREADS) - 1);
    RT_EQ(atomic_load(&spin_errors), 0);
    rt_reap(t, SPIN_THREADS);
    RT_EQ(mica_handle_close(spin_note), 0);
}

/* New address spaces are objects like any other: created, counted, freed. */
void test_aspace_create_close(void)
{
    struct mica_kernel_stats s0, s1;
    mica_handle_t as[8];
    rt_stats(&s0);
    for (int i = 0; i < 8; i++) {
        int64_t h = rt_aspace_create();
        RT_CHECK(h > 0);
        as[i] = (mica_handle_t)h;
    }
    rt_stats(&s1);
    RT_EQ(s1.objects[RT_OBJ_ASPACE], s0.objects[RT_OBJ_ASPACE] + 8);
    for (int i = 0; i < 8; i++)
        RT_EQ(mica_handle_close(as[i]), 0);
    rt_check_leaks(&s0, 64);
}

/* ---- threads in a new address space ---- */

/*
 * Tiny programs for a new address space, which has nothing mapped but what
 * the test maps: the code page at FOREIGN_CODE and a data page shared with the
 * root task at FOREIGN_DATA.  They use no stack.
 */
#define FOREIGN_CODE 0x1000
#define FOREIGN_DATA 0x2000

// clang-format off
__asm__(
        ".pushsection .rodata\n"
        /* data[0] += 1, then end. */
        "foreign_count:\n"
        "    lock incl " STR(FOREIGN_DATA) "\n"
        "    movl $" STR(SYS_THREAD_EXIT) ", %eax\n"
        "    syscall\n"
        "    ud2\n"
        "foreign_count_end:\n"
        /* Yield until data[0] != 0, then data[1] = 1 and end. */
        "foreign_wait:\n"
        "1:  movl $" STR(SYS_THREAD_YIELD) ", %eax\n"
        "    syscall\n"
        "    cmpl $0, " STR(FOREIGN_DATA) "\n"
        "    je 1b\n"
        "    movl $1, " STR(FOREIGN_DATA) " + 4\n"
        "    movl $" STR(SYS_THREAD_EXIT) ", %eax\n"
        "    syscall\n"
        "    ud2\n"
        "foreign_wait_end:\n"
        /* Try to read the root task's code at 0x400000 (not mapped here), then data[0] = 1. */
        "foreign_peek:\n"
        "    movl 0x400000, %eax\n"
        "    movl $1, " STR(FOREIGN_DATA) "\n"
        "    movl $" STR(SYS_THREAD_EXIT) ", %eax\n"
        "    syscall\n"
        "    ud2\n"
        "foreign_peek_end:\n"
        /* data[4] = system call data[3] (data[1], data[2]); then data[0] = 1 and end. */
        "foreign_syscall:\n"
        "    movq " STR(FOREIGN_DATA) " + 8, %rdi\n"
        "    movq " STR(FOREIGN_DATA) " + 16, %rsi\n"
        "    movq " STR(FOREIGN_DATA) " + 24, %rax\n"
        "    syscall\n"
        "    movq %rax, " STR(FOREIGN_DATA) " + 32\n"
        "    movl $1, " STR(FOREIGN_DATA) "\n"
        "    movl $" STR(SYS_THREAD_EXIT) ", %eax\n"
        "    syscall\n"
        "    ud2\n"
        "foreign_syscall_end:\n"
        ".popsection");
// clang-format on

extern const char foreign_count[], foreign_count_end[], foreign_wait[], foreign_wait_end[],
    foreign_peek[], foreign_peek_end[], foreign_syscall[], foreign_syscall_end[];

struct foreign {
    mica_handle_t as, code, data, thread;
    volatile uint32_t *shared; /* the data page, where the root task sees it */
};

/* A new address space with `code` at FOREIGN_CODE, a shared data page and a thread (not started).
 */
static void foreign_setup(struct foreign *f, const char *code, const char *code_end)
{
    int64_t as = rt_aspace_create();
    RT_CHECK(as > 0);
    f->as = (mica_handle_t)as;
    volatile char *text = rt_map_new(RT_PAGE, RT_RW, &f->code);
    for (long i = 0; i < code_end - code; i++)
        text[i] = code[i];
    RT_EQ(mica_vm_unmap(rt_self, (uint64_t)text, RT_PAGE), 0);
    RT_EQ(mica_vm_map(f->as, f->code, 0, FOREIGN_CODE, RT_PAGE, RT_RX), FOREIGN_CODE);
    f->shared = rt_map_new(RT_PAGE, RT_RW, &f->data);
    RT_EQ(mica_vm_map(f->as, f->data, 0, FOREIGN_DATA, RT_PAGE, RT_RW), FOREIGN_DATA);
    int64_t t = mica_thread_create(f->as, (void (*)(uint64_t))FOREIGN_CODE, 0, 0);
    RT_CHECK(t > 0);
    f->thread = (mica_handle_t)t;
}

/* Close the thread handle and wait until the thread is gone (it must end by itself). */
static void foreign_end_thread(struct foreign *f)
{
    struct mica_kernel_stats s;
    rt_stats(&s);
    RT_EQ(mica_handle_close(f->thread), 0);
    RT_CHECK(rt_wait_threads(s.objects[RT_OBJ_THREAD] - 1));
}

/* Close the address space and the memory objects. */
static void foreign_release(struct foreign *f)
{
    RT_EQ(mica_handle_close(f->as), 0);
    rt_unmap_close((void *)f->shared, RT_PAGE, f->data);
    RT_EQ(mica_handle_close(f->code), 0);
}

static void foreign_teardown(struct foreign *f)
{
    foreign_end_thread(f);
    foreign_release(f);
}

/* Wait until *p != 0 (a thread elsewhere sets it); false if it takes too long. */
static int wait_nonzero(volatile uint32_t *p)
{
    for (int i = 0; i < 500000; i++) {
        if (*p)
            return 1;
        mica_yield();
    }
    return 0;
}

/* A thread in a new address space runs the code mapped there and shares a page with us. */
void test_aspace_foreign_thread(void)
{
    struct mica_kernel_stats s0, s1;
    rt_stats(&s0);
    struct foreign f;
    foreign_setup(&f, foreign_count, foreign_count_end);
    RT_EQ(mica_thread_start(f.thread), 0);
    RT_CHECK(wait_nonzero(f.shared));
    RT_EQ(f.shared[0], 1);
    foreign_teardown(&f);
    rt_stats(&s1);
    RT_EQ(s1.objects[RT_OBJ_ASPACE], s0.objects[RT_OBJ_ASPACE]);
    RT_EQ(s1.objects[RT_OBJ_VMO], s0.objects[RT_OBJ_VMO]);
}

/* A thread in a new address space cannot reach the root task's memory: it faults. */
void test_aspace_isolation(void)
{
    struct foreign f;
    foreign_setup(&f, foreign_peek, foreign_peek_end);
    RT_EQ(mica_thread_start(f.thread), 0);
    foreign_end_thread(&f);
    RT_EQ(f.shared[0], 0); /* never got past the read */
    foreign_release(&f);
}

/* A running thread keeps its address space alive after the last handle to it is closed. */
void test_aspace_kept_by_thread(void)
{
    struct mica_kernel_stats s0, s1;
    struct foreign f;
    foreign_setup(&f, foreign_wait, foreign_wait_end);
    RT_EQ(mica_thread_start(f.thread), 0);
    rt_stats(&s0);
    RT_EQ(mica_handle_close(f.as), 0);
    rt_stats(&s1);
    RT_EQ(s1.objects[RT_OBJ_ASPACE], s0.objects[RT_OBJ_ASPACE]); /* still there */
    f.shared[0] = 1;                                             /* let it finish */
    RT_CHECK(wait_nonzero(f.shared + 1));
    RT_EQ(mica_handle_close(f.thread), 0);
    RT_CHECK(rt_wait_threads(s0.objects[RT_OBJ_THREAD] - 1));
    rt_stats(&s1);
    RT_EQ(s1.objects[RT_OBJ_ASPACE], s0.objects[RT_OBJ_ASPACE] - 1); /* now gone */
    rt_unmap_close((void *)f.shared, RT_PAGE, f.data);
    RT_EQ(mica_handle_close(f.code), 0);
}

/*
 * Threads in many short-lived address spaces: each space and its page tables
 * are freed, also when the last handles are closed while the thread still runs.
 *
 * Regression test for a kernel bug (SMP only; fixed in be1240b): a CPU whose
 * last thread was the only one of an address space went idle with that
 * space's page-table root still in CR3.  When the space died, aspace_destroy()
 * -> mmu_free_user_root() freed that root page anyway; once the page was
 * reused, the idle CPU lost the kernel half of its address space and the
 * machine reset (triple fault) at its next interrupt.  Fresh pages are
 * touched right after each space dies to make such a reuse likely.
 */
/* Touch `pages` fresh pages: the kernel takes free pages (likely the ones just freed) and zeroes
 * them. */
static void touch_fresh_pages(unsigned pages)
{
    mica_handle_t v;
    volatile char *m = rt_map_new(pages * RT_PAGE, RT_RW, &v);
    for (unsigned k = 0; k < pages; k++)
        m[k * RT_PAGE] = 1;
    rt_unmap_close((void *)m, pages * RT_PAGE, v);
}

void test_aspace_teardown_repeated(void)
{
    struct mica_kernel_stats s0;
    struct foreign f;
    /* Warm up the kernel's caches once. */
    foreign_setup(&f, foreign_count, foreign_count_end);
    RT_EQ(mica_thread_start(f.thread), 0);
    RT_CHECK(wait_nonzero(f.shared));
    foreign_teardown(&f);
    rt_stats(&s0);
    for (int i = 0; i < 60; i++) {
        foreign_setup(&f, foreign_count, foreign_count_end);
        mica_thread_set_cpu(f.thread, 1); /* another CPU than ours, if there is one */
        RT_EQ(mica_thread_start(f.thread), 0);
        if (i % 2) {
            /* Let go of everything at once: the thread frees its space when it ends. */
            RT_EQ(mica_handle_close(f.thread), 0);
            RT_EQ(mica_handle_close(f.as), 0);
            RT_CHECK(wait_nonzero(f.shared));
            rt_yield_n(5);
        } else {
            RT_CHECK(wait_nonzero(f.shared));
            foreign_end_thread(&f);
            RT_EQ(mica_handle_close(f.as), 0);
        }
        touch_fresh_pages(64);
        rt_unmap_close((void *)f.shared, RT_PAGE, f.data);
        RT_EQ(mica_handle_close(f.code), 0);
    }
    rt_check_leaks(&s0, 64);
}

/* Make a thread in a new address space run system call nr(a0, a1); its result. */
static int64_t foreign_syscall2(uint64_t nr, uint64_t a0, uint64_t a1)
{
    struct foreign f;
    foreign_setup(&f, foreign_syscall, foreign_syscall_end);
    volatile uint64_t *d = (volatile uint64_t *)f.shared;
    d[1] = a0;
    d[2] = a1;
    d[3] = nr;
    d[4] = 12345;
    RT_EQ(mica_thread_start(f.thread), 0);
    RT_CHECK(wait_nonzero(f.shared));
    int64_t r = (int64_t)d[4];
    foreign_teardown(&f);
    return r;
}

/* Handles belong to a process: the same number means nothing in another address space. */
void test_aspace_handles_are_per_process(void)
{
    mica_handle_t n = (mica_handle_t)mica_notify_create();
    RT_EQ(foreign_syscall2(SYS_NOTIFY_SIGNAL, n, 1), -MICA_EBADF);
    RT_EQ(foreign_syscall2(SYS_HANDLE_CLOSE, n, 0), -MICA_EBADF);
    RT_EQ(foreign_syscall2(SYS_HANDLE_CLOSE, rt_self, 0), -MICA_EBADF);
    RT_EQ(mica_notify_poll(n), 0);  /* not signalled */
    RT_EQ(mica_handle_close(n), 0); /* still ours */
}

/* Only the root task may stop the machine (asked with verdict "fail", so that a
 * kernel that wrongly obeys ends the run as failed, never as passed). */
void test_aspace_halt_needs_root(void)
{
    RT_EQ(foreign_syscall2(SYS_SYSTEM_HALT, 1, 0), -MICA_EPERM);
}
