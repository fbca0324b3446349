/*
 * sys_fork.c - fork, vfork and fork-style clone (concept: process
 * creation).
 *
 * The child is a new process (proctable.h) with its own pid and the
 * caller as its parent.  Its memory is a copy-on-write copy of the
 * parent's (procmem_clone: SYS_VM_CLONE, and SYS_VM_SHARE for the
 * server's view of the copy); its descriptor table a copy of the
 * parent's whose descriptors share the parent's open files (offsets and
 * status flags), as Linux's fork shares open file descriptions; its
 * working directory, umask, credentials (cred.h), signal actions and
 * mask, program break and TLS base the parent's.  Its thread starts with the parent's registers
 * at the instruction after the `syscall`, with rax = 0; the parent gets
 * the child's pid.
 *
 * vfork (and clone's CLONE_VFORK) makes the child as fork does - a copy,
 * where Linux lends the parent's memory - but the parent waits, as on
 * Linux, until the child has called execve or has ended; so the child
 * runs first, and programs that use vfork correctly cannot tell the
 * difference.  clone's process form takes the exit signal in the low byte
 * (SIGCHLD or 0), CLONE_PARENT_SETTID, CLONE_CHILD_SETTID (the child's
 * tid written into the parent's, or the child's own, memory - the second
 * through the child's shadow), CLONE_CHILD_CLEARTID, a new stack, and
 * CLONE_VM|CLONE_VFORK (musl's posix_spawn); its thread form is
 * sys_thread.c's (docs/linux-abi.md).
 */
#include "posix.h"
#include "block.h"
#include "procmem.h"
#include "proctable.h"
#include "syscalls.h"
#include "procfs.h"
#include "usercopy.h"
#include <mica/string.h>

static int64_t do_fork(struct process *p, uint64_t flags, uint64_t stack, uint64_t parent_tid,
                       uint64_t child_tid)
{
    struct task *self = task_current();
    struct mica_regs r;
    if (mica_thread_read_regs(self->thread, &r) < 0)
        return -LINUX_EFAULT;
    struct process *c = proc_new(p->pid);
    struct task *ct = c ? task_new(c, c->pid) : 0;
    if (!ct) {
        if (c)
            proc_free(c);
        return -LINUX_EAGAIN; /* Linux's answer when no more processes may be made */
    }
    int64_t as = mica_aspace_create();
    if (as < 0) {
        task_free(ct);
        proc_free(c);
        return -LINUX_ENOMEM;
    }
    c->as = (mica_handle_t)as;
    c->brk_start = p->brk_start;
    c->brk = p->brk;
    c->brk_mapped = p->brk_mapped;
    ct->fs_base = self->fs_base;
    memcpy(ct->comm, self->comm, sizeof ct->comm);
    memcpy(c->rlimit, p->rlimit, sizeof c->rlimit);
    memcpy(c->sigaction, p->sigaction, sizeof c->sigaction);
    ct->sigmask = self->sigmask;
    ct->sig.alt = self->sig.alt; /* pending signals are not inherited; the alarm neither */
    c->umask = p->umask;
    c->cred = p->cred;
    c->pgid = p->pgid; /* the same process group, session and controlling terminal */
    c->sid = p->sid;
    c->ctty = p->ctty;
    c->cwd = p->cwd;
    vnode_get(c->cwd);
    fdtable_copy(&c->files, &p->files);
    procfs_fork(c, p);
    r.rax = 0;     /* the child's result */
    r.rcx = r.rip; /* as after a real Linux system call */
    r.r11 = r.rflags;
    if (stack)
        r.rsp = stack;
    int err = procmem_clone(c, p);
    int32_t tid = c->pid;
    if (err == 0 && (flags & LINUX_CLONE_CHILD_SETTID))
        err = user_write(&c->mem, child_tid, &tid, sizeof tid); /* the child's copy */
    if (err == 0 && (flags & LINUX_CLONE_PARENT_SETTID))
        err = user_write(&p->mem, parent_tid, &tid, sizeof tid);
    if (flags & LINUX_CLONE_CHILD_CLEARTID)
        ct->clear_tid = child_tid;
    if (err == 0)
        err = posix_task_start(ct, &r);
    if (err < 0) {
        posix_release(c);
        proc_free(c);
        return err == -LINUX_EFAULT ? err : -LINUX_ENOMEM;
    }
    return c->pid;
}

/*
 * A fork, or - with CLONE_VFORK - a fork whose caller waits until the child has called execve
 * or has ended, as vfork's caller does.  The wait blocks on the child as its channel; the call
 * then runs again, and the task's `done` holds the child's pid, so it is not forked twice.
 */
static int64_t fork_maybe_wait(struct process *p, uint64_t flags, uint64_t stack,
                               uint64_t parent_tid, uint64_t child_tid)
{
    struct task *t = task_current();
    if (!t->done) {
        int64_t pid = do_fork(p, flags, stack, parent_tid, child_tid);
        if (pid < 0 || !(flags & LINUX_CLONE_VFORK))
            return pid;
        t->done = (uint64_t)pid;
    }
    struct process *c = proc_find((int)t->done);
    if (!c || c->state != PROC_RUNNING || c->vfork_done)
        return (int64_t)t->done;
    return posix_block(p, c, 0); /* until it calls execve or ends */
}

int64_t sys_fork(struct process *p, const uint64_t *a)
{
    (void)a;
    return do_fork(p, 0, 0, 0, 0);
}

int64_t sys_vfork(struct process *p, const uint64_t *a)
{
    (void)a;
    return fork_maybe_wait(p, LINUX_CLONE_VFORK, 0, 0, 0);
}

/*
 * clone(flags, stack, parent_tid, child_tid, tls): a thread (CLONE_THREAD, sys_thread.c) or a
 * process - fork's form, also with a stack of its own, and CLONE_VM|CLONE_VFORK (musl's
 * posix_spawn) as a copy that starts on the stack given.
 */
int64_t sys_clone(struct process *p, const uint64_t *a)
{
    uint64_t flags = a[0];
    if ((flags & LINUX_CLONE_THREAD) && !(flags & LINUX_CLONE_SIGHAND))
        return -LINUX_EINVAL; /* Linux's rules: a thread shares signal actions, */
    if ((flags & LINUX_CLONE_SIGHAND) && !(flags & LINUX_CLONE_VM))
        return -LINUX_EINVAL; /* ... which needs shared memory */
    if (flags & LINUX_CLONE_THREAD)
        return clone_thread(p, flags, a[1], a[2], a[3], a[4]);
    uint64_t vfork = LINUX_CLONE_VM | LINUX_CLONE_VFORK;
    if ((flags & LINUX_CLONE_VM) && (flags & vfork) != vfork)
        return -LINUX_ENOSYS; /* a process sharing its parent's memory: not on Mica */
    if (flags & ~(uint64_t)(LINUX_CSIGNAL | LINUX_CLONE_PARENT_SETTID | LINUX_CLONE_CHILD_SETTID |
                            LINUX_CLONE_CHILD_CLEARTID | vfork))
        return -LINUX_EINVAL;
    uint64_t sig = flags & LINUX_CSIGNAL;
    if (sig != 0 && sig != LINUX_SIGCHLD)
        return -LINUX_EINVAL;
    return fork_maybe_wait(p, flags, a[1], a[2], a[3]);
}
