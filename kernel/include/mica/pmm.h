/*
 * pmm.h - the physical memory manager: page frames from the buddy allocator.
 */
#ifndef MICA_PMM_H
#define MICA_PMM_H

#include <stdint.h>
#include <stddef.h>
#include <mica/buddy.h>
#include <mica/memmap.h>

#define PMM_MIN_USABLE_MIB 16 /* below this Mica refuses to boot */

/* Before the buddy allocator: hand out pages from one low region (page tables, the page array). */
void pmm_early_init(struct memmap *m);
uint64_t pmm_early_alloc(size_t bytes);

/* Hand all usable memory except what was given out early to the buddy allocator. */
void pmm_init(struct memmap *m);

uint64_t pmm_alloc_pages(unsigned order); /* physical address, or 0 when out of memory */
void pmm_free_pages(uint64_t pa, unsigned order);
void *pmm_alloc_bytes(size_t size); /* zeroed, page aligned, direct-mapped; NULL if none */
void pmm_free_bytes(void *va, size_t size);
unsigned pmm_order_for(size_t size);

/* Page table pages: early allocator before pmm_init(), buddy after. */
uint64_t pmm_alloc_table_page(void);

struct page *pmm_page(uint64_t pa);
void pmm_get_stats(struct buddy_stats *s);
uint64_t pmm_usable_bytes(void);

#endif
