/*
 * arch/clock.h - time sources: the time stamp counter (TSC) as the clock,
 * calibrated against the HPET or the PIT, and the local APIC timer for ticks.
 */
#ifndef ARCH_CLOCK_H
#define ARCH_CLOCK_H

#include <stdint.h>
#include <stdbool.h>

#define TIMER_HZ 100 /* timer interrupts per second on each CPU */

/* HPET: map it and return true if usable; then count femtoseconds. */
bool hpet_init(uint64_t phys);
uint64_t hpet_counter(void);
uint64_t hpet_period_fs(void);

/* PIT channel 2: busy-wait for `us` microseconds (at most 50 ms). */
void pit_wait_us(uint32_t us);

void tsc_calibrate(bool use_hpet);
uint64_t tsc_hz(void);
const char *tsc_reference(void);

void timer_init_bsp(void);
void timer_init_cpu(void);
bool timer_uses_tsc_deadline(void);

#endif
