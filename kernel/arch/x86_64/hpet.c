/*
 * hpet.c - the High Precision Event Timer, used as a reference clock.
 *
 * The HPET's main counter runs at a fixed rate given in its capabilities
 * register (the period of one tick in femtoseconds), so it can measure how
 * fast the TSC runs.  Its address comes from the ACPI HPET table.
 */
#include <stdbool.h>
#include <arch/clock.h>
#include <arch/mmu.h>

#define HPET_CAPS          0x000
#define HPET_CONFIG        0x010
#define HPET_COUNTER       0x0f0
#define HPET_ENABLE        1ull
#define HPET_MAX_PERIOD_FS 100000000ull /* the specification allows at most 100 ns */

static volatile uint64_t *hpet;
static uint64_t period_fs;

bool hpet_init(uint64_t phys)
{
    hpet = kmap(phys, 1024, KMAP_UC);
    period_fs = hpet[HPET_CAPS / 8] >> 32;
    if (period_fs == 0 || period_fs > HPET_MAX_PERIOD_FS)
        return false;
    hpet[HPET_CONFIG / 8] |= HPET_ENABLE;
    return true;
}

uint64_t hpet_counter(void)
{
    return hpet[HPET_COUNTER / 8];
}

uint64_t hpet_period_fs(void)
{
    return period_fs;
}
