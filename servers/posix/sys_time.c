/*
 * sys_time.c - clock_gettime, clock_getres, gettimeofday, time, getcpu,
 * nanosleep, clock_nanosleep (concepts: clocks, wall time and monotonic
 * time, sleeping with a deadline).
 *
 * CLOCK_MONOTONIC and CLOCK_BOOTTIME are Mica's clock (nanoseconds since
 * boot; Mica does not suspend, so the two are the same).  CLOCK_REALTIME is
 * the wall clock: the rtc service's time at start-up (uses=rtc, main.c)
 * advanced by the monotonic clock; without the rtc service it counts from
 * 1970-01-01 at boot.  The CPU-time clocks are the thread's time on a CPU
 * as the kernel accounts it (SYS_THREAD_INFO).
 *
 * Programs seldom come here for the time: the vDSO (vdso.h) computes the
 * clocks in the process, from the same counter and calibration as
 * mica_clock_ns().  These calls serve what it passes on (the CPU-time
 * clocks, unknown clocks, the coarse clocks' resolution, getcpu) and
 * programs that make the system call themselves.
 */
#include "posix.h"
#include "syscalls.h"
#include "usercopy.h"
#include "block.h"

#define CLOCK_PROCESS_CPUTIME  2
#define CLOCK_THREAD_CPUTIME   3
#define CLOCK_MONOTONIC_RAW    4
#define CLOCK_REALTIME_COARSE  5
#define CLOCK_MONOTONIC_COARSE 6

static int clock_ns(struct process *p, uint64_t clock, uint64_t *ns)
{
    struct mica_thread_info info;
    switch (clock) {
    case LINUX_CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        *ns = posix.realtime_at_boot_ns + mica_clock_ns();
        return 0;
    case LINUX_CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case LINUX_CLOCK_BOOTTIME:
        *ns = mica_clock_ns();
        return 0;
    case CLOCK_THREAD_CPUTIME:
        if (mica_thread_info(task_current()->thread, &info) < 0)
            return -LINUX_EINVAL;
        *ns = info.run_ns;
        return 0;
    case CLOCK_PROCESS_CPUTIME: /* the time of all its threads */
        *ns = 0;
        for (struct task *t = task_next(p, 0); t; t = task_next(p, t)) {
            if (mica_thread_info(t->thread, &info) < 0)
                return -LINUX_EINVAL;
            *ns += info.run_ns;
        }
        return 0;
    default:
        return -LINUX_EINVAL;
    }
}

int64_t sys_clock_gettime(struct process *p, const uint64_t *a)
{
    uint64_t ns;
    int err = clock_ns(p, a[0], &ns);
    if (err < 0)
        return err;
    struct linux_timespec ts = {(int64_t)(ns / 1000000000ull), (int64_t)(ns % 1000000000ull)};
    return user_write(&p->mem, a[1], &ts, sizeof ts);
}

/* clock_getres(clock, res): every clock counts in nanoseconds; the coarse ones in ticks of
 * the kernel's timer, as Linux's count in its jiffies. */
int64_t sys_clock_getres(struct process *p, const uint64_t *a)
{
    uint64_t ns;
    int err = clock_ns(p, a[0], &ns);
    if (err < 0)
        return err;
    bool coarse = a[0] == CLOCK_REALTIME_COARSE || a[0] == CLOCK_MONOTONIC_COARSE;
    struct linux_timespec res = {0, coarse ? 4000000 : 1};
    if (a[1] && user_write(&p->mem, a[1], &res, sizeof res) < 0)
        return -LINUX_EFAULT;
    return 0;
}

/* gettimeofday(tv, tz): the wall clock in microseconds; the time zone is UTC (all zero). */
int64_t sys_gettimeofday(struct process *p, const uint64_t *a)
{
    uint64_t ns = posix.realtime_at_boot_ns + mica_clock_ns();
    int64_t tv[2] = {(int64_t)(ns / 1000000000ull), (int64_t)(ns % 1000000000ull / 1000)};
    int32_t tz[2] = {0, 0};
    if (a[0] && user_write(&p->mem, a[0], tv, sizeof tv) < 0)
        return -LINUX_EFAULT;
    if (a[1] && user_write(&p->mem, a[1], tz, sizeof tz) < 0)
        return -LINUX_EFAULT;
    return 0;
}

/* time(t): the wall clock in seconds, also stored at t if it is not NULL. */
int64_t sys_time(struct process *p, const uint64_t *a)
{
    int64_t s = (int64_t)((posix.realtime_at_boot_ns + mica_clock_ns()) / 1000000000ull);
    if (a[0] && user_write(&p->mem, a[0], &s, sizeof s) < 0)
        return -LINUX_EFAULT;
    return s;
}

/* getcpu(cpu, node, cache): the CPU whose run queue the calling thread uses; one NUMA node, 0. */
int64_t sys_getcpu(struct process *p, const uint64_t *a)
{
    struct mica_thread_info info;
    if (mica_thread_info(task_current()->thread, &info) < 0)
        return -LINUX_EFAULT;
    uint32_t cpu = (uint32_t)info.cpu, node = 0;
    if (a[0] && user_write(&p->mem, a[0], &cpu, sizeof cpu) < 0)
        return -LINUX_EFAULT;
    if (a[1] && user_write(&p->mem, a[1], &node, sizeof node) < 0)
        return -LINUX_EFAULT;
    return 0;
}

/*
 * Sleeping: nanosleep and clock_nanosleep.  The call waits (posix_block,
 * block.h) on its own task until the deadline; as every woken call runs
 * again from the start, the deadline is worked out on the first run and
 * kept in the task (`done`) for the later ones.  A run before the deadline
 * that is not the first means the sleep was woken early (posix_wakeup on
 * the task, which signal delivery does): the remaining time goes to rem
 * and the answer is EINTR.
 */
#define NS_PER_S 1000000000ull
#define FOREVER  (UINT64_MAX / 2) /* a deadline no sleep reaches */

/* A timespec from the program: its nanoseconds, or -EFAULT / -EINVAL (not a valid time). */
static int64_t read_timespec(struct process *p, uint64_t addr, uint64_t *ns)
{
    struct linux_timespec ts;
    if (user_read(&p->mem, &ts, addr, sizeof ts) < 0)
        return -LINUX_EFAULT;
    if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= (int64_t)NS_PER_S)
        return -LINUX_EINVAL;
    *ns = (uint64_t)ts.sec >= FOREVER / NS_PER_S ? FOREVER
                                                 : (uint64_t)ts.sec * NS_PER_S + (uint64_t)ts.nsec;
    return 0;
}

/* Wait until deadline (mica_clock_ns() time, kept in the task from the first run on). */
static int64_t sleep_until(struct process *p, uint64_t deadline, uint64_t rem)
{
    struct task *t = task_current();
    bool first = t->done == 0;
    if (first)
        t->done = deadline ? deadline : 1;
    uint64_t now = mica_clock_ns();
    if (posix_timed_out(p) || now >= t->done)
        return 0;
    if (!first) { /* woken before its time: interrupted */
        uint64_t left = t->done - now;
        struct linux_timespec ts = {(int64_t)(left / NS_PER_S), (int64_t)(left % NS_PER_S)};
        if (rem && user_write(&p->mem, rem, &ts, sizeof ts) < 0)
            return -LINUX_EFAULT;
        return -LINUX_EINTR;
    }
    return posix_block(p, t, t->done);
}

/* now + ns, without overflowing. */
static uint64_t after(uint64_t now, uint64_t ns)
{
    return ns >= FOREVER - now ? FOREVER : now + ns;
}

/* nanosleep(req, rem): CLOCK_MONOTONIC, relative. */
int64_t sys_nanosleep(struct process *p, const uint64_t *a)
{
    struct task *t = task_current();
    uint64_t ns = 0;
    if (t->done == 0) {
        int64_t err = read_timespec(p, a[0], &ns);
        if (err < 0)
            return err;
    }
    return sleep_until(p, t->done ? t->done : after(mica_clock_ns(), ns), a[1]);
}

/* clock_nanosleep(clock, flags, req, rem): relative, or until an absolute time (TIMER_ABSTIME,
 * rem unused) of CLOCK_REALTIME, CLOCK_MONOTONIC or CLOCK_BOOTTIME. */
int64_t sys_clock_nanosleep(struct process *p, const uint64_t *a)
{
    struct task *t = task_current();
    if (t->done)
        return sleep_until(p, t->done, a[1] & LINUX_TIMER_ABSTIME ? 0 : a[3]);
    switch (a[0]) {
    case LINUX_CLOCK_REALTIME:
    case LINUX_CLOCK_MONOTONIC:
    case LINUX_CLOCK_BOOTTIME:
        break;
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_PROCESS_CPUTIME:
        return -LINUX_EOPNOTSUPP; /* clocks one cannot sleep on (CPU time: not on Mica) */
    default:
        return -LINUX_EINVAL;
    }
    uint64_t ns;
    int64_t err = read_timespec(p, a[2], &ns);
    if (err < 0)
        return err;
    uint64_t now = mica_clock_ns();
    if (!(a[1] & LINUX_TIMER_ABSTIME))
        return sleep_until(p, after(now, ns), a[3]);
    if (a[0] == LINUX_CLOCK_REALTIME) /* the wall clock's time as the monotonic clock's */
        ns = ns > posix.realtime_at_boot_ns ? ns - posix.realtime_at_boot_ns : 0;
    if (ns <= now)
        return 0; /* already past */
    return sleep_until(p, ns, 0);
}
