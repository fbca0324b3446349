/*
 * sys_signal.c - the signal system calls: rt_sigaction, rt_sigprocmask,
 * rt_sigpending, rt_sigsuspend, pause, rt_sigtimedwait, sigaltstack and
 * rt_sigreturn (concepts: signals, signal masks, waiting for a signal, the
 * return from a signal handler).
 *
 * Actions belong to the process, masks and alternate stacks to each thread
 * (task.h).  Sending and delivery are sigdeliver.c's; these calls set what
 * delivery reads, and a change that lets a pending signal through (an
 * unblocking mask) is delivered at the call's own return.  The checks and
 * their order are Linux's (kernel/signal.c), so that every error path
 * answers as there: rt_sigaction reads the new action before it checks the
 * number, and writes the old one after it set the new.
 */
#include "posix.h"
#include "block.h"
#include "syscalls.h"
#include "usercopy.h"
#include <mica/string.h>

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SIGSET_SIZE 8 /* the kernel's sigset_t on x86-64 */

/* rt_sigaction(sig, act, oldact, sigsetsize) */
int64_t sys_rt_sigaction(struct process *p, const uint64_t *a)
{
    int sig = (int)(int32_t)a[0];
    if (a[3] != SIGSET_SIZE)
        return -LINUX_EINVAL;
    struct linux_sigaction act, old;
    if (a[1] && user_read(&p->mem, &act, a[1], sizeof act) < 0)
        return -LINUX_EFAULT;
    int err = sig_action_check(sig, a[1] != 0);
    if (err < 0)
        return err;
    old = p->sigaction[sig];
    if (a[1]) {
        act.mask = sig_mask_sanitize(act.mask);
        p->sigaction[sig] = act;
        signal_action_changed(p, sig);
    }
    if (a[2] && user_write(&p->mem, a[2], &old, sizeof old) < 0)
        return -LINUX_EFAULT;
    return 0;
}

/* rt_sigprocmask(how, set, oldset, sigsetsize) */
int64_t sys_rt_sigprocmask(struct process *p, const uint64_t *a)
{
    if (a[3] != SIGSET_SIZE)
        return -LINUX_EINVAL;
    struct task *t = task_current();
    uint64_t set = 0, old = t->sigmask;
    if (a[1]) {
        if (user_read(&p->mem, &set, a[1], sizeof set) < 0)
            return -LINUX_EFAULT;
        if (a[0] == SIG_BLOCK)
            t->sigmask |= set;
        else if (a[0] == SIG_UNBLOCK)
            t->sigmask &= ~set;
        else if (a[0] == SIG_SETMASK)
            t->sigmask = set;
        else
            return -LINUX_EINVAL;
        t->sigmask = sig_mask_sanitize(t->sigmask);
    }
    if (a[2] && user_write(&p->mem, a[2], &old, sizeof old) < 0)
        return -LINUX_EFAULT;
    return 0; /* a signal it unblocked is delivered at this return (sigdeliver.h) */
}

/* rt_sigpending(set, sigsetsize): the pending signals the thread blocks */
int64_t sys_rt_sigpending(struct process *p, const uint64_t *a)
{
    if (a[1] > SIGSET_SIZE)
        return -LINUX_EINVAL;
    struct task *t = task_current();
    uint64_t set = (t->sig.pending.set | p->sig.pending.set) & t->sigmask;
    if (user_write(&p->mem, a[0], &set, a[1]) < 0)
        return -LINUX_EFAULT;
    return 0;
}

/* A call that waits until a signal's handler runs (pause, rt_sigsuspend): nothing wakes its
 * channel; the signal ends the wait with EINTR (sigdeliver.c). */
static int64_t wait_for_handler(struct process *p, struct task *t)
{
    if (signal_deliverable(t))
        return -LINUX_EINTR; /* taken at this return */
    return posix_block(p, &t->sig.alt, 0);
}

/* pause() */
int64_t sys_pause(struct process *p, const uint64_t *a)
{
    (void)a;
    return wait_for_handler(p, task_current());
}

/* rt_sigsuspend(mask, sigsetsize): wait with mask in place; the old mask is back after the
 * handler (the frame holds it) */
int64_t sys_rt_sigsuspend(struct process *p, const uint64_t *a)
{
    struct task *t = task_current();
    if (!t->sig.mask_saved) { /* the first run, not a later one of a waiting call */
        if (a[1] != SIGSET_SIZE)
            return -LINUX_EINVAL;
        uint64_t mask;
        if (user_read(&p->mem, &mask, a[0], sizeof mask) < 0)
            return -LINUX_EFAULT;
        t->sig.saved_mask = t->sigmask;
        t->sig.mask_saved = true;
        t->sigmask = sig_mask_sanitize(mask);
    }
    return wait_for_handler(p, t);
}

/* rt_sigtimedwait(set, info, timeout, sigsetsize): take a pending signal of set, waiting for
 * one at most timeout (none: no limit) */
int64_t sys_rt_sigtimedwait(struct process *p, const uint64_t *a)
{
    struct task *t = task_current();
    if (a[3] != SIGSET_SIZE)
        return -LINUX_EINVAL;
    uint64_t set;
    struct linux_timespec ts = {0, 0};
    if (user_read(&p->mem, &set, a[0], sizeof set) < 0)
        return -LINUX_EFAULT;
    if (a[2] && user_read(&p->mem, &ts, a[2], sizeof ts) < 0)
        return -LINUX_EFAULT;
    if (a[2] && (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000))
        return -LINUX_EINVAL;
    set = sig_mask_sanitize(set);
    int sig = sig_next((t->sig.pending.set | p->sig.pending.set) & set, 0);
    if (sig) {
        t->sig.waitset = 0;
        struct linux_siginfo info;
        if (t->sig.pending.set & sig_bit(sig))
            sig_pending_take(&t->sig.pending, sig, &info);
        else
            sig_pending_take(&p->sig.pending, sig, &info);
        if (a[1] && user_write(&p->mem, a[1], &info, sizeof info) < 0)
            return -LINUX_EFAULT;
        return sig;
    }
    if (posix_timed_out(p) || (a[2] && ts.sec == 0 && ts.nsec == 0)) {
        t->sig.waitset = 0;
        return -LINUX_EAGAIN;
    }
    uint64_t deadline = t->reply ? t->deadline /* a later run: the first run's deadline */
                        : a[2]
                            ? mica_clock_ns() + (uint64_t)ts.sec * 1000000000ull + (uint64_t)ts.nsec
                            : 0;
    t->sig.waitset = set;
    return posix_block(p, &t->sig.waitset, deadline);
}

/* sigaltstack(ss, old_ss) */
int64_t sys_sigaltstack(struct process *p, const uint64_t *a)
{
    struct task *t = task_current();
    struct linux_stack ss, old;
    if (a[0] && user_read(&p->mem, &ss, a[0], sizeof ss) < 0)
        return -LINUX_EFAULT;
    struct mica_regs r;
    if (mica_thread_read_regs(t->thread, &r) < 0)
        return -LINUX_EFAULT;
    struct sigaltstack_state *alt = &t->sig.alt;
    memset(&old, 0, sizeof old);
    old.sp = alt->sp;
    old.size = alt->size;
    old.flags = sigframe_altstack_flags(alt, r.rsp) | (int32_t)(alt->flags & LINUX_SS_AUTODISARM);
    if (a[0]) {
        if (sigframe_on_altstack(alt, r.rsp))
            return -LINUX_EPERM;
        uint32_t mode = (uint32_t)ss.flags & ~LINUX_SS_AUTODISARM;
        if (mode != 0 && mode != LINUX_SS_ONSTACK && mode != LINUX_SS_DISABLE)
            return -LINUX_EINVAL;
        if (mode == LINUX_SS_DISABLE) {
            *alt = (struct sigaltstack_state){0, 0, LINUX_SS_DISABLE};
        } else {
            if (ss.size < LINUX_MINSIGSTKSZ)
                return -LINUX_ENOMEM;
            *alt = (struct sigaltstack_state){ss.sp, ss.size,
                                              (uint32_t)ss.flags & LINUX_SS_AUTODISARM};
        }
    }
    if (a[1] && user_write(&p->mem, a[1], &old, sizeof old) < 0)
        return -LINUX_EFAULT;
    return 0;
}

/*
 * The FPU registers a frame's area at fpstate holds, into area (the kernel's whole area, ready
 * to write): all of it when its magic numbers are right, else the FXSAVE part with the rest in
 * its initial state, as Linux's sigreturn.  -EFAULT if it cannot be read.
 */
static int frame_fpu(struct process *p, uint64_t fpstate, uint8_t *area)
{
    const struct sigframe_fpu *k = signal_fpu();
    if (!fpstate) {
        sigframe_fpu_init(area, k); /* Linux: no FPU context in the frame, the initial state */
        return 0;
    }
    if (user_read(&p->mem, area, fpstate, SIGFRAME_FPU_SIZE) < 0)
        return -LINUX_EFAULT;
    uint32_t magic2_at = sigframe_fpu_magic2_at(area, k);
    uint32_t magic2 = 0;
    if (magic2_at && user_read(&p->mem, &magic2, fpstate + magic2_at, sizeof magic2) < 0)
        return -LINUX_EFAULT;
    int whole = magic2_at && magic2 == LINUX_FP_XSTATE_MAGIC2;
    if (whole && user_read(&p->mem, area + SIGFRAME_FPU_SIZE, fpstate + SIGFRAME_FPU_SIZE,
                           k->size - SIGFRAME_FPU_SIZE) < 0)
        return -LINUX_EFAULT;
    sigframe_fpu_unmark(area, whole, k);
    return 0;
}

/* rt_sigreturn(): back from a handler, to the registers, mask, FPU state and alternate stack
 * its frame holds.  A frame that cannot be read, or whose FPU area the kernel refuses, ends the
 * process with SIGSEGV, as on Linux. */
int64_t sys_rt_sigreturn(struct process *p, const uint64_t *a)
{
    (void)a;
    struct task *t = task_current();
    struct mica_regs r;
    static struct linux_rt_sigframe f;
    static uint8_t fpu[MICA_FPU_XSTATE_MAX];
    if (mica_thread_read_regs(t->thread, &r) < 0)
        return -LINUX_EFAULT;
    uint64_t at = r.rsp - 8; /* the restorer's `ret` took pretcode off */
    uint64_t sp_now = r.rsp;
    if (user_read(&p->mem, &f, at, sizeof f) < 0)
        goto bad;
    if (frame_fpu(p, f.uc.mcontext.fpstate, fpu) < 0)
        goto bad;
    uint64_t mask;
    sigframe_restore(&f, &r, &mask);
    if (mica_thread_write_fpu(t->thread, fpu, signal_fpu()->size) < 0 ||
        mica_thread_write_regs(t->thread, &r) < 0)
        goto bad;
    t->sigmask = sig_mask_sanitize(mask);
    const struct linux_stack *s = &f.uc.stack; /* as Linux: errors here are ignored */
    uint32_t mode = (uint32_t)s->flags & ~LINUX_SS_AUTODISARM;
    if (!sigframe_on_altstack(&t->sig.alt, sp_now)) {
        if (mode == LINUX_SS_DISABLE)
            t->sig.alt = (struct sigaltstack_state){0, 0, LINUX_SS_DISABLE};
        else if ((mode == 0 || mode == LINUX_SS_ONSTACK) && s->size >= LINUX_MINSIGSTKSZ)
            t->sig.alt = (struct sigaltstack_state){s->sp, s->size,
                                                    (uint32_t)s->flags & LINUX_SS_AUTODISARM};
    }
    return POSIX_EXEC; /* resume with the registers as written */
bad:
    p->ended = true;
    p->signal = LINUX_SIGSEGV;
    return 0;
}
