/*
 * selftest.c - in-kernel self-tests of the generic kernel (see selftest.h).
 *
 * They exercise what host unit tests cannot: the allocators on the real
 * memory map, and locks and allocation under true concurrency on all CPUs.
 */
#include <stdatomic.h>
#include <mica/kmalloc.h>
#include <mica/ksyms.h>
#include <mica/log.h>
#include <mica/pmm.h>
#include <mica/selftest.h>
#include <mica/spinlock.h>
#include <mica/string.h>
#include <arch/arch.h>
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/smp.h>

#define LOCK_ROUNDS   20000
#define ALLOC_PAGES   64
#define ALLOC_OBJECTS 256

/* ---- physical memory ---- */

static int test_pmm_orders(void)
{
    struct buddy_stats before, after;
    pmm_get_stats(&before);
    uint64_t blocks[BUDDY_ORDERS];
    for (unsigned order = 0; order < BUDDY_ORDERS; order++) {
        blocks[order] = pmm_alloc_pages(order);
        if (!blocks[order]) {
            pr_err("pmm: no block of order %u\n", order);
            return 1;
        }
        if (blocks[order] & ((PAGE_SIZE << order) - 1)) {
            pr_err("pmm: order-%u block %#lx is not aligned\n", order, blocks[order]);
            return 1;
        }
        memset(phys_to_virt(blocks[order]), (int)order, PAGE_SIZE << order);
    }
    for (unsigned order = 0; order < BUDDY_ORDERS; order++)
        pmm_free_pages(blocks[order], order);
    pmm_get_stats(&after);
    if (after.free_pages != before.free_pages) {
        pr_err("pmm: %lu free pages before, %lu after\n", before.free_pages, after.free_pages);
        return 1;
    }
    return 0;
}

/* Take every page there is, then give all back: out of memory is an answer, not a crash. */
static int test_pmm_exhaust(void)
{
    struct buddy_stats before, after;
    pmm_get_stats(&before);
    uint64_t head = 0, count = 0;
    for (;;) {
        uint64_t pa = pmm_alloc_pages(0);
        if (!pa)
            break;
        *(uint64_t *)phys_to_virt(pa) = head; /* chain the pages through themselves */
        head = pa;
        count++;
    }
    while (head) {
        uint64_t next = *(uint64_t *)phys_to_virt(head);
        pmm_free_pages(head, 0);
        head = next;
    }
    pmm_get_stats(&after);
    if (count != before.free_pages || after.free_pages != before.free_pages) {
        pr_err("pmm: took %lu of %lu free pages, %lu free after\n", count, before.free_pages,
               after.free_pages);
        return 1;
    }
    return 0;
}

/* ---- kernel heap ---- */

static int test_kmalloc_sizes(void)
{
    static const size_t sizes[] = {1, 8, 16, 17, 100, 512, 1000, 1024, 1025, 4096, 5000, 70000};
    void *p[sizeof sizes / sizeof sizes[0]];
    struct kmalloc_stats before, after;
    kmalloc_get_stats(&before);
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        p[i] = kmalloc(sizes[i]);
        if (!p[i]) {
            pr_err("kmalloc(%zu) failed\n", sizes[i]);
            return 1;
        }
        memset(p[i], 0xa0 + (int)i, sizes[i]);
    }
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        const uint8_t *b = p[i];
        for (size_t j = 0; j < sizes[i]; j++) {
            if (b[j] != (uint8_t)(0xa0 + i)) {
                pr_err("kmalloc: block %u (%zu bytes) overwritten at %zu\n", i, sizes[i], j);
                return 1;
            }
        }
        kfree(p[i]);
    }
    kmalloc_get_stats(&after);
    if (after.small_in_use != before.small_in_use || after.large_in_use != before.large_in_use) {
        pr_err("kmalloc: objects leaked\n");
        return 1;
    }
    return 0;
}

/* ---- concurrency on all CPUs ---- */

static struct spinlock shared_lock = SPINLOCK_INIT("selftest");
static uint64_t shared_counter; /* deliberately not atomic: only the lock protects it */
static _Atomic unsigned concurrent_failures;

static void lock_worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < LOCK_ROUNDS; i++) {
        uint64_t flags = spin_lock_irqsave(&shared_lock);
        uint64_t v = shared_counter;
        __asm__ volatile("" ::: "memory");
        shared_counter = v + 1;
        spin_unlock_irqrestore(&shared_lock, flags);
    }
}

static int test_spinlock_contention(void)
{
    shared_counter = 0;
    smp_run_on_all(lock_worker, 0);
    uint64_t want = (uint64_t)LOCK_ROUNDS * arch_cpus_online();
    if (shared_counter != want) {
        pr_err("spinlock: counter %lu, expected %lu (lost updates)\n", shared_counter, want);
        return 1;
    }
    return 0;
}

static void alloc_worker(void *arg)
{
    (void)arg;
    uint64_t mark = 0x1000 + arch_cpu_id();
    uint64_t pages[ALLOC_PAGES];
    uint64_t *objs[ALLOC_OBJECTS];
    for (int i = 0; i < ALLOC_PAGES; i++) {
        pages[i] = pmm_alloc_pages(0);
        if (pages[i])
            *(volatile uint64_t *)phys_to_virt(pages[i]) = mark;
    }
    for (int i = 0; i < ALLOC_OBJECTS; i++) {
        objs[i] = kmalloc(16 << (i % 7));
        if (objs[i])
            *(volatile uint64_t *)objs[i] = mark;
    }
    for (int i = 0; i < ALLOC_PAGES; i++) {
        if (!pages[i] || *(volatile uint64_t *)phys_to_virt(pages[i]) != mark)
            atomic_fetch_add(&concurrent_failures, 1);
        if (pages[i])
            pmm_free_pages(pages[i], 0);
    }
    for (int i = 0; i < ALLOC_OBJECTS; i++) {
        if (!objs[i] || *(volatile uint64_t *)objs[i] != mark)
            atomic_fetch_add(&concurrent_failures, 1);
        kfree(objs[i]);
    }
}

static int test_concurrent_alloc(void)
{
    struct buddy_stats before, after;
    pmm_get_stats(&before);
    atomic_store(&concurrent_failures, 0);
    for (int round = 0; round < 4; round++)
        smp_run_on_all(alloc_worker, 0);
    pmm_get_stats(&after);
    unsigned failures = atomic_load(&concurrent_failures);
    if (failures) {
        pr_err("alloc: %u allocations failed or were handed to two CPUs\n", failures);
        return 1;
    }
    /* Slab caches may keep an empty slab each, so allow those few pages. */
    if (before.free_pages - after.free_pages > 64) {
        pr_err("alloc: %lu pages not returned\n", before.free_pages - after.free_pages);
        return 1;
    }
    return 0;
}

/* ---- symbols for backtraces ---- */

static int test_ksyms(void)
{
    uint64_t off;
    const char *name = ksym_lookup((uint64_t)test_ksyms + 3, &off);
    if (!name || strcmp(name, "test_ksyms") != 0 || off != 3) {
        pr_err("ksyms: lookup gave %s+%lu\n", name ? name : "(none)", off);
        return 1;
    }
    return 0;
}

static const struct selftest generic_selftests[] = {
    {"pmm_orders", test_pmm_orders},
    {"pmm_exhaust", test_pmm_exhaust},
    {"kmalloc_sizes", test_kmalloc_sizes},
    {"spinlock_contention", test_spinlock_contention},
    {"concurrent_alloc", test_concurrent_alloc},
    {"ksyms", test_ksyms},
};

static unsigned run_list(const struct selftest *list, unsigned n, unsigned *passed)
{
    unsigned failed = 0;
    for (unsigned i = 0; i < n; i++) {
        int r = list[i].run();
        kprintf("selftest: %s %s\n", list[i].name, r == 0 ? "ok" : "FAILED");
        if (r == 0)
            (*passed)++;
        else
            failed++;
    }
    return failed;
}

unsigned selftest_run_all(void)
{
    unsigned passed = 0, failed = 0;
    kprintf("selftest: running on %u CPUs\n", arch_cpus_online());
    failed += run_list(generic_selftests, sizeof generic_selftests / sizeof generic_selftests[0],
                       &passed);
    failed += run_list(arch_selftests, arch_selftest_count, &passed);
    kprintf("selftest: %u passed, %u failed\n", passed, failed);
    return failed;
}
