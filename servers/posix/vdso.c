/*
 * vdso.c - the vDSO in every Linux process (concepts: the vDSO, shared
 * read-only pages, system calls answered in user space).
 *
 * At start the server makes one VM object: page 0 the data page
 * (vdso_data.h), pages 1.. the shared object (servers/posix/vdso/vdso.c,
 * linked into the server as bytes by vdso_image.S).  It keeps that object
 * mapped into itself, writable, to fill in the data page, and a second
 * handle to it without the write right, through which it maps it into the
 * processes: a program can read and run the vDSO but never change it,
 * not even with mprotect (the kernel refuses protections its handle does
 * not grant).
 *
 * Each process's vDSO pages are regions like its other memory (regions.h),
 * so mmap never hands out their addresses and usercopy reads them; they
 * are marked shared (madvise(DONTNEED) leaves them) and vdso, and fork
 * maps the vDSO's pages into the child as here rather than copying them or
 * sharing the parent's mapping (the server's view of a shared region is
 * writable, which the vDSO's handle does not allow).  execve unmaps them with the rest of the old
 * program and the loader maps them again.
 */
#include "vdso.h"
#include "vdso_data.h"
#include "posix.h"
#include "procmem.h"
#include <mica/string.h>

#define PAGE 4096ull

extern const uint8_t vdso_image[], vdso_image_end[];

static mica_handle_t vmo_ro; /* READ | EXEC | MAP: how processes get it; 0: no vDSO */
static uint64_t vmo_size;    /* the data page and the image, in whole pages */

int vdso_setup(uint64_t realtime_at_boot_ns)
{
    uint64_t image_size = (uint64_t)(vdso_image_end - vdso_image);
    uint64_t size = PAGE + (image_size + PAGE - 1) / PAGE * PAGE;
    struct mica_kernel_stats ks;
    if (image_size < 64 || memcmp(vdso_image, "\177ELF", 4) != 0 || mica_kernel_stats(&ks) < 0)
        return -1;
    int64_t vmo = mica_vmo_create(size);
    if (vmo < 0)
        return -1;
    int64_t at =
        mica_vm_map(posix.self, (mica_handle_t)vmo, 0, 0, size, MICA_PROT_READ | MICA_PROT_WRITE);
    int64_t ro = at < 0 ? at
                        : mica_handle_dup((mica_handle_t)vmo,
                                          MICA_RIGHT_READ | MICA_RIGHT_EXEC | MICA_RIGHT_MAP);
    mica_handle_close((mica_handle_t)vmo); /* the mapping and ro keep it */
    if (ro < 0)
        return -1;
    uint8_t *base = (uint8_t *)at;
    memcpy(base + PAGE, vdso_image, image_size);
    struct vdso_data *d = (struct vdso_data *)base;
    d->seq = 1; /* written once, before any process exists; the sequence lock all the same */
    d->tsc_hz = ks.tsc_hz;
    d->tsc_at_boot = ks.tsc_at_boot;
    d->realtime_at_boot_ns = realtime_at_boot_ns;
    __atomic_store_n(&d->seq, 2, __ATOMIC_RELEASE);
    vmo_ro = (mica_handle_t)ro;
    vmo_size = size;
    return 0;
}

/* Map [start, end) of the vDSO (addresses in the process) into p, and into the server for
 * usercopy; its region is marked shared.  0 or -ENOMEM. */
static int map_range(struct process *p, uint64_t start, uint64_t end)
{
    uint64_t offset = start - VDSO_DATA_ADDR, size = end - start;
    uint32_t prot = start == VDSO_DATA_ADDR && end == VDSO_DATA_ADDR + PAGE
                        ? LINUX_PROT_READ
                        : LINUX_PROT_READ | LINUX_PROT_EXEC;
    uint32_t mprot = MICA_PROT_READ | (prot & LINUX_PROT_EXEC ? MICA_PROT_EXEC : 0);
    if (p->mem.n == REGIONS_MAX || regions_overlap(&p->mem, start, end))
        return -LINUX_ENOMEM;
    int64_t shadow = mica_vm_map(posix.self, vmo_ro, offset, 0, size, MICA_PROT_READ);
    int64_t r = shadow < 0 ? shadow : mica_vm_map(p->as, vmo_ro, offset, start, size, mprot);
    if (r < 0) {
        if (shadow >= 0)
            mica_vm_unmap(posix.self, (uint64_t)shadow, size);
        return -LINUX_ENOMEM;
    }
    regions_add(&p->mem, start, end, prot, (uint8_t *)shadow); /* room and place checked */
    regions_mark_shared(&p->mem, start, end); /* not private: madvise keeps its pages */
    regions_mark_vdso(&p->mem, start, end);
    return 0;
}

int64_t vdso_map(struct process *p)
{
    if (!vmo_ro)
        return 0;
    int err = map_range(p, VDSO_DATA_ADDR, VDSO_ADDR);
    if (err == 0 && (err = map_range(p, VDSO_ADDR, VDSO_DATA_ADDR + vmo_size)) < 0)
        procmem_unmap(p, VDSO_DATA_ADDR, VDSO_ADDR);
    return err < 0 ? err : (int64_t)VDSO_ADDR;
}

int vdso_map_region(struct process *child, const struct region *r)
{
    if (!vmo_ro || r->start < VDSO_DATA_ADDR || r->end > VDSO_DATA_ADDR + vmo_size)
        return -LINUX_ENOMEM;
    int err = map_range(child, r->start, r->end);
    if (err == 0 && r->prot != LINUX_PROT_READ && r->prot != (LINUX_PROT_READ | LINUX_PROT_EXEC))
        err = procmem_protect(child, r->start, r->end, r->prot); /* as the parent changed it */
    return err;
}
