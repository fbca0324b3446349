/*
 * sys_fd.c - close, dup, dup2, dup3 and fcntl (concepts: file descriptors,
 * open file descriptions shared by dup, close-on-exec, record locks).  The
 * table itself is fdtable.c, the locks of F_GETLK and F_SETLK reclock.c:
 * closing any descriptor of a file (close, or dup2/dup3 onto it) drops the
 * process's locks on that file, as POSIX says.  F_SETLKW waits for a
 * conflicting lock to go (block.h: every change of the locks wakes the
 * waiters, which try again), unless waiting would close a circle of
 * processes waiting for each other's locks (EDEADLK), as Linux checks.
 */
#include "posix.h"
#include "block.h"
#include "reclock.h"
#include "syscalls.h"
#include "usercopy.h"

/* Status flags F_SETFL may change (fs/fcntl.c, SETFL_MASK, without the ones Mica lacks). */
#define SETFL_MASK (LINUX_O_APPEND | LINUX_O_NONBLOCK)

/* p is closing fd (if open): its record locks on the file go. */
static void drop_locks(struct process *p, int64_t fd)
{
    struct ofile *f = fdtable_get(&p->files, fd);
    if (f && f->kind == OFILE_NODE)
        reclock_release(f->node, p->pid);
}

int64_t sys_close(struct process *p, const uint64_t *a)
{
    drop_locks(p, (int32_t)a[0]);
    return fdtable_close(&p->files, (int64_t)(int32_t)a[0]);
}

int64_t sys_dup(struct process *p, const uint64_t *a)
{
    return fdtable_dup(&p->files, (int64_t)(int32_t)a[0], 0, false);
}

int64_t sys_dup2(struct process *p, const uint64_t *a)
{
    if ((int32_t)a[0] != (int32_t)a[1] && fdtable_get(&p->files, (int32_t)a[0]))
        drop_locks(p, (int32_t)a[1]);
    return fdtable_dup3(&p->files, (int64_t)(int32_t)a[0], (int64_t)(int32_t)a[1], -1);
}

int64_t sys_dup3(struct process *p, const uint64_t *a)
{
    if ((int32_t)a[0] != (int32_t)a[1] && fdtable_get(&p->files, (int32_t)a[0]) &&
        (a[2] & ~(uint64_t)LINUX_O_CLOEXEC) == 0)
        drop_locks(p, (int32_t)a[1]);
    return fdtable_dup3(&p->files, (int64_t)(int32_t)a[0], (int64_t)(int32_t)a[1],
                        (int64_t)(uint32_t)a[2]);
}

/* struct flock on x86-64 (asm-generic/fcntl.h): 32 bytes. */
struct linux_flock {
    int16_t type, whence;
    int32_t pad;
    int64_t start, len;
    int32_t pid, pad2;
};

/* The byte range [*start, *end) a struct flock names for open file f: 0 or -EINVAL. */
static int lock_range(const struct ofile *f, const struct linux_flock *l, uint64_t *start,
                      uint64_t *end)
{
    int64_t base;
    switch (l->whence) {
    case LINUX_SEEK_SET:
        base = 0;
        break;
    case LINUX_SEEK_CUR:
        base = (int64_t)f->offset;
        break;
    case LINUX_SEEK_END:
        base = (int64_t)f->node->size;
        break;
    default:
        return -LINUX_EINVAL;
    }
    if (__builtin_add_overflow(base, l->start, &base) || base < 0)
        return -LINUX_EINVAL;
    if (l->len == 0) { /* to the end of the file, however long it grows */
        *start = (uint64_t)base;
        *end = RECLOCK_EOF;
        return 0;
    }
    int64_t other;
    if (__builtin_add_overflow(base, l->len, &other) || other < 0)
        return -LINUX_EINVAL;
    *start = (uint64_t)(l->len > 0 ? base : other);
    *end = (uint64_t)(l->len > 0 ? other : base);
    return 0;
}

static char lock_channel; /* what F_SETLKW waits on: any change of any lock */

static void locks_changed(void)
{
    posix_wakeup(&lock_channel);
}

/* If process pid waits in F_SETLKW for a lock that another process holds: that one's pid;
 * else 0. */
static int blocker_of(int pid)
{
    for (unsigned i = 0; i < TASK_MAX; i++) {
        const struct task *t = task_at(i);
        if (!t || !t->reply || t->chan != &lock_channel || t->proc->pid != pid)
            continue;
        const struct reclock *c =
            reclock_conflict(t->lock_node, pid, t->lock_type, t->lock_start, t->lock_end);
        if (c)
            return c->pid;
    }
    return 0;
}

/* Would p, waiting for a lock that pid holds, wait for itself in the end?  (Linux follows
 * the chain of waiting owners as far, 10 steps.) */
static bool deadlock(const struct process *p, int pid)
{
    for (int i = 0; i < 10 && pid; i++, pid = blocker_of(pid))
        if (pid == p->pid)
            return true;
    return false;
}

/* F_SETLKW: wait for the lock (the call runs again at each change of the locks). */
static int64_t lock_wait(struct process *p, const struct vnode *node, uint32_t type, uint64_t start,
                         uint64_t end)
{
    const struct reclock *c = reclock_conflict(node, p->pid, type, start, end);
    if (c && deadlock(p, c->pid))
        return -LINUX_EDEADLK;
    struct task *t = task_current();
    t->lock_node = node;
    t->lock_type = type;
    t->lock_start = start;
    t->lock_end = end;
    return posix_block(p, &lock_channel, 0);
}

/*
 * F_GETLK, F_SETLK, F_SETLKW: record locks on a file of the VFS.  A read lock needs the
 * descriptor open for reading, a write lock for writing (EBADF).
 */
static int64_t do_lock(struct process *p, struct ofile *f, uint32_t cmd, uint64_t addr)
{
    struct linux_flock l;
    uint64_t start, end;
    if (user_read(&p->mem, &l, addr, sizeof l) < 0)
        return -LINUX_EFAULT;
    if (f->kind != OFILE_NODE || vnode_is_dir(f->node))
        return -LINUX_EINVAL; /* pipes, the console, directories: not here */
    if (l.type != LINUX_F_RDLCK && l.type != LINUX_F_WRLCK && l.type != LINUX_F_UNLCK)
        return -LINUX_EINVAL;
    int err = lock_range(f, &l, &start, &end);
    if (err < 0)
        return err;
    if (cmd == LINUX_F_GETLK) {
        if (l.type == LINUX_F_UNLCK)
            return -LINUX_EINVAL;
        const struct reclock *c = reclock_conflict(f->node, p->pid, (uint32_t)l.type, start, end);
        if (!c) {
            l.type = LINUX_F_UNLCK;
        } else {
            l.type = (int16_t)c->type;
            l.whence = LINUX_SEEK_SET;
            l.start = (int64_t)c->start;
            l.len = c->end == RECLOCK_EOF ? 0 : (int64_t)(c->end - c->start);
            l.pid = c->pid;
        }
        return user_write(&p->mem, addr, &l, sizeof l) < 0 ? -LINUX_EFAULT : 0;
    }
    uint32_t acc = f->flags & LINUX_O_ACCMODE;
    if ((l.type == LINUX_F_RDLCK && acc == LINUX_O_WRONLY) ||
        (l.type == LINUX_F_WRLCK && acc == LINUX_O_RDONLY))
        return -LINUX_EBADF;
    reclock_on_change = locks_changed; /* (waiters exist only after a call came here) */
    err = reclock_set(f->node, p->pid, (uint32_t)l.type, start, end);
    if (err == -LINUX_EAGAIN && cmd == LINUX_F_SETLKW)
        return lock_wait(p, f->node, (uint32_t)l.type, start, end);
    return err;
}

int64_t sys_fcntl(struct process *p, const uint64_t *a)
{
    int64_t fd = (int32_t)a[0];
    struct ofile *f = fdtable_get(&p->files, fd);
    if (!f)
        return -LINUX_EBADF;
    switch ((uint32_t)a[1]) {
    case LINUX_F_DUPFD:
        return fdtable_dup(&p->files, fd, (int64_t)(int32_t)a[2], false);
    case LINUX_F_DUPFD_CLOEXEC:
        return fdtable_dup(&p->files, fd, (int64_t)(int32_t)a[2], true);
    case LINUX_F_GETFD:
        return p->files.cloexec[fd] ? LINUX_FD_CLOEXEC : 0;
    case LINUX_F_SETFD:
        p->files.cloexec[fd] = (a[2] & LINUX_FD_CLOEXEC) != 0;
        return 0;
    case LINUX_F_GETFL:
        return f->flags;
    case LINUX_F_SETFL:
        f->flags = (f->flags & ~(uint32_t)SETFL_MASK) | ((uint32_t)a[2] & SETFL_MASK);
        return 0;
    case LINUX_F_GETLK:
    case LINUX_F_SETLK:
    case LINUX_F_SETLKW:
        return do_lock(p, f, (uint32_t)a[1], a[2]);
    default:
        return -LINUX_EINVAL;
    }
}
