/*
 * malloc.h - the heap of a native program: malloc and friends, safe to call
 * from any runtime thread (concept: dynamic memory allocation in user
 * space).  lib/mica/malloc.c on top of heap_core.c; docs/runtime.md, section 4.
 *
 * free() and realloc() of a pointer malloc never returned, or of one
 * already freed, print "fatal: free(...): double free ..." (or "invalid
 * free") and stop the thread.
 */
#ifndef MICA_MALLOC_H
#define MICA_MALLOC_H

#include <stddef.h>

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);
void *aligned_alloc(size_t align, size_t size); /* align: a power of two */
size_t malloc_usable_size(void *p);

/* Counters of the heap, for leak checks and statistics. */
struct mica_heap_stats {
    size_t used_bytes; /* in allocated blocks, headers included */
    size_t free_bytes; /* in free blocks */
};
void mica_heap_stats(struct mica_heap_stats *s);

/* NULL if the heap's invariants hold, else what is broken (walks the whole heap). */
const char *mica_heap_check(void);

#endif
