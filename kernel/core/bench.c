/*
 * bench.c - in-kernel microbenchmarks, run at boot with the option `mica.bench`.
 *
 * Each figure is the median over many runs of one operation, timed with the
 * time stamp counter, printed as machine-readable lines
 *   bench: NAME VALUE UNIT
 * that tools/bench.py collects.  Timing never decides a test.
 */
#include <stdatomic.h>
#include <mica/bench.h>
#include <mica/kmalloc.h>
#include <mica/log.h>
#include <mica/pmm.h>
#include <mica/sort.h>
#include <mica/spinlock.h>
#include <arch/arch.h>

#define RUNS 501

static uint64_t samples[RUNS];

void bench_report(const char *name, uint64_t *cycles, unsigned n)
{
    sort_u64(cycles, n);
    uint64_t median = cycles[n / 2];
    uint64_t hz = arch_timestamp_hz();
    kprintf("bench: %s_cycles %lu cycles\n", name, median);
    if (hz)
        kprintf("bench: %s_ns %lu ns\n", name, median * 1000000000ul / hz);
}

static void bench_spinlock(void)
{
    static struct spinlock lock = SPINLOCK_INIT("bench");
    for (unsigned i = 0; i < RUNS; i++) {
        uint64_t t0 = arch_timestamp();
        spin_lock(&lock);
        spin_unlock(&lock);
        samples[i] = arch_timestamp() - t0;
    }
    bench_report("spinlock_uncontended", samples, RUNS);
}

static void bench_page_alloc(void)
{
    for (unsigned i = 0; i < RUNS; i++) {
        uint64_t t0 = arch_timestamp();
        uint64_t pa = pmm_alloc_pages(0);
        pmm_free_pages(pa, 0);
        samples[i] = arch_timestamp() - t0;
    }
    bench_report("page_alloc_free", samples, RUNS);
}

static void bench_kmalloc(void)
{
    for (unsigned i = 0; i < RUNS; i++) {
        uint64_t t0 = arch_timestamp();
        void *p = kmalloc(64);
        kfree(p);
        samples[i] = arch_timestamp() - t0;
    }
    bench_report("kmalloc_free_64", samples, RUNS);
}

void bench_run_all(void)
{
    kprintf("bench: cpus %u count\n", arch_cpus_online());
    kprintf("bench: tsc_hz %lu Hz\n", arch_timestamp_hz());
    bench_spinlock();
    bench_page_alloc();
    bench_kmalloc();
    arch_bench_run_all();
    kprintf("bench: done\n");
}
