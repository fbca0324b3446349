/*
 * notification.c - asynchronous notifications (concepts: events, signals
 * without data, the IPC model of interrupts).
 *
 * A notification is a word of bits.  Signalling ORs bits in and never
 * blocks; waiting takes all set bits (clearing them) or blocks until some
 * arrive.  Interrupt handlers signal notifications too, so a notification
 * has its own lock (taken with interrupts off) and does not rely on the big
 * kernel lock.
 */
#include <mica/errno.h>
#include <mica/ipc.h>
#include <mica/kmalloc.h>
#include <mica/thread.h>

static void notification_destroy(struct object *o)
{
    struct notification *n = (struct notification *)o;
    uint64_t flags = spin_lock_irqsave(&n->lock);
    struct thread *w = n->waiter;
    n->waiter = 0;
    spin_unlock_irqrestore(&n->lock, flags);
    if (w)
        thread_wake(w, -EPIPE);
    kfree(n);
}

struct notification *notification_create(void)
{
    struct notification *n = kzalloc(sizeof *n);
    if (!n)
        return 0;
    object_init(&n->obj, OBJ_NOTIFICATION, notification_destroy);
    spin_init(&n->lock, "notification");
    return n;
}

void notification_signal(struct notification *n, uint64_t bits)
{
    uint64_t flags = spin_lock_irqsave(&n->lock);
    n->bits |= bits;
    struct thread *w = n->waiter;
    if (w && n->bits) {
        n->waiter = 0;
        w->msg.w[0] = n->bits;
        n->bits = 0;
    } else {
        w = 0;
    }
    spin_unlock_irqrestore(&n->lock, flags);
    if (w)
        thread_wake(w, 0);
}

int notification_wait(struct notification *n, uint64_t *bits)
{
    struct thread *self = thread_current();
    uint64_t flags = spin_lock_irqsave(&n->lock);
    if (n->bits) {
        *bits = n->bits;
        n->bits = 0;
        spin_unlock_irqrestore(&n->lock, flags);
        return 0;
    }
    if (n->waiter) {
        spin_unlock_irqrestore(&n->lock, flags);
        return -EBUSY; /* one waiter at a time */
    }
    n->waiter = self;
    self->state = THREAD_BLOCKED; /* before the lock drops: a signal may come at once */
    spin_unlock_irqrestore(&n->lock, flags);
    thread_block();
    if (self->wait_result < 0)
        return self->wait_result;
    *bits = self->msg.w[0];
    return 0;
}

uint64_t notification_poll(struct notification *n)
{
    uint64_t flags = spin_lock_irqsave(&n->lock);
    uint64_t bits = n->bits;
    n->bits = 0;
    spin_unlock_irqrestore(&n->lock, flags);
    return bits;
}
