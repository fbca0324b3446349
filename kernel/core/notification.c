/*
 * notification.c - asynchronous notifications (concepts: events, signals
 * without data, the IPC model of interrupts).
 *
 * A notification is a word of bits.  Signalling ORs bits in and never
 * blocks; waiting takes all set bits (clearing them) or blocks until some
 * arrive, or until a timeout.  A notification can also be bound to a thread:
 * then its bits reach that thread while it waits to receive on an endpoint,
 * as a message labelled MICA_MSG_NOTIFY - so a server can wait for requests
 * and for interrupts at once.  Interrupt handlers signal notifications, so a
 * notification has its own lock and does not rely on the big kernel lock.
 */
#include <mica/errno.h>
#include <mica/ipc.h>
#include <mica/kmalloc.h>
#include <mica/thread.h>
#include <abi/mica/syscall.h>

/* End t's wait (if nobody else did) with result, after the caller filled in its message. */
static void end_wait(struct thread *t, int result)
{
    t->wait_result = result;
    thread_wake(t, result);
}

static void notification_destroy(struct object *o)
{
    struct notification *n = (struct notification *)o;
    uint64_t flags = spin_lock_irqsave(&n->lock);
    struct thread *w = n->waiter;
    n->waiter = 0;
    n->watcher = 0;
    spin_unlock_irqrestore(&n->lock, flags);
    if (w && thread_claim(w))
        end_wait(w, -EPIPE);
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

static void notify_message(struct ipc_msg *m, uint64_t bits)
{
    m->tag = (uint64_t)MICA_MSG_NOTIFY << MICA_TAG_LABEL_SHIFT;
    m->w[0] = bits;
    m->w[1] = m->w[2] = m->w[3] = 0;
    m->badge = 0;
}

void notification_signal(struct notification *n, uint64_t bits)
{
    uint64_t flags = spin_lock_irqsave(&n->lock);
    n->bits |= bits;
    struct thread *w = 0;
    if (n->bits && n->waiter && thread_claim(n->waiter)) {
        w = n->waiter;
        n->waiter = 0;
        w->msg.w[0] = n->bits;
        n->bits = 0;
    } else if (n->bits && n->watcher && thread_claim(n->watcher)) {
        w = n->watcher;
        n->watcher = 0;
        notify_message(&w->msg, n->bits);
        n->bits = 0;
    }
    spin_unlock_irqrestore(&n->lock, flags);
    if (w)
        end_wait(w, 0);
}

int notification_wait(struct notification *n, uint64_t *bits, uint64_t timeout_ns)
{
    struct thread *self = thread_current();
    uint64_t flags = spin_lock_irqsave(&n->lock);
    if (n->bits) {
        *bits = n->bits;
        n->bits = 0;
        spin_unlock_irqrestore(&n->lock, flags);
        return 0;
    }
    if (n->waiter || n->watcher) {
        spin_unlock_irqrestore(&n->lock, flags);
        return -EBUSY; /* one waiter at a time */
    }
    if (timeout_ns == 0) {
        spin_unlock_irqrestore(&n->lock, flags);
        return -ETIMEDOUT;
    }
    thread_wait_begin(self);
    self->wait_result = 0;
    self->state = THREAD_BLOCKED; /* before the lock drops: a signal may come at once */
    n->waiter = self;
    spin_unlock_irqrestore(&n->lock, flags);
    int result = thread_block_until(timeout_ns);
    flags = spin_lock_irqsave(&n->lock);
    if (n->waiter == self)
        n->waiter = 0; /* timed out */
    spin_unlock_irqrestore(&n->lock, flags);
    if (result < 0)
        return result;
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

/* Called with the kernel lock held; t holds a reference to n from then on. */
int notification_bind(struct notification *n, struct thread *t)
{
    if (t->bound || n->bound)
        return -EBUSY;
    object_get(&n->obj);
    n->bound = t;
    t->bound = n;
    return 0;
}

bool notification_take(struct notification *n, struct ipc_msg *m)
{
    uint64_t bits = notification_poll(n);
    if (bits)
        notify_message(m, bits);
    return bits != 0;
}

/* The bound thread starts waiting to receive: signals now end its wait. */
void notification_watch(struct notification *n, struct thread *t)
{
    uint64_t flags = spin_lock_irqsave(&n->lock);
    if (n->bits && thread_claim(t)) { /* bits came between the check and now */
        notify_message(&t->msg, n->bits);
        n->bits = 0;
        spin_unlock_irqrestore(&n->lock, flags);
        end_wait(t, 0);
        return;
    }
    n->watcher = t;
    spin_unlock_irqrestore(&n->lock, flags);
}

void notification_unwatch(struct notification *n, struct thread *t)
{
    uint64_t flags = spin_lock_irqsave(&n->lock);
    if (n->watcher == t)
        n->watcher = 0;
    spin_unlock_irqrestore(&n->lock, flags);
}
