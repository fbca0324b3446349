/*
 * sys_time.c - clock_gettime, clock_getres, gettimeofday, time, getcpu
 * (concepts: clocks, wall time and monotonic time).
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

#define CLOCK_PROCESS_CPUTIME  2
#define CLOCK_THREAD_CPUTIME   3
#define CLOCK_MONOTONIC_RAW    4
#define CLOCK_REALTIME_COARSE  5
#define CLOCK_MONOTONIC_COARSE 6

struct linux_timespec {
    int64_t sec, nsec;
};

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
