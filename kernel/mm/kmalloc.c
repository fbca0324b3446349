/*
 * kmalloc.c - kernel heap (concept: dynamic memory allocation, size classes).
 *
 * Requests up to 1024 bytes are rounded up to a power of two and served by
 * one slab cache per size; larger ones get a block of whole pages from the
 * buddy allocator, marked in its page descriptor so that kfree() can tell the
 * two apart without a header in front of the object.
 */
#include <stdatomic.h>
#include <mica/kmalloc.h>
#include <mica/panic.h>
#include <mica/pmm.h>
#include <mica/slab.h>
#include <mica/string.h>
#include <arch/layout.h>

#define SMALL_CLASSES    7 /* 16, 32, ..., 1024 bytes */
#define SMALL_MIN        16
#define SMALL_MAX        1024
#define PG_KMALLOC_LARGE 0x10 /* page flag (caller's bits): head of a large kmalloc block */

static struct kmem_cache classes[SMALL_CLASSES];
static _Atomic uint64_t large_in_use;
static const char *const class_names[SMALL_CLASSES] = {"kmalloc-16",  "kmalloc-32",  "kmalloc-64",
                                                       "kmalloc-128", "kmalloc-256", "kmalloc-512",
                                                       "kmalloc-1024"};

static void *slab_pages_alloc(unsigned order)
{
    uint64_t pa = pmm_alloc_pages(order);
    return pa ? phys_to_virt(pa) : 0;
}

static void slab_pages_free(void *addr, unsigned order)
{
    pmm_free_pages(virt_to_phys(addr), order);
}

static const struct slab_backend page_backend = {slab_pages_alloc, slab_pages_free};

void kmalloc_init(void)
{
    for (unsigned i = 0; i < SMALL_CLASSES; i++) {
        if (kmem_cache_init(&classes[i], class_names[i], (size_t)SMALL_MIN << i, 16,
                            &page_backend) < 0)
            panic("kmalloc: cannot create cache %s", class_names[i]);
    }
}

static unsigned class_for(size_t size)
{
    unsigned i = 0;
    while (((size_t)SMALL_MIN << i) < size)
        i++;
    return i;
}

static void *alloc_large(size_t size)
{
    unsigned order = pmm_order_for(size);
    uint64_t pa = pmm_alloc_pages(order);
    if (!pa)
        return 0;
    struct page *pg = pmm_page(pa);
    pg->flags |= PG_KMALLOC_LARGE;
    pg->spare = (uint16_t)order;
    atomic_fetch_add(&large_in_use, 1);
    return phys_to_virt(pa);
}

void *kmalloc(size_t size)
{
    if (size == 0)
        size = 1;
    if (size <= SMALL_MAX)
        return kmem_cache_alloc(&classes[class_for(size)]);
    return alloc_large(size);
}

void *kzalloc(size_t size)
{
    void *p = kmalloc(size);
    if (p)
        memset(p, 0, size);
    return p;
}

void kfree(void *p)
{
    if (!p)
        return;
    uint64_t pa = virt_to_phys(p);
    struct page *pg = pmm_page(pa);
    if (pg && (pg->flags & PG_KMALLOC_LARGE) && (pa & (PAGE_SIZE - 1)) == 0) {
        pg->flags &= (uint8_t)~PG_KMALLOC_LARGE;
        pmm_free_pages(pa, pg->spare);
        atomic_fetch_sub(&large_in_use, 1);
        return;
    }
    struct kmem_cache *c = slab_cache_of(p);
    if (!c || kmem_cache_free(c, p) < 0)
        panic("kfree: %p was not allocated by kmalloc, or was freed twice", p);
}

void kmalloc_get_stats(struct kmalloc_stats *s)
{
    memset(s, 0, sizeof *s);
    s->large_in_use = atomic_load(&large_in_use);
    for (unsigned i = 0; i < SMALL_CLASSES; i++) {
        struct slab_stats st;
        kmem_cache_get_stats(&classes[i], &st);
        s->small_in_use += st.objects_in_use;
        s->slab_pages += st.pages;
    }
}
