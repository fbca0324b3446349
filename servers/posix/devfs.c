/*
 * devfs.c - /dev and its device nodes (concepts: device files, device
 * numbers, devtmpfs).  See devfs.h.  Pure code.
 */
#include "devfs.h"
#include "linux_abi.h"

/* Linux's numbers for these devices (devices.txt): memory devices are major 1, the
 * terminals 4 (ttyS0) and 5 (tty, console). */
const struct devfs_node devfs_nodes[] = {
    {"null", 1, 3, 0666},    {"zero", 1, 5, 0666}, {"full", 1, 7, 0666},    {"random", 1, 8, 0666},
    {"urandom", 1, 9, 0666}, {"tty", 5, 0, 0666},  {"console", 5, 1, 0600}, {"ttyS0", 4, 64, 0660},
};
const unsigned devfs_count = sizeof devfs_nodes / sizeof devfs_nodes[0];

/* The links every Linux system has in /dev (made by udev there): descriptors by number. */
static const char *const links[][2] = {
    {"fd", "/proc/self/fd"},
    {"stdin", "/proc/self/fd/0"},
    {"stdout", "/proc/self/fd/1"},
    {"stderr", "/proc/self/fd/2"},
};

int devfs_mount(struct vfs *v)
{
    struct vnode *dir, *n;
    struct vfs_fs *fs;
    int err = vfs_mkdir_p(v, "dev", &dir);
    if (err < 0 ||
        (err = vfs_mount(v, dir, "devtmpfs", "devtmpfs", LINUX_TMPFS_MAGIC, DEVFS_DEV, &fs)) < 0)
        return err;
    for (unsigned i = 0; i < devfs_count; i++) {
        const struct devfs_node *d = &devfs_nodes[i];
        if ((err = vfs_create(v, fs->root, d->name, VFS_S_IFCHR | d->perm, &n)) < 0)
            return err;
        n->rdev = devfs_makedev(d->major, d->minor);
    }
    for (unsigned i = 0; i < sizeof links / sizeof links[0]; i++)
        if ((err = vfs_symlink(v, fs->root, links[i][0], links[i][1], &n)) < 0)
            return err;
    return 0;
}
