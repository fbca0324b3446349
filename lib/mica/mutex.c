/*
 * mutex.c - a blocking mutex on top of notifications (concept: locks; the
 * fast path without the kernel, the slow path that blocks).
 *
 * The state word says UNLOCKED, LOCKED (held, no waiters) or CONTENDED
 * (held, waiters queued).  lock() tries one compare-and-swap UNLOCKED ->
 * LOCKED, and a few more while spinning; only then does it take the guard,
 * mark the mutex CONTENDED, queue itself and block.  unlock() swaps LOCKED ->
 * UNLOCKED; if that fails there are waiters, and unlock takes the oldest out
 * of the queue and *hands the mutex over*: the state stays locked, so no
 * newcomer can overtake a thread that has been waiting.
 *
 * While the state is CONTENDED nothing outside the guard can change it:
 * both fast paths need UNLOCKED or LOCKED.  So "CONTENDED" and "the queue is
 * not empty" always go together, and unlock never misses a waiter.
 */
#include "mutex.h"
#include "runtime.h"

#define SPIN_ROUNDS 64 /* attempts of the fast path before blocking */

void mica_mutex_init(mica_mutex_t *m)
{
    atomic_init(&m->state, MICA_MUTEX_UNLOCKED);
    atomic_init(&m->guard.held, 0);
    m->queue.head = m->queue.tail = 0;
}

static bool try_take(mica_mutex_t *m)
{
    int expected = MICA_MUTEX_UNLOCKED;
    return atomic_compare_exchange_strong_explicit(&m->state, &expected, MICA_MUTEX_LOCKED,
                                                   memory_order_acquire, memory_order_relaxed);
}

int mica_mutex_trylock(mica_mutex_t *m)
{
    return try_take(m) ? 0 : -MICA_EBUSY;
}

/*
 * Under the guard: take the mutex if it is free (true), or mark it
 * CONTENDED so that its holder's unlock will look at the queue (false).
 */
static bool take_or_mark(mica_mutex_t *m)
{
    int s = atomic_load_explicit(&m->state, memory_order_relaxed);
    for (;;) {
        int want = s == MICA_MUTEX_UNLOCKED ? MICA_MUTEX_LOCKED : MICA_MUTEX_CONTENDED;
        if (s == MICA_MUTEX_CONTENDED)
            return false;
        if (atomic_compare_exchange_weak_explicit(&m->state, &s, want, memory_order_acquire,
                                                  memory_order_relaxed))
            return want == MICA_MUTEX_LOCKED;
    }
}

static void lock_slow(mica_mutex_t *m)
{
    struct mica_waiter w;
    mica_waiter_init(&w);
    mica_spin_lock(&m->guard);
    if (take_or_mark(m)) {
        mica_spin_unlock(&m->guard);
        return;
    }
    mica_waitq_push(&m->queue, &w);
    mica_spin_unlock(&m->guard);
    mica_park(&w, MICA_TIMEOUT_FOREVER); /* returns owning the mutex: unlock handed it over */
}

void mica_mutex_lock(mica_mutex_t *m)
{
    for (unsigned i = 0; i < SPIN_ROUNDS; i++) {
        if (atomic_load_explicit(&m->state, memory_order_relaxed) == MICA_MUTEX_UNLOCKED &&
            try_take(m))
            return;
        __asm__ volatile("pause");
    }
    lock_slow(m);
}

void mica_mutex_unlock(mica_mutex_t *m)
{
    int expected = MICA_MUTEX_LOCKED;
    if (atomic_compare_exchange_strong_explicit(&m->state, &expected, MICA_MUTEX_UNLOCKED,
                                                memory_order_release, memory_order_relaxed))
        return;
    if (expected == MICA_MUTEX_UNLOCKED)
        mica_panic("mutex %p: unlocked while not locked", (void *)m);

    mica_spin_lock(&m->guard);
    struct mica_waiter *w = mica_waitq_pop(&m->queue);
    mica_handle_t park = 0;
    if (!w) {
        atomic_store_explicit(&m->state, MICA_MUTEX_UNLOCKED, memory_order_release);
    } else {
        int next = mica_waitq_empty(&m->queue) ? MICA_MUTEX_LOCKED : MICA_MUTEX_CONTENDED;
        atomic_store_explicit(&m->state, next, memory_order_release);
        park = mica_waiter_claim(w);
    }
    mica_spin_unlock(&m->guard);
    if (park)
        mica_wake(park);
}
