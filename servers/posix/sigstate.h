/*
 * sigstate.h - the rules of Linux signals that need no process: default
 * actions, which pending signal goes first, what a handler's mask is, what
 * an interrupted call answers, what a fault becomes (servers/posix/sigstate.c)
 * (concepts: signals, signal masks, default actions, interrupted system
 * calls).  Pure code: tests/host/test_sigstate.c runs it.
 */
#ifndef POSIX_SIGSTATE_H
#define POSIX_SIGSTATE_H

#include <stdbool.h>
#include <stdint.h>
#include "sigframe.h"

#define SIG_NSIG 64 /* signals 1..64 */

/* The bit of signal sig (1..64) in a 64-bit set, as Linux's sigset_t has it. */
static inline uint64_t sig_bit(int sig)
{
    return 1ull << (sig - 1);
}

/* What rt_sigaction records: the kernel's struct sigaction on x86-64 (32 bytes). */
struct linux_sigaction {
    uint64_t handler, flags, restorer, mask;
};

#define LINUX_SIG_DFL 0
#define LINUX_SIG_IGN 1

#define LINUX_SA_NOCLDSTOP 0x00000001u
#define LINUX_SA_NOCLDWAIT 0x00000002u
#define LINUX_SA_SIGINFO   0x00000004u
#define LINUX_SA_RESTORER  0x04000000u
#define LINUX_SA_ONSTACK   0x08000000u
#define LINUX_SA_RESTART   0x10000000u
#define LINUX_SA_NODEFER   0x40000000u
#define LINUX_SA_RESETHAND 0x80000000u

/* si_code values (asm-generic/siginfo.h). */
#define LINUX_SI_USER       0
#define LINUX_SI_KERNEL     0x80
#define LINUX_SI_TIMER      (-2)
#define LINUX_SI_TKILL      (-6)
#define LINUX_ILL_ILLOPN    2
#define LINUX_FPE_INTDIV    1
#define LINUX_FPE_FLTDIV    3
#define LINUX_FPE_FLTOVF    4
#define LINUX_FPE_FLTUND    5
#define LINUX_FPE_FLTRES    6
#define LINUX_FPE_FLTINV    7
#define LINUX_SEGV_MAPERR   1
#define LINUX_SEGV_ACCERR   2
#define LINUX_BUS_ADRALN    1
#define LINUX_TRAP_BRKPT    1
#define LINUX_CLD_EXITED    1
#define LINUX_CLD_KILLED    2
#define LINUX_CLD_DUMPED    3
#define LINUX_CLD_STOPPED   5
#define LINUX_CLD_CONTINUED 6

enum sig_default {
    SIG_DEF_TERM,   /* end the process */
    SIG_DEF_CORE,   /* end it "with a core dump" (none is written; the status says 0x80) */
    SIG_DEF_IGNORE, /* nothing */
    SIG_DEF_STOP,   /* stop every thread until SIGCONT */
    SIG_DEF_CONT,   /* continue a stopped process (and otherwise nothing) */
};

/* What a pending signal's siginfo will say (the rest of struct linux_siginfo is zero). */
struct sig_info {
    int32_t code;   /* si_code: SI_USER, SI_TKILL, SI_KERNEL, CLD_*, a fault's code */
    int32_t pid;    /* si_pid: the sender, or the child (SIGCHLD) */
    int32_t status; /* si_status (SIGCHLD) */
    uint32_t uid;   /* si_uid */
    uint64_t addr;  /* si_addr (faults) */
};

/*
 * Pending signals: a set, and for each signal in it the siginfo of its first sending.  A signal
 * sent again while pending is merged with the first, as Linux does for signals 1..31 (Linux
 * queues every sending of a real-time signal 32..64; here those merge too).
 */
struct sig_pending {
    uint64_t set;
    struct sig_info info[SIG_NSIG + 1];
};

/* Add sig with its information (kept from the first sending if it is pending already). */
void sig_pending_add(struct sig_pending *q, int sig, const struct sig_info *info);

/* Take sig out of q (it must be in it): its siginfo in *out. */
void sig_pending_take(struct sig_pending *q, int sig, struct linux_siginfo *out);

/* What a thread has of signals besides its mask (task.h). */
struct task_signals {
    struct sig_pending pending;   /* sent to this thread: tkill, tgkill, SIGPIPE, its faults */
    struct sigaltstack_state alt; /* sigaltstack */
    uint64_t saved_mask;          /* rt_sigsuspend: the mask to put back after the handler ... */
    bool mask_saved;              /* ... if this is set */
    uint64_t waitset;             /* rt_sigtimedwait: the signals it waits for, 0 if none */
};

/* What Linux does with sig (1..64) when its action is SIG_DFL (signal(7)). */
enum sig_default sig_default_action(int sig);

/* A mask as a thread may hold it: SIGKILL and SIGSTOP can never be blocked. */
uint64_t sig_mask_sanitize(uint64_t mask);

/* Is sig with action *act discarded when it is sent (not blocked)?  SIG_IGN, or SIG_DFL whose
 * default is to ignore. */
bool sig_is_ignored(const struct linux_sigaction *act, int sig);

/* The pending signal to deliver first among pending & ~blocked: the synchronous ones (SIGSEGV,
 * SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGSYS) before the others, then the lowest number; 0 if none. */
int sig_next(uint64_t pending, uint64_t blocked);

/* rt_sigaction's checks: 0, or -EINVAL for a bad number or an action for SIGKILL/SIGSTOP. */
int sig_action_check(int64_t sig, bool setting);

/* The mask while the handler of sig (action *act) runs, for a thread whose mask was `mask`. */
uint64_t sig_handler_mask(const struct linux_sigaction *act, int sig, uint64_t mask);

/*
 * What a call that was waiting when a signal came answers.  How the call behaves comes from
 * Linux: SIG_RESTART_SYS (ERESTARTSYS: read, write, wait4, ...) restarts if the handler has
 * SA_RESTART, else -EINTR; SIG_RESTART_NOHAND (ERESTARTNOHAND / ERESTART_RESTARTBLOCK: pause,
 * sigsuspend, nanosleep, poll, select) is -EINTR when a handler runs; SIG_RESTART_NEVER
 * (rt_sigtimedwait) is always -EINTR.  With no handler run (a stop and continue), the first two
 * restart.  Returns true to restart the call, false to answer -EINTR.
 */
enum sig_restart { SIG_RESTART_SYS, SIG_RESTART_NOHAND, SIG_RESTART_NEVER, SIG_UNINTERRUPTIBLE };
/* SIG_UNINTERRUPTIBLE: a wait no handled signal ends (vfork's parent waiting for the child's
 * execve or end: Linux waits killable only); the signal is taken when the call returns. */
enum sig_restart sig_restart_kind(uint64_t linux_nr);
bool sig_should_restart(enum sig_restart kind, bool handler_runs, uint64_t sa_flags);

/*
 * The signal a processor exception of a Linux program becomes, and its siginfo, as Linux's trap
 * handlers make them: vector and error code from the fault, cr2 (page faults), rip, and whether
 * the address is in one of the process's regions (SEGV_ACCERR, else SEGV_MAPERR); mxcsr for a
 * SIMD floating-point exception.
 */
void sig_fault_info(uint64_t vector, uint64_t cr2, uint64_t rip, bool mapped, uint32_t mxcsr,
                    struct linux_siginfo *out);

/* Wait statuses of stopped and continued children (WIFSTOPPED, WIFCONTINUED), and of one killed
 * by a signal (WTERMSIG; WCOREDUMP, 0x80, only if a core file was written: Linux sets it only
 * then - never with the default core limit 0 - and Mica writes none). */
static inline int sig_status_stopped(int sig)
{
    return 0x7f | sig << 8;
}

#define SIG_STATUS_CONTINUED 0xffff

static inline int sig_status_killed(int sig, bool core_dumped)
{
    return (sig & 0x7f) | (core_dumped ? 0x80 : 0);
}

#endif
