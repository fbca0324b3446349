/*
 * user_fault.c - exceptions raised by user programs (concepts: TRAP, page
 * faults, fault isolation).
 *
 * A page fault in user mode is first offered to the thread's address space,
 * which maps the page if the access is allowed (demand paging).  Anything
 * else - an access to memory the program may not touch, a privileged
 * instruction, a division by zero - ends the thread with a report on the
 * console - unless the thread has a fault handler: then the fault goes to
 * that endpoint as a call message (see MICA_MSG_FAULT), and the handler
 * decides whether the thread resumes or ends.  The kernel never goes down
 * because of a user program.
 */
#include <mica/aspace.h>
#include <mica/bkl.h>
#include <mica/ipc.h>
#include <abi/mica/syscall.h>
#include <mica/log.h>
#include <mica/thread.h>
#include <mica/trace.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define PF_WRITE (1u << 1)
#define PF_FETCH (1u << 4)

/*
 * Tell the fault handler, as a call on its endpoint, and wait for its answer
 * (handler_call.c).  True if it says to resume; false if it says to kill, or is gone.
 */
static bool send_to_fault_handler(struct thread *t, const struct trap_frame *f, uint64_t cr2)
{
    struct ipc_msg m, reply;
    m.tag = (uint64_t)MICA_MSG_FAULT << MICA_TAG_LABEL_SHIFT;
    m.w[0] = f->vector;
    m.w[1] = f->error;
    m.w[2] = f->vector == 14 ? cr2 : 0;
    m.w[3] = f->rip;
    m.badge = t->fault_badge;
    int err = thread_call_handler(t->fault_ep, &m, &reply);
    return err == 0 && reply.w[0] == MICA_FAULT_RESUME;
}

void user_exception(struct trap_frame *f)
{
    uint64_t cr2 = read_cr2();
    trace(MICA_EV_FAULT, f->vector, f->vector == 14 ? cr2 : 0);
    irq_enable();
    bkl_lock();
    struct thread *t = thread_current();
    if (t->kill_requested)
        thread_exit(); /* killed while it waited for the lock: no fault message any more */
    if (f->vector == 14 &&
        aspace_fault(t->aspace, cr2, (f->error & PF_WRITE) != 0, (f->error & PF_FETCH) != 0) == 0) {
        bkl_unlock();
        irq_disable();
        return;
    }
    if (t->fault_ep && send_to_fault_handler(t, f, cr2)) {
        bkl_unlock();
        irq_disable();
        return; /* the handler fixed the cause: retry the instruction */
    }
    pr_warn("thread %lu: %s (vector %lu, error %#lx) at rip %#lx, address %#lx: thread ended\n",
            t->id, mica_vector_name(f->vector), f->vector, f->error, f->rip,
            f->vector == 14 ? cr2 : 0);
    thread_exit();
}
