/*
 * waitq.c - wait queues and blocking on a thread's park notification
 * (concept: blocking and waking up, without busy waiting).  See waitq.h.
 */
#include "waitq.h"
#include "clock.h"
#include "runtime.h"
#include "thread.h"

void mica_waiter_init(struct mica_waiter *w)
{
    w->next = w->prev = 0;
    w->park = mica_thread_self()->park;
    w->handoff = false;
    atomic_store_explicit(&w->woken, 0, memory_order_relaxed);
}

void mica_waitq_push(struct mica_waitq *q, struct mica_waiter *w)
{
    w->next = 0;
    w->prev = q->tail;
    if (q->tail)
        q->tail->next = w;
    else
        q->head = w;
    q->tail = w;
}

void mica_waitq_push_front(struct mica_waitq *q, struct mica_waiter *w)
{
    w->prev = 0;
    w->next = q->head;
    if (q->head)
        q->head->prev = w;
    else
        q->tail = w;
    q->head = w;
}

void mica_waitq_remove(struct mica_waitq *q, struct mica_waiter *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        q->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        q->tail = w->prev;
    w->next = w->prev = 0;
}

struct mica_waiter *mica_waitq_pop(struct mica_waitq *q)
{
    struct mica_waiter *w = q->head;
    if (w)
        mica_waitq_remove(q, w);
    return w;
}

mica_handle_t mica_waiter_claim(struct mica_waiter *w)
{
    mica_handle_t park = w->park;
    atomic_store_explicit(&w->woken, 1, memory_order_release);
    return park;
}

void mica_wake(mica_handle_t park)
{
    int64_t err = mica_notify_signal(park, 1);
    /* -EBADF: the woken thread saw its mark, went on and ended before this signal. */
    if (err < 0 && err != -MICA_EBADF)
        mica_panic("wake: signalling notification %u failed (%ld)", park, (long)err);
}

/* One wait on the park notification; false when the deadline has passed. */
static bool wait_once(mica_handle_t park, uint64_t deadline_ns)
{
    int64_t r;
    if (deadline_ns == MICA_TIMEOUT_FOREVER) {
        r = mica_notify_wait(park);
    } else {
        uint64_t now = mica_time_ns();
        if (now >= deadline_ns)
            return false;
        r = mica_notify_wait_timed(park, deadline_ns - now);
    }
    if (r < 0 && r != -MICA_ETIMEDOUT)
        mica_panic("park: waiting on notification %u failed (%ld)", park, (long)r);
    return true;
}

int mica_park(struct mica_waiter *w, uint64_t deadline_ns)
{
    while (!atomic_load_explicit(&w->woken, memory_order_acquire)) {
        if (!wait_once(w->park, deadline_ns))
            return -MICA_ETIMEDOUT;
    }
    return 0;
}
