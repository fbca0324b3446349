/*
 * heap_core.c - the heap allocator's core (concept: dynamic memory
 * allocation with boundary tags, segregated free lists, splitting and
 * coalescing).  The interface is in heap_core.h; docs/runtime.md, section 4,
 * has the pictures.
 *
 * Memory comes from the page source in *regions*.  A region is cut into
 * *blocks* that follow each other without gaps; each starts with a 16-byte
 * header holding its size, two flags, and a check word that lets free()
 * recognise a pointer it never handed out.  A free block also keeps links
 * for its free list after the header and a copy of its size (the *footer*)
 * in its last word, so the block after it can find its start.  Because a
 * block records whether the block before it is in use (PREV_USED), a freed
 * block can merge with free neighbours on both sides at once: there are
 * never two free blocks next to each other.
 *
 * Free blocks sit in one of HEAP_BINS lists by size class (2^k ... 2^(k+1)-1
 * bytes).  An allocation searches its own class first-fit and otherwise takes
 * the first block of the next non-empty class, which is always big enough.
 */
#include <stdbool.h>
#include "heap_core.h"

#ifdef MICA_HOST_TEST
#include <string.h>
#else
#include <mica/string.h>
#endif

#define USED             1ull /* this block is in use */
#define PREV_USED        2ull /* the block before it is in use (or it is a region's first) */
#define FLAGS            (USED | PREV_USED)
#define HDR              16u                   /* header size: the payload starts here */
#define MIN_BLOCK        48u                   /* header, two links, footer, rounded up */
#define MAGIC            0x6d6963612d686561ull /* mixed into the check word */
#define SIZE_MAX_REQUEST ((size_t)1 << 40)     /* larger requests fail at once */

struct heap_block {
    uint64_t size_flags; /* block size (a multiple of 16) | USED | PREV_USED */
    uint64_t check;      /* address ^ size ^ MAGIC: set when the size is */
    /* Only while the block is free: */
    struct heap_block *next, *prev;
};

/* The start of each piece of memory from the page source. */
struct heap_region {
    struct heap_region *next;
    size_t size;
};

/* ---- Blocks ---- */

static size_t bsize(const struct heap_block *b)
{
    return (size_t)(b->size_flags & ~FLAGS);
}

static bool used(const struct heap_block *b)
{
    return b->size_flags & USED;
}

static bool prev_used(const struct heap_block *b)
{
    return b->size_flags & PREV_USED;
}

static uint64_t check_word(const struct heap_block *b, size_t size)
{
    return (uint64_t)(uintptr_t)b ^ size ^ MAGIC;
}

/* A new size for b; the flags stay. */
static void set_size(struct heap_block *b, size_t size)
{
    b->size_flags = size | (b->size_flags & FLAGS);
    b->check = check_word(b, size);
}

static void set_flag(struct heap_block *b, uint64_t flag, bool on)
{
    if (on)
        b->size_flags |= flag;
    else
        b->size_flags &= ~flag;
}

static struct heap_block *after(const struct heap_block *b)
{
    return (struct heap_block *)((char *)b + bsize(b));
}

static uint64_t *footer(const struct heap_block *b)
{
    return (uint64_t *)((char *)b + bsize(b) - sizeof(uint64_t));
}

/* The block before b; only valid while !prev_used(b). */
static struct heap_block *before(const struct heap_block *b)
{
    uint64_t prev_size = *((const uint64_t *)b - 1);
    return (struct heap_block *)((char *)b - prev_size);
}

static void *payload(struct heap_block *b)
{
    return (char *)b + HDR;
}

static struct heap_block *block_of(const void *p)
{
    return (struct heap_block *)((char *)p - HDR);
}

/* The block size that holds `size` payload bytes. */
static size_t block_size_for(size_t size)
{
    size_t n = (size + HDR + HEAP_ALIGN - 1) & ~(size_t)(HEAP_ALIGN - 1);
    return n < MIN_BLOCK ? MIN_BLOCK : n;
}

/* ---- Free lists ---- */

static unsigned bin_of(size_t size)
{
    return 63u - (unsigned)__builtin_clzll((unsigned long long)size);
}

static void list_insert(struct heap *h, struct heap_block *b)
{
    unsigned k = bin_of(bsize(b));
    b->prev = NULL;
    b->next = h->bins[k];
    if (b->next)
        b->next->prev = b;
    h->bins[k] = b;
    h->free_bytes += bsize(b);
}

static void list_remove(struct heap *h, struct heap_block *b)
{
    if (b->prev)
        b->prev->next = b->next;
    else
        h->bins[bin_of(bsize(b))] = b->next;
    if (b->next)
        b->next->prev = b->prev;
    h->free_bytes -= bsize(b);
}

/* Make b a free block in its list, with footer, and tell the block after it. */
static void make_free(struct heap *h, struct heap_block *b)
{
    set_flag(b, USED, false);
    *footer(b) = bsize(b);
    set_flag(after(b), PREV_USED, false);
    list_insert(h, b);
}

/* Take a free block (already off its list) into use. */
static void make_used(struct heap *h, struct heap_block *b)
{
    set_flag(b, USED, true);
    set_flag(after(b), PREV_USED, true);
    h->used_bytes += bsize(b);
}

/* ---- Regions ---- */

void heap_init(struct heap *h, heap_grow_fn grow, void *ctx, size_t grow_min)
{
    memset(h, 0, sizeof *h);
    h->grow = grow;
    h->ctx = ctx;
    h->grow_min = grow_min;
}

/*
 * Region layout: the region record (16 bytes), the blocks, and an end
 * marker - a header of size 0 marked in use, so no block merges past the end.
 */
static bool add_region(struct heap *h, size_t need)
{
    size_t bytes = need + sizeof(struct heap_region) + HDR;
    if (bytes < h->grow_min)
        bytes = h->grow_min;
    bytes = (bytes + 4095) & ~(size_t)4095;
    struct heap_region *r = h->grow(h->ctx, bytes);
    if (!r)
        return false;
    r->size = bytes;
    r->next = h->regions;
    h->regions = r;

    struct heap_block *first = (struct heap_block *)(r + 1);
    struct heap_block *end = (struct heap_block *)((char *)r + bytes - HDR);
    end->size_flags = USED;
    end->check = check_word(end, 0);
    first->size_flags = PREV_USED;
    set_size(first, (size_t)((char *)end - (char *)first));
    make_free(h, first);
    return true;
}

static const struct heap_region *region_of(const struct heap *h, const void *p)
{
    for (const struct heap_region *r = h->regions; r; r = r->next) {
        if ((const char *)p >= (const char *)(r + 1) + HDR &&
            (const char *)p < (const char *)r + r->size - HDR)
            return r;
    }
    return NULL;
}

/* ---- Allocation ---- */

static struct heap_block *find_fit(struct heap *h, size_t need)
{
    unsigned k = bin_of(need);
    for (struct heap_block *b = h->bins[k]; b; b = b->next) {
        if (bsize(b) >= need)
            return b;
    }
    for (k++; k < HEAP_BINS; k++) {
        if (h->bins[k])
            return h->bins[k];
    }
    return NULL;
}

/* Cut the used block b down to `need` bytes if the rest makes a block; the rest is freed. */
static void trim(struct heap *h, struct heap_block *b, size_t need)
{
    size_t size = bsize(b);
    if (size - need < MIN_BLOCK)
        return;
    set_size(b, need);
    /* The rest becomes a block in use (used_bytes still counts it), then is freed like any other.
     */
    struct heap_block *rest = after(b);
    rest->size_flags = PREV_USED | USED;
    set_size(rest, size - need);
    heap_free(h, payload(rest)); /* merges it with a free block after it */
}

static struct heap_block *take_block(struct heap *h, size_t need)
{
    struct heap_block *b = find_fit(h, need);
    if (!b) {
        if (!add_region(h, need))
            return NULL;
        b = find_fit(h, need);
    }
    list_remove(h, b);
    make_used(h, b);
    trim(h, b, need);
    return b;
}

void *heap_alloc(struct heap *h, size_t size)
{
    if (size > SIZE_MAX_REQUEST)
        return NULL;
    struct heap_block *b = take_block(h, block_size_for(size));
    return b ? payload(b) : NULL;
}

/*
 * Over-allocate, then free the part before the first suitably aligned
 * payload as a block of its own (it is at least MIN_BLOCK bytes) and trim
 * the tail.
 */
void *heap_alloc_aligned(struct heap *h, size_t align, size_t size)
{
    if (align == 0 || (align & (align - 1)) != 0 || align > SIZE_MAX_REQUEST)
        return NULL;
    if (align <= HEAP_ALIGN)
        return heap_alloc(h, size);
    if (size > SIZE_MAX_REQUEST)
        return NULL;
    size_t need = block_size_for(size);
    struct heap_block *b = take_block(h, need + 2 * align + MIN_BLOCK);
    if (!b)
        return NULL;
    uintptr_t p = (uintptr_t)payload(b);
    uintptr_t a = (p + align - 1) & ~(uintptr_t)(align - 1);
    while (a != p && a - p < MIN_BLOCK)
        a += align;
    if (a != p) {
        size_t gap = (size_t)(a - p);
        size_t total = bsize(b);
        struct heap_block *aligned = block_of((void *)a);
        aligned->size_flags = USED;
        set_size(aligned, total - gap);
        set_size(b, gap);
        h->used_bytes -= gap;
        make_free(h, b); /* the block before b is in use: nothing to merge */
        b = aligned;
    }
    trim(h, b, need);
    return payload(b);
}

/* ---- Freeing ---- */

/* The block of p if p is a payload the heap handed out (in use or not). */
static struct heap_block *valid_block(const struct heap *h, const void *p, enum heap_error *err)
{
    *err = HEAP_INVALID_FREE;
    if ((uintptr_t)p % HEAP_ALIGN != 0)
        return NULL;
    const struct heap_region *r = region_of(h, p);
    if (!r)
        return NULL;
    struct heap_block *b = block_of(p);
    size_t size = bsize(b);
    if (b->check != check_word(b, size) || size < MIN_BLOCK ||
        (char *)b + size > (char *)r + r->size - HDR)
        return NULL;
    *err = used(b) ? HEAP_OK : HEAP_DOUBLE_FREE;
    return b;
}

/* Merge b with the free block after it, if there is one. */
static void merge_next(struct heap *h, struct heap_block *b)
{
    struct heap_block *n = after(b);
    if (used(n))
        return;
    list_remove(h, n);
    set_size(b, bsize(b) + bsize(n));
}

enum heap_error heap_free(struct heap *h, void *p)
{
    if (!p)
        return HEAP_OK;
    enum heap_error err;
    struct heap_block *b = valid_block(h, p, &err);
    if (err != HEAP_OK)
        return err;
    h->used_bytes -= bsize(b);
    set_flag(b, USED, false); /* even if b merges into the block before: see valid_block() */
    merge_next(h, b);
    if (!prev_used(b)) {
        struct heap_block *prev = before(b);
        list_remove(h, prev);
        set_size(prev, bsize(prev) + bsize(b));
        b = prev;
    }
    make_free(h, b);
    return HEAP_OK;
}

/* ---- Resizing ---- */

/* Grow b in place into a free block after it; true if it now has `need` bytes. */
static bool grow_in_place(struct heap *h, struct heap_block *b, size_t need)
{
    struct heap_block *n = after(b);
    if (used(n) || bsize(b) + bsize(n) < need)
        return false;
    h->used_bytes += bsize(n);
    merge_next(h, b);
    set_flag(after(b), PREV_USED, true);
    return true;
}

enum heap_error heap_realloc(struct heap *h, void *p, size_t size, void **out)
{
    *out = NULL;
    if (!p) {
        *out = heap_alloc(h, size);
        return HEAP_OK;
    }
    enum heap_error err;
    struct heap_block *b = valid_block(h, p, &err);
    if (err != HEAP_OK)
        return err;
    if (size > SIZE_MAX_REQUEST)
        return HEAP_OK;
    size_t need = block_size_for(size);
    if (bsize(b) >= need || grow_in_place(h, b, need)) {
        trim(h, b, need);
        *out = p;
        return HEAP_OK;
    }
    void *q = heap_alloc(h, size);
    if (!q)
        return HEAP_OK;
    memcpy(q, p, bsize(b) - HDR);
    *out = q;
    return heap_free(h, p);
}

size_t heap_usable_size(const struct heap *h, const void *p)
{
    enum heap_error err;
    struct heap_block *b = valid_block(h, p, &err);
    return err == HEAP_OK ? bsize(b) - HDR : 0;
}

const char *heap_error_text(enum heap_error e)
{
    switch (e) {
    case HEAP_OK:
        return "no error";
    case HEAP_DOUBLE_FREE:
        return "double free (the block is already free)";
    case HEAP_INVALID_FREE:
        return "invalid free (not a pointer that malloc returned)";
    }
    return "unknown heap error";
}

/* ---- The invariants, for tests ---- */

/* Walk one region block by block; counts its free blocks and bytes. */
static const char *check_region(const struct heap_region *r, size_t *nfree, size_t *free_bytes,
                                size_t *used_bytes)
{
    const struct heap_block *b = (const struct heap_block *)(r + 1);
    const char *end = (const char *)r + r->size - HDR;
    bool prev_free = false;
    while ((const char *)b < end) {
        size_t size = bsize(b);
        if (b->check != check_word(b, size))
            return "a block's check word is wrong";
        if (size < MIN_BLOCK || size % HEAP_ALIGN || (const char *)b + size > end)
            return "a block's size is impossible";
        if (prev_used(b) == prev_free)
            return "a PREV_USED flag disagrees with the block before";
        if (!used(b)) {
            if (prev_free)
                return "two free blocks lie next to each other (not coalesced)";
            if (*footer(b) != size)
                return "a free block's footer differs from its size";
            (*nfree)++;
            *free_bytes += size;
        } else {
            *used_bytes += size;
        }
        prev_free = !used(b);
        b = after(b);
    }
    if ((const char *)b != end || b->size_flags != (USED | (prev_free ? 0 : PREV_USED)))
        return "a region's end marker is missing or wrong";
    return NULL;
}

static const char *check_lists(const struct heap *h, size_t *nfree)
{
    for (unsigned k = 0; k < HEAP_BINS; k++) {
        const struct heap_block *prev = NULL;
        for (const struct heap_block *b = h->bins[k]; b; b = b->next) {
            if (used(b) || bin_of(bsize(b)) != k || b->prev != prev ||
                !region_of(h, (const char *)b + HDR))
                return "a free list holds a wrong block or a broken link";
            if (++*nfree > ((size_t)1 << 40))
                return "a free list has a cycle";
            prev = b;
        }
    }
    return NULL;
}

const char *heap_check(const struct heap *h)
{
    size_t walked = 0, listed = 0, free_bytes = 0, used_bytes = 0;
    for (const struct heap_region *r = h->regions; r; r = r->next) {
        const char *err = check_region(r, &walked, &free_bytes, &used_bytes);
        if (err)
            return err;
    }
    const char *err = check_lists(h, &listed);
    if (err)
        return err;
    if (walked != listed)
        return "the free lists and the regions count different free blocks";
    if (free_bytes != h->free_bytes || used_bytes != h->used_bytes)
        return "the byte counters are wrong";
    return NULL;
}
