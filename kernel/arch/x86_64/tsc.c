/*
 * tsc.c - the time stamp counter as the kernel's clock.
 *
 * Every x86-64 CPU counts cycles of a constant-rate clock in its TSC, read
 * with one instruction.  Its rate is not announced reliably, so it is measured
 * against a clock of known rate: the HPET when the ACPI tables list one, else
 * the PIT.  Three measurements of 10 ms each; the median is kept.
 */
#include <stdbool.h>
#include <mica/log.h>
#include <arch/arch.h>
#include <arch/boot.h>
#include <arch/clock.h>
#include <arch/x86.h>

#define CALIBRATION_US 10000
#define ROUNDS         3

static uint64_t hz;
static const char *reference = "none";

static uint64_t measure_with_hpet(void)
{
    uint64_t ticks = (uint64_t)CALIBRATION_US * 1000000000ull / hpet_period_fs();
    uint64_t c0 = hpet_counter();
    uint64_t t0 = rdtsc();
    uint64_t c1;
    do {
        c1 = hpet_counter();
    } while (c1 - c0 < ticks);
    uint64_t t1 = rdtsc();
    uint64_t ns = (c1 - c0) * hpet_period_fs() / 1000000;
    return (t1 - t0) * 1000000000ull / ns;
}

static uint64_t measure_with_pit(void)
{
    uint64_t t0 = rdtsc();
    pit_wait_us(CALIBRATION_US);
    uint64_t t1 = rdtsc();
    return (t1 - t0) * (1000000 / CALIBRATION_US);
}

static uint64_t median3(uint64_t a, uint64_t b, uint64_t c)
{
    if ((a <= b && b <= c) || (c <= b && b <= a))
        return b;
    if ((b <= a && a <= c) || (c <= a && a <= b))
        return a;
    return c;
}

void tsc_calibrate(bool use_hpet)
{
    uint64_t m[ROUNDS];
    for (int i = 0; i < ROUNDS; i++)
        m[i] = use_hpet ? measure_with_hpet() : measure_with_pit();
    hz = median3(m[0], m[1], m[2]);
    reference = use_hpet ? "HPET" : "PIT";
    pr_info("tsc: %lu.%03lu MHz (calibrated against the %s)\n", hz / 1000000, (hz / 1000) % 1000,
            reference);
}

uint64_t tsc_hz(void)
{
    return hz;
}

const char *tsc_reference(void)
{
    return reference;
}

uint64_t arch_timestamp_hz(void)
{
    return hz;
}

uint64_t arch_timestamp_at_boot(void)
{
    return boot_tsc;
}

/* In two steps, so that no product overflows 64 bits (hz is below 2^34). */
uint64_t arch_timestamp_to_ns(uint64_t ticks)
{
    if (!hz)
        return 0;
    return ticks / hz * 1000000000ull + ticks % hz * 1000000000ull / hz;
}

uint64_t arch_ns_since_boot(void)
{
    return arch_timestamp_to_ns(rdtsc() - boot_tsc);
}

void arch_delay_us(uint64_t us)
{
    if (!hz) {
        while (us > 50000) {
            pit_wait_us(50000);
            us -= 50000;
        }
        pit_wait_us((uint32_t)us);
        return;
    }
    uint64_t end = rdtsc() + us * hz / 1000000;
    while (rdtsc() < end)
        __asm__ volatile("pause");
}
