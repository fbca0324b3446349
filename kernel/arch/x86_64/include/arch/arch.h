/*
 * arch/arch.h - what the generic kernel asks of the architecture
 * (implemented under kernel/arch/x86_64/).
 */
#ifndef ARCH_ARCH_H
#define ARCH_ARCH_H

#include <stdint.h>
#include <stdbool.h>

/* Stop all other CPUs (NMI), without waiting for locks they may hold. */
void arch_stop_other_cpus(void);
bool arch_cpus_stopping(void); /* after arch_stop_other_cpus(): an NMI means stop */

/* Print a symbolized backtrace starting from frame pointer `fp`. */
void arch_backtrace(uint64_t fp);

/* The current frame pointer, for arch_backtrace(). */
static inline uint64_t arch_frame_pointer(void)
{
    uint64_t fp;
    __asm__ volatile("mov %%rbp, %0" : "=r"(fp));
    return fp;
}

/* Halt this CPU for good, interrupts off. */
_Noreturn void arch_halt_forever(void);

/* Leave QEMU through the isa-debug-exit device (test runs); returns if absent. */
void arch_qemu_exit(uint32_t code);

/* Time stamp counter and its calibrated rate. */
static inline uint64_t arch_timestamp(void) /* inline: every switch reads it */
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}
uint64_t arch_timestamp_hz(void);
uint64_t arch_timestamp_at_boot(void);
uint64_t arch_ns_since_boot(void);
uint64_t arch_timestamp_to_ns(uint64_t ticks);
void arch_delay_us(uint64_t us);

/* Number of CPUs online. */
unsigned arch_cpus_online(void);

/* Ask another CPU to reschedule (an IPI). */
void arch_send_reschedule(unsigned cpu);

/* Run work handed to this CPU by smp_run_on_all() (idle loop only). */
void arch_idle_work(void);

/* The CPU's random-number instructions (hwrandom.c), for seeding the entropy pool. */
enum arch_random_source { ARCH_RANDOM_NONE, ARCH_RANDOM_RDSEED, ARCH_RANDOM_RDRAND };
enum arch_random_source arch_random_source(void);                 /* the best one this CPU has */
bool arch_random_u64(enum arch_random_source src, uint64_t *out); /* false: no value now */

#endif
