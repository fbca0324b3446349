/*
 * sys_wait.c - wait4 and waitid: reaping children (concepts: process
 * termination, zombies, the wait status, blocking calls answered later).
 *
 * A child that has ended is a zombie (proctable.h) until its parent asks
 * for its status.  wait4 reaps one at once if there is one; with WNOHANG
 * it answers 0 if there is none yet; otherwise the call waits (block.h) -
 * but not the server - on the parent process itself as its channel: when
 * a child ends, posix_end_process() wakes that channel, and the call runs
 * again and finds the zombie.
 */
#include "posix.h"
#include "block.h"
#include "proctable.h"
#include "syscalls.h"
#include "usercopy.h"
#include <mica/string.h>

/* wait4's and waitid's rusage: no accounting of the reaped child yet, all zero. */
static const struct linux_rusage no_rusage;

/* Reap zombie z for parent: its status and rusage to the parent, then it is gone. */
static int64_t reap(struct process *parent, struct process *z, uint64_t status_addr,
                    uint64_t rusage_addr)
{
    int64_t pid = z->pid;
    int status = z->wait_status;
    resource_reaped(parent, z);
    proc_free(z); /* as on Linux, the child is reaped even if the status cannot be stored */
    if (status_addr && user_write(&parent->mem, status_addr, &status, sizeof status) < 0)
        return -LINUX_EFAULT;
    if (rusage_addr && user_write(&parent->mem, rusage_addr, &no_rusage, sizeof no_rusage) < 0)
        return -LINUX_EFAULT;
    return pid;
}

int64_t sys_wait4(struct process *p, const uint64_t *a)
{
    int64_t pid = (int32_t)a[0];
    uint64_t options = a[2] & 0xffffffffu;
    if (options & ~(uint64_t)(LINUX_WNOHANG | LINUX_WUNTRACED | LINUX_WCONTINUED | LINUX_WNOTHREAD |
                              LINUX_WALL | LINUX_WCLONE))
        return -LINUX_EINVAL;
    if (pid == INT32_MIN)
        return -LINUX_ESRCH; /* -INT_MIN is not a process group (Linux says the same) */
    struct process *z;
    int err = proc_wait_match(p->pid, pid, &z);
    if (err < 0)
        return err;
    if (z)
        return reap(p, z, a[1], a[3]);
    int64_t stopped = signal_wait_report(p, pid, options, a[1]); /* WUNTRACED, WCONTINUED */
    if (stopped)
        return stopped;
    if (options & LINUX_WNOHANG)
        return 0;
    return posix_block(p, p, 0); /* until a child of p ends (posix_end_process) */
}

/* What waitid's siginfo says of zombie z: CLD_EXITED with the code, CLD_KILLED (CLD_DUMPED) with
 * the signal. */
static void zombie_info(const struct process *z, struct linux_siginfo *si)
{
    int ws = z->wait_status;
    si->code = (ws & 0x7f) == 0 ? LINUX_CLD_EXITED
               : (ws & 0x80)    ? LINUX_CLD_DUMPED
                                : LINUX_CLD_KILLED;
    si->u.proc.status = (ws & 0x7f) == 0 ? (ws >> 8) & 0xff : ws & 0x7f;
}

/* A stopped or continued child that waitid(pid, options) reports, or NULL; its siginfo in si. */
static struct process *stop_report(struct process *p, int64_t pid, uint64_t options,
                                   struct linux_siginfo *si)
{
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct process *c = proc_at(i);
        if (!c || c->state != PROC_RUNNING || !c->sig.report || !proc_wait_means(c, p->pid, pid))
            continue;
        bool cont = c->sig.report == SIG_STATUS_CONTINUED;
        if (!(options & (cont ? LINUX_WCONTINUED : LINUX_WSTOPPED)))
            continue;
        si->code = cont ? LINUX_CLD_CONTINUED : LINUX_CLD_STOPPED;
        si->u.proc.status = cont ? LINUX_SIGCONT : (c->sig.report >> 8) & 0xff;
        return c;
    }
    return 0;
}

/* waitid's idtype and id as wait4's pid (-1 any, > 0 one, 0 the caller's group, < -1 a group)
 * in *pid: 0 or -EINVAL. */
static int waitid_target(int64_t idtype, int64_t id, int64_t *pid)
{
    switch (idtype) {
    case LINUX_P_ALL:
        *pid = -1;
        return 0;
    case LINUX_P_PID:
        *pid = id;
        return id > 0 ? 0 : -LINUX_EINVAL;
    case LINUX_P_PGID:
        *pid = -id; /* 0: the caller's group */
        return id >= 0 ? 0 : -LINUX_EINVAL;
    default: /* P_PIDFD: there are no pidfds */
        return -LINUX_EINVAL;
    }
}

/*
 * waitid(idtype, id, infop, options, rusage): as wait4, for the children idtype and id name,
 * with the events options asks for (WEXITED, WSTOPPED, WCONTINUED) and a siginfo instead of a
 * status; WNOWAIT leaves the child to be waited for again.
 */
int64_t sys_waitid(struct process *p, const uint64_t *a)
{
    uint64_t options = a[3] & 0xffffffffu;
    const uint64_t known = LINUX_WNOHANG | LINUX_WSTOPPED | LINUX_WEXITED | LINUX_WCONTINUED |
                           LINUX_WNOWAIT | LINUX_WNOTHREAD | LINUX_WALL | LINUX_WCLONE;
    if ((options & ~known) || !(options & (LINUX_WEXITED | LINUX_WSTOPPED | LINUX_WCONTINUED)))
        return -LINUX_EINVAL;
    int64_t pid;
    struct process *z, *c = 0;
    int err = waitid_target((int32_t)a[0], (int32_t)a[1], &pid);
    if (err == 0)
        err = proc_wait_match(p->pid, pid, &z);
    if (err < 0)
        return err;
    struct linux_siginfo si;
    memset(&si, 0, sizeof si);
    if (z && (options & LINUX_WEXITED))
        c = z, zombie_info(z, &si);
    else
        c = stop_report(p, pid, options, &si);
    if (!c && !(options & LINUX_WNOHANG))
        return posix_block(p, p, 0); /* until a child of p changes (as wait4) */
    if (c) {
        si.signo = LINUX_SIGCHLD;
        si.u.proc.pid = c->pid;
        si.u.proc.uid = c->cred.ruid;
    }
    if (a[4] && user_write(&p->mem, a[4], &no_rusage, sizeof no_rusage) < 0)
        return -LINUX_EFAULT;
    if (c && !(options & LINUX_WNOWAIT)) { /* collected: reaped, or its report taken */
        if (c == z)
            reap(p, z, 0, 0);
        else
            c->sig.report = 0;
    }
    if (a[2] && user_write(&p->mem, a[2], &si, sizeof si) < 0)
        return -LINUX_EFAULT;
    return 0;
}
