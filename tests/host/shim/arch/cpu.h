/*
 * Host stand-in for kernel/arch/x86_64/include/arch/cpu.h, so that generic
 * kernel sources (allocators, parsers, formatting) build into host unit tests.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdint.h>
#include <stdbool.h>

static inline void arch_cpu_relax(void)
{
}

static inline uint64_t arch_irq_save(void)
{
    return 0;
}

static inline void arch_irq_restore(uint64_t flags)
{
    (void)flags;
}

static inline void arch_irq_disable(void)
{
}

static inline void arch_irq_enable(void)
{
}

static inline bool arch_irq_enabled(void)
{
    return false;
}

static inline unsigned arch_cpu_id(void)
{
    return 0;
}

#endif
