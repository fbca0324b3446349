/*
 * sys_signal.c - rt_sigaction and rt_sigprocmask (concept: signals).
 *
 * This first version records the actions and the mask, answers with the
 * old ones as Linux does, and checks the arguments as Linux does; no
 * signal is delivered yet (a fault ends the process, main.c).
 */
#include "posix.h"
#include "syscalls.h"
#include "usercopy.h"

#define SIGKILL     9
#define SIGSTOP     19
#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define UNBLOCKABLE ((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)))

/* rt_sigaction(sig, act, oldact, sigsetsize) */
int64_t sys_rt_sigaction(struct process *p, const uint64_t *a)
{
    uint64_t sig = a[0];
    if (a[3] != 8 || sig < 1 || sig > LINUX_NSIG)
        return -LINUX_EINVAL;
    if (a[1] && (sig == SIGKILL || sig == SIGSTOP))
        return -LINUX_EINVAL;
    struct linux_sigaction act;
    if (a[1] && user_read(&p->mem, &act, a[1], sizeof act) < 0)
        return -LINUX_EFAULT;
    if (a[2] && user_write(&p->mem, a[2], &p->sigaction[sig], sizeof act) < 0)
        return -LINUX_EFAULT;
    if (a[1])
        p->sigaction[sig] = act;
    return 0;
}

/* rt_sigprocmask(how, set, oldset, sigsetsize) */
int64_t sys_rt_sigprocmask(struct process *p, const uint64_t *a)
{
    if (a[3] != 8)
        return -LINUX_EINVAL;
    struct task *t = task_current();
    uint64_t set = 0, old = t->sigmask;
    if (a[1]) {
        if (a[0] != SIG_BLOCK && a[0] != SIG_UNBLOCK && a[0] != SIG_SETMASK)
            return -LINUX_EINVAL;
        if (user_read(&p->mem, &set, a[1], sizeof set) < 0)
            return -LINUX_EFAULT;
    }
    if (a[2] && user_write(&p->mem, a[2], &old, sizeof old) < 0)
        return -LINUX_EFAULT;
    if (a[1] && a[0] == SIG_BLOCK)
        t->sigmask |= set;
    else if (a[1] && a[0] == SIG_UNBLOCK)
        t->sigmask &= ~set;
    else if (a[1])
        t->sigmask = set;
    t->sigmask &= ~UNBLOCKABLE;
    return 0;
}
