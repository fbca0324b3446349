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
 * its mask is ENOSYS.  Only pid > 0 is implemented (process groups and
 * "every process", pid <= 0, are ENOSYS).  Every process is root, so
 * there is no EPERM.
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

/* kill(pid, sig) */
int64_t sys_kill(struct process *p, const uint64_t *a)
{
    int64_t pid = (int32_t)a[0];
    uint64_t sig = a[1] & 0xffffffffu;
    if (sig > LINUX_NSIG)
        return -LINUX_EINVAL;
    if (pid <= 0)
        return -LINUX_ENOSYS; /* process groups and "all": not yet */
    struct process *t = proc_find((int)pid);
    if (!t)
        return -LINUX_ESRCH;
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
