/*
 * perm.h - discretionary access control: may these credentials do this to
 * that file? (servers/posix/perm.c) (concepts: DAC, permission bits,
 * owner / group / other, the superuser, the sticky bit).
 *
 * Every permission decision of the posix server's file system is made
 * here, by perm_check, from a file's mode, owner and group and the
 * caller's file-system ids and groups: the owner's bits if the caller
 * owns the file, else the group's bits if the caller is in the file's
 * group, else the others' bits.  Root (file-system uid 0) may read and
 * write anything and search any directory, but may execute a file only if
 * at least one of its three execute bits is set.  Pure code: the host
 * tests run it (tests/host/test_perm.c).
 */
#ifndef POSIX_PERM_H
#define POSIX_PERM_H

#include <stdbool.h>
#include <stdint.h>
#include "cred.h"
#include "vfs.h"

#define PERM_READ  4u
#define PERM_WRITE 2u
#define PERM_EXEC  1u /* execute a file, search a directory */

/* May c access a file of this mode (type and permission bits), owner and group as want
 * (PERM_* ORed)?  0 or -EACCES. */
int perm_check(const struct cred *c, uint32_t mode, uint32_t uid, uint32_t gid, unsigned want);

/* perm_check on a node. */
int perm_node(const struct cred *c, const struct vnode *n, unsigned want);

/* Does c own the file of owner uid, or is it root (Linux's inode_owner_or_capable)?  What
 * chmod, utimensat with explicit times and the sticky bit ask. */
bool perm_owner(const struct cred *c, uint32_t uid);

/* May c add an entry to dir (write and search permission): 0 or -EACCES. */
int perm_may_create(const struct cred *c, const struct vnode *dir);

/* May c remove (or rename away) victim from dir: write and search permission on dir
 * (-EACCES), and in a sticky directory (mode 01000, as /tmp) only the owner of victim or
 * of dir, or root (-EPERM). */
int perm_may_delete(const struct cred *c, const struct vnode *dir, const struct vnode *victim);

#endif
