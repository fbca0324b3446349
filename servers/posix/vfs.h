/*
 * vfs.h - the posix server's file system: tmpfs, an in-memory tree of
 * directories and regular files, and path resolution over it
 * (servers/posix/vfs.c) (concepts: inodes, directories, path resolution,
 * tmpfs).
 *
 * Every file lives in the server's heap.  A node (Linux's inode) is a
 * directory - a list of (name, node) entries -, a regular file - its
 * bytes -, a symbolic link - the path it holds, in the same bytes - or a
 * character device node (devfs: its device number).  A path is resolved
 * component by component from the root (if it starts with '/') or from a
 * start directory (the cwd, or a dirfd): "." stays, ".." goes to the
 * parent (the root's parent is the root).  A symbolic link met on the way
 * is replaced by its target (relative to the link's directory), always for
 * the components before the last, and for the last unless the caller says
 * "nofollow" (lstat, O_NOFOLLOW); more than VFS_LINKS_MAX links in one
 * resolution is ELOOP.  Errors are negative Linux error numbers.  Pure
 * code: the host tests run it.
 *
 * Mount points: the tree may hold several file systems (struct vfs_fs):
 * a directory covered by a mount is replaced, when a path steps onto it,
 * by the root of the mounted file system, and ".." from that root goes to
 * the covered directory's parent.  Every node knows its file system (its
 * st_dev, its statfs magic; links and renames do not cross them: EXDEV).
 *
 * A node lives while a directory entry names it or an open file refers to
 * it (nlink and refs): a file unlinked while open stays readable until the
 * last close, as on Linux.
 */
#ifndef POSIX_VFS_H
#define POSIX_VFS_H

#include <stdbool.h>
#include <stdint.h>

#define VFS_NAME_MAX 255          /* NAME_MAX (linux/limits.h) */
#define VFS_PATH_MAX 4096         /* PATH_MAX, with the NUL */
#define VFS_FILE_MAX (1ull << 32) /* a file's bytes are all in the heap: at most 4 GiB (ENOSPC) */

/* File types and permission bits of st_mode (linux/stat.h). */
#define VFS_S_IFMT  0170000u
#define VFS_S_IFDIR 0040000u
#define VFS_S_IFREG 0100000u
#define VFS_S_IFCHR 0020000u
#define VFS_S_IFIFO 0010000u
#define VFS_S_IFLNK 0120000u

#define VFS_LINKS_MAX 40   /* symbolic links one resolution follows before ELOOP (MAXSYMLINKS) */
#define VFS_MOUNTS    8    /* file systems in the tree at most */
#define VFS_ROOT_DEV  0x16 /* st_dev of the root tmpfs: an anonymous device (0:22), as tmpfs has */

/* renameat2's flags (linux/fs.h). */
#define VFS_RENAME_NOREPLACE 1u
#define VFS_RENAME_EXCHANGE  2u

struct vnode;
struct cred;
struct pipe;

struct vfs;

/* One mounted file system: what /proc/mounts and statfs say about it. */
struct vfs_fs {
    const char *type;      /* "tmpfs", "devtmpfs", "proc" */
    const char *source;    /* the mount source column of /proc/mounts */
    uint64_t magic;        /* statfs's f_type (linux/magic.h) */
    uint64_t dev;          /* st_dev of its files */
    struct vnode *root;    /* its root directory */
    struct vnode *covered; /* the directory it covers (NULL: the root file system) */
    /* A file system whose contents are made when asked (procfs) has these (else NULL): */
    int (*refresh)(struct vfs *v, struct vnode *dir); /* before dir's entries are used */
    int (*fill)(struct vfs *v, struct vnode *file);   /* before file is opened: its bytes */
};

struct vdirent {
    char *name;
    struct vnode *node;
};

struct vnode {
    struct vfs_fs *fs;        /* the file system it belongs to */
    uint32_t mode;            /* type and permission bits */
    uint32_t uid, gid;        /* owner and group (perm.h) */
    uint64_t ino;             /* unique while the server runs */
    uint32_t nlink;           /* directory entries naming it (+ "." and ".." for directories) */
    uint32_t refs;            /* open files and cwds using it */
    struct vnode *parent;     /* a directory's parent (itself for the root); NULL once removed */
    struct vnode *mounted;    /* a directory covered by a mount: the mounted file system's root */
    uint64_t rdev;            /* a device node: its device number (Linux's makedev) */
    uint32_t fs_pid, fs_what; /* procfs: the process (thread) it shows, and which file it is */
    uint64_t atime_ns, mtime_ns, ctime_ns;
    /* a directory: its entries, in creation order */
    struct vdirent *ents;
    uint32_t nents, cap_ents;
    /* a regular file: size bytes, in data (cap bytes allocated), or still in the ramdisk;
     * a symbolic link: its target, size bytes and a NUL in data */
    uint8_t *data;
    const uint8_t *initial; /* read-only bytes from the ramdisk until the first change */
    uint64_t size, cap;
    /* a FIFO (named pipe): the pipe its open files share while any is open (sys_fifo.c) */
    struct pipe *fifo;
};

struct vfs {
    struct vnode *root;
    struct vfs_fs fs[VFS_MOUNTS]; /* fs[0]: the root tmpfs; then each mount, in mount order */
    uint32_t nfs;
    uint64_t next_ino;
    uint64_t (*now_ns)(void); /* the wall clock, for the times (may be NULL: 0) */
    uint64_t size_max;        /* the files' data may take this many bytes (0: no limit) */
    /* Whose permissions lookups, creations and removals are checked with (perm.h): the
     * caller's file-system ids, set by the server before each call; NULL: no checks (filling
     * the tree from the ramdisk, the host tests of the tree alone). */
    const struct cred *cred;
};

/* A new tree: a tmpfs with an empty root directory (mode 0755): 0 or -ENOMEM. */
int vfs_init(struct vfs *v, uint64_t (*now_ns)(void));

/* Free the whole tree (the host tests; the server keeps its file system while it runs). */
void vfs_destroy(struct vfs *v);

/*
 * Mount a new, empty file system (a root directory with mode 0755) on the
 * directory dir: *out = it.  -ENOTDIR, -EBUSY (dir is covered already, or
 * is a file system's root), -ENOMEM (no room for another).
 */
int vfs_mount(struct vfs *v, struct vnode *dir, const char *type, const char *source,
              uint64_t magic, uint64_t dev, struct vfs_fs **out);

static inline bool vnode_is_dir(const struct vnode *n)
{
    return (n->mode & VFS_S_IFMT) == VFS_S_IFDIR;
}

/* Whether dir's names are its file system's to make (procfs): programs cannot add (ENOENT),
 * remove (EPERM) or rename (EPERM, ENOENT) any. */
static inline bool vfs_names_fixed(const struct vnode *dir)
{
    return dir->fs->refresh != 0;
}

static inline bool vnode_is_link(const struct vnode *n)
{
    return (n->mode & VFS_S_IFMT) == VFS_S_IFLNK;
}

/*
 * Resolve path from start (used when path is relative): *out = the node.
 * follow: a symbolic link as the last component is followed (a trailing
 * '/' follows it always).  -ENOENT (a missing component, an empty path,
 * an empty link), -ENOTDIR (a component before the last, or the last
 * followed by '/', is not a directory), -ENAMETOOLONG (a component longer
 * than VFS_NAME_MAX), -ELOOP (more than VFS_LINKS_MAX links), -EACCES (a
 * directory searched without search permission, perm.h).
 */
int vfs_resolve(struct vfs *v, struct vnode *start, const char *path, bool follow,
                struct vnode **out);

/* vfs_resolve following the last link (stat, open, chdir). */
int vfs_lookup(struct vfs *v, struct vnode *start, const char *path, struct vnode **out);

/*
 * Resolve all but the last component (following links): *dir = its
 * directory, name = the last component (NUL-terminated, VFS_NAME_MAX + 1
 * bytes; may be "." or ".."); *trailing_slash tells whether the path ended
 * in '/'.  A path that names the root ("/") gives the name ".".  Errors as
 * vfs_resolve.
 */
int vfs_lookup_parent(struct vfs *v, struct vnode *start, const char *path, struct vnode **dir,
                      char *name, bool *trailing_slash);

/* The entry name in dir, or NULL (the entry itself: a mount on it is not crossed). */
struct vnode *vfs_child(struct vnode *dir, const char *name);

/* Bring dir's entries up to date if its file system makes them when asked (procfs): 0 or an
 * error.  Path resolution does it by itself; getdents64 calls it. */
int vfs_refresh(struct vfs *v, struct vnode *dir);

/* A directory's parent, crossing back over a mount: ".." of dir. */
struct vnode *vfs_parent(struct vfs *v, struct vnode *dir);

/*
 * Make a new node called name in dir: a directory (mode VFS_S_IFDIR | perm),
 * a regular file or a FIFO.  *out = it, owned by the caller's file-system uid
 * and gid (in a set-group-ID directory: the directory's group, and a new
 * directory is set-group-ID too).  -EEXIST, -ENOTDIR, -ENOMEM, -ENOENT (dir
 * was removed), -EACCES (no write and search permission on dir).
 */
int vfs_create(struct vfs *v, struct vnode *dir, const char *name, uint32_t mode,
               struct vnode **out);

/* A symbolic link called name in dir holding target: -ENOENT (an empty target, or dir was
 * removed), -ENAMETOOLONG (target of VFS_PATH_MAX bytes or more), -EEXIST, -ENOSPC. */
int vfs_symlink(struct vfs *v, struct vnode *dir, const char *name, const char *target,
                struct vnode **out);

/* A hard link: a new entry name in dir for node n.  -EEXIST, -EXDEV (another file system),
 * -EPERM (a directory), -ENOENT (n has no name left, or dir was removed), -ENOSPC. */
int vfs_link(struct vfs *v, struct vnode *n, struct vnode *dir, const char *name);

/*
 * rename and renameat2: move the entry oname of odir to nname of ndir,
 * replacing what nname names (flags: VFS_RENAME_NOREPLACE, -EEXIST if it
 * exists; VFS_RENAME_EXCHANGE, swap the two).  oslash/nslash: the paths
 * ended in '/'.  Linux's errors and their order: -EXDEV, -EBUSY ("." or
 * ".." or a mount point), -ENOENT, -EEXIST, -ENOTDIR, -EINVAL (a
 * directory into itself), -ENOTEMPTY, -EISDIR.  The same file under both
 * names: nothing happens.
 */
int vfs_rename(struct vfs *v, struct vnode *odir, const char *oname, bool oslash,
               struct vnode *ndir, const char *nname, bool nslash, uint32_t flags);

/* Remove name from dir: a file (unlink; -EISDIR for a directory) or an empty
 * directory (rmdir; -ENOTDIR for a file, -ENOTEMPTY, -EBUSY for the root,
 * -EINVAL for "."); -EACCES and -EPERM as perm_may_delete says. */
int vfs_unlink(struct vfs *v, struct vnode *dir, const char *name);
int vfs_rmdir(struct vfs *v, struct vnode *dir, const char *name);

/* Take and drop a reference (open files, cwds); the last drop of an unlinked node frees it. */
/* Remove name from dir whatever it is: a directory with everything in it (procfs's
 * directories of ended processes).  0 or -ENOENT. */
int vfs_remove_tree(struct vfs *v, struct vnode *dir, const char *name);

void vnode_get(struct vnode *n);
void vnode_put(struct vnode *n);

/* A regular file's bytes: read up to len at off (the bytes read); write len at off, growing
 * the file with zeros before off if needed (len, or -ENOSPC/-EFBIG); set its size. */
uint64_t vfs_read(struct vnode *n, void *buf, uint64_t off, uint64_t len);
int64_t vfs_write(struct vfs *v, struct vnode *n, const void *buf, uint64_t off, uint64_t len);
int vfs_truncate(struct vfs *v, struct vnode *n, uint64_t size);

/* Give a new file the ramdisk's bytes without copying them (copied at the first change). */
void vfs_set_initial(struct vnode *n, const uint8_t *data, uint64_t size);

/* The absolute path of directory d into buf (size bytes): its length, -ERANGE if it does not
 * fit, -ENOENT if d was removed. */
int64_t vfs_path_of(struct vfs *v, struct vnode *d, char *buf, uint64_t size);

/* Make every directory of path (relative to the root) that is missing, then return the last
 * one in *out (used to fill the tree from the ramdisk). */
int vfs_mkdir_p(struct vfs *v, const char *path, struct vnode **out);

#endif
