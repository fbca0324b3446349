/*
 * vfs.h - the posix server's file system: tmpfs, an in-memory tree of
 * directories and regular files, and path resolution over it
 * (servers/posix/vfs.c) (concepts: inodes, directories, path resolution,
 * tmpfs).
 *
 * Every file lives in the server's heap.  A node (Linux's inode) is a
 * directory - a list of (name, node) entries - or a regular file - its
 * bytes.  A path is resolved component by component from the root (if it
 * starts with '/') or from a start directory (the cwd, or a dirfd): "."
 * stays, ".." goes to the parent (the root's parent is the root).  Errors
 * are negative Linux error numbers.  Pure code: the host tests run it.
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

struct vnode;
struct cred;
struct pipe;

struct vdirent {
    char *name;
    struct vnode *node;
};

struct vnode {
    uint32_t mode;        /* type and permission bits */
    uint32_t uid, gid;    /* owner and group (perm.h) */
    uint64_t ino;         /* unique while the server runs */
    uint32_t nlink;       /* directory entries naming it (+ "." and ".." for directories) */
    uint32_t refs;        /* open files and cwds using it */
    struct vnode *parent; /* a directory's parent (itself for the root); NULL once removed */
    uint64_t atime_ns, mtime_ns, ctime_ns;
    /* a directory: its entries, in creation order */
    struct vdirent *ents;
    uint32_t nents, cap_ents;
    /* a regular file: size bytes, in data (cap bytes allocated), or still in the ramdisk */
    uint8_t *data;
    const uint8_t *initial; /* read-only bytes from the ramdisk until the first change */
    uint64_t size, cap;
    /* a FIFO (named pipe): the pipe its open files share while any is open (sys_fifo.c) */
    struct pipe *fifo;
};

struct vfs {
    struct vnode *root;
    uint64_t next_ino;
    uint64_t (*now_ns)(void); /* the wall clock, for the times (may be NULL: 0) */
    /* Whose permissions lookups, creations and removals are checked with (perm.h): the
     * caller's file-system ids, set by the server before each call; NULL: no checks (filling
     * the tree from the ramdisk, the host tests of the tree alone). */
    const struct cred *cred;
};

/* A new file system with an empty root directory (mode 0755): 0 or -ENOMEM. */
int vfs_init(struct vfs *v, uint64_t (*now_ns)(void));

/* Free the whole tree (the host tests; the server keeps its file system while it runs). */
void vfs_destroy(struct vfs *v);

static inline bool vnode_is_dir(const struct vnode *n)
{
    return (n->mode & VFS_S_IFMT) == VFS_S_IFDIR;
}

/*
 * Resolve path from start (used when path is relative): *out = the node.
 * -ENOENT (a missing component, or an empty path), -ENOTDIR (a component
 * before the last, or the last followed by '/', is not a directory),
 * -ENAMETOOLONG (a component longer than VFS_NAME_MAX), -EACCES (a directory
 * searched without search permission, perm.h).
 */
int vfs_lookup(struct vfs *v, struct vnode *start, const char *path, struct vnode **out);

/*
 * Resolve all but the last component: *dir = its directory, name = the last
 * component (NUL-terminated, VFS_NAME_MAX + 1 bytes; may be "." or "..");
 * *trailing_slash tells whether the path ended in '/'.  A path that names
 * the root ("/") gives the name ".".  Errors as vfs_lookup.
 */
int vfs_lookup_parent(struct vfs *v, struct vnode *start, const char *path, struct vnode **dir,
                      char *name, bool *trailing_slash);

/* The entry name in dir, or NULL. */
struct vnode *vfs_child(struct vnode *dir, const char *name);

/*
 * Make a new node called name in dir: a directory (mode VFS_S_IFDIR | perm),
 * a regular file or a FIFO.  *out = it, owned by the caller's file-system uid
 * and gid (in a set-group-ID directory: the directory's group, and a new
 * directory is set-group-ID too).  -EEXIST, -ENOTDIR, -ENOMEM, -ENOENT (dir
 * was removed), -EACCES (no write and search permission on dir).
 */
int vfs_create(struct vfs *v, struct vnode *dir, const char *name, uint32_t mode,
               struct vnode **out);

/* Remove name from dir: a file (unlink; -EISDIR for a directory) or an empty
 * directory (rmdir; -ENOTDIR for a file, -ENOTEMPTY, -EBUSY for the root,
 * -EINVAL for "."); -EACCES and -EPERM as perm_may_delete says. */
int vfs_unlink(struct vfs *v, struct vnode *dir, const char *name);
int vfs_rmdir(struct vfs *v, struct vnode *dir, const char *name);

/* Take and drop a reference (open files, cwds); the last drop of an unlinked node frees it. */
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
