/*
 * fuzz.c - robustness test of the Linux personality: random arguments to
 * every system call (concepts: defensive system-call interfaces, bad
 * pointers give EFAULT, fault isolation).
 *
 * Mica only (tests/system/systest.py, case linux-mica): on a real Linux
 * this would be a bad idea.  The parent forks children one after the
 * other; each closes its descriptors 0-2 (so no call can wait for the
 * console or write noise to it) and makes a number of system calls with
 * random numbers and arguments drawn from a mix that finds edges: 0,
 * small numbers, -1, huge values, pointers into a writable scratch area,
 * across its end, into read-only text, at unmapped and kernel addresses.
 * A child may die of what it does to itself (unmap its own stack, exit,
 * execve garbage) or wait forever (pause, a futex, a nanosleep of years):
 * the parent kills it after a deadline and starts the next.  Calls that
 * would make processes the test cannot bound (fork, vfork, clone) are
 * skipped, and kill's targets are the child itself.  The test passes if
 * the parent gets to its last line, the run list's next program runs
 * afterwards, and the kernel says nothing.
 */
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SCRATCH     (64 * 1024)
#define MAX_NR      460
#define DEADLINE_NS 3000000000ll /* a child's time before it is killed */

static uint64_t state;

static uint64_t next(void) /* xorshift64* */
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545f4914f6cdd1dull;
}

static uint8_t *scratch;

static uint64_t argument(void)
{
    switch (next() % 12) {
    case 0:
        return 0;
    case 1:
        return next() % 64;
    case 2:
        return (uint64_t)-1;
    case 3:
        return next();
    case 4:
        return (uint64_t)scratch + next() % SCRATCH; /* readable, writable */
    case 5:
        return (uint64_t)scratch + SCRATCH - next() % 16; /* across the end */
    case 6:
        return (uint64_t)&argument; /* read-only text */
    case 7:
        return 0x1000 + next() % 0x10000; /* unmapped, low */
    case 8:
        return 0xffff800000000000ull + (next() % 0x100000); /* the kernel's half */
    case 9:
        return 0x0000800000000000ull - next() % 64; /* the end of user space */
    case 10:
        return next() % 4096 * 4096; /* sizes, page-aligned */
    default:
        return (uint64_t)(int64_t)(int32_t)next(); /* negative ints */
    }
}

static int skipped(long nr)
{
    return nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone || nr == 435 /* clone3 */;
}

static void child(long calls)
{
    close(0);
    close(1);
    close(2);
    pid_t self = getpid();
    state ^= (uint64_t)self * 0x9e3779b97f4a7c15ull; /* each child its own sequence */
    for (long i = 0; i < calls; i++) {
        long nr = (long)(next() % MAX_NR);
        if (skipped(nr))
            continue;
        uint64_t a[6];
        for (int k = 0; k < 6; k++)
            a[k] = argument();
        if (nr == SYS_kill || nr == SYS_tkill)
            a[0] = (uint64_t)self;
        if (nr == SYS_tgkill)
            a[0] = a[1] = (uint64_t)self;
        if (nr == SYS_exit || nr == SYS_exit_group) /* not yet: first the other calls */
            continue;
        memset(scratch, (int)(next() & 0xff), 256); /* strings there end somewhere */
        scratch[SCRATCH - 1] = 0;
        syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    }
    _exit(0);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    long children = argc > 1 ? atol(argv[1]) : 20, calls = argc > 2 ? atol(argv[2]) : 500;
    state = argc > 3 ? strtoull(argv[3], 0, 0) : 0x9e3779b97f4a7c15ull;
    scratch = mmap(0, SCRATCH, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (scratch == MAP_FAILED)
        return 1;
    int exited = 0, signalled = 0, killed = 0;
    for (long c = 0; c < children; c++) {
        next();
        pid_t pid = fork();
        if (pid < 0) {
            printf("fuzz: fork failed\n");
            return 1;
        }
        if (pid == 0)
            child(calls);
        int64_t deadline = now_ns() + DEADLINE_NS;
        int status;
        pid_t r;
        while ((r = waitpid(pid, &status, WNOHANG)) == 0 && now_ns() < deadline)
            sched_yield();
        if (r == 0) { /* it waits for something that never comes */
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            killed++;
        } else if (WIFSIGNALED(status)) {
            signalled++;
        } else {
            exited++;
        }
    }
    printf("fuzz: %ld children of %ld calls each: %d ended, %d died of a signal, %d killed at "
           "the deadline\n",
           children, calls, exited, signalled, killed);
    return 0;
}
