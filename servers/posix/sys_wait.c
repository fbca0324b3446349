/*
 * sys_wait.c - wait4: reaping children (concepts: process termination,
 * zombies, the wait status, blocking calls answered later).
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

#define RUSAGE_SIZE 144 /* struct rusage on x86-64: no accounting yet, all zero */

/* Reap zombie z for parent: its status and rusage to the parent, then it is gone. */
static int64_t reap(struct process *parent, struct process *z, uint64_t status_addr,
                    uint64_t rusage_addr)
{
    int64_t pid = z->pid;
    int status = z->wait_status;
    resource_reaped(parent, z);
    proc_free(z); /* as on Linux, the child is reaped even if the status cannot be stored */
    static const uint8_t zero[RUSAGE_SIZE];
    if (status_addr && user_write(&parent->mem, status_addr, &status, sizeof status) < 0)
        return -LINUX_EFAULT;
    if (rusage_addr && user_write(&parent->mem, rusage_addr, zero, sizeof zero) < 0)
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
