/*
 * hwrandom.c - the x86 CPU's own random-number instructions, a seed for the
 * kernel's entropy pool (kernel/core/entropy.c; OS concept: entropy sources).
 *
 * RDSEED (CPUID leaf 7, EBX bit 18) gives values straight from the CPU's
 * hardware noise source; RDRAND (CPUID leaf 1, ECX bit 30) gives the output
 * of a generator the CPU reseeds from that source.  Both set the carry flag
 * when the value is good and clear it when the source is momentarily
 * exhausted: the caller just tries again a few times.  QEMU's TCG
 * implements RDRAND for `-cpu max` (from the host's random numbers), not
 * RDSEED.
 */
#include <arch/arch.h>
#include <arch/x86.h>

#define CPUID_1_ECX_RDRAND (1u << 30)
#define CPUID_7_EBX_RDSEED (1u << 18)
#define TRIES              10

enum arch_random_source arch_random_source(void)
{
    if (cpuid(0, 0).eax >= 7 && (cpuid(7, 0).ebx & CPUID_7_EBX_RDSEED))
        return ARCH_RANDOM_RDSEED;
    if (cpuid(1, 0).ecx & CPUID_1_ECX_RDRAND)
        return ARCH_RANDOM_RDRAND;
    return ARCH_RANDOM_NONE;
}

bool arch_random_u64(enum arch_random_source src, uint64_t *out)
{
    for (int i = 0; i < TRIES; i++) {
        uint64_t v;
        uint8_t ok;
        if (src == ARCH_RANDOM_RDSEED)
            __asm__ volatile("rdseed %0; setc %1" : "=r"(v), "=qm"(ok)::"cc");
        else if (src == ARCH_RANDOM_RDRAND)
            __asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok)::"cc");
        else
            return false;
        if (ok) {
            *out = v;
            return true;
        }
    }
    return false;
}
