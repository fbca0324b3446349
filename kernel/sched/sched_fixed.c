/*
 * sched_fixed.c - fixed priorities with round-robin time slices (concepts:
 * priority scheduling, round robin).
 *
 * One FIFO queue per priority level and a 64-bit mask of the non-empty
 * queues: picking the next thread is one "find highest set bit" instruction
 * and one dequeue.  Within a level, threads take turns: a thread that used up
 * its time slice goes to the back of its queue.  A woken thread preempts the
 * running one only if its priority is strictly higher.
 */
#include <mica/sched.h>
#include <mica/thread.h>

static void fixed_enqueue(struct runqueue *rq, struct thread *t)
{
    struct fixed_rq *q = &rq->fixed;
    unsigned p = t->priority;
    t->rq_next = 0;
    if (q->tail[p])
        q->tail[p]->rq_next = t;
    else
        q->head[p] = t;
    q->tail[p] = t;
    q->nonempty |= 1ull << p;
}

static void fixed_dequeue(struct runqueue *rq, struct thread *t)
{
    struct fixed_rq *q = &rq->fixed;
    unsigned p = t->priority;
    struct thread *prev = 0;
    for (struct thread *it = q->head[p]; it; prev = it, it = it->rq_next) {
        if (it != t)
            continue;
        if (prev)
            prev->rq_next = it->rq_next;
        else
            q->head[p] = it->rq_next;
        if (q->tail[p] == it)
            q->tail[p] = prev;
        break;
    }
    if (!q->head[p])
        q->nonempty &= ~(1ull << p);
    t->rq_next = 0;
}

static struct thread *fixed_pick_next(struct runqueue *rq)
{
    struct fixed_rq *q = &rq->fixed;
    if (!q->nonempty)
        return 0;
    unsigned p = 63 - (unsigned)__builtin_clzll(q->nonempty);
    struct thread *t = q->head[p];
    fixed_dequeue(rq, t);
    return t;
}

static bool fixed_tick(struct runqueue *rq, struct thread *curr)
{
    (void)rq;
    if (curr->slice_left > 0)
        curr->slice_left--;
    if (curr->slice_left > 0)
        return false;
    curr->slice_left = SCHED_SLICE_TICKS;
    return true;
}

static void fixed_yield(struct runqueue *rq, struct thread *curr)
{
    (void)rq;
    curr->slice_left = SCHED_SLICE_TICKS;
}

static bool fixed_preempts(struct runqueue *rq, struct thread *curr, struct thread *woken)
{
    (void)rq;
    return woken->priority > curr->priority;
}

const struct sched_class sched_fixed_class = {
    .name = "fixed-priority round robin",
    .enqueue = fixed_enqueue,
    .dequeue = fixed_dequeue,
    .pick_next = fixed_pick_next,
    .tick = fixed_tick,
    .yield = fixed_yield,
    .preempts = fixed_preempts,
};
