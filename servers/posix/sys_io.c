/*
 * sys_io.c - read, write, readv, writev, pread64, pwrite64, lseek and
 * ioctl on file descriptors (concepts: file descriptors, the file offset,
 * the terminal as a file, copying through user pointers).
 *
 * A descriptor's open file (fdtable.h) is the terminal (OFILE_CONSOLE,
 * tty.h: reads, writes and ioctls go there), a pipe or a node of the VFS
 * (vfs.h).  The terminal has no offset (lseek, pread, pwrite: ESPIPE).  A regular file
 * is read and written at the open file's offset (shared by dups), or at
 * the end with O_APPEND.  Data moves in chunks through a buffer of the
 * server: if a chunk of the program's buffer cannot be read (written), the
 * call returns what it moved so far, or -EFAULT if that is nothing, as
 * Linux does.
 */
#include "posix.h"
#include "syscalls.h"
#include "usercopy.h"
#include "tty.h"
#include "chardev.h"
#include <mica/string.h>

#define IOV_MAX 1024 /* UIO_MAXIOV (linux/uio.h) */
#define CHUNK   4096 /* bytes a file read or write moves at a time */

static bool readable(const struct ofile *f)
{
    return (f->flags & LINUX_O_ACCMODE) != LINUX_O_WRONLY;
}

static bool writable(const struct ofile *f)
{
    return (f->flags & LINUX_O_ACCMODE) != LINUX_O_RDONLY;
}

/* Read from a file's node at *off into the program's buf; *off advances. */
static int64_t file_read_into(struct process *p, struct vnode *n, uint64_t buf, uint64_t len,
                              uint64_t *off)
{
    static uint8_t chunk[CHUNK];
    uint64_t done = 0;
    if (vnode_is_dir(n))
        return -LINUX_EISDIR;
    while (done < len) {
        uint64_t want = len - done < CHUNK ? len - done : CHUNK;
        uint64_t got = vfs_read(n, chunk, *off, want);
        if (got == 0)
            break;
        if (user_write(&p->mem, buf + done, chunk, got) < 0)
            return done ? (int64_t)done : -LINUX_EFAULT;
        done += got;
        *off += got;
        if (got < want)
            break;
    }
    return (int64_t)done;
}

/* Write the program's buf to a file's node at *off (at its end with append); *off advances. */
static int64_t file_write_from(struct process *p, struct vnode *n, uint64_t buf, uint64_t len,
                               uint64_t *off, bool append)
{
    static uint8_t chunk[CHUNK];
    uint64_t done = 0;
    if (n->fs->fill)
        return -LINUX_EIO; /* procfs's files are made by the server, not written */
    if (append)
        *off = n->size;
    while (done < len) {
        uint64_t want = len - done < CHUNK ? len - done : CHUNK;
        if (user_read(&p->mem, chunk, buf + done, want) < 0)
            return done ? (int64_t)done : -LINUX_EFAULT;
        int64_t w = vfs_write(&posix.vfs, n, chunk, *off, want);
        if (w < 0)
            return done ? (int64_t)done : w;
        done += want;
        *off += want;
    }
    return (int64_t)done;
}

/* One read: at the open file's offset (off NULL) or at *off (pread). */
static int64_t do_read(struct process *p, int64_t fd, uint64_t buf, uint64_t len, uint64_t *off)
{
    struct ofile *f = fdtable_get(&p->files, fd);
    if (!f || !readable(f))
        return -LINUX_EBADF;
    if ((int64_t)len < 0)
        len = INT64_MAX;
    if (f->kind == OFILE_CONSOLE)
        return off ? -LINUX_ESPIPE : tty_read(p, f, buf, len);
    if (f->kind == OFILE_PIPE)
        return off ? -LINUX_ESPIPE : pipe_read_iov(p, f, &(struct linux_iovec){buf, len}, 1, len);
    if (f->kind == OFILE_DEVICE)
        return chardev_read(p, f, buf, len);
    return file_read_into(p, f->node, buf, len, off ? off : &f->offset);
}

static int64_t do_write(struct process *p, int64_t fd, uint64_t buf, uint64_t len, uint64_t *off)
{
    struct ofile *f = fdtable_get(&p->files, fd);
    if (!f || !writable(f))
        return -LINUX_EBADF;
    if ((int64_t)len < 0)
        len = INT64_MAX;
    if (f->kind == OFILE_CONSOLE)
        return off ? -LINUX_ESPIPE : tty_write(p, buf, len);
    if (f->kind == OFILE_PIPE)
        return off ? -LINUX_ESPIPE : pipe_write_iov(p, f, &(struct linux_iovec){buf, len}, 1, len);
    if (f->kind == OFILE_DEVICE)
        return chardev_write(p, f, buf, len);
    /* Linux appends with O_APPEND even for pwrite (a known difference from POSIX). */
    uint64_t at = f->offset;
    int64_t r = file_write_from(p, f->node, buf, len, off ? off : &at, f->flags & LINUX_O_APPEND);
    if (!off)
        f->offset = at;
    return r;
}

int64_t sys_read(struct process *p, const uint64_t *a)
{
    return do_read(p, (int64_t)a[0], a[1], a[2], 0);
}

int64_t sys_write(struct process *p, const uint64_t *a)
{
    return do_write(p, (int64_t)a[0], a[1], a[2], 0);
}

int64_t sys_pread64(struct process *p, const uint64_t *a)
{
    uint64_t off = a[3];
    if ((int64_t)off < 0)
        return fdtable_get(&p->files, (int64_t)a[0]) ? -LINUX_EINVAL : -LINUX_EBADF;
    return do_read(p, (int64_t)a[0], a[1], a[2], &off);
}

int64_t sys_pwrite64(struct process *p, const uint64_t *a)
{
    uint64_t off = a[3];
    if ((int64_t)off < 0)
        return fdtable_get(&p->files, (int64_t)a[0]) ? -LINUX_EINVAL : -LINUX_EBADF;
    return do_write(p, (int64_t)a[0], a[1], a[2], &off);
}

/* readv and writev: each vector in turn, stopping at a short transfer. */
static int64_t vectored(struct process *p, const uint64_t *a, bool write)
{
    int64_t cnt = (int64_t)a[2];
    struct ofile *f = fdtable_get(&p->files, (int64_t)a[0]);
    if (!f || !(write ? writable(f) : readable(f)))
        return -LINUX_EBADF;
    if (cnt < 0 || cnt > IOV_MAX)
        return -LINUX_EINVAL;
    static struct linux_iovec iov[IOV_MAX];
    if (user_read(&p->mem, iov, a[1], (uint64_t)cnt * sizeof iov[0]) < 0)
        return -LINUX_EFAULT;
    uint64_t total = 0;
    for (int64_t i = 0; i < cnt; i++) {
        if (iov[i].len > INT64_MAX - total)
            return -LINUX_EINVAL;
        total += iov[i].len;
    }
    if (f->kind == OFILE_PIPE) /* all vectors at once: a pipe's write may be atomic, or wait */
        return write ? pipe_write_iov(p, f, iov, cnt, total) : pipe_read_iov(p, f, iov, cnt, total);
    int64_t done = 0;
    for (int64_t i = 0; i < cnt; i++) {
        int64_t r = write ? do_write(p, (int64_t)a[0], iov[i].base, iov[i].len, 0)
                          : do_read(p, (int64_t)a[0], iov[i].base, iov[i].len, 0);
        if (r < 0)
            return done ? done : r;
        done += r;
        if ((uint64_t)r < iov[i].len || (f->kind == OFILE_CONSOLE && !write))
            break; /* a terminal read takes what one read gives (it may not wait again) */
    }
    return done;
}

int64_t sys_readv(struct process *p, const uint64_t *a)
{
    return vectored(p, a, false);
}

int64_t sys_writev(struct process *p, const uint64_t *a)
{
    return vectored(p, a, true);
}

/* lseek(fd, offset, whence): the new offset; a directory's offset counts entries. */
int64_t sys_lseek(struct process *p, const uint64_t *a)
{
    struct ofile *f = fdtable_get(&p->files, (int64_t)a[0]);
    int64_t off = (int64_t)a[1], base;
    if (!f)
        return -LINUX_EBADF;
    if (f->kind == OFILE_CONSOLE || f->kind == OFILE_PIPE)
        return -LINUX_ESPIPE;
    if (f->kind == OFILE_DEVICE)
        return 0; /* the memory devices stay at 0, as Linux's null and zero */
    switch (a[2]) {
    case LINUX_SEEK_SET:
        base = 0;
        break;
    case LINUX_SEEK_CUR:
        base = (int64_t)f->offset;
        break;
    case LINUX_SEEK_END:
        base = vnode_is_dir(f->node) ? (int64_t)f->node->nents + 2 : (int64_t)f->node->size;
        break;
    default:
        return -LINUX_EINVAL;
    }
    if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
        return -LINUX_EINVAL;
    f->offset = (uint64_t)(base + off);
    return (int64_t)f->offset;
}

int64_t sys_ioctl(struct process *p, const uint64_t *a)
{
    struct ofile *f = fdtable_get(&p->files, (int64_t)a[0]);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != OFILE_CONSOLE)
        return -LINUX_ENOTTY;
    return tty_ioctl(p, (uint32_t)a[1], a[2]);
}

/*
 * sendfile(out_fd, in_fd, offset, count): the descriptors are checked (EBADF: in_fd not open
 * for reading, out_fd not open for writing), then the call answers EINVAL - what Linux says
 * when in_fd cannot be mapped - so that C libraries and busybox copy with read and write
 * instead, which gives the same bytes.
 */
int64_t sys_sendfile(struct process *p, const uint64_t *a)
{
    struct ofile *out = fdtable_get(&p->files, (int32_t)a[0]);
    struct ofile *in = fdtable_get(&p->files, (int32_t)a[1]);
    if (!in || !readable(in) || !out || !writable(out))
        return -LINUX_EBADF;
    return -LINUX_EINVAL;
}
