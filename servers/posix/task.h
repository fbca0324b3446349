/*
 * task.h - a Linux thread as the posix server knows it (concepts: threads,
 * the thread control block; blocking calls answered later).
 *
 * A Linux process (process.h) has one or more threads, each a Mica thread
 * in the process's address space.  What the threads of a process share -
 * memory, descriptors, working directory, signal actions, pid - is the
 * process's; what each has of its own is here: its thread id (the first
 * thread's is the pid, later ones come from the same counter), its Mica
 * thread, its TLS base, the address set_tid_address gave, its signal mask,
 * and the state of a system call of it that waits (block.h).
 *
 * The server serves one message at a time; task_current() is the task
 * whose call is being served (or run again), like xv6's myproc().
 */
#ifndef POSIX_TASK_H
#define POSIX_TASK_H

#include <stdbool.h>
#include <stdint.h>
#include <mica.h>
#include "sigstate.h"

#define TASK_MAX 256 /* threads (of all processes) at once */

struct process;
struct task;

/* A system call's handler (syscalls.h). */
typedef int64_t (*syscall_fn)(struct process *p, const uint64_t *a);

struct task {
    int tid;
    struct process *proc; /* the process it belongs to */
    mica_handle_t thread; /* its Mica thread (in proc->as) */
    uint64_t fs_base;     /* arch_prctl(ARCH_SET_FS), clone(CLONE_SETTLS) */
    uint64_t clear_tid;   /* set_tid_address, CLONE_CHILD_CLEARTID: cleared and woken at its end */
    uint64_t sigmask;     /* blocked signals (bit sig-1) */
    bool exited;          /* it called exit: it ends when the call is answered (main.c) */
    char comm[16];        /* its name (prctl PR_SET_NAME; the program's at execve) */
    /* The call being served, kept so that a call that waits can run again (block.h). */
    syscall_fn call;
    uint64_t args[6];
    uint64_t done;       /* progress a call keeps across its runs (bytes a pipe write moved) */
    mica_handle_t reply; /* a call that waits: its taken reply handle, else 0 */
    const void *chan;    /* ... what it waits for */
    uint64_t deadline;   /* ... until when (mica_clock_ns(); 0: no limit) */
    uint64_t since;      /* ... a number that grows with each wait: the longest-waiting first */
    bool ready;          /* ... woken or timed out: run it again */
    bool timed_out;      /* ... the run is because the deadline passed */
    bool fifo_write;     /* ... an open of a FIFO, for writing (else reading): sys_fifo.c */
    const struct vnode *lock_node; /* ... F_SETLKW: the lock it waits to take (sys_fd.c) */
    uint64_t lock_start, lock_end;
    uint32_t lock_type;
    struct task_signals sig; /* pending signals, alternate stack, sigsuspend (sigdeliver.h) */
};

/* A new task of process p with thread id tid (zeroed otherwise), or NULL if the table is
 * full or there is no memory. */
struct task *task_new(struct process *p, int tid);

/* The task with this thread id, or NULL. */
struct task *task_find(int tid);

/* The n-th slot of the table: a task or NULL, to walk all of them (n < task_slots()). */
struct task *task_at(unsigned n);

/* How many slots a walk of the table must look at (those above are all empty). */
unsigned task_slots(void);

/* Take t out of the table and free it (its thread handle and reply must be closed). */
void task_free(struct task *t);

/* The tasks of p, one after the other: start with prev = NULL; NULL after the last. */
struct task *task_next(const struct process *p, const struct task *prev);

/* How many tasks p has. */
unsigned task_count(const struct process *p);

/* The task whose call is being served. */
struct task *task_current(void);
void task_set_current(struct task *t);

#endif
