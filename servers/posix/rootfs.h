/*
 * rootfs.h - the root file system at start-up: a tmpfs filled from the
 * initial ramdisk (servers/posix/rootfs.c) (concepts: the root file
 * system, initramfs).
 */
#ifndef POSIX_ROOTFS_H
#define POSIX_ROOTFS_H

#include <stdint.h>
#include "vfs.h"

/*
 * Every directory, regular file and symbolic link of the cpio archive
 * becomes a node of v at the same path (a file's bytes stay in the archive
 * until it is first changed); /tmp is made (mode 01777).  0, or a negative
 * error with *why.  Device nodes in the archive are left out (devfs makes
 * /dev).
 */
int rootfs_fill(struct vfs *v, const uint8_t *archive, uint64_t size, const char **why);

#endif
