/*
 * fdtable.c - descriptor tables and open files (concepts: file
 * descriptors, open file descriptions, dup, close-on-exec, the ends of a
 * pipe counted by open files).  See
 * fdtable.h.  Pure code.
 */
#include "fdtable.h"
#include "linux_abi.h"
#include <malloc.h> /* the server's heap (lib/mica/malloc.h); on the host, the C library's */
#include <mica/string.h>

struct ofile *ofile_new(uint32_t kind, uint32_t flags, struct vnode *node)
{
    struct ofile *f = calloc(1, sizeof *f);
    if (!f)
        return 0;
    f->kind = kind;
    f->flags = flags;
    f->node = node;
    if (node)
        vnode_get(node);
    return f;
}

struct ofile *ofile_new_pipe(struct pipe *p, bool write, uint32_t extra)
{
    struct ofile *f = ofile_new(OFILE_PIPE, (write ? LINUX_O_WRONLY : LINUX_O_RDONLY) | extra, 0);
    if (!f)
        return 0;
    f->pipe = p;
    pipe_open_end(p, write);
    return f;
}

static void ofile_put(struct ofile *f)
{
    if (--f->refs)
        return;
    uint32_t acc = f->flags & LINUX_O_ACCMODE;
    if (f->pipe && acc != LINUX_O_WRONLY) /* may wake the other end's waiting calls */
        pipe_close_end(f->pipe, false);
    if (f->pipe && acc != LINUX_O_RDONLY) /* (a FIFO opened O_RDWR is both ends) */
        pipe_close_end(f->pipe, true);
    if (f->node) /* after the pipe: a FIFO's pipe clears the node's link to it as it goes */
        vnode_put(f->node);
    free(f);
}

void ofile_discard(struct ofile *f)
{
    f->refs = 1;
    ofile_put(f);
}

int fdtable_init(struct fdtable *t, bool with_console)
{
    memset(t, 0, sizeof *t);
    if (!with_console)
        return 0;
    static const uint32_t modes[3] = {LINUX_O_RDONLY, LINUX_O_WRONLY, LINUX_O_WRONLY};
    for (int fd = 0; fd < 3; fd++) {
        struct ofile *f = ofile_new(OFILE_CONSOLE, modes[fd] | LINUX_O_LARGEFILE, 0);
        if (!f || fdtable_install(t, f, fd, false) != fd) {
            fdtable_clear(t);
            return -LINUX_ENOMEM;
        }
    }
    return 0;
}

void fdtable_clear(struct fdtable *t)
{
    for (int fd = 0; fd < FD_MAX; fd++)
        fdtable_close(t, fd);
}

/* The first descriptor that cannot be made. */
static int64_t top(const struct fdtable *t)
{
    return t->limit && t->limit < FD_MAX ? t->limit : FD_MAX;
}

void fdtable_copy(struct fdtable *dst, const struct fdtable *src)
{
    dst->limit = src->limit;
    for (int fd = 0; fd < FD_MAX; fd++) {
        dst->fd[fd] = src->fd[fd];
        dst->cloexec[fd] = src->fd[fd] ? src->cloexec[fd] : false;
        if (dst->fd[fd])
            dst->fd[fd]->refs++;
    }
}

void fdtable_exec(struct fdtable *t)
{
    for (int fd = 0; fd < FD_MAX; fd++)
        if (t->fd[fd] && t->cloexec[fd])
            fdtable_close(t, fd);
}

struct ofile *fdtable_get(const struct fdtable *t, int64_t fd)
{
    if (fd < 0 || fd >= FD_MAX)
        return 0;
    return t->fd[fd];
}

int fdtable_install(struct fdtable *t, struct ofile *f, int64_t min, bool cloexec)
{
    for (int64_t fd = min < 0 ? 0 : min; fd < top(t); fd++) {
        if (!t->fd[fd]) {
            t->fd[fd] = f;
            t->cloexec[fd] = cloexec;
            f->refs++;
            return (int)fd;
        }
    }
    if (f->refs == 0) /* nobody else has it: it was new */
        ofile_discard(f);
    return -LINUX_EMFILE;
}

int fdtable_close(struct fdtable *t, int64_t fd)
{
    struct ofile *f = fdtable_get(t, fd);
    if (!f)
        return -LINUX_EBADF;
    t->fd[fd] = 0;
    t->cloexec[fd] = false;
    ofile_put(f);
    return 0;
}

int fdtable_dup(struct fdtable *t, int64_t fd, int64_t min, bool cloexec)
{
    struct ofile *f = fdtable_get(t, fd);
    if (!f)
        return -LINUX_EBADF;
    if (min < 0 || min >= top(t))
        return -LINUX_EINVAL;
    return fdtable_install(t, f, min, cloexec);
}

int fdtable_dup3(struct fdtable *t, int64_t oldfd, int64_t newfd, int64_t flags)
{
    bool dup2 = flags < 0;
    if (!dup2 && (flags & ~(int64_t)LINUX_O_CLOEXEC))
        return -LINUX_EINVAL;
    if (!dup2 && oldfd == newfd)
        return -LINUX_EINVAL;
    struct ofile *f = fdtable_get(t, oldfd);
    if (!f || newfd < 0 || newfd >= top(t))
        return -LINUX_EBADF;
    if (oldfd == newfd)
        return (int)newfd; /* dup2 of a descriptor onto itself: nothing changes */
    f->refs++;             /* held across the close, in case newfd was its only other descriptor */
    fdtable_close(t, newfd);
    t->fd[newfd] = f;
    t->cloexec[newfd] = !dup2 && (flags & LINUX_O_CLOEXEC);
    return (int)newfd;
}
