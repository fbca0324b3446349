/*
 * sys_kill.c - kill: sending a signal to a process (concepts: signals,
 * default actions, process termination).
 *
 * There is no signal delivery yet (no handler is ever run), so kill does
 * what can be done without it, and refuses the rest: signal 0 checks that
 * the process exists; SIGKILL ends it; any other signal whose action in
 * the target is the default ends it if the default is to terminate (with
 * or without a core dump: none is written), and does nothing if the
 * default is to ignore (SIGCHLD, SIGURG, SIGWINCH, and SIGCONT, as no
 * process is ever stopped); an ignored signal (SIG_IGN) does nothing.  A
 * signal that would run a handler, stop the process, or wait blocked in
 * its mask is ENOSYS.  A signal to a process group (kill(0, sig),
 * kill(-pgid, sig), the terminal's ^C) goes to each member in turn through
 * the same one-process path, kill_process().  Who may signal whom is
 * Linux's rule (cred_may_signal): root, or a sender whose real or
 * effective uid is the target's real or saved uid; else EPERM, for the
 * signal 0 too (the terminal's signals are the kernel's: always allowed).
 */
#include "posix.h"
#include "proctable.h"
#include "syscalls.h"

#define SIG_DFL 0
#define SIG_IGN 1

enum default_action { ACT_TERMINATE, ACT_IGNORE, ACT_STOP };

/* What Linux does with sig when its action is SIG_DFL (signal(7)). */
static enum default_action default_action(unsigned sig)
{
    switch (sig) {
    case 17: /* SIGCHLD */
    case 18: /* SIGCONT: continues a stopped process; none is ever stopped */
    case 23: /* SIGURG */
    case 28: /* SIGWINCH */
        return ACT_IGNORE;
    case 19: /* SIGSTOP */
    case 20: /* SIGTSTP */
    case 21: /* SIGTTIN */
    case 22: /* SIGTTOU */
        return ACT_STOP;
    default: /* terminate, or terminate and dump core */
        return ACT_TERMINATE;
    }
}

/*
 * Send sig (1..64, or 0: only check) to the process t, from p (NULL: from the
 * terminal).  The one path every signal takes - kill, a process group, the
 * terminal's keys.
 */
static int64_t kill_process(struct process *p, struct process *t, uint64_t sig)
{
    if (p && !cred_may_signal(&p->cred, &t->cred))
        return -LINUX_EPERM;
    if (sig == 0 || t->state != PROC_RUNNING)
        return 0; /* it exists (a zombie takes signals and ignores them) */
    if (sig != LINUX_SIGKILL) {
        uint64_t handler = t->sigaction[sig].handler;
        if (handler == SIG_IGN)
            return 0;
        if (handler != SIG_DFL || (task_next(t, 0)->sigmask & (1ull << (sig - 1))) ||
            default_action((unsigned)sig) == ACT_STOP)
            return -LINUX_ENOSYS; /* needs delivery, stopping or pending signals */
        if (default_action((unsigned)sig) == ACT_IGNORE)
            return 0;
    }
    t->ended = true;
    t->signal = (int)sig;
    if (t != p) /* the caller itself ends when this call is answered (main.c) */
        posix_end_process(t);
    return 0;
}

/*
 * sig to every process of process group pgid (pgid -1: every process but
 * pid 1 and p itself, kill(-1)'s meaning), each through kill_process: 0 if
 * it reached at least one, else the last error; -ESRCH if there is none.
 */
int64_t posix_signal_group(struct process *p, int pgid, int sig)
{
    int64_t err = -LINUX_ESRCH;
    bool sent = false;
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct process *t = proc_at(i); /* again each time: an ended process may free others */
        if (!t || (pgid == -1 ? t->pid == 1 || t == p : t->pgid != pgid))
            continue;
        int64_t r = kill_process(p, t, (uint64_t)sig);
        if (r == 0)
            sent = true;
        else
            err = r;
    }
    return sent ? 0 : err;
}

/* kill(pid, sig): pid > 0 that process, 0 the caller's process group, -1 every process but
 * pid 1 and the caller, below -1 the process group -pid. */
int64_t sys_kill(struct process *p, const uint64_t *a)
{
    int64_t pid = (int32_t)a[0];
    uint64_t sig = a[1] & 0xffffffffu;
    if (sig > LINUX_NSIG)
        return -LINUX_EINVAL;
    if (pid == INT32_MIN)
        return -LINUX_ESRCH; /* -INT_MIN is no process group */
    if (pid <= 0)
        return posix_signal_group(p, pid == 0 ? p->pgid : pid == -1 ? -1 : (int)-pid, (int)sig);
    struct process *t = proc_find((int)pid);
    if (!t)
        return -LINUX_ESRCH;
    return kill_process(p, t, sig);
}
