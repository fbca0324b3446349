/*
 * reclock.h - POSIX record locks, fcntl's F_GETLK and F_SETLK
 * (servers/posix/reclock.c) (concepts: advisory file locking, byte-range
 * locks, readers-writer exclusion).
 *
 * A record lock is a byte range of a file held by a process, shared (a
 * read lock) or exclusive (a write lock).  Locks of different processes
 * conflict where their ranges overlap and one of them is exclusive; a
 * process's own locks never conflict with each other: a new lock of a
 * process replaces what that process held in its range (splitting older
 * ranges), and ranges of one kind that touch are merged, as Linux does.
 * Unlocking a range takes it out of the process's locks.  The locks are
 * advisory: read and write do not look at them.  A process's locks on a
 * file go when it closes any descriptor of that file, and all of them
 * when it ends (POSIX's rule).  Pure code: the host tests run it.
 */
#ifndef POSIX_RECLOCK_H
#define POSIX_RECLOCK_H

#include <stdint.h>
#include "vfs.h"

#define RECLOCK_EOF UINT64_MAX /* a range's end meaning "to the end of the file, however long" */

enum reclock_type { RECLOCK_READ = 0, RECLOCK_WRITE = 1, RECLOCK_UNLOCK = 2 }; /* F_RDLCK.. */

struct reclock {
    const struct vnode *node;
    int pid;
    uint32_t type;       /* RECLOCK_READ or RECLOCK_WRITE */
    uint64_t start, end; /* bytes [start, end) */
};

/* The first lock of another process than pid on node that conflicts with a lock of type on
 * [start, end): it, or NULL (F_GETLK). */
const struct reclock *reclock_conflict(const struct vnode *node, int pid, uint32_t type,
                                       uint64_t start, uint64_t end);

/* Lock (type READ or WRITE) or unlock (UNLOCK) [start, end) of node for pid: 0, -EAGAIN (a
 * conflicting lock of another process), -ENOLCK (no memory for the table). */
int reclock_set(const struct vnode *node, int pid, uint32_t type, uint64_t start, uint64_t end);

/* pid closed a descriptor of node (node NULL: pid ended): its locks on node (on all) go. */
void reclock_release(const struct vnode *node, int pid);

/* Called after locks were taken away or changed (a waiting F_SETLKW may go on then); the
 * server sets it, the host tests count. */
extern void (*reclock_on_change)(void);

/* How many locks are held (the host tests). */
uint32_t reclock_count(void);

#endif
