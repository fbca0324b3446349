/*
 * buddy.h - the binary buddy allocator of physical page frames
 * (concept: memory management, the buddy system).
 *
 * The allocator hands out blocks of 2^order contiguous page frames, for
 * order 0 .. BUDDY_ORDERS-1.  It knows nothing about where memory is: it
 * manages page frame numbers (pfn) in the span [base_pfn, base_pfn + npages)
 * and keeps one struct page per frame in an array the caller provides.
 * Every block is naturally aligned: its pfn is a multiple of 2^order, so an
 * order-9 block (2 MiB) is 2 MiB aligned in physical memory.
 *
 * There is no locking inside; the kernel wraps calls in its own lock.
 */
#ifndef MICA_BUDDY_H
#define MICA_BUDDY_H

#include <stdint.h>
#include <stddef.h>

#define BUDDY_ORDERS 11 /* blocks of 1 .. 1024 pages (4 KiB .. 4 MiB) */

#define BUDDY_NONE 0xffffffffu /* "no page" in the next/prev links */

/*
 * One descriptor per page frame, 16 bytes.  next/prev link free blocks into
 * per-order lists by index into the page array.  'owner', 'spare' and the
 * flag bits above PG_BUDDY_MASK belong to the caller.
 */
struct page {
    uint32_t next, prev;
    uint8_t order;
    uint8_t flags;
    uint16_t spare;
    uint32_t owner;
};

#define PG_RESERVED 0x01 /* not managed / not free-able (holes, firmware) */
#define PG_FREE     0x02 /* head of a free block of size 2^order */
#define PG_BUDDY_MASK                                                                              \
    0x0f /* flag bits owned by the buddy allocator; 0x10..0x80 are the caller's                    \
          */

struct buddy {
    uint64_t base_pfn, npages;
    struct page *pages;
    uint32_t free_head[BUDDY_ORDERS];   /* first free block of each order, BUDDY_NONE if none */
    uint64_t free_blocks[BUDDY_ORDERS]; /* length of each free list */
    uint64_t free_pages, managed_pages;
};

struct buddy_stats {
    uint64_t managed_pages, free_pages, used_pages;
    uint64_t free_blocks[BUDDY_ORDERS];
};

/*
 * Set up an allocator for [base_pfn, base_pfn + npages) with descriptors in
 * pages[0 .. npages).  Every page starts reserved: nothing can be allocated
 * until buddy_add_free() hands ranges over.  npages must be below 2^32
 * (16 TiB of memory); a larger span is cut to 2^32 - 1 pages.
 */
void buddy_init(struct buddy *b, uint64_t base_pfn, uint64_t npages, struct page *pages);

/*
 * Hand the usable range [pfn, pfn + count) to the allocator.  It is split
 * into maximal aligned blocks, which are merged with free neighbours.
 * Returns 0, or -EINVAL if the range leaves the span or any page in it is
 * already managed (free or allocated).
 */
int buddy_add_free(struct buddy *b, uint64_t pfn, uint64_t count);

/* Allocate 2^order pages; the first pfn goes to *pfn_out.  0, -ENOMEM, or -EINVAL. */
int buddy_alloc(struct buddy *b, unsigned order, uint64_t *pfn_out);

/*
 * Give back the 2^order pages at pfn and merge them with free buddies.
 * Returns 0, or -EINVAL if pfn is not aligned to 2^order, the block leaves
 * the span, or any page of it is reserved or already free (double free).
 */
int buddy_free(struct buddy *b, uint64_t pfn, unsigned order);

void buddy_get_stats(const struct buddy *b, struct buddy_stats *s);

/* The descriptor of pfn, or NULL if pfn is outside the span. */
struct page *buddy_page(struct buddy *b, uint64_t pfn);

#endif
