/*
 * timer.c - timer objects (concepts: timers, periodic and one-shot events,
 * the clock interrupt as an event source).
 *
 * A timer signals bits on a notification when its deadline passes, once or
 * every period.  It is an object like any other, so a process can hold
 * several, pass them on, and close them; a driver's watchdog or a periodic
 * real-time task waits for it as for an interrupt.  The armed timers form
 * one list sorted by deadline, under its own lock (the boot CPU's clock
 * interrupt reads it); so a timer fires at the first tick after its
 * deadline - the resolution is the tick (10 ms at 100 Hz).
 */
#include <mica/errno.h>
#include <mica/ipc.h>
#include <mica/kmalloc.h>
#include <mica/spinlock.h>
#include <mica/timer.h>
#include <arch/arch.h>

static struct spinlock armed_lock = SPINLOCK_INIT("timers");
static struct ktimer *armed; /* soonest deadline first */

/* Take t out of the armed list; armed_lock held. */
static void unlink_locked(struct ktimer *t)
{
    struct ktimer **pp = &armed;
    while (*pp && *pp != t)
        pp = &(*pp)->next;
    if (*pp)
        *pp = t->next;
    t->next = 0;
    t->armed = false;
}

/* Put t into the armed list at its deadline; armed_lock held. */
static void insert_locked(struct ktimer *t)
{
    struct ktimer **pp = &armed;
    while (*pp && (*pp)->deadline_ns <= t->deadline_ns)
        pp = &(*pp)->next;
    t->next = *pp;
    *pp = t;
    t->armed = true;
}

static void timer_destroy(struct object *o)
{
    struct ktimer *t = (struct ktimer *)o;
    uint64_t flags = spin_lock_irqsave(&armed_lock);
    if (t->armed)
        unlink_locked(t);
    spin_unlock_irqrestore(&armed_lock, flags);
    object_put(&t->notification->obj);
    kfree(t);
}

int timer_create(struct notification *n, uint64_t bits, struct ktimer **out)
{
    if (bits == 0 || (bits >> 63))
        return -EINVAL;
    struct ktimer *t = kzalloc(sizeof *t);
    if (!t)
        return -ENOMEM;
    object_init(&t->obj, OBJ_TIMER, timer_destroy);
    object_get(&n->obj);
    t->notification = n;
    t->bits = bits;
    *out = t;
    return 0;
}

int timer_set(struct ktimer *t, uint64_t deadline_ns, uint64_t period_ns)
{
    if (period_ns && period_ns < TIMER_MIN_PERIOD_NS)
        return -EINVAL;
    uint64_t flags = spin_lock_irqsave(&armed_lock);
    if (t->armed)
        unlink_locked(t);
    t->deadline_ns = deadline_ns;
    t->period_ns = period_ns;
    if (deadline_ns)
        insert_locked(t);
    spin_unlock_irqrestore(&armed_lock, flags);
    return 0;
}

/* From the boot CPU's clock interrupt: fire every timer whose deadline has passed. */
void timer_tick(void)
{
    uint64_t now = arch_ns_since_boot();
    for (;;) {
        uint64_t flags = spin_lock_irqsave(&armed_lock);
        struct ktimer *t = armed;
        if (!t || t->deadline_ns > now) {
            spin_unlock_irqrestore(&armed_lock, flags);
            return;
        }
        unlink_locked(t);
        t->fired++;
        if (t->period_ns) { /* the next period, skipping any that were missed */
            uint64_t missed = (now - t->deadline_ns) / t->period_ns;
            t->deadline_ns += (missed + 1) * t->period_ns;
            insert_locked(t);
        }
        /* Signalled under the lock, which keeps t (and so its notification) from being
         * destroyed meanwhile; the lock order is armed_lock, notification, run queue. */
        notification_signal(t->notification, t->bits);
        spin_unlock_irqrestore(&armed_lock, flags);
    }
}
