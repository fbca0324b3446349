/*
 * sem.h - counting semaphores (concept: Dijkstra's semaphores, P and V).
 * lib/mica/sem.c; docs/runtime.md, section 6.
 *
 * mica_sem_wait() (P) takes one unit, blocking while there is none;
 * mica_sem_post() (V) gives one back, directly to the longest waiter if
 * there is one.  Initialise with MICA_SEM_INIT(n) or mica_sem_init().
 */
#ifndef MICA_SEM_H
#define MICA_SEM_H

#include <stdint.h>
#include "spin.h"
#include "waitq.h"

typedef struct mica_sem {
    struct mica_spin guard; /* protects count and queue */
    uint64_t count;         /* units available; never > 0 while threads wait */
    struct mica_waitq queue;
} mica_sem_t;

#define MICA_SEM_INIT(n)                                                                           \
    {                                                                                              \
        {0}, (n),                                                                                  \
        {                                                                                          \
            0, 0                                                                                   \
        }                                                                                          \
    }

void mica_sem_init(mica_sem_t *s, uint64_t count);
void mica_sem_wait(mica_sem_t *s);
int mica_sem_trywait(mica_sem_t *s);                        /* 0, or -MICA_EAGAIN if none left */
int mica_sem_timedwait(mica_sem_t *s, uint64_t timeout_ns); /* 0, or -MICA_ETIMEDOUT */
void mica_sem_post(mica_sem_t *s);

#endif
