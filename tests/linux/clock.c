/*
 * clock.c - clocks, random bytes and identification: prints only stable
 * facts (ordering, plausibility, sizes, errors), never the values.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    struct timespec a, b, r;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (volatile int i = 0; i < 1000000; i++)
        ;
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("monotonic never goes back: %s\n",
           b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec) ? "yes" : "no");
    printf("nanoseconds in range: %s\n", a.tv_nsec >= 0 && a.tv_nsec < 1000000000 ? "yes" : "no");
    clock_gettime(CLOCK_REALTIME, &r);
    printf("realtime after 2020: %s\n", r.tv_sec > 1577836800 ? "yes" : "no");
    long e = syscall(SYS_clock_gettime, 99, &a);
    printf("unknown clock: %s\n", e < 0 ? strerror(errno) : "accepted");
    unsigned char x[16], y[16];
    long n = getrandom(x, sizeof x, 0), m = getrandom(y, sizeof y, GRND_NONBLOCK);
    printf("getrandom: %ld and %ld bytes, they differ: %s\n", n, m,
           memcmp(x, y, sizeof x) ? "yes" : "no");
    static unsigned char big[100000];
    printf("getrandom 100000: %ld\n", (long)getrandom(big, sizeof big, 0));
    e = getrandom(x, sizeof x, 0x100);
    printf("getrandom bad flags: %s\n", e < 0 ? strerror(errno) : "accepted");
    struct utsname u;
    uname(&u);
    printf("uname: %s %s\n", u.sysname, u.machine);
    return 0;
}
