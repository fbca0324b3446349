/*
 * sigdeliver.c - sending and delivering Linux signals (concepts: signals,
 * signal delivery, default actions, stop and continue, interrupted system
 * calls, SIGCHLD).  See sigdeliver.h for the whole story; the rules come
 * from sigstate.h, the frame from sigframe.h.
 */
#include "sigdeliver.h"
#include "posix.h"
#include "proctable.h"
#include "usercopy.h"
#include <mica/string.h>

#define FX_MXCSR   24 /* offset in the FXSAVE area */
#define MAX_FRAMES 64 /* frames pushed at one delivery (each handler's mask may let more in) */

enum outcome { NOTHING, FRAMES, ENDED, STOPPED };

/* Fault details for the frame of the fault's own signal (signal_fault), else zero. */
static struct {
    int sig;
    uint64_t trapno, err, cr2;
} fault;

const struct sigframe_fpu *signal_fpu(void)
{
    static struct sigframe_fpu k;
    if (k.size)
        return &k;
    struct mica_kernel_stats s;
    if (mica_kernel_stats(&s) == 0 && s.fpu_size >= SIGFRAME_FPU_SIZE &&
        s.fpu_size <= MICA_FPU_XSTATE_MAX) {
        k.size = (uint32_t)s.fpu_size;
        k.features = s.fpu_features;
    } else {
        k.size = SIGFRAME_FPU_SIZE; /* the FXSAVE part, which every kernel gives */
        k.features = 3;
    }
    return &k;
}

static bool has_handler(const struct linux_sigaction *act)
{
    return act->handler != LINUX_SIG_DFL && act->handler != LINUX_SIG_IGN;
}

/* The signal t takes next (its own pending ones first at the same rank), 0 if none. */
static int next_for(const struct task *t)
{
    uint64_t all = t->sig.pending.set | t->proc->sig.pending.set;
    return sig_next(all, t->sigmask);
}

bool signal_deliverable(const struct task *t)
{
    return next_for(t) != 0;
}

/* Take sig out of t's or its process's pending set (t's own first). */
static void take(struct task *t, int sig, struct linux_siginfo *info)
{
    if (t->sig.pending.set & sig_bit(sig))
        sig_pending_take(&t->sig.pending, sig, info);
    else
        sig_pending_take(&t->proc->sig.pending, sig, info);
}

/* p ends, killed by sig.  The process whose call is being served ends when that is answered
 * (main.c, block.c); any other ends here. */
static void end_by(struct process *p, int sig)
{
    if (p->ended)
        return;
    p->ended = true;
    p->signal = sig;
    struct task *cur = task_current();
    if (!cur || cur->proc != p)
        posix_end_process(p);
}

/* ---- Parent notification ---- */

/* SIGCHLD to p's parent for an event with code and status, unless it asked not to hear of
 * stops and continues (SA_NOCLDSTOP); the parent's wait4 is woken. */
static void notify_parent(struct process *p, int code, int status)
{
    struct process *parent = p->ppid ? proc_find(p->ppid) : 0;
    if (!parent || parent->state != PROC_RUNNING)
        return;
    posix_wakeup(parent); /* its wait4 (sys_wait.c) */
    const struct linux_sigaction *act = &parent->sigaction[LINUX_SIGCHLD];
    bool stop_or_cont = code == LINUX_CLD_STOPPED || code == LINUX_CLD_CONTINUED;
    if (stop_or_cont && (act->flags & LINUX_SA_NOCLDSTOP))
        return;
    struct sig_info info = {.code = code, .pid = p->pid, .status = status, .uid = p->cred.ruid};
    signal_send(parent, LINUX_SIGCHLD, &info);
}

bool signal_child_ended(struct process *child)
{
    struct process *parent = proc_find(child->ppid);
    if (!parent || parent->state != PROC_RUNNING)
        return false;
    const struct linux_sigaction *act = &parent->sigaction[LINUX_SIGCHLD];
    int code = child->signal ? LINUX_CLD_KILLED : LINUX_CLD_EXITED;
    if (act->handler != LINUX_SIG_IGN) /* SIG_IGN: not even sent (Linux's do_notify_parent) */
        notify_parent(child, code, child->signal ? child->signal : child->status);
    return act->handler == LINUX_SIG_IGN || (act->flags & LINUX_SA_NOCLDWAIT);
}

int64_t signal_wait_report(struct process *parent, int64_t pid, uint64_t options,
                           uint64_t status_addr)
{
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct process *c = proc_at(i);
        if (!c || c->state != PROC_RUNNING || !c->sig.report ||
            !proc_wait_means(c, parent->pid, pid))
            continue;
        bool stop = c->sig.report != SIG_STATUS_CONTINUED;
        if (!(options & (stop ? LINUX_WUNTRACED : LINUX_WCONTINUED)))
            continue;
        int status = c->sig.report;
        c->sig.report = 0;
        if (status_addr && user_write(&parent->mem, status_addr, &status, sizeof status) < 0)
            return -LINUX_EFAULT;
        return c->pid;
    }
    return 0;
}

/* ---- Stop and continue ---- */

static void stop_process(struct process *p, int sig)
{
    if (p->sig.stopped)
        return;
    p->sig.stopped = true;
    struct task *t = 0;
    while ((t = task_next(p, t)) != 0)
        mica_thread_suspend(t->thread); /* at once, or when its call is answered */
    p->sig.report = sig_status_stopped(sig);
    notify_parent(p, LINUX_CLD_STOPPED, sig);
}

static void kick(struct process *p, int sig);

static void continue_process(struct process *p)
{
    if (!p->sig.stopped)
        return;
    p->sig.stopped = false;
    struct task *t = 0;
    while ((t = task_next(p, t)) != 0)
        mica_thread_resume(t->thread);
    p->sig.report = SIG_STATUS_CONTINUED;
    notify_parent(p, LINUX_CLD_CONTINUED, LINUX_SIGCONT);
    for (int sig = 1; sig <= SIG_NSIG; sig++) /* what came while it was stopped */
        if (p->sig.pending.set & sig_bit(sig))
            kick(p, sig);
}

/* ---- Frames ---- */

/*
 * Push the frame of signal sig (its siginfo in *info) for t, whose registers are *r and whose
 * FPU registers are fpu (marked for the frame: sigframe_fpu_mark): *r becomes the handler's
 * start.  False if the frame cannot be written (a bad stack, no restorer): Linux then kills
 * with SIGSEGV.
 */
static bool push_frame(struct task *t, struct mica_regs *r, const uint8_t *fpu, int sig,
                       const struct linux_siginfo *info)
{
    struct process *p = t->proc;
    struct linux_sigaction *act = &p->sigaction[sig];
    if (!(act->flags & LINUX_SA_RESTORER))
        return false; /* x86-64 Linux has no default return path into the kernel */
    uint64_t fpstate;
    bool onstack = (act->flags & LINUX_SA_ONSTACK) != 0;
    bool switching = onstack && t->sig.alt.size && !sigframe_on_altstack(&t->sig.alt, r->rsp);
    const struct sigframe_fpu *k = signal_fpu();
    uint32_t fpu_size = sigframe_fpu_frame_size(k);
    uint64_t at = sigframe_place(r->rsp, &t->sig.alt, onstack, fpu_size, &fpstate);
    uint64_t mask = t->sig.mask_saved ? t->sig.saved_mask : t->sigmask;
    bool is_fault = fault.sig == sig;
    static struct linux_rt_sigframe f;
    sigframe_build(&f, r, mask, info, &t->sig.alt, fpstate, k->size > SIGFRAME_FPU_SIZE,
                   act->restorer, is_fault ? fault.trapno : 0, is_fault ? fault.err : 0,
                   is_fault ? fault.cr2 : 0);
    if (user_write(&p->mem, fpstate, fpu, fpu_size) < 0 ||
        user_write(&p->mem, at, &f, sizeof f) < 0)
        return false;
    if (is_fault)
        fault.sig = 0;
    t->sig.mask_saved = false;
    if (switching && (t->sig.alt.flags & LINUX_SS_AUTODISARM))
        t->sig.alt = (struct sigaltstack_state){0, 0, LINUX_SS_DISABLE};
    t->sigmask = sig_handler_mask(act, sig, t->sigmask);
    uint64_t handler = act->handler;
    if (act->flags & LINUX_SA_RESETHAND)
        act->handler = LINUX_SIG_DFL;
    sigframe_handler_regs(r, at, handler, sig);
    return true;
}

/*
 * Take t's deliverable signals, with t's registers in *r (the point it resumes at): frames
 * pushed (FRAMES: *r is the handler's start, t's FPU registers are to be reset), or the process
 * ended or stopped, or nothing to do.
 */
static enum outcome deliver(struct task *t, struct mica_regs *r)
{
    struct process *p = t->proc;
    static uint8_t fpu[SIGFRAME_FPU_MAX];
    const struct sigframe_fpu *k = signal_fpu();
    bool fpu_read = false;
    enum outcome out = NOTHING;
    for (int n = 0; n < MAX_FRAMES && !p->sig.stopped; n++) {
        int sig = next_for(t);
        if (!sig)
            break;
        struct linux_siginfo info;
        take(t, sig, &info);
        struct linux_sigaction *act = &p->sigaction[sig];
        if (act->handler == LINUX_SIG_IGN && sig != LINUX_SIGKILL)
            continue;
        if (!has_handler(act) || sig == LINUX_SIGKILL) {
            enum sig_default d = sig == LINUX_SIGKILL ? SIG_DEF_TERM : sig_default_action(sig);
            if (d == SIG_DEF_STOP) {
                stop_process(p, sig);
                return out == FRAMES ? FRAMES : STOPPED;
            }
            if (d == SIG_DEF_TERM || d == SIG_DEF_CORE) {
                end_by(p, sig);
                return ENDED;
            }
            continue; /* ignored by default, or SIGCONT (which acted when it was sent) */
        }
        if (!fpu_read && mica_thread_read_fpu(t->thread, fpu, k->size) < 0)
            sigframe_fpu_init(fpu, k);
        if (!fpu_read)
            sigframe_fpu_mark(fpu, k);
        fpu_read = true;
        if (!push_frame(t, r, fpu, sig, &info)) {
            end_by(p, LINUX_SIGSEGV);
            return ENDED;
        }
        sigframe_fpu_init(fpu, k); /* a frame on top of this one: the handler's first state */
        sigframe_fpu_mark(fpu, k);
        out = FRAMES;
    }
    if (out == NOTHING && t->sig.mask_saved) { /* rt_sigsuspend ends without a handler */
        t->sigmask = t->sig.saved_mask;
        t->sig.mask_saved = false;
    }
    return out;
}

/* After frames were pushed: the registers to the thread, its FPU (all of it, the ymm upper
 * halves too) in the initial state.  A
 * handler address the kernel refuses (not a user address) ends the process with SIGSEGV, the
 * fault Linux's thread would take there. */
static int commit(struct task *t, const struct mica_regs *r)
{
    static uint8_t init[MICA_FPU_XSTATE_MAX];
    const struct sigframe_fpu *k = signal_fpu();
    sigframe_fpu_init(init, k);
    int64_t err = mica_thread_write_regs(t->thread, r);
    if (err == 0)
        err = mica_thread_write_fpu(t->thread, init, k->size);
    if (err < 0)
        end_by(t->proc, LINUX_SIGSEGV);
    return (int)err;
}

void signal_answer(struct task *t, struct mica_msg *answer)
{
    struct process *p = t->proc;
    if (p->ended || (!signal_deliverable(t) && !t->sig.mask_saved))
        return;
    struct mica_regs r;
    if (mica_thread_read_regs(t->thread, &r) < 0)
        return;
    if (answer->w[0] == MICA_SYSCALL_RETURN) { /* the state the return would give */
        r.rax = answer->w[1];
        r.rcx = r.rip;
        r.r11 = r.rflags;
    }
    if (deliver(t, &r) == FRAMES && commit(t, &r) == 0)
        answer->w[0] = MICA_SYSCALL_REGS;
}

static bool fault_to_handler(struct task *t, const struct mica_msg *m);

bool signal_fault(struct task *t, const struct mica_msg *m)
{
    task_set_current(t); /* an end here is carried out by the caller (main.c) */
    bool handled = fault_to_handler(t, m);
    task_set_current(0);
    return handled;
}

static bool fault_to_handler(struct task *t, const struct mica_msg *m)
{
    struct process *p = t->proc;
    uint64_t vector = m->w[0], cr2 = m->w[2];
    uint32_t mxcsr = 0;
    if (vector == 19) {
        uint8_t area[SIGFRAME_FPU_SIZE];
        if (mica_thread_read_fpu(t->thread, area, sizeof area) == 0)
            memcpy(&mxcsr, area + FX_MXCSR, sizeof mxcsr);
    }
    struct linux_siginfo si;
    sig_fault_info(vector, cr2, m->w[3], regions_find(&p->mem, cr2) != 0, mxcsr, &si);
    int sig = si.signo;
    if ((t->sigmask & sig_bit(sig)) || !has_handler(&p->sigaction[sig]))
        return false; /* Linux forces the default action: the process ends */
    struct mica_regs r;
    if (mica_thread_read_regs(t->thread, &r) < 0)
        return false;
    struct sig_info info = {.code = si.code, .addr = si.u.fault.addr};
    t->sig.pending.set &= ~sig_bit(sig); /* this fault's own information */
    sig_pending_add(&t->sig.pending, sig, &info);
    fault.sig = sig;
    fault.trapno = vector;
    fault.err = m->w[1];
    fault.cr2 = vector == 14 ? cr2 : 0;
    enum outcome out = deliver(t, &r);
    fault.sig = 0;
    if (out == FRAMES && commit(t, &r) == 0)
        return true;
    if (out == STOPPED)
        return true; /* it resumes at the faulting instruction once continued */
    if (!p->ended) {
        p->ended = true;
        p->signal = LINUX_SIGSEGV;
    }
    return false;
}

/* ---- Sending ---- */

/*
 * t, which does not block a pending signal, runs user code: stop it, push the frames, let it
 * go.  If it is stopped in a call of its own that the server has not received yet, that call's
 * answer delivers (signal_answer).
 */
static void interrupt_running(struct task *t)
{
    struct process *p = t->proc;
    if (mica_thread_suspend(t->thread) < 0)
        return;
    struct mica_thread_info info = {0};
    bool call_queued = false, stopped = false;
    for (int tries = 0; tries < 100000 && !call_queued && !stopped; tries++) {
        if (mica_thread_info(t->thread, &info) < 0 || info.state == MICA_THREAD_STATE_DEAD)
            return;
        /* In a call to its handler and blocked: waiting for the answer to a call whose message
         * has not come yet.  In a call but running: on its way out of an answered one. */
        call_queued =
            (info.stopped & MICA_THREAD_IN_HANDLER) && info.state == MICA_THREAD_STATE_BLOCKED;
        stopped =
            (info.stopped & MICA_THREAD_SUSPENDED) && !(info.stopped & MICA_THREAD_IN_HANDLER);
        if (!call_queued && !stopped)
            mica_yield(); /* it stops on its next way through the kernel */
    }
    if (stopped) {
        struct mica_regs r;
        if (mica_thread_read_regs(t->thread, &r) == 0) {
            enum outcome out = deliver(t, &r);
            if (out == ENDED)
                return;
            if (out == FRAMES)
                commit(t, &r);
        }
    }
    if (!p->sig.stopped)
        mica_thread_resume(t->thread);
}

/* t's call waits in the server (block.h): it ends - with EINTR, or to be restarted after the
 * handler, by Linux's rules (sigstate.h) - and the signal is delivered. */
static void interrupt_waiting(struct task *t, int sig)
{
    struct process *p = t->proc;
    struct mica_regs r;
    if (mica_thread_read_regs(t->thread, &r) < 0)
        return;
    uint64_t nr = r.rax; /* the frame keeps the call's number until it is answered */
    if (sig_restart_kind(nr) == SIG_UNINTERRUPTIBLE)
        return; /* taken at the call's answer (signal_answer) */
    const struct linux_sigaction *act = &p->sigaction[sig];
    bool restart = false;
    if (t->done) /* a write that moved bytes already: it returns their count */
        r.rax = t->done;
    else if (sig_should_restart(sig_restart_kind(nr), has_handler(act), act->flags))
        restart = true;
    else
        r.rax = (uint64_t)-LINUX_EINTR;
    if (restart) { /* back to the `syscall` instruction (2 bytes), as Linux's ERESTARTSYS */
        r.rip -= 2;
        r.rax = nr;
    } else { /* a return: the registers as the instruction leaves them */
        r.rcx = r.rip;
        r.r11 = r.rflags;
    }
    t->sig.waitset = 0;
    enum outcome out = deliver(t, &r);
    if (out == ENDED)
        return;
    if ((out == FRAMES ? commit(t, &r) : mica_thread_write_regs(t->thread, &r)) < 0)
        return;
    block_answer(t, MICA_SYSCALL_REGS, 0);
}

void signal_still_waiting(struct task *t)
{
    int sig = next_for(t);
    if (!sig || t->proc->sig.stopped || (t->sig.waitset & sig_bit(sig)))
        return;
    task_set_current(0); /* not served now: an end here is carried out here (end_by) */
    interrupt_waiting(t, sig);
}

/* sig is pending in p (or in one of its threads): let a thread that does not block it take it.
 * A woken call runs first (as Linux's wait4 finds the ended child before it looks at the
 * SIGCHLD that came with it): its answer delivers, or it waits again and is interrupted then. */
static void kick(struct process *p, int sig)
{
    if (p->sig.stopped || p->ended)
        return;
    struct task *t = 0;
    while ((t = task_next(p, t)) != 0) { /* rt_sigtimedwait takes what it waits for */
        if (t->sig.waitset & sig_bit(sig)) {
            posix_wakeup(&t->sig.waitset);
            return;
        }
    }
    while ((t = task_next(p, t)) != 0) {
        if ((t->sigmask & sig_bit(sig)) ||
            !((t->sig.pending.set | p->sig.pending.set) & sig_bit(sig)))
            continue;
        if (t == task_current() || (t->reply && t->ready))
            return; /* its call's answer delivers (signal_answer), or signal_still_waiting */
        if (t->reply)
            interrupt_waiting(t, sig);
        else
            interrupt_running(t);
        return;
    }
}

/* The action of sig at sending: true if the signal is to be queued (a handler, or blocked). */
static bool act_now(struct process *p, int sig, uint64_t blocked)
{
    if (sig == LINUX_SIGKILL) {
        p->sig.stopped = false; /* a stopped process ends too: its threads go with its space */
        end_by(p, sig);
        return false;
    }
    if (sig == LINUX_SIGCONT) {
        for (int s = LINUX_SIGSTOP; s <= 22; s++) /* SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU */
            p->sig.pending.set &= ~sig_bit(s);
        continue_process(p);
    } else if (sig_default_action(sig) == SIG_DEF_STOP) {
        p->sig.pending.set &= ~sig_bit(LINUX_SIGCONT);
    }
    const struct linux_sigaction *act = &p->sigaction[sig];
    if (blocked & sig_bit(sig))
        return true; /* stays pending; it acts when unblocked (blocked signals are never
                      * ignored: the action may change meanwhile) */
    if (sig_is_ignored(act, sig))
        return false;
    if (has_handler(act))
        return true;
    switch (sig_default_action(sig)) {
    case SIG_DEF_STOP:
        stop_process(p, sig);
        return false;
    case SIG_DEF_TERM:
    case SIG_DEF_CORE:
        end_by(p, sig);
        return false;
    default: /* SIGCONT by default: it has continued the process */
        return false;
    }
}

void signal_send(struct process *p, int sig, const struct sig_info *info)
{
    if (p->state != PROC_RUNNING || p->ended)
        return;
    uint64_t blocked = ~0ull; /* blocked only if every thread blocks it */
    struct task *t = 0;
    while ((t = task_next(p, t)) != 0)
        blocked &= t->sigmask; /* the mask, also while rt_sigtimedwait waits (Linux's
                                  real_blocked): such a signal is queued, never ignored */
    if (!act_now(p, sig, blocked))
        return;
    sig_pending_add(&p->sig.pending, sig, info);
    kick(p, sig);
}

void signal_send_task(struct task *t, int sig, const struct sig_info *info)
{
    struct process *p = t->proc;
    if (p->state != PROC_RUNNING || p->ended)
        return;
    if (!act_now(p, sig, t->sigmask))
        return;
    sig_pending_add(&t->sig.pending, sig, info);
    kick(p, sig);
}

void signal_parent_ends(struct process *p)
{
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct process *c = proc_at(i);
        if (c && c->ppid == p->pid && c->state == PROC_RUNNING && c->pdeathsig) {
            struct sig_info info = {.code = LINUX_SI_USER, .pid = p->pid};
            signal_send(c, c->pdeathsig, &info);
        }
    }
}

void signal_action_changed(struct process *p, int sig)
{
    if (!sig_is_ignored(&p->sigaction[sig], sig))
        return;
    p->sig.pending.set &= ~sig_bit(sig); /* POSIX: pending instances of it are discarded */
    struct task *t = 0;
    while ((t = task_next(p, t)) != 0)
        t->sig.pending.set &= ~sig_bit(sig);
}

void signal_release(struct process *p)
{
    timer_cancel(&p->sig.alarm);
}
