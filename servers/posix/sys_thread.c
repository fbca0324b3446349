/*
 * sys_thread.c - threads: clone's thread form, exit of one thread,
 * exit_group, gettid, sched_yield (concepts: threads, thread creation and
 * termination, thread-local storage, joining through a futex).
 *
 * A thread is a task (task.h) of the calling process: a new Mica thread in
 * the same address space, sharing memory, descriptors, working directory
 * and signal actions - what CLONE_VM, CLONE_FILES, CLONE_FS and
 * CLONE_SIGHAND ask for; CLONE_THREAD puts it in the caller's thread group
 * (its getpid is the process's pid).  It starts with the caller's
 * registers after the `syscall`, rax = 0, on the stack the caller gave,
 * with the TLS base CLONE_SETTLS gave (else the caller's).  Its tid comes
 * from the pid counter.  CLONE_PARENT_SETTID and CLONE_CHILD_SETTID write
 * the tid into memory (the same memory: it is shared); a bad address is
 * ignored, as Linux does.  CLONE_CHILD_CLEARTID (and set_tid_address)
 * give the word that, when the thread ends, is set to 0 and woken as a
 * futex: that is how pthread_join learns of the end.
 *
 * exit ends the calling thread only; exit_group (and exit of the last
 * thread) ends the process.
 */
#include "posix.h"
#include "proctable.h"
#include "syscalls.h"
#include "usercopy.h"
#include <mica/string.h>

/* What a thread-form clone must have with it: Mica's threads share all of these. */
#define THREAD_FLAGS                                                                               \
    (LINUX_CLONE_VM | LINUX_CLONE_FS | LINUX_CLONE_FILES | LINUX_CLONE_SIGHAND | LINUX_CLONE_THREAD)
/* ... and what it may have besides. */
#define THREAD_EXTRA                                                                               \
    (LINUX_CLONE_SYSVSEM | LINUX_CLONE_SETTLS | LINUX_CLONE_PARENT_SETTID |                        \
     LINUX_CLONE_CHILD_SETTID | LINUX_CLONE_CHILD_CLEARTID | LINUX_CLONE_DETACHED)

int64_t clone_thread(struct process *p, uint64_t flags, uint64_t stack, uint64_t parent_tid,
                     uint64_t child_tid, uint64_t tls)
{
    if ((flags & THREAD_FLAGS) != THREAD_FLAGS)
        return -LINUX_EINVAL; /* a thread without shared files or file-system state */
    if (flags & ~(uint64_t)(THREAD_FLAGS | THREAD_EXTRA | LINUX_CSIGNAL))
        return -LINUX_EINVAL;
    if ((flags & LINUX_CLONE_SETTLS) && tls >= 0x0000800000000000ull)
        return -LINUX_EPERM; /* not a canonical user address */
    struct task *self = task_current(), *t = 0;
    struct mica_regs r;
    if (mica_thread_read_regs(self->thread, &r) < 0)
        return -LINUX_EFAULT;
    if (!(t = task_new(p, proc_new_id())))
        return -LINUX_EAGAIN;
    t->fs_base = (flags & LINUX_CLONE_SETTLS) ? tls : self->fs_base;
    t->sigmask = self->sigmask;
    memcpy(t->comm, self->comm, sizeof t->comm);
    if (flags & LINUX_CLONE_CHILD_CLEARTID)
        t->clear_tid = child_tid;
    int32_t tid = t->tid;
    if (flags & LINUX_CLONE_PARENT_SETTID)
        (void)user_write(&p->mem, parent_tid, &tid, sizeof tid);
    if (flags & LINUX_CLONE_CHILD_SETTID)
        (void)user_write(&p->mem, child_tid, &tid, sizeof tid);
    r.rax = 0;     /* the new thread's result */
    r.rcx = r.rip; /* as after a real Linux system call */
    r.r11 = r.rflags;
    if (stack)
        r.rsp = stack;
    int err = posix_task_start(t, &r);
    if (err < 0) {
        posix_task_end(t);
        return -LINUX_ENOMEM;
    }
    return tid;
}

/* The end of thread t: its clear-tid word is set to 0 and woken as a futex. */
static void clear_child_tid(struct process *p, struct task *t)
{
    if (!t->clear_tid)
        return;
    uint32_t zero = 0;
    if (user_write(&p->mem, t->clear_tid, &zero, sizeof zero) == 0)
        futex_wake_word(p, t->clear_tid);
    t->clear_tid = 0;
}

/* exit(status): the calling thread ends; the process with it if it is the last. */
int64_t sys_exit(struct process *p, const uint64_t *a)
{
    struct task *t = task_current();
    if (task_count(p) == 1)
        return sys_exit_group(p, a);
    clear_child_tid(p, t);
    if (t->tid == p->pid) /* the leader's status is the process's, should it end last */
        p->status = (int)(a[0] & 0xff);
    t->exited = true;
    return 0;
}

/* exit_group(status): the process ends, every thread of it. */
int64_t sys_exit_group(struct process *p, const uint64_t *a)
{
    bool leader_gone = !task_find(p->pid);
    p->ended = true;
    if (!leader_gone)
        p->status = (int)(a[0] & 0xff);
    p->signal = 0;
    return 0;
}

int64_t sys_gettid(struct process *p, const uint64_t *a)
{
    (void)p;
    (void)a;
    return task_current()->tid;
}

/* sched_yield: the thread has stopped already, to call the server; the answer lets it go on
 * (Mica's scheduler has run others meanwhile if they were ready). */
int64_t sys_sched_yield(struct process *p, const uint64_t *a)
{
    (void)p;
    (void)a;
    return 0;
}
