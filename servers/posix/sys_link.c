/*
 * sys_link.c - the system calls that make and change names: symlink,
 * symlinkat, readlink, readlinkat, link, linkat, rename, renameat,
 * renameat2; and statfs, fstatfs (concepts: symbolic and hard links, the
 * directory entry as a name for an inode, atomic rename, mounted file
 * systems).
 *
 * The tree itself changes in vfs.c (vfs_symlink, vfs_link, vfs_rename),
 * which knows Linux's error rules; here the paths are copied from the
 * program and resolved the way Linux resolves them for each call: the
 * last component of a new name is not followed, nor is the old name of
 * link (unless AT_SYMLINK_FOLLOW) or rename.  Calls with two paths copy
 * them into two buffers.
 */
#include "posix.h"
#include "syscalls.h"
#include "usercopy.h"
#include <mica/string.h>

static char old_buf[VFS_PATH_MAX], new_buf[VFS_PATH_MAX];

/*
 * Where a new entry (not a directory) named by path goes: *dir and name.
 * Linux's rules for a name to create: "." or "..", or an existing entry,
 * -EEXIST; a trailing '/' on a missing name, -ENOENT.
 */
static int new_entry(struct vnode *start, const char *path, struct vnode **dir, char *name)
{
    bool slash;
    int err = vfs_lookup_parent(&posix.vfs, start, path, dir, name, &slash);
    if (err < 0)
        return err;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || vfs_child(*dir, name))
        return -LINUX_EEXIST;
    return slash || vfs_names_fixed(*dir) ? -LINUX_ENOENT : 0;
}

/* symlinkat(target, newdirfd, linkpath) */
static int64_t do_symlink(struct process *p, uint64_t target, int64_t dirfd, uint64_t path)
{
    int64_t len = user_read_string(&p->mem, old_buf, sizeof old_buf, target);
    if (len < 0)
        return len;
    if (len == 0)
        return -LINUX_ENOENT;
    struct vnode *start = 0, *dir, *n;
    char name[VFS_NAME_MAX + 1];
    int err = path_copy_start(p, dirfd, path, new_buf, &start);
    if (err < 0 || (err = new_entry(start, new_buf, &dir, name)) < 0)
        return err;
    return vfs_symlink(&posix.vfs, dir, name, old_buf, &n);
}

int64_t sys_symlinkat(struct process *p, const uint64_t *a)
{
    return do_symlink(p, a[0], (int32_t)a[1], a[2]);
}

int64_t sys_symlink(struct process *p, const uint64_t *a)
{
    return do_symlink(p, a[0], LINUX_AT_FDCWD, a[1]);
}

/* readlinkat(dirfd, path, buf, size): the target's bytes (no NUL), at most size of them. */
static int64_t do_readlink(struct process *p, int64_t dirfd, uint64_t path, uint64_t buf,
                           int64_t size)
{
    if (size <= 0)
        return -LINUX_EINVAL;
    struct vnode *start = 0, *n;
    int err = path_copy_start(p, dirfd, path, old_buf, &start);
    if (err < 0)
        return err;
    if (old_buf[0] == 0)
        return -LINUX_ENOENT; /* an empty path names dirfd itself, never a link here */
    if ((err = vfs_resolve(&posix.vfs, start, old_buf, false, &n)) < 0)
        return err;
    if (!vnode_is_link(n))
        return -LINUX_EINVAL;
    uint64_t len = n->size < (uint64_t)size ? n->size : (uint64_t)size;
    if (user_write(&p->mem, buf, n->data, len) < 0)
        return -LINUX_EFAULT;
    return (int64_t)len;
}

int64_t sys_readlinkat(struct process *p, const uint64_t *a)
{
    return do_readlink(p, (int32_t)a[0], a[1], a[2], (int32_t)a[3]);
}

int64_t sys_readlink(struct process *p, const uint64_t *a)
{
    return do_readlink(p, LINUX_AT_FDCWD, a[0], a[1], (int32_t)a[2]);
}

/* The node linkat's old path names: with AT_EMPTY_PATH and "", dirfd's own file (pipes and
 * the console of descriptors 0-2 are on other file systems in Linux: EXDEV). */
static int link_source(struct process *p, int64_t dirfd, uint64_t path, uint64_t flags,
                       struct vnode **n)
{
    struct vnode *start = 0;
    int err = path_copy_start(p, dirfd, path, old_buf, &start);
    bool copied = err == 0 || err == -LINUX_ENOTDIR || err == -LINUX_EBADF;
    bool empty = copied && old_buf[0] == 0 && (flags & LINUX_AT_EMPTY_PATH);
    if (empty && dirfd == LINUX_AT_FDCWD) {
        *n = p->cwd;
        return 0;
    }
    if (empty) {
        struct ofile *f = fdtable_get(&p->files, dirfd);
        if (!f)
            return -LINUX_EBADF;
        if (!f->node)
            return -LINUX_EXDEV; /* a pipe, the console of descriptors 0-2 */
        *n = f->node;
        return 0;
    }
    if (err < 0)
        return err;
    return vfs_resolve(&posix.vfs, start, old_buf, (flags & LINUX_AT_SYMLINK_FOLLOW) != 0, n);
}

/* linkat(olddirfd, oldpath, newdirfd, newpath, flags) */
static int64_t do_link(struct process *p, int64_t olddirfd, uint64_t oldpath, int64_t newdirfd,
                       uint64_t newpath, uint64_t flags)
{
    if (flags & ~(uint64_t)(LINUX_AT_SYMLINK_FOLLOW | LINUX_AT_EMPTY_PATH))
        return -LINUX_EINVAL;
    struct vnode *n, *start = 0, *dir;
    char name[VFS_NAME_MAX + 1];
    int err = link_source(p, olddirfd, oldpath, flags, &n);
    if (err < 0 || (err = path_copy_start(p, newdirfd, newpath, new_buf, &start)) < 0 ||
        (err = new_entry(start, new_buf, &dir, name)) < 0)
        return err;
    return vfs_link(&posix.vfs, n, dir, name);
}

int64_t sys_linkat(struct process *p, const uint64_t *a)
{
    return do_link(p, (int32_t)a[0], a[1], (int32_t)a[2], a[3], (uint32_t)a[4]);
}

int64_t sys_link(struct process *p, const uint64_t *a)
{
    return do_link(p, LINUX_AT_FDCWD, a[0], LINUX_AT_FDCWD, a[1], 0);
}

/* renameat2(olddirfd, oldpath, newdirfd, newpath, flags) */
static int64_t do_rename(struct process *p, int64_t olddirfd, uint64_t oldpath, int64_t newdirfd,
                         uint64_t newpath, uint64_t flags)
{
    const uint64_t both = LINUX_RENAME_NOREPLACE | LINUX_RENAME_EXCHANGE;
    if ((flags & ~both) || (flags & both) == both)
        return -LINUX_EINVAL; /* RENAME_WHITEOUT too: no overlay file systems here */
    struct vnode *ostart = 0, *nstart = 0, *odir, *ndir;
    char oname[VFS_NAME_MAX + 1], nname[VFS_NAME_MAX + 1];
    bool oslash, nslash;
    int err = path_copy_start(p, olddirfd, oldpath, old_buf, &ostart);
    if (err < 0 || (err = path_copy_start(p, newdirfd, newpath, new_buf, &nstart)) < 0)
        return err;
    if ((err = vfs_lookup_parent(&posix.vfs, ostart, old_buf, &odir, oname, &oslash)) < 0 ||
        (err = vfs_lookup_parent(&posix.vfs, nstart, new_buf, &ndir, nname, &nslash)) < 0)
        return err;
    return vfs_rename(&posix.vfs, odir, oname, oslash, ndir, nname, nslash, (uint32_t)flags);
}

int64_t sys_renameat2(struct process *p, const uint64_t *a)
{
    return do_rename(p, (int32_t)a[0], a[1], (int32_t)a[2], a[3], (uint32_t)a[4]);
}

int64_t sys_renameat(struct process *p, const uint64_t *a)
{
    return do_rename(p, (int32_t)a[0], a[1], (int32_t)a[2], a[3], 0);
}

int64_t sys_rename(struct process *p, const uint64_t *a)
{
    return do_rename(p, LINUX_AT_FDCWD, a[0], LINUX_AT_FDCWD, a[1], 0);
}

/* ---- statfs ---- */

/* The kernel's struct statfs on x86-64 (asm-generic/statfs.h): 120 bytes. */
struct linux_statfs {
    int64_t type, bsize;
    uint64_t blocks, bfree, bavail, files, ffree;
    int32_t fsid[2];
    int64_t namelen, frsize, flags, spare[4];
};

#define ST_VALID    0x20 /* f_flags holds the mount flags (linux/statfs.h) */
#define ST_RELATIME 0x400

/* What statfs says about file system fs: the server's heap has no fixed size, so the block
 * and inode counts are 0, as Linux's procfs and an unlimited tmpfs report. */
static int64_t statfs_out(struct process *p, const struct vfs_fs *fs, uint64_t buf)
{
    struct linux_statfs st;
    memset(&st, 0, sizeof st);
    st.type = (int64_t)fs->magic;
    st.bsize = st.frsize = 4096;
    st.namelen = VFS_NAME_MAX;
    st.flags = ST_VALID | ST_RELATIME;
    return user_write(&p->mem, buf, &st, sizeof st);
}

int64_t sys_statfs(struct process *p, const uint64_t *a)
{
    struct vnode *start = 0, *n;
    int err = path_copy_start(p, LINUX_AT_FDCWD, a[0], old_buf, &start);
    if (err < 0 || (err = vfs_lookup(&posix.vfs, start, old_buf, &n)) < 0)
        return err;
    return statfs_out(p, n->fs, a[1]);
}

int64_t sys_fstatfs(struct process *p, const uint64_t *a)
{
    struct ofile *f = fdtable_get(&p->files, (int32_t)a[0]);
    if (!f)
        return -LINUX_EBADF;
    /* pipes and the console of descriptors 0-2: counted as the root file system's (Linux:
     * pipefs, devpts) */
    return statfs_out(p, f->node ? f->node->fs : &posix.vfs.fs[0], a[1]);
}
