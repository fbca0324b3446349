/*
 * syscall_forward.c - system calls of another operating system's ABI,
 * forwarded to a server in user space (concepts: the system-call interface,
 * personalities, operating-system servers on a microkernel).
 *
 * A Linux program executes `syscall` with a Linux call number in rax.  Mica
 * does not know Linux's calls, and should not: a thread with a system-call
 * handler (SYS_THREAD_SET_SYSCALL_HANDLER) has every `syscall` sent to that
 * handler's endpoint instead, as a MICA_MSG_SYSCALL call carrying rax, rdi,
 * rsi and rdx (the other registers it reads itself, as for a fault).  The
 * server - the posix server for Linux programs - does the work and replies
 * with the result, or with registers it rewrote (execve, signals).  The
 * kernel only moves the registers: the semantics live in one place, the
 * server.  The mechanism is the fault handler's (handler_call.c).
 *
 * The native path pays one test of a per-thread field for this
 * (syscall_dispatch() in syscall_arch.c).
 */
#include <mica/bkl.h>
#include <mica/ipc.h>
#include <mica/log.h>
#include <mica/thread.h>
#include <abi/mica/syscall.h>
#include <arch/trap.h>

/* The call as the handler receives it: the number and the first three arguments. */
static void syscall_message(const struct thread *t, const struct trap_frame *f, struct ipc_msg *m)
{
    m->tag = (uint64_t)MICA_MSG_SYSCALL << MICA_TAG_LABEL_SHIFT;
    m->w[0] = f->rax;
    m->w[1] = f->rdi;
    m->w[2] = f->rsi;
    m->w[3] = f->rdx;
    m->badge = t->syscall_badge;
}

/*
 * Carry out the handler's answer on the trap frame; false if the thread must end.
 * A return leaves rcx and r11 as the SYSCALL instruction itself does (return
 * address and flags), whichever way the thread goes back to user mode.
 */
static bool apply_reply(struct thread *t, struct trap_frame *f, const struct ipc_msg *reply,
                        bool *exact)
{
    switch (reply->w[0]) {
    case MICA_SYSCALL_RETURN:
        f->rax = reply->w[1];
        f->rcx = f->rip;
        f->r11 = f->rflags;
        return true;
    case MICA_SYSCALL_REGS:
        *exact = true;
        return true;
    case MICA_FAULT_KILL:
        return false;
    default:
        pr_warn("thread %lu: unknown answer %#lx to system call %lu: thread ended\n", t->id,
                reply->w[0], f->rax);
        return false;
    }
}

enum forward_result syscall_forward(struct trap_frame *f)
{
    bkl_lock();
    struct thread *t = thread_current();
    if (t->kill_requested)
        thread_exit(); /* killed while it waited for the lock */
    if (!t->syscall_ep) {
        bkl_unlock(); /* the handler was removed since the entry looked: a native call */
        return FORWARD_NONE;
    }
    struct ipc_msg m, reply;
    syscall_message(t, f, &m);
    int err = thread_call_handler(t->syscall_ep, &m, &reply);
    if (err < 0) {
        if (!t->kill_requested)
            pr_warn("thread %lu: its system-call handler is gone (error %d): thread ended\n", t->id,
                    err);
        thread_exit();
    }
    bool exact = false;
    if (!apply_reply(t, f, &reply, &exact))
        thread_exit();
    bkl_unlock();
    return exact ? FORWARD_EXACT : FORWARD_DONE;
}
