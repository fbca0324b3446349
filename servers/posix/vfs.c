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

static struct vnode *node_new(struct vfs *v, struct vfs_fs *fs, uint32_t mode)
{
    struct vnode *n = calloc(1, sizeof *n);
    if (!n)
        return 0;
    n->fs = fs;
    n->mode = mode;
    n->ino = v->next_ino++;
    n->atime_ns = n->mtime_ns = n->ctime_ns = now(v);
    return n;
}

/* Bytes the files' data takes in the heap, of every file system (reserve() checks the limit). */
static uint64_t data_bytes;

static void node_free(struct vnode *n)
{
    for (uint32_t i = 0; i < n->nents; i++)
        free(n->ents[i].name);
    free(n->ents);
    free(n->data);
    data_bytes -= n->cap;
    free(n);
}

/* A file system's root directory: its own parent, never freed. */
static struct vnode *root_new(struct vfs *v, struct vfs_fs *fs)
{
    struct vnode *r = node_new(v, fs, VFS_S_IFDIR | 0755);
    if (!r)
        return 0;
    r->parent = r;
    r->nlink = 2;
    r->refs = 1;
    fs->root = r;
    return r;
}

int vfs_init(struct vfs *v, uint64_t (*now_ns)(void))
{
    memset(v, 0, sizeof *v);
    v->now_ns = now_ns;
    v->next_ino = 1;
    v->fs[0] = (struct vfs_fs){"tmpfs", "rootfs", LINUX_TMPFS_MAGIC, VFS_ROOT_DEV, 0, 0, 0, 0};
    v->nfs = 1;
    v->root = root_new(v, &v->fs[0]);
    return v->root ? 0 : -LINUX_ENOMEM;
}

int vfs_mount(struct vfs *v, struct vnode *dir, const char *type, const char *source,
              uint64_t magic, uint64_t dev, struct vfs_fs **out)
{
    if (!vnode_is_dir(dir))
        return -LINUX_ENOTDIR;
    if (dir->mounted || dir == dir->fs->root)
        return -LINUX_EBUSY;
    if (v->nfs == VFS_MOUNTS)
        return -LINUX_ENOMEM;
    struct vfs_fs *fs = &v->fs[v->nfs];
    *fs = (struct vfs_fs){type, source, magic, dev, 0, dir, 0, 0};
    if (!root_new(v, fs))
        return -LINUX_ENOMEM;
    v->nfs++;
    dir->mounted = fs->root;
    vnode_get(dir); /* a mount point stays */
    *out = fs;
    return 0;
}

static void free_tree(struct vnode *n)
{
    for (uint32_t i = 0; i < n->nents; i++) {
        struct vnode *c = n->ents[i].node;
        if (vnode_is_dir(c))
            free_tree(c);
        else if (--c->nlink == 0) /* a file with several links: freed with its last name */
            node_free(c);
    }
    node_free(n);
}

void vfs_destroy(struct vfs *v)
{
    for (uint32_t i = v->nfs; i-- > 0;)
        free_tree(v->fs[i].root);
    v->root = 0;
}

static struct vnode *child_n(struct vnode *dir, const char *name, uint64_t len)
{
    for (uint32_t i = 0; i < dir->nents; i++)
        if (strncmp(dir->ents[i].name, name, len) == 0 && dir->ents[i].name[len] == 0)
            return dir->ents[i].node;
    return 0;
}

struct vnode *vfs_child(struct vnode *dir, const char *name)
{
    return child_n(dir, name, strlen(name));
}

int vfs_refresh(struct vfs *v, struct vnode *dir)
{
    if (!dir->fs->refresh)
        return 0;
    /* The file system's own changes (procfs making its entries) are not the caller's: no
     * permission checks for them. */
    const struct cred *c = v->cred;
    v->cred = 0;
    int err = dir->fs->refresh(v, dir);
    v->cred = c;
    return err;
}

struct vnode *vfs_parent(struct vfs *v, struct vnode *dir)
{
    while (dir != v->root && dir == dir->fs->root) /* a mounted root: leave by the mount point */
        dir = dir->fs->covered;
    return dir->parent ? dir->parent : dir;
}

/* The node a directory entry shows: a covered directory shows what is mounted on it. */
static struct vnode *crossed(struct vnode *n)
{
    while (n->mounted)
        n = n->mounted;
    return n;
}

/*
 * Path resolution.  A resolution counts the symbolic links it follows, over
 * all the link targets it goes through (Linux's MAXSYMLINKS: ELOOP after
 * 40).  Components are (start, length) slices of the path: a followed link's
 * target is resolved in place from its bytes, recursively, so each level
 * needs little stack.
 */
struct walk {
    struct vfs *v;
    uint32_t links;
};

static int walk_path(struct walk *w, struct vnode *start, const char *path, bool follow,
                     struct vnode **out);

/* The length of the component at p (up to '/' or the end). */
static uint64_t component_len(const char *p)
{
    uint64_t n = 0;
    while (p[n] && p[n] != '/')
        n++;
    return n;
}

/* Every component is looked up in a directory the caller may search (perm.h). */
static int may_search(const struct vfs *v, const struct vnode *d)
{
    return v->cred ? perm_node(v->cred, d, PERM_EXEC) : 0;
}

/* One step from directory d by a component: ".", "..", or an entry (not followed if a link). */
static int step(struct walk *w, struct vnode *d, const char *name, uint64_t len, struct vnode **out)
{
    if (!vnode_is_dir(d))
        return -LINUX_ENOTDIR;
    int err = may_search(w->v, d);
    if (err < 0)
        return err;
    if (len == 1 && name[0] == '.') {
        *out = d;
    } else if (len == 2 && name[0] == '.' && name[1] == '.') {
        *out = vfs_parent(w->v, d);
    } else {
        if ((err = vfs_refresh(w->v, d)) < 0)
            return err;
        struct vnode *n = child_n(d, name, len);
        if (!n)
            return -LINUX_ENOENT;
        *out = crossed(n);
    }
    return 0;
}

/* *n is a symbolic link found in directory dir: replace it by what its target names. */
static int follow_link(struct walk *w, struct vnode *dir, struct vnode **n)
{
    if (++w->links > VFS_LINKS_MAX)
        return -LINUX_ELOOP;
    return walk_path(w, dir, (const char *)(*n)->data, true, n);
}

/* Resolve all but the last component: *dir, and the last component as (*last, *len). */
static int walk_parent(struct walk *w, struct vnode *start, const char *path, struct vnode **dir,
                       const char **last, uint64_t *len)
{
    if (!path[0])
        return -LINUX_ENOENT;
    struct vnode *d = path[0] == '/' ? w->v->root : start;
    while (*path == '/')
        path++;
    *last = ".";
    *len = 1;
    while (*path) {
        uint64_t n = component_len(path);
        if (n > VFS_NAME_MAX)
            return -LINUX_ENAMETOOLONG;
        const char *next = path + n;
        while (*next == '/')
            next++;
        if (!*next) { /* the last component */
            *last = path;
            *len = n;
            break;
        }
        struct vnode *c;
        int err = step(w, d, path, n, &c);
        if (err == 0 && vnode_is_link(c))
            err = follow_link(w, d, &c);
        if (err < 0)
            return err;
        d = c;
        path = next;
    }
    if (!vnode_is_dir(d))
        return -LINUX_ENOTDIR;
    int err = *path ? may_search(w->v, d) : 0; /* the last component's directory too */
    if (err < 0)
        return err;
    *dir = d;
    return 0;
}

static int walk_path(struct walk *w, struct vnode *start, const char *path, bool follow,
                     struct vnode **out)
{
    struct vnode *dir;
    const char *last;
    uint64_t len;
    int err = walk_parent(w, start, path, &dir, &last, &len);
    if (err < 0 || (err = step(w, dir, last, len, out)) < 0)
        return err;
    bool slash = last[len] == '/';
    if (vnode_is_link(*out) && (follow || slash) && (err = follow_link(w, dir, out)) < 0)
        return err;
    if (slash && !vnode_is_dir(*out))
        return -LINUX_ENOTDIR;
    return 0;
}

int vfs_lookup_parent(struct vfs *v, struct vnode *start, const char *path, struct vnode **dir,
                      char *name, bool *trailing_slash)
{
    struct walk w = {v, 0};
    const char *last;
    uint64_t len;
    int err = walk_parent(&w, start, path, dir, &last, &len);
    if (err < 0)
        return err;
    memcpy(name, last, len);
    name[len] = 0;
    *trailing_slash = last[len] == '/';
    return 0;
}

int vfs_resolve(struct vfs *v, struct vnode *start, const char *path, bool follow,
                struct vnode **out)
{
    struct walk w = {v, 0};
    return walk_path(&w, start, path, follow, out);
}

int vfs_lookup(struct vfs *v, struct vnode *start, const char *path, struct vnode **out)
{
    return vfs_resolve(v, start, path, true, out);
}

/* Room for one more entry in dir: 0 or -ENOSPC. */
static int entry_room(struct vnode *dir)
{
    if (dir->nents < dir->cap_ents)
        return 0;
    uint32_t cap = dir->cap_ents ? dir->cap_ents * 2 : 8;
    struct vdirent *e = realloc(dir->ents, cap * sizeof *e);
    if (!e)
        return -LINUX_ENOSPC;
    dir->ents = e;
    dir->cap_ents = cap;
    return 0;
}

/* Whether name may be made in dir: 0, -ENOTDIR, -ENOENT (dir was removed), -EEXIST, -EACCES
 * (no write and search permission on dir). */
static int may_create(const struct vfs *v, struct vnode *dir, const char *name)
{
    if (!vnode_is_dir(dir))
        return -LINUX_ENOTDIR;
    if (!dir->parent)
        return -LINUX_ENOENT; /* a removed directory takes no new entries */
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || vfs_child(dir, name))
        return -LINUX_EEXIST;
    int err = v->cred ? perm_may_create(v->cred, dir) : 0;
    return err < 0 ? err : entry_room(dir);
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

/* May the caller remove n from dir (perm.h)? */
static int may_delete(const struct vfs *v, const struct vnode *dir, const struct vnode *n)
{
    return v->cred ? perm_may_delete(v->cred, dir, n) : 0;
}

/* Add the entry (a copy of name, n) to dir, which has room: 0 or -ENOSPC. */
static int add_entry(struct vfs *v, struct vnode *dir, const char *name, struct vnode *n)
{
    uint64_t len = strlen(name);
    char *copy = malloc(len + 1);
    if (!copy)
        return -LINUX_ENOSPC;
    memcpy(copy, name, len + 1);
    dir->ents[dir->nents++] = (struct vdirent){copy, n};
    dir->mtime_ns = dir->ctime_ns = now(v);
    return 0;
}

int vfs_create(struct vfs *v, struct vnode *dir, const char *name, uint32_t mode,
               struct vnode **out)
{
    int err = may_create(v, dir, name);
    if (err < 0)
        return err;
    struct vnode *n = node_new(v, dir->fs, mode);
    if (!n)
        return -LINUX_ENOSPC;
    own(v, dir, n);
    if ((err = add_entry(v, dir, name, n)) < 0) {
        free(n);
        return err;
    }
    if (vnode_is_dir(n)) {
        n->parent = dir;
        n->nlink = 2;
        dir->nlink++; /* the new directory's ".." */
    } else {
        n->nlink = 1;
    }
    *out = n;
    return 0;
}

int vfs_symlink(struct vfs *v, struct vnode *dir, const char *name, const char *target,
                struct vnode **out)
{
    uint64_t len = strlen(target);
    if (len == 0)
        return -LINUX_ENOENT;
    if (len >= VFS_PATH_MAX)
        return -LINUX_ENAMETOOLONG;
    char *copy = malloc(len + 1);
    if (!copy)
        return -LINUX_ENOSPC;
    memcpy(copy, target, len + 1);
    int err = vfs_create(v, dir, name, VFS_S_IFLNK | 0777, out);
    if (err < 0) {
        free(copy);
        return err;
    }
    (*out)->data = (uint8_t *)copy;
    (*out)->size = len;
    (*out)->cap = len + 1;
    data_bytes += len + 1; /* counted as a file's bytes are (node_free takes it off) */
    return 0;
}

int vfs_link(struct vfs *v, struct vnode *n, struct vnode *dir, const char *name)
{
    int err = may_create(v, dir, name);
    if (err < 0)
        return err;
    if (n->fs != dir->fs)
        return -LINUX_EXDEV;
    if (vnode_is_dir(n))
        return -LINUX_EPERM;
    if (n->nlink == 0)
        return -LINUX_ENOENT; /* linkat(AT_EMPTY_PATH) of an unlinked file */
    if ((err = add_entry(v, dir, name, n)) < 0)
        return err;
    n->nlink++;
    n->ctime_ns = now(v);
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

/* n has lost its entry in dir: count it; free n if nothing else uses it. */
static void lost_entry(struct vfs *v, struct vnode *dir, struct vnode *n)
{
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

/* Take entry i out of dir (its name freed); the node is the caller's to account for. */
static struct vnode *take_entry(struct vfs *v, struct vnode *dir, uint32_t i)
{
    struct vnode *n = dir->ents[i].node;
    free(dir->ents[i].name);
    memmove(&dir->ents[i], &dir->ents[i + 1], (dir->nents - i - 1) * sizeof dir->ents[0]);
    dir->nents--;
    dir->mtime_ns = dir->ctime_ns = now(v);
    return n;
}

static void remove_entry(struct vfs *v, struct vnode *dir, uint32_t i)
{
    lost_entry(v, dir, take_entry(v, dir, i));
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
    int err = may_delete(v, dir, dir->ents[i].node);
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
    int err = may_delete(v, dir, n);
    if (err < 0)
        return err;
    if (!vnode_is_dir(n))
        return -LINUX_ENOTDIR;
    if (n->mounted)
        return -LINUX_EBUSY;
    if (n->nents)
        return -LINUX_ENOTEMPTY;
    remove_entry(v, dir, (uint32_t)i);
    return 0;
}

int vfs_remove_tree(struct vfs *v, struct vnode *dir, const char *name)
{
    int i = find_entry(dir, name);
    if (i < 0)
        return -LINUX_ENOENT;
    struct vnode *n = dir->ents[i].node;
    while (vnode_is_dir(n) && n->nents)
        vfs_remove_tree(v, n, n->ents[n->nents - 1].name);
    remove_entry(v, dir, (uint32_t)i);
    return 0;
}

/* ---- rename ---- */

static bool is_dot(const char *name)
{
    return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

/* Whether directory a is d or one of d's ancestors (in d's file system). */
static bool is_ancestor(const struct vnode *a, const struct vnode *d)
{
    for (;;) {
        if (d == a)
            return true;
        if (d == d->fs->root || !d->parent)
            return false;
        d = d->parent;
    }
}

/* A directory moving from odir to ndir: its ".." changes. */
static void reparent(struct vnode *n, struct vnode *odir, struct vnode *ndir)
{
    if (!vnode_is_dir(n))
        return;
    odir->nlink--;
    ndir->nlink++;
    n->parent = ndir;
}

/* rename's permissions: removing o from odir, and t from ndir or adding a name to it; a
 * directory that changes its parent must itself be writable (its ".." changes). */
static int may_rename(const struct vfs *v, struct vnode *odir, struct vnode *o, struct vnode *ndir,
                      struct vnode *t, bool swap)
{
    const struct cred *c = v->cred;
    if (!c)
        return 0;
    int err = perm_may_delete(c, odir, o);
    if (err == 0)
        err = t ? perm_may_delete(c, ndir, t) : perm_may_create(c, ndir);
    if (err == 0 && odir != ndir && vnode_is_dir(o))
        err = perm_node(c, o, PERM_WRITE);
    if (err == 0 && odir != ndir && swap && vnode_is_dir(t))
        err = perm_node(c, t, PERM_WRITE);
    return err;
}

/* RENAME_EXCHANGE: entries oi of odir and ni of ndir swap their nodes. */
static void exchange(struct vfs *v, struct vnode *odir, uint32_t oi, struct vnode *ndir,
                     uint32_t ni)
{
    struct vnode *o = odir->ents[oi].node, *t = ndir->ents[ni].node;
    odir->ents[oi].node = t;
    ndir->ents[ni].node = o;
    reparent(o, odir, ndir);
    reparent(t, ndir, odir);
    o->ctime_ns = t->ctime_ns = now(v);
    odir->mtime_ns = odir->ctime_ns = ndir->mtime_ns = ndir->ctime_ns = now(v);
}

/* The move: entry oi of odir becomes nname in ndir (in place of entry ni, if ni >= 0). */
static int move(struct vfs *v, struct vnode *odir, uint32_t oi, struct vnode *ndir,
                const char *nname, int ni)
{
    struct vnode *o = odir->ents[oi].node;
    if (ni >= 0) {
        struct vnode *t = ndir->ents[ni].node;
        ndir->ents[ni].node = o;
        ndir->mtime_ns = ndir->ctime_ns = now(v);
        lost_entry(v, ndir, t);
    } else {
        int err = entry_room(ndir);
        if (err < 0 || (err = add_entry(v, ndir, nname, o)) < 0)
            return err;
    }
    take_entry(v, odir, oi); /* an entry added at the end of odir == ndir does not move oi */
    reparent(o, odir, ndir);
    o->ctime_ns = now(v);
    return 0;
}

int vfs_rename(struct vfs *v, struct vnode *odir, const char *oname, bool oslash,
               struct vnode *ndir, const char *nname, bool nslash, uint32_t flags)
{
    bool swap = flags & VFS_RENAME_EXCHANGE;
    if (odir->fs != ndir->fs)
        return -LINUX_EXDEV;
    if (is_dot(oname))
        return -LINUX_EBUSY;
    if (is_dot(nname))
        return flags & VFS_RENAME_NOREPLACE ? -LINUX_EEXIST : -LINUX_EBUSY;
    int oi = find_entry(odir, oname), ni = find_entry(ndir, nname);
    if (oi < 0)
        return -LINUX_ENOENT;
    struct vnode *o = odir->ents[oi].node, *t = ni >= 0 ? ndir->ents[ni].node : 0;
    if (t && (flags & VFS_RENAME_NOREPLACE))
        return -LINUX_EEXIST;
    if (!t && swap)
        return -LINUX_ENOENT;
    if (vfs_names_fixed(odir) || vfs_names_fixed(ndir))
        return t ? -LINUX_EPERM : -LINUX_ENOENT;
    if (swap && !vnode_is_dir(t) && nslash)
        return -LINUX_ENOTDIR;
    if (!vnode_is_dir(o) && (oslash || (!swap && nslash)))
        return -LINUX_ENOTDIR;
    if (odir != ndir && is_ancestor(o, ndir))
        return -LINUX_EINVAL; /* a directory into itself */
    if (odir != ndir && t && is_ancestor(t, odir))
        return swap ? -LINUX_EINVAL : -LINUX_ENOTEMPTY; /* onto its own ancestor */
    if (o == t)
        return 0; /* two names of one file: nothing to do */
    int err = may_rename(v, odir, o, ndir, t, swap);
    if (err < 0)
        return err;
    if (t && !swap && vnode_is_dir(o) && !vnode_is_dir(t))
        return -LINUX_ENOTDIR;
    if (t && !swap && !vnode_is_dir(o) && vnode_is_dir(t))
        return -LINUX_EISDIR;
    if (o->mounted || (t && t->mounted))
        return -LINUX_EBUSY;
    if (t && !swap && vnode_is_dir(t) && t->nents)
        return -LINUX_ENOTEMPTY;
    if (!ndir->parent)
        return -LINUX_ENOENT; /* into a removed directory */
    if (swap) {
        exchange(v, odir, (uint32_t)oi, ndir, (uint32_t)ni);
        return 0;
    }
    return move(v, odir, (uint32_t)oi, ndir, nname, ni);
}

/*
 * Make the file's bytes its own (copied from the ramdisk) with room for at least cap bytes.
 * The data of all files together stays within v->size_max (a tmpfs's size, as Linux's tmpfs
 * has one): beyond it ENOSPC, before the heap would take more memory than there is.
 */
static int reserve(struct vfs *v, struct vnode *n, uint64_t cap)
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
    if (v->size_max && data_bytes - n->cap + want > v->size_max)
        return -LINUX_ENOSPC;
    uint8_t *d = n->initial ? malloc(want) : realloc(n->data, want);
    if (!d)
        return -LINUX_ENOSPC;
    if (n->initial)
        memcpy(d, n->initial, n->size);
    data_bytes += want - n->cap;
    n->initial = 0;
    n->data = d;
    n->cap = want;
    return 0;
}

void vfs_set_initial(struct vnode *n, const uint8_t *data, uint64_t size)
{
    free(n->data);
    data_bytes -= n->cap;
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
    int err = reserve(v, n, off + len);
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
    int err = reserve(v, n, size);
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
        while (n != v->root && n == n->fs->root) /* a mounted root: its name is the mount point's */
            n = n->fs->covered;
        if (n == v->root)
            break;
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
    struct walk w = {v, 0};
    struct vnode *d = v->root;
    char name[VFS_NAME_MAX + 1];
    while (*path) {
        while (*path == '/')
            path++;
        uint64_t len = component_len(path);
        if (len > VFS_NAME_MAX)
            return -LINUX_ENAMETOOLONG;
        if (len == 0)
            break;
        struct vnode *next = 0;
        int err = step(&w, d, path, len, &next);
        if (err == 0 && vnode_is_link(next))
            err = follow_link(&w, d, &next);
        if (err == -LINUX_ENOENT) {
            memcpy(name, path, len);
            name[len] = 0;
            err = vfs_create(v, d, name, VFS_S_IFDIR | 0755, &next);
        }
        if (err < 0)
            return err;
        if (!vnode_is_dir(next))
            return -LINUX_ENOTDIR;
        d = next;
        path += len;
    }
    *out = d;
    return 0;
}
