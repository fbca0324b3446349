/*
 * syscall_arch.c - connecting the SYSCALL instruction to the kernel's
 * system-call table: the model-specific registers that make SYSCALL enter
 * syscall_entry (syscall.S), and moving arguments and results between the
 * saved user registers and struct syscall_regs.
 */
#include <stddef.h>
#include <mica/ipc.h>
#include <mica/sched.h>
#include <mica/syscall.h>
#include <mica/thread.h>
#include <arch/percpu.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <abi/mica/syscall.h>

#define FMASK_BITS 0x47700 /* clear IF, DF, TF, AC, NT and IOPL on entry */

void syscall_entry(void);
_Noreturn void syscall_exit_exact(struct trap_frame *f);

void syscall_init_cpu(void)
{
    wrmsr(MSR_STAR, ((uint64_t)(GDT_UCODE32 | 3) << 48) | ((uint64_t)GDT_KCODE << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_FMASK, FMASK_BITS);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

_Static_assert(offsetof(struct trap_frame, rdi) == offsetof(struct ipc_regs, handle) &&
                   offsetof(struct trap_frame, rsi) == offsetof(struct ipc_regs, tag) &&
                   offsetof(struct trap_frame, rdx) == offsetof(struct ipc_regs, w[0]) &&
                   offsetof(struct trap_frame, r10) == offsetof(struct ipc_regs, w[1]) &&
                   offsetof(struct trap_frame, r8) == offsetof(struct ipc_regs, w[2]) &&
                   offsetof(struct trap_frame, r9) == offsetof(struct ipc_regs, w[3]),
               "the IPC fast path reads the message registers in the trap frame");

/* The IPC fast path (kernel/core/ipc_fast.c) for the two calls it serves; interrupts off. */
static bool fast_path(struct trap_frame *f)
{
    if (f->rax == SYS_CALL)
        return ipc_fast_call(this_cpu()->current, (struct ipc_regs *)f);
    if (f->rax == SYS_REPLY_RECV)
        return ipc_fast_reply_recv(this_cpu()->current, (struct ipc_regs *)f);
    return false;
}

/* Anything for thread_return_to_user() to do: a reschedule, a suspension, a kill? */
static bool return_work_pending(void)
{
    struct percpu *p = this_cpu();
    return p->rq->need_resched || p->current->suspend_requested || p->current->kill_requested;
}

/* Every other call: arguments from the frame, results back into it. */
static void slow_path(struct trap_frame *f)
{
    struct syscall_regs r;
    r.nr = f->rax;
    r.arg[0] = f->rdi;
    r.arg[1] = f->rsi;
    r.arg[2] = f->rdx;
    r.arg[3] = f->r10;
    r.arg[4] = f->r8;
    r.arg[5] = f->r9;
    r.nout = 0;
    syscall_handle(&r);
    f->rax = r.ret;
    if (r.nout) {
        f->rdi = r.out[0];
        f->rsi = r.out[1];
        f->rdx = r.out[2];
        f->r10 = r.out[3];
        f->r8 = r.out[4];
        f->r9 = r.out[5];
    }
}

/*
 * A thread with a system-call handler: the call goes to the handler
 * (syscall_forward.c).  After an answer with rewritten registers the thread
 * leaves through iretq, which restores rcx and r11 too (sysretq cannot).
 * False if the handler was removed meanwhile: then it is a native call
 * after all, and interrupts are off again as syscall_dispatch() expects.
 */
static __attribute__((noinline, cold)) bool forwarded(struct trap_frame *f)
{
    irq_enable();
    enum forward_result r = syscall_forward(f);
    if (r != FORWARD_NONE)
        thread_return_to_user();
    irq_disable();
    if (r == FORWARD_EXACT)
        syscall_exit_exact(f);
    return r != FORWARD_NONE;
}

/*
 * Entered from syscall_entry with interrupts off.  The fast path runs with
 * them off and, when nothing more is to be done, returns to user mode
 * without enabling them at all; everything else runs with them on.  A
 * forwarded call costs native calls one test of a field of the thread.
 */
void syscall_dispatch(struct trap_frame *f)
{
    if (__builtin_expect(this_cpu()->current->syscall_ep != 0, 0) && forwarded(f))
        return;
    bool fast = fast_path(f);
    if (fast && !return_work_pending())
        return;
    irq_enable();
    if (!fast)
        slow_path(f);
    thread_return_to_user();
    irq_disable();
}
