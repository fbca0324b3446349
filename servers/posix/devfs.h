/*
 * devfs.h - /dev: a file system of device nodes mounted on the root's /dev
 * (servers/posix/devfs.c) (concepts: device files, major and minor device
 * numbers, Linux's devtmpfs).
 *
 * A device node is a name for a device, not its data: a character device
 * node (S_IFCHR) holds only a device number, (major, minor), the numbers
 * Linux gives the device (Documentation/admin-guide/devices.txt).  Opening
 * the node opens the device that number names (chardev.h, the character
 * device switch).  devfs is a tmpfs of its own (st_dev 0:5, as Linux's
 * devtmpfs) holding the nodes of the devices the server has, and the
 * usual links to /proc/self/fd.  Pure code: the host tests run it.
 */
#ifndef POSIX_DEVFS_H
#define POSIX_DEVFS_H

#include <stdint.h>
#include "vfs.h"

#define DEVFS_DEV 0x5 /* st_dev of /dev's files: 0:5, Linux's devtmpfs */

/* A device number as st_rdev holds it (Linux's new_encode_dev; glibc's makedev agrees). */
static inline uint64_t devfs_makedev(uint32_t major, uint32_t minor)
{
    return ((uint64_t)major << 8) | (minor & 0xff) | ((uint64_t)(minor & ~0xffu) << 12);
}

/* The character devices: their names in /dev, numbers and permission bits. */
struct devfs_node {
    const char *name;
    uint32_t major, minor;
    uint32_t perm;
};
extern const struct devfs_node devfs_nodes[];
extern const unsigned devfs_count;

/* Make /dev (if missing), mount devfs on it and fill it: 0 or a negative error. */
int devfs_mount(struct vfs *v);

#endif
