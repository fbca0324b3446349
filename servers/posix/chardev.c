/*
 * chardev.c - the character device switch (concepts: device files, the
 * device switch, major and minor numbers).  See chardev.h.
 */
#include "chardev.h"
#include "devfs.h"
#include "usercopy.h"
#include <mica.h>
#include <mica/string.h>

#define CHUNK 4096 /* bytes moved to or from the program at a time */

/* The minor numbers of the memory devices (major 1). */
enum { MEM_NULL = 3, MEM_ZERO = 5, MEM_FULL = 7, MEM_RANDOM = 8, MEM_URANDOM = 9 };

static uint32_t major_of(uint64_t rdev)
{
    return (uint32_t)(((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffull));
}

static uint32_t minor_of(uint64_t rdev)
{
    return (uint32_t)((rdev & 0xff) | ((rdev >> 12) & ~0xffull));
}

static bool is_terminal(uint64_t rdev)
{
    return rdev == devfs_makedev(5, 0) || rdev == devfs_makedev(5, 1) ||
           rdev == devfs_makedev(4, 64);
}

int chardev_open_terminal(struct vnode *n, uint32_t flags, struct ofile **out)
{
    *out = ofile_new(OFILE_CONSOLE, flags, n);
    return *out ? 0 : -LINUX_ENOMEM;
}

int chardev_open(struct vnode *n, uint32_t flags, struct ofile **out)
{
    if (is_terminal(n->rdev))
        return chardev_open_terminal(n, flags, out);
    uint32_t minor = minor_of(n->rdev);
    if (major_of(n->rdev) != 1 || (minor != MEM_NULL && minor != MEM_ZERO && minor != MEM_FULL &&
                                   minor != MEM_RANDOM && minor != MEM_URANDOM))
        return -LINUX_ENXIO;
    *out = ofile_new(OFILE_DEVICE, flags, n);
    return *out ? 0 : -LINUX_ENOMEM;
}

/* Fill the program's buf with zeros (zero, full) or random bytes (random, urandom). */
static int64_t fill(struct process *p, uint64_t buf, uint64_t len, bool random)
{
    static uint8_t chunk[CHUNK];
    uint64_t done = 0;
    while (done < len) {
        uint64_t n = len - done < CHUNK ? len - done : CHUNK;
        if (!random)
            memset(chunk, 0, n); /* only what is copied: a 1-byte read costs no 4 KiB */
        else if (mica_random_get(chunk, n) < 0)
            return done ? (int64_t)done : -LINUX_EIO;
        if (user_write(&p->mem, buf + done, chunk, n) < 0)
            return done ? (int64_t)done : -LINUX_EFAULT;
        done += n;
    }
    return (int64_t)done;
}

int64_t chardev_read(struct process *p, struct ofile *f, uint64_t buf, uint64_t len)
{
    switch (minor_of(f->node->rdev)) {
    case MEM_NULL:
        return 0;
    case MEM_ZERO:
    case MEM_FULL:
        return fill(p, buf, len, false);
    default: /* random, urandom: one source here (both never block, as on Linux since 5.6) */
        return fill(p, buf, len, true);
    }
}

int64_t chardev_write(struct process *p, struct ofile *f, uint64_t buf, uint64_t len)
{
    (void)p;
    (void)buf;
    switch (minor_of(f->node->rdev)) {
    case MEM_FULL:
        return -LINUX_ENOSPC;
    default: /* null, zero, and random/urandom (whose writes Linux mixes into the pool) */
        return (int64_t)len;
    }
}
