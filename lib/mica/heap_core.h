/*
 * heap_core.h - the heap allocator's core: blocks with boundary tags,
 * segregated free lists, splitting and coalescing (concept: dynamic memory
 * allocation).  lib/mica/heap_core.c; docs/runtime.md, section 4.
 *
 * The core is plain C.  It takes memory from a page-source callback and
 * knows nothing of system calls or threads, so the host unit tests
 * (tests/host/test_heap.c) drive it with memory from the host's allocator.
 * lib/mica/malloc.c puts it on VM objects and behind a mutex.
 */
#ifndef MICA_HEAP_CORE_H
#define MICA_HEAP_CORE_H

#include <stddef.h>
#include <stdint.h>

#define HEAP_ALIGN 16 /* every payload address is a multiple of this */
#define HEAP_BINS  64 /* free list k holds the blocks of 2^k to 2^(k+1)-1 bytes */

/*
 * The page source: return `bytes` bytes of fresh memory aligned to
 * HEAP_ALIGN, or NULL if there is none.  The heap never gives it back.
 */
typedef void *(*heap_grow_fn)(void *ctx, size_t bytes);

struct heap_block;
struct heap_region;

struct heap {
    heap_grow_fn grow;
    void *ctx;
    size_t grow_min;                    /* smallest amount to ask the source for */
    struct heap_region *regions;        /* every piece of memory from the source */
    struct heap_block *bins[HEAP_BINS]; /* free blocks by size class */
    size_t used_bytes;                  /* in blocks in use, headers included */
    size_t free_bytes;                  /* in free blocks */
};

enum heap_error {
    HEAP_OK = 0,
    HEAP_DOUBLE_FREE,  /* the block is already free */
    HEAP_INVALID_FREE, /* the pointer is not one the heap handed out */
};

void heap_init(struct heap *h, heap_grow_fn grow, void *ctx, size_t grow_min);

/* Like malloc; NULL if the source gives no more memory.  heap_alloc(h, 0) returns a unique pointer.
 */
void *heap_alloc(struct heap *h, size_t size);

/* `align` is a power of two; NULL for any other value. */
void *heap_alloc_aligned(struct heap *h, size_t align, size_t size);

/* p NULL is allowed and does nothing. */
enum heap_error heap_free(struct heap *h, void *p);

/*
 * Like realloc: *out receives the (maybe moved) block, or NULL if no memory
 * was found, in which case p is untouched.  A size of 0 still keeps a
 * minimal block.
 */
enum heap_error heap_realloc(struct heap *h, void *p, size_t size, void **out);

/* The bytes usable at p (at least what was asked for); 0 if p is not a block in use. */
size_t heap_usable_size(const struct heap *h, const void *p);

/* NULL if every invariant holds, else a description of the first one broken. */
const char *heap_check(const struct heap *h);

/* "double free", "invalid free" ... for messages. */
const char *heap_error_text(enum heap_error e);

#endif
