/*
 * block.h - system calls that wait, and timers (servers/posix/block.c)
 * (concepts: blocking and waking - sleep and wakeup on a channel -,
 * timeouts, calls answered later).
 *
 * The server serves every process from one loop, so a call that must wait
 * (a read of an empty pipe, wait4 with no child ended, nanosleep, a futex)
 * must not block the server.  Instead the call *blocks*: its handler calls
 * posix_block() and returns what that returns (POSIX_DEFERRED).  The
 * server keeps the caller's reply handle (SYS_REPLY_TAKE) and the call
 * with its arguments, and goes on serving.  When whatever the call waits
 * for - its *channel*, any pointer naming it (a pipe, a parent process, a
 * futex word) - may have changed, that code calls posix_wakeup(chan); when
 * the call's deadline passes it is woken too (posix_timed_out() is true
 * then).  A woken call runs again from the start, with the same arguments
 * (block_retry(), after each message): it finishes, and its answer goes
 * through the kept reply handle, or it blocks again.  Running the whole
 * call again, like xv6's sleep in a loop that tests its condition, keeps
 * one code path for the first try and the later ones; what a call must
 * carry from one run to the next (the bytes a pipe write has moved) is in
 * its task's `done`.
 */
#ifndef POSIX_BLOCK_H
#define POSIX_BLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include "task.h"

/* The current call of p (task_current()) waits for chan until deadline_ns (mica_clock_ns()
 * time, 0: no limit): POSIX_DEFERRED, which the handler returns, or -ENOMEM. */
int64_t posix_block(struct process *p, const void *chan, uint64_t deadline_ns);

/* Every call waiting for chan runs again (after the current message), and so does every call
 * waiting for BLOCK_ANY. */
void posix_wakeup(const void *chan);

/* The channel of calls that wait for any change at all (poll, select): every wakeup wakes it. */
extern const char block_any;
#define BLOCK_ANY ((const void *)&block_any)

/* The call that has waited longest for chan (and is not woken yet) among those match(t, arg)
 * accepts (match NULL: all), or NULL - to wake waiters one by one (futexes, FIFO opens). */
struct task *block_first_waiter(const void *chan, bool (*match)(const struct task *t, uint64_t arg),
                                uint64_t arg);

/* In a call's run: it runs because its deadline passed. */
bool posix_timed_out(struct process *p);

/* The waiting call of t ends now with the result value (an interruption: -EINTR). */
void block_interrupt(struct task *t, int64_t value);

/* The waiting call of t ends now with this answer (kind MICA_SYSCALL_RETURN with value, or
 * MICA_SYSCALL_REGS after its registers were written: a signal's delivery). */
void block_answer(struct task *t, uint64_t kind, int64_t value);

/* t is going: its waiting call, if any, is dropped (the reply handle closed unanswered). */
void block_cancel(struct task *t);

/* Run the woken calls again, until none is woken (the serve loop, after each message). */
void block_retry(void);

/* The earliest deadline of a waiting call or a timer (mica_clock_ns() time), 0 if none. */
uint64_t block_next_deadline(void);

/* The time is now: calls past their deadline are woken, timers due run. */
void block_expire(uint64_t now);

/* A one-shot timer: fn(arg) runs from the serve loop once the deadline has passed. */
struct timer {
    uint64_t deadline;
    void (*fn)(void *arg);
    void *arg;
    bool armed;
    struct timer *next; /* the armed timers' list */
};

/* Arm tm (again: its earlier deadline is forgotten). */
void timer_set(struct timer *tm, uint64_t deadline_ns, void (*fn)(void *arg), void *arg);

/* Disarm tm (nothing if it is not armed). */
void timer_cancel(struct timer *tm);

#endif
