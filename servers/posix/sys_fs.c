/*
 * sys_fs.c - the system calls that name files by path, and those that ask
 * about files: openat, open, creat, newfstatat, stat, lstat, fstat,
 * getdents64, mkdirat, mkdir, unlinkat, unlink, rmdir, getcwd, chdir,
 * faccessat, access, umask, ftruncate (concepts: path resolution relative
 * to a directory, file attributes, directory reading).
 *
 * A path is copied from the program (at most VFS_PATH_MAX bytes with its
 * NUL: -EFAULT, -ENAMETOOLONG) and resolved by vfs.c: from the root if it
 * begins with '/', else from the directory of dirfd (AT_FDCWD: the
 * process's working directory).  Every directory searched on the way
 * needs search permission, and creating or removing a name write and
 * search permission on its directory (vfs.c asks perm.c, with the
 * caller's credentials, which path_start hands to the file system); open
 * checks read or write permission on the file it opens, chdir search
 * permission, access and faccessat the permissions asked for, with the
 * real ids unless AT_EACCESS.
 */
#include "perm.h"
#include "posix.h"
#include "syscalls.h"
#include "usercopy.h"
#include "chardev.h"
#include <mica/string.h>

/* The kernel's struct stat on x86-64 (asm/stat.h): 144 bytes. */
struct linux_stat {
    uint64_t dev, ino, nlink;
    uint32_t mode, uid, gid, pad0;
    uint64_t rdev;
    int64_t size, blksize, blocks;
    uint64_t atime, atime_nsec, mtime, mtime_nsec, ctime, ctime_nsec;
    int64_t unused[3];
};

/* struct linux_dirent64 (linux/dirent.h): the fixed part before the name. */
struct linux_dirent64 {
    uint64_t ino;
    int64_t off;
    uint16_t reclen;
    uint8_t type;
} __attribute__((packed));

#define DIRENT_NAME_AT 19    /* offsetof(struct linux_dirent64, d_name) */
#define CONSOLE_RDEV   0x440 /* makedev(4, 64): /dev/ttyS0 */
#define CONSOLE_INO    3     /* the console's inode number (none of the VFS's: those start high) */
#define PIPEFS_DEV     0xd   /* st_dev of pipes: another anonymous device (Linux's pipefs) */

static char path_buf[VFS_PATH_MAX];

/* Copy the path at addr into buf and find where resolution starts: 0 or an error.  The file
 * system checks what follows with p's credentials. */
int path_copy_start(struct process *p, int64_t dirfd, uint64_t addr, char *buf,
                    struct vnode **start)
{
    posix.vfs.cred = &p->cred;
    int64_t len = user_read_string(&p->mem, buf, VFS_PATH_MAX, addr);
    if (len < 0)
        return (int)len;
    if (buf[0] == '/' || dirfd == LINUX_AT_FDCWD) {
        *start = p->cwd;
        return 0;
    }
    struct ofile *f = fdtable_get(&p->files, dirfd);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != OFILE_NODE || !vnode_is_dir(f->node))
        return -LINUX_ENOTDIR;
    *start = f->node;
    return 0;
}

/* Copy the path at addr into path_buf and find where resolution starts: 0 or an error. */
static int path_start(struct process *p, int64_t dirfd, uint64_t addr, struct vnode **start)
{
    return path_copy_start(p, dirfd, addr, path_buf, start);
}

int fs_fd_node(struct process *p, int64_t fd, struct vnode **out)
{
    struct ofile *f = fdtable_get(&p->files, fd);
    if (!f)
        return -LINUX_EBADF;
    if (!f->node)
        return -LINUX_EINVAL; /* a pipe or the console: no node of the file system */
    *out = f->node;
    return 0;
}

int fs_parent_at(struct process *p, int64_t dirfd, uint64_t path, struct vnode **dir, char *name,
                 bool *slash)
{
    struct vnode *start = 0;
    int err = path_start(p, dirfd, path, &start);
    return err < 0 ? err : vfs_lookup_parent(&posix.vfs, start, path_buf, dir, name, slash);
}

int fs_node_at(struct process *p, int64_t dirfd, uint64_t path, bool empty_ok, bool follow,
               const struct cred *c, struct vnode **out)
{
    struct vnode *start = 0;
    int err = path_start(p, dirfd, path, &start);
    bool empty = (err == 0 || err == -LINUX_ENOTDIR) && path_buf[0] == 0;
    if (empty && empty_ok) /* the file of dirfd itself, whatever it is */
        return dirfd == LINUX_AT_FDCWD ? (*out = p->cwd, 0) : fs_fd_node(p, dirfd, out);
    if (err < 0)
        return err;
    posix.vfs.cred = c;
    return vfs_resolve(&posix.vfs, start, path_buf, follow, out);
}

/* Open the node named by path_buf from start (creating it with O_CREAT: *created): 0 and
 * *out.  A symbolic link as the last component is followed, unless O_NOFOLLOW (ELOOP); with
 * O_CREAT a dangling link's target is created (O_EXCL: the link itself counts as existing). */
static int open_node(struct process *p, struct vnode *start, uint32_t flags, uint32_t mode,
                     struct vnode **out, bool *created)
{
    *created = false;
    bool follow = !(flags & LINUX_O_NOFOLLOW);
    if (!(flags & LINUX_O_CREAT)) {
        int err = vfs_resolve(&posix.vfs, start, path_buf, follow, out);
        return err == 0 && vnode_is_link(*out) ? -LINUX_ELOOP : err;
    }
    char name[VFS_NAME_MAX + 1];
    const char *path = path_buf;
    for (uint32_t links = 0;; links++) {
        struct vnode *dir;
        bool slash;
        int err = vfs_lookup_parent(&posix.vfs, start, path, &dir, name, &slash);
        if (err < 0)
            return err;
        if (slash || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            return -LINUX_EISDIR;
        struct vnode *n = vfs_child(dir, name);
        if (n && (flags & LINUX_O_EXCL))
            return -LINUX_EEXIST;
        if (n && vnode_is_link(n)) { /* go on with its target, from the link's directory */
            if (!follow || links == VFS_LINKS_MAX)
                return -LINUX_ELOOP;
            path = (const char *)n->data;
            start = dir;
            continue;
        }
        if (n) {
            *out = n->mounted ? n->mounted : n;
            return vnode_is_dir(n) ? -LINUX_EISDIR : 0;
        }
        if (vfs_names_fixed(dir))
            return -LINUX_ENOENT;
        *created = true;
        return vfs_create(&posix.vfs, dir, name, VFS_S_IFREG | (mode & ~p->umask & 07777), out);
    }
}

/* The permissions opening with flags needs: read, write or both; O_TRUNC writes. */
static unsigned open_wants(uint32_t flags)
{
    uint32_t acc = flags & LINUX_O_ACCMODE;
    unsigned want = acc == LINUX_O_RDONLY   ? PERM_READ
                    : acc == LINUX_O_WRONLY ? PERM_WRITE
                                            : PERM_READ | PERM_WRITE;
    return (flags & LINUX_O_TRUNC) ? want | PERM_WRITE : want;
}

static int64_t do_open(struct process *p, int64_t dirfd, uint64_t path, uint32_t flags,
                       uint32_t mode)
{
    struct vnode *start = 0, *n;
    bool created;
    /* What the open file keeps: the access mode and status flags. */
    uint32_t keep = (flags & ~(uint32_t)(LINUX_O_CREAT | LINUX_O_EXCL | LINUX_O_NOCTTY |
                                         LINUX_O_TRUNC | LINUX_O_CLOEXEC)) |
                    LINUX_O_LARGEFILE;
    bool cloexec = (flags & LINUX_O_CLOEXEC) != 0;
    int err = path_start(p, dirfd, path, &start);
    if (err < 0 || (err = open_node(p, start, flags, mode, &n, &created)) < 0)
        return err;
    bool dir = vnode_is_dir(n);
    if ((flags & LINUX_O_DIRECTORY) && !dir)
        return -LINUX_ENOTDIR;
    if (dir && (flags & LINUX_O_ACCMODE) != LINUX_O_RDONLY)
        return -LINUX_EISDIR;
    /* A file this open made may be written even if its mode says otherwise (creat of 0444). */
    if (!created && (err = perm_node(&p->cred, n, open_wants(flags))) < 0)
        return err;
    uint32_t type = n->mode & VFS_S_IFMT;
    if (type == VFS_S_IFIFO) /* a named pipe (sys_fifo.c) */
        return fifo_open(p, n, keep, cloexec);
    if ((flags & LINUX_O_TRUNC) && type == VFS_S_IFREG &&
        (err = vfs_truncate(&posix.vfs, n, 0)) < 0)
        return err;
    if (type == VFS_S_IFREG && n->fs->fill && (err = n->fs->fill(&posix.vfs, n)) < 0)
        return err; /* a file made when opened (procfs) */
    struct ofile *f = 0;
    if (type == VFS_S_IFCHR)
        err = chardev_open(n, keep, &f);
    else if (!(f = ofile_new(OFILE_NODE, keep, n)))
        err = -LINUX_ENOMEM;
    if (err < 0)
        return err;
    return fdtable_install(&p->files, f, 0, cloexec);
}

int64_t sys_openat(struct process *p, const uint64_t *a)
{
    return do_open(p, (int32_t)a[0], a[1], (uint32_t)a[2], (uint32_t)a[3]);
}

int64_t sys_open(struct process *p, const uint64_t *a)
{
    return do_open(p, LINUX_AT_FDCWD, a[0], (uint32_t)a[1], (uint32_t)a[2]);
}

int64_t sys_creat(struct process *p, const uint64_t *a)
{
    return do_open(p, LINUX_AT_FDCWD, a[0], LINUX_O_CREAT | LINUX_O_WRONLY | LINUX_O_TRUNC,
                   (uint32_t)a[1]);
}

/* ---- Attributes ---- */

static void fill_stat(struct linux_stat *st, const struct vnode *n)
{
    memset(st, 0, sizeof *st);
    st->dev = VFS_ROOT_DEV;
    st->blksize = 4096;
    if (!n) { /* the console */
        st->ino = CONSOLE_INO;
        st->nlink = 1;
        st->mode = VFS_S_IFCHR | 0620;
        st->rdev = CONSOLE_RDEV;
        return;
    }
    bool has_blocks = (n->mode & VFS_S_IFMT) == VFS_S_IFREG;
    st->dev = n->fs->dev;
    st->ino = n->ino;
    st->nlink = n->nlink;
    st->mode = n->mode;
    st->uid = n->uid;
    st->gid = n->gid;
    st->rdev = n->rdev;
    st->size = vnode_is_dir(n) ? (int64_t)(n->nents + 2) * 20 : (int64_t)n->size;
    st->blocks = has_blocks ? (int64_t)((n->size + 4095) / 4096 * 8) : 0;
    st->atime = n->atime_ns / 1000000000u;
    st->atime_nsec = n->atime_ns % 1000000000u;
    st->mtime = n->mtime_ns / 1000000000u;
    st->mtime_nsec = n->mtime_ns % 1000000000u;
    st->ctime = n->ctime_ns / 1000000000u;
    st->ctime_nsec = n->ctime_ns % 1000000000u;
}

/* A pipe end: a FIFO (0600, as Linux's pipefs makes them) with the pipe's inode number. */
static void fill_stat_pipe(struct linux_stat *st, const struct pipe *pp)
{
    memset(st, 0, sizeof *st);
    st->dev = PIPEFS_DEV;
    st->ino = pp->ino;
    st->nlink = 1;
    st->mode = VFS_S_IFIFO | 0600;
    st->blksize = 4096;
}

/* The attributes of what descriptor fd refers to: 0 or -EBADF. */
static int fd_attrs(struct process *p, int64_t fd, struct linux_stat *st)
{
    struct ofile *f = fdtable_get(&p->files, fd);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind == OFILE_PIPE && !f->node) /* a FIFO's open file has its node */
        fill_stat_pipe(st, f->pipe);
    else
        fill_stat(st, f->node); /* the console of descriptors 0-2 has no node */
    return 0;
}

/* newfstatat's and statx's question: the attributes of path from dirfd, with
 * AT_SYMLINK_NOFOLLOW (the link itself) and AT_EMPTY_PATH ("" names dirfd's file). */
static int path_attrs(struct process *p, int64_t dirfd, uint64_t path, uint64_t flags,
                      struct linux_stat *st)
{
    struct vnode *start = 0, *n;
    int err = path_start(p, dirfd, path, &start);
    if (err == -LINUX_ENOTDIR && (flags & LINUX_AT_EMPTY_PATH) && path_buf[0] == 0)
        return fd_attrs(p, dirfd, st); /* fstat of a file descriptor that is not a directory */
    if (err < 0)
        return err;
    if (path_buf[0] == 0 && (flags & LINUX_AT_EMPTY_PATH) && dirfd != LINUX_AT_FDCWD)
        return fd_attrs(p, dirfd, st);
    if (path_buf[0] == 0 && (flags & LINUX_AT_EMPTY_PATH))
        n = p->cwd;
    else if ((err = vfs_resolve(&posix.vfs, start, path_buf, !(flags & LINUX_AT_SYMLINK_NOFOLLOW),
                                &n)) < 0)
        return err;
    fill_stat(st, n);
    return 0;
}

int64_t sys_newfstatat(struct process *p, const uint64_t *a)
{
    struct linux_stat st;
    if (a[3] & ~(uint64_t)(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH))
        return -LINUX_EINVAL;
    int err = path_attrs(p, (int32_t)a[0], a[1], a[3], &st);
    return err < 0 ? err : user_write(&p->mem, a[2], &st, sizeof st);
}

/* struct statx (linux/stat.h): 256 bytes. */
struct linux_statx_time {
    int64_t sec;
    uint32_t nsec;
    int32_t reserved;
};
struct linux_statx {
    uint32_t mask, blksize;
    uint64_t attributes;
    uint32_t nlink, uid, gid;
    uint16_t mode, pad0;
    uint64_t ino, size, blocks, attributes_mask;
    struct linux_statx_time atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
    uint64_t mnt_id;
    uint32_t dio_mem_align, dio_offset_align;
    uint64_t spare[12];
};

#define STATX_BASIC_STATS 0x7ffu      /* type, mode, nlink, uid, gid, times, ino, size, blocks */
#define STATX_RESERVED    0x80000000u /* a mask with it: EINVAL */
#define AT_STATX_FLAGS    (0x800 | 0x6000) /* AT_NO_AUTOMOUNT, AT_STATX_SYNC_TYPE: no meaning here */

static uint32_t dev_major(uint64_t d)
{
    return (uint32_t)(((d >> 8) & 0xfff) | ((d >> 32) & ~0xfffull));
}

static uint32_t dev_minor(uint64_t d)
{
    return (uint32_t)((d & 0xff) | ((d >> 12) & ~0xffull));
}

/* statx(dirfd, path, flags, mask, buf): the basic attributes, whatever mask asks (a file
 * system may give more or fewer than asked; stx_mask says which). */
int64_t sys_statx(struct process *p, const uint64_t *a)
{
    uint64_t flags = (uint32_t)a[2];
    if (flags & ~(uint64_t)(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH | AT_STATX_FLAGS) ||
        (flags & 0x6000) == 0x6000 || ((uint32_t)a[3] & STATX_RESERVED))
        return -LINUX_EINVAL;
    struct linux_stat st;
    int err = path_attrs(p, (int32_t)a[0], a[1], flags, &st);
    if (err < 0)
        return err;
    struct linux_statx x;
    memset(&x, 0, sizeof x);
    x.mask = STATX_BASIC_STATS;
    x.blksize = (uint32_t)st.blksize;
    x.nlink = (uint32_t)st.nlink;
    x.uid = st.uid;
    x.gid = st.gid;
    x.mode = (uint16_t)st.mode;
    x.ino = st.ino;
    x.size = (uint64_t)st.size;
    x.blocks = (uint64_t)st.blocks;
    x.atime = (struct linux_statx_time){(int64_t)st.atime, (uint32_t)st.atime_nsec, 0};
    x.mtime = (struct linux_statx_time){(int64_t)st.mtime, (uint32_t)st.mtime_nsec, 0};
    x.ctime = (struct linux_statx_time){(int64_t)st.ctime, (uint32_t)st.ctime_nsec, 0};
    x.rdev_major = dev_major(st.rdev);
    x.rdev_minor = dev_minor(st.rdev);
    x.dev_major = dev_major(st.dev);
    x.dev_minor = dev_minor(st.dev);
    return user_write(&p->mem, a[4], &x, sizeof x);
}

int64_t sys_stat(struct process *p, const uint64_t *a)
{
    const uint64_t b[4] = {(uint64_t)LINUX_AT_FDCWD, a[0], a[1], 0};
    return sys_newfstatat(p, b);
}

int64_t sys_lstat(struct process *p, const uint64_t *a)
{
    const uint64_t b[4] = {(uint64_t)LINUX_AT_FDCWD, a[0], a[1], LINUX_AT_SYMLINK_NOFOLLOW};
    return sys_newfstatat(p, b);
}

int64_t sys_fstat(struct process *p, const uint64_t *a)
{
    struct linux_stat st;
    int err = fd_attrs(p, (int32_t)a[0], &st);
    return err < 0 ? err : user_write(&p->mem, a[1], &st, sizeof st);
}

/* ---- Directories ---- */

/* d_type: the file type bits of st_mode, shifted (DT_REG, DT_DIR, DT_LNK, DT_CHR). */
static uint8_t dirent_type(const struct vnode *n)
{
    return (uint8_t)((n->mode & VFS_S_IFMT) >> 12);
}

/* The entry at index i of directory d ("." and ".." first): its name and node, or false. */
static bool dir_entry(struct vnode *d, uint64_t i, const char **name, struct vnode **n)
{
    if (i == 0) {
        *name = ".";
        *n = d;
    } else if (i == 1) {
        *name = "..";
        *n = vfs_parent(&posix.vfs, d);
    } else if (i - 2 < d->nents) {
        *name = d->ents[i - 2].name;
        *n = d->ents[i - 2].node; /* a mount point: the covered directory's inode, as Linux */
    } else {
        return false;
    }
    return true;
}

int64_t sys_getdents64(struct process *p, const uint64_t *a)
{
    struct ofile *f = fdtable_get(&p->files, (int32_t)a[0]);
    uint64_t buf = a[1], count = (uint32_t)a[2], done = 0;
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != OFILE_NODE || !vnode_is_dir(f->node))
        return -LINUX_ENOTDIR;
    struct vnode *d = f->node, *n;
    const char *name;
    static uint8_t rec[DIRENT_NAME_AT + VFS_NAME_MAX + 1 + 8];
    int err = f->offset == 0 ? vfs_refresh(&posix.vfs, d) : 0; /* procfs: up to date */
    if (err < 0)
        return err;
    while (dir_entry(d, f->offset, &name, &n)) {
        uint64_t len = strlen(name);
        uint64_t reclen = (DIRENT_NAME_AT + len + 1 + 7) & ~7ull;
        if (done + reclen > count)
            break;
        memset(rec, 0, reclen);
        struct linux_dirent64 h = {n->ino, (int64_t)f->offset + 1, (uint16_t)reclen,
                                   dirent_type(n)};
        memcpy(rec, &h, sizeof h);
        memcpy(rec + DIRENT_NAME_AT, name, len);
        if (user_write(&p->mem, buf + done, rec, reclen) < 0)
            return -LINUX_EFAULT;
        done += reclen;
        f->offset++;
    }
    if (done == 0 && dir_entry(d, f->offset, &name, &n))
        return -LINUX_EINVAL; /* not even one entry fits */
    return (int64_t)done;
}

static int64_t do_mkdir(struct process *p, int64_t dirfd, uint64_t path, uint32_t mode)
{
    struct vnode *start = 0, *dir, *n;
    char name[VFS_NAME_MAX + 1];
    bool slash;
    int err = path_start(p, dirfd, path, &start);
    if (err < 0 || (err = vfs_lookup_parent(&posix.vfs, start, path_buf, &dir, name, &slash)) < 0)
        return err;
    if (vfs_names_fixed(dir) && !vfs_child(dir, name))
        return -LINUX_ENOENT;
    return vfs_create(&posix.vfs, dir, name, VFS_S_IFDIR | (mode & ~p->umask & 01777), &n);
}

int64_t sys_mkdirat(struct process *p, const uint64_t *a)
{
    return do_mkdir(p, (int32_t)a[0], a[1], (uint32_t)a[2]);
}

int64_t sys_mkdir(struct process *p, const uint64_t *a)
{
    return do_mkdir(p, LINUX_AT_FDCWD, a[0], (uint32_t)a[1]);
}

static int64_t do_unlink(struct process *p, int64_t dirfd, uint64_t path, uint64_t flags)
{
    struct vnode *start = 0, *dir;
    char name[VFS_NAME_MAX + 1];
    bool slash;
    if (flags & ~(uint64_t)LINUX_AT_REMOVEDIR)
        return -LINUX_EINVAL;
    int err = path_start(p, dirfd, path, &start);
    if (err < 0 || (err = vfs_lookup_parent(&posix.vfs, start, path_buf, &dir, name, &slash)) < 0)
        return err;
    struct vnode *n = vfs_child(dir, name);
    if (vfs_names_fixed(dir))
        return n ? -LINUX_EPERM : -LINUX_ENOENT;
    if (flags & LINUX_AT_REMOVEDIR)
        return vfs_rmdir(&posix.vfs, dir, name);
    if (slash && n && !vnode_is_dir(n))
        return -LINUX_ENOTDIR; /* "file/" names no directory */
    return vfs_unlink(&posix.vfs, dir, name);
}

int64_t sys_unlinkat(struct process *p, const uint64_t *a)
{
    return do_unlink(p, (int32_t)a[0], a[1], a[2]);
}

int64_t sys_unlink(struct process *p, const uint64_t *a)
{
    return do_unlink(p, LINUX_AT_FDCWD, a[0], 0);
}

int64_t sys_rmdir(struct process *p, const uint64_t *a)
{
    return do_unlink(p, LINUX_AT_FDCWD, a[0], LINUX_AT_REMOVEDIR);
}

/* getcwd(buf, size): the length with the NUL, as the system call (not the C function) returns. */
int64_t sys_getcwd(struct process *p, const uint64_t *a)
{
    int64_t len = vfs_path_of(&posix.vfs, p->cwd, path_buf, sizeof path_buf);
    if (len < 0)
        return len;
    if ((uint64_t)len + 1 > a[1])
        return -LINUX_ERANGE;
    if (user_write(&p->mem, a[0], path_buf, (uint64_t)len + 1) < 0)
        return -LINUX_EFAULT;
    return len + 1;
}

int64_t sys_chdir(struct process *p, const uint64_t *a)
{
    struct vnode *start = 0, *n;
    int err = path_start(p, LINUX_AT_FDCWD, a[0], &start);
    if (err < 0 || (err = vfs_lookup(&posix.vfs, start, path_buf, &n)) < 0)
        return err;
    if (!vnode_is_dir(n))
        return -LINUX_ENOTDIR;
    if ((err = perm_node(&p->cred, n, PERM_EXEC)) < 0)
        return err;
    vnode_get(n);
    vnode_put(p->cwd);
    p->cwd = n;
    return 0;
}

/*
 * faccessat2(dirfd, path, mode, flags): may the caller read (4), write (2), execute (1) the
 * file, or does it exist (0)?  Asked with the real uid and gid (the question a set-user-ID
 * program asks for its caller), for the lookup too; with AT_EACCESS, with the effective
 * ones.  Root's answer for execute follows perm.c (an execute bit is needed).
 */
static int64_t do_access(struct process *p, int64_t dirfd, uint64_t path, uint64_t mode,
                         uint64_t flags)
{
    struct vnode *n;
    if (mode & ~7ull)
        return -LINUX_EINVAL;
    if (flags & ~(uint64_t)(LINUX_AT_EACCESS | LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH))
        return -LINUX_EINVAL;
    static struct cred asker; /* p's credentials with the ids the question is asked for */
    asker = p->cred;
    if (!(flags & LINUX_AT_EACCESS)) {
        asker.fsuid = asker.ruid;
        asker.fsgid = asker.rgid;
    } else {
        asker.fsuid = asker.euid;
        asker.fsgid = asker.egid;
    }
    int err = fs_node_at(p, dirfd, path, (flags & LINUX_AT_EMPTY_PATH) != 0,
                         !(flags & LINUX_AT_SYMLINK_NOFOLLOW), &asker, &n);
    return err < 0 ? err : perm_node(&asker, n, (unsigned)mode);
}

int64_t sys_faccessat(struct process *p, const uint64_t *a)
{
    return do_access(p, (int32_t)a[0], a[1], a[2], 0);
}

int64_t sys_faccessat2(struct process *p, const uint64_t *a)
{
    return do_access(p, (int32_t)a[0], a[1], a[2], a[3]);
}

int64_t sys_access(struct process *p, const uint64_t *a)
{
    return do_access(p, LINUX_AT_FDCWD, a[0], a[1], 0);
}

int64_t sys_umask(struct process *p, const uint64_t *a)
{
    uint32_t old = p->umask;
    p->umask = (uint32_t)a[0] & 0777;
    return old;
}

int64_t sys_ftruncate(struct process *p, const uint64_t *a)
{
    int64_t len = (int64_t)a[1];
    if (len < 0)
        return -LINUX_EINVAL;
    struct ofile *f = fdtable_get(&p->files, (int32_t)a[0]);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != OFILE_NODE || vnode_is_dir(f->node) ||
        (f->flags & LINUX_O_ACCMODE) == LINUX_O_RDONLY)
        return -LINUX_EINVAL;
    return vfs_truncate(&posix.vfs, f->node, (uint64_t)len);
}
