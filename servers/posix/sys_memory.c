/*
 * sys_memory.c - brk, mmap, munmap and mprotect (concepts: the program
 * break, anonymous memory mapping, guard pages).
 *
 * The heap (brk) begins after the program's highest segment and grows in
 * whole pages, each growth a new region (procmem.h); shrinking unmaps the
 * pages above the new break.  mmap gives anonymous memory only: private,
 * or shared (identical to private while there is no fork).  Without
 * MAP_FIXED it takes the highest free range below MMAP_TOP (no
 * randomisation); MAP_FIXED replaces what was there; PROT_NONE memory is
 * mapped without any access (a guard), which mprotect can open later.
 * A file mapping is refused as Linux refuses it for the descriptors that
 * exist: EBADF for a descriptor that is not open, ENODEV for the terminal.
 */
#include <page.h>
#include "posix.h"
#include "procmem.h"
#include "syscalls.h"

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
    if (!(flags & LINUX_MAP_ANONYMOUS))
        return (int32_t)fd >= 0 && (int32_t)fd <= 2 ? -LINUX_ENODEV : -LINUX_EBADF;
    return 0;
}

/* mmap(addr, len, prot, flags, fd, offset): anonymous memory only. */
int64_t sys_mmap(struct process *p, const uint64_t *a)
{
    uint64_t addr = a[0], len = a[1], prot = a[2] & PROT_ALL, flags = a[3];
    int64_t err = check_mmap(addr, len, prot, flags, a[4], a[5]);
    if (err < 0)
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
    return r < 0 ? r : at;
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
