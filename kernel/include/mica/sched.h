/*
 * sched.h - the scheduling mechanism: per-CPU run queues and scheduling
 * classes (concepts: scheduling, policy vs mechanism, multiprocessor scheduling).
 *
 * The mechanism (sched.c) decides *when* to switch: on blocking, yielding,
 * exiting, or when a timer tick or a wake-up says the running thread should
 * give way.  A scheduling class decides *which* thread runs next.  Each class
 * implements the same small interface; later classes (EDF, RMS, FCFS, SRTN,
 * MLFQ, fair share) plug in beside the first one, fixed priorities with
 * round-robin time slices (sched_fixed.c).
 */
#ifndef MICA_SCHED_H
#define MICA_SCHED_H

#include <stdbool.h>
#include <stdint.h>
#include <mica/spinlock.h>

#define SCHED_PRIORITIES   64 /* 0 = lowest, 63 = highest */
#define SCHED_DEFAULT_PRIO 32
#define SCHED_SLICE_TICKS  2 /* round-robin time slice, in timer ticks */

struct thread;
struct runqueue;

struct sched_class {
    const char *name;
    void (*enqueue)(struct runqueue *rq, struct thread *t);
    void (*dequeue)(struct runqueue *rq, struct thread *t);
    struct thread *(*pick_next)(struct runqueue *rq);       /* removes it from the queue */
    bool (*tick)(struct runqueue *rq, struct thread *curr); /* true: curr should give way */
    void (*yield)(struct runqueue *rq, struct thread *curr);
    bool (*preempts)(struct runqueue *rq, struct thread *curr, struct thread *woken);
};

/* Per-class run-queue state of the fixed-priority class. */
struct fixed_rq {
    uint64_t nonempty; /* bit p set: queue p has threads */
    struct thread *head[SCHED_PRIORITIES], *tail[SCHED_PRIORITIES];
};

struct runqueue {
    struct spinlock lock;
    unsigned cpu;
    unsigned nr_ready;
    bool need_resched;
    struct fixed_rq fixed;
    uint64_t switches;
    uint64_t migrations; /* threads this CPU took from others */
};

extern const struct sched_class sched_fixed_class;

void sched_init_cpu(unsigned cpu);       /* this CPU's run queue and idle thread */
void sched_make_ready(struct thread *t); /* enqueue t on its CPU, preempting if it should */
void schedule(void);                     /* run the best ready thread (maybe the current one) */
void sched_yield(void);
void sched_balance(void); /* an idle CPU takes work from a busy one */
void sched_tick(void);    /* from the timer interrupt */
bool sched_need_resched(void);
unsigned sched_pick_cpu(void); /* where a new thread goes: the least loaded CPU */
_Noreturn void sched_idle_loop(void);
/* First thing after a context switch, on the new stack: let go of the previous thread. */
void finish_switch(void);
/* The IPC direct switch: block the current thread and run `next` at once. */
void sched_switch_to_blocked(struct thread *next);
bool sched_can_switch_directly(struct thread *to);
/* The same for the IPC fast path: interrupts off, states already set. */
void sched_switch_direct(struct thread *next);

#endif
