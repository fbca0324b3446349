/*
 * posix.h - the posix server's own state and the services it uses
 * (servers/posix/main.c) (concept: a personality server).
 */
#ifndef POSIX_POSIX_H
#define POSIX_POSIX_H

#include <stdint.h>
#include <mica.h>
#include <client.h>
#include "process.h"
#include "loader.h"
#include "vfs.h"

struct posix {
    mica_handle_t self;           /* the server's own address space */
    struct mica_client console;   /* the console service: fds 0, 1, 2 */
    mica_handle_t rtc;            /* the wall clock (uses=rtc), or 0 */
    uint64_t realtime_at_boot_ns; /* wall-clock nanoseconds when mica_clock_ns() was 0 */
    const uint8_t *initrd;        /* the initial ramdisk, mapped */
    uint64_t initrd_size;
    struct vfs vfs; /* the file system every process sees (vfs.h), filled from the ramdisk */
};

extern struct posix posix;

/* Text to the console, as the programs' output goes (so the two stay in order). */
void posix_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write len bytes to the console service: the bytes written or a negative Linux error. */
int64_t posix_console_write(const void *buf, uint64_t len);

/*
 * What a system call's handler may return besides a result: POSIX_DEFERRED
 * - the call waits (posix_block, block.h) and is answered later;
 * POSIX_EXEC - it wrote the thread's registers, the
 * answer is MICA_SYSCALL_REGS (execve).  Neither is a possible result.
 */
#define POSIX_DEFERRED INT64_MIN
#define POSIX_EXEC     (INT64_MIN + 1)

/* Give task t (of a process with an address space) a thread with registers r and its
 * handler handles, and start it: 0 or an error. */
int posix_task_start(struct task *t, const struct mica_regs *r);

/* Give t's thread its handlers again, badged with its tid (which has changed: execve). */
int posix_task_handlers(struct task *t);

/* Task t ends alone (its process goes on): its thread is killed, its waiting call dropped. */
void posix_task_end(struct task *t);

/* Load a program into p (loader_load with AT_HWCAP and AT_RANDOM filled in). */
int posix_load(struct process *p, const uint8_t *image, uint64_t size, struct initstack_args *args,
               struct loaded *l, const char **why);

/* Free what a process has: descriptors, working directory, address space, shadows, threads
 * (its tasks, whose waiting calls are dropped). */
void posix_release(struct process *p);

/* p has ended (p->ended, p->status or p->signal set): it becomes a zombie, its resources go,
 * its parent learns of it (main.c). */
void posix_end_process(struct process *p);

#endif
