/* bkl.c - the big kernel lock (see bkl.h). */
#include <mica/bkl.h>
#include <mica/panic.h>
#include <mica/spinlock.h>
#include <arch/cpu.h>

static struct spinlock big_lock = SPINLOCK_INIT("kernel");

void bkl_lock(void)
{
    if (big_lock.holder_cpu == (int)arch_cpu_id() && spin_is_locked(&big_lock))
        panic("bkl: cpu %u takes the kernel lock twice", arch_cpu_id());
    spin_lock(&big_lock);
}

/*
 * Never spins: a CPU that spins for the lock with interrupts off could not
 * answer the TLB shoot-down IPI that the holder may be waiting for.
 */
bool bkl_trylock(void)
{
    return spin_trylock(&big_lock);
}

void bkl_unlock(void)
{
    spin_unlock(&big_lock);
}

bool bkl_held_by_me(void)
{
    return spin_is_locked(&big_lock) && big_lock.holder_cpu == (int)arch_cpu_id();
}
