/*
 * bkl.c - the big kernel lock (see bkl.h).
 *
 * Unlike the kernel's other locks it is not a ticket lock but a
 * test-and-test-and-set lock with exponential back-off.  A ticket lock hands
 * the lock to the next CPU in line even when that CPU is not running - and
 * under a hypervisor or QEMU on a busy host, virtual CPUs often are not: then
 * every hand-over waits for the host to schedule one particular CPU, and a
 * lock taken on every system call becomes a convoy (measured: about 70
 * acquisitions per second with four virtual CPUs on an overloaded host).
 * Here whichever CPU is running when the lock is free takes it.  The price is
 * fairness: a CPU can in principle lose the race again and again; the
 * back-off keeps the waiters from flooding the lock's cache line meanwhile.
 */
#include <stdatomic.h>
#include <mica/bkl.h>
#include <mica/panic.h>
#include <arch/cpu.h>

#define BACKOFF_MAX 64 /* pauses between two tries, at most */

static _Atomic int locked;
static _Atomic int holder_cpu = -1;

void bkl_lock(void)
{
    int me = (int)arch_cpu_id();
    if (atomic_load_explicit(&holder_cpu, memory_order_relaxed) == me)
        panic("bkl: cpu %d takes the kernel lock twice", me);
    unsigned backoff = 1;
    for (;;) {
        if (!atomic_load_explicit(&locked, memory_order_relaxed) &&
            !atomic_exchange_explicit(&locked, 1, memory_order_acquire))
            break;
        for (unsigned i = 0; i < backoff; i++)
            arch_cpu_relax();
        if (backoff < BACKOFF_MAX)
            backoff *= 2;
    }
    atomic_store_explicit(&holder_cpu, me, memory_order_relaxed);
}

/*
 * Never spins: a CPU that spins for the lock with interrupts off could not
 * answer the TLB shoot-down IPI that the holder may be waiting for.
 */
bool bkl_trylock(void)
{
    if (atomic_load_explicit(&locked, memory_order_relaxed) ||
        atomic_exchange_explicit(&locked, 1, memory_order_acquire))
        return false;
    atomic_store_explicit(&holder_cpu, (int)arch_cpu_id(), memory_order_relaxed);
    return true;
}

void bkl_unlock(void)
{
    atomic_store_explicit(&holder_cpu, -1, memory_order_relaxed);
    atomic_store_explicit(&locked, 0, memory_order_release);
}

bool bkl_held_by_me(void)
{
    return atomic_load_explicit(&locked, memory_order_relaxed) &&
           atomic_load_explicit(&holder_cpu, memory_order_relaxed) == (int)arch_cpu_id();
}
