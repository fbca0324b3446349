/*
 * handler_call.c - a thread that stops and reports to its handler, a thread
 * in user space that decides for it (concepts: fault handlers, user-level
 * pagers, system-call forwarding for personalities).
 *
 * Two things a thread does can be handed to another program: a fault the
 * kernel cannot resolve (user_fault.c, MICA_MSG_FAULT) and, for a thread
 * with a system-call handler, every `syscall` instruction (syscall_forward.c,
 * MICA_MSG_SYSCALL).  Both work the same way: the kernel makes the thread
 * call the handler's endpoint, as if the thread itself had called, and the
 * thread stays blocked in that call until the handler replies.  While it
 * waits it is "in a fault": the handler may read and rewrite its registers
 * (SYS_THREAD_READ_REGS/WRITE_REGS).  The reply says how to go on.
 *
 * The handler is an ordinary server: it may die or be replaced.  As with
 * every call (do_send() in syscall.c), the waiting thread does not keep the
 * endpoint alive by itself - the thread's handler setting holds a reference
 * until it is changed - and it does not touch the endpoint after the wait.
 * A handler that dies holding the call (the reply is lost) or an endpoint
 * destroyed under the queued thread ends the call with -EPIPE; a kill ends a
 * queued call with -EINTR (kill.c).  A call the handler has already received
 * ends only when it is answered, as every call does.
 */
#include <mica/ipc.h>
#include <mica/thread.h>

int thread_call_handler(struct endpoint *ep, const struct ipc_msg *m, struct ipc_msg *reply)
{
    struct thread *t = thread_current();
    t->in_fault = true;
    int err = ipc_send(ep, m, true);
    t->in_fault = false;
    /* The handler may have given this thread new TLS bases (SYS_THREAD_SET_TLS, WRITE_REGS:
     * a Linux program's arch_prctl) while it waited.  A switch back in loads them, but the
     * answer can come so fast that the thread never switched out (schedule() found it ready
     * again): load them here, or it would go on with the old FS base. */
    arch_thread_load_tls(t);
    if (err == 0)
        *reply = t->msg;
    return err;
}
