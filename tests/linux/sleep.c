/*
 * sleep.c - nanosleep and clock_nanosleep: relative sleeps last at least
 * what was asked, absolute ones (TIMER_ABSTIME) until the time asked, on
 * CLOCK_MONOTONIC and CLOCK_REALTIME; a time in the past returns at once;
 * a sleeping child does not hold up its parent; errors: EINVAL (a bad
 * timespec, an unknown clock), EFAULT.  Only lower bounds are checked, so
 * nothing depends on how fast the machine is.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void result(const char *what, int r)
{
    printf("%s: %s\n", what, r < 0 ? strerror(errno) : r == 0 ? "0" : strerror(r));
}

static void at_least(const char *what, long long start, long long ns)
{
    printf("%s: %s\n", what, now_ns(CLOCK_MONOTONIC) - start >= ns ? "long enough" : "too short");
}

int main(void)
{
    setvbuf(stdout, 0, _IONBF, 0);
    long long t0 = now_ns(CLOCK_MONOTONIC);
    result("nanosleep 50 ms", nanosleep(&(struct timespec){0, 50000000}, 0));
    at_least("nanosleep 50 ms", t0, 50000000);
    t0 = now_ns(CLOCK_MONOTONIC);
    struct timespec rem = {7, 7};
    result("nanosleep 1.1 s with rem", nanosleep(&(struct timespec){1, 100000000}, &rem));
    at_least("nanosleep 1.1 s", t0, 1100000000);
    printf("rem untouched: %s\n", rem.tv_sec == 7 && rem.tv_nsec == 7 ? "yes" : "no");
    result("nanosleep 0", nanosleep(&(struct timespec){0, 0}, 0));
    result("nanosleep nsec 1e9", nanosleep(&(struct timespec){0, 1000000000}, 0));
    result("nanosleep nsec -1", nanosleep(&(struct timespec){0, -1}, 0));
    result("nanosleep sec -1", nanosleep(&(struct timespec){-1, 0}, 0));
    result("nanosleep bad pointer", nanosleep((struct timespec *)8, 0));

    t0 = now_ns(CLOCK_MONOTONIC);
    result("clock_nanosleep MONOTONIC 30 ms",
           clock_nanosleep(CLOCK_MONOTONIC, 0, &(struct timespec){0, 30000000}, 0));
    at_least("clock_nanosleep MONOTONIC 30 ms", t0, 30000000);
    t0 = now_ns(CLOCK_MONOTONIC);
    long long until = t0 + 40000000;
    struct timespec abs = {until / 1000000000, until % 1000000000};
    result("clock_nanosleep MONOTONIC until +40 ms",
           clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, 0));
    at_least("clock_nanosleep MONOTONIC until +40 ms", t0, 40000000);
    result("clock_nanosleep MONOTONIC until the past",
           clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &(struct timespec){1, 0}, 0));
    t0 = now_ns(CLOCK_MONOTONIC);
    until = now_ns(CLOCK_REALTIME) + 30000000;
    abs = (struct timespec){until / 1000000000, until % 1000000000};
    result("clock_nanosleep REALTIME until +30 ms",
           clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &abs, 0));
    at_least("clock_nanosleep REALTIME until +30 ms", t0, 25000000);
    result("clock_nanosleep BOOTTIME 10 ms",
           clock_nanosleep(CLOCK_BOOTTIME, 0, &(struct timespec){0, 10000000}, 0));
    result("clock_nanosleep unknown clock", clock_nanosleep(99, 0, &(struct timespec){0, 1000}, 0));
    result("clock_nanosleep THREAD_CPUTIME",
           clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &(struct timespec){0, 1000}, 0));
    result("clock_nanosleep bad nsec",
           clock_nanosleep(CLOCK_MONOTONIC, 0, &(struct timespec){0, 2000000000}, 0));
    result("clock_nanosleep bad pointer", clock_nanosleep(CLOCK_MONOTONIC, 0, (void *)8, 0));

    /* a child sleeps; its parent goes on meanwhile and then waits for it */
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        nanosleep(&(struct timespec){0, 300000000}, 0);
        write(p[1], "w", 1);
        _exit(0);
    }
    close(p[1]);
    char b;
    result("the child's word after its sleep", read(p[0], &b, 1) == 1 ? 0 : -1);
    waitpid(c, 0, 0);
    return 0;
}
