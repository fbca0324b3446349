/*
 * bench_arch.c - x86-64 microbenchmarks: the round trip of an
 * inter-processor interrupt, and entering and leaving an interrupt handler.
 */
#include <stdatomic.h>
#include <mica/bench.h>
#include <mica/log.h>
#include <arch/apic.h>
#include <arch/arch.h>
#include <arch/percpu.h>
#include <arch/smp.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define RUNS 201

static uint64_t samples[RUNS];
static _Atomic unsigned self_hits;

static void self_interrupt(struct trap_frame *f)
{
    (void)f;
    atomic_fetch_add(&self_hits, 1);
}

/* Time from sending an IPI to CPU 1 until CPU 1 has counted it. */
static void bench_ipi_round_trip(void)
{
    struct percpu *p = cpu_table[1];
    if (!p || atomic_load(&p->state) != CPU_ONLINE)
        return;
    for (unsigned i = 0; i < RUNS; i++) {
        uint64_t before = atomic_load(&p->ipis);
        uint64_t t0 = arch_timestamp();
        smp_send_test_ipi(1);
        while (atomic_load(&p->ipis) == before)
            __asm__ volatile("pause");
        samples[i] = arch_timestamp() - t0;
    }
    bench_report("ipi_cross_cpu", samples, RUNS);
}

/* A software interrupt to this CPU: the cost of the kernel's interrupt entry and exit. */
static void bench_interrupt_entry(void)
{
    irq_set_handler(VEC_BENCH_SELF, self_interrupt);
    for (unsigned i = 0; i < RUNS; i++) {
        uint64_t t0 = arch_timestamp();
        __asm__ volatile("int $0xef" ::: "memory");
        samples[i] = arch_timestamp() - t0;
    }
    irq_set_handler(VEC_BENCH_SELF, 0);
    bench_report("interrupt_entry_exit", samples, RUNS);
}

void arch_bench_run_all(void)
{
    bench_interrupt_entry();
    bench_ipi_round_trip();
}
