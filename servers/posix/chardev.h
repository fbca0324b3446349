/*
 * chardev.h - the character device switch: what opening, reading and
 * writing a device node of /dev does, chosen by its device number
 * (servers/posix/chardev.c) (concepts: device files, the device switch
 * table of Unix - cdevsw -, major and minor numbers).
 *
 * The memory devices (major 1) are served here: null (reads end at once,
 * writes vanish), zero (reads give zeros), full (reads give zeros, writes
 * fail with ENOSPC), random and urandom (the kernel's random generator,
 * mica_random_get).  The terminals tty, console and ttyS0 open the same
 * console as descriptors 0, 1 and 2: chardev_open_terminal is the one
 * place a real terminal (with a line discipline) takes over.
 */
#ifndef POSIX_CHARDEV_H
#define POSIX_CHARDEV_H

#include <stdint.h>
#include "process.h"

/* Open device node n with open()'s flags: the new open file in *out; -ENXIO if no device
 * has its number, -ENOMEM. */
int chardev_open(struct vnode *n, uint32_t flags, struct ofile **out);

/* The terminal devices (/dev/tty, /dev/console, /dev/ttyS0): an open file of the console. */
int chardev_open_terminal(struct vnode *n, uint32_t flags, struct ofile **out);

/* read and write on an open device (kind OFILE_DEVICE): bytes moved or a negative error. */
int64_t chardev_read(struct process *p, struct ofile *f, uint64_t buf, uint64_t len);
int64_t chardev_write(struct process *p, struct ofile *f, uint64_t buf, uint64_t len);

#endif
