/*
 * bkl.h - the big kernel lock (concept: mutual exclusion in the kernel).
 *
 * All kernel object state (handles, address spaces, endpoints, thread states)
 * is changed only while holding this one lock, as in seL4's multicore kernel:
 * system calls are short, so one lock costs little and makes every operation
 * atomic with respect to every other.  Interrupt handlers never take it;
 * they touch only per-CPU state, run queues and notifications, which have
 * their own locks (an IRQ signals its notification and so may wake a thread).
 * It is taken with interrupts enabled, so a CPU waiting for it still answers
 * TLB shoot-down IPIs.  A thread that blocks releases it and takes it back
 * when it runs again.
 */
#ifndef MICA_BKL_H
#define MICA_BKL_H

#include <stdbool.h>

void bkl_lock(void);
void bkl_unlock(void);
/* Take the lock only if it is free at once (the IPC fast path, interrupts off). */
bool bkl_trylock(void);
bool bkl_held_by_me(void);

#endif
