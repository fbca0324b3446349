/*
 * mmu.c - the kernel's page tables (concepts: paging, multi-level page
 * tables, protection bits, W^X).
 *
 * x86-64 translates a virtual address through four levels of tables (PML4,
 * PDPT, PD, PT), 512 entries each, using 9 bits of the address per level.  A
 * PDPT entry may map a 1 GiB page and a PD entry a 2 MiB page directly.
 *
 * The kernel's tables map:
 *   - every range of RAM the firmware reports, at DIRECT_MAP + physical
 *     address, read/write and never executable;
 *   - the kernel image at KERNEL_VBASE with per-section rights: text
 *     read+execute, read-only data read-only, data and bss read+write but not
 *     executable, so no page is both writable and executable (W^X);
 *   - on demand, firmware tables and device registers (kmap) and kernel
 *     stacks with guard pages.
 * All kernel mappings are global: they survive address-space switches in the TLB.
 */
#include <stdbool.h>
#include <mica/errno.h>
#include <mica/log.h>
#include <mica/panic.h>
#include <mica/pmm.h>
#include <mica/spinlock.h>
#include <mica/string.h>
#include <abi/mica/syscall.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/x86.h>

#define PAGE_4K 0x1000ull
#define PAGE_2M 0x200000ull
#define PAGE_1G 0x40000000ull

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[], __ksyms_start[], __ksyms_end[];
extern uint64_t boot_pml4[];

static uint64_t kernel_root;
static bool have_1g_pages;
static struct spinlock kmap_lock = SPINLOCK_INIT("kmap");
static uint64_t kmap_next = KMAP_AREA;
static uint64_t kstack_next = KSTACK_AREA;

static unsigned index_at(uint64_t va, int level)
{
    return (va >> (12 + 9 * level)) & 511;
}

static uint64_t *table_va(uint64_t entry)
{
    return phys_to_virt(entry & PTE_ADDR);
}

static uint64_t new_table(void)
{
    uint64_t pa = pmm_alloc_table_page();
    if (!pa)
        panic("mmu: out of memory for page tables");
    memset(phys_to_virt(pa), 0, PAGE_4K);
    return pa;
}

/* The entry for va at `level` (0 = PT ... 3 = PML4), creating tables on the way. */
static uint64_t *walk_create(uint64_t root, uint64_t va, int level)
{
    uint64_t *table = phys_to_virt(root);
    for (int l = 3; l > level; l--) {
        uint64_t *e = &table[index_at(va, l)];
        if (!(*e & PTE_P))
            *e = new_table() | PTE_P | PTE_W;
        else if (*e & PTE_PS)
            panic("mmu: mapping %#lx would split a large page", va);
        table = table_va(*e);
    }
    return &table[index_at(va, level)];
}

static uint64_t page_size_at(uint64_t va, uint64_t pa, uint64_t left)
{
    if (have_1g_pages && ((va | pa) & (PAGE_1G - 1)) == 0 && left >= PAGE_1G)
        return PAGE_1G;
    if (((va | pa) & (PAGE_2M - 1)) == 0 && left >= PAGE_2M)
        return PAGE_2M;
    return PAGE_4K;
}

int mmu_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t size, uint64_t flags)
{
    if ((va | pa | size) & (PAGE_4K - 1))
        return -EINVAL;
    while (size) {
        uint64_t step = page_size_at(va, pa, size);
        int level = step == PAGE_1G ? 2 : step == PAGE_2M ? 1 : 0;
        uint64_t *e = walk_create(root, va, level);
        *e = pa | flags | PTE_P | (level ? PTE_PS : 0);
        va += step;
        pa += step;
        size -= step;
    }
    return 0;
}

uint64_t mmu_lookup(uint64_t root, uint64_t va, uint64_t *page_size)
{
    uint64_t *table = phys_to_virt(root);
    for (int level = 3; level >= 0; level--) {
        uint64_t e = table[index_at(va, level)];
        if (!(e & PTE_P))
            return 0;
        if (level == 0 || (e & PTE_PS)) {
            *page_size = 1ull << (12 + 9 * level);
            return e;
        }
        table = table_va(e);
    }
    return 0;
}

uint64_t mmu_kernel_root(void)
{
    return kernel_root;
}

uint64_t mmu_boot_root(void)
{
    return virt_to_phys(boot_pml4);
}

static void map_kernel_section(char *start, char *end, uint64_t flags)
{
    uint64_t va = (uint64_t)start & ~(PAGE_4K - 1);
    uint64_t size = (((uint64_t)end + PAGE_4K - 1) & ~(PAGE_4K - 1)) - va;
    /* 4 KiB pages only: sections are page aligned, not 2 MiB aligned. */
    for (uint64_t off = 0; off < size; off += PAGE_4K) {
        uint64_t *e = walk_create(kernel_root, va + off, 0);
        *e = (va + off - KERNEL_VBASE) | flags | PTE_P;
    }
}

static bool direct_mapped_type(uint32_t type)
{
    return type == MEM_USABLE || type == MEM_ACPI_RECLAIM || type == MEM_ACPI_NVS ||
           type == MEM_KERNEL || type == MEM_BOOT_MODULE;
}

static void map_direct(const struct memmap *m)
{
    for (unsigned i = 0; i < m->count; i++) {
        const struct memmap_entry *e = &m->e[i];
        if (!direct_mapped_type(e->type))
            continue;
        uint64_t start = (e->base + PAGE_4K - 1) & ~(PAGE_4K - 1);
        uint64_t end = (e->base + e->length) & ~(PAGE_4K - 1);
        if (e->type == MEM_BOOT_MODULE || e->type == MEM_KERNEL) {
            /* Every byte of these is read; they lie in RAM, whole pages of it. */
            start = e->base & ~(PAGE_4K - 1);
            end = (e->base + e->length + PAGE_4K - 1) & ~(PAGE_4K - 1);
        }
        if (end > DIRECT_MAP_MAX)
            end = DIRECT_MAP_MAX;
        if (end <= start)
            continue;
        mmu_map(kernel_root, DIRECT_MAP + start, start, end - start, PTE_W | PTE_NX | PTE_G);
    }
}

/*
 * The page attribute table gives the PWT/PCD/PAT bits of a page-table entry
 * their meaning.  Mica keeps the power-on table except entries 1 and 5,
 * which become write-combining: so PWT alone means WC, PCD|PWT uncached.
 */
#define PAT_VALUE 0x0007010600070106ull

uint64_t mmu_cache_bits(uint32_t cache)
{
    if (cache == MICA_CACHE_WC)
        return PTE_PWT;
    if (cache == MICA_CACHE_UC)
        return PTE_PCD | PTE_PWT;
    return 0;
}

void mmu_cpu_features_init(void)
{
    wrmsr(MSR_PAT, PAT_VALUE);
    struct cpuid_regs r = cpuid(7, 0);
    uint64_t cr4 = read_cr4() | CR4_PGE;
    if (r.ebx & (1u << 7))
        cr4 |= CR4_SMEP; /* the kernel never executes user pages */
    write_cr4(cr4);
    write_cr0(read_cr0() | CR0_WP);
    pcid_init_cpu();
}

void mmu_init(const struct memmap *m)
{
    have_1g_pages = (cpuid(0x80000001, 0).edx & (1u << 26)) != 0;
    kernel_root = new_table();
    map_kernel_section(__text_start, __text_end, PTE_G);
    map_kernel_section(__rodata_start, __rodata_end, PTE_NX | PTE_G);
    map_kernel_section(__data_start, __data_end, PTE_W | PTE_NX | PTE_G);
    map_kernel_section(__ksyms_start, __ksyms_end, PTE_NX | PTE_G);
    map_direct(m);
    /* Create the top-level entries of the stack and device areas now, so that the
       kernel half of the PML4 never changes and address spaces can share it. */
    walk_create(kernel_root, KSTACK_AREA, 2);
    walk_create(kernel_root, KMAP_AREA, 2);
    write_cr3(kernel_root);
    mmu_cpu_features_init();
}

void *kmap(uint64_t pa, size_t size, enum kmap_cache cache)
{
    uint64_t first = pa & ~(PAGE_4K - 1);
    uint64_t len = ((pa + size + PAGE_4K - 1) & ~(PAGE_4K - 1)) - first;
    uint64_t flags = PTE_W | PTE_NX | PTE_G | (cache == KMAP_UC ? PTE_PCD | PTE_PWT : 0);
    uint64_t irq = spin_lock_irqsave(&kmap_lock);
    if (kmap_next + len > KMAP_AREA + KMAP_AREA_SZ)
        panic("kmap: the device-memory area is full");
    uint64_t va = kmap_next;
    kmap_next += len;
    for (uint64_t off = 0; off < len; off += PAGE_4K) {
        uint64_t *e = walk_create(kernel_root, va + off, 0);
        *e = (first + off) | flags | PTE_P;
    }
    spin_unlock_irqrestore(&kmap_lock, irq);
    return (void *)(va + (pa - first));
}

/*
 * Kernel stacks of threads that have gone are kept, still mapped, for the
 * next thread: unmapping would need a TLB shoot-down of a global mapping on
 * every CPU, and thread creation is faster this way.
 */
static uint64_t free_stacks[256];
static unsigned nfree_stacks;

void kstack_free(uint64_t top)
{
    uint64_t irq = spin_lock_irqsave(&kmap_lock);
    if (nfree_stacks < sizeof free_stacks / sizeof free_stacks[0])
        free_stacks[nfree_stacks++] = top;
    spin_unlock_irqrestore(&kmap_lock, irq);
}

static uint64_t reuse_stack(void)
{
    uint64_t top = 0;
    uint64_t irq = spin_lock_irqsave(&kmap_lock);
    if (nfree_stacks)
        top = free_stacks[--nfree_stacks];
    spin_unlock_irqrestore(&kmap_lock, irq);
    return top;
}

uint64_t kstack_alloc(void)
{
    uint64_t top = kstack_alloc_try();
    if (!top)
        panic("kstack: out of memory");
    return top;
}

uint64_t kstack_alloc_try(void)
{
    uint64_t top = reuse_stack();
    if (top)
        return top;
    uint64_t irq = spin_lock_irqsave(&kmap_lock);
    uint64_t base = kstack_next + PAGE_4K; /* the page below stays unmapped: guard */
    kstack_next += KSTACK_SIZE + PAGE_4K;
    spin_unlock_irqrestore(&kmap_lock, irq);
    for (uint64_t off = 0; off < KSTACK_SIZE; off += PAGE_4K) {
        uint64_t pa = pmm_alloc_pages(0);
        if (!pa)
            return 0; /* the pages mapped so far stay with this never-used slot */
        uint64_t irq2 = spin_lock_irqsave(&kmap_lock);
        uint64_t *e = walk_create(kernel_root, base + off, 0);
        *e = pa | PTE_W | PTE_NX | PTE_G | PTE_P;
        spin_unlock_irqrestore(&kmap_lock, irq2);
    }
    return base + KSTACK_SIZE;
}

/* ---- User address spaces ---- */

#define USER_TOP 0x0000800000000000ull

/* The kernel half is shared: every address space copies the kernel's PML4 entries 256-511. */
uint64_t mmu_new_user_root(void)
{
    uint64_t pa = pmm_alloc_pages(0);
    if (!pa)
        return 0;
    uint64_t *root = phys_to_virt(pa);
    const uint64_t *kernel = phys_to_virt(kernel_root);
    memset(root, 0, PAGE_4K / 2);
    memcpy(root + 256, kernel + 256, PAGE_4K / 2);
    return pa;
}

/* The PTE for a user va, creating tables (user-accessible) if `create`; NULL if none/no memory. */
static uint64_t *user_pte(uint64_t root, uint64_t va, bool create)
{
    uint64_t *table = phys_to_virt(root);
    for (int level = 3; level > 0; level--) {
        uint64_t *e = &table[index_at(va, level)];
        if (!(*e & PTE_P)) {
            if (!create)
                return 0;
            uint64_t pa = pmm_alloc_pages(0);
            if (!pa)
                return 0;
            memset(phys_to_virt(pa), 0, PAGE_4K);
            *e = pa | PTE_P | PTE_W | PTE_U;
        }
        table = table_va(*e);
    }
    return &table[index_at(va, 0)];
}

int mmu_user_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
    if (va >= USER_TOP || (va & (PAGE_4K - 1)))
        return -EINVAL;
    uint64_t *pte = user_pte(root, va, true);
    if (!pte)
        return -ENOMEM;
    *pte = pa | flags | PTE_P | PTE_U;
    return 0;
}

uint64_t mmu_user_unmap(uint64_t root, uint64_t va)
{
    uint64_t *pte = user_pte(root, va, false);
    if (!pte || !(*pte & PTE_P))
        return 0;
    uint64_t old = *pte;
    *pte = 0;
    return old;
}

uint64_t mmu_user_lookup(uint64_t root, uint64_t va)
{
    uint64_t *pte = user_pte(root, va, false);
    return pte ? *pte : 0;
}

int mmu_user_update(uint64_t root, uint64_t va, uint64_t flags)
{
    uint64_t *pte = user_pte(root, va, false);
    if (!pte || !(*pte & PTE_P))
        return -ENOENT;
    *pte = (*pte & PTE_ADDR) | flags | PTE_P | PTE_U;
    return 0;
}

static void free_table(uint64_t pa, int level)
{
    uint64_t *table = phys_to_virt(pa);
    for (int i = 0; level > 0 && i < 512; i++)
        if (table[i] & PTE_P)
            free_table(table[i] & PTE_ADDR, level - 1);
    pmm_free_pages(pa, 0);
}

/* Free the page tables of the user half (not the pages they map: those belong to VM objects). */
void mmu_free_user_root(uint64_t root)
{
    uint64_t *table = phys_to_virt(root);
    for (int i = 0; i < 256; i++)
        if (table[i] & PTE_P)
            free_table(table[i] & PTE_ADDR, 2);
    pmm_free_pages(root, 0);
}
