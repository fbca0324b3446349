/*
 * process.h - a Linux process as the posix server knows it (concepts:
 * process control block, the personality's view of a process).
 *
 * The server serves many processes at once (proctable.h), each with one
 * or more threads (task.h); the first thread has the same number as the
 * process (tid = pid).  A process is running until it ends (exit_group,
 * the exit of its last thread, a fatal fault or signal); then it is a
 * zombie - its memory, threads and descriptors are gone, its pid and its
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
#include "task.h"
#include "sigdeliver.h"
#include "vfs.h"

#define LINUX_NSIG  64   /* signals 1..64 */
#define CMDLINE_MAX 4096 /* bytes of argv /proc/N/cmdline keeps */

/* A resource limit (asm-generic/resource.h: struct rlimit64). */
struct linux_rlimit {
    uint64_t cur, max;
};

enum proc_state {
    PROC_RUNNING = 1, /* it has a thread and memory */
    PROC_ZOMBIE,      /* ended, its wait status kept until its parent reaps it */
};

struct process {
    int pid, ppid; /* ppid 0: the server's reaper (the run list, and orphans) */
    enum proc_state state;
    bool toplevel;       /* started from the run list (its end is reported) */
    int wait_status;     /* a zombie's status as wait4 gives it: W_EXITCODE or the signal */
    mica_handle_t as;    /* its address space */
    struct regions mem;  /* every page it has (regions.h) */
    uint64_t brk_start;  /* the heap starts after the highest segment */
    uint64_t brk;        /* the program break the program asked for */
    uint64_t brk_mapped; /* the heap's pages end here (page-aligned, >= brk) */
    struct linux_sigaction sigaction[LINUX_NSIG + 1]; /* rt_sigaction (sigstate.h) */
    struct fdtable files;                             /* its descriptors (fdtable.h) */
    struct vnode *cwd;                                /* its working directory (a reference) */
    uint32_t umask;  /* umask(): taken out of the mode of every file it creates */
    bool vfork_done; /* it has called execve: a vfork parent waits no more (sys_fork.c) */
    bool ended;      /* exit or exit_group, or killed */
    int status;      /* the exit status (ended by exit) */
    int signal;      /* the signal that killed it, 0 if it exited */
    struct linux_rlimit rlimit[LINUX_RLIM_NLIMITS]; /* getrlimit/setrlimit/prlimit64 */
    uint64_t cpu_ns;          /* CPU time of its threads that have ended (sys_resource.c) */
    uint64_t children_cpu_ns; /* ... and of its reaped children, theirs included */
    int pdeathsig;            /* prctl(PR_SET_PDEATHSIG): sent when its parent ends */
    bool undumpable;          /* prctl(PR_SET_DUMPABLE, 0) */
    bool no_new_privs;        /* prctl(PR_SET_NO_NEW_PRIVS, 1): kept for good */
    uint32_t unknown[LINUX_NR_MAX + 1]; /* ENOSYS answers per number; [MAX]: larger numbers */
    /* What /proc/N shows of the program (procfs.c: procfs_exec, at the start and execve): */
    char exe[VFS_PATH_MAX];    /* its file: absolute, symbolic links resolved */
    char comm[16];             /* its name: the path's last component, cut to 15 bytes */
    char cmdline[CMDLINE_MAX]; /* its arguments, each with its NUL (cut at CMDLINE_MAX) */
    uint32_t cmdline_len;
    uint64_t start_ns; /* when the process was made (mica_clock_ns) */
    struct cred cred;  /* its user and group ids (cred.h); all 0 (root) in a new process */
    int pgid, sid;     /* its process group and session (sys_pgrp.c): fork inherits them */
    bool ctty;   /* the console is its controlling terminal (while its session owns it, tty.h) */
    bool execed; /* it has called execve since fork: setpgid by its parent is EACCES */
    struct proc_signals sig; /* pending signals, stopped, the alarm (sigdeliver.h) */
};

#endif
