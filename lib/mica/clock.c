/*
 * clock.c - the monotonic clock without a system call (concept: clocks and
 * timers; the idea of a vDSO).
 *
 * The kernel's clock is the time stamp counter (TSC), calibrated at boot
 * against the HPET: nanoseconds since boot = (TSC - TSC at boot) * 10^9 / rate.
 * SYS_KERNEL_STATS reports the rate and the TSC at boot once; after that the
 * `rdtsc` instruction, which user mode may execute, is the whole clock.  It
 * is the same clock the kernel's timeouts and SYS_THREAD_SLEEP use, so a
 * deadline computed here means the same there.
 */
#include "mica.h"
#include "clock.h"

static uint64_t tsc_hz;
static uint64_t tsc_at_boot;

int64_t mica_clock_init(void)
{
    struct mica_kernel_stats s;
    int64_t err = mica_kernel_stats(&s);
    if (err < 0)
        return err;
    if (s.tsc_hz == 0)
        return -MICA_ENOSYS;
    tsc_at_boot = s.tsc_at_boot;
    tsc_hz = s.tsc_hz;
    return 0;
}

uint64_t mica_time_ns(void)
{
    if (!tsc_hz)
        return 0;
    uint64_t d = mica_rdtsc() - tsc_at_boot;
    /* Split so that no product overflows 64 bits (d % hz < hz < 2^34). */
    return d / tsc_hz * MICA_NS_PER_S + d % tsc_hz * MICA_NS_PER_S / tsc_hz;
}

uint64_t mica_deadline(uint64_t timeout_ns)
{
    if (timeout_ns == MICA_TIMEOUT_FOREVER)
        return MICA_TIMEOUT_FOREVER;
    uint64_t now = mica_time_ns();
    if (timeout_ns >= MICA_TIMEOUT_FOREVER - now)
        return MICA_TIMEOUT_FOREVER;
    return now + timeout_ns;
}

void mica_sleep_until(uint64_t deadline_ns)
{
    for (;;) {
        uint64_t now = mica_time_ns();
        if (now >= deadline_ns)
            return;
        mica_sleep(deadline_ns - now);
    }
}
