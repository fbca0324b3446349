/*
 * sys_fd.c - close, dup, dup2, dup3 and fcntl (concepts: file descriptors,
 * open file descriptions shared by dup, close-on-exec).  The table itself
 * is fdtable.c.
 */
#include "posix.h"
#include "syscalls.h"

/* Status flags F_SETFL may change (fs/fcntl.c, SETFL_MASK, without the ones Mica lacks). */
#define SETFL_MASK (LINUX_O_APPEND | LINUX_O_NONBLOCK)

int64_t sys_close(struct process *p, const uint64_t *a)
{
    return fdtable_close(&p->files, (int64_t)(int32_t)a[0]);
}

int64_t sys_dup(struct process *p, const uint64_t *a)
{
    return fdtable_dup(&p->files, (int64_t)(int32_t)a[0], 0, false);
}

int64_t sys_dup2(struct process *p, const uint64_t *a)
{
    return fdtable_dup3(&p->files, (int64_t)(int32_t)a[0], (int64_t)(int32_t)a[1], -1);
}

int64_t sys_dup3(struct process *p, const uint64_t *a)
{
    return fdtable_dup3(&p->files, (int64_t)(int32_t)a[0], (int64_t)(int32_t)a[1],
                        (int64_t)(uint32_t)a[2]);
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
    default:
        return -LINUX_EINVAL;
    }
}
