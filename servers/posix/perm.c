/*
 * perm.c - the one permission check of the posix server (concept:
 * discretionary access control).  See perm.h.  Pure code.
 */
#include "perm.h"
#include "linux_abi.h"

int perm_check(const struct cred *c, uint32_t mode, uint32_t uid, uint32_t gid, unsigned want)
{
    want &= PERM_READ | PERM_WRITE | PERM_EXEC;
    if (c->fsuid == 0) {
        /* Root reads, writes and searches everything; it executes only what some execute
         * bit marks as a program. */
        bool dir = (mode & VFS_S_IFMT) == VFS_S_IFDIR;
        if ((want & PERM_EXEC) && !dir && !(mode & 0111))
            return -LINUX_EACCES;
        return 0;
    }
    unsigned bits;
    if (c->fsuid == uid)
        bits = (mode >> 6) & 7;
    else if (cred_in_group(c, gid))
        bits = (mode >> 3) & 7;
    else
        bits = mode & 7;
    return (want & ~bits) ? -LINUX_EACCES : 0;
}

int perm_node(const struct cred *c, const struct vnode *n, unsigned want)
{
    return perm_check(c, n->mode, n->uid, n->gid, want);
}

bool perm_owner(const struct cred *c, uint32_t uid)
{
    return c->fsuid == 0 || c->fsuid == uid;
}

int perm_may_create(const struct cred *c, const struct vnode *dir)
{
    return perm_node(c, dir, PERM_WRITE | PERM_EXEC);
}

int perm_may_delete(const struct cred *c, const struct vnode *dir, const struct vnode *victim)
{
    int err = perm_node(c, dir, PERM_WRITE | PERM_EXEC);
    if (err < 0)
        return err;
    if ((dir->mode & 01000) && !perm_owner(c, victim->uid) && c->fsuid != dir->uid)
        return -LINUX_EPERM;
    return 0;
}
