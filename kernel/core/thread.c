/*
 * thread.c - creating, starting, blocking, waking and ending threads
 * (concepts: threads, thread control block, state transitions).
 *
 * A thread is born NEW with a kernel stack whose top holds its user-mode
 * register frame.  thread_start() makes it READY; the scheduler makes it
 * RUNNING; it becomes BLOCKED while it waits (IPC, notification, suspension) and
 * READY again when woken; thread_exit() makes it DEAD.  The thread object is
 * freed when the last reference to it goes: handles, and the reference the
 * kernel holds while the thread has been started and not yet exited.
 */
#include <stdatomic.h>
#include <mica/aspace.h>
#include <mica/bkl.h>
#include <mica/errno.h>
#include <mica/ipc.h>
#include <mica/kmalloc.h>
#include <mica/log.h>
#include <mica/panic.h>
#include <mica/roottask.h>
#include <mica/sched.h>
#include <mica/string.h>
#include <mica/thread.h>
#include <mica/vmo.h>
#include <mica/ipc.h>
#include <arch/arch.h>
#include <arch/mmu.h>
#include <arch/percpu.h>

static _Atomic uint64_t next_thread_id = 1;

static void thread_destroy(struct object *o)
{
    struct thread *t = (struct thread *)o;
    if (t->aspace)
        object_put(&t->aspace->obj);
    if (t->fault_ep)
        object_put(&t->fault_ep->obj);
    if (t->syscall_ep)
        object_put(&t->syscall_ep->obj);
    if (t->ipc_buf_vmo)
        object_put(&t->ipc_buf_vmo->obj);
    if (t->bound) {
        t->bound->bound = 0;
        object_put(&t->bound->obj);
    }
    if (t->kstack_top)
        kstack_free(t->kstack_top);
    arch_thread_free(t);
    kfree(t);
}

static struct thread *thread_alloc(void)
{
    struct thread *t = kzalloc(sizeof *t);
    if (!t)
        return 0;
    object_init(&t->obj, OBJ_THREAD, thread_destroy);
    t->id = atomic_fetch_add(&next_thread_id, 1);
    t->sched_class = &sched_fixed_class;
    t->priority = SCHED_DEFAULT_PRIO;
    t->slice_left = SCHED_SLICE_TICKS;
    return t;
}

struct thread *thread_create(struct aspace *as, uint64_t entry, uint64_t stack, uint64_t arg)
{
    struct thread *t = thread_alloc();
    if (!t)
        return 0;
    t->kstack_top = kstack_alloc_try();
    if (!t->kstack_top) {
        object_put(&t->obj);
        return 0;
    }
    object_get(&as->obj);
    t->aspace = as;
    t->state = THREAD_NEW;
    t->cpu = sched_pick_cpu();
    if (arch_thread_init(t, entry, stack, arg) < 0) {
        object_put(&t->obj);
        return 0;
    }
    return t;
}

/* The idle thread of a CPU runs on that CPU's boot stack and is never queued. */
struct thread *thread_create_idle(unsigned cpu)
{
    struct thread *t = thread_alloc();
    if (!t)
        panic("thread: out of memory for the idle thread of cpu %u", cpu);
    t->state = THREAD_RUNNING;
    t->cpu = cpu;
    t->priority = 0;
    atomic_store(&t->on_cpu, 1);
    return t;
}

int thread_start(struct thread *t)
{
    if (t->state != THREAD_NEW)
        return -EBUSY;
    if (t->kill_requested)
        return -EPIPE;
    if (t->aspace) {
        int err = aspace_thread_started(t->aspace, t);
        if (err < 0)
            return err;
    }
    object_get(&t->obj); /* held while it lives; dropped after its last switch-out */
    t->start_tsc = arch_timestamp();
    sched_make_ready(t);
    return 0;
}

struct thread *thread_current(void)
{
    return this_cpu()->current;
}

/* Called with the kernel lock held; the caller has set the state to BLOCKED. */
void thread_block(void)
{
    bkl_unlock();
    schedule();
    bkl_lock();
}

/* Make a blocked thread ready; safe from any context (the run-queue lock decides). */
void thread_wake(struct thread *t, int result)
{
    if (t->state != THREAD_BLOCKED)
        return;
    t->wait_result = result;
    sched_make_ready(t);
}

/*
 * Block the current thread, whose state the caller set to BLOCKED after
 * thread_wait_begin(), for at most timeout_ns (TIMEOUT_FOREVER: no limit).
 */
int thread_block_until(uint64_t timeout_ns)
{
    struct thread *self = thread_current();
    if (timeout_ns != TIMEOUT_FOREVER)
        timeout_arm(self, arch_ns_since_boot() + timeout_ns);
    thread_block();
    timeout_cancel(self);
    return self->wait_result;
}

void thread_suspend(struct thread *t)
{
    if (t->state == THREAD_DEAD || t->suspend_requested)
        return;
    t->suspend_requested = true;
    if (t->state == THREAD_RUNNING && t != thread_current())
        arch_send_reschedule(t->cpu); /* interrupt it so that it notices */
}

void thread_resume(struct thread *t)
{
    t->suspend_requested = false;
    if (t->suspended) {
        t->suspended = false;
        thread_wake(t, 0);
    }
}

bool thread_regs_accessible(const struct thread *t)
{
    return t->state == THREAD_NEW || t->suspended || t->in_fault;
}

void thread_return_to_user(void)
{
    struct thread *t = thread_current();
    for (;;) {
        while (sched_need_resched())
            schedule();
        if (t->kill_requested) {
            bkl_lock();
            thread_exit();
        }
        if (!t->suspend_requested)
            return;
        bkl_lock();
        if (t->suspend_requested) {
            t->suspended = true;
            t->state = THREAD_BLOCKED;
            thread_block();
        }
        bkl_unlock();
    }
}

_Noreturn void thread_exit(void)
{
    struct thread *t = thread_current();
    if (t == roottask_main_thread())
        panic("roottask: the root task's first thread ended; nothing can go on without it");
    ipc_thread_exiting(t);
    if (t->queued_on)
        panic("thread %lu exits while it waits in a run queue", t->id);
    t->exit_tsc = arch_timestamp();
    t->state = THREAD_DEAD;
    if (t->aspace)
        aspace_thread_ended(t->aspace, t);
    bkl_unlock();
    schedule();
    panic("thread: a dead thread was scheduled");
}
