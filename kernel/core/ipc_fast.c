/*
 * ipc_fast.c - the IPC fast path (concepts: message passing, the direct
 * switch of L4 and seL4, making the common case fast).
 *
 * A client's call and a server's reply-and-receive are the two halves of
 * every remote procedure call, and in the common case both are as simple as
 * IPC gets: a short message (a tag and four words, all in registers), a
 * partner already waiting, both threads on one CPU.  For that case this file
 * does the whole operation in one straight line - find the endpoint, hand the
 * message over, set up or use up the one-shot reply, switch straight to the
 * partner - without the general system-call path (syscall.c), without the
 * run queue, without the trace, and with interrupts off throughout.  In every
 * other case it returns false before it has changed anything, and the
 * general path does the work: ipc.c stays the readable reference, and this
 * file is its ipc_send() with `call` true and its ipc_reply_recv() one-step
 * path, with the common case spelled out.  The result is the same either way.
 *
 * The conditions, and why each is needed:
 *
 *  - The tag asks for no extra words and no handles and its reserved bits
 *    are clear (its low 32 bits are 0): then there is no long part to move,
 *    nothing that can fail at the rendezvous, and nothing left to check: the
 *    label is never read by the kernel.
 *  - Tracing is off: the general path records the IPC events; this path
 *    records nothing, so it steps aside while a trace is being recorded.
 *  - The big kernel lock is free.  The fast path changes endpoint queues,
 *    thread states and reply links, all of which that lock protects.  It
 *    runs with interrupts off, so it must not spin for the lock: a CPU
 *    spinning with interrupts off could not answer the TLB shoot-down IPI
 *    that the holder may be waiting for.  It tries once (bkl_trylock()).
 *  - The handle names an endpoint with the right the operation needs
 *    (RIGHT_SEND to call, RIGHT_RECV to reply and receive).
 *  - The partner may take this CPU over directly (thread_may_hand_cpu()):
 *    it belongs to this CPU's run queue, has the same scheduling class and
 *    at least the current thread's priority - exactly when the general path
 *    switches directly too.  A partner of another CPU must be woken there,
 *    and one of lower priority must wait for the CPU: both need run queues.
 *  - Calling: a receiver waits on the endpoint, and the caller wins its claim
 *    word (timeout.c), so no timeout or notification has ended that wait.
 *    The claim is the last check: once won, the receiver is this caller's
 *    alone and the call cannot fail.  (A receiver whose claim is lost is
 *    left for the general path, which takes it out of the queue.)
 *  - Replying and receiving: there is a caller to answer, no sender is
 *    queued (it would have to be received at once, without blocking), and
 *    the server has no bound notification (its bits may be pending, and it
 *    would have to watch the server while it waits).  The server then waits
 *    with no timeout and no notification, so only a sender or the
 *    endpoint's destruction can end that wait, and both take it out of the
 *    endpoint's queue themselves.
 *
 * The partner may have blocked in the general path or in this one.  Either
 * way the fast path leaves its results where the general path would (msg,
 * badge, wait_result, reply_to, in_call), and the partner carries on from
 * where it blocked.  A thread that blocked here resumes here, whoever ended
 * its wait - this path on the other side, the general path, a lost reply or
 * a destroyed endpoint (-EPIPE) - and fast_result() hands that result to
 * user mode.  Both threads' states are set while the big lock is held, so
 * other CPUs (waking, suspending) see a consistent picture; the lock is
 * released before the switch, as everywhere else.
 */
#include <mica/aspace.h>
#include <mica/bkl.h>
#include <mica/handle.h>
#include <mica/ipc.h>
#include <mica/sched.h>
#include <mica/thread.h>
#include <mica/trace.h>

#define TAG_LONG_PART 0xffffffffull /* extra words, handles, reserved bits */

/* A thread being killed takes the general path, which ends it before it can block. */
static bool fast_message(const struct thread *self, const struct ipc_regs *r)
{
    return (r->tag & TAG_LONG_PART) == 0 && !trace_on && !self->kill_requested;
}

/* The endpoint behind handle h, if h has the right `need`, and h's badge; needs the big lock. */
static struct endpoint *endpoint_of(struct thread *self, uint64_t h, uint32_t need, uint64_t *badge)
{
    struct object *o;
    if (h > UINT32_MAX ||
        handle_peek(&self->aspace->handles, (handle_t)h, OBJ_ENDPOINT, need, &o, badge) < 0)
        return 0;
    return (struct endpoint *)o;
}

/* The message in the caller's registers, sent through a handle with `badge`, becomes `to`'s. */
static void give_message(struct thread *to, const struct ipc_regs *r, uint64_t badge)
{
    to->msg.badge = badge;
    to->msg.tag = r->tag;
    to->msg.w[0] = r->w[0];
    to->msg.w[1] = r->w[1];
    to->msg.w[2] = r->w[2];
    to->msg.w[3] = r->w[3];
    to->wait_result = 0;
}

/* Block the current thread, let `next` run, drop the big lock, switch; returns when resumed. */
static void switch_to_partner(struct thread *self, struct thread *next)
{
    self->state = THREAD_BLOCKED;
    next->state = THREAD_RUNNING;
    bkl_unlock();
    sched_switch_direct(next);
}

/* What the general path returns once a wait has ended: the result, and the message. */
static bool fast_result(struct ipc_regs *r, const struct thread *self, uint64_t badge)
{
    r->nr = (uint64_t)(int64_t)self->wait_result;
    if (self->wait_result < 0)
        return true;
    r->handle = badge;
    r->tag = self->msg.tag;
    r->w[0] = self->msg.w[0];
    r->w[1] = self->msg.w[1];
    r->w[2] = self->msg.w[2];
    r->w[3] = self->msg.w[3];
    return true;
}

bool ipc_fast_call(struct thread *self, struct ipc_regs *r)
{
    uint64_t badge;
    if (!fast_message(self, r) || !bkl_trylock())
        return false;
    struct endpoint *ep = endpoint_of(self, r->handle, RIGHT_SEND, &badge);
    struct thread *rx = ep ? ep->receivers : 0;
    if (!rx || !thread_may_hand_cpu(self, rx) || !thread_claim(rx)) {
        bkl_unlock();
        return false;
    }
    ipc_queue_pop(&ep->receivers, &ep->receivers_tail);
    rx->waiting_on = 0;
    give_message(rx, r, badge);
    rx->reply_to = self;
    self->in_call = true;
    self->call_wait = true;
    switch_to_partner(self, rx); /* until the reply, or -EPIPE */
    self->call_wait = false;
    return fast_result(r, self, 0);
}

bool ipc_fast_reply_recv(struct thread *self, struct ipc_regs *r)
{
    uint64_t unused;
    if (!fast_message(self, r) || !bkl_trylock())
        return false;
    struct thread *caller = self->reply_to;
    struct endpoint *ep = endpoint_of(self, r->handle, RIGHT_RECV, &unused);
    if (!ep || !caller || ep->senders || self->bound || !thread_may_hand_cpu(self, caller)) {
        bkl_unlock();
        return false;
    }
    self->reply_to = 0;
    give_message(caller, r, 0); /* a reply names no sender */
    caller->in_call = false;
    thread_wait_begin(self);
    self->wait_result = 0;
    ipc_queue_push(&ep->receivers, &ep->receivers_tail, self);
    self->waiting_on = ep;
    switch_to_partner(self, caller); /* until a sender claims us, or -EPIPE */
    return fast_result(r, self, self->msg.badge);
}
