/*
 * test_perm.c - discretionary access control (servers/posix/perm.c and the
 * checks vfs.c makes with it): owner, group (file-system gid and
 * supplementary groups) and other bits, root's override and its exception
 * (execute needs an execute bit), search permission on every directory of
 * a path, write and search permission to create and remove, the sticky
 * bit, the owner and group of new files (set-group-ID directories); the
 * owners and directory modes of the initial ramdisk kept (rootfs.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "../../servers/posix/rootfs.h"
#include "../../servers/posix/perm.h"
#include "../../servers/posix/vfs.h"
#include "unit.h"

static struct cred user(uint32_t uid, uint32_t gid)
{
    struct cred c;
    cred_root(&c);
    c.ruid = c.euid = c.suid = c.fsuid = uid;
    c.rgid = c.egid = c.sgid = c.fsgid = gid;
    return c;
}

static void test_bits(void)
{
    struct cred u = user(1000, 100), root;
    cred_root(&root);
    const uint32_t f = VFS_S_IFREG;
    CHECK_EQ(perm_check(&u, f | 0600, 1000, 0, PERM_READ | PERM_WRITE), 0);
    CHECK_EQ(perm_check(&u, f | 0600, 1000, 0, PERM_EXEC), -EACCES);
    CHECK_EQ(perm_check(&u, f | 0600, 0, 0, PERM_READ), -EACCES);
    CHECK_EQ(perm_check(&u, f | 0640, 0, 100, PERM_READ), 0); /* group */
    CHECK_EQ(perm_check(&u, f | 0640, 0, 100, PERM_WRITE), -EACCES);
    CHECK_EQ(perm_check(&u, f | 0604, 0, 5, PERM_READ), 0); /* other */
    /* The owner's bits decide for the owner, even when the others have more. */
    CHECK_EQ(perm_check(&u, f | 0077, 1000, 100, PERM_READ), -EACCES);
    CHECK_EQ(perm_check(&u, f | 0707, 0, 100, PERM_READ), -EACCES); /* group member: group bits */
    u.groups[0] = 5;
    u.ngroups = 1;
    CHECK_EQ(perm_check(&u, f | 0040, 0, 5, PERM_READ), 0); /* a supplementary group */
    CHECK_EQ(perm_check(&u, f | 0777, 0, 0, 0), 0);         /* nothing asked (F_OK) */
    /* Root: everything but executing a file without any execute bit. */
    CHECK_EQ(perm_check(&root, f | 0000, 1000, 100, PERM_READ | PERM_WRITE), 0);
    CHECK_EQ(perm_check(&root, f | 0644, 1000, 100, PERM_EXEC), -EACCES);
    CHECK_EQ(perm_check(&root, f | 0001, 1000, 100, PERM_EXEC), 0);
    CHECK_EQ(perm_check(&root, VFS_S_IFDIR | 0000, 1000, 100, PERM_EXEC), 0);
    CHECK(perm_owner(&root, 1000));
    CHECK(perm_owner(&u, 1000));
    CHECK(!perm_owner(&u, 1001));
}

static void test_vfs_checks(void)
{
    struct vfs v;
    struct cred root, u = user(1000, 100), w = user(1001, 100);
    cred_root(&root);
    CHECK_EQ(vfs_init(&v, 0), 0);
    v.cred = &root;
    struct vnode *priv, *pub, *tmp, *f, *n;
    CHECK_EQ(vfs_create(&v, v.root, "priv", VFS_S_IFDIR | 0700, &priv), 0);
    CHECK_EQ(vfs_create(&v, priv, "f", VFS_S_IFREG | 0644, &f), 0);
    CHECK_EQ(vfs_create(&v, v.root, "pub", VFS_S_IFDIR | 0755, &pub), 0);
    CHECK_EQ(vfs_create(&v, v.root, "tmp", VFS_S_IFDIR | 01777, &tmp), 0);
    CHECK_EQ(f->uid, 0u);
    v.cred = &u;
    /* Search permission on every directory on the way, the last one's too. */
    CHECK_EQ(vfs_lookup(&v, v.root, "/priv/f", &n), -EACCES);
    CHECK_EQ(vfs_lookup(&v, v.root, "/priv", &n), 0); /* the directory itself: fine */
    CHECK_EQ(vfs_lookup(&v, priv, "f", &n), -EACCES); /* relative to it: still searched */
    CHECK_EQ(vfs_lookup(&v, v.root, "/priv/../pub", &n), -EACCES);
    char name[VFS_NAME_MAX + 1];
    bool slash;
    CHECK_EQ(vfs_lookup_parent(&v, v.root, "/priv/g", &n, name, &slash), -EACCES);
    /* Creating and removing: write and search on the directory. */
    CHECK_EQ(vfs_create(&v, pub, "g", VFS_S_IFREG | 0644, &n), -EACCES);
    CHECK_EQ(vfs_create(&v, v.root, "pub", VFS_S_IFDIR | 0755, &n), -EEXIST); /* first */
    CHECK_EQ(vfs_unlink(&v, pub, "nothing"), -ENOENT);
    CHECK_EQ(vfs_create(&v, tmp, "mine", VFS_S_IFREG | 0600, &n), 0);
    CHECK_EQ(n->uid, 1000u);
    CHECK_EQ(n->gid, 100u);
    CHECK_EQ(vfs_create(&v, tmp, "d", VFS_S_IFDIR | 0755, &n), 0);
    /* The sticky /tmp: the other user may not remove them, the owner and root may. */
    v.cred = &w;
    CHECK_EQ(vfs_unlink(&v, tmp, "mine"), -EPERM);
    CHECK_EQ(vfs_rmdir(&v, tmp, "d"), -EPERM);
    v.cred = &u;
    CHECK_EQ(vfs_unlink(&v, tmp, "mine"), 0);
    v.cred = &root;
    CHECK_EQ(vfs_rmdir(&v, tmp, "d"), 0);
    CHECK_EQ(vfs_unlink(&v, priv, "f"), 0);
    /* Without the sticky bit, write permission on the directory is enough. */
    CHECK_EQ(vfs_create(&v, v.root, "shared", VFS_S_IFDIR | 0777, &n), 0);
    v.cred = &u;
    CHECK_EQ(vfs_create(&v, n, "x", VFS_S_IFREG | 0600, &f), 0);
    v.cred = &w;
    CHECK_EQ(vfs_unlink(&v, n, "x"), 0);
    /* A set-group-ID directory gives its group, and the mark to new directories. */
    v.cred = &root;
    struct vnode *sg;
    CHECK_EQ(vfs_create(&v, v.root, "sg", VFS_S_IFDIR | 02777, &sg), 0);
    sg->gid = 77;
    v.cred = &u;
    CHECK_EQ(vfs_create(&v, sg, "f", VFS_S_IFREG | 0644, &f), 0);
    CHECK_EQ(f->gid, 77u);
    CHECK_EQ(f->mode, VFS_S_IFREG | 0644u);
    CHECK_EQ(vfs_create(&v, sg, "d", VFS_S_IFDIR | 0755, &n), 0);
    CHECK_EQ(n->gid, 77u);
    CHECK_EQ(n->mode, VFS_S_IFDIR | 02755u);
    CHECK_EQ(vfs_create(&v, sg, "g", VFS_S_IFREG | 02755, &f), 0); /* u is not in group 77 */
    CHECK_EQ(f->mode, VFS_S_IFREG | 0755u);
    u.groups[0] = 77;
    u.ngroups = 1;
    CHECK_EQ(vfs_create(&v, sg, "h", VFS_S_IFREG | 02755, &f), 0); /* now it is */
    CHECK_EQ(f->mode, VFS_S_IFREG | 02755u);
    u.ngroups = 0;
    v.cred = 0;
    vfs_destroy(&v);
}

/* A file system's own entries (procfs's, made by its refresh hook when a path goes through a
 * directory) are made without the caller's permission checks, and belong to root. */
static struct vnode *auto_dir;

static int make_entry(struct vfs *v, struct vnode *dir)
{
    struct vnode *n;
    if (dir != auto_dir || vfs_child(dir, "made"))
        return 0;
    return vfs_create(v, dir, "made", VFS_S_IFREG | 0444, &n);
}

static void test_refresh(void)
{
    struct vfs v;
    struct vnode *n;
    struct cred u = user(1000, 100);
    CHECK_EQ(vfs_init(&v, 0), 0);
    CHECK_EQ(vfs_create(&v, v.root, "auto", VFS_S_IFDIR | 0555, &auto_dir), 0);
    v.root->fs->refresh = make_entry;
    v.cred = &u;
    CHECK_EQ(vfs_lookup(&v, v.root, "/auto/made", &n), 0);
    CHECK_EQ(n->uid, 0u);
    CHECK(v.cred == &u); /* given back after the hook */
    CHECK_EQ(vfs_create(&v, auto_dir, "mine", VFS_S_IFREG | 0644, &n), -EACCES);
    v.root->fs->refresh = 0;
    v.cred = 0;
    vfs_destroy(&v);
}

/* One newc member with an owner and group. */
static size_t member(uint8_t *at, const char *name, uint32_t mode, uint32_t uid, uint32_t gid)
{
    size_t namesize = strlen(name) + 1;
    int n = sprintf((char *)at, "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08zx%08x", 1,
                    mode, uid, gid, 1, 0, 0, 0, 0, 0, 0, namesize, 0);
    size_t off = (size_t)n;
    memcpy(at + off, name, namesize);
    return (off + namesize + 3) & ~3ul;
}

static void test_rootfs_owners(void)
{
    static uint8_t archive[1024];
    size_t at = 0;
    at += member(archive + at, ".", 040755, 0, 0);
    at += member(archive + at, "home", 040755, 0, 0);
    at += member(archive + at, "home/user", 040700, 1000, 100);
    at += member(archive + at, "home/user/notes", 0100600, 1000, 100);
    at += member(archive + at, "etc", 040755, 0, 0);
    at += member(archive + at, "etc/shadow", 0100640, 0, 42);
    at += member(archive + at, "TRAILER!!!", 0, 0, 0);
    struct vfs v;
    struct vnode *n;
    const char *why = "";
    CHECK_EQ(vfs_init(&v, 0), 0);
    CHECK_EQ(rootfs_fill(&v, archive, at, &why), 0);
    CHECK_EQ(vfs_lookup(&v, v.root, "/home/user", &n), 0);
    CHECK(n->uid == 1000 && n->gid == 100 && n->mode == (VFS_S_IFDIR | 0700));
    CHECK_EQ(vfs_lookup(&v, v.root, "/home/user/notes", &n), 0);
    CHECK(n->uid == 1000 && n->gid == 100 && n->mode == (VFS_S_IFREG | 0600));
    CHECK_EQ(vfs_lookup(&v, v.root, "/etc/shadow", &n), 0);
    CHECK(n->uid == 0 && n->gid == 42);
    /* And the checks use them: another user cannot look into /home/user. */
    struct cred other = user(1001, 100), owner = user(1000, 100), shadow = user(7, 42);
    v.cred = &other;
    CHECK_EQ(vfs_lookup(&v, v.root, "/home/user/notes", &n), -EACCES);
    v.cred = &owner;
    CHECK_EQ(vfs_lookup(&v, v.root, "/home/user/notes", &n), 0);
    CHECK_EQ(perm_node(&owner, n, PERM_READ | PERM_WRITE), 0);
    v.cred = &shadow;
    CHECK_EQ(vfs_lookup(&v, v.root, "/etc/shadow", &n), 0);
    CHECK_EQ(perm_node(&shadow, n, PERM_READ), 0); /* its group may read */
    CHECK_EQ(perm_node(&shadow, n, PERM_WRITE), -EACCES);
    v.cred = 0;
    vfs_destroy(&v);
}

int main(void)
{
    unit_run("perm", "permission bits and root", test_bits);
    unit_run("perm", "the checks of lookup, create and remove", test_vfs_checks);
    unit_run("perm", "the ramdisk's owners", test_rootfs_owners);
    unit_run("perm", "a file system's own entries", test_refresh);
    return unit_exit_code();
}
