/*
 * arch/cpu.h - the small set of CPU primitives that generic kernel code may use.
 *
 * Generic code (kernel/lib, kernel/mm, kernel/core) includes only this header
 * from the architecture.  Host unit tests provide their own version of it in
 * tests/host/shim/arch/cpu.h, so the same generic sources compile on the host.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdint.h>
#include <stdbool.h>

/* Tell the CPU we are spinning (lowers power, helps the sibling hyperthread). */
static inline void arch_cpu_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}

/* Disable interrupts and return the previous RFLAGS, for arch_irq_restore(). */
static inline uint64_t arch_irq_save(void)
{
    uint64_t flags;
    __asm__ volatile("pushfq; popq %0; cli" : "=r"(flags)::"memory");
    return flags;
}

static inline void arch_irq_restore(uint64_t flags)
{
    if (flags & (1u << 9))
        __asm__ volatile("sti" ::: "memory");
}

static inline void arch_irq_disable(void)
{
    __asm__ volatile("cli" ::: "memory");
}

static inline void arch_irq_enable(void)
{
    __asm__ volatile("sti" ::: "memory");
}

/* Enable interrupts and wait for one, in one step (no wake-up can slip in between). */
static inline void arch_halt_until_interrupt(void)
{
    __asm__ volatile("sti; hlt" ::: "memory");
}

static inline bool arch_irq_enabled(void)
{
    uint64_t flags;
    __asm__ volatile("pushfq; popq %0" : "=r"(flags));
    return (flags & (1u << 9)) != 0;
}

/*
 * The number of the CPU we run on (0 = boot CPU).  It sits at a fixed offset
 * in the per-CPU data (PERCPU_ID in arch/percpu.h), reached through GS; before
 * the boot CPU has loaded its per-CPU data (GS base 0) the answer is 0.  Inline,
 * because every spinlock records its holder with it.
 */
static inline unsigned arch_cpu_id(void)
{
    uint64_t self;
    unsigned id;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(self));
    if (!self)
        return 0;
    __asm__ volatile("movl %%gs:24, %0" : "=r"(id));
    return id;
}

#endif
