/*
 * waitq.h - wait queues of blocked threads, and blocking itself (concept:
 * blocking and waking up; the queue inside every semaphore and monitor).
 * lib/mica/waitq.c; docs/runtime.md, section 5.
 *
 * Mica's kernel has no futex.  Its one blocking primitive that any thread
 * can be woken from is the notification, and a notification takes one
 * waiter at a time.  So every runtime thread owns a notification of its
 * own, its *park* notification, and a thread that must wait for a lock
 * puts a waiter record (on its own stack) into the lock's queue and waits on
 * that notification.  Whoever releases the lock takes the record out of the
 * queue and signals the notification named in it.
 *
 * The queue is not locked by itself: the caller holds the guard spinlock
 * of the mutex, condition variable or semaphore the queue belongs to.
 */
#ifndef MICA_WAITQ_H
#define MICA_WAITQ_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "mica.h"

struct mica_waiter {
    struct mica_waiter *next, *prev;
    mica_handle_t park; /* the waiting thread's notification */
    atomic_int woken;   /* set (under the guard) when it is taken out to be woken */
    bool handoff;       /* mutexes: the waker makes it the owner (mutex.c) */
};

struct mica_waitq {
    struct mica_waiter *head, *tail;
};

/* A waiter record for the calling thread (which must be a runtime thread). */
void mica_waiter_init(struct mica_waiter *w);

void mica_waitq_push(struct mica_waitq *q, struct mica_waiter *w);       /* at the tail */
void mica_waitq_push_front(struct mica_waitq *q, struct mica_waiter *w); /* at the head */
struct mica_waiter *mica_waitq_pop(struct mica_waitq *q); /* oldest first; NULL if empty */
void mica_waitq_remove(struct mica_waitq *q, struct mica_waiter *w);

static inline bool mica_waitq_empty(const struct mica_waitq *q)
{
    return q->head == 0;
}

/*
 * Waking takes two steps.  Under the guard: mica_waiter_claim() marks w
 * woken and returns its notification.  After releasing the guard:
 * mica_wake(notification).  From the moment w is marked, its thread may
 * return and its stack - with w on it - may be gone, so the notification
 * must be read before, and w never touched after.
 */
mica_handle_t mica_waiter_claim(struct mica_waiter *w);
void mica_wake(mica_handle_t park);

/*
 * Block until w is marked woken (0) or the clock passes deadline_ns
 * (-MICA_ETIMEDOUT); MICA_TIMEOUT_FOREVER waits without limit.  A wake-up
 * left over from an earlier wait is harmless: the loop checks the mark.
 */
int mica_park(struct mica_waiter *w, uint64_t deadline_ns);

#endif
