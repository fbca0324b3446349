/*
 * arch/mmu.h - x86-64 4-level page tables (concept: paging, multi-level page
 * tables, page table entries with present/writable/user/accessed/dirty/NX bits).
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <stdint.h>
#include <stddef.h>
#include <mica/memmap.h>

#define PTE_P    (1ull << 0)  /* present */
#define PTE_W    (1ull << 1)  /* writable */
#define PTE_U    (1ull << 2)  /* user accessible */
#define PTE_PWT  (1ull << 3)  /* write-through */
#define PTE_PCD  (1ull << 4)  /* cache disabled */
#define PTE_A    (1ull << 5)  /* accessed */
#define PTE_D    (1ull << 6)  /* dirty */
#define PTE_PS   (1ull << 7)  /* large page (in a PD or PDPT entry) */
#define PTE_G    (1ull << 8)  /* global: kept in the TLB across CR3 loads */
#define PTE_NX   (1ull << 63) /* no execute */
#define PTE_ADDR 0x000ffffffffff000ull

/* Caching for kmap(). */
enum kmap_cache {
    KMAP_WB, /* normal memory (firmware tables) */
    KMAP_UC, /* device registers */
};

/* The kernel's page tables: build from the memory map, then switch to them. */
void mmu_init(const struct memmap *m);
uint64_t mmu_kernel_root(void);

/* Map [pa, pa+size) at va with the given PTE flags, using large pages where alignment allows. */
int mmu_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t size, uint64_t flags);

/* The leaf entry for va and the size it maps (4 KiB, 2 MiB, 1 GiB); 0 if unmapped. */
uint64_t mmu_lookup(uint64_t root, uint64_t va, uint64_t *page_size);

/* Map physical memory that the direct map does not cover (firmware tables, MMIO). */
void *kmap(uint64_t pa, size_t size, enum kmap_cache cache);

/* A kernel stack with an unmapped guard page below it; returns the top. */
uint64_t kstack_alloc(void);     /* panics when out of memory */
uint64_t kstack_alloc_try(void); /* 0 when out of memory */
void kstack_free(uint64_t top);

/* User address spaces: 4 KiB pages in the lower half; the kernel half is shared. */
uint64_t mmu_new_user_root(void); /* 0 when out of memory */
void mmu_free_user_root(uint64_t root);

/* TLB tags of address spaces (pcid.c). */
struct aspace;
void pcid_init_cpu(void);
void arch_aspace_tlb_init(struct aspace *as); /* a PCID for a new address space */
void arch_aspace_tlb_free(struct aspace *as);
void pcid_load(unsigned cpu, struct aspace *as); /* its page tables into CR3 (NULL: the kernel's) */
void pcid_flush_current(unsigned cpu, struct aspace *as);
void pcid_new_generation(struct aspace *as);
int mmu_user_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags);
uint64_t mmu_user_unmap(uint64_t root, uint64_t va); /* the old entry, 0 if none */
uint64_t mmu_user_lookup(uint64_t root, uint64_t va);
int mmu_user_update(uint64_t root, uint64_t va, uint64_t flags);

/* PTE bits for a MICA_CACHE_* type. */
uint64_t mmu_cache_bits(uint32_t cache);

/* The physical address of the boot page tables (used by the AP start-up code). */
uint64_t mmu_boot_root(void);

/* Enable the paging-related CPU features this CPU has (global pages, SMEP, ...). */
void mmu_cpu_features_init(void);

#endif
