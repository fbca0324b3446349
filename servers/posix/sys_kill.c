/*
 * sys_kill.c - kill, tkill and tgkill: sending a signal to a process or to
 * one of its threads (concepts: signals, process and thread identifiers).
 *
 * The sending itself - the action, the default actions, delivery - is
 * sigdeliver.c's (signal_send, signal_send_task); here are the targets and
 * the errors: kill(pid > 0) is that process, kill(-1) every process but the
 * caller and pid 1, as Linux does; process groups (pid 0 and below -1) are
 * ENOSYS until there are process groups.  Signal 0 sends nothing and only
 * checks that the target exists (a zombie exists).  The siginfo says SI_USER
 * (kill) or SI_TKILL (tkill, tgkill) with the sender's pid and uid.  Who
 * may signal whom is Linux's rule (cred_may_signal): root, or a sender
 * whose real or effective uid is the target's real or saved uid; else
 * EPERM, for the signal 0 too (kill(-1) skips such processes).
 */
#include "posix.h"
#include "proctable.h"
#include "syscalls.h"

/* Send sig (0: none) from sender to process target. */
static void kill_one(struct process *sender, struct process *target, int sig)
{
    struct sig_info info = {.code = LINUX_SI_USER, .pid = sender->pid, .uid = sender->cred.ruid};
    if (sig != 0)
        signal_send(target, sig, &info);
}

/* kill(pid, sig) */
int64_t sys_kill(struct process *p, const uint64_t *a)
{
    int64_t pid = (int32_t)a[0];
    int64_t sig = (int32_t)a[1];
    if (sig < 0 || sig > SIG_NSIG)
        return -LINUX_EINVAL;
    if (pid == -1) { /* every process but the caller and pid 1; EPERM ones count, as Linux's */
        bool any = false;
        for (unsigned i = 0; i < PROC_MAX; i++) {
            struct process *t = proc_at(i);
            if (t && t != p && t->pid != 1 && t->state == PROC_RUNNING) {
                if (cred_may_signal(&p->cred, &t->cred))
                    kill_one(p, t, (int)sig);
                any = true;
            }
        }
        return any ? 0 : -LINUX_ESRCH;
    }
    if (pid <= 0)
        return -LINUX_ENOSYS; /* process groups: not yet */
    struct process *t = proc_find((int)pid);
    if (!t)
        return -LINUX_ESRCH;
    if (!cred_may_signal(&p->cred, &t->cred))
        return -LINUX_EPERM;
    kill_one(p, t, (int)sig); /* the caller itself: taken at this call's return */
    return 0;
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
