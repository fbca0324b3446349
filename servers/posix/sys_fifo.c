/*
 * sys_fifo.c - named pipes (FIFOs): mknodat and mknod, and opening a FIFO
 * (concepts: named pipes, inter-process communication through the file
 * system).
 *
 * A FIFO is a node of the file system (type S_IFIFO) that stands for a
 * pipe: every open of it shares the one pipe (pipe.c) its node points to
 * (vnode.fifo), made at the first open and gone with its last open file,
 * and with it any bytes not read - as on Linux.  A read-only open is the
 * read end, a write-only open the write end, and an O_RDWR open both (it
 * never waits).  Reading and writing are the pipe's (sys_pipe.c): a read
 * with no writer left sees end of file, a write with no reader EPIPE.
 *
 * Opening waits until the other side is there, as on Linux: a read-only
 * open for a writer, a write-only open for a reader - without blocking the
 * server: the call waits as a pipe read does (sys_pipe.c's pipe_wait) and
 * runs again whenever the pipe changes.  Meanwhile it counts as the end it
 * opens (as Linux counts a waiting opener), so that the other side's open
 * finds it and goes ahead, and wakes it.  With O_NONBLOCK a read-only open
 * goes ahead at once and a write-only one without a reader is ENXIO.  A
 * process that ends while its open waits stops counting (fifo_cancel).
 */
#include "posix.h"
#include "syscalls.h"

static void changed(struct pipe *pp)
{
    if (pipe_on_change) /* the other side's waiting opens (and reads) go on */
        pipe_on_change(pp);
}

void fifo_cancel(struct process *p)
{
    struct vnode *n = p->fifo_wait;
    if (!n)
        return;
    p->fifo_wait = 0;
    pipe_close_end(n->fifo, p->fifo_wait_write); /* may free the pipe: before the node goes */
    vnode_put(n);
}

/* The open of n as one end (write: the write end) waits for the other side. */
static int64_t wait_other_side(struct process *p, struct vnode *n, bool write)
{
    if (!p->fifo_wait) { /* the first time: count as that end from now on */
        if (!n->fifo) {
            if (!(n->fifo = pipe_new()))
                return -LINUX_ENOMEM;
            n->fifo->link = &n->fifo;
        }
        pipe_open_end(n->fifo, write);
        vnode_get(n);
        p->fifo_wait = n;
        p->fifo_wait_write = write;
        changed(n->fifo);
    }
    int64_t r = pipe_wait(p, n->fifo);
    if (r != POSIX_DEFERRED)
        fifo_cancel(p);
    return r;
}

int64_t fifo_open(struct process *p, struct vnode *n, uint32_t flags, bool cloexec)
{
    uint32_t acc = flags & LINUX_O_ACCMODE;
    bool write = acc == LINUX_O_WRONLY, nonblock = (flags & LINUX_O_NONBLOCK) != 0;
    struct pipe *pp = n->fifo;
    uint32_t others = !pp ? 0 : write ? pp->readers : pp->writers;
    if (acc != LINUX_O_RDWR && others == 0 && (write || !nonblock)) {
        if (nonblock)
            return -LINUX_ENXIO; /* a writer that may not wait for a reader */
        return wait_other_side(p, n, write);
    }
    struct ofile *f = ofile_new(OFILE_PIPE, flags, n);
    if (!f) {
        fifo_cancel(p);
        return -LINUX_ENOMEM;
    }
    if (!pp) { /* (never when it waited: its count kept the pipe) */
        if (!(pp = pipe_new())) {
            ofile_discard(f);
            return -LINUX_ENOMEM;
        }
        pp->link = &n->fifo;
        n->fifo = pp;
    }
    f->pipe = pp;
    if (acc != LINUX_O_WRONLY)
        pipe_open_end(pp, false);
    if (acc != LINUX_O_RDONLY)
        pipe_open_end(pp, true);
    fifo_cancel(p); /* if it waited: the open file counts now */
    changed(pp);
    return fdtable_install(&p->files, f, 0, cloexec);
}

/*
 * mknodat(dirfd, path, mode, dev): a FIFO (S_IFIFO) or an empty regular file (S_IFREG or
 * type 0), with the permission bits less the umask.  A directory EPERM (mkdir makes those);
 * device nodes and sockets EPERM (see docs/linux-abi.md); another type EINVAL.  Then as
 * creating any name: EEXIST, ENOENT, ENOTDIR, EACCES (vfs_create).
 */
static int64_t do_mknod(struct process *p, int64_t dirfd, uint64_t path, uint32_t mode)
{
    uint32_t type = mode & VFS_S_IFMT;
    switch (type) {
    case 0:
    case VFS_S_IFREG:
        type = VFS_S_IFREG;
        break;
    case VFS_S_IFIFO:
        break;
    case 0060000: /* S_IFBLK */
    case VFS_S_IFCHR:
    case 0140000: /* S_IFSOCK */
    case VFS_S_IFDIR:
        return -LINUX_EPERM;
    default:
        return -LINUX_EINVAL;
    }
    struct vnode *dir, *n;
    char name[VFS_NAME_MAX + 1];
    bool slash;
    int err = fs_parent_at(p, dirfd, path, &dir, name, &slash);
    if (err < 0)
        return err;
    if (slash) /* "name/" names a directory, which this does not make */
        return vfs_child(dir, name) ? -LINUX_EEXIST : -LINUX_ENOENT;
    return vfs_create(&posix.vfs, dir, name, type | (mode & ~p->umask & 07777), &n);
}

int64_t sys_mknodat(struct process *p, const uint64_t *a)
{
    return do_mknod(p, (int32_t)a[0], a[1], (uint32_t)a[2]);
}

int64_t sys_mknod(struct process *p, const uint64_t *a)
{
    return do_mknod(p, LINUX_AT_FDCWD, a[0], (uint32_t)a[1]);
}
