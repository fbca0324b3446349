/*
 * slab.h - the slab allocator for fixed-size kernel objects
 * (concept: kernel memory allocation, Bonwick's slab allocator).
 *
 * A cache hands out objects of one size.  It gets memory from a backend in
 * "slabs": naturally aligned blocks of 2^order pages, each starting with a
 * small header followed by as many objects as fit.  Slabs sit on one of
 * three lists: full, partial (some objects free) and empty.
 */
#ifndef MICA_SLAB_H
#define MICA_SLAB_H

#include <stdint.h>
#include <stddef.h>
#include <mica/spinlock.h>

#define SLAB_PAGE_SIZE  4096
#define SLAB_MAX_OBJECT 65536 /* largest object a cache accepts, in bytes */

/*
 * Where slabs come from.  alloc_pages returns 2^order * 4096 bytes aligned
 * to their size, or NULL; free_pages gives such a block back.
 */
struct slab_backend {
    void *(*alloc_pages)(unsigned order);
    void (*free_pages)(void *addr, unsigned order);
};

struct slab; /* a slab's header, private to slab.c */

/* A doubly linked list of slabs and its length. */
struct slab_list {
    struct slab *head;
    uint64_t count;
};

struct kmem_cache {
    const char *name;
    size_t objsize;           /* size the user asked for */
    size_t align;             /* alignment of every object */
    size_t stride;            /* distance between objects: objsize rounded up to align */
    size_t first;             /* offset of the first object from the slab start */
    unsigned order;           /* each slab is 2^order pages */
    unsigned objs_per_slab;   /* at most 256 */
    struct slab_list partial; /* slabs with free and used objects */
    struct slab_list full;    /* slabs with no free object */
    struct slab_list empty;   /* slabs with no used object (at most one is kept) */
    uint64_t in_use;          /* objects handed out now */
    uint64_t allocs, frees;   /* successful calls, ever */
    struct spinlock lock;
    const struct slab_backend *backend;
};

struct slab_stats {
    uint64_t objects_in_use, objects_total, slabs, slabs_full, slabs_partial, slabs_empty, pages,
        allocs, frees;
};

/*
 * Set up a cache of objects of objsize bytes aligned to align (a power of
 * two; objects are at least 8-byte aligned).  0, or -EINVAL for size 0, an
 * alignment that is not a power of two, or an object (rounded up to its
 * alignment) bigger than SLAB_MAX_OBJECT.
 */
int kmem_cache_init(struct kmem_cache *c, const char *name, size_t objsize, size_t align,
                    const struct slab_backend *be);

/* An object, or NULL when the backend has no memory. */
void *kmem_cache_alloc(struct kmem_cache *c);

/*
 * Give an object back.  0, or -EINVAL if obj is not an allocated object of
 * this cache: another cache's, a pointer into the middle of an object, or
 * an object already freed.
 */
int kmem_cache_free(struct kmem_cache *c, void *obj);

/* Give all empty slabs back to the backend; returns the pages released. */
size_t kmem_cache_shrink(struct kmem_cache *c);

void kmem_cache_get_stats(struct kmem_cache *c, struct slab_stats *s);

/*
 * The cache that owns obj, for objects from single-page (order-0) slabs:
 * read from the slab header at the start of obj's 4 KiB page.  NULL if that
 * page does not start with a slab header.
 */
struct kmem_cache *slab_cache_of(void *obj);

#endif
