/*
 * sigstate.c - the rules of Linux signals that need no process (concepts:
 * signals, signal masks, default actions, interrupted system calls).
 *
 * See sigstate.h.  Everything here is Linux's behaviour written down as
 * small functions, so that the server's delivery code (signal.c) reads as
 * the steps of delivery and the host tests can check the rules one by one.
 */
#include "sigstate.h"
#include "linux_abi.h"
#include <mica/string.h>

enum sig_default sig_default_action(int sig)
{
    switch (sig) {
    case 3:  /* SIGQUIT */
    case 4:  /* SIGILL */
    case 5:  /* SIGTRAP */
    case 6:  /* SIGABRT */
    case 7:  /* SIGBUS */
    case 8:  /* SIGFPE */
    case 11: /* SIGSEGV */
    case 24: /* SIGXCPU */
    case 25: /* SIGXFSZ */
    case 31: /* SIGSYS */
        return SIG_DEF_CORE;
    case 17: /* SIGCHLD */
    case 23: /* SIGURG */
    case 28: /* SIGWINCH */
        return SIG_DEF_IGNORE;
    case 18: /* SIGCONT */
        return SIG_DEF_CONT;
    case 19: /* SIGSTOP */
    case 20: /* SIGTSTP */
    case 21: /* SIGTTIN */
    case 22: /* SIGTTOU */
        return SIG_DEF_STOP;
    default: /* the others, and the real-time signals 32..64 */
        return SIG_DEF_TERM;
    }
}

uint64_t sig_mask_sanitize(uint64_t mask)
{
    return mask & ~(sig_bit(LINUX_SIGKILL) | sig_bit(19 /* SIGSTOP */));
}

bool sig_is_ignored(const struct linux_sigaction *act, int sig)
{
    if (sig == LINUX_SIGKILL || sig == 19)
        return false;
    if (act->handler == LINUX_SIG_IGN)
        return true;
    return act->handler == LINUX_SIG_DFL && sig_default_action(sig) == SIG_DEF_IGNORE;
}

#define SYNCHRONOUS                                                                                \
    (sig_bit(LINUX_SIGSEGV) | sig_bit(7 /* SIGBUS */) | sig_bit(LINUX_SIGILL) |                    \
     sig_bit(LINUX_SIGTRAP) | sig_bit(LINUX_SIGFPE) | sig_bit(31 /* SIGSYS */))

int sig_next(uint64_t pending, uint64_t blocked)
{
    uint64_t ready = pending & ~sig_mask_sanitize(blocked);
    if (ready & SYNCHRONOUS)
        ready &= SYNCHRONOUS;
    return ready ? __builtin_ctzll(ready) + 1 : 0;
}

int sig_action_check(int64_t sig, bool setting)
{
    if (sig < 1 || sig > SIG_NSIG)
        return -LINUX_EINVAL;
    if (setting && (sig == LINUX_SIGKILL || sig == 19))
        return -LINUX_EINVAL;
    return 0;
}

uint64_t sig_handler_mask(const struct linux_sigaction *act, int sig, uint64_t mask)
{
    mask |= act->mask;
    if (!(act->flags & LINUX_SA_NODEFER))
        mask |= sig_bit(sig);
    return sig_mask_sanitize(mask);
}

enum sig_restart sig_restart_kind(uint64_t linux_nr)
{
    switch (linux_nr) {
    case 7:   /* poll */
    case 23:  /* select */
    case 34:  /* pause */
    case 35:  /* nanosleep */
    case 130: /* rt_sigsuspend */
    case 230: /* clock_nanosleep */
    case 232: /* epoll_wait */
    case 270: /* pselect6 */
    case 271: /* ppoll */
        return SIG_RESTART_NOHAND;
    case 128: /* rt_sigtimedwait */
        return SIG_RESTART_NEVER;
    case 56:  /* clone (CLONE_VFORK) */
    case 58:  /* vfork */
    case 435: /* clone3 */
        return SIG_UNINTERRUPTIBLE;
    default:
        return SIG_RESTART_SYS;
    }
}

bool sig_should_restart(enum sig_restart kind, bool handler_runs, uint64_t sa_flags)
{
    if (kind == SIG_RESTART_NEVER)
        return false;
    if (!handler_runs)
        return true;
    return kind == SIG_RESTART_SYS && (sa_flags & LINUX_SA_RESTART);
}

/* The si_code of a SIMD floating-point exception: the first unmasked flag MXCSR shows. */
static int simd_code(uint32_t mxcsr)
{
    uint32_t raised = mxcsr & ~(mxcsr >> 7) & 0x3f; /* flags whose mask bit is clear */
    if (raised & 0x01)
        return LINUX_FPE_FLTINV;
    if (raised & 0x04)
        return LINUX_FPE_FLTDIV;
    if (raised & 0x08)
        return LINUX_FPE_FLTOVF;
    if (raised & 0x10)
        return LINUX_FPE_FLTUND;
    if (raised & 0x20)
        return LINUX_FPE_FLTRES;
    return 0;
}

void sig_fault_info(uint64_t vector, uint64_t cr2, uint64_t rip, bool mapped, uint32_t mxcsr,
                    struct linux_siginfo *out)
{
    memset(out, 0, sizeof *out);
    switch (vector) {
    case 0: /* divide error */
        out->signo = LINUX_SIGFPE;
        out->code = LINUX_FPE_INTDIV;
        out->u.fault.addr = rip;
        break;
    case 3: /* breakpoint (int3) */
        out->signo = LINUX_SIGTRAP;
        out->code = LINUX_SI_KERNEL;
        break;
    case 6: /* invalid opcode */
        out->signo = LINUX_SIGILL;
        out->code = LINUX_ILL_ILLOPN;
        out->u.fault.addr = rip;
        break;
    case 16: /* x87 floating point: Linux reads the status word; no x87 error is unmasked */
    case 19: /* SIMD floating point */
        out->signo = LINUX_SIGFPE;
        out->code = vector == 19 ? simd_code(mxcsr) : 0;
        out->u.fault.addr = rip;
        break;
    case 11:            /* segment not present */
    case 12:            /* stack segment */
        out->signo = 7; /* SIGBUS */
        out->code = LINUX_SI_KERNEL;
        break;
    case 17: /* alignment check */
        out->signo = 7;
        out->code = LINUX_BUS_ADRALN;
        out->u.fault.addr = cr2;
        break;
    case 14: /* page fault */
        out->signo = LINUX_SIGSEGV;
        out->code = mapped ? LINUX_SEGV_ACCERR : LINUX_SEGV_MAPERR;
        out->u.fault.addr = cr2;
        break;
    default: /* general protection and the rest */
        out->signo = LINUX_SIGSEGV;
        out->code = LINUX_SI_KERNEL;
        break;
    }
}

void sig_pending_add(struct sig_pending *q, int sig, const struct sig_info *info)
{
    if (q->set & sig_bit(sig))
        return;
    q->set |= sig_bit(sig);
    q->info[sig] = *info;
}

void sig_pending_take(struct sig_pending *q, int sig, struct linux_siginfo *out)
{
    const struct sig_info *i = &q->info[sig];
    memset(out, 0, sizeof *out);
    out->signo = sig;
    out->code = i->code;
    bool fault_signal = sig == LINUX_SIGSEGV || sig == LINUX_SIGBUS || sig == LINUX_SIGILL ||
                        sig == LINUX_SIGFPE || sig == LINUX_SIGTRAP;
    if (fault_signal && i->code > 0 && i->code != LINUX_SI_KERNEL) {
        out->u.fault.addr = i->addr; /* a fault's: the union holds the address */
    } else { /* sent with kill or tkill, or SIGCHLD: the sender or the child is named */
        out->u.proc.pid = i->pid;
        out->u.proc.uid = i->uid;
        out->u.proc.status = i->status;
    }
    q->set &= ~sig_bit(sig);
}
