/*
 * process.h - a Linux process as the posix server knows it (concepts:
 * process control block, the personality's view of a process).
 *
 * This first version runs one single-threaded process at a time; the
 * process's one thread has the same number as the process (tid = pid).
 */
#ifndef POSIX_PROCESS_H
#define POSIX_PROCESS_H

#include <stdbool.h>
#include <stdint.h>
#include <mica.h>
#include "linux_abi.h"
#include "fdtable.h"
#include "regions.h"
#include "vfs.h"

#define LINUX_NSIG 64 /* signals 1..64 */

/* What rt_sigaction records: the kernel's struct sigaction on x86-64 (32 bytes). */
struct linux_sigaction {
    uint64_t handler, flags, restorer, mask;
};

struct process {
    int pid, ppid;
    mica_handle_t as;     /* its address space */
    mica_handle_t thread; /* its one thread */
    struct regions mem;   /* every page it has (regions.h) */
    uint64_t brk_start;   /* the heap starts after the highest segment */
    uint64_t brk;         /* the program break the program asked for */
    uint64_t brk_mapped;  /* the heap's pages end here (page-aligned, >= brk) */
    uint64_t fs_base;     /* arch_prctl(ARCH_SET_FS) */
    uint64_t clear_tid;   /* set_tid_address: recorded, used once threads exist */
    struct linux_sigaction sigaction[LINUX_NSIG + 1]; /* recorded, not delivered yet */
    uint64_t sigmask;
    struct fdtable files; /* its descriptors (fdtable.h) */
    struct vnode *cwd;    /* its working directory (a reference) */
    uint32_t umask;       /* umask(): taken out of the mode of every file it creates */
    bool ended;           /* exit or exit_group, or killed */
    int status;           /* the exit status (ended by exit) */
    int signal;           /* the signal that killed it, 0 if it exited */
    uint32_t unknown[LINUX_NR_MAX + 1]; /* ENOSYS answers per number; [MAX]: larger numbers */
};

#endif
