/*
 * sem.c - counting semaphores on top of notifications (concept: semaphores;
 * a counter and a queue of blocked threads, as Dijkstra described them).
 *
 * The count and the queue are changed together under the guard.  post()
 * with waiters does not raise the count: it hands the unit straight to the
 * oldest waiter, so a thread arriving later cannot take it first and the
 * waiters are served in order.  A waiter whose time runs out leaves the
 * queue, unless a post claimed it first - then it keeps that unit.
 */
#include "sem.h"
#include "clock.h"

void mica_sem_init(mica_sem_t *s, uint64_t count)
{
    atomic_init(&s->guard.held, 0);
    s->count = count;
    s->queue.head = s->queue.tail = 0;
}

int mica_sem_trywait(mica_sem_t *s)
{
    int r = -MICA_EAGAIN;
    mica_spin_lock(&s->guard);
    if (s->count > 0) {
        s->count--;
        r = 0;
    }
    mica_spin_unlock(&s->guard);
    return r;
}

int mica_sem_timedwait(mica_sem_t *s, uint64_t timeout_ns)
{
    uint64_t deadline = mica_deadline(timeout_ns);
    struct mica_waiter w;
    mica_waiter_init(&w);
    mica_spin_lock(&s->guard);
    if (s->count > 0) {
        s->count--;
        mica_spin_unlock(&s->guard);
        return 0;
    }
    mica_waitq_push(&s->queue, &w);
    mica_spin_unlock(&s->guard);

    int r = mica_park(&w, deadline);
    if (r < 0) {
        mica_spin_lock(&s->guard);
        if (atomic_load_explicit(&w.woken, memory_order_acquire))
            r = 0; /* a post handed us a unit just as the time ran out */
        else
            mica_waitq_remove(&s->queue, &w);
        mica_spin_unlock(&s->guard);
    }
    return r;
}

void mica_sem_wait(mica_sem_t *s)
{
    mica_sem_timedwait(s, MICA_TIMEOUT_FOREVER);
}

void mica_sem_post(mica_sem_t *s)
{
    mica_spin_lock(&s->guard);
    struct mica_waiter *w = mica_waitq_pop(&s->queue);
    mica_handle_t park = 0;
    if (w)
        park = mica_waiter_claim(w);
    else
        s->count++;
    mica_spin_unlock(&s->guard);
    if (park)
        mica_wake(park);
}
