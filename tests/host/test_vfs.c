/*
 * test_vfs.c - the posix server's tmpfs and path resolution
 * (servers/posix/vfs.c) and the root file system filled from a cpio
 * archive (rootfs.c): ".", "..", absolute and relative paths, the errors
 * (ENOENT, ENOTDIR, EISDIR, EEXIST, ENAMETOOLONG, EINVAL, ENOTEMPTY),
 * file data with holes, truncation, a file unlinked while open, getcwd's
 * path, the ramdisk's bytes copied at the first change.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    CHECK_EQ(vfs_lookup(&v, v.root, "/bin/link", &n), -ENOENT); /* no symbolic links yet */
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
    return unit_exit_code();
}
