/*
 * process.h - a Linux process as the posix server knows it (concepts:
 * process control block, the personality's view of a process).
 *
 * The server serves many processes at once (proctable.h), each with one
 * thread, which has the same number as the process (tid = pid).  A process
 * is running until it ends (exit, exit_group, a fatal fault); then it is a
 * zombie - its memory, thread and descriptors are gone, its pid and its
 * wait status stay - until its parent reaps it with wait4.
 */
#ifndef POSIX_PROCESS_H
#define POSIX_PROCESS_H

#include <stdbool.h>
#include <stdint.h>
#include <mica.h>
#include "linux_abi.h"
#include "cred.h"
#include "fdtable.h"
#include "regions.h"
#include "vfs.h"

#define LINUX_NSIG 64 /* signals 1..64 */

/* What rt_sigaction records: the kernel's struct sigaction on x86-64 (32 bytes). */
struct linux_sigaction {
    uint64_t handler, flags, restorer, mask;
};

enum proc_state {
    PROC_RUNNING = 1, /* it has a thread and memory */
    PROC_ZOMBIE,      /* ended, its wait status kept until its parent reaps it */
};

struct process;

/* A system call's handler (syscalls.h). */
typedef int64_t (*syscall_fn)(struct process *p, const uint64_t *a);

struct process {
    int pid, ppid; /* ppid 0: the server's reaper (the run list, and orphans) */
    enum proc_state state;
    bool toplevel;         /* started from the run list (its end is reported) */
    int wait_status;       /* a zombie's status as wait4 gives it: W_EXITCODE or the signal */
    mica_handle_t waiting; /* a wait4 that blocks: the taken reply handle, else 0 */
    int64_t wait_pid;      /* ... and its arguments */
    uint64_t wait_status_addr, wait_rusage_addr;
    syscall_fn call; /* the call being served, and its arguments (run again by pipe_retry) */
    uint64_t call_args[6];
    mica_handle_t pipe_reply; /* a pipe read or write that waits: the taken reply handle, else 0 */
    struct pipe *pipe_wait;   /* ... the pipe it waits for */
    bool pipe_ready;          /* ... which has changed: run the call again (sys_pipe.c) */
    uint64_t pipe_done;       /* bytes the waiting write has moved already */
    mica_handle_t as;         /* its address space */
    mica_handle_t thread;     /* its one thread */
    struct regions mem;       /* every page it has (regions.h) */
    uint64_t brk_start;       /* the heap starts after the highest segment */
    uint64_t brk;             /* the program break the program asked for */
    uint64_t brk_mapped;      /* the heap's pages end here (page-aligned, >= brk) */
    uint64_t fs_base;         /* arch_prctl(ARCH_SET_FS) */
    uint64_t clear_tid;       /* set_tid_address: recorded, used once threads exist */
    struct linux_sigaction sigaction[LINUX_NSIG + 1]; /* recorded, not delivered yet */
    uint64_t sigmask;
    struct fdtable files; /* its descriptors (fdtable.h) */
    struct vnode *cwd;    /* its working directory (a reference) */
    uint32_t umask;       /* umask(): taken out of the mode of every file it creates */
    bool ended;           /* exit or exit_group, or killed */
    int status;           /* the exit status (ended by exit) */
    int signal;           /* the signal that killed it, 0 if it exited */
    uint32_t unknown[LINUX_NR_MAX + 1]; /* ENOSYS answers per number; [MAX]: larger numbers */
    struct cred cred;        /* its user and group ids (cred.h); all 0 (root) in a new process */
    struct vnode *fifo_wait; /* an open of a FIFO that waits for the other side: the node (a
                                reference); meanwhile it counts as a reader (or a writer) */
    bool fifo_wait_write;    /* ... as a writer */
};

#endif
