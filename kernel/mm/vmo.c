/*
 * vmo.c - VM objects (concepts: demand paging, zero-fill on demand,
 * copy-on-write, memory-mapped device memory, DMA memory).
 *
 * An anonymous VM object is a range of memory that has no pages at first.
 * The first access to a page through any mapping faults, and the fault
 * handler asks the object for the page: only then is a physical page taken
 * and cleared.  A clone shares its parent's pages until either side writes
 * one, which then gets a copy.  Device-memory objects stand for a fixed
 * physical range; contiguous objects are allocated whole, for DMA.  An
 * object keeps its pages until the last handle and mapping of it are gone.
 */
#include <mica/aspace.h>
#include <mica/errno.h>
#include <mica/kmalloc.h>
#include <mica/pmm.h>
#include <mica/string.h>
#include <mica/vmo.h>
#include <abi/mica/syscall.h>
#include <arch/layout.h>

/*
 * Pages shared by copy-on-write clones count their extra owners in the
 * page descriptor's `owner` field (0: one owner).
 */
static void page_share(uint64_t pa)
{
    pmm_page(pa)->owner++;
}

static void page_unshare_or_free(uint64_t pa)
{
    struct page *pg = pmm_page(pa);
    if (pg->owner > 0)
        pg->owner--;
    else
        pmm_free_pages(pa, 0);
}

static void vmo_destroy(struct object *o)
{
    struct vmo *v = (struct vmo *)o;
    if (v->kind == VMO_CONTIG)
        pmm_free_pages(v->phys_base, pmm_order_for(v->size));
    for (uint64_t i = 0; v->kind == VMO_ANON && i < v->npages; i++)
        if (v->pages[i])
            page_unshare_or_free(v->pages[i]);
    kfree(v->pages); /* NULL for the other kinds */
    kfree(v);
}

struct vmo *vmo_create_anon(uint64_t size, int *err)
{
    if (size == 0 || size > VMO_MAX_SIZE) {
        *err = -EINVAL;
        return 0;
    }
    size = (size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    struct vmo *v = kzalloc(sizeof *v);
    if (!v) {
        *err = -ENOMEM;
        return 0;
    }
    v->size = size;
    v->npages = size / PAGE_SIZE;
    v->pages = kzalloc(v->npages * sizeof(uint64_t));
    if (!v->pages) {
        kfree(v);
        *err = -ENOMEM;
        return 0;
    }
    object_init(&v->obj, OBJ_VMO, vmo_destroy);
    return v;
}

/* Device memory and DMA memory have no page array: their pages follow each other. */
static struct vmo *vmo_alloc_fixed(enum vmo_kind kind, uint64_t base, uint64_t size, uint32_t cache,
                                   int *err)
{
    struct vmo *v = kzalloc(sizeof *v);
    if (!v) {
        *err = -ENOMEM;
        return 0;
    }
    object_init(&v->obj, OBJ_VMO, vmo_destroy);
    v->kind = kind;
    v->cache = cache;
    v->phys_base = base;
    v->size = size;
    v->npages = size / PAGE_SIZE;
    return v;
}

struct vmo *vmo_create_phys(uint64_t base, uint64_t size, uint32_t cache, int *err)
{
    if (size == 0 || (base | size) & (PAGE_SIZE - 1) || cache > MICA_CACHE_UC) {
        *err = -EINVAL;
        return 0;
    }
    return vmo_alloc_fixed(VMO_PHYS, base, size, cache, err);
}

#define CONTIG_MAX (4ull << 20) /* the largest block the buddy allocator has */

struct vmo *vmo_create_contig(uint64_t size, uint32_t cache, int *err)
{
    if (size == 0 || size > CONTIG_MAX || cache > MICA_CACHE_UC) {
        *err = -EINVAL;
        return 0;
    }
    size = (size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    uint64_t pa = pmm_alloc_pages(pmm_order_for(size));
    if (!pa) {
        *err = -ENOMEM;
        return 0;
    }
    memset(phys_to_virt(pa), 0, (size_t)PAGE_SIZE << pmm_order_for(size));
    struct vmo *v = vmo_alloc_fixed(VMO_CONTIG, pa, size, cache, err);
    if (!v)
        pmm_free_pages(pa, pmm_order_for(size));
    return v;
}

bool vmo_page_shared(struct vmo *v, uint64_t index)
{
    return v->kind == VMO_ANON && index < v->npages && v->pages[index] &&
           pmm_page(v->pages[index])->owner > 0;
}

uint64_t vmo_page_for_write(struct vmo *v, uint64_t index, bool *copied)
{
    *copied = false;
    if (!vmo_page_shared(v, index))
        return vmo_page(v, index);
    uint64_t copy = pmm_alloc_pages(0);
    if (!copy)
        return 0;
    memcpy(phys_to_virt(copy), phys_to_virt(v->pages[index]), PAGE_SIZE);
    page_unshare_or_free(v->pages[index]);
    v->pages[index] = copy;
    *copied = true;
    return copy;
}

struct vmo *vmo_clone(struct vmo *v, int *err)
{
    if (v->kind != VMO_ANON) {
        *err = -EINVAL;
        return 0;
    }
    struct vmo *c = vmo_create_anon(v->size, err);
    if (!c)
        return 0;
    for (uint64_t i = 0; i < v->npages; i++) {
        if (!v->pages[i])
            continue;
        page_share(v->pages[i]);
        c->pages[i] = v->pages[i];
    }
    aspace_write_protect_vmo(v); /* its writers must fault, then copy */
    return c;
}

uint64_t vmo_page(struct vmo *v, uint64_t index)
{
    if (index >= v->npages)
        return 0;
    if (v->kind != VMO_ANON)
        return v->phys_base + index * PAGE_SIZE;
    if (!v->pages[index]) {
        uint64_t pa = pmm_alloc_pages(0);
        if (!pa)
            return 0;
        memset(phys_to_virt(pa), 0, PAGE_SIZE);
        v->pages[index] = pa;
    }
    return v->pages[index];
}
