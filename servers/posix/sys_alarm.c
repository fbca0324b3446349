/*
 * sys_alarm.c - alarm, setitimer and getitimer: the real-time interval
 * timer (concepts: timers, SIGALRM).
 *
 * Each process has one ITIMER_REAL: a one-shot server timer (block.h) that
 * sends SIGALRM to the process when it expires and, if the timer has an
 * interval, is armed again for the next period.  alarm(s) is setitimer with
 * s seconds and no interval.  The timer survives execve and is not
 * inherited by fork, as on Linux.  ITIMER_VIRTUAL and ITIMER_PROF (user and
 * user+system CPU time) are refused with EINVAL: the server does not see a
 * process's CPU time as it runs (docs/linux-abi.md).
 */
#include "posix.h"
#include "block.h"
#include "proctable.h"
#include "syscalls.h"
#include "usercopy.h"

#define NS_PER_US 1000ull
#define US_PER_S  1000000ull

struct itimerval { /* struct itimerval: interval, then value, each a struct timeval */
    int64_t interval_sec, interval_usec, value_sec, value_usec;
};

static void alarm_fire(void *arg)
{
    struct process *p = proc_find((int)(uintptr_t)arg);
    if (!p || p->state != PROC_RUNNING)
        return;
    if (p->sig.alarm_interval)
        timer_set(&p->sig.alarm, mica_clock_ns() + p->sig.alarm_interval, alarm_fire, arg);
    struct sig_info info = {.code = LINUX_SI_KERNEL};
    signal_send(p, LINUX_SIGALRM, &info);
}

/* The timer now: what is left of it (rounded up to a microsecond, 0 if disarmed) and its
 * interval, in ns. */
static void alarm_get(struct process *p, uint64_t *left, uint64_t *interval)
{
    uint64_t now = mica_clock_ns();
    *left = 0;
    if (p->sig.alarm.armed)
        *left = p->sig.alarm.deadline > now ? p->sig.alarm.deadline - now : NS_PER_US;
    *interval = p->sig.alarm_interval;
}

static void alarm_set(struct process *p, uint64_t value_ns, uint64_t interval_ns)
{
    timer_cancel(&p->sig.alarm);
    p->sig.alarm_interval = value_ns ? interval_ns : 0;
    if (value_ns)
        timer_set(&p->sig.alarm, mica_clock_ns() + value_ns, alarm_fire, (void *)(uintptr_t)p->pid);
}

static void to_timeval(uint64_t ns, int64_t *sec, int64_t *usec)
{
    uint64_t us = (ns + NS_PER_US - 1) / NS_PER_US;
    *sec = (int64_t)(us / US_PER_S);
    *usec = (int64_t)(us % US_PER_S);
}

static bool timeval_ok(int64_t sec, int64_t usec)
{
    return sec >= 0 && usec >= 0 && (uint64_t)usec < US_PER_S;
}

static void current(struct process *p, struct itimerval *v)
{
    uint64_t left, interval;
    alarm_get(p, &left, &interval);
    to_timeval(left, &v->value_sec, &v->value_usec);
    to_timeval(interval, &v->interval_sec, &v->interval_usec);
}

/* getitimer(which, value) */
int64_t sys_getitimer(struct process *p, const uint64_t *a)
{
    if (a[0] != LINUX_ITIMER_REAL)
        return -LINUX_EINVAL; /* ITIMER_VIRTUAL, ITIMER_PROF: not implemented (see above) */
    struct itimerval v;
    current(p, &v);
    return user_write(&p->mem, a[1], &v, sizeof v) < 0 ? -LINUX_EFAULT : 0;
}

/* setitimer(which, new, old) */
int64_t sys_setitimer(struct process *p, const uint64_t *a)
{
    if (a[0] != LINUX_ITIMER_REAL)
        return -LINUX_EINVAL;
    struct itimerval v = {0, 0, 0, 0}, old;
    if (a[1] && user_read(&p->mem, &v, a[1], sizeof v) < 0) /* NULL: disarm, as Linux */
        return -LINUX_EFAULT;
    if (!timeval_ok(v.value_sec, v.value_usec) || !timeval_ok(v.interval_sec, v.interval_usec))
        return -LINUX_EINVAL;
    current(p, &old);
    alarm_set(p, (uint64_t)v.value_sec * 1000000000ull + (uint64_t)v.value_usec * NS_PER_US,
              (uint64_t)v.interval_sec * 1000000000ull + (uint64_t)v.interval_usec * NS_PER_US);
    if (a[2] && user_write(&p->mem, a[2], &old, sizeof old) < 0)
        return -LINUX_EFAULT;
    return 0;
}

/* alarm(seconds): the seconds that were left of the timer, rounded as Linux does */
int64_t sys_alarm(struct process *p, const uint64_t *a)
{
    struct itimerval old;
    current(p, &old);
    alarm_set(p, (a[0] & 0xffffffffu) * 1000000000ull, 0);
    int64_t left = old.value_sec;
    if ((!left && old.value_usec) || old.value_usec >= 500000)
        left++;
    return left;
}
