/*
 * rootfs.c - filling the root tmpfs from the initial ramdisk (concepts:
 * the root file system, initramfs).  See rootfs.h.  Pure code.
 */
#include "rootfs.h"
#include "linux_abi.h"
#include <mica/cpio.h>
#include <mica/string.h>

/* A symbolic link: its target is the member's data (without a NUL). */
static int add_link(struct vfs *v, struct vnode *dir, const char *name, const struct cpio_entry *e,
                    struct vnode **n)
{
    static char target[VFS_PATH_MAX];
    if (e->size >= sizeof target)
        return -LINUX_ENAMETOOLONG;
    memcpy(target, e->data, e->size);
    target[e->size] = 0;
    return vfs_symlink(v, dir, name, target, n);
}

/* Put one member into the tree: its directories, then itself. */
static int add_member(struct vfs *v, const struct cpio_entry *e)
{
    char path[CPIO_NAME_MAX];
    uint64_t len = strlen(e->name);
    memcpy(path, e->name, len + 1);
    uint32_t type = e->mode & CPIO_MODE_TYPE;
    struct vnode *dir, *n;
    if (type == CPIO_MODE_DIR) {
        int err = vfs_mkdir_p(v, path, &dir);
        if (err == 0) { /* the directory as the archive has it (Linux's initramfs does so) */
            dir->mode = VFS_S_IFDIR | (e->mode & 07777);
            dir->uid = e->uid;
            dir->gid = e->gid;
        }
        return err;
    }
    if (type != CPIO_MODE_FILE && type != CPIO_MODE_LINK)
        return 0; /* device nodes: /dev is devfs's */
    char *slash = 0;
    for (char *s = path; *s; s++)
        if (*s == '/')
            slash = s;
    const char *name = path;
    int err = 0;
    if (slash) {
        *slash = 0;
        name = slash + 1;
        err = vfs_mkdir_p(v, path, &dir);
    } else {
        dir = v->root;
    }
    if (err < 0)
        return err;
    if (type == CPIO_MODE_LINK) {
        if ((err = add_link(v, dir, name, e, &n)) == 0) {
            n->uid = e->uid;
            n->gid = e->gid;
        }
        return err;
    }
    if ((n = vfs_child(dir, name)) == 0 &&
        (err = vfs_create(v, dir, name, VFS_S_IFREG | (e->mode & 07777), &n)) < 0)
        return err;
    if (vnode_is_dir(n))
        return -LINUX_EISDIR;
    vfs_set_initial(n, e->data, e->size);
    n->uid = e->uid;
    n->gid = e->gid;
    return 0;
}

int rootfs_fill(struct vfs *v, const uint8_t *archive, uint64_t size, const char **why)
{
    uint64_t offset = 0;
    struct cpio_entry e;
    int r;
    while ((r = cpio_next(archive, size, &offset, &e, why)) > 0) {
        int err = add_member(v, &e);
        if (err < 0) {
            *why = "a member that does not fit the tree";
            return err;
        }
    }
    if (r < 0)
        return r;
    struct vnode *tmp;
    int err = vfs_mkdir_p(v, "tmp", &tmp);
    if (err < 0) {
        *why = "no /tmp";
        return err;
    }
    tmp->mode = VFS_S_IFDIR | 01777;
    return 0;
}
