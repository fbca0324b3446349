/*
 * kill.c - ending threads and whole processes from outside, and telling a
 * supervisor that a process has ended (concepts: process termination,
 * zombie-free teardown, fault isolation, micro-reboot).
 *
 * A thread cannot be torn down by another CPU while it may be in the middle
 * of a system call, so killing is a request: the victim ends itself
 * (thread_exit()) the next time it would return to user mode.  A victim
 * that was waiting for the big kernel lock when the kill came does not start
 * its system call (syscall_handle() checks once it has the lock), so it can
 * never block where the killer could not see it.  A victim
 * running on another CPU is interrupted; a victim that waits is woken where
 * the wait allows it - receiving, waiting on a notification, sleeping (waits
 * with a claim word, see timeout.c), sending, or suspended.  A thread blocked
 * in a call that a server has already taken (or in its fault handler's call)
 * ends when that call returns: the server still holds its reply.
 *
 * A process is its address space.  It ends when the last of its started
 * threads ends - by exit, a fatal fault or a kill.  Then its handles are
 * closed (so a dead driver's interrupt lines, ports and endpoints are free
 * for its successor), no thread can be started in it any more, and the
 * notification a supervisor attached with SYS_ASPACE_WATCH is signalled.
 * All of this runs under the big kernel lock.
 */
#include <mica/aspace.h>
#include <mica/console_handover.h>
#include <mica/errno.h>
#include <mica/ipc.h>
#include <mica/thread.h>
#include <arch/arch.h>

/* A sender waiting in an endpoint's queue leaves it, with -EINTR. */
static bool end_send_wait(struct thread *t)
{
    if (!t->waiting_on || !ipc_remove_sender(t->waiting_on, t))
        return false;
    t->waiting_on = 0;
    t->in_call = false;
    thread_wake(t, -EINTR);
    return true;
}

void thread_kill(struct thread *t)
{
    if (t->state == THREAD_DEAD || t->kill_requested)
        return;
    t->kill_requested = true;
    if (t->state == THREAD_NEW)
        return; /* thread_start() refuses it now */
    t->suspend_requested = false;
    if (t->suspended) {
        t->suspended = false;
        thread_wake(t, -EINTR);
    } else if (t->state == THREAD_BLOCKED) {
        if (t->call_wait) {
            /* In a call: still queued, it leaves the queue; held by a server (as reply_to
             * or a taken reply object), the answer or the reply's end wakes it - maybe
             * already has, before it ran - and a wake here too would queue it twice.  It
             * ends on its way back to user mode. */
            end_send_wait(t);
        } else if (thread_claim(t)) {
            t->wait_result = -EINTR;
            thread_wake(t, -EINTR);
        } else {
            end_send_wait(t);
        }
    } else if (t->state == THREAD_RUNNING && t != thread_current()) {
        arch_send_reschedule(t->cpu);
    }
}

void aspace_kill(struct aspace *as)
{
    as->ending = true;
    for (struct thread *t = as->threads; t; t = t->as_next)
        thread_kill(t);
}

int aspace_watch(struct aspace *as, struct notification *n, uint64_t bits)
{
    if (as->ended)
        return -EPIPE;
    if (as->watch)
        object_put(&as->watch->obj);
    if (n)
        object_get(&n->obj);
    as->watch = n;
    as->watch_bits = bits;
    return 0;
}

/* A thread of as starts: it counts as alive until it ends. */
int aspace_thread_started(struct aspace *as, struct thread *t)
{
    if (as->ending || as->ended)
        return -EPIPE;
    t->as_next = as->threads;
    as->threads = t;
    return 0;
}

/* The process is over: close its handles and tell whoever watches. */
static void aspace_end(struct aspace *as)
{
    as->ended = true;
    handover_release(as); /* it held the kernel's console: the kernel writes again */
    handle_table_destroy(&as->handles);
    handle_table_init(&as->handles, ASPACE_HANDLES); /* empty; nobody may use it */
    struct notification *n = as->watch;
    as->watch = 0;
    if (n) {
        notification_signal(n, as->watch_bits);
        object_put(&n->obj);
    }
}

/* t (started in as) ends; the last one ends the process. */
void aspace_thread_ended(struct aspace *as, struct thread *t)
{
    struct thread **pp = &as->threads;
    while (*pp && *pp != t)
        pp = &(*pp)->as_next;
    if (*pp)
        *pp = t->as_next;
    t->as_next = 0;
    if (!as->threads)
        aspace_end(as);
}
