/*
 * bench.h - in-kernel microbenchmarks (see kernel/core/bench.c).
 */
#ifndef MICA_BENCH_H
#define MICA_BENCH_H

#include <stdint.h>

void bench_run_all(void);

/* Sort the samples and print their median as "bench: NAME_cycles" and "NAME_ns". */
void bench_report(const char *name, uint64_t *cycles, unsigned n);

/* The architecture's own benchmarks (interrupts, IPIs). */
void arch_bench_run_all(void);

#endif
