/*
 * buddy.c - the binary buddy allocator of page frames (concept: memory
 * management, the buddy system).
 *
 * Free memory is kept as blocks of 2^k pages, each naturally aligned, on one
 * free list per order k.  The "buddy" of the block at pfn is the block at
 * pfn ^ 2^k: the other half of the aligned block of order k + 1.
 *
 *   allocate: take a block from the smallest non-empty list that is big
 *             enough; split it in halves, putting the unused halves back on
 *             the lower lists, until it has the requested size.
 *   free:     while the buddy is free and whole (same order), take it off its
 *             list and merge the two into one block of the next order.
 *
 * Only the first page of a free block (its "head") carries PG_FREE and the
 * block's order; the lists link heads by index into the page array, so
 * pushing and unlinking are O(1).
 */
#include <stdbool.h>
#include <mica/buddy.h>
#include <mica/errno.h>

static uint64_t block_pages(unsigned order)
{
    return (uint64_t)1 << order;
}

static bool in_span(const struct buddy *b, uint64_t pfn)
{
    return pfn >= b->base_pfn && pfn - b->base_pfn < b->npages;
}

/* Is all of [pfn, pfn + count) inside the span?  Written to avoid overflow. */
static bool range_in_span(const struct buddy *b, uint64_t pfn, uint64_t count)
{
    if (pfn < b->base_pfn || pfn - b->base_pfn > b->npages)
        return false;
    return count <= b->npages - (pfn - b->base_pfn);
}

static uint32_t index_of(const struct buddy *b, uint64_t pfn)
{
    return (uint32_t)(pfn - b->base_pfn);
}

/* Change the allocator's flag bits of a page, keeping the caller's bits. */
static void set_buddy_flags(struct page *p, uint8_t flags)
{
    p->flags = (uint8_t)((p->flags & ~PG_BUDDY_MASK) | flags);
}

/* Put the block whose head has index idx on the free list of its order. */
static void list_push(struct buddy *b, unsigned order, uint32_t idx)
{
    struct page *p = &b->pages[idx];
    uint32_t head = b->free_head[order];

    p->prev = BUDDY_NONE;
    p->next = head;
    if (head != BUDDY_NONE)
        b->pages[head].prev = idx;
    b->free_head[order] = idx;
    b->free_blocks[order]++;
    p->order = (uint8_t)order;
    set_buddy_flags(p, PG_FREE);
}

/* Take the block whose head has index idx off the free list of its order. */
static void list_remove(struct buddy *b, unsigned order, uint32_t idx)
{
    struct page *p = &b->pages[idx];

    if (p->prev != BUDDY_NONE)
        b->pages[p->prev].next = p->next;
    else
        b->free_head[order] = p->next;
    if (p->next != BUDDY_NONE)
        b->pages[p->next].prev = p->prev;
    p->next = BUDDY_NONE;
    p->prev = BUDDY_NONE;
    b->free_blocks[order]--;
    set_buddy_flags(p, 0);
}

/* Is the block of this order at pfn free and whole, so that it can merge? */
static bool is_free_block(const struct buddy *b, uint64_t pfn, unsigned order)
{
    if (!in_span(b, pfn))
        return false;
    const struct page *p = &b->pages[index_of(b, pfn)];
    return (p->flags & PG_FREE) && p->order == order;
}

/* Put a block on the free lists, first merging it with free buddies. */
static void insert_free_block(struct buddy *b, uint64_t pfn, unsigned order)
{
    while (order < BUDDY_ORDERS - 1) {
        uint64_t buddy = pfn ^ block_pages(order);
        if (!is_free_block(b, buddy, order))
            break;
        list_remove(b, order, index_of(b, buddy));
        pfn &= ~block_pages(order); /* the merged block starts at the lower half */
        order++;
    }
    list_push(b, order, index_of(b, pfn));
}

void buddy_init(struct buddy *b, uint64_t base_pfn, uint64_t npages, struct page *pages)
{
    if (npages > BUDDY_NONE)
        npages = BUDDY_NONE;
    b->base_pfn = base_pfn;
    b->npages = npages;
    b->pages = pages;
    for (unsigned k = 0; k < BUDDY_ORDERS; k++) {
        b->free_head[k] = BUDDY_NONE;
        b->free_blocks[k] = 0;
    }
    b->free_pages = 0;
    b->managed_pages = 0;
    for (uint64_t i = 0; i < npages; i++) {
        pages[i].next = BUDDY_NONE;
        pages[i].prev = BUDDY_NONE;
        pages[i].order = 0;
        pages[i].flags = PG_RESERVED;
        pages[i].spare = 0;
        pages[i].owner = 0;
    }
}

/* The largest order of an aligned block that starts at pfn and ends by end. */
static unsigned largest_block(uint64_t pfn, uint64_t end)
{
    unsigned order = 0;
    while (order + 1 < BUDDY_ORDERS) {
        uint64_t size = block_pages(order + 1);
        if (pfn % size != 0 || end - pfn < size)
            break;
        order++;
    }
    return order;
}

int buddy_add_free(struct buddy *b, uint64_t pfn, uint64_t count)
{
    if (!range_in_span(b, pfn, count))
        return -EINVAL;
    /* Only reserved pages are new to the allocator; others are free or in use. */
    for (uint64_t i = 0; i < count; i++) {
        if (!(b->pages[index_of(b, pfn + i)].flags & PG_RESERVED))
            return -EINVAL;
    }
    for (uint64_t i = 0; i < count; i++)
        set_buddy_flags(&b->pages[index_of(b, pfn + i)], 0);

    uint64_t end = pfn + count;
    while (pfn < end) {
        unsigned order = largest_block(pfn, end);
        insert_free_block(b, pfn, order);
        pfn += block_pages(order);
    }
    b->managed_pages += count;
    b->free_pages += count;
    return 0;
}

int buddy_alloc(struct buddy *b, unsigned order, uint64_t *pfn_out)
{
    if (order >= BUDDY_ORDERS || pfn_out == NULL)
        return -EINVAL;
    unsigned k = order;
    while (k < BUDDY_ORDERS && b->free_head[k] == BUDDY_NONE)
        k++;
    if (k == BUDDY_ORDERS)
        return -ENOMEM;

    uint32_t idx = b->free_head[k];
    list_remove(b, k, idx);
    /* Split: keep the lower half, return the upper half to the lower list. */
    while (k > order) {
        k--;
        list_push(b, k, idx + (uint32_t)block_pages(k));
    }
    b->pages[idx].order = (uint8_t)order;
    b->free_pages -= block_pages(order);
    *pfn_out = b->base_pfn + idx;
    return 0;
}

/*
 * Is [pfn, pfn + 2^order) entirely allocated memory?  A free block that
 * overlaps it either has its head inside the block or, being aligned and
 * larger, contains pfn; so we scan the block's own pages, then look at the
 * aligned blocks of higher order around pfn.
 */
static bool block_is_allocated(const struct buddy *b, uint64_t pfn, unsigned order)
{
    for (uint64_t i = 0; i < block_pages(order); i++) {
        if (b->pages[index_of(b, pfn + i)].flags & (PG_RESERVED | PG_FREE))
            return false;
    }
    for (unsigned k = order + 1; k < BUDDY_ORDERS; k++) {
        if (is_free_block(b, pfn & ~(block_pages(k) - 1), k))
            return false;
    }
    return true;
}

int buddy_free(struct buddy *b, uint64_t pfn, unsigned order)
{
    if (order >= BUDDY_ORDERS)
        return -EINVAL;
    if (pfn % block_pages(order) != 0)
        return -EINVAL;
    if (!range_in_span(b, pfn, block_pages(order)))
        return -EINVAL;
    if (!block_is_allocated(b, pfn, order))
        return -EINVAL;
    insert_free_block(b, pfn, order);
    b->free_pages += block_pages(order);
    return 0;
}

void buddy_get_stats(const struct buddy *b, struct buddy_stats *s)
{
    s->managed_pages = b->managed_pages;
    s->free_pages = b->free_pages;
    s->used_pages = b->managed_pages - b->free_pages;
    for (unsigned k = 0; k < BUDDY_ORDERS; k++)
        s->free_blocks[k] = b->free_blocks[k];
}

struct page *buddy_page(struct buddy *b, uint64_t pfn)
{
    if (!in_span(b, pfn))
        return NULL;
    return &b->pages[index_of(b, pfn)];
}
