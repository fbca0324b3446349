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
 * working directory, umask, signal actions and mask, program break and
 * TLS base the parent's.  Its thread starts with the parent's registers
 * at the instruction after the `syscall`, with rax = 0; the parent gets
 * the child's pid.
 *
 * vfork behaves as fork here: the parent does not wait for the child's
 * exec or exit (allowed by POSIX; programs that use vfork correctly
 * cannot tell, except for timing).  clone accepts only fork's form: the
 * exit signal in the low byte (SIGCHLD or 0, as there is no signal
 * delivery yet) and CLONE_PARENT_SETTID, CLONE_CHILD_SETTID (the child's
 * tid written into the parent's, or the child's own, memory - the second
 * through the child's shadow) and CLONE_CHILD_CLEARTID (recorded, as
 * set_tid_address), which glibc's fork uses; threads (CLONE_VM) are
 * ENOSYS, other flags EINVAL (docs/linux-abi.md).
 */
#include "posix.h"
#include "procmem.h"
#include "proctable.h"
#include "syscalls.h"
#include "usercopy.h"
#include <mica/string.h>

static int64_t do_fork(struct process *p, uint64_t flags, uint64_t parent_tid, uint64_t child_tid)
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
    memcpy(c->sigaction, p->sigaction, sizeof c->sigaction);
    ct->sigmask = self->sigmask;
    ct->sig.alt = self->sig.alt; /* pending signals are not inherited; the alarm neither */
    c->umask = p->umask;
    c->cwd = p->cwd;
    vnode_get(c->cwd);
    fdtable_copy(&c->files, &p->files);
    r.rax = 0;     /* the child's result */
    r.rcx = r.rip; /* as after a real Linux system call */
    r.r11 = r.rflags;
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

int64_t sys_fork(struct process *p, const uint64_t *a)
{
    (void)a;
    return do_fork(p, 0, 0, 0);
}

/* clone(flags, stack, parent_tid, child_tid, tls): fork's form only. */
int64_t sys_clone(struct process *p, const uint64_t *a)
{
    uint64_t flags = a[0];
    if (flags & LINUX_CLONE_VM)
        return -LINUX_ENOSYS; /* threads come later */
    if (flags & ~(uint64_t)(LINUX_CSIGNAL | LINUX_CLONE_PARENT_SETTID | LINUX_CLONE_CHILD_SETTID |
                            LINUX_CLONE_CHILD_CLEARTID))
        return -LINUX_EINVAL;
    uint64_t sig = flags & LINUX_CSIGNAL;
    if (sig != 0 && sig != LINUX_SIGCHLD)
        return -LINUX_EINVAL;
    if (a[1] != 0)
        return -LINUX_EINVAL; /* a new stack for a forked child: not yet */
    return do_fork(p, flags, a[2], a[3]);
}
