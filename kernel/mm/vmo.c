/*
 * vmo.c - anonymous VM objects (concepts: demand paging, zero-fill on demand).
 *
 * An anonymous VM object is a range of memory that has no pages at first.
 * The first access to a page through any mapping faults, and the fault
 * handler asks the object for the page: only then is a physical page taken
 * and cleared.  The object keeps its pages until it is destroyed, when the
 * last handle and the last mapping of it are gone.
 */
#include <mica/errno.h>
#include <mica/kmalloc.h>
#include <mica/pmm.h>
#include <mica/string.h>
#include <mica/vmo.h>
#include <arch/layout.h>

static void vmo_destroy(struct object *o)
{
    struct vmo *v = (struct vmo *)o;
    for (uint64_t i = 0; i < v->npages; i++)
        if (v->pages[i])
            pmm_free_pages(v->pages[i], 0);
    kfree(v->pages);
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

uint64_t vmo_page(struct vmo *v, uint64_t index)
{
    if (index >= v->npages)
        return 0;
    if (!v->pages[index]) {
        uint64_t pa = pmm_alloc_pages(0);
        if (!pa)
            return 0;
        memset(phys_to_virt(pa), 0, PAGE_SIZE);
        v->pages[index] = pa;
    }
    return v->pages[index];
}
