/*
 * sched.c - the scheduling mechanism (concepts: context switch, dispatcher,
 * preemption, per-CPU run queues).
 *
 * Every CPU has a run queue of ready threads and an idle thread that runs
 * when the queue is empty.  schedule() puts the current thread back if it is
 * still runnable, asks the class for the next one, and switches to it.  The
 * kernel itself is not preemptible: a thread in kernel mode gives the CPU up
 * only where it blocks or yields; timer ticks and wake-ups set need_resched,
 * which is honoured on the way back to user mode and in the idle loop.
 *
 * A thread is switched in on a CPU only after it has finished switching out
 * elsewhere (on_cpu), so no two CPUs ever run on one kernel stack.
 */
#include <stdatomic.h>
#include <mica/console_handover.h>
#include <mica/kmalloc.h>
#include <mica/panic.h>
#include <mica/sched.h>
#include <mica/thread.h>
#include <mica/timer.h>
#include <mica/trace.h>
#include <arch/arch.h>
#include <arch/percpu.h>

static struct runqueue *runqueues[MAX_CPUS];

static struct runqueue *rq_of(unsigned cpu)
{
    return runqueues[cpu];
}

/* Every queue change goes through these two, which keep t->queued_on true to the queues. */
static void rq_add(struct runqueue *rq, struct thread *t)
{
    if (t->queued_on)
        panic("sched: thread %lu queued twice (on cpu %u and cpu %u)", t->id, t->queued_on->cpu,
              rq->cpu);
    if (t->state == THREAD_DEAD)
        panic("sched: dead thread %lu queued on cpu %u", t->id, rq->cpu);
    t->queued_on = rq;
    t->sched_class->enqueue(rq, t);
    rq->nr_ready++;
}

static void rq_remove(struct runqueue *rq, struct thread *t)
{
    if (t->queued_on != rq)
        panic("sched: thread %lu taken from cpu %u's queue, but it is not in it", t->id, rq->cpu);
    t->queued_on = 0;
    t->sched_class->dequeue(rq, t);
    rq->nr_ready--;
}

void sched_init_cpu(unsigned cpu)
{
    struct runqueue *rq = kzalloc(sizeof *rq);
    if (!rq)
        panic("sched: out of memory for the run queue of cpu %u", cpu);
    spin_init(&rq->lock, "runqueue");
    rq->cpu = cpu;
    runqueues[cpu] = rq;
    struct percpu *p = this_cpu();
    p->rq = rq;
    p->idle = thread_create_idle(cpu);
    p->current = p->idle;
}

unsigned sched_pick_cpu(void)
{
    unsigned best = arch_cpu_id(), best_load = ~0u;
    for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++) {
        struct runqueue *rq = runqueues[cpu];
        if (!rq || atomic_load(&cpu_table[cpu]->state) != CPU_ONLINE)
            continue;
        unsigned load = rq->nr_ready + (cpu_table[cpu]->current != cpu_table[cpu]->idle);
        if (load < best_load) {
            best = cpu;
            best_load = load;
        }
    }
    return best;
}

static void kick_cpu(unsigned cpu)
{
    if (cpu == arch_cpu_id())
        return;
    arch_send_reschedule(cpu);
}

/*
 * Lock the run queue of t's CPU.  A thread changes CPU only while both
 * queues are locked (steal_from), so once t->cpu names the locked queue, it
 * stays so until the lock is dropped.
 */
static struct runqueue *lock_rq_of(struct thread *t, uint64_t *flags)
{
    for (;;) {
        struct runqueue *rq = rq_of(t->cpu);
        *flags = spin_lock_irqsave(&rq->lock);
        if (rq->cpu == t->cpu)
            return rq;
        spin_unlock_irqrestore(&rq->lock, *flags);
    }
}

void sched_make_ready(struct thread *t)
{
    uint64_t flags;
    struct runqueue *rq = lock_rq_of(t, &flags);
    if (t->state != THREAD_BLOCKED && t->state != THREAD_NEW) {
        spin_unlock_irqrestore(&rq->lock, flags); /* someone else woke it first */
        return;
    }
    t->state = THREAD_READY;
    t->ready_since = arch_timestamp();
    rq_add(rq, t);
    struct thread *curr = cpu_table[t->cpu]->current;
    bool preempt = curr == cpu_table[t->cpu]->idle || t->sched_class->preempts(rq, curr, t);
    if (preempt)
        rq->need_resched = true;
    spin_unlock_irqrestore(&rq->lock, flags);
    if (preempt)
        kick_cpu(t->cpu);
}

bool sched_need_resched(void)
{
    return this_cpu()->rq->need_resched;
}

void sched_tick(void)
{
    struct percpu *p = this_cpu();
    struct runqueue *rq = p->rq;
    if (!rq)
        return;
    timeout_tick(p->id);
    if (p->id == 0) {
        timer_tick();
        handover_tick();
    }
    spin_lock(&rq->lock);
    struct thread *curr = p->current;
    if (curr == p->idle) {
        if (rq->nr_ready)
            rq->need_resched = true;
    } else if (curr->sched_class->tick(rq, curr) && rq->nr_ready) {
        rq->need_resched = true;
    }
    spin_unlock(&rq->lock);
}

static struct thread *pick_next_locked(struct runqueue *rq, struct percpu *p)
{
    struct thread *prev = p->current;
    uint64_t now = arch_timestamp();
    if (prev != p->idle && prev->state == THREAD_RUNNING) {
        prev->state = THREAD_READY;
        prev->ready_since = now;
        rq_add(rq, prev);
    }
    struct thread *next = sched_fixed_class.pick_next(rq);
    if (next) {
        if (next->queued_on != rq || next->state == THREAD_DEAD)
            panic("sched: cpu %u picked thread %lu (state %d), which it had not queued", rq->cpu,
                  next->id, next->state);
        next->queued_on = 0;
        rq->nr_ready--;
        if (now > next->ready_since) /* queued by another CPU, whose counter may be ahead */
            next->ready_tsc += now - next->ready_since;
    } else {
        next = p->idle;
    }
    next->state = THREAD_RUNNING;
    rq->need_resched = false;
    return next;
}

/*
 * The end of every switch: wait until `next` has finished switching out of
 * any other CPU, account the CPU time, and switch stacks.  Returns when
 * `prev` runs again.
 */
static void switch_to(struct percpu *p, struct thread *prev, struct thread *next)
{
    while (atomic_exchange_explicit(&next->on_cpu, 1, memory_order_acquire))
        arch_cpu_relax();
    uint64_t now = arch_timestamp();
    prev->run_tsc += now - prev->ran_since;
    next->ran_since = now;
    next->switches++;
    p->switched_from = prev;
    trace(MICA_EV_SWITCH, prev->id, next->id);
    arch_switch_to(prev, next);
    finish_switch();
}

void schedule(void)
{
    uint64_t flags = arch_irq_save();
    struct percpu *p = this_cpu();
    struct runqueue *rq = p->rq;
    spin_lock(&rq->lock);
    struct thread *prev = p->current;
    struct thread *next = pick_next_locked(rq, p);
    if (next == prev) {
        spin_unlock(&rq->lock);
        arch_irq_restore(flags);
        return;
    }
    rq->switches++;
    p->current = next;
    spin_unlock(&rq->lock);
    switch_to(p, prev, next);
    arch_irq_restore(flags);
}

/*
 * The IPC fast path: the current thread has just blocked (its state says so)
 * and hands this CPU straight to `next`, a blocked thread of this CPU that
 * its message has made runnable.  No run queue is touched: this is the
 * direct switch of L4 and seL4.  Returns when the current thread runs again.
 */
void sched_switch_to_blocked(struct thread *next)
{
    uint64_t flags = arch_irq_save();
    struct percpu *p = this_cpu();
    struct runqueue *rq = p->rq;
    struct thread *prev = p->current;
    spin_lock(&rq->lock);
    if (next->queued_on)
        panic("sched: direct switch to thread %lu, which waits in a run queue", next->id);
    next->state = THREAD_RUNNING;
    rq->switches++;
    p->current = next;
    spin_unlock(&rq->lock);
    switch_to(p, prev, next);
    arch_irq_restore(flags);
}

/*
 * The IPC fast path's switch (ipc_fast.c): the same direct switch, with
 * interrupts already off and without the run-queue lock.  The queue itself
 * is not touched; the caller has set both threads' states under the big
 * kernel lock, and no other waker can reach `next` (the caller holds its
 * claim or its reply).  What remains - this CPU's current thread and switch
 * count - only this CPU writes, and other CPUs read `current` only as a hint
 * (preemption, load) or, for TLB shoot-downs, as described in thread_arch.c.
 */
void sched_switch_direct(struct thread *next)
{
    struct percpu *p = this_cpu();
    struct thread *prev = p->current;
    p->current = next;
    p->rq->switches++;
    switch_to(p, prev, next);
}

/* May `to` take over this CPU directly from the current thread? */
bool sched_can_switch_directly(struct thread *to)
{
    return thread_may_hand_cpu(this_cpu()->current, to);
}

/* After a switch, on the new stack: let go of the previous thread. */
void finish_switch(void)
{
    struct percpu *p = this_cpu();
    struct thread *prev = p->switched_from;
    p->switched_from = 0;
    if (!prev)
        return;
    bool dead = prev->state == THREAD_DEAD;
    /* Release: everything done on prev's stack is visible before another CPU may run it. */
    atomic_store_explicit(&prev->on_cpu, 0, memory_order_release);
    if (dead)
        object_put(&prev->obj); /* the reference the running thread held on itself */
}

void sched_yield(void)
{
    struct percpu *p = this_cpu();
    struct runqueue *rq = p->rq;
    uint64_t flags = spin_lock_irqsave(&rq->lock);
    p->current->sched_class->yield(rq, p->current);
    spin_unlock_irqrestore(&rq->lock, flags);
    schedule();
}

/*
 * Load balancing: an idle CPU takes a ready thread from the busiest other
 * run queue, if that queue has a thread waiting while another runs.  Both
 * queues are locked in CPU order, so two balancing CPUs cannot deadlock.
 *
 * A thread still on its CPU (on_cpu) stays: it was woken while it was on
 * its way to block, and its own CPU is still inside schedule() for it.
 * Moving it would let two CPUs each believe the thread is theirs.
 */
static bool steal_from(struct runqueue *here, struct runqueue *there)
{
    struct runqueue *first = here->cpu < there->cpu ? here : there;
    struct runqueue *second = first == here ? there : here;
    spin_lock(&first->lock);
    spin_lock(&second->lock);
    struct thread *t = 0;
    if (there->nr_ready >= 1 && cpu_table[there->cpu]->current != cpu_table[there->cpu]->idle) {
        for (unsigned p = SCHED_PRIORITIES; p-- > 0 && !t;)
            for (struct thread *it = there->fixed.head[p]; it && !t; it = it->rq_next)
                if (!it->pinned && !atomic_load(&it->on_cpu))
                    t = it;
    }
    if (t) {
        rq_remove(there, t);
        t->cpu = here->cpu;
        rq_add(here, t);
        here->need_resched = true;
    }
    spin_unlock(&second->lock);
    spin_unlock(&first->lock);
    return t != 0;
}

void sched_balance(void)
{
    struct runqueue *here = this_cpu()->rq;
    if (here->nr_ready)
        return;
    struct runqueue *busiest = 0;
    for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++) {
        struct runqueue *rq = runqueues[cpu];
        if (rq && rq != here && (!busiest || rq->nr_ready > busiest->nr_ready))
            busiest = rq;
    }
    if (busiest && busiest->nr_ready && steal_from(here, busiest))
        here->migrations++;
}

_Noreturn void sched_idle_loop(void)
{
    for (;;) {
        arch_irq_disable();
        if (this_cpu()->rq->need_resched || this_cpu()->rq->nr_ready) {
            schedule();
            arch_irq_enable();
            continue;
        }
        arch_idle_work();
        sched_balance();
        if (this_cpu()->rq->need_resched)
            continue;
        arch_halt_until_interrupt();
    }
}
