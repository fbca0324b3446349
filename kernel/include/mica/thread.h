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
    THREAD_BLOCKED, /* waiting: IPC, notification, sleep or timeout, suspension */
    THREAD_DEAD,    /* exited; freed when the last reference goes */
};

struct aspace;
struct endpoint;
struct notification;

/* The short message that travels in registers. */
struct ipc_msg {
    uint64_t tag;
    uint64_t w[4];
    uint64_t badge; /* of the sender's endpoint handle; 0 for replies and notifications */
};

struct thread {
    struct object obj;
    enum thread_state state;
    struct aspace *aspace;
    uint64_t kstack_top;       /* the user trap frame sits just below */
    uint64_t saved_rsp;        /* kernel stack pointer while switched out */
    _Atomic int on_cpu;        /* still running its switch-out on some CPU */
    uint64_t fs_base, gs_base; /* user TLS bases */
    bool suspend_requested;    /* stop before running user code again */
    bool suspended;            /* stopped: blocked until resumed */
    bool in_fault;             /* blocked while its fault or system-call handler looks at it */
    bool kill_requested;       /* end before running user code again (kill.c) */
    struct thread *as_next;    /* in its address space's list of live threads */
    struct endpoint *fault_ep; /* where unresolved faults are sent (holds a reference) */
    struct vmo *ipc_buf_vmo;   /* the VM object of its IPC buffer page, or NULL (a reference) */
    uint64_t ipc_buf_index;    /* which page of it */
    void *fpu;                 /* saved x87/SSE/AVX registers (user threads) */
    bool fpu_used;             /* it has used them: they are switched with it (fpu.c) */
    unsigned cpu;              /* the CPU whose run queue it uses */
    bool pinned;               /* placed on its CPU on purpose: never migrated */
    /* Scheduling. */
    const struct sched_class *sched_class;
    unsigned priority;
    unsigned slice_left;
    struct thread *rq_next;
    struct runqueue *queued_on; /* the run queue it waits in, or NULL (sched.c) */
    /* IPC and waiting. */
    struct thread *wait_next;    /* in an endpoint's queue of senders or receivers */
    struct endpoint *waiting_on; /* the endpoint it is queued on, if any */
    struct ipc_msg msg;          /* message being sent, or received */
    uint64_t fault_badge;        /* badge of the handle that named fault_ep */
    struct endpoint *syscall_ep; /* its `syscall`s go there (a reference); NULL: native */
    uint64_t syscall_badge;      /* badge of the handle that named syscall_ep */
    struct thread *reply_to;     /* the caller this thread must answer (one-shot reply) */
    bool in_call;                /* blocked in a call, waiting for the reply */
    bool call_wait;              /* in a call's wait until the caller itself runs on: its waker
                                    is the server's answer or end, never a claim (kill.c) */
    int wait_result;             /* what the wait ended with */
    _Atomic uint64_t claim;      /* (number of the current wait << 1) | 1 once a waker took it */
    uint64_t deadline_ns;        /* when a timed wait ends */
    bool timer_armed;
    unsigned timer_cpu;         /* whose list it is in (it may migrate meanwhile) */
    uint64_t timer_wait;        /* the number of the wait its timer belongs to */
    struct thread *timer_next;  /* in its CPU's list of timed waits */
    struct notification *bound; /* delivered to it while it waits to receive (holds a reference) */
    /* Accounting (thread_info.c), in TSC ticks. */
    uint64_t run_tsc, switches, ran_since; /* CPU time; switches to it; since when it runs */
    uint64_t ready_tsc, ready_since;       /* time in run queues; since when it is queued */
    uint64_t start_tsc, exit_tsc;          /* when it was started and when it ended (or 0) */
    uint64_t id;
};

/*
 * May `to`, blocked, take over the CPU directly from `self` (the IPC direct
 * switch)?  Only within one CPU's run queue and one scheduling class, and
 * never to a thread of lower priority, which would have to wait its turn.
 */
static inline bool thread_may_hand_cpu(const struct thread *self, const struct thread *to)
{
    return to->cpu == self->cpu && to->priority >= self->priority &&
           to->sched_class == self->sched_class;
}

struct thread *thread_create(struct aspace *as, uint64_t entry, uint64_t stack, uint64_t arg);
struct thread *thread_create_idle(unsigned cpu);
int thread_start(struct thread *t);
_Noreturn void thread_exit(void);
struct thread *thread_current(void);

/* Ask t to end (kill.c): at once if it waits where it may be woken, else on
 * its way back to user mode.  Kernel lock held. */
void thread_kill(struct thread *t);

/* Block the current thread (state already set by the caller, under the kernel lock). */
void thread_block(void);
void thread_wake(struct thread *t, int result);

/*
 * Waits that several wakers may end (receive, notification wait, sleep): the
 * waiter calls thread_wait_begin() before it becomes visible to wakers; a
 * waker that gets true from thread_claim() is the one that ends the wait.
 */
void thread_wait_begin(struct thread *t);
bool thread_claim(struct thread *t);
#define TIMEOUT_FOREVER UINT64_MAX
void timeout_arm(struct thread *t, uint64_t deadline_ns);
void timeout_cancel(struct thread *t);
void timeout_tick(unsigned cpu);
void timeout_init(void);
/* Block until the deadline, or until claimed; returns the wait's result. */
int thread_block_until(uint64_t timeout_ns);

/* Suspend and resume (kernel lock held); the stop happens on the way to user mode. */
void thread_suspend(struct thread *t);
void thread_resume(struct thread *t);
bool thread_regs_accessible(const struct thread *t);
/* The last kernel step before user mode: reschedule, stop if suspended (kernel lock not held). */
void thread_return_to_user(void);

/*
 * The current thread stops and calls its handler `ep` with m, on its own
 * behalf (a fault, a forwarded system call); meanwhile its registers are open
 * to SYS_THREAD_READ_REGS/WRITE_REGS.  0 and the handler's answer in *reply,
 * or an error: the handler is gone (-EPIPE), the thread was killed (-EINTR).
 * Kernel lock held (handler_call.c).
 */
int thread_call_handler(struct endpoint *ep, const struct ipc_msg *m, struct ipc_msg *reply);

struct mica_thread_info;
void thread_get_info(struct thread *t, struct mica_thread_info *out); /* kernel lock held */

struct mica_regs;
void arch_thread_get_regs(struct thread *t, struct mica_regs *r);
void arch_thread_set_regs(struct thread *t, const struct mica_regs *r);
/* A stopped thread's floating-point and vector registers: size MICA_FPU_AREA_SIZE gives the
 * x87/SSE part (FXSAVE layout), size arch_fpu_area_size() the whole XSAVE area (standard
 * format); set: 0 or -EINVAL (an MXCSR or XSAVE header XRSTOR would fault on). */
void arch_thread_get_fpu(struct thread *t, uint8_t *area, uint32_t size);
int arch_thread_set_fpu(struct thread *t, const uint8_t *area, uint32_t size);
uint32_t arch_fpu_area_size(void); /* the whole area's size, at most MICA_FPU_XSTATE_MAX */
uint64_t arch_fpu_features(void);  /* the state components it holds (XCR0's bits) */
/* The current thread's FS/GS bases into the CPU. */
void arch_thread_load_tls(struct thread *t);
/* After the current process's I/O ports changed: load its bitmap into this CPU's TSS. */
void arch_io_bitmap_reload(void);

/* The architecture's part: lay out the first user frame and the first switch. */
int arch_thread_init(struct thread *t, uint64_t entry, uint64_t stack, uint64_t arg);
void arch_thread_free(struct thread *t);
void arch_switch_to(struct thread *prev, struct thread *next);
struct trap_frame *arch_thread_frame(struct thread *t);

#endif
