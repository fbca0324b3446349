/*
 * sys_memory.c - brk, mmap, munmap and mprotect (concepts: the program
 * break, anonymous memory mapping, guard pages).
 *
 * The heap (brk) begins after the program's highest segment and grows in
 * whole pages, each growth a new region (procmem.h); shrinking unmaps the
 * pages above the new break.  mmap gives anonymous memory, private or
 * shared (a fork shares MAP_SHARED memory and copies the rest,
 * procmem.c), and file mappings as private copies of the file's bytes.
 * Without MAP_FIXED it takes the highest free range below MMAP_TOP (no
 * randomisation); MAP_FIXED replaces what was there; PROT_NONE memory is
 * mapped without any access (a guard), which mprotect can open later.
 * mremap shrinks, grows in place, or moves memory without copying it;
 * madvise(MADV_DONTNEED) gives private memory back (it reads as zeros
 * afterwards).
 */
#include <page.h>
#include "posix.h"
#include "procmem.h"
#include "syscalls.h"
#include "fdtable.h"

#define PAGE        4096ull
#define MMAP_TOP    0x00007f0000000000ull /* mmap hands out addresses below this */
#define MMAP_BOTTOM 0x0000000100000000ull /* and above this (4 GiB) */
#define USER_TOP    0x00007ffffffff000ull /* Linux's TASK_SIZE for 47-bit addresses */
#define PROT_ALL    (LINUX_PROT_READ | LINUX_PROT_WRITE | LINUX_PROT_EXEC)

/* brk(addr): move the break; the answer is the break afterwards (the old one on failure). */
int64_t sys_brk(struct process *p, const uint64_t *a)
{
    uint64_t want = a[0];
    if (want < p->brk_start || want > MMAP_BOTTOM)
        return (int64_t)p->brk;
    uint64_t end = page_up(want);
    if (end > p->brk_mapped) {
        uint8_t *shadow;
        if (procmem_map(p, p->brk_mapped, end - p->brk_mapped, LINUX_PROT_READ | LINUX_PROT_WRITE,
                        &shadow) < 0)
            return (int64_t)p->brk;
    } else if (end < p->brk_mapped) {
        if (procmem_unmap(p, end, p->brk_mapped) < 0)
            return (int64_t)p->brk;
    }
    p->brk_mapped = end;
    p->brk = want;
    return (int64_t)p->brk;
}

/* Where a new mapping of size bytes goes: the hint if it is free, else the highest free range. */
static int64_t choose_address(struct process *p, uint64_t hint, uint64_t size)
{
    hint &= ~(PAGE - 1);
    if (hint >= MMAP_BOTTOM && hint <= USER_TOP - size &&
        !regions_overlap(&p->mem, hint, hint + size))
        return (int64_t)hint;
    uint64_t at;
    if (regions_gap(&p->mem, MMAP_BOTTOM, MMAP_TOP, size, &at) < 0)
        return -LINUX_ENOMEM;
    return (int64_t)at;
}

/* The checks Linux makes before it maps anything (mm/mmap.c, do_mmap and ksys_mmap_pgoff). */
static int64_t check_mmap(uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, uint64_t fd,
                          uint64_t off)
{
    uint64_t type = flags & LINUX_MAP_TYPE;
    (void)prot; /* Linux's mmap ignores bits beyond read, write, execute (mprotect does not) */
    if (len == 0 || (off & (PAGE - 1)))
        return -LINUX_EINVAL;
    if (type != LINUX_MAP_PRIVATE && type != LINUX_MAP_SHARED)
        return -LINUX_EINVAL;
    if (page_up(len) < len || page_up(len) > USER_TOP)
        return -LINUX_ENOMEM;
    if ((flags & LINUX_MAP_FIXED) && (addr & (PAGE - 1)))
        return -LINUX_EINVAL;
    if ((flags & LINUX_MAP_FIXED) && (addr > USER_TOP || page_up(len) > USER_TOP - addr))
        return -LINUX_ENOMEM;
    (void)fd;
    return 0;
}

/* The file a file mapping maps (mmap's fd), or an error as Linux gives it. */
static int64_t mapped_file(struct process *p, uint64_t fd, uint64_t prot, uint64_t flags,
                           struct vnode **node)
{
    struct ofile *f = fdtable_get(&p->files, (int32_t)fd);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != OFILE_NODE || (f->node->mode & 0170000) != 0100000)
        return -LINUX_ENODEV; /* the terminal, a pipe, a directory: nothing to map */
    uint32_t mode = f->flags & LINUX_O_ACCMODE;
    if (mode == LINUX_O_WRONLY)
        return -LINUX_EACCES;
    if ((flags & LINUX_MAP_TYPE) == LINUX_MAP_SHARED && (prot & LINUX_PROT_WRITE)) {
        if (mode != LINUX_O_RDWR)
            return -LINUX_EACCES;
        return -LINUX_ENODEV; /* writing through to the file: not yet (docs/linux-abi.md) */
    }
    *node = f->node;
    return 0;
}

/* mmap(addr, len, prot, flags, fd, offset) */
int64_t sys_mmap(struct process *p, const uint64_t *a)
{
    uint64_t addr = a[0], len = a[1], prot = a[2] & PROT_ALL, flags = a[3];
    int64_t err = check_mmap(addr, len, prot, flags, a[4], a[5]);
    if (err < 0)
        return err;
    struct vnode *file = 0;
    if (!(flags & LINUX_MAP_ANONYMOUS) && (err = mapped_file(p, a[4], prot, flags, &file)) < 0)
        return err;
    uint64_t size = page_up(len);
    int64_t at;
    if (flags & LINUX_MAP_FIXED_NOREPLACE) {
        if ((addr & (PAGE - 1)) || addr > USER_TOP - size)
            return -LINUX_EINVAL;
        if (regions_overlap(&p->mem, addr, addr + size))
            return -LINUX_EEXIST;
        at = (int64_t)addr;
    } else if (flags & LINUX_MAP_FIXED) {
        if (procmem_unmap(p, addr, addr + size) < 0)
            return -LINUX_ENOMEM;
        at = (int64_t)addr;
    } else {
        at = choose_address(p, addr, size);
        if (at < 0)
            return at;
    }
    uint8_t *shadow;
    int r = procmem_map(p, (uint64_t)at, size, (uint32_t)prot, &shadow);
    if (r < 0)
        return r;
    if (file) /* a copy of the file's bytes from the offset; the rest stays zero */
        vfs_read(file, shadow, a[5], size);
    else if ((flags & LINUX_MAP_TYPE) == LINUX_MAP_SHARED)
        regions_mark_shared(&p->mem, (uint64_t)at, (uint64_t)at + size);
    return at;
}

/* Is every byte of [start, end) mapped? */
static bool mapped(struct process *p, uint64_t start, uint64_t end)
{
    return regions_cover(&p->mem, start, end, 0);
}

/* mremap's new place for size bytes: new_addr (MREMAP_FIXED: what is there goes) or a free
 * range; an address or an error. */
static int64_t new_place(struct process *p, uint64_t flags, uint64_t new_addr, uint64_t size,
                         uint64_t old, uint64_t old_size)
{
    if (!(flags & LINUX_MREMAP_FIXED))
        return choose_address(p, 0, size);
    if ((new_addr & (PAGE - 1)) || new_addr > USER_TOP || size > USER_TOP - new_addr)
        return -LINUX_EINVAL;
    if (new_addr < old + old_size && old < new_addr + size)
        return -LINUX_EINVAL; /* the two ranges overlap */
    if (procmem_unmap(p, new_addr, new_addr + size) < 0)
        return -LINUX_ENOMEM;
    return (int64_t)new_addr;
}

/* mremap(old, old_size, new_size, flags, new_addr) */
int64_t sys_mremap(struct process *p, const uint64_t *a)
{
    uint64_t old = a[0], old_size = page_up(a[1]), size = page_up(a[2]), flags = a[3];
    if ((old & (PAGE - 1)) || a[2] == 0 || page_up(a[2]) < a[2] || page_up(a[1]) < a[1])
        return -LINUX_EINVAL;
    if (flags & ~(uint64_t)(LINUX_MREMAP_MAYMOVE | LINUX_MREMAP_FIXED | LINUX_MREMAP_DONTUNMAP))
        return -LINUX_EINVAL;
    if ((flags & LINUX_MREMAP_FIXED) && !(flags & LINUX_MREMAP_MAYMOVE))
        return -LINUX_EINVAL;
    if (flags & LINUX_MREMAP_DONTUNMAP)
        return -LINUX_EINVAL; /* not yet (docs/linux-abi.md) */
    if (old_size == 0 || old > USER_TOP || old_size > USER_TOP - old)
        return -LINUX_EINVAL; /* old_size 0 duplicates a shared mapping on Linux: not here */
    if (!mapped(p, old, old + old_size))
        return -LINUX_EFAULT;
    const struct region *first = regions_find(&p->mem, old);
    uint32_t prot = first->prot;
    if (!(flags & LINUX_MREMAP_FIXED) && size <= old_size) { /* shrink (or stay) in place */
        if (size < old_size && procmem_unmap(p, old + size, old + old_size) < 0)
            return -LINUX_ENOMEM;
        return (int64_t)old;
    }
    uint64_t more = size - old_size;
    if (!(flags & LINUX_MREMAP_FIXED) && old + size <= USER_TOP &&
        !regions_overlap(&p->mem, old + old_size, old + size)) { /* grow in place */
        uint8_t *shadow;
        int err = procmem_map(p, old + old_size, more, prot, &shadow);
        return err < 0 ? err : (int64_t)old;
    }
    if (!(flags & LINUX_MREMAP_MAYMOVE))
        return -LINUX_ENOMEM;
    int64_t to = new_place(p, flags, a[4], size, old, old_size);
    if (to < 0)
        return to;
    uint64_t keep = size < old_size ? size : old_size;
    if (keep < old_size && procmem_unmap(p, old + keep, old + old_size) < 0)
        return -LINUX_ENOMEM;
    int err = procmem_move(p, old, (uint64_t)to, keep);
    if (err == 0 && size > keep) {
        uint8_t *shadow;
        err = procmem_map(p, (uint64_t)to + keep, size - keep, prot, &shadow);
    }
    return err < 0 ? err : to;
}

/* msync(addr, len, flags): nothing is ever to be written back (anonymous memory, private
 * copies of files), so only the checks remain. */
int64_t sys_msync(struct process *p, const uint64_t *a)
{
    uint64_t addr = a[0], len = page_up(a[1]), flags = a[2];
    if ((addr & (PAGE - 1)) || page_up(a[1]) < a[1] ||
        (flags & ~(uint64_t)(LINUX_MS_ASYNC | LINUX_MS_INVALIDATE | LINUX_MS_SYNC)) ||
        ((flags & LINUX_MS_ASYNC) && (flags & LINUX_MS_SYNC)))
        return -LINUX_EINVAL;
    return len == 0 || mapped(p, addr, addr + len) ? 0 : -LINUX_ENOMEM;
}

/* madvise(addr, len, advice): MADV_DONTNEED and MADV_FREE give private memory back (it reads
 * as zeros afterwards); the other advice is taken and has no effect. */
int64_t sys_madvise(struct process *p, const uint64_t *a)
{
    uint64_t addr = a[0], len = page_up(a[1]), advice = a[2];
    if ((addr & (PAGE - 1)) || page_up(a[1]) < a[1])
        return -LINUX_EINVAL;
    switch (advice) {
    case LINUX_MADV_NORMAL:
    case LINUX_MADV_RANDOM:
    case LINUX_MADV_SEQUENTIAL:
    case LINUX_MADV_WILLNEED:
    case LINUX_MADV_DONTNEED:
    case LINUX_MADV_FREE:
        break;
    default:
        return -LINUX_EINVAL;
    }
    if (len == 0)
        return 0;
    if (!mapped(p, addr, addr + len))
        return -LINUX_ENOMEM;
    if (advice != LINUX_MADV_DONTNEED && advice != LINUX_MADV_FREE)
        return 0;
    for (uint64_t at = addr; at < addr + len;) { /* each private piece: fresh zero pages */
        const struct region *r = regions_find(&p->mem, at);
        uint64_t end = r->end < addr + len ? r->end : addr + len;
        uint32_t prot = r->prot;
        if (!r->shared) {
            uint8_t *shadow;
            if (procmem_unmap(p, at, end) < 0 || procmem_map(p, at, end - at, prot, &shadow) < 0)
                return -LINUX_ENOMEM;
        }
        at = end;
    }
    return 0;
}

int64_t sys_munmap(struct process *p, const uint64_t *a)
{
    uint64_t addr = a[0], len = a[1];
    if ((addr & (PAGE - 1)) || len == 0 || addr > USER_TOP || page_up(len) > USER_TOP - addr)
        return -LINUX_EINVAL;
    return procmem_unmap(p, addr, addr + page_up(len));
}

int64_t sys_mprotect(struct process *p, const uint64_t *a)
{
    uint64_t addr = a[0], len = a[1], prot = a[2];
    if ((addr & (PAGE - 1)) || (prot & ~(uint64_t)PROT_ALL))
        return -LINUX_EINVAL;
    if (page_up(len) < len || addr + page_up(len) < addr)
        return -LINUX_ENOMEM;
    if (len == 0)
        return 0;
    return procmem_protect(p, addr, addr + page_up(len), (uint32_t)prot);
}
