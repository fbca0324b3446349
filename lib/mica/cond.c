/*
 * cond.c - condition variables on top of notifications (concept: monitors;
 * the lost-wakeup problem and how the queue avoids it).
 *
 * A waiter queues itself *before* it releases the mutex.  A thread that
 * changes the condition does so holding the mutex and then signals; by then
 * the waiter is already in the queue, so the signal cannot fall between the
 * waiter's unlock and its sleep and be lost.  If the signal comes before the
 * waiter has begun to wait on its notification, the notification keeps the
 * bit, and the wait returns at once.
 *
 * A timed-out waiter takes itself out of the queue under the guard - unless
 * a signaller has claimed it in the meantime, in which case the wait counts
 * as signalled, so no signal is swallowed by a thread that gave up.
 */
#include "cond.h"
#include "clock.h"

void mica_cond_init(mica_cond_t *c)
{
    atomic_init(&c->guard.held, 0);
    c->queue.head = c->queue.tail = 0;
}

int mica_cond_timedwait(mica_cond_t *c, mica_mutex_t *m, uint64_t timeout_ns)
{
    uint64_t deadline = mica_deadline(timeout_ns);
    struct mica_waiter w;
    mica_waiter_init(&w);
    mica_spin_lock(&c->guard);
    mica_waitq_push(&c->queue, &w);
    mica_spin_unlock(&c->guard);

    mica_mutex_unlock(m);
    int r = mica_park(&w, deadline);
    if (r < 0) {
        mica_spin_lock(&c->guard);
        if (atomic_load_explicit(&w.woken, memory_order_acquire))
            r = 0; /* claimed by a signal just as the time ran out */
        else
            mica_waitq_remove(&c->queue, &w);
        mica_spin_unlock(&c->guard);
    }
    mica_mutex_lock(m);
    return r;
}

void mica_cond_wait(mica_cond_t *c, mica_mutex_t *m)
{
    mica_cond_timedwait(c, m, MICA_TIMEOUT_FOREVER);
}

/* Wake the oldest waiter; false if there was none. */
static bool wake_one(mica_cond_t *c)
{
    mica_spin_lock(&c->guard);
    struct mica_waiter *w = mica_waitq_pop(&c->queue);
    mica_handle_t park = w ? mica_waiter_claim(w) : 0;
    mica_spin_unlock(&c->guard);
    if (park)
        mica_wake(park);
    return w != 0;
}

void mica_cond_signal(mica_cond_t *c)
{
    wake_one(c);
}

/* Wakes as many waiters as were queued when it starts, oldest first. */
void mica_cond_broadcast(mica_cond_t *c)
{
    unsigned n = 0;
    mica_spin_lock(&c->guard);
    for (struct mica_waiter *w = c->queue.head; w; w = w->next)
        n++;
    mica_spin_unlock(&c->guard);
    while (n-- > 0 && wake_one(c))
        ;
}
