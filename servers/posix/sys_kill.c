/*
 * sys_kill.c - kill, tkill and tgkill: sending a signal to a process, to
 * a process group or to one of a process's threads (concepts: signals,
 * process and thread identifiers, process groups).
 *
 * The sending itself - the action, the default actions, delivery - is
 * sigdeliver.c's (signal_send, signal_send_task); here are the targets and
 * the errors: kill(pid > 0) is that process, kill(0) the caller's process
 * group, kill(-pgid) the group pgid, kill(-1) every process but the caller
 * and pid 1, as Linux does.  Every process of a group goes through the same
 * one-process path, kill_process(), and so do the terminal's signals (^C,
 * ^Z, SIGTTIN, SIGHUP: tty.c), which come from no process.  Signal 0 sends
 * nothing and only checks that the target exists (a zombie exists).  The
 * siginfo says SI_USER (kill) or SI_TKILL (tkill, tgkill) with the
 * sender's pid and uid, or SI_KERNEL for the terminal's.  Who may signal
 * whom is Linux's rule (cred_may_signal): root, or a sender whose real or
 * effective uid is the target's real or saved uid; else EPERM, for the
 * signal 0 too (kill(-1) skips such processes without an error, as Linux).
 */
#include "posix.h"
#include "proctable.h"
#include "syscalls.h"

/* Send sig (1..64, or 0: only check) to process t, from p (NULL: from the terminal). */
static int64_t kill_process(struct process *p, struct process *t, int sig)
{
    if (p && !cred_may_signal(&p->cred, &t->cred))
        return -LINUX_EPERM;
    if (sig == 0 || t->state != PROC_RUNNING)
        return 0; /* it exists (a zombie takes signals and ignores them) */
    struct sig_info info = {.code = LINUX_SI_KERNEL};
    if (p)
        info = (struct sig_info){.code = LINUX_SI_USER, .pid = p->pid, .uid = p->cred.ruid};
    signal_send(t, sig, &info); /* the caller itself: taken at this call's return */
    return 0;
}

/*
 * sig to every process of process group pgid (pgid -1: every process but pid 1 and p itself,
 * kill(-1)'s meaning), each through kill_process: 0 if it reached at least one, else the last
 * error; -ESRCH if there is none.  For kill(-1) a process the sender may not signal is skipped
 * without an error.
 */
int64_t posix_signal_group(struct process *p, int pgid, int sig)
{
    int64_t err = -LINUX_ESRCH;
    bool sent = false;
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct process *t = proc_at(i); /* again each time: an ended process may free others */
        if (!t ||
            (pgid == -1 ? t->pid == 1 || t == p || t->state != PROC_RUNNING : t->pgid != pgid))
            continue;
        int64_t r = kill_process(p, t, sig);
        if (r == 0 || (pgid == -1 && r == -LINUX_EPERM))
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
    int64_t sig = (int32_t)a[1];
    if (sig < 0 || sig > SIG_NSIG)
        return -LINUX_EINVAL;
    if (pid == INT32_MIN)
        return -LINUX_ESRCH; /* -INT_MIN is no process group */
    if (pid <= 0)
        return posix_signal_group(p, pid == 0 ? p->pgid : pid == -1 ? -1 : (int)-pid, (int)sig);
    struct process *t = proc_find((int)pid);
    if (!t)
        return -LINUX_ESRCH;
    return kill_process(p, t, (int)sig);
}

/* Send sig to thread tid (of process tgid, or any if tgid is 0). */
static int64_t thread_kill(struct process *p, int64_t tgid, int64_t tid, int64_t sig)
{
    if (tid <= 0 || sig < 0 || sig > SIG_NSIG)
        return -LINUX_EINVAL;
    struct task *t = task_find((int)tid);
    if (!t || (tgid && t->proc->pid != tgid) || t->proc->state != PROC_RUNNING)
        return -LINUX_ESRCH;
    if (!cred_may_signal(&p->cred, &t->proc->cred))
        return -LINUX_EPERM;
    struct sig_info info = {.code = LINUX_SI_TKILL, .pid = p->pid, .uid = p->cred.ruid};
    if (sig != 0)
        signal_send_task(t, (int)sig, &info);
    return 0;
}

/* tkill(tid, sig) */
int64_t sys_tkill(struct process *p, const uint64_t *a)
{
    return thread_kill(p, 0, (int32_t)a[0], (int32_t)a[1]);
}

/* tgkill(tgid, tid, sig) */
int64_t sys_tgkill(struct process *p, const uint64_t *a)
{
    int64_t tgid = (int32_t)a[0];
    if (tgid <= 0)
        return -LINUX_EINVAL;
    return thread_kill(p, tgid, (int32_t)a[1], (int32_t)a[2]);
}
