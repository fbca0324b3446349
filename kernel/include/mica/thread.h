/*
 * thread.h - threads, the unit the kernel schedules (concepts: threads,
 * thread control block, the 5-state model).
 */
#ifndef MICA_THREAD_H
#define MICA_THREAD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdatomic.h>
#include <mica/object.h>
#include <mica/sched.h>

enum thread_state {
    THREAD_NEW,     /* created, not yet started */
    THREAD_READY,   /* waiting for a CPU */
    THREAD_RUNNING, /* on a CPU */
    THREAD_BLOCKED, /* waiting for an event (IPC, notification, sleep) */
    THREAD_DEAD,    /* exited; freed when the last reference goes */
};

struct aspace;
struct endpoint;
struct notification;

/* The short message that travels in registers. */
struct ipc_msg {
    uint64_t tag;
    uint64_t w[4];
};

struct thread {
    struct object obj;
    enum thread_state state;
    struct aspace *aspace;
    uint64_t kstack_top; /* the user trap frame sits just below */
    uint64_t saved_rsp;  /* kernel stack pointer while switched out */
    _Atomic int on_cpu;  /* still running its switch-out on some CPU */
    uint64_t fs_base;
    unsigned cpu; /* the CPU whose run queue it uses */
    /* Scheduling. */
    const struct sched_class *sched_class;
    unsigned priority;
    unsigned slice_left;
    struct thread *rq_next;
    /* IPC and waiting. */
    struct thread *wait_next;    /* in an endpoint's queue of senders or receivers */
    struct endpoint *waiting_on; /* the endpoint it is queued on, if any */
    struct ipc_msg msg;          /* message being sent, or received */
    uint64_t badge;
    struct thread *reply_to; /* the caller this thread must answer (one-shot reply) */
    bool in_call;            /* blocked in a call, waiting for the reply */
    int wait_result;         /* what the wait ended with */
    uint64_t wake_tsc;       /* sleeping until (0: not sleeping) */
    /* Accounting. */
    uint64_t run_ns, switches, ran_since;
    uint64_t id;
};

struct thread *thread_create(struct aspace *as, uint64_t entry, uint64_t stack, uint64_t arg);
struct thread *thread_create_idle(unsigned cpu);
int thread_start(struct thread *t);
_Noreturn void thread_exit(void);
struct thread *thread_current(void);

/* Block the current thread (state already set by the caller, under the kernel lock). */
void thread_block(void);
void thread_wake(struct thread *t, int result);

/* The architecture's part: lay out the first user frame and the first switch. */
void arch_thread_init(struct thread *t, uint64_t entry, uint64_t stack, uint64_t arg);
void arch_switch_to(struct thread *prev, struct thread *next);
struct trap_frame *arch_thread_frame(struct thread *t);

#endif
