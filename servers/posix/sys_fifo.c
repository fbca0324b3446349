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
 * server: the call blocks (block.h) on the node's FIFO channel and runs
 * again, path and all, when an open of the other side wakes it.  An open
 * that is waiting counts for the other side as if it were open already (as
 * Linux counts a waiting opener): a writer finds a reader waiting, goes
 * ahead and wakes it, so the two never wait for each other.  The waiting
 * opens are found in the wait list itself (block_first_waiter), so a
 * process that ends while its open waits leaves nothing to undo.  With
 * O_NONBLOCK a read-only open goes ahead at once and a write-only one
 * without a reader is ENXIO.
 */
#include "posix.h"
#include "block.h"
#include "syscalls.h"

/* What the opens of n wait on. */
static const void *channel(const struct vnode *n)
{
    return &n->fifo;
}

/* Does t wait to open the FIFO for writing (write 1) or for reading (write 0)? */
static bool waits_to(const struct task *t, uint64_t write)
{
    return t->fifo_write == (write != 0);
}

/* Readers (writers) of n: the open files, and the opens waiting for the other side. */
static bool has_end(const struct vnode *n, bool write)
{
    const struct pipe *pp = n->fifo;
    if (pp && (write ? pp->writers : pp->readers))
        return true;
    return block_first_waiter(channel(n), waits_to, write) != 0;
}

int64_t fifo_open(struct process *p, struct vnode *n, uint32_t flags, bool cloexec)
{
    uint32_t acc = flags & LINUX_O_ACCMODE;
    bool write = acc == LINUX_O_WRONLY, nonblock = (flags & LINUX_O_NONBLOCK) != 0;
    if (acc != LINUX_O_RDWR && !has_end(n, !write) && (write || !nonblock)) {
        if (nonblock)
            return -LINUX_ENXIO; /* a writer that may not wait for a reader */
        task_current()->fifo_write = write;
        return posix_block(p, channel(n), 0);
    }
    struct ofile *f = ofile_new(OFILE_PIPE, flags, n);
    if (!f)
        return -LINUX_ENOMEM;
    struct pipe *pp = n->fifo;
    if (!pp) {
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
    posix_wakeup(channel(n)); /* the other side's waiting opens go on */
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
