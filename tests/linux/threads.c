/*
 * threads.c - differential test: threads and futexes (pthreads of musl on
 * clone's thread form, futex, set_tid_address's clear-and-wake at a
 * thread's end, TLS through arch_prctl).  Runs on Linux and on Mica; the
 * output must be the same.
 */
#define _GNU_SOURCE /* CLONE_* from sched.h */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* linux/futex.h (musl-gcc does not see the kernel's headers) */
#define FUTEX_WAIT                0
#define FUTEX_WAKE                1
#define FUTEX_CMP_REQUEUE         4
#define FUTEX_WAKE_OP             5
#define FUTEX_WAIT_BITSET         9
#define FUTEX_PRIVATE_FLAG        128
#define FUTEX_WAIT_PRIVATE        (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE        (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define FUTEX_CMP_REQUEUE_PRIVATE (FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_BITSET_MATCH_ANY    0xffffffffu

#define THREADS    4
#define ITERATIONS 20000

static long futex(uint32_t *addr, int op, uint32_t val, const struct timespec *ts, uint32_t *addr2,
                  uint32_t val3)
{
    long r = syscall(SYS_futex, addr, op, val, ts, addr2, val3);
    return r < 0 ? -errno : r;
}

/* ---- a mutex, and who runs where ---- */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread int mine; /* every thread its own */

static void *count(void *arg)
{
    int id = (int)(intptr_t)arg;
    mine = id * 100;
    for (int i = 0; i < ITERATIONS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    int ok = mine == id * 100 && getpid() != (pid_t)syscall(SYS_gettid);
    return (void *)(intptr_t)(ok ? id + 1 : -1);
}

static void test_mutex(void)
{
    pthread_t t[THREADS];
    mine = 7;
    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], 0, count, (void *)(intptr_t)i) != 0)
            printf("pthread_create failed\n");
    long sum = 0;
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        sum += (intptr_t)r;
    }
    printf("mutex: counter %ld (expected %d), join results %ld, main's TLS %d\n", counter,
           THREADS * ITERATIONS, sum, mine);
}

/* ---- a condition variable: a bounded buffer ---- */

#define SLOTS 4
#define ITEMS 2000
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;
static int buffer[SLOTS], head, tail, used;

static void *producer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&lock);
        while (used == SLOTS)
            pthread_cond_wait(&not_full, &lock);
        buffer[tail] = i;
        tail = (tail + 1) % SLOTS;
        used++;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&lock);
    }
    return 0;
}

static void *consumer(void *arg)
{
    long *sum = arg;
    for (int i = 0; i < ITEMS / 2; i++) {
        pthread_mutex_lock(&lock);
        while (used == 0)
            pthread_cond_wait(&not_empty, &lock);
        *sum += buffer[head];
        head = (head + 1) % SLOTS;
        used--;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&lock);
    }
    return 0;
}

static void test_condvar(void)
{
    pthread_t p, c1, c2;
    long s1 = 0, s2 = 0;
    pthread_create(&c1, 0, consumer, &s1);
    pthread_create(&c2, 0, consumer, &s2);
    pthread_create(&p, 0, producer, 0);
    pthread_join(p, 0);
    pthread_join(c1, 0);
    pthread_join(c2, 0);
    printf("condvar: sum %ld (expected %d)\n", s1 + s2, ITEMS * (ITEMS + 1) / 2);
}

/* ---- a detached thread and a semaphore; a broadcast ---- */

static sem_t done;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int started, released;

static void *detached(void *arg)
{
    (void)arg;
    sem_post(&done);
    return 0;
}

static void *waiter(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    started++;
    while (!released)
        pthread_cond_wait(&go, &lock);
    pthread_mutex_unlock(&lock);
    return 0;
}

static void test_detached_and_broadcast(void)
{
    sem_init(&done, 0, 0);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t d;
    pthread_create(&d, &attr, detached, 0);
    sem_wait(&done);
    printf("detached: posted\n");
    pthread_t w[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&w[i], 0, waiter, 0);
    for (;;) {
        pthread_mutex_lock(&lock);
        int n = started;
        if (n == 3)
            released = 1, pthread_cond_broadcast(&go);
        pthread_mutex_unlock(&lock);
        if (n == 3)
            break;
        sched_yield();
    }
    for (int i = 0; i < 3; i++)
        pthread_join(w[i], 0);
    printf("broadcast: 3 waiters released\n");
}

/* ---- the futex call itself ---- */

static uint32_t f1, f2;
static atomic_int asleep;

static void *futex_sleeper(void *arg)
{
    uint32_t *word = arg;
    atomic_fetch_add(&asleep, 1);
    long r;
    do /* until the main thread changes the word: a wake or a requeue and a wake */
        r = futex(word, FUTEX_WAIT_PRIVATE, 0, 0, 0, 0);
    while (r == 0 && __atomic_load_n(word, __ATOMIC_SEQ_CST) == 0);
    return (void *)r;
}

static void test_futex_calls(void)
{
    uint32_t word = 5;
    struct timespec ten_ms = {0, 10 * 1000 * 1000}, bad = {0, 1000000000};
    printf("wait, wrong value: %ld\n", futex(&word, FUTEX_WAIT, 4, 0, 0, 0));
    printf("wait, 10 ms: %ld\n", futex(&word, FUTEX_WAIT_PRIVATE, 5, &ten_ms, 0, 0));
    printf("wait, bad timeout: %ld\n", futex(&word, FUTEX_WAIT, 5, &bad, 0, 0));
    printf("wait, misaligned: %ld\n",
           futex((uint32_t *)((char *)&word + 1), FUTEX_WAIT, 5, 0, 0, 0));
    printf("wait, bad address: %ld\n", futex((uint32_t *)8, FUTEX_WAIT, 0, 0, 0, 0));
    printf("wait_bitset, bitset 0: %ld\n", futex(&word, FUTEX_WAIT_BITSET, 5, 0, 0, 0));
    struct timespec past = {0, 0};
    printf("wait_bitset, past deadline: %ld\n",
           futex(&word, FUTEX_WAIT_BITSET, 5, &past, 0, FUTEX_BITSET_MATCH_ANY));
    printf("wake, nobody: %ld\n", futex(&word, FUTEX_WAKE, 1, 0, 0, 0));
    printf("wake, bad address: %ld\n", futex((uint32_t *)8, FUTEX_WAKE, 1, 0, 0, 0));
    printf("cmp_requeue, value differs: %ld\n",
           futex(&word, FUTEX_CMP_REQUEUE, 1, (void *)1, &f2, 6));
    printf("unknown op: %ld\n", futex(&word, 99, 0, 0, 0, 0));
    uint32_t opword = 1;
    /* WAKE_OP: opword += 2 (ADD), wake at word, and at opword if the old value was 1 (EQ) */
    uint32_t op = (1u << 28) | (0u << 24) | (2u << 12) | 1u;
    long r = futex(&word, FUTEX_WAKE_OP, 1, (void *)1, &opword, op);
    printf("wake_op: %ld, word now %u\n", r, __atomic_load_n(&opword, __ATOMIC_SEQ_CST));

    /* Two sleepers on f1: requeued to f2 (none woken), then woken at f2. */
    pthread_t s[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&s[i], 0, futex_sleeper, &f1);
    long moved = 0;
    while (moved < 2) { /* until both sleep in the futex (then the requeue finds them) */
        long r = futex(&f1, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)2, &f2, 0);
        moved += r > 0 ? r : 0;
        if (moved < 2)
            sched_yield();
    }
    printf("requeued: %ld\n", moved);
    __atomic_store_n(&f1, 1, __ATOMIC_SEQ_CST);
    long woken = 0;
    while (woken < 2)
        woken += futex(&f2, FUTEX_WAKE_PRIVATE, 2, 0, 0, 0);
    long r0, r1;
    void *v;
    pthread_join(s[0], &v);
    r0 = (long)v;
    pthread_join(s[1], &v);
    r1 = (long)v;
    printf("woken at f2: %ld, results %ld %ld\n", woken, r0, r1);
}

/* ---- clone's rules ---- */

static void test_clone_errors(void)
{
    long r = syscall(SYS_clone, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0);
    printf("clone THREAD without SIGHAND: %ld %s\n", r, r < 0 ? strerror(errno) : "");
    r = syscall(SYS_clone, CLONE_SIGHAND, 0, 0, 0, 0);
    printf("clone SIGHAND without VM: %ld %s\n", r, r < 0 ? strerror(errno) : "");
}

/* ---- exec and fork from a program with threads ---- */

static void *execer(void *arg)
{
    (void)arg;
    char *argv[] = {"bin/args", "exec", "from", "a", "thread", 0};
    char *envp[] = {0};
    execve(argv[0], argv, envp);
    printf("execve failed: %s\n", strerror(errno));
    return 0;
}

static void *spinner(void *arg)
{
    (void)arg;
    for (;;)
        sched_yield();
    return 0;
}

static void test_exec_and_fork(void)
{
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) { /* a child with a spinning thread, whose other thread calls execve */
        pthread_t s, e;
        pthread_create(&s, 0, spinner, 0);
        pthread_create(&e, 0, execer, 0);
        pthread_join(e, 0);
        _exit(9);
    }
    int st;
    waitpid(c, &st, 0);
    printf("exec from a thread: exit status %d\n", WEXITSTATUS(st));
    pthread_t s;
    pthread_create(&s, 0, spinner, 0); /* a thread the child does not get */
    fflush(stdout);
    c = fork();
    if (c == 0) {
        printf("forked child of a threaded program runs\n");
        exit(4);
    }
    waitpid(c, &st, 0);
    printf("its status %d\n", WEXITSTATUS(st));
}

int main(void)
{
    setvbuf(stdout, 0, _IOLBF, 0);
    test_mutex();
    test_condvar();
    test_detached_and_broadcast();
    test_futex_calls();
    test_clone_errors();
    test_exec_and_fork();
    printf("done\n");
    return 0; /* exit_group, with a spinning thread */
}
