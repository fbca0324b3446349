/*
 * clock.h - time for native programs: a monotonic clock in nanoseconds since
 * boot, deadlines and sleeping (concept: clocks and timers).  lib/mica/clock.c.
 */
#ifndef MICA_CLOCK_H
#define MICA_CLOCK_H

#include <stdint.h>

#define MICA_NS_PER_MS 1000000ull
#define MICA_NS_PER_S  1000000000ull

/* Nanoseconds since the kernel booted: the clock kernel timeouts use. 0 before mica_runtime_init().
 */
uint64_t mica_time_ns(void);

/* The time `timeout_ns` from now, or MICA_TIMEOUT_FOREVER if that is (or overflows to) never. */
uint64_t mica_deadline(uint64_t timeout_ns);

/* Block until mica_time_ns() >= deadline_ns. */
void mica_sleep_until(uint64_t deadline_ns);

/* Read the kernel's calibration (mica_runtime_init() calls it); 0 or an error. */
int64_t mica_clock_init(void);

#endif
