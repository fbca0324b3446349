/*
 * user_fault.c - exceptions raised by user programs (concepts: TRAP, page
 * faults, fault isolation).
 *
 * A page fault in user mode is first offered to the thread's address space,
 * which maps the page if the access is allowed (demand paging).  Anything
 * else - an access to memory the program may not touch, a privileged
 * instruction, a division by zero - ends the thread with a report on the
 * console.  The kernel never goes down because of a user program.
 * (Delivering such faults as messages to a fault handler comes next.)
 */
#include <mica/aspace.h>
#include <mica/bkl.h>
#include <mica/log.h>
#include <mica/thread.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define PF_WRITE (1u << 1)
#define PF_FETCH (1u << 4)

static const char *fault_name(uint64_t vector)
{
    switch (vector) {
    case 0:
        return "divide error";
    case 3:
        return "breakpoint";
    case 6:
        return "invalid opcode";
    case 13:
        return "general protection fault";
    case 14:
        return "page fault";
    default:
        return "exception";
    }
}

void user_exception(struct trap_frame *f)
{
    uint64_t cr2 = read_cr2();
    irq_enable();
    bkl_lock();
    struct thread *t = thread_current();
    if (f->vector == 14 &&
        aspace_fault(t->aspace, cr2, (f->error & PF_WRITE) != 0, (f->error & PF_FETCH) != 0) == 0) {
        bkl_unlock();
        irq_disable();
        return;
    }
    pr_warn("thread %lu: %s (vector %lu, error %#lx) at rip %#lx, address %#lx: thread ended\n",
            t->id, fault_name(f->vector), f->vector, f->error, f->rip, f->vector == 14 ? cr2 : 0);
    thread_exit();
}
