/*
 * vdso.c - the virtual dynamic shared object that the posix server maps
 * into every Linux process (concepts: the vDSO, system calls answered in
 * user space).
 *
 * Reading a clock is the most frequent system call of many programs, and on
 * Mica a system call of a Linux program is a message to the posix server and
 * back.  The vDSO answers the clock calls inside the process instead: it
 * reads the time stamp counter and converts it with the kernel's
 * calibration, which the server published in the data page mapped one page
 * below this object's first byte (vdso_data.h).  A clock it cannot compute
 * (the CPU-time clocks, unknown clock ids, or no calibration) goes to the
 * real system call, as Linux's vDSO does.
 *
 * The C libraries find these functions through the object's dynamic symbol
 * table (AT_SYSINFO_EHDR in the auxiliary vector points at its ELF header),
 * by name and by the version LINUX_2.6, as on Linux x86-64 (vdso.map).
 * Built with -fPIC, without the C library: no relocations, no data of its
 * own, nothing but these functions (servers/posix/build.mk).
 */
#include <stdint.h>
#include "../vdso_data.h"

#define CLOCK_REALTIME         0
#define CLOCK_MONOTONIC        1
#define CLOCK_MONOTONIC_RAW    4
#define CLOCK_REALTIME_COARSE  5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME         7

#define NR_gettimeofday  96
#define NR_time          201
#define NR_clock_gettime 228
#define NR_clock_getres  229
#define NR_getcpu        309

#define NS_PER_S 1000000000ull

struct vdso_timespec {
    int64_t sec, nsec;
};
struct vdso_timeval {
    int64_t sec, usec;
};
struct vdso_timezone {
    int minuteswest, dsttime;
};

/* The data page; its address is fixed by the linker script (vdso.lds), one page below us. */
extern const volatile struct vdso_data vdso_data __attribute__((visibility("hidden")));

static long syscall2(long nr, long a, long b)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a), "S"(b) : "rcx", "r11", "memory");
    return r;
}

static long syscall3(long nr, long a, long b, long c)
{
    long r;
    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(nr), "D"(a), "S"(b), "d"(c)
                     : "rcx", "r11", "memory");
    return r;
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    /* lfence: the counter is read after the loads before it, as Linux's vDSO orders it */
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return (uint64_t)hi << 32 | lo;
}

/* Nanoseconds since boot (mica_clock_ns()) and the real-time offset; 0, or -1 without a
 * calibration. */
static int read_clock(uint64_t *mono, uint64_t *realtime_base)
{
    uint32_t seq;
    uint64_t hz, at_boot, base;
    do {
        seq = vdso_data.seq;
        __asm__ volatile("" ::: "memory");
        hz = vdso_data.tsc_hz;
        at_boot = vdso_data.tsc_at_boot;
        base = vdso_data.realtime_at_boot_ns;
        __asm__ volatile("" ::: "memory");
    } while ((seq & 1) || seq != vdso_data.seq);
    if (!hz)
        return -1;
    uint64_t ticks = rdtsc() - at_boot;
    *mono = ticks / hz * NS_PER_S + ticks % hz * NS_PER_S / hz; /* the kernel's two steps */
    *realtime_base = base;
    return 0;
}

/* The clock's nanoseconds; -1 for a clock the vDSO does not compute. */
static int clock_ns(long clock, uint64_t *ns)
{
    uint64_t mono, base;
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        if (read_clock(&mono, &base) < 0)
            return -1;
        *ns = base + mono;
        return 0;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        return read_clock(ns, &base);
    default:
        return -1;
    }
}

int __vdso_clock_gettime(long clock, struct vdso_timespec *ts)
{
    uint64_t ns;
    if (clock_ns(clock, &ns) < 0)
        return (int)syscall2(NR_clock_gettime, clock, (long)ts);
    ts->sec = (int64_t)(ns / NS_PER_S);
    ts->nsec = (int64_t)(ns % NS_PER_S);
    return 0;
}

int __vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz)
{
    uint64_t ns;
    if (clock_ns(CLOCK_REALTIME, &ns) < 0)
        return (int)syscall2(NR_gettimeofday, (long)tv, (long)tz);
    if (tv) {
        tv->sec = (int64_t)(ns / NS_PER_S);
        tv->usec = (int64_t)(ns % NS_PER_S / 1000);
    }
    if (tz) { /* Mica keeps no time zone: UTC, as a Linux kernel never told one */
        tz->minuteswest = 0;
        tz->dsttime = 0;
    }
    return 0;
}

long __vdso_time(long *t)
{
    uint64_t ns;
    if (clock_ns(CLOCK_REALTIME, &ns) < 0)
        return syscall2(NR_time, (long)t, 0);
    long s = (long)(ns / NS_PER_S);
    if (t)
        *t = s;
    return s;
}

/* The fine clocks the vDSO computes count in nanoseconds: a resolution of 1 ns.  The coarse
 * ones' resolution is the server's to say (sys_time.c). */
int __vdso_clock_getres(long clock, struct vdso_timespec *res)
{
    uint64_t ns;
    if (clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE ||
        clock_ns(clock, &ns) < 0)
        return (int)syscall2(NR_clock_getres, clock, (long)res);
    if (res) {
        res->sec = 0;
        res->nsec = 1;
    }
    return 0;
}

/* Which CPU the thread runs on is the kernel's to say: the real system call. */
long __vdso_getcpu(unsigned *cpu, unsigned *node, void *cache)
{
    return syscall3(NR_getcpu, (long)cpu, (long)node, (long)cache);
}

/* The names without the prefix, as Linux's vDSO has them too. */
int clock_gettime(long clock, struct vdso_timespec *ts)
    __attribute__((weak, alias("__vdso_clock_gettime")));
int gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz)
    __attribute__((weak, alias("__vdso_gettimeofday")));
long time(long *t) __attribute__((weak, alias("__vdso_time")));
int clock_getres(long clock, struct vdso_timespec *res)
    __attribute__((weak, alias("__vdso_clock_getres")));
long getcpu(unsigned *cpu, unsigned *node, void *cache)
    __attribute__((weak, alias("__vdso_getcpu")));
