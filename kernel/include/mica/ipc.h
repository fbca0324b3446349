/*
 * ipc.h - synchronous message passing through endpoints, and notifications
 * (concepts: messages, send/receive, rendezvous, RPC, asynchronous events).
 */
#ifndef MICA_IPC_H
#define MICA_IPC_H

#include <stdint.h>
#include <mica/object.h>
#include <mica/spinlock.h>
#include <mica/thread.h>

struct endpoint {
    struct object obj;
    struct thread *senders, *senders_tail;     /* blocked in send or call, in arrival order */
    struct thread *receivers, *receivers_tail; /* blocked in receive */
};

struct notification {
    struct object obj;
    struct spinlock lock; /* signalled from interrupt handlers too */
    uint64_t bits;
    struct thread *waiter;  /* blocked in notification_wait */
    struct thread *bound;   /* the thread it is bound to, if any */
    struct thread *watcher; /* the bound thread, while it waits to receive */
};

struct endpoint *endpoint_create(void);
int ipc_send(struct endpoint *ep, const struct ipc_msg *m, bool call);
/* Take t out of ep's queue of senders; false if it is not in it. */
bool ipc_remove_sender(struct endpoint *ep, struct thread *t);
int ipc_recv(struct endpoint *ep, struct ipc_msg *out, uint64_t *badge, uint64_t timeout_ns);
int ipc_reply(const struct ipc_msg *m);
int ipc_reply_recv(struct endpoint *ep, const struct ipc_msg *m, struct ipc_msg *out,
                   uint64_t *badge);
void ipc_thread_exiting(struct thread *t);
/* An endpoint's queues of waiting threads, in arrival order (ipc.c). */
void ipc_queue_push(struct thread **head, struct thread **tail, struct thread *t);
struct thread *ipc_queue_pop(struct thread **head, struct thread **tail);

/*
 * The IPC fast path (ipc_fast.c): SYS_CALL and SYS_REPLY_RECV with short
 * messages between threads of one CPU.  Called with interrupts off, before
 * the general system-call path; true if it did the call (the results are in
 * *r), false if the general path must do it (nothing has changed then).
 * The architecture saves a system call's registers in this order, so the
 * fast path reads and writes them in place (x86-64: struct trap_frame).
 */
struct ipc_regs {
    uint64_t nr;     /* in: the call number; out: the result */
    uint64_t handle; /* in: the endpoint; out: the badge */
    uint64_t tag;
    uint64_t w[4];
};
bool ipc_fast_call(struct thread *self, struct ipc_regs *r);
bool ipc_fast_reply_recv(struct thread *self, struct ipc_regs *r);

/* The long part of a message (ipc_transfer.c): 0, or an error and nothing moved. */
int ipc_transfer(struct thread *from, struct thread *to, uint64_t tag);
int ipc_transfer_check(struct thread *from, uint64_t tag);
int ipc_set_buffer(struct thread *t, uint64_t va);

/* A pending caller's answer as an object that can be passed on (one use). */
struct reply {
    struct object obj;
    struct thread *caller; /* holds a reference until used */
};
int reply_take(struct reply **out);
int reply_send(struct reply *r, const struct ipc_msg *m);

struct notification *notification_create(void);
void notification_signal(struct notification *n, uint64_t bits);
int notification_wait(struct notification *n, uint64_t *bits, uint64_t timeout_ns);
int notification_bind(struct notification *n, struct thread *t);
/* For a bound thread's receive: take pending bits as a MICA_MSG_NOTIFY message. */
bool notification_take(struct notification *n, struct ipc_msg *m);
void notification_watch(struct notification *n, struct thread *t);
void notification_unwatch(struct notification *n, struct thread *t);
uint64_t notification_poll(struct notification *n);

#endif
