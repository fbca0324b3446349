/*
 * resource.c - differential test: resource limits (prlimit64, getrlimit,
 * setrlimit, RLIMIT_NOFILE enforced), CPU time (times, getrusage, the
 * CPU-time clocks), sysinfo, prctl's names and flags, clock_getres,
 * gettimeofday and time.  Prints only what Linux and Mica must agree on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void result(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, r);
}

static void limits(void)
{
    struct rlimit old, lim;
    getrlimit(RLIMIT_NOFILE, &old);
    lim.rlim_cur = 10;
    lim.rlim_max = old.rlim_max;
    result("setrlimit NOFILE 10", setrlimit(RLIMIT_NOFILE, &lim));
    int opened = 0, fd, last_errno = 0;
    while ((fd = open("data/greeting.txt", O_RDONLY)) >= 0)
        opened++;
    last_errno = errno;
    printf("opened below the limit: %d, then %s\n", opened, strerror(last_errno));
    result("dup2 onto the limit", dup2(0, 10));
    result("F_DUPFD at the limit", fcntl(0, F_DUPFD, 10));
    for (fd = 3; fd < 10; fd++)
        close(fd);
    struct rlimit back;
    result("prlimit64 reads it back", prlimit(0, RLIMIT_NOFILE, 0, &back));
    printf("soft limit now %lu, hard unchanged: %s\n", (unsigned long)back.rlim_cur,
           back.rlim_max == old.rlim_max ? "yes" : "no");
    result("setrlimit back", setrlimit(RLIMIT_NOFILE, &old));
    lim.rlim_cur = 20;
    lim.rlim_max = 10;
    result("soft above hard", setrlimit(RLIMIT_NOFILE, &lim));
    result("an unknown resource", getrlimit(99, &lim));
    result("a bad pointer", syscall(SYS_getrlimit, RLIMIT_CORE, (void *)8));
    result("prlimit64 of no such process", prlimit(99999, RLIMIT_CORE, 0, &lim));
    lim.rlim_cur = lim.rlim_max = 0;
    result("core size 0", setrlimit(RLIMIT_CORE, &lim));
    getrlimit(RLIMIT_CORE, &lim);
    printf("core size now %lu/%lu\n", (unsigned long)lim.rlim_cur, (unsigned long)lim.rlim_max);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) { /* the child inherits the limit */
        getrlimit(RLIMIT_CORE, &lim);
        printf("child's core size %lu\n", (unsigned long)lim.rlim_cur);
        _exit(0);
    }
    waitpid(c, 0, 0);
}

static double seconds(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static void cpu_time(void)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    do /* spin for 0.2 s of CPU time */
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    while ((t1.tv_sec - t0.tv_sec) * 1000000000l + (t1.tv_nsec - t0.tv_nsec) < 200000000l);
    struct rusage self;
    getrusage(RUSAGE_SELF, &self);
    printf("getrusage SELF has the time spun: %s\n",
           seconds(self.ru_utime) + seconds(self.ru_stime) >= 0.2 ? "yes" : "no");
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
        do
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
        while ((t1.tv_sec - t0.tv_sec) * 1000000000l + (t1.tv_nsec - t0.tv_nsec) < 300000000l);
        _exit(0);
    }
    struct rusage children;
    getrusage(RUSAGE_CHILDREN, &children);
    printf("children's time before the reap: %s\n",
           seconds(children.ru_utime) < 0.3 ? "less" : "more");
    waitpid(c, 0, 0);
    getrusage(RUSAGE_CHILDREN, &children);
    printf("children's time after it: %s\n",
           seconds(children.ru_utime) + seconds(children.ru_stime) >= 0.3 ? "has it" : "no");
    struct tms tms;
    clock_t ticks = times(&tms);
    printf("times: ticks %s, children's ticks at least 25: %s\n", ticks > 0 ? "positive" : "no",
           tms.tms_cutime + tms.tms_cstime >= 25 ? "yes" : "no");
    result("getrusage who 5", getrusage(5, &self));
    result("getrusage a bad pointer", syscall(SYS_getrusage, RUSAGE_SELF, (void *)8));
}

static void *named(void *arg)
{
    char name[16];
    prctl(PR_SET_NAME, "worker");
    prctl(PR_GET_NAME, name);
    printf("thread's name: %s\n", name);
    return arg;
}

static void names_and_flags(void)
{
    char name[16];
    prctl(PR_GET_NAME, name);
    printf("name: %s\n", name);
    result("PR_SET_NAME long", prctl(PR_SET_NAME, "a-name-longer-than-fifteen"));
    prctl(PR_GET_NAME, name);
    printf("name now: %s\n", name);
    pthread_t t;
    pthread_create(&t, 0, named, 0);
    pthread_join(t, 0);
    prctl(PR_GET_NAME, name);
    printf("main's name unchanged: %s\n", name);
    result("PR_SET_NAME bad pointer", prctl(PR_SET_NAME, (void *)8));
    result("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE));
    result("PR_SET_DUMPABLE 2", prctl(PR_SET_DUMPABLE, 2));
    result("PR_SET_PDEATHSIG", prctl(PR_SET_PDEATHSIG, 15));
    int sig = 0;
    prctl(PR_GET_PDEATHSIG, &sig);
    printf("pdeathsig %d\n", sig);
    result("PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    result("PR_SET_NO_NEW_PRIVS", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    result("PR_GET_NO_NEW_PRIVS again", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    result("an unknown option", prctl(12345));
}

static void system_info(void)
{
    struct sysinfo s;
    result("sysinfo", sysinfo(&s));
    printf("sysinfo plausible: %s\n",
           s.totalram > 0 && s.freeram <= s.totalram && s.procs >= 1 && s.mem_unit >= 1 ? "yes"
                                                                                        : "no");
    result("sysinfo a bad pointer", syscall(SYS_sysinfo, (void *)8));
}

static void clocks(void)
{
    struct timespec res;
    result("clock_getres MONOTONIC", clock_getres(CLOCK_MONOTONIC, &res));
    printf("resolution %ld s %ld ns\n", (long)res.tv_sec, res.tv_nsec);
    result("clock_getres REALTIME, no buffer", clock_getres(CLOCK_REALTIME, 0));
    result("clock_getres unknown clock", clock_getres(99, &res));
    struct timeval tv;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    result("gettimeofday", syscall(SYS_gettimeofday, &tv, 0));
    printf("gettimeofday agrees: %s\n",
           tv.tv_sec - ts.tv_sec <= 1 && tv.tv_sec >= ts.tv_sec ? "yes" : "no");
    long t = syscall(SYS_time, 0);
    printf("time agrees: %s\n", t - ts.tv_sec <= 1 && t >= ts.tv_sec ? "yes" : "no");
    result("gettimeofday a bad pointer", syscall(SYS_gettimeofday, (void *)8, 0));
    result("time a bad pointer", syscall(SYS_time, (void *)8) < 0 ? -1 : 0);
}

int main(void)
{
    setvbuf(stdout, 0, _IOLBF, 0);
    limits();
    cpu_time();
    names_and_flags();
    system_info();
    clocks();
    return 0;
}
