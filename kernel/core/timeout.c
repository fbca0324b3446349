/*
 * timeout.c - waits with a time limit, and sleeping (concepts: timers,
 * timeouts, the clock interrupt as a scheduler activation point).
 *
 * Each CPU keeps the threads of its run queue that wait with a deadline in a
 * list sorted by deadline.  Its timer interrupt ends the waits whose deadline
 * has passed - unless another waker (a message, a notification) claimed the
 * wait first: every such wait has one claim word, and only the waker that
 * sets it may end the wait.
 */
#include <stdatomic.h>
#include <mica/errno.h>
#include <mica/spinlock.h>
#include <mica/thread.h>
#include <arch/arch.h>

#define TIMEOUT_CPUS 64

struct timer_list {
    struct spinlock lock;
    struct thread *head; /* soonest deadline first */
};

static struct timer_list lists[TIMEOUT_CPUS];

/*
 * The claim word numbers the thread's waits, so that a waker of an old wait
 * (a timer that fired just as that wait ended otherwise) can never claim the
 * next one.
 */
void thread_wait_begin(struct thread *t)
{
    uint64_t wait = (atomic_load(&t->claim) >> 1) + 1;
    atomic_store(&t->claim, wait << 1);
}

static bool claim_wait(struct thread *t, uint64_t wait)
{
    uint64_t unclaimed = wait << 1;
    return atomic_compare_exchange_strong(&t->claim, &unclaimed, unclaimed | 1);
}

bool thread_claim(struct thread *t)
{
    return claim_wait(t, atomic_load(&t->claim) >> 1);
}

void timeout_arm(struct thread *t, uint64_t deadline_ns)
{
    t->timer_cpu = t->cpu;
    t->timer_wait = atomic_load(&t->claim) >> 1;
    struct timer_list *l = &lists[t->timer_cpu];
    uint64_t flags = spin_lock_irqsave(&l->lock);
    t->deadline_ns = deadline_ns;
    struct thread **pp = &l->head;
    while (*pp && (*pp)->deadline_ns <= deadline_ns)
        pp = &(*pp)->timer_next;
    t->timer_next = *pp;
    *pp = t;
    t->timer_armed = true;
    spin_unlock_irqrestore(&l->lock, flags);
}

void timeout_cancel(struct thread *t)
{
    struct timer_list *l = &lists[t->timer_cpu];
    uint64_t flags = spin_lock_irqsave(&l->lock);
    if (t->timer_armed) {
        struct thread **pp = &l->head;
        while (*pp && *pp != t)
            pp = &(*pp)->timer_next;
        if (*pp)
            *pp = t->timer_next;
        t->timer_armed = false;
    }
    spin_unlock_irqrestore(&l->lock, flags);
}

/* From this CPU's timer interrupt. */
void timeout_tick(unsigned cpu)
{
    struct timer_list *l = &lists[cpu];
    uint64_t now = arch_ns_since_boot();
    for (;;) {
        uint64_t flags = spin_lock_irqsave(&l->lock);
        struct thread *t = l->head;
        if (!t || t->deadline_ns > now) {
            spin_unlock_irqrestore(&l->lock, flags);
            return;
        }
        l->head = t->timer_next;
        t->timer_armed = false;
        uint64_t wait = t->timer_wait;
        spin_unlock_irqrestore(&l->lock, flags);
        if (claim_wait(t, wait)) {
            t->wait_result = -ETIMEDOUT;
            thread_wake(t, -ETIMEDOUT);
        }
    }
}

void timeout_init(void)
{
    for (unsigned i = 0; i < TIMEOUT_CPUS; i++)
        spin_init(&lists[i].lock, "timeouts");
}
