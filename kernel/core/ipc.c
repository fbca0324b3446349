/*
 * ipc.c - synchronous IPC through endpoints (concepts: message passing,
 * rendezvous, remote procedure call with one-shot replies).
 *
 * An endpoint is a meeting point.  A sender (send or call) and a receiver
 * meet there: whoever comes first waits in the endpoint's queue; the second
 * one copies the message (a tag and four words in registers, plus words and
 * handles in the IPC buffers when the tag says so, ipc_transfer.c) and wakes
 * the first.  A call additionally leaves the caller blocked until the
 * receiver replies; the receiver holds the right to answer exactly once
 * (its reply_to), which reply or reply-and-receive uses up, or which it can
 * turn into a reply object and pass on.  Receives may time out; every
 * receiver's wait is claimed by exactly one waker (timeout.c).
 * Everything here runs under the big kernel lock.
 */
#include <stdatomic.h>
#include <mica/bkl.h>
#include <mica/errno.h>
#include <mica/ipc.h>
#include <mica/kmalloc.h>
#include <mica/sched.h>
#include <mica/thread.h>
#include <mica/trace.h>

void ipc_queue_push(struct thread **head, struct thread **tail, struct thread *t)
{
    t->wait_next = 0;
    if (*tail)
        (*tail)->wait_next = t;
    else
        *head = t;
    *tail = t;
}

struct thread *ipc_queue_pop(struct thread **head, struct thread **tail)
{
    struct thread *t = *head;
    if (!t)
        return 0;
    *head = t->wait_next;
    if (!*head)
        *tail = 0;
    t->wait_next = 0;
    return t;
}

static void queue_remove(struct thread **head, struct thread **tail, struct thread *t)
{
    struct thread *prev = 0;
    for (struct thread *it = *head; it; prev = it, it = it->wait_next) {
        if (it != t)
            continue;
        if (prev)
            prev->wait_next = it->wait_next;
        else
            *head = it->wait_next;
        if (*tail == it)
            *tail = prev;
        it->wait_next = 0;
        return;
    }
}

/* Closing the last handle: everyone still waiting gets -EPIPE. */
static void endpoint_destroy(struct object *o)
{
    struct endpoint *ep = (struct endpoint *)o;
    struct thread *t;
    while ((t = ipc_queue_pop(&ep->senders, &ep->senders_tail)) != 0) {
        t->waiting_on = 0;
        t->in_call = false;
        thread_wake(t, -EPIPE);
    }
    while ((t = ipc_queue_pop(&ep->receivers, &ep->receivers_tail)) != 0) {
        t->waiting_on = 0;
        if (thread_claim(t)) {
            t->wait_result = -EPIPE;
            thread_wake(t, -EPIPE);
        }
    }
    kfree(ep);
}

struct endpoint *endpoint_create(void)
{
    struct endpoint *ep = kzalloc(sizeof *ep);
    if (ep)
        object_init(&ep->obj, OBJ_ENDPOINT, endpoint_destroy);
    return ep;
}

static void block_on(struct endpoint *ep, struct thread *self)
{
    self->waiting_on = ep;
    self->state = THREAD_BLOCKED;
    thread_block();
}

/*
 * The current thread blocks and `to`, blocked until now, gets going: directly
 * on this CPU when the scheduler allows (the fast path), else through its
 * run queue.
 */
static void hand_over(struct thread *self, struct thread *to)
{
    self->state = THREAD_BLOCKED;
    if (sched_can_switch_directly(to)) {
        to->wait_result = 0;
        bkl_unlock();
        sched_switch_to_blocked(to);
        bkl_lock();
        return;
    }
    thread_wake(to, 0);
    thread_block();
}

/*
 * The first receiver in the queue whose wait nobody else ended (a timeout,
 * its notification): those leave the queue here, and clean up themselves.
 */
static struct thread *claim_receiver(struct endpoint *ep)
{
    struct thread *rx;
    while ((rx = ep->receivers) != 0) {
        if (thread_claim(rx))
            return rx;
        ipc_queue_pop(&ep->receivers, &ep->receivers_tail);
        rx->waiting_on = 0;
    }
    return 0;
}

/* Hand a message to a waiting receiver; a caller then waits for the reply. */
int ipc_send(struct endpoint *ep, const struct ipc_msg *m, bool call)
{
    struct thread *self = thread_current();
    int err = ipc_transfer_check(self, m->tag); /* the sender's own mistakes cost no receiver */
    if (err < 0)
        return err;
    struct thread *rx = claim_receiver(ep);
    self->msg = *m;
    self->in_call = call;
    self->call_wait = call;
    trace(MICA_EV_IPC_SEND, self->id, rx ? rx->id : 0);
    if (rx) {
        ipc_queue_pop(&ep->receivers, &ep->receivers_tail);
        int err = ipc_transfer(self, rx, m->tag);
        if (err < 0) { /* the receiver cannot take it (no buffer, table full): both learn */
            rx->waiting_on = 0;
            rx->wait_result = err;
            thread_wake(rx, err);
            return err;
        }
        trace(MICA_EV_IPC_RECV, rx->id, self->id);
        rx->waiting_on = 0;
        rx->msg = *m;
        rx->reply_to = call ? self : 0;
        if (!call) {
            thread_wake(rx, 0);
            return 0;
        }
        hand_over(self, rx); /* and wait for the reply */
        self->call_wait = false;
        return self->wait_result;
    }
    ipc_queue_push(&ep->senders, &ep->senders_tail, self);
    block_on(ep, self);
    self->call_wait = false;
    return self->wait_result;
}

/* Take the first queued sender whose message can be delivered; refuse the others. */
static struct thread *next_sender(struct endpoint *ep, struct thread *self)
{
    struct thread *tx;
    while ((tx = ipc_queue_pop(&ep->senders, &ep->senders_tail)) != 0) {
        tx->waiting_on = 0;
        int err = ipc_transfer(tx, self, tx->msg.tag);
        if (err == 0)
            return tx;
        tx->in_call = false;
        thread_wake(tx, err);
    }
    return 0;
}

/* Wait in the endpoint's queue (and for the bound notification) until claimed or timed out. */
static int wait_to_receive(struct endpoint *ep, struct thread *self, uint64_t timeout_ns)
{
    if (timeout_ns == 0)
        return -ETIMEDOUT;
    thread_wait_begin(self);
    self->wait_result = 0;
    self->state = THREAD_BLOCKED; /* before any waker can see us */
    ipc_queue_push(&ep->receivers, &ep->receivers_tail, self);
    self->waiting_on = ep;
    if (self->bound)
        notification_watch(self->bound, self);
    int result = thread_block_until(timeout_ns);
    if (self->bound)
        notification_unwatch(self->bound, self);
    if (self->waiting_on) { /* ended by a timeout or the notification: leave the queue */
        queue_remove(&ep->receivers, &ep->receivers_tail, self);
        self->waiting_on = 0;
    }
    return result;
}

int ipc_recv(struct endpoint *ep, struct ipc_msg *out, uint64_t *badge, uint64_t timeout_ns)
{
    struct thread *self = thread_current();
    struct thread *tx = next_sender(ep, self);
    if (tx) {
        trace(MICA_EV_IPC_RECV, self->id, tx->id);
        self->msg = tx->msg;
        self->reply_to = tx->in_call ? tx : 0;
        if (!tx->in_call)
            thread_wake(tx, 0); /* a plain send is complete; a caller waits on */
    } else if (self->bound && notification_take(self->bound, &self->msg)) {
        /* the bound notification had bits already: they are the message */
    } else {
        int err = wait_to_receive(ep, self, timeout_ns);
        if (err < 0)
            return err;
    }
    *out = self->msg;
    *badge = self->msg.badge;
    return 0;
}

/* Answer `caller` (blocked in its call) from the current thread. */
static int answer(struct thread *caller, const struct ipc_msg *m)
{
    int err = ipc_transfer(thread_current(), caller, m->tag);
    caller->in_call = false;
    if (err < 0) {
        thread_wake(caller, err); /* the caller learns that its answer was lost */
        return err;
    }
    caller->msg = *m;
    thread_wake(caller, 0);
    return 0;
}

int ipc_reply(const struct ipc_msg *m)
{
    struct thread *self = thread_current();
    struct thread *caller = self->reply_to;
    if (!caller)
        return -EINVAL; /* nothing to answer, or already answered */
    self->reply_to = 0;
    return answer(caller, m);
}

/*
 * Reply to the pending caller and wait for the next message.  When nobody is
 * queued on the endpoint, the server blocks in the same step as it switches
 * straight back to its caller: one switch for the whole return path.
 */
int ipc_reply_recv(struct endpoint *ep, const struct ipc_msg *m, struct ipc_msg *out,
                   uint64_t *badge)
{
    struct thread *self = thread_current();
    struct thread *caller = self->reply_to;
    if (!caller || ep->senders || self->bound || ipc_transfer(self, caller, m->tag) < 0) {
        if (caller)
            ipc_reply(m); /* the slow way, which also reports a failed transfer */
        return ipc_recv(ep, out, badge, TIMEOUT_FOREVER);
    }
    self->reply_to = 0;
    caller->msg = *m;
    caller->in_call = false;
    thread_wait_begin(self);
    self->wait_result = 0;
    ipc_queue_push(&ep->receivers, &ep->receivers_tail, self);
    self->waiting_on = ep;
    hand_over(self, caller);
    if (self->wait_result < 0)
        return self->wait_result;
    *out = self->msg;
    *badge = self->msg.badge;
    return 0;
}

/* ---- Reply objects: a caller's pending answer, passed on to another thread ---- */

static void reply_destroy(struct object *o)
{
    struct reply *r = (struct reply *)o;
    if (r->caller) { /* dropped unanswered: the caller must not wait forever */
        r->caller->in_call = false;
        thread_wake(r->caller, -EPIPE);
        object_put(&r->caller->obj);
    }
    kfree(r);
}

int reply_take(struct reply **out)
{
    struct thread *self = thread_current();
    if (!self->reply_to)
        return -EINVAL;
    struct reply *r = kzalloc(sizeof *r);
    if (!r)
        return -ENOMEM;
    object_init(&r->obj, OBJ_REPLY, reply_destroy);
    r->caller = self->reply_to;
    object_get(&r->caller->obj);
    self->reply_to = 0;
    *out = r;
    return 0;
}

int reply_send(struct reply *r, const struct ipc_msg *m)
{
    struct thread *caller = r->caller;
    if (!caller)
        return -EINVAL; /* used already */
    r->caller = 0;
    int err = answer(caller, m);
    object_put(&caller->obj);
    return err;
}

bool ipc_remove_sender(struct endpoint *ep, struct thread *t)
{
    for (struct thread *it = ep->senders; it; it = it->wait_next) {
        if (it == t) {
            queue_remove(&ep->senders, &ep->senders_tail, t);
            return true;
        }
    }
    return false;
}

void ipc_thread_exiting(struct thread *t)
{
    if (t->waiting_on) {
        queue_remove(&t->waiting_on->senders, &t->waiting_on->senders_tail, t);
        queue_remove(&t->waiting_on->receivers, &t->waiting_on->receivers_tail, t);
        t->waiting_on = 0;
    }
    if (t->reply_to) {
        struct thread *caller = t->reply_to;
        t->reply_to = 0;
        caller->in_call = false;
        thread_wake(caller, -EPIPE); /* the server died before answering */
    }
}
