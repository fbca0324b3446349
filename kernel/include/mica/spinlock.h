/*
 * spinlock.h - ticket spinlocks (concept: TSL / atomic instructions, mutual exclusion).
 *
 * A ticket lock hands the lock out in arrival order, so no CPU starves: each
 * locker takes the next ticket with an atomic fetch-and-add (`lock xadd`) and
 * waits until `owner` reaches its ticket.  The _irqsave variants also disable
 * interrupts on this CPU, for locks that an interrupt handler may take too.
 */
#ifndef MICA_SPINLOCK_H
#define MICA_SPINLOCK_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdbool.h>
#include <arch/cpu.h>

struct spinlock {
    _Atomic uint32_t next;  /* next ticket to hand out */
    _Atomic uint32_t owner; /* ticket now holding the lock */
    const char *name;       /* for diagnostics */
    int holder_cpu;         /* CPU holding it, -1 if free (diagnostics only) */
};

#define SPINLOCK_INIT(lockname)                                                                    \
    {                                                                                              \
        0, 0, lockname, -1                                                                         \
    }

static inline void spin_init(struct spinlock *l, const char *name)
{
    atomic_store_explicit(&l->next, 0, memory_order_relaxed);
    atomic_store_explicit(&l->owner, 0, memory_order_relaxed);
    l->name = name;
    l->holder_cpu = -1;
}

static inline void spin_lock(struct spinlock *l)
{
    uint32_t ticket = atomic_fetch_add_explicit(&l->next, 1, memory_order_relaxed);
    while (atomic_load_explicit(&l->owner, memory_order_acquire) != ticket)
        arch_cpu_relax();
    l->holder_cpu = (int)arch_cpu_id();
}

/* Take the lock only if nobody holds or waits for it; true on success. */
static inline bool spin_trylock(struct spinlock *l)
{
    uint32_t owner = atomic_load_explicit(&l->owner, memory_order_relaxed);
    uint32_t expected = owner;
    if (!atomic_compare_exchange_strong_explicit(&l->next, &expected, owner + 1,
                                                 memory_order_acquire, memory_order_relaxed))
        return false;
    l->holder_cpu = (int)arch_cpu_id();
    return true;
}

static inline void spin_unlock(struct spinlock *l)
{
    l->holder_cpu = -1;
    uint32_t owner = atomic_load_explicit(&l->owner, memory_order_relaxed);
    atomic_store_explicit(&l->owner, owner + 1, memory_order_release);
}

static inline bool spin_is_locked(struct spinlock *l)
{
    return atomic_load_explicit(&l->owner, memory_order_relaxed) !=
           atomic_load_explicit(&l->next, memory_order_relaxed);
}

static inline uint64_t spin_lock_irqsave(struct spinlock *l)
{
    uint64_t flags = arch_irq_save();
    spin_lock(l);
    return flags;
}

static inline void spin_unlock_irqrestore(struct spinlock *l, uint64_t flags)
{
    spin_unlock(l);
    arch_irq_restore(flags);
}

#endif
