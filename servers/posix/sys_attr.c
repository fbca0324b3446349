/*
 * sys_attr.c - the calls that change a file's attributes: chmod, fchmod,
 * fchmodat, chown, fchown, lchown, fchownat, utimensat, utimes,
 * futimesat, truncate, and fsync/fdatasync (concepts: file attributes,
 * ownership, discretionary access control).
 *
 * Who may change what, as on Linux: the mode only the owner or root
 * (EPERM), and a set-group-ID bit is dropped when the caller is not in the
 * file's group; the owner only root, the group the owner to one of its
 * own groups (EPERM); changing either drops a regular file's set-user-ID
 * bit (and set-group-ID if group-executable).  The times: setting them to
 * "now" needs ownership or write permission (EACCES), setting explicit
 * times ownership (EPERM).  truncate needs write permission (EACCES).
 * Root here is the file-system uid 0 (cred.h).  Every change sets ctime.
 */
#include "perm.h"
#include "posix.h"
#include "syscalls.h"
#include "usercopy.h"

#define NS 1000000000ull

static void changed(struct vnode *n)
{
    n->ctime_ns = posix.vfs.now_ns ? posix.vfs.now_ns() : 0;
}

/* ---- chmod ---- */

static int64_t do_chmod(struct process *p, struct vnode *n, uint32_t mode)
{
    if (!perm_owner(&p->cred, n->uid))
        return -LINUX_EPERM;
    mode &= 07777;
    if (p->cred.fsuid != 0 && !cred_in_group(&p->cred, n->gid))
        mode &= ~(uint32_t)LINUX_S_ISGID;
    n->mode = (n->mode & VFS_S_IFMT) | mode;
    changed(n);
    return 0;
}

int64_t sys_fchmodat(struct process *p, const uint64_t *a)
{
    struct vnode *n;
    int err = fs_node_at(p, (int32_t)a[0], a[1], false, true, &p->cred, &n);
    return err < 0 ? err : do_chmod(p, n, (uint32_t)a[2]);
}

int64_t sys_chmod(struct process *p, const uint64_t *a)
{
    const uint64_t b[3] = {(uint64_t)LINUX_AT_FDCWD, a[0], a[1]};
    return sys_fchmodat(p, b);
}

int64_t sys_fchmod(struct process *p, const uint64_t *a)
{
    struct vnode *n;
    int err = fs_fd_node(p, (int32_t)a[0], &n);
    return err < 0 ? err : do_chmod(p, n, (uint32_t)a[1]);
}

/* ---- chown ---- */

static int64_t do_chown(struct process *p, struct vnode *n, uint32_t uid, uint32_t gid)
{
    const struct cred *c = &p->cred;
    bool root = c->fsuid == 0;
    if (uid != CRED_NONE && !root && !(c->fsuid == n->uid && uid == n->uid))
        return -LINUX_EPERM;
    if (gid != CRED_NONE && !root &&
        !(c->fsuid == n->uid && (gid == n->gid || cred_in_group(c, gid))))
        return -LINUX_EPERM;
    if (uid != CRED_NONE)
        n->uid = uid;
    if (gid != CRED_NONE)
        n->gid = gid;
    if (!vnode_is_dir(n)) {
        n->mode &= ~(uint32_t)LINUX_S_ISUID;
        if (n->mode & 0010) /* S_IXGRP: set-group-ID is a set-id bit, not a locking mark */
            n->mode &= ~(uint32_t)LINUX_S_ISGID;
    }
    changed(n);
    return 0;
}

int64_t sys_fchownat(struct process *p, const uint64_t *a)
{
    uint64_t flags = a[4];
    struct vnode *n;
    if (flags & ~(uint64_t)(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH))
        return -LINUX_EINVAL;
    int err = fs_node_at(p, (int32_t)a[0], a[1], (flags & LINUX_AT_EMPTY_PATH) != 0,
                         !(flags & LINUX_AT_SYMLINK_NOFOLLOW), &p->cred, &n);
    return err < 0 ? err : do_chown(p, n, (uint32_t)a[2], (uint32_t)a[3]);
}

/* chown (a symbolic link is followed) and lchown (the link itself) */
int64_t sys_chown(struct process *p, const uint64_t *a)
{
    const uint64_t b[5] = {(uint64_t)LINUX_AT_FDCWD, a[0], a[1], a[2], 0};
    return sys_fchownat(p, b);
}

int64_t sys_lchown(struct process *p, const uint64_t *a)
{
    const uint64_t b[5] = {(uint64_t)LINUX_AT_FDCWD, a[0], a[1], a[2], LINUX_AT_SYMLINK_NOFOLLOW};
    return sys_fchownat(p, b);
}

int64_t sys_fchown(struct process *p, const uint64_t *a)
{
    struct vnode *n;
    int err = fs_fd_node(p, (int32_t)a[0], &n);
    return err < 0 ? err : do_chown(p, n, (uint32_t)a[1], (uint32_t)a[2]);
}

/* ---- times ---- */

/* struct timespec and struct timeval (64-bit fields on x86-64). */
static bool nsec_valid(int64_t nsec)
{
    return nsec == LINUX_UTIME_NOW || nsec == LINUX_UTIME_OMIT || (nsec >= 0 && nsec < (int64_t)NS);
}

/* Set n's times: t NULL (both now) or two timespecs with UTIME_NOW / UTIME_OMIT. */
static int64_t set_times(struct process *p, struct vnode *n, const struct linux_timespec *t)
{
    if (t && (!nsec_valid(t[0].nsec) || !nsec_valid(t[1].nsec)))
        return -LINUX_EINVAL;
    if (t && t[0].nsec == LINUX_UTIME_NOW && t[1].nsec == LINUX_UTIME_NOW)
        t = 0;
    int err = 0;
    if (!t) { /* "now": the owner, or anyone who may write it */
        if (!perm_owner(&p->cred, n->uid))
            err = perm_node(&p->cred, n, PERM_WRITE);
    } else if (!perm_owner(&p->cred, n->uid)) {
        err = -LINUX_EPERM; /* explicit times: only the owner */
    }
    if (err < 0)
        return err;
    uint64_t now = posix.vfs.now_ns ? posix.vfs.now_ns() : 0;
    uint64_t *field[2] = {&n->atime_ns, &n->mtime_ns};
    for (int i = 0; i < 2; i++) {
        if (!t || t[i].nsec == LINUX_UTIME_NOW)
            *field[i] = now;
        else if (t[i].nsec != LINUX_UTIME_OMIT && t[i].sec < 0)
            return -LINUX_EINVAL; /* before 1970: the tree keeps unsigned times */
        else if (t[i].nsec != LINUX_UTIME_OMIT)
            *field[i] = (uint64_t)t[i].sec * NS + (uint64_t)t[i].nsec;
    }
    n->ctime_ns = now;
    return 0;
}

/* do_utimes: the path form (or, with path NULL and a descriptor, the descriptor's file). */
static int64_t do_utimes(struct process *p, int64_t dirfd, uint64_t path,
                         const struct linux_timespec *t, uint64_t flags)
{
    struct vnode *n;
    int err;
    if (path == 0 && dirfd != LINUX_AT_FDCWD) {
        if (flags)
            return -LINUX_EINVAL;
        err = fs_fd_node(p, dirfd, &n);
    } else {
        if (flags & ~(uint64_t)(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH))
            return -LINUX_EINVAL;
        err = fs_node_at(p, dirfd, path, (flags & LINUX_AT_EMPTY_PATH) != 0,
                         !(flags & LINUX_AT_SYMLINK_NOFOLLOW), &p->cred, &n);
    }
    return err < 0 ? err : set_times(p, n, t);
}

/* utimensat(dirfd, path, times[2], flags) */
int64_t sys_utimensat(struct process *p, const uint64_t *a)
{
    struct linux_timespec t[2];
    if (a[2] && user_read(&p->mem, t, a[2], sizeof t) < 0)
        return -LINUX_EFAULT;
    if (a[2] && t[0].nsec == LINUX_UTIME_OMIT && t[1].nsec == LINUX_UTIME_OMIT)
        return 0; /* nothing to do: Linux does not even look the path up */
    return do_utimes(p, (int32_t)a[0], a[1], a[2] ? t : 0, a[3]);
}

/* futimesat(dirfd, path, struct timeval times[2]) and utimes(path, times) */
int64_t sys_futimesat(struct process *p, const uint64_t *a)
{
    struct linux_timespec t[2]; /* read as timevals (sec, usec), then made timespecs */
    if (a[2]) {
        if (user_read(&p->mem, t, a[2], sizeof t) < 0)
            return -LINUX_EFAULT;
        for (int i = 0; i < 2; i++) {
            if (t[i].nsec < 0 || t[i].nsec >= 1000000)
                return -LINUX_EINVAL;
            t[i].nsec *= 1000;
        }
    }
    return do_utimes(p, (int32_t)a[0], a[1], a[2] ? t : 0, 0);
}

int64_t sys_utimes(struct process *p, const uint64_t *a)
{
    const uint64_t b[3] = {(uint64_t)LINUX_AT_FDCWD, a[0], a[1]};
    return sys_futimesat(p, b);
}

/* ---- truncate, fsync ---- */

/* truncate(path, length): a regular file the caller may write. */
int64_t sys_truncate(struct process *p, const uint64_t *a)
{
    struct vnode *n;
    if ((int64_t)a[1] < 0)
        return -LINUX_EINVAL;
    int err = fs_node_at(p, LINUX_AT_FDCWD, a[0], false, true, &p->cred, &n);
    if (err < 0)
        return err;
    if (vnode_is_dir(n))
        return -LINUX_EISDIR;
    if ((n->mode & VFS_S_IFMT) != VFS_S_IFREG)
        return -LINUX_EINVAL;
    if ((err = perm_node(&p->cred, n, PERM_WRITE)) < 0)
        return err;
    return vfs_truncate(&posix.vfs, n, a[1]);
}

/* fsync(fd) and fdatasync(fd): tmpfs keeps everything in memory, so a file or directory is
 * always on its "disk"; a pipe, a FIFO or the console cannot be synchronised (EINVAL, as
 * Linux). */
int64_t sys_fsync(struct process *p, const uint64_t *a)
{
    struct ofile *f = fdtable_get(&p->files, (int32_t)a[0]);
    if (!f)
        return -LINUX_EBADF;
    return f->kind == OFILE_NODE ? 0 : -LINUX_EINVAL;
}
