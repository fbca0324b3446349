/*
 * procmem.c - a Linux process's memory on top of Mica VM objects (concepts:
 * memory mapping, anonymous memory, protection).
 *
 * Each new region is a new anonymous VM object (zero-filled on demand, so
 * a large mmap costs nothing until it is touched).  It is mapped into the
 * process with the region's protection and into the server, readable and
 * writable, where the server reads and writes the process's memory
 * (usercopy.h).  The VM object's handle is closed at once: the two
 * mappings keep the object alive, and unmapping both frees it.  The
 * bookkeeping is regions.c's.
 *
 * fork (procmem_clone) copies a process's private memory with SYS_VM_CLONE: the
 * child's address space gets, for each region, a copy-on-write clone of
 * the VM object.  That clone has no handle, and the server's shadow still
 * maps the parent's object - reading or writing the child through it
 * would reach the parent's pages.  So the server maps each clone a second
 * time, into itself, with SYS_VM_SHARE: the child's shadow.  A write by
 * the server into the child then goes to the child's copy (and breaks the
 * sharing there, as the child's own write would).  Shared memory
 * (MAP_SHARED) is not copied: SYS_VM_SHARE maps the parent's VM object into
 * the child, so both see every write of the other.  The vDSO's regions are
 * neither copied nor shared from the parent: the child gets the vDSO's own
 * pages, mapped as for every process (vdso.h).
 *
 * mremap moves memory without copying it: SYS_VM_SHARE maps each piece's
 * VM object at the new place, and the old place is unmapped; the server's
 * shadow of the object stays as it was (procmem_move).
 *
 * Linux's protections become Mica's: on x86-64 write and execute imply
 * read, as the page tables cannot express otherwise.  Mica refuses
 * memory that is writable and executable at once (W^X); such a request
 * gets -EINVAL (docs/linux-abi.md).
 */
#include "procmem.h"
#include "posix.h"
#include "vdso.h"

static int mica_prot(uint32_t prot, uint32_t *out)
{
    uint32_t m = 0;
    if ((prot & LINUX_PROT_WRITE) && (prot & LINUX_PROT_EXEC))
        return -LINUX_EINVAL;
    if (prot & (LINUX_PROT_READ | LINUX_PROT_WRITE | LINUX_PROT_EXEC))
        m |= MICA_PROT_READ;
    if (prot & LINUX_PROT_WRITE)
        m |= MICA_PROT_WRITE;
    if (prot & LINUX_PROT_EXEC)
        m |= MICA_PROT_EXEC;
    *out = m;
    return 0;
}

int procmem_map(struct process *p, uint64_t start, uint64_t size, uint32_t prot, uint8_t **shadow)
{
    uint32_t mprot;
    int err = mica_prot(prot, &mprot);
    if (err < 0)
        return err;
    if (p->mem.n == REGIONS_MAX || regions_overlap(&p->mem, start, start + size))
        return -LINUX_ENOMEM;
    int64_t vmo = mica_vmo_create(size);
    if (vmo < 0)
        return -LINUX_ENOMEM;
    int64_t at =
        mica_vm_map(posix.self, (mica_handle_t)vmo, 0, 0, size, MICA_PROT_READ | MICA_PROT_WRITE);
    int64_t r = at < 0 ? at : mica_vm_map(p->as, (mica_handle_t)vmo, 0, start, size, mprot);
    mica_handle_close((mica_handle_t)vmo);
    if (r < 0) {
        if (at >= 0)
            mica_vm_unmap(posix.self, (uint64_t)at, size);
        return -LINUX_ENOMEM;
    }
    *shadow = (uint8_t *)at;
    regions_add(&p->mem, start, start + size, prot, *shadow); /* room and place checked above */
    return 0;
}

int procmem_unmap(struct process *p, uint64_t start, uint64_t end)
{
    struct region gone[REGIONS_MAX];
    unsigned n;
    if (regions_remove(&p->mem, start, end, gone, REGIONS_MAX, &n) < 0)
        return -LINUX_ENOMEM;
    for (unsigned i = 0; i < n; i++) {
        mica_vm_unmap(p->as, gone[i].start, gone[i].end - gone[i].start);
        mica_vm_unmap(posix.self, (uint64_t)gone[i].shadow, gone[i].end - gone[i].start);
    }
    return 0;
}

int procmem_protect(struct process *p, uint64_t start, uint64_t end, uint32_t prot)
{
    uint32_t mprot;
    int err = mica_prot(prot, &mprot);
    if (err < 0)
        return err;
    if (!regions_cover(&p->mem, start, end, 0))
        return -LINUX_ENOMEM;
    if (mica_vm_protect(p->as, start, end - start, mprot) < 0)
        return -LINUX_ENOMEM;
    return regions_protect(&p->mem, start, end, prot) < 0 ? -LINUX_ENOMEM : 0;
}

int procmem_clone(struct process *child, const struct process *parent)
{
    for (unsigned i = 0; i < parent->mem.n; i++) {
        const struct region *r = &parent->mem.r[i];
        uint64_t size = r->end - r->start;
        uint32_t mprot;
        if (r->vdso) { /* the vDSO: the same pages in every process */
            if (vdso_map_region(child, r) < 0)
                return -LINUX_ENOMEM;
            continue;
        }
        if (r->shared) { /* the same VM object in both: they share every page */
            if (mica_prot(r->prot, &mprot) < 0 ||
                mica_vm_share(parent->as, r->start, size, child->as, r->start, mprot) < 0)
                return -LINUX_ENOMEM;
        } else if (mica_vm_clone(parent->as, child->as, r->start, size) < 0) {
            return -LINUX_ENOMEM;
        }
        int64_t at = mica_vm_share(child->as, r->start, size, posix.self, 0,
                                   MICA_PROT_READ | MICA_PROT_WRITE);
        if (at < 0)
            return -LINUX_ENOMEM;
        regions_add(&child->mem, r->start, r->end, r->prot, (uint8_t *)at); /* as the parent's */
        if (r->shared)
            regions_mark_shared(&child->mem, r->start, r->end);
    }
    return 0;
}

/* Put the pieces gone[0..n) (taken out of the table) back into it as they were. */
static void put_back(struct process *p, const struct region *gone, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        regions_add(&p->mem, gone[i].start, gone[i].end, gone[i].prot, gone[i].shadow);
        if (gone[i].shared)
            regions_mark_shared(&p->mem, gone[i].start, gone[i].end);
        if (gone[i].vdso)
            regions_mark_vdso(&p->mem, gone[i].start, gone[i].end);
    }
}

int procmem_move(struct process *p, uint64_t from, uint64_t to, uint64_t size)
{
    static struct region gone[REGIONS_MAX];
    unsigned n, made = 0;
    if (regions_remove(&p->mem, from, from + size, gone, REGIONS_MAX, &n) < 0)
        return -LINUX_ENOMEM;
    for (; made < n; made++) { /* first map every piece at its new place */
        const struct region *g = &gone[made];
        uint32_t mprot = 0;
        (void)mica_prot(g->prot, &mprot); /* it was mapped so: it is valid */
        if (mica_vm_share(p->as, g->start, g->end - g->start, p->as, to + (g->start - from),
                          mprot) < 0)
            break;
    }
    if (made < n) { /* no room for one: undo, the old place stays */
        for (unsigned i = 0; i < made; i++)
            mica_vm_unmap(p->as, to + (gone[i].start - from), gone[i].end - gone[i].start);
        put_back(p, gone, n);
        return -LINUX_ENOMEM;
    }
    for (unsigned i = 0; i < n; i++) { /* then unmap the old place; the shadows stay */
        const struct region *g = &gone[i];
        mica_vm_unmap(p->as, g->start, g->end - g->start);
        gone[i].start = to + (g->start - from);
        gone[i].end = to + (g->end - from);
    }
    put_back(p, gone, n);
    return 0;
}

void procmem_release(struct process *p)
{
    for (unsigned i = 0; i < p->mem.n; i++)
        mica_vm_unmap(posix.self, (uint64_t)p->mem.r[i].shadow,
                      p->mem.r[i].end - p->mem.r[i].start);
    p->mem.n = 0;
}
