/*
 * block.c - system calls that wait, and timers (concepts: blocking and
 * waking on a channel, timeouts, calls answered later).  See block.h.
 */
#include "block.h"
#include "posix.h"

static bool any_ready;       /* some task is woken: block_retry has work */
static uint64_t waits;       /* waits begun: each waiting call's `since` */
static unsigned waiting;     /* calls waiting now (with a taken reply): the walks skip if none */
static struct timer *timers; /* the armed timers, in no order */

int64_t posix_block(struct process *p, const void *chan, uint64_t deadline_ns)
{
    struct task *t = task_current();
    if (!t || t->proc != p)
        return -LINUX_EINVAL; /* a server bug: only the current call can wait */
    if (!t->reply) {          /* the first time: the answer is given later */
        int64_t reply = mica_reply_take();
        if (reply < 0)
            return -LINUX_ENOMEM;
        t->reply = (mica_handle_t)reply;
        t->since = ++waits;
        waiting++;
    }
    t->chan = chan;
    t->deadline = deadline_ns;
    t->ready = false;
    t->timed_out = false;
    return POSIX_DEFERRED;
}

static void wake(struct task *t)
{
    t->ready = true;
    any_ready = true;
}

const char block_any;

void posix_wakeup(const void *chan)
{
    if (!waiting)
        return;
    for (unsigned i = 0; i < task_slots(); i++) {
        struct task *t = task_at(i);
        if (t && t->reply && (t->chan == chan || t->chan == BLOCK_ANY))
            wake(t);
    }
}

struct task *block_first_waiter(const void *chan, bool (*match)(const struct task *t, uint64_t arg),
                                uint64_t arg)
{
    struct task *first = 0;
    for (unsigned i = 0; i < task_slots(); i++) {
        struct task *t = task_at(i);
        if (t && t->reply && t->chan == chan && !t->ready && (!match || match(t, arg)) &&
            (!first || t->since < first->since))
            first = t;
    }
    return first;
}

bool posix_timed_out(struct process *p)
{
    struct task *t = task_current();
    return t && t->proc == p && t->timed_out;
}

/* Send the answer of t's waiting call through its reply handle, which is closed. */
static void answer(struct task *t, uint64_t kind, int64_t value)
{
    struct mica_msg m = {0, 0, {kind, (uint64_t)value, 0, 0}};
    mica_handle_t reply = t->reply;
    t->reply = 0;
    waiting--;
    t->chan = 0;
    t->deadline = 0;
    t->ready = t->timed_out = false;
    mica_reply_send(reply, &m);
    mica_handle_close(reply);
}

void block_answer(struct task *t, uint64_t kind, int64_t value)
{
    if (t->reply)
        answer(t, kind, value);
}

void block_interrupt(struct task *t, int64_t value)
{
    if (t->reply)
        answer(t, MICA_SYSCALL_RETURN, value);
}

void block_cancel(struct task *t)
{
    if (t->reply) { /* the call will not be answered: its thread is going */
        mica_handle_close(t->reply);
        waiting--;
    }
    t->reply = 0;
    t->chan = 0;
    t->deadline = 0;
    t->ready = t->timed_out = false;
}

/* Run t's woken call again; it finishes (answered here) or waits on. */
static void retry(struct task *t)
{
    struct process *p = t->proc;
    t->ready = false;
    task_set_current(t);
    int64_t v = t->call(p, t->args);
    t->timed_out = false;
    if (v == POSIX_DEFERRED) {
        signal_still_waiting(t); /* a signal that came while it was woken (sigdeliver.h) */
        return;
    }
    if (!p->ended) {
        struct mica_msg m = {
            0, 0, {v == POSIX_EXEC ? MICA_SYSCALL_REGS : MICA_SYSCALL_RETURN, (uint64_t)v, 0, 0}};
        signal_answer(t, &m); /* a signal to take at this return (sigdeliver.h) */
        if (!p->ended) {
            answer(t, m.w[0], (int64_t)m.w[1]);
            return;
        }
    }
    answer(t, MICA_FAULT_KILL, 0); /* the call ended the process (SIGPIPE, exit) */
    posix_end_process(p);
}

void block_retry(void)
{
    while (any_ready) {
        any_ready = false;
        for (unsigned i = 0; i < task_slots(); i++) {
            struct task *t = task_at(i); /* again each time: a retry may free tasks */
            if (t && t->reply && t->ready && t->proc->state == PROC_RUNNING)
                retry(t);
        }
    }
    task_set_current(0);
}

uint64_t block_next_deadline(void)
{
    uint64_t first = 0;
    for (unsigned i = 0; waiting && i < task_slots(); i++) {
        struct task *t = task_at(i);
        if (t && t->reply && t->deadline && !t->ready && (!first || t->deadline < first))
            first = t->deadline;
    }
    for (struct timer *tm = timers; tm; tm = tm->next)
        if (!first || tm->deadline < first)
            first = tm->deadline;
    return first;
}

void block_expire(uint64_t now)
{
    for (unsigned i = 0; i < task_slots(); i++) {
        struct task *t = task_at(i);
        if (t && t->reply && t->deadline && t->deadline <= now && !t->ready) {
            t->timed_out = true;
            wake(t);
        }
    }
    struct timer *tm = timers;
    while (tm) { /* a timer's function may arm or cancel timers: start again after each */
        if (tm->deadline > now) {
            tm = tm->next;
            continue;
        }
        timer_cancel(tm);
        tm->fn(tm->arg);
        tm = timers;
    }
}

void timer_set(struct timer *tm, uint64_t deadline_ns, void (*fn)(void *arg), void *arg)
{
    timer_cancel(tm);
    tm->deadline = deadline_ns ? deadline_ns : 1;
    tm->fn = fn;
    tm->arg = arg;
    tm->armed = true;
    tm->next = timers;
    timers = tm;
}

void timer_cancel(struct timer *tm)
{
    if (!tm->armed)
        return;
    for (struct timer **at = &timers; *at; at = &(*at)->next) {
        if (*at == tm) {
            *at = tm->next;
            break;
        }
    }
    tm->armed = false;
    tm->next = 0;
}
