/*
 * pmm.c - the physical memory manager (concept: memory management, free
 * memory bookkeeping).
 *
 * At boot the kernel knows only the firmware's memory map.  Early on, page
 * tables and the page descriptor array are carved, page by page, from one
 * low region (the "early" allocator, a simple bump pointer).  Then all other
 * usable memory goes to the buddy allocator, which from then on hands out
 * naturally aligned blocks of 2^order pages and merges them again when freed.
 */
#include <stdbool.h>
#include <mica/buddy.h>
#include <mica/log.h>
#include <mica/panic.h>
#include <mica/pmm.h>
#include <mica/spinlock.h>
#include <mica/string.h>
#include <arch/layout.h>

#define EARLY_LIMIT 0x100000000ull /* the boot page tables map only the first 4 GiB */
#define LOW_MEMORY                                                                                 \
    0x100000ull /* the first MiB: real-mode trampoline, BIOS data; never allocated                 \
                 */

static struct buddy buddy;
static struct spinlock pmm_lock = SPINLOCK_INIT("pmm");
static bool buddy_ready;
static uint64_t early_start, early_next, early_end;

static uint64_t page_up(uint64_t x)
{
    return (x + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
}

static uint64_t page_down(uint64_t x)
{
    return x & ~(uint64_t)(PAGE_SIZE - 1);
}

/* The early allocator takes the largest usable region below 4 GiB. */
void pmm_early_init(struct memmap *m)
{
    uint64_t best = 0;
    for (unsigned i = 0; i < m->count; i++) {
        const struct memmap_entry *e = &m->e[i];
        if (e->type != MEM_USABLE || e->base >= EARLY_LIMIT)
            continue;
        uint64_t start = page_up(e->base);
        uint64_t end = page_down(e->base + e->length);
        if (start < LOW_MEMORY)
            start = LOW_MEMORY;
        if (end > EARLY_LIMIT)
            end = EARLY_LIMIT;
        if (end > start && end - start > best) {
            best = end - start;
            early_start = start;
            early_end = end;
        }
    }
    if (!best)
        panic("pmm: no usable memory below 4 GiB for the kernel's own tables");
    early_next = early_start;
}

uint64_t pmm_early_alloc(size_t bytes)
{
    uint64_t size = page_up(bytes);
    if (buddy_ready)
        panic("pmm: early allocation after the buddy allocator took over");
    if (early_end - early_next < size)
        panic("pmm: out of memory during early boot (%zu bytes wanted)", bytes);
    uint64_t pa = early_next;
    early_next += size;
    memset(phys_to_virt(pa), 0, size);
    return pa;
}

void pmm_init(struct memmap *m)
{
    uint64_t max_pfn = page_down(memmap_highest_end(m)) / PAGE_SIZE;
    struct page *pages = phys_to_virt(pmm_early_alloc(max_pfn * sizeof(struct page)));
    buddy_init(&buddy, 0, max_pfn, pages);

    /* From here the early region is the kernel's: keep the buddy allocator away from it. */
    const char *why;
    if (memmap_carve(m, early_start, early_next - early_start, MEM_KERNEL, &why) < 0)
        panic("pmm: cannot reserve the early allocations: %s", why);
    for (unsigned i = 0; i < m->count; i++) {
        const struct memmap_entry *e = &m->e[i];
        if (e->type != MEM_USABLE)
            continue;
        uint64_t start = page_up(e->base), end = page_down(e->base + e->length);
        if (start < LOW_MEMORY)
            start = LOW_MEMORY;
        if (end > start && buddy_add_free(&buddy, start / PAGE_SIZE, (end - start) / PAGE_SIZE) < 0)
            panic("pmm: memory map entry %#lx-%#lx is inconsistent", start, end);
    }
    buddy_ready = true;
}

uint64_t pmm_alloc_pages(unsigned order)
{
    uint64_t pfn;
    uint64_t flags = spin_lock_irqsave(&pmm_lock);
    int err = buddy_alloc(&buddy, order, &pfn);
    spin_unlock_irqrestore(&pmm_lock, flags);
    return err < 0 ? 0 : pfn * PAGE_SIZE;
}

void pmm_free_pages(uint64_t pa, unsigned order)
{
    uint64_t flags = spin_lock_irqsave(&pmm_lock);
    int err = buddy_free(&buddy, pa / PAGE_SIZE, order);
    spin_unlock_irqrestore(&pmm_lock, flags);
    if (err < 0)
        panic("pmm: bad free of %#lx order %u (not allocated, or freed twice)", pa, order);
}

unsigned pmm_order_for(size_t size)
{
    unsigned order = 0;
    while (((size_t)PAGE_SIZE << order) < size)
        order++;
    return order;
}

void *pmm_alloc_bytes(size_t size)
{
    uint64_t pa = pmm_alloc_pages(pmm_order_for(size));
    if (!pa)
        return 0;
    void *va = phys_to_virt(pa);
    memset(va, 0, (size_t)PAGE_SIZE << pmm_order_for(size));
    return va;
}

void pmm_free_bytes(void *va, size_t size)
{
    pmm_free_pages(virt_to_phys(va), pmm_order_for(size));
}

uint64_t pmm_alloc_table_page(void)
{
    if (!buddy_ready)
        return pmm_early_alloc(PAGE_SIZE);
    return pmm_alloc_pages(0);
}

struct page *pmm_page(uint64_t pa)
{
    return buddy_page(&buddy, pa / PAGE_SIZE);
}

void pmm_get_stats(struct buddy_stats *s)
{
    uint64_t flags = spin_lock_irqsave(&pmm_lock);
    buddy_get_stats(&buddy, s);
    spin_unlock_irqrestore(&pmm_lock, flags);
}

uint64_t pmm_usable_bytes(void)
{
    struct buddy_stats s;
    pmm_get_stats(&s);
    return s.managed_pages * PAGE_SIZE;
}
