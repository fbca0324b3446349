/*
 * usercopy.h - reading and writing a Linux process's memory from the posix
 * server (servers/posix/usercopy.c) (concepts: user-space pointers,
 * copy_from_user/copy_to_user, EFAULT).
 *
 * A pointer a program passes to a system call is only a number: it may
 * point nowhere, into memory the program may not write, or across the end
 * of a region.  The server never dereferences it.  It looks the range up
 * in the process's regions (regions.h), checks that the program itself
 * could read (or write) every byte, and copies through the server's own
 * mapping of those VM objects (the shadow).  A range that fails the check
 * gives -EFAULT and nothing is copied.  Pure code: the host tests run it.
 */
#ifndef POSIX_USERCOPY_H
#define POSIX_USERCOPY_H

#include <stdint.h>
#include "regions.h"

/* Copy len bytes from the program's address src to dst: 0 or -LINUX_EFAULT. */
int user_read(const struct regions *rs, void *dst, uint64_t src, uint64_t len);

/* Copy len bytes from src to the program's address dst: 0 or -LINUX_EFAULT. */
int user_write(const struct regions *rs, uint64_t dst, const void *src, uint64_t len);

/*
 * Copy the NUL-terminated string at the program's address src into dst
 * (size bytes, NUL-terminated): its length, -LINUX_EFAULT, or
 * -LINUX_ENAMETOOLONG if it does not fit.
 */
int64_t user_read_string(const struct regions *rs, char *dst, uint64_t size, uint64_t src);

#endif
