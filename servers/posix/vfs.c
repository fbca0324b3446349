/*
 * vfs.c - tmpfs and path resolution (concepts: inodes, directories, path
 * resolution, reference counting of open files).  See vfs.h.  Pure code:
 * only the heap (malloc) and the clock callback.
 */
#include "vfs.h"
#include "linux_abi.h"
#include "perm.h"
#include <malloc.h> /* the server's heap (lib/mica/malloc.h); on the host, the C library's */
#include <mica/string.h>

static uint64_t now(const struct vfs *v)
{
    return v->now_ns ? v->now_ns() : 0;
}

static struct vnode *node_new(struct vfs *v, uint32_t mode)
{
    struct vnode *n = calloc(1, sizeof *n);
    if (!n)
        return 0;
    n->mode = mode;
    n->ino = v->next_ino++;
    n->atime_ns = n->mtime_ns = n->ctime_ns = now(v);
    return n;
}

static void node_free(struct vnode *n)
{
    for (uint32_t i = 0; i < n->nents; i++)
        free(n->ents[i].name);
    free(n->ents);
    free(n->data);
    free(n);
}

int vfs_init(struct vfs *v, uint64_t (*now_ns)(void))
{
    memset(v, 0, sizeof *v);
    v->now_ns = now_ns;
    v->next_ino = 1;
    v->root = node_new(v, VFS_S_IFDIR | 0755);
    if (!v->root)
        return -LINUX_ENOMEM;
    v->root->parent = v->root;
    v->root->nlink = 2;
    v->root->refs = 1; /* never freed */
    return 0;
}

static void free_tree(struct vnode *n)
{
    for (uint32_t i = 0; i < n->nents; i++)
        free_tree(n->ents[i].node);
    node_free(n);
}

void vfs_destroy(struct vfs *v)
{
    free_tree(v->root);
    v->root = 0;
}

struct vnode *vfs_child(struct vnode *dir, const char *name)
{
    for (uint32_t i = 0; i < dir->nents; i++)
        if (strcmp(dir->ents[i].name, name) == 0)
            return dir->ents[i].node;
    return 0;
}

/* Copy the component at *p into name and advance *p past it and its slashes. */
static int next_component(const char **p, char *name)
{
    const char *s = *p;
    uint64_t n = 0;
    while (s[n] && s[n] != '/')
        n++;
    if (n > VFS_NAME_MAX)
        return -LINUX_ENAMETOOLONG;
    memcpy(name, s, n);
    name[n] = 0;
    s += n;
    while (*s == '/')
        s++;
    *p = s;
    return 0;
}

/* One step from directory d by name: ".", "..", or an entry. */
static int step(struct vnode *d, const char *name, struct vnode **out)
{
    if (!vnode_is_dir(d))
        return -LINUX_ENOTDIR;
    if (strcmp(name, ".") == 0) {
        *out = d;
    } else if (strcmp(name, "..") == 0) {
        *out = d->parent ? d->parent : d;
    } else {
        *out = vfs_child(d, name);
        if (!*out)
            return -LINUX_ENOENT;
    }
    return 0;
}

/* Every component is looked up in a directory the caller may search. */
static int may_search(const struct vfs *v, const struct vnode *d)
{
    if (!vnode_is_dir(d))
        return -LINUX_ENOTDIR;
    return v->cred ? perm_node(v->cred, d, PERM_EXEC) : 0;
}

int vfs_lookup_parent(struct vfs *v, struct vnode *start, const char *path, struct vnode **dir,
                      char *name, bool *trailing_slash)
{
    if (!path[0])
        return -LINUX_ENOENT;
    struct vnode *d = path[0] == '/' ? v->root : start;
    while (*path == '/')
        path++;
    name[0] = '.';
    name[1] = 0;
    *trailing_slash = false;
    while (*path) {
        int err = may_search(v, d);
        if (err < 0 || (err = next_component(&path, name)) < 0)
            return err;
        if (!*path) { /* the last one: was it followed by a slash? */
            uint64_t len = strlen(name);
            *trailing_slash = path[-1] == '/' && len > 0;
            break;
        }
        struct vnode *next;
        if ((err = step(d, name, &next)) < 0)
            return err;
        d = next;
    }
    if (!vnode_is_dir(d))
        return -LINUX_ENOTDIR;
    *dir = d;
    return 0;
}

int vfs_lookup(struct vfs *v, struct vnode *start, const char *path, struct vnode **out)
{
    char name[VFS_NAME_MAX + 1];
    struct vnode *dir;
    bool slash;
    int err = vfs_lookup_parent(v, start, path, &dir, name, &slash);
    if (err < 0)
        return err;
    if ((err = step(dir, name, out)) < 0)
        return err;
    if (slash && !vnode_is_dir(*out))
        return -LINUX_ENOTDIR;
    return 0;
}

/* A new node's owner: the caller; its group: the caller's, or a set-group-ID directory's
 * (where a new directory is set-group-ID too, and a group-executable set-group-ID file of a
 * caller outside that group loses the bit, as on Linux). */
static void own(const struct vfs *v, const struct vnode *dir, struct vnode *n)
{
    const struct cred *c = v->cred;
    n->uid = c ? c->fsuid : 0;
    n->gid = c ? c->fsgid : 0;
    if (!(dir->mode & 02000))
        return;
    n->gid = dir->gid;
    if (vnode_is_dir(n))
        n->mode |= 02000;
    else if ((n->mode & 02010) == 02010 && c && c->fsuid != 0 && !cred_in_group(c, dir->gid))
        n->mode &= ~02000u;
}

int vfs_create(struct vfs *v, struct vnode *dir, const char *name, uint32_t mode,
               struct vnode **out)
{
    if (!vnode_is_dir(dir))
        return -LINUX_ENOTDIR;
    if (!dir->parent)
        return -LINUX_ENOENT; /* a removed directory takes no new entries */
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || vfs_child(dir, name))
        return -LINUX_EEXIST;
    int err = v->cred ? perm_may_create(v->cred, dir) : 0;
    if (err < 0)
        return err;
    if (dir->nents == dir->cap_ents) {
        uint32_t cap = dir->cap_ents ? dir->cap_ents * 2 : 8;
        struct vdirent *e = realloc(dir->ents, cap * sizeof *e);
        if (!e)
            return -LINUX_ENOSPC;
        dir->ents = e;
        dir->cap_ents = cap;
    }
    struct vnode *n = node_new(v, mode);
    char *copy = malloc(strlen(name) + 1);
    if (!n || !copy) {
        free(n);
        free(copy);
        return -LINUX_ENOSPC;
    }
    memcpy(copy, name, strlen(name) + 1);
    own(v, dir, n);
    if (vnode_is_dir(n)) {
        n->parent = dir;
        n->nlink = 2;
        dir->nlink++; /* the new directory's ".." */
    } else {
        n->nlink = 1;
    }
    dir->ents[dir->nents++] = (struct vdirent){copy, n};
    dir->mtime_ns = dir->ctime_ns = now(v);
    *out = n;
    return 0;
}

void vnode_get(struct vnode *n)
{
    n->refs++;
}

void vnode_put(struct vnode *n)
{
    if (--n->refs == 0 && n->nlink == 0)
        node_free(n);
}

/* Take entry i out of dir; free its node if nothing else uses it. */
static void remove_entry(struct vfs *v, struct vnode *dir, uint32_t i)
{
    struct vnode *n = dir->ents[i].node;
    free(dir->ents[i].name);
    memmove(&dir->ents[i], &dir->ents[i + 1], (dir->nents - i - 1) * sizeof dir->ents[0]);
    dir->nents--;
    dir->mtime_ns = dir->ctime_ns = now(v);
    if (vnode_is_dir(n)) {
        dir->nlink--;
        n->parent = 0;
        n->nlink = 0;
    } else {
        n->nlink--;
    }
    n->ctime_ns = now(v);
    if (n->nlink == 0 && n->refs == 0)
        node_free(n);
}

static int find_entry(struct vnode *dir, const char *name)
{
    for (uint32_t i = 0; i < dir->nents; i++)
        if (strcmp(dir->ents[i].name, name) == 0)
            return (int)i;
    return -1;
}

int vfs_unlink(struct vfs *v, struct vnode *dir, const char *name)
{
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return -LINUX_EISDIR;
    int i = find_entry(dir, name);
    if (i < 0)
        return -LINUX_ENOENT;
    int err = v->cred ? perm_may_delete(v->cred, dir, dir->ents[i].node) : 0;
    if (err < 0)
        return err;
    if (vnode_is_dir(dir->ents[i].node))
        return -LINUX_EISDIR;
    remove_entry(v, dir, (uint32_t)i);
    return 0;
}

int vfs_rmdir(struct vfs *v, struct vnode *dir, const char *name)
{
    if (strcmp(name, ".") == 0)
        return -LINUX_EINVAL;
    if (strcmp(name, "..") == 0)
        return -LINUX_ENOTEMPTY;
    int i = find_entry(dir, name);
    if (i < 0)
        return -LINUX_ENOENT;
    struct vnode *n = dir->ents[i].node;
    int err = v->cred ? perm_may_delete(v->cred, dir, n) : 0;
    if (err < 0)
        return err;
    if (!vnode_is_dir(n))
        return -LINUX_ENOTDIR;
    if (n->nents)
        return -LINUX_ENOTEMPTY;
    remove_entry(v, dir, (uint32_t)i);
    return 0;
}

/* Make the file's bytes its own (copied from the ramdisk) with room for at least cap bytes. */
static int reserve(struct vnode *n, uint64_t cap)
{
    if (cap <= n->cap && !n->initial)
        return 0;
    if (cap > VFS_FILE_MAX)
        return -LINUX_ENOSPC;
    uint64_t want = n->cap ? n->cap : 64;
    while (want < cap)
        want *= 2;
    if (want < cap)
        return -LINUX_EFBIG;
    uint8_t *d = n->initial ? malloc(want) : realloc(n->data, want);
    if (!d)
        return -LINUX_ENOSPC;
    if (n->initial)
        memcpy(d, n->initial, n->size);
    n->initial = 0;
    n->data = d;
    n->cap = want;
    return 0;
}

void vfs_set_initial(struct vnode *n, const uint8_t *data, uint64_t size)
{
    free(n->data);
    n->data = 0;
    n->cap = 0;
    n->initial = data;
    n->size = size;
}

uint64_t vfs_read(struct vnode *n, void *buf, uint64_t off, uint64_t len)
{
    if (off >= n->size)
        return 0;
    if (len > n->size - off)
        len = n->size - off;
    memcpy(buf, (n->initial ? n->initial : n->data) + off, len);
    return len;
}

int64_t vfs_write(struct vfs *v, struct vnode *n, const void *buf, uint64_t off, uint64_t len)
{
    if (len == 0)
        return 0;
    if (off + len < off || off + len > (uint64_t)INT64_MAX)
        return -LINUX_EFBIG;
    int err = reserve(n, off + len);
    if (err < 0)
        return err;
    if (off > n->size)
        memset(n->data + n->size, 0, off - n->size);
    memcpy(n->data + off, buf, len);
    if (off + len > n->size)
        n->size = off + len;
    n->mtime_ns = n->ctime_ns = now(v);
    return (int64_t)len;
}

int vfs_truncate(struct vfs *v, struct vnode *n, uint64_t size)
{
    int err = reserve(n, size);
    if (err < 0)
        return err;
    if (size > n->size)
        memset(n->data + n->size, 0, size - n->size);
    n->size = size;
    n->mtime_ns = n->ctime_ns = now(v);
    return 0;
}

static const char *name_in_parent(const struct vnode *d)
{
    for (uint32_t i = 0; i < d->parent->nents; i++)
        if (d->parent->ents[i].node == d)
            return d->parent->ents[i].name;
    return 0;
}

int64_t vfs_path_of(struct vfs *v, struct vnode *d, char *buf, uint64_t size)
{
    /* Built from the end of buf backwards, then moved to its start. */
    if (size < 2)
        return -LINUX_ERANGE;
    uint64_t at = size - 1;
    buf[at] = 0;
    for (struct vnode *n = d; n != v->root; n = n->parent) {
        if (!n->parent)
            return -LINUX_ENOENT;
        const char *name = name_in_parent(n);
        uint64_t len = name ? strlen(name) : 0;
        if (!name)
            return -LINUX_ENOENT;
        if (len + 1 > at)
            return -LINUX_ERANGE;
        at -= len;
        memcpy(buf + at, name, len);
        buf[--at] = '/';
    }
    if (at == size - 1)
        buf[--at] = '/';
    memmove(buf, buf + at, size - at);
    return (int64_t)(size - 1 - at);
}

int vfs_mkdir_p(struct vfs *v, const char *path, struct vnode **out)
{
    struct vnode *d = v->root;
    char name[VFS_NAME_MAX + 1];
    while (*path == '/')
        path++;
    while (*path) {
        int err = next_component(&path, name);
        if (err < 0)
            return err;
        struct vnode *next = 0;
        if (strcmp(name, ".") == 0)
            continue;
        err = step(d, name, &next);
        if (err == -LINUX_ENOENT)
            err = vfs_create(v, d, name, VFS_S_IFDIR | 0755, &next);
        if (err < 0)
            return err;
        if (!vnode_is_dir(next))
            return -LINUX_ENOTDIR;
        d = next;
    }
    *out = d;
    return 0;
}
