/*
 * notification.c - asynchronous notifications (concepts: events, signals
 * without data, the IPC model of interrupts).
 *
 * A notification is a word of bits.  Signalling ORs bits in and never
 * blocks; waiting takes all set bits (clearing them) or blocks until some
 * arrive.  Interrupts will reach user-space drivers this way.
 * Runs under the big kernel lock.
 */
#include <mica/errno.h>
#include <mica/ipc.h>
#include <mica/kmalloc.h>
#include <mica/thread.h>

static void notification_destroy(struct object *o)
{
    struct notification *n = (struct notification *)o;
    if (n->waiter) {
        n->waiter->waiting_on = 0;
        thread_wake(n->waiter, -EPIPE);
    }
    kfree(n);
}

struct notification *notification_create(void)
{
    struct notification *n = kzalloc(sizeof *n);
    if (n)
        object_init(&n->obj, OBJ_NOTIFICATION, notification_destroy);
    return n;
}

void notification_signal(struct notification *n, uint64_t bits)
{
    n->bits |= bits;
    struct thread *w = n->waiter;
    if (w && n->bits) {
        n->waiter = 0;
        w->msg.w[0] = n->bits;
        n->bits = 0;
        thread_wake(w, 0);
    }
}

int notification_wait(struct notification *n, uint64_t *bits)
{
    struct thread *self = thread_current();
    if (n->bits) {
        *bits = n->bits;
        n->bits = 0;
        return 0;
    }
    if (n->waiter)
        return -EBUSY; /* one waiter at a time */
    n->waiter = self;
    self->state = THREAD_BLOCKED;
    thread_block();
    if (self->wait_result < 0)
        return self->wait_result;
    *bits = self->msg.w[0];
    return 0;
}

uint64_t notification_poll(struct notification *n)
{
    uint64_t bits = n->bits;
    n->bits = 0;
    return bits;
}
