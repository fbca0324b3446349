/*
 * aspace.c - address spaces and their mappings (concepts: virtual address
 * spaces, isolation, page-fault handling, regions with their own protection).
 *
 * An address space is a set of mappings, each a page-aligned range of user
 * addresses backed by a range of a VM object with a protection.  Mappings are
 * only bookkeeping at first: page-table entries are made when a page is first
 * touched, by aspace_fault().  Unmapping and protecting may split mappings.
 * Writable mappings are never executable (W^X), for user code as for the kernel.
 * Called with the big kernel lock held.
 */
#include <stdatomic.h>
#include <mica/aspace.h>
#include <mica/ipc.h>
#include <mica/errno.h>
#include <mica/kmalloc.h>
#include <mica/pmm.h>
#include <mica/vmo.h>
#include <abi/mica/syscall.h>
#include <arch/layout.h>
#include <arch/mmu.h>

#define AUTO_MAP_BASE                                                                              \
    0x0000100000000000ull /* where the kernel places mappings the caller left to it */

static _Atomic uint64_t next_aspace_id = 1;

/* The reverse map: each VM object knows its mappings, for write-protecting them. */
static void rmap_add(struct vm_mapping *m)
{
    m->vmo_next = m->vmo->mappings;
    m->vmo->mappings = m;
}

static void rmap_remove(struct vm_mapping *m)
{
    struct vm_mapping **pp = &m->vmo->mappings;
    while (*pp && *pp != m)
        pp = &(*pp)->vmo_next;
    if (*pp)
        *pp = m->vmo_next;
}

/* Forget a mapping: out of the reverse map, its VM object reference dropped. */
static void mapping_free(struct vm_mapping *m)
{
    rmap_remove(m);
    object_put(&m->vmo->obj);
    kfree(m);
}

static void aspace_destroy(struct object *o)
{
    struct aspace *as = (struct aspace *)o;
    if (as->watch)
        object_put(&as->watch->obj);
    kfree(as->io_bitmap);
    handle_table_destroy(&as->handles);
    while (as->maps) {
        struct vm_mapping *m = as->maps;
        as->maps = m->next;
        mapping_free(m);
    }
    if (as->root)
        mmu_free_user_root(as->root);
    arch_aspace_tlb_free(as);
    kfree(as);
}

struct aspace *aspace_create(int *err)
{
    struct aspace *as = kzalloc(sizeof *as);
    if (!as) {
        *err = -ENOMEM;
        return 0;
    }
    object_init(&as->obj, OBJ_ASPACE, aspace_destroy);
    as->id = atomic_fetch_add(&next_aspace_id, 1);
    as->root = mmu_new_user_root();
    arch_aspace_tlb_init(as);
    if (!as->root || handle_table_init(&as->handles, ASPACE_HANDLES) < 0) {
        *err = -ENOMEM;
        object_put(&as->obj);
        return 0;
    }
    return as;
}

static uint64_t pte_flags(uint32_t prot, uint32_t cache)
{
    uint64_t f = mmu_cache_bits(cache);
    if (prot & MICA_PROT_WRITE)
        f |= PTE_W;
    if (!(prot & MICA_PROT_EXEC))
        f |= PTE_NX;
    return f;
}

static bool range_ok(uint64_t va, uint64_t size)
{
    return (va & (PAGE_SIZE - 1)) == 0 && (size & (PAGE_SIZE - 1)) == 0 && size != 0 &&
           va >= ASPACE_USER_BASE && va < ASPACE_USER_TOP && size <= ASPACE_USER_TOP - va;
}

static bool overlaps(struct aspace *as, uint64_t start, uint64_t end)
{
    for (struct vm_mapping *m = as->maps; m; m = m->next)
        if (m->start < end && start < m->end)
            return true;
    return false;
}

/* First fit above AUTO_MAP_BASE. */
static uint64_t find_free(struct aspace *as, uint64_t size)
{
    uint64_t va = AUTO_MAP_BASE;
    for (struct vm_mapping *m = as->maps; m; m = m->next) {
        if (m->end <= va)
            continue;
        if (m->start >= va + size)
            break;
        va = m->end;
    }
    return va + size <= ASPACE_USER_TOP ? va : 0;
}

static void insert_sorted(struct aspace *as, struct vm_mapping *n)
{
    struct vm_mapping **pp = &as->maps;
    while (*pp && (*pp)->start < n->start)
        pp = &(*pp)->next;
    n->next = *pp;
    *pp = n;
}

#define PROT_ALL (MICA_PROT_READ | MICA_PROT_WRITE | MICA_PROT_EXEC)

int aspace_map(struct aspace *as, struct vmo *v, uint64_t offset, uint64_t va, uint64_t size,
               uint32_t prot, uint32_t max_prot, uint64_t *mapped_at)
{
    if ((prot & MICA_PROT_WRITE) && (prot & MICA_PROT_EXEC))
        return -EINVAL; /* W^X */
    if (prot & ~(uint32_t)PROT_ALL)
        return -EINVAL;
    if (prot & ~max_prot)
        return -EACCES;
    if ((offset & (PAGE_SIZE - 1)) || offset > v->size || size > v->size - offset)
        return -EINVAL;
    if (va == 0)
        va = find_free(as, size);
    if (!range_ok(va, size))
        return -EINVAL;
    if (overlaps(as, va, va + size))
        return -EEXIST;
    struct vm_mapping *m = kzalloc(sizeof *m);
    if (!m)
        return -ENOMEM;
    m->start = va;
    m->end = va + size;
    m->vmo = v;
    m->offset = offset;
    m->prot = prot;
    m->max_prot = max_prot;
    m->as = as;
    object_get(&v->obj);
    insert_sorted(as, m);
    rmap_add(m);
    *mapped_at = va;
    return 0;
}

/* Make sure no mapping straddles addr: split the one that does. */
static int split_at(struct aspace *as, uint64_t addr)
{
    for (struct vm_mapping *m = as->maps; m; m = m->next) {
        if (addr <= m->start || addr >= m->end)
            continue;
        struct vm_mapping *tail = kzalloc(sizeof *tail);
        if (!tail)
            return -ENOMEM;
        *tail = *m;
        tail->start = addr;
        tail->offset = m->offset + (addr - m->start);
        object_get(&m->vmo->obj);
        m->end = addr;
        m->next = tail;
        rmap_add(tail);
        return 0;
    }
    return 0;
}

static void unmap_pages(struct aspace *as, uint64_t start, uint64_t end)
{
    for (uint64_t va = start; va < end; va += PAGE_SIZE)
        mmu_user_unmap(as->root, va);
}

int aspace_unmap(struct aspace *as, uint64_t va, uint64_t size)
{
    if (!range_ok(va, size))
        return -EINVAL;
    uint64_t end = va + size;
    if (split_at(as, va) < 0 || split_at(as, end) < 0)
        return -ENOMEM;
    struct vm_mapping **pp = &as->maps;
    while (*pp) {
        struct vm_mapping *m = *pp;
        if (m->start >= va && m->end <= end) {
            *pp = m->next;
            unmap_pages(as, m->start, m->end);
            mapping_free(m);
            continue;
        }
        pp = &m->next;
    }
    arch_tlb_flush_aspace(as);
    return 0;
}

int aspace_protect(struct aspace *as, uint64_t va, uint64_t size, uint32_t prot)
{
    if (!range_ok(va, size) || ((prot & MICA_PROT_WRITE) && (prot & MICA_PROT_EXEC)) ||
        (prot & ~(uint32_t)PROT_ALL))
        return -EINVAL;
    uint64_t end = va + size;
    for (uint64_t a = va; a < end;) { /* the whole range must be mapped, and allow prot */
        struct vm_mapping *m = as->maps;
        while (m && !(m->start <= a && a < m->end))
            m = m->next;
        if (!m)
            return -ENOENT;
        if (prot & ~m->max_prot)
            return -EACCES; /* more than the VM object's handle granted */
        a = m->end;
    }
    if (split_at(as, va) < 0 || split_at(as, end) < 0)
        return -ENOMEM;
    for (struct vm_mapping *m = as->maps; m; m = m->next) {
        if (m->start < va || m->end > end)
            continue;
        m->prot = prot;
        for (uint64_t a = m->start; a < m->end; a += PAGE_SIZE) {
            if (!(prot & MICA_PROT_READ))
                mmu_user_unmap(as->root, a); /* no access: the next touch faults */
            else if (vmo_page_shared(m->vmo, (a - m->start + m->offset) / PAGE_SIZE))
                mmu_user_update(as->root, a, pte_flags(prot, m->vmo->cache) & ~PTE_W);
            else
                mmu_user_update(as->root, a, pte_flags(prot, m->vmo->cache));
        }
    }
    arch_tlb_flush_aspace(as);
    return 0;
}

int aspace_pin_page(struct aspace *as, uint64_t va, struct vmo **vmo, uint64_t *index)
{
    struct vm_mapping *m = as->maps;
    while (m && !(m->start <= va && va < m->end))
        m = m->next;
    uint32_t rw = MICA_PROT_READ | MICA_PROT_WRITE;
    if (!m || (m->prot & rw) != rw || m->vmo->kind == VMO_PHYS)
        return -EINVAL;
    object_get(&m->vmo->obj);
    *vmo = m->vmo;
    *index = (va - m->start + m->offset) / PAGE_SIZE;
    return 0;
}

int aspace_fault(struct aspace *as, uint64_t va, bool write, bool exec)
{
    struct vm_mapping *m = as->maps;
    while (m && !(m->start <= va && va < m->end))
        m = m->next;
    if (!m)
        return -EFAULT;
    if ((write && !(m->prot & MICA_PROT_WRITE)) || (exec && !(m->prot & MICA_PROT_EXEC)) ||
        !(m->prot & MICA_PROT_READ))
        return -EFAULT;
    uint64_t page = (va & ~(uint64_t)(PAGE_SIZE - 1));
    uint64_t index = (page - m->start + m->offset) / PAGE_SIZE;
    uint64_t flags = pte_flags(m->prot, m->vmo->cache);
    bool copied = false;
    uint64_t pa;
    if (write) {
        pa = vmo_page_for_write(m->vmo, index, &copied); /* breaks copy-on-write sharing */
    } else {
        pa = vmo_page(m->vmo, index);
        if (vmo_page_shared(m->vmo, index))
            flags &= ~PTE_W; /* shared: the first write must fault and copy */
    }
    if (!pa)
        return -ENOMEM;
    if (copied)
        aspace_vmo_page_moved(m->vmo, index); /* no mapping may keep the shared page */
    if (mmu_user_map(as->root, page, pa, flags) < 0)
        return -ENOMEM;
    as->faults++;
    return 0;
}

/*
 * A page of v has just been replaced by a private copy (copy-on-write): no
 * mapping of v may keep pointing at the old page, so each loses its entry
 * for that page and faults the new one in on the next access.
 */
void aspace_vmo_page_moved(struct vmo *v, uint64_t index)
{
    uint64_t at = index * PAGE_SIZE;
    for (struct vm_mapping *m = v->mappings; m; m = m->vmo_next) {
        if (at < m->offset || at - m->offset >= m->end - m->start)
            continue;
        mmu_user_unmap(m->as->root, m->start + (at - m->offset));
        arch_tlb_flush_aspace(m->as);
    }
}

void aspace_write_protect_vmo(struct vmo *v)
{
    for (struct vm_mapping *m = v->mappings; m; m = m->vmo_next) {
        bool changed = false;
        for (uint64_t va = m->start; va < m->end; va += PAGE_SIZE) {
            uint64_t pte = mmu_user_lookup(m->as->root, va);
            if ((pte & PTE_P) && (pte & PTE_W)) {
                mmu_user_update(m->as->root, va, pte_flags(m->prot, v->cache) & ~PTE_W);
                changed = true;
            }
        }
        if (changed)
            arch_tlb_flush_aspace(m->as);
    }
}

/*
 * fork's memory step: every mapping of src inside [va, va+size) appears in
 * dst at the same place with the same rights.  Anonymous memory is cloned
 * copy-on-write; device and DMA memory is shared as it is.  dst must have
 * nothing mapped there; on error dst may hold a part of the copy.
 */
int aspace_clone_range(struct aspace *src, struct aspace *dst, uint64_t va, uint64_t size)
{
    if (!range_ok(va, size))
        return -EINVAL;
    uint64_t end = va + size;
    if (overlaps(dst, va, end))
        return -EEXIST;
    if (split_at(src, va) < 0 || split_at(src, end) < 0)
        return -ENOMEM;
    for (struct vm_mapping *m = src->maps; m; m = m->next) {
        if (m->start < va || m->end > end)
            continue;
        int err = 0;
        struct vmo *v = m->vmo->kind == VMO_ANON ? vmo_clone(m->vmo, &err) : m->vmo;
        if (!v)
            return err;
        if (v == m->vmo)
            object_get(&v->obj);
        uint64_t at;
        err = aspace_map(dst, v, m->offset, m->start, m->end - m->start, m->prot, m->max_prot, &at);
        object_put(&v->obj); /* the new mapping holds it */
        if (err < 0)
            return err;
    }
    return 0;
}

/*
 * The other half of a server's view of a process's memory: the VM object
 * that src maps at [va, va+size) - all of it inside one mapping - is mapped
 * a second time, into dst at dva (0: anywhere), with protection prot within
 * what the first mapping allowed.  Both mappings then see the same pages.
 * A fork's copy made by aspace_clone_range() has no handle; this is how
 * the server that made it can still reach it.
 */
int aspace_share_range(struct aspace *src, uint64_t va, uint64_t size, struct aspace *dst,
                       uint64_t dva, uint32_t prot, uint64_t *mapped_at)
{
    if (!range_ok(va, size))
        return -EINVAL;
    for (struct vm_mapping *m = src->maps; m; m = m->next) {
        if (m->start > va || m->end <= va)
            continue;
        if (m->end - va < size)
            return -ENOENT; /* the range reaches past this mapping */
        return aspace_map(dst, m->vmo, m->offset + (va - m->start), dva, size, prot, m->max_prot,
                          mapped_at);
    }
    return -ENOENT;
}
