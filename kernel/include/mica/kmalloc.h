/*
 * kmalloc.h - general-purpose kernel memory: small sizes from slab caches,
 * large ones straight from the buddy allocator.
 */
#ifndef MICA_KMALLOC_H
#define MICA_KMALLOC_H

#include <stddef.h>
#include <stdint.h>

void kmalloc_init(void);
void *kmalloc(size_t size); /* NULL when out of memory */
void *kzalloc(size_t size); /* zeroed */
void kfree(void *p);        /* NULL is fine; anything else not from kmalloc panics */

struct kmalloc_stats {
    uint64_t small_in_use; /* objects from the size classes */
    uint64_t large_in_use; /* page-sized or larger allocations */
    uint64_t slab_pages;
};
void kmalloc_get_stats(struct kmalloc_stats *s);

#endif
