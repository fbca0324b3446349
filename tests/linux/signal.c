/*
 * signal.c - signal handlers and masks: rt_sigaction (SA_SIGINFO, SA_RESETHAND,
 * SA_NODEFER, SA_ONSTACK, errors), rt_sigprocmask, rt_sigpending, nested
 * handlers, FPU registers kept across a handler, sigaltstack, rt_sigsuspend,
 * rt_sigtimedwait, tkill/tgkill, a signal to a process running user code,
 * SIGPIPE to a handler, a signal to the process taken by the one thread that does not
 * block it.  Everything is ordered by the program itself (or by
 * a child it waits for), so nothing depends on timing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fenv.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void result(const char *what, long r)
{
    printf("%s: %ld %s\n", what, r, r < 0 ? strerror(errno) : "");
}

static void set_action(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigaction(sig, &sa, NULL);
}

static void block(int how, int sig)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(how, &s, NULL);
}

static int self_pid;

static void show_info(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    printf("  handler: signal %d, si_signo %d, si_code %d, from me %d\n", sig, si->si_signo,
           si->si_code, si->si_pid == self_pid);
}

static void test_errors(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    result("sigaction(SIGKILL)", sigaction(SIGKILL, &sa, NULL));
    result("sigaction(SIGSTOP)", sigaction(SIGSTOP, &sa, NULL));
    result("sigaction(0)", syscall(SYS_rt_sigaction, 0, &sa, NULL, 8));
    result("sigaction(65)", syscall(SYS_rt_sigaction, 65, &sa, NULL, 8));
    result("sigaction(SIGKILL, NULL, old)", sigaction(SIGKILL, NULL, &sa));
    result("sigaction(bad act)", syscall(SYS_rt_sigaction, SIGUSR1, (void *)8, NULL, 8));
    result("sigaction(bad old)", syscall(SYS_rt_sigaction, SIGUSR1, NULL, (void *)8, 8));
    result("sigaction(setsize 4)", syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4));
    sigset_t s;
    sigemptyset(&s);
    result("sigprocmask(how 7)", syscall(SYS_rt_sigprocmask, 7, &s, NULL, 8));
    result("sigprocmask(bad set)", syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void *)8, NULL, 8));
    result("sigpending(setsize 16)", syscall(SYS_rt_sigpending, &s, 16));
    result("sigpending(bad)", syscall(SYS_rt_sigpending, (void *)8, 8));
    result("kill(99999, 0)", kill(99999, 0));
    result("kill(me, -1)", kill(self_pid, -1));
    result("tgkill(0, me, SIGUSR1)", syscall(SYS_tgkill, 0, self_pid, SIGUSR1));
    result("tgkill(me, 99999, SIGUSR1)", syscall(SYS_tgkill, self_pid, 99999, SIGUSR1));
    result("tkill(-5, SIGUSR1)", syscall(SYS_tkill, -5, SIGUSR1));
    result("tgkill(me, me, 0)", syscall(SYS_tgkill, self_pid, self_pid, 0));
    result("sigsuspend(setsize 4)", syscall(SYS_rt_sigsuspend, &s, 4));
    result("sigsuspend(bad)", syscall(SYS_rt_sigsuspend, (void *)8, 8));
}

static void test_info_and_masks(void)
{
    set_action(SIGUSR1, show_info, 0);
    printf("raise(SIGUSR1):\n");
    raise(SIGUSR1); /* tkill: SI_TKILL */
    printf("kill(me, SIGUSR1):\n");
    kill(self_pid, SIGUSR1); /* SI_USER */
    printf("tgkill(me, me, SIGUSR1):\n");
    syscall(SYS_tgkill, self_pid, self_pid, SIGUSR1);

    block(SIG_BLOCK, SIGUSR1);
    printf("blocked, raise:\n");
    raise(SIGUSR1);
    sigset_t p;
    sigpending(&p);
    printf("pending SIGUSR1 %d SIGUSR2 %d\n", sigismember(&p, SIGUSR1), sigismember(&p, SIGUSR2));
    printf("unblock:\n");
    block(SIG_UNBLOCK, SIGUSR1);
    printf("after unblock\n");
    sigpending(&p);
    printf("pending SIGUSR1 %d\n", sigismember(&p, SIGUSR1));

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    block(SIG_BLOCK, SIGUSR1);
    raise(SIGUSR1);
    sigaction(SIGUSR1, &sa, NULL); /* pending and now ignored: discarded */
    sigpending(&p);
    printf("ignored while pending: pending %d\n", sigismember(&p, SIGUSR1));
    block(SIG_UNBLOCK, SIGUSR1);
}

static int depth, max_depth, order[8], n_order;

static void nested(int sig, siginfo_t *si, void *uc)
{
    (void)si;
    (void)uc;
    order[n_order++] = sig * 10 + depth;
    depth++;
    if (depth > max_depth)
        max_depth = depth;
    if (sig == SIGUSR1 && n_order < 3)
        raise(SIGUSR1); /* deferred unless SA_NODEFER */
    if (sig == SIGUSR1 && n_order == 1)
        raise(SIGUSR2); /* another handler runs on top of this one */
    depth--;
}

static void show_order(const char *what)
{
    printf("%s: max depth %d, order", what, max_depth);
    for (int i = 0; i < n_order; i++)
        printf(" %d", order[i]);
    printf("\n");
    depth = max_depth = n_order = 0;
}

static void test_nesting(void)
{
    set_action(SIGUSR1, nested, 0);
    set_action(SIGUSR2, nested, 0);
    raise(SIGUSR1);
    show_order("deferred");
    set_action(SIGUSR1, nested, SA_NODEFER);
    raise(SIGUSR1);
    show_order("SA_NODEFER");

    set_action(SIGUSR1, show_info, SA_RESETHAND);
    raise(SIGUSR1);
    struct sigaction old;
    sigaction(SIGUSR1, NULL, &old);
    printf("SA_RESETHAND: now SIG_DFL %d\n", old.sa_handler == SIG_DFL);

    /* sa_mask: SIGUSR2 is blocked while the SIGUSR1 handler runs */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = nested;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    show_order("sa_mask SIGUSR2");
}

/* The handler uses the FPU registers the interrupted code keeps values in. */
static volatile double handler_sum;
static int handler_round;

static void fpu_handler(int sig)
{
    (void)sig;
    handler_round = fegetround() == FE_TONEAREST;
    fesetround(FE_DOWNWARD);
    __asm__ volatile("movq %0, %%xmm8\n\tmovq %0, %%xmm15" ::"r"(0xdeadull) : "xmm8", "xmm15");
    double x = 1.0;
    for (int i = 0; i < 10; i++)
        x = x * 1.5 + 0.1;
    handler_sum = x;
}

static void test_fpu(void)
{
    signal(SIGUSR1, fpu_handler);
    fesetround(FE_UPWARD);
    uint64_t kept = 0x0123456789abcdefull, back8, back15;
    long ret = SYS_tkill, tid = self_pid, sig = SIGUSR1;
    __asm__ volatile("movq %[v], %%xmm8\n\t"
                     "movq %[v], %%xmm15\n\t"
                     "syscall\n\t"
                     "movq %%xmm8, %[b8]\n\t"
                     "movq %%xmm15, %[b15]"
                     : [b8] "=r"(back8), [b15] "=r"(back15), "+a"(ret)
                     : [v] "r"(kept), "D"(tid), "S"(sig)
                     : "rcx", "r11", "memory", "xmm8", "xmm15");
    printf("FPU: xmm8 kept %d, xmm15 kept %d, handler saw default rounding %d, rounding kept %d\n",
           back8 == kept, back15 == kept, handler_round, fegetround() == FE_UPWARD);
    fesetround(FE_TONEAREST);
    printf("handler computed %.6f, tkill returned %ld\n", handler_sum, ret);
}

static char altstack[65536];
static int on_alt, alt_flags, alt_eperm;

static void alt_handler(int sig)
{
    (void)sig;
    char here;
    on_alt = &here >= altstack && &here < altstack + sizeof altstack;
    stack_t now, change = {.ss_sp = altstack, .ss_size = sizeof altstack};
    sigaltstack(NULL, &now);
    alt_flags = now.ss_flags;
    alt_eperm = sigaltstack(&change, NULL) < 0 && errno == EPERM;
}

static void test_altstack(void)
{
    stack_t ss = {.ss_sp = altstack, .ss_size = 1024}, old;
    result("sigaltstack(size 1024)", sigaltstack(&ss, NULL));
    ss.ss_flags = 42;
    ss.ss_size = sizeof altstack;
    result("sigaltstack(flags 42)", sigaltstack(&ss, NULL));
    result("sigaltstack(bad)", syscall(SYS_sigaltstack, (void *)8, NULL));
    sigaltstack(NULL, &old);
    printf("no alt stack: flags %d (SS_DISABLE %d)\n", old.ss_flags, SS_DISABLE);
    ss.ss_flags = 0;
    result("sigaltstack(64 KiB)", sigaltstack(&ss, NULL));
    sigaltstack(NULL, &old);
    printf("alt stack: flags %d, size %zu, ours %d\n", old.ss_flags, old.ss_size,
           old.ss_sp == altstack);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = alt_handler;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    printf("without SA_ONSTACK: on alt stack %d\n", on_alt);
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    printf("SA_ONSTACK: on alt stack %d, flags there %d, changing it there EPERM %d\n", on_alt,
           alt_flags, alt_eperm);
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
    raise(SIGUSR2);
    printf("disabled: on alt stack %d\n", on_alt);
}

static volatile int got;

static void count(int sig)
{
    (void)sig;
    got++;
}

static void test_suspend_and_wait(void)
{
    signal(SIGUSR1, count);
    block(SIG_BLOCK, SIGUSR1);
    pid_t c = fork();
    if (c == 0) {
        kill(getppid(), SIGUSR1); /* blocked in the parent until it suspends */
        _exit(0);
    }
    sigset_t none;
    sigemptyset(&none);
    got = 0;
    int r = sigsuspend(&none);
    printf("sigsuspend: %d %s, handler ran %d\n", r, strerror(errno), got);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("mask back: SIGUSR1 blocked %d\n", sigismember(&now, SIGUSR1));
    waitpid(c, NULL, 0);

    raise(SIGUSR1);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    siginfo_t si;
    struct timespec zero = {0, 0}, bad = {0, 1000000000}, ten_ms = {0, 10000000};
    r = sigtimedwait(&set, &si, &zero);
    printf("sigtimedwait: %d, si_signo %d, si_code %d, handler ran %d\n", r, si.si_signo,
           si.si_code, got);
    result("sigtimedwait(nothing, 0)", sigtimedwait(&set, &si, &zero));
    result("sigtimedwait(nothing, 10 ms)", sigtimedwait(&set, &si, &ten_ms));
    result("sigtimedwait(bad timeout)", sigtimedwait(&set, &si, &bad));
    c = fork();
    if (c == 0) {
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    r = sigwaitinfo(&set, &si); /* no timeout: it waits for the child's signal */
    printf("sigwaitinfo: %d, si_code %d, from child %d\n", r, si.si_code, si.si_pid == c);
    waitpid(c, NULL, 0);
    block(SIG_UNBLOCK, SIGUSR1);
}

/* A signal to a process that runs user code (not in a system call) reaches it at once. */
static volatile int stop_spinning;

static void stop_spin(int sig)
{
    (void)sig;
    stop_spinning = 1;
}

static void test_running_target(void)
{
    block(SIG_BLOCK, SIGUSR2); /* before the child can send it */
    pid_t c = fork();
    if (c == 0) {
        signal(SIGUSR1, stop_spin);
        kill(getppid(), SIGUSR2); /* ready */
        while (!stop_spinning)
            ;
        _exit(7);
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigwaitinfo(&set, NULL);
    block(SIG_UNBLOCK, SIGUSR2);
    kill(c, SIGUSR1);
    int status;
    waitpid(c, &status, 0);
    printf("spinning child: exited %d\n", WEXITSTATUS(status));
}

static void test_sigpipe(void)
{
    set_action(SIGPIPE, show_info, 0);
    int fd[2];
    pipe(fd);
    close(fd[0]);
    printf("write to a pipe without readers:\n");
    result("write", write(fd[1], "x", 1));
    close(fd[1]);
    signal(SIGPIPE, SIG_DFL);
}

/* A signal sent to the process is taken by the thread that does not block it. */
static volatile pid_t handled_by;
static sem_t ready;

static void note_thread(int sig)
{
    (void)sig;
    handled_by = (pid_t)syscall(SYS_gettid);
}

static void *suspender(void *arg)
{
    (void)arg;
    sigset_t none;
    sigemptyset(&none);
    sem_post(&ready);
    int r = sigsuspend(&none); /* SIGUSR1 stays blocked until here: no race */
    int err = errno;
    printf("other thread: sigsuspend %d %s, handled here %d\n", r, strerror(err),
           handled_by == (pid_t)syscall(SYS_gettid));
    return NULL;
}

static void test_threads(void)
{
    signal(SIGUSR1, note_thread);
    block(SIG_BLOCK, SIGUSR1); /* the new thread inherits the mask */
    sem_init(&ready, 0, 0);
    pthread_t th;
    pthread_create(&th, NULL, suspender, NULL);
    sem_wait(&ready);
    handled_by = 0;
    kill(self_pid, SIGUSR1);
    pthread_join(th, NULL);
    printf("main thread: handled here %d\n", handled_by == self_pid);
    block(SIG_UNBLOCK, SIGUSR1);
    signal(SIGUSR1, SIG_DFL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    self_pid = getpid();
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL); /* whatever the mask was */
    alarm(20); /* a watchdog: a wait that never ends kills the test (SIGALRM), not the caller */
    test_errors();
    test_info_and_masks();
    test_nesting();
    test_fpu();
    test_altstack();
    test_suspend_and_wait();
    test_running_target();
    test_sigpipe();
    test_threads();
    alarm(0);
    return 0;
}
