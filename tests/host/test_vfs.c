/*
 * test_vfs.c - the posix server's tmpfs and path resolution
 * (servers/posix/vfs.c) and the root file system filled from a cpio
 * archive (rootfs.c): ".", "..", absolute and relative paths, the errors
 * (ENOENT, ENOTDIR, EISDIR, EEXIST, ENAMETOOLONG, EINVAL, ENOTEMPTY),
 * file data with holes, truncation, a file unlinked while open, getcwd's
 * path, the ramdisk's bytes copied at the first change; symbolic links
 * (followed or not, ELOOP, dangling, relative and absolute), hard links,
 * rename and renameat2's flags with Linux's error rules, mount points.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../servers/posix/devfs.h"
#include "../../servers/posix/rootfs.h"
#include "../../servers/posix/vfs.h"
#include "unit.h"

static struct vfs v;

static struct vnode *mk(struct vnode *dir, const char *name, uint32_t mode)
{
    struct vnode *n = 0;
    CHECK_EQ(vfs_create(&v, dir, name, mode, &n), 0);
    return n;
}

static void test_lookup(void)
{
    CHECK_EQ(vfs_init(&v, 0), 0);
    struct vnode *a = mk(v.root, "a", VFS_S_IFDIR | 0755);
    struct vnode *b = mk(a, "b", VFS_S_IFDIR | 0700);
    struct vnode *f = mk(b, "f", VFS_S_IFREG | 0644);
    struct vnode *n = 0;
    CHECK_EQ(vfs_lookup(&v, v.root, "/a/b/f", &n), 0);
    CHECK(n == f);
    CHECK_EQ(vfs_lookup(&v, b, "f", &n), 0);
    CHECK(n == f);
    CHECK_EQ(vfs_lookup(&v, b, "../b/./f", &n), 0);
    CHECK(n == f);
    CHECK_EQ(vfs_lookup(&v, b, "///a//b/", &n), 0);
    CHECK(n == b);
    CHECK_EQ(vfs_lookup(&v, b, "/..", &n), 0); /* the root's parent is the root */
    CHECK(n == v.root);
    CHECK_EQ(vfs_lookup(&v, b, "../..", &n), 0);
    CHECK(n == v.root);
    CHECK_EQ(vfs_lookup(&v, b, ".", &n), 0);
    CHECK(n == b);
    CHECK_EQ(vfs_lookup(&v, b, "", &n), -ENOENT);
    CHECK_EQ(vfs_lookup(&v, b, "g", &n), -ENOENT);
    CHECK_EQ(vfs_lookup(&v, b, "g/h", &n), -ENOENT);
    CHECK_EQ(vfs_lookup(&v, b, "f/", &n), -ENOTDIR);
    CHECK_EQ(vfs_lookup(&v, b, "f/x", &n), -ENOTDIR);
    CHECK_EQ(vfs_lookup(&v, b, "f/..", &n), -ENOTDIR);
    char long_name[300];
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = 0;
    CHECK_EQ(vfs_lookup(&v, b, long_name, &n), -ENAMETOOLONG);
    long_name[VFS_NAME_MAX] = 0; /* exactly NAME_MAX: allowed, just missing */
    CHECK_EQ(vfs_lookup(&v, b, long_name, &n), -ENOENT);

    char name[VFS_NAME_MAX + 1];
    struct vnode *dir = 0;
    bool slash = false;
    CHECK_EQ(vfs_lookup_parent(&v, v.root, "/a/b/new/", &dir, name, &slash), 0);
    CHECK(dir == b && strcmp(name, "new") == 0 && slash);
    CHECK_EQ(vfs_lookup_parent(&v, v.root, "/", &dir, name, &slash), 0);
    CHECK(dir == v.root && strcmp(name, ".") == 0 && !slash);
    CHECK_EQ(vfs_lookup_parent(&v, v.root, "a/b/f/new", &dir, name, &slash), -ENOTDIR);
    vfs_destroy(&v);
}

static void test_create_remove(void)
{
    CHECK_EQ(vfs_init(&v, 0), 0);
    struct vnode *d = mk(v.root, "d", VFS_S_IFDIR | 0755);
    CHECK_EQ(v.root->nlink, 3u);
    struct vnode *n = 0;
    CHECK_EQ(vfs_create(&v, v.root, "d", VFS_S_IFREG | 0644, &n), -EEXIST);
    CHECK_EQ(vfs_create(&v, v.root, ".", VFS_S_IFDIR | 0755, &n), -EEXIST);
    struct vnode *f = mk(d, "f", VFS_S_IFREG | 0644);
    CHECK_EQ(vfs_create(&v, f, "x", VFS_S_IFREG | 0644, &n), -ENOTDIR);
    CHECK_EQ(vfs_rmdir(&v, v.root, "d"), -ENOTEMPTY);
    CHECK_EQ(vfs_rmdir(&v, d, "f"), -ENOTDIR);
    CHECK_EQ(vfs_rmdir(&v, d, "."), -EINVAL);
    CHECK_EQ(vfs_rmdir(&v, d, ".."), -ENOTEMPTY);
    CHECK_EQ(vfs_unlink(&v, v.root, "d"), -EISDIR);
    CHECK_EQ(vfs_unlink(&v, d, "missing"), -ENOENT);
    vnode_get(d); /* a process's cwd */
    CHECK_EQ(vfs_unlink(&v, d, "f"), 0);
    CHECK_EQ(vfs_rmdir(&v, v.root, "d"), 0);
    CHECK_EQ(v.root->nlink, 2u);
    char path[64];
    CHECK_EQ(vfs_path_of(&v, d, path, sizeof path), -ENOENT); /* removed */
    CHECK_EQ(vfs_create(&v, d, "y", VFS_S_IFREG | 0644, &n), -ENOENT);
    struct vnode *up = 0;
    CHECK_EQ(vfs_lookup(&v, d, "..", &up), 0);
    CHECK(up == d);
    vnode_put(d); /* freed now (the sanitizer sees a leak otherwise) */
    vfs_destroy(&v);
}

/* The file system's size: the files' data together stays within size_max (ENOSPC), and the
 * room comes back when a file goes. */
static void test_size_limit(void)
{
    CHECK_EQ(vfs_init(&v, 0), 0);
    v.size_max = 8192;
    struct vnode *f = mk(v.root, "f", VFS_S_IFREG | 0644), *g = mk(v.root, "g", VFS_S_IFREG | 0644);
    static char block[4096];
    CHECK_EQ(vfs_write(&v, f, block, 0, sizeof block), 4096);
    CHECK_EQ(vfs_write(&v, g, block, 0, sizeof block), 4096);
    CHECK_EQ(vfs_write(&v, f, block, 4096, 1), -ENOSPC); /* f would need 8 KiB */
    CHECK_EQ(vfs_truncate(&v, g, 5000), -ENOSPC);
    CHECK_EQ(f->size, 4096u);
    CHECK_EQ(vfs_unlink(&v, v.root, "g"), 0); /* g's 4 KiB come back */
    CHECK_EQ(vfs_write(&v, f, block, 4096, 1), 1);
    CHECK_EQ(vfs_unlink(&v, v.root, "f"), 0);
    vfs_destroy(&v);
}

static void test_data(void)
{
    CHECK_EQ(vfs_init(&v, 0), 0);
    struct vnode *f = mk(v.root, "f", VFS_S_IFREG | 0644);
    char buf[32];
    CHECK_EQ(vfs_write(&v, f, "abc", 0, 3), 3);
    CHECK_EQ(vfs_write(&v, f, "z", 6, 1), 1); /* a hole of zeros */
    CHECK_EQ(f->size, 7u);
    CHECK_EQ(vfs_read(f, buf, 0, sizeof buf), 7u);
    CHECK(memcmp(buf, "abc\0\0\0z", 7) == 0);
    CHECK_EQ(vfs_read(f, buf, 7, 4), 0u);
    CHECK_EQ(vfs_read(f, buf, 100, 4), 0u);
    CHECK_EQ(vfs_read(f, buf, 5, 100), 2u);
    CHECK_EQ(vfs_truncate(&v, f, 2), 0);
    CHECK_EQ(vfs_truncate(&v, f, 4), 0); /* grows with zeros, not the old bytes */
    CHECK_EQ(vfs_read(f, buf, 0, sizeof buf), 4u);
    CHECK(memcmp(buf, "ab\0\0", 4) == 0);
    CHECK_EQ(vfs_write(&v, f, "x", UINT64_MAX - 1, 4), -EFBIG);
    CHECK_EQ(vfs_write(&v, f, "x", VFS_FILE_MAX, 1), -ENOSPC);
    CHECK_EQ(vfs_truncate(&v, f, VFS_FILE_MAX + 1), -ENOSPC);
    CHECK_EQ(f->size, 4u); /* unchanged */
    vnode_get(f);          /* open */
    CHECK_EQ(vfs_unlink(&v, v.root, "f"), 0);
    CHECK_EQ(f->nlink, 0u);
    CHECK_EQ(vfs_read(f, buf, 0, 2), 2u); /* still readable */
    vnode_put(f);

    static const uint8_t ramdisk[] = "from the ramdisk";
    struct vnode *g = mk(v.root, "g", VFS_S_IFREG | 0644);
    vfs_set_initial(g, ramdisk, 4);
    CHECK_EQ(vfs_read(g, buf, 0, sizeof buf), 4u);
    CHECK(memcmp(buf, "from", 4) == 0);
    CHECK_EQ(vfs_write(&v, g, "F", 0, 1), 1); /* copied now; the ramdisk stays */
    CHECK_EQ(vfs_read(g, buf, 0, sizeof buf), 4u);
    CHECK(memcmp(buf, "From", 4) == 0 && ramdisk[0] == 'f');
    vfs_destroy(&v);
}

static void test_path_of(void)
{
    CHECK_EQ(vfs_init(&v, 0), 0);
    struct vnode *d = 0;
    CHECK_EQ(vfs_mkdir_p(&v, "usr/local/bin", &d), 0);
    char path[64];
    CHECK_EQ(vfs_path_of(&v, d, path, sizeof path), 14);
    CHECK(strcmp(path, "/usr/local/bin") == 0);
    CHECK_EQ(vfs_path_of(&v, d, path, 14), -ERANGE);
    CHECK_EQ(vfs_path_of(&v, v.root, path, sizeof path), 1);
    CHECK(strcmp(path, "/") == 0);
    struct vnode *again = 0;
    CHECK_EQ(vfs_mkdir_p(&v, "/usr/./local/bin/", &again), 0);
    CHECK(again == d);
    vfs_destroy(&v);
}

static void test_symlinks(void)
{
    CHECK_EQ(vfs_init(&v, 0), 0);
    struct vnode *d = mk(v.root, "d", VFS_S_IFDIR | 0755);
    struct vnode *f = mk(d, "f", VFS_S_IFREG | 0644);
    struct vnode *l = 0, *n = 0;
    CHECK_EQ(vfs_symlink(&v, v.root, "rel", "d/f", &l), 0);
    CHECK_EQ(l->mode, VFS_S_IFLNK | 0777u);
    CHECK_EQ(l->size, 3u);
    CHECK_EQ(vfs_symlink(&v, d, "abs", "/d/f", &n), 0);
    CHECK_EQ(vfs_symlink(&v, d, "up", "..", &n), 0);     /* relative to the link's directory */
    CHECK_EQ(vfs_symlink(&v, v.root, "dl", "d", &n), 0); /* a link to a directory */
    CHECK_EQ(vfs_symlink(&v, v.root, "dangling", "nothing", &n), 0);
    CHECK_EQ(vfs_symlink(&v, v.root, "self", "self", &n), 0);
    CHECK_EQ(vfs_symlink(&v, v.root, "x", "", &n), -ENOENT);
    CHECK_EQ(vfs_symlink(&v, v.root, "rel", "y", &n), -EEXIST);
    CHECK_EQ(vfs_lookup(&v, v.root, "rel", &n), 0);
    CHECK(n == f);
    CHECK_EQ(vfs_resolve(&v, v.root, "rel", false, &n), 0);
    CHECK(n == l);
    CHECK_EQ(vfs_lookup(&v, v.root, "/d/abs", &n), 0);
    CHECK(n == f);
    CHECK_EQ(vfs_lookup(&v, v.root, "d/up/d/up/rel", &n), 0); /* links in the middle */
    CHECK(n == f);
    CHECK_EQ(vfs_lookup(&v, v.root, "dl/f", &n), 0);
    CHECK(n == f);
    CHECK_EQ(vfs_resolve(&v, v.root, "dl/", false, &n), 0); /* a trailing slash follows */
    CHECK(n == d);
    CHECK_EQ(vfs_lookup(&v, v.root, "rel/", &n), -ENOTDIR);
    CHECK_EQ(vfs_lookup(&v, v.root, "dangling", &n), -ENOENT);
    CHECK_EQ(vfs_resolve(&v, v.root, "dangling", false, &n), 0);
    CHECK_EQ(vfs_lookup(&v, v.root, "self", &n), -ELOOP);
    CHECK_EQ(vfs_lookup(&v, v.root, "self/x", &n), -ELOOP);
    CHECK_EQ(vfs_resolve(&v, v.root, "self", false, &n), 0);
    char name[VFS_NAME_MAX + 1];
    struct vnode *dir = 0;
    bool slash = false;
    CHECK_EQ(vfs_lookup_parent(&v, v.root, "dl/new", &dir, name, &slash), 0);
    CHECK(dir == d && strcmp(name, "new") == 0);

    /* A chain: l0 -> l1 -> ... -> l40 -> d/f.  40 links followed are allowed, 41 are not. */
    char lname[16], target[16];
    for (int i = 40; i >= 0; i--) {
        snprintf(lname, sizeof lname, "l%d", i);
        if (i == 40)
            snprintf(target, sizeof target, "d/f");
        else
            snprintf(target, sizeof target, "l%d", i + 1);
        CHECK_EQ(vfs_symlink(&v, v.root, lname, target, &n), 0);
    }
    CHECK_EQ(vfs_lookup(&v, v.root, "l1", &n), 0);
    CHECK(n == f);
    CHECK_EQ(vfs_lookup(&v, v.root, "l0", &n), -ELOOP);
    CHECK_EQ(vfs_resolve(&v, v.root, "l0", false, &n), 0);
    CHECK_EQ(vfs_unlink(&v, v.root, "rel"), 0); /* unlink removes the link, not its target */
    CHECK_EQ(vfs_lookup(&v, v.root, "d/f", &n), 0);
    CHECK_EQ(vfs_rmdir(&v, v.root, "dl"), -ENOTDIR);
    vfs_destroy(&v);
}

static void test_hard_links(void)
{
    CHECK_EQ(vfs_init(&v, 0), 0);
    struct vnode *d = mk(v.root, "d", VFS_S_IFDIR | 0755);
    struct vnode *f = mk(v.root, "f", VFS_S_IFREG | 0644);
    struct vnode *n = 0;
    CHECK_EQ(vfs_link(&v, f, d, "g"), 0);
    CHECK_EQ(f->nlink, 2u);
    CHECK_EQ(vfs_lookup(&v, v.root, "d/g", &n), 0);
    CHECK(n == f);
    CHECK_EQ(vfs_link(&v, f, d, "g"), -EEXIST);
    CHECK_EQ(vfs_link(&v, f, d, "."), -EEXIST);
    CHECK_EQ(vfs_link(&v, d, v.root, "e"), -EPERM);
    CHECK_EQ(vfs_link(&v, f, f, "x"), -ENOTDIR);
    CHECK_EQ(vfs_write(&v, f, "hi", 0, 2), 2);
    CHECK_EQ(vfs_unlink(&v, v.root, "f"), 0);
    CHECK_EQ(f->nlink, 1u);
    char buf[4];
    CHECK_EQ(vfs_read(n, buf, 0, 4), 2u); /* the data stays with the other name */
    vnode_get(f);
    CHECK_EQ(vfs_unlink(&v, d, "g"), 0);
    CHECK_EQ(vfs_link(&v, f, d, "h"), -ENOENT); /* no name left */
    vnode_put(f);
    vfs_destroy(&v);
}

static void test_rename(void)
{
    CHECK_EQ(vfs_init(&v, 0), 0);
    struct vnode *a = mk(v.root, "a", VFS_S_IFDIR | 0755);
    struct vnode *b = mk(a, "b", VFS_S_IFDIR | 0755);
    struct vnode *e = mk(v.root, "e", VFS_S_IFDIR | 0755);
    struct vnode *f = mk(v.root, "f", VFS_S_IFREG | 0644);
    struct vnode *g = mk(v.root, "g", VFS_S_IFREG | 0644);
    struct vnode *n = 0;
    mk(b, "inner", VFS_S_IFREG | 0644);
    const uint32_t NOREPLACE = VFS_RENAME_NOREPLACE, EXCHANGE = VFS_RENAME_EXCHANGE;

    CHECK_EQ(vfs_rename(&v, v.root, "missing", false, v.root, "x", false, 0), -ENOENT);
    CHECK_EQ(vfs_rename(&v, v.root, ".", false, v.root, "x", false, 0), -EBUSY);
    CHECK_EQ(vfs_rename(&v, v.root, "f", false, v.root, "..", false, 0), -EBUSY);
    CHECK_EQ(vfs_rename(&v, v.root, "f", false, v.root, ".", false, NOREPLACE), -EEXIST);
    CHECK_EQ(vfs_rename(&v, v.root, "f", false, v.root, "g", false, NOREPLACE), -EEXIST);
    CHECK_EQ(vfs_rename(&v, v.root, "f", false, v.root, "x", false, EXCHANGE), -ENOENT);
    CHECK_EQ(vfs_rename(&v, v.root, "f", true, v.root, "x", false, 0), -ENOTDIR);
    CHECK_EQ(vfs_rename(&v, v.root, "f", false, v.root, "x", true, 0), -ENOTDIR);
    CHECK_EQ(vfs_rename(&v, v.root, "a", false, b, "x", false, 0), -EINVAL); /* into itself */
    CHECK_EQ(vfs_rename(&v, v.root, "a", false, a, "x", false, 0), -EINVAL);
    CHECK_EQ(vfs_rename(&v, b, "inner", false, v.root, "a", false, 0), -ENOTEMPTY); /* ancestor */
    CHECK_EQ(vfs_rename(&v, b, "inner", false, v.root, "a", false, EXCHANGE), -EINVAL);
    CHECK_EQ(vfs_rename(&v, v.root, "a", false, v.root, "f", false, 0), -ENOTDIR);
    CHECK_EQ(vfs_rename(&v, v.root, "f", false, v.root, "e", false, 0), -EISDIR);
    CHECK_EQ(vfs_rename(&v, v.root, "e", false, a, "b", false, 0), -ENOTEMPTY);
    CHECK_EQ(vfs_rename(&v, v.root, "f", false, v.root, "f", false, 0), 0); /* itself */
    CHECK_EQ(vfs_link(&v, f, e, "f2"), 0);
    CHECK_EQ(vfs_rename(&v, v.root, "f", false, e, "f2", false, 0), 0); /* two names, one file */
    CHECK(vfs_child(v.root, "f") == f && f->nlink == 2);

    /* Replacing a file: the old target goes (freed), the name now names f. */
    CHECK_EQ(vfs_rename(&v, e, "f2", false, v.root, "g", false, 0), 0);
    CHECK(vfs_child(v.root, "g") == f && vfs_child(e, "f2") == 0 && f->nlink == 2);
    (void)g;
    /* A directory moves: the link counts of both parents change, ".." follows it. */
    CHECK_EQ(v.root->nlink, 4u);
    CHECK_EQ(vfs_rename(&v, a, "b", false, e, "b2", true, 0), 0);
    CHECK_EQ(a->nlink, 2u);
    CHECK_EQ(e->nlink, 3u);
    CHECK_EQ(vfs_lookup(&v, b, "../..", &n), 0);
    CHECK(n == v.root);
    CHECK_EQ(vfs_lookup(&v, v.root, "e/b2/inner", &n), 0);
    /* Over an empty directory. */
    struct vnode *empty = mk(v.root, "empty", VFS_S_IFDIR | 0755);
    vnode_get(empty);
    CHECK_EQ(vfs_rename(&v, e, "b2", false, v.root, "empty", false, 0), 0);
    CHECK_EQ(empty->nlink, 0u);
    CHECK(empty->parent == 0);
    vnode_put(empty);
    CHECK_EQ(v.root->nlink, 5u); /* a, e, empty (now b) */
    CHECK_EQ(e->nlink, 2u);
    /* Exchange a directory and a file in different directories. */
    CHECK_EQ(vfs_rename(&v, v.root, "empty", false, a, "x", false, EXCHANGE), -ENOENT);
    struct vnode *h = mk(a, "h", VFS_S_IFREG | 0644);
    CHECK_EQ(vfs_rename(&v, v.root, "empty", false, a, "h", true, EXCHANGE), -ENOTDIR);
    CHECK_EQ(vfs_rename(&v, v.root, "empty", false, a, "h", false, EXCHANGE), 0);
    CHECK(vfs_child(v.root, "empty") == h && vfs_child(a, "h") == b && b->parent == a);
    CHECK_EQ(v.root->nlink, 4u);
    CHECK_EQ(a->nlink, 3u);
    vfs_destroy(&v);
}

static void test_mounts(void)
{
    CHECK_EQ(vfs_init(&v, 0), 0);
    struct vnode *dev = mk(v.root, "dev", VFS_S_IFDIR | 0755);
    mk(dev, "hidden", VFS_S_IFREG | 0644); /* covered by the mount */
    struct vnode *f = mk(v.root, "f", VFS_S_IFREG | 0644);
    struct vfs_fs *fs = 0;
    CHECK_EQ(vfs_mount(&v, f, "devtmpfs", "devtmpfs", 1, 5, &fs), -ENOTDIR);
    CHECK_EQ(vfs_mount(&v, dev, "devtmpfs", "devtmpfs", 1, 5, &fs), 0);
    CHECK_EQ(vfs_mount(&v, dev, "devtmpfs", "devtmpfs", 1, 5, &fs), -EBUSY);
    CHECK(fs->covered == dev && fs->root->fs == fs);
    struct vnode *n = 0, *null = mk(fs->root, "null", VFS_S_IFCHR | 0666);
    CHECK(null->fs == fs);
    CHECK_EQ(vfs_lookup(&v, v.root, "/dev/null", &n), 0);
    CHECK(n == null);
    CHECK_EQ(vfs_lookup(&v, v.root, "/dev/hidden", &n), -ENOENT);
    CHECK_EQ(vfs_lookup(&v, v.root, "/dev", &n), 0);
    CHECK(n == fs->root);
    CHECK_EQ(vfs_lookup(&v, fs->root, "../f", &n), 0); /* ".." leaves by the mount point */
    CHECK(n == f);
    char path[32];
    struct vnode *sub = mk(fs->root, "pts", VFS_S_IFDIR | 0755);
    CHECK_EQ(vfs_path_of(&v, sub, path, sizeof path), 8);
    CHECK(strcmp(path, "/dev/pts") == 0);
    CHECK_EQ(vfs_path_of(&v, fs->root, path, sizeof path), 4);
    CHECK(strcmp(path, "/dev") == 0);
    CHECK_EQ(vfs_link(&v, f, fs->root, "f"), -EXDEV);
    CHECK_EQ(vfs_rename(&v, v.root, "f", false, fs->root, "f", false, 0), -EXDEV);
    CHECK_EQ(vfs_rmdir(&v, v.root, "dev"), -EBUSY);
    CHECK_EQ(vfs_rename(&v, v.root, "dev", false, v.root, "dev2", false, 0), -EBUSY);
    CHECK_EQ(vfs_symlink(&v, v.root, "n", "dev/null", &n), 0);
    CHECK_EQ(vfs_lookup(&v, v.root, "n", &n), 0);
    CHECK(n == null);
    vfs_destroy(&v);
}

/* A file system that makes its names when asked, like procfs: "now" holds the count of
 * refreshes. */
static int refreshes;

static int refresh_hook(struct vfs *fv, struct vnode *dir)
{
    char name[16];
    struct vnode *n = 0;
    refreshes++;
    if (vfs_child(dir, "old"))
        vfs_remove_tree(fv, dir, "old");
    snprintf(name, sizeof name, "gen%d", refreshes);
    return vfs_create(fv, dir, name, VFS_S_IFREG | 0444, &n);
}

static void test_refresh(void)
{
    CHECK_EQ(vfs_init(&v, 0), 0);
    struct vnode *d = mk(v.root, "proc", VFS_S_IFDIR | 0555), *n = 0;
    struct vfs_fs *fs = 0;
    CHECK_EQ(vfs_mount(&v, d, "proc", "proc", 0x9fa0, 0x15, &fs), 0);
    struct vnode *old = mk(fs->root, "old", VFS_S_IFDIR | 0555);
    mk(mk(old, "sub", VFS_S_IFDIR | 0555), "f", VFS_S_IFREG | 0444);
    CHECK(!vfs_names_fixed(fs->root));
    fs->refresh = refresh_hook;
    CHECK(vfs_names_fixed(fs->root) && !vfs_names_fixed(v.root));
    refreshes = 0;
    CHECK_EQ(vfs_lookup(&v, v.root, "/proc/gen1", &n), 0); /* made by the lookup itself */
    CHECK_EQ(refreshes, 1);
    CHECK(vfs_child(fs->root, "old") == 0);             /* the whole tree went */
    CHECK_EQ(vfs_lookup(&v, v.root, "/proc/.", &n), 0); /* "." and ".." need no refresh */
    CHECK_EQ(refreshes, 1);
    CHECK_EQ(vfs_refresh(&v, fs->root), 0);
    CHECK(vfs_child(fs->root, "gen2") != 0);
    CHECK_EQ(vfs_remove_tree(&v, fs->root, "missing"), -ENOENT);
    fs->refresh = 0;
    vfs_destroy(&v);
}

static void test_devfs(void)
{
    CHECK_EQ(vfs_init(&v, 0), 0);
    CHECK_EQ(devfs_mount(&v), 0);
    struct vnode *n = 0, *dev = 0;
    CHECK_EQ(vfs_lookup(&v, v.root, "/dev/null", &n), 0);
    CHECK_EQ(n->mode, VFS_S_IFCHR | 0666u);
    CHECK_EQ(n->rdev, 0x103u); /* 1:3 */
    CHECK_EQ(n->fs->dev, (uint64_t)DEVFS_DEV);
    CHECK_EQ(vfs_lookup(&v, v.root, "/dev/ttyS0", &n), 0);
    CHECK_EQ(n->rdev, 0x440u);                  /* 4:64 */
    CHECK_EQ(devfs_makedev(1, 300), 0x10012cu); /* a minor above 255: its high bits at 20 */
    CHECK_EQ(vfs_resolve(&v, v.root, "/dev/stdin", false, &n), 0);
    CHECK(vnode_is_link(n) && strcmp((const char *)n->data, "/proc/self/fd/0") == 0);
    CHECK_EQ(vfs_lookup(&v, v.root, "/dev", &dev), 0);
    CHECK(dev == v.fs[1].root && strcmp(v.fs[1].type, "devtmpfs") == 0);
    CHECK_EQ(devfs_mount(&v), -EBUSY); /* once */
    vfs_destroy(&v);
}

/* One newc member: header, name, data, each padded to 4 bytes. */
static size_t member(uint8_t *at, const char *name, uint32_t mode, const char *data)
{
    size_t namesize = strlen(name) + 1, size = strlen(data);
    int n = sprintf((char *)at, "070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x", 1,
                    mode, 0, 0, 1, 0, size, 0, 0, 0, 0, namesize, 0);
    size_t off = (size_t)n;
    memcpy(at + off, name, namesize);
    off = (off + namesize + 3) & ~3ul;
    memcpy(at + off, data, size);
    return (off + size + 3) & ~3ul;
}

static void test_rootfs(void)
{
    static uint8_t archive[2048];
    memset(archive, 0, sizeof archive);
    size_t at = 0;
    at += member(archive + at, ".", 040755, "");
    at += member(archive + at, "./etc", 040755, "");
    at += member(archive + at, "./etc/hostname", 0100644, "mica\n");
    at += member(archive + at, "bin/prog", 0100755, "ELF");
    at += member(archive + at, "bin/link", 0120777, "prog");
    at += member(archive + at, "TRAILER!!!", 0, "");
    CHECK_EQ(vfs_init(&v, 0), 0);
    const char *why = "";
    CHECK_EQ(rootfs_fill(&v, archive, at, &why), 0);
    struct vnode *n = 0;
    CHECK_EQ(vfs_lookup(&v, v.root, "/etc/hostname", &n), 0);
    CHECK_EQ(n->size, 5u);
    CHECK_EQ(n->mode, 0100644u);
    CHECK_EQ(vfs_lookup(&v, v.root, "/bin/prog", &n), 0);
    CHECK_EQ(n->mode, 0100755u);
    CHECK_EQ(vfs_lookup(&v, v.root, "/bin/link", &n), 0); /* the link, followed */
    CHECK_EQ(n->mode, 0100755u);
    CHECK_EQ(vfs_resolve(&v, v.root, "/bin/link", false, &n), 0);
    CHECK_EQ(n->mode, 0120777u);
    CHECK_EQ(n->size, 4u);
    CHECK_EQ(vfs_lookup(&v, v.root, "/tmp", &n), 0);
    CHECK_EQ(n->mode, 041777u);
    CHECK_EQ(rootfs_fill(&v, archive, 100, &why), -EINVAL); /* truncated */
    vfs_destroy(&v);
}

int main(void)
{
    unit_run("vfs", "lookup", test_lookup);
    unit_run("vfs", "create and remove", test_create_remove);
    unit_run("vfs", "file data", test_data);
    unit_run("vfs", "the file system's size", test_size_limit);
    unit_run("vfs", "path of a directory", test_path_of);
    unit_run("vfs", "rootfs from a cpio archive", test_rootfs);
    unit_run("vfs", "symbolic links", test_symlinks);
    unit_run("vfs", "hard links", test_hard_links);
    unit_run("vfs", "rename and renameat2", test_rename);
    unit_run("vfs", "mount points", test_mounts);
    unit_run("vfs", "devfs", test_devfs);
    unit_run("vfs", "file systems that make their names", test_refresh);
    return unit_exit_code();
}
