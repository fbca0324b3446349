/*
 * sys_pgrp.c - process groups and sessions: setpgid, getpgid, getpgrp,
 * setsid, getsid (concepts: process groups, sessions, job control).
 *
 * A shell puts each job - the processes of one pipeline - into a process
 * group of its own, whose id is the pid of its first process, so that the
 * terminal can signal the whole job at once (^C, ^Z: tty.c) and let only
 * one job, the foreground group, read from it.  The groups of one login
 * form a session, whose leader (the process that called setsid(), its
 * pid is the session id) owns the controlling terminal.  fork inherits
 * both ids; execve keeps them.
 *
 * Linux's rules (setpgid(2)): a process may set the group of itself or of
 * a child (else ESRCH), not of a child that has called execve (EACCES) or
 * that is in another session (EPERM); a session leader's group cannot
 * change (EPERM); the group joined must exist in the caller's session
 * (EPERM).  setsid() fails (EPERM) when a process group with the caller's
 * pid exists - it is a group leader already - because the new session's
 * group would have the same id.
 */
#include "posix.h"
#include "proctable.h"
#include "syscalls.h"
#include "tty.h"

/* The process pid (0: p itself), or NULL. */
static struct process *target(struct process *p, int64_t pid)
{
    return pid == 0 ? p : proc_find((int)pid);
}

/* A process of group pgid in session sid, or NULL. */
static struct process *group_member(int pgid, int sid)
{
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct process *q = proc_at(i);
        if (q && q->pgid == pgid && q->sid == sid)
            return q;
    }
    return 0;
}

/* setpgid(pid, pgid): 0 for the caller (pid) or its own pid (pgid). */
int64_t sys_setpgid(struct process *p, const uint64_t *a)
{
    int64_t pid = (int32_t)a[0], pgid = (int32_t)a[1];
    if (pid == 0)
        pid = p->pid;
    if (pgid == 0)
        pgid = pid;
    if (pgid < 0)
        return -LINUX_EINVAL;
    struct process *t = pid > 0 ? proc_find((int)pid) : 0;
    if (!t)
        return -LINUX_ESRCH;
    if (t != p) {
        if (t->ppid != p->pid)
            return -LINUX_ESRCH; /* neither the caller nor its child */
        if (t->sid != p->sid)
            return -LINUX_EPERM;
        if (t->execed)
            return -LINUX_EACCES;
    }
    if (t->sid == t->pid)
        return -LINUX_EPERM; /* a session leader stays the leader of its group */
    if (pgid != t->pid && !group_member((int)pgid, p->sid))
        return -LINUX_EPERM;
    t->pgid = (int)pgid;
    return 0;
}

int64_t sys_getpgid(struct process *p, const uint64_t *a)
{
    struct process *t = target(p, (int32_t)a[0]);
    return t ? t->pgid : -LINUX_ESRCH;
}

int64_t sys_getpgrp(struct process *p, const uint64_t *a)
{
    (void)a;
    return p->pgid;
}

int64_t sys_getsid(struct process *p, const uint64_t *a)
{
    struct process *t = target(p, (int32_t)a[0]);
    return t ? t->sid : -LINUX_ESRCH;
}

/* setsid(): a new session and group, both with the caller's pid, without a terminal. */
int64_t sys_setsid(struct process *p, const uint64_t *a)
{
    (void)a;
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct process *q = proc_at(i);
        if (q && q->pgid == p->pid)
            return -LINUX_EPERM;
    }
    p->sid = p->pgid = p->pid;
    p->ctty = false;
    return p->sid;
}
