/*
 * alarm.c - the real-time interval timer and interrupted system calls:
 * alarm's old value, setitimer/getitimer (ITIMER_REAL) and their errors,
 * SIGALRM's default action, pause ended by a handler; a read and a wait4
 * that wait end with EINTR under a handler without SA_RESTART and are
 * restarted with SA_RESTART.  Periodic timers make every case end the same
 * way whenever the first expiry comes (even before the call starts to wait).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static void result(const char *what, long r)
{
    printf("%s: %ld %s\n", what, r, r < 0 ? strerror(errno) : "");
}

static void every(long usec)
{
    struct itimerval it = {{0, usec}, {0, usec}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static void disarm(void)
{
    struct itimerval it = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static volatile int ticks;
static int pipe_fd[2];
static pid_t victim;

static void tick(int sig)
{
    (void)sig;
    ticks++;
}

static void feed_pipe(int sig)
{
    (void)sig;
    ticks++;
    if (ticks == 1)
        write(pipe_fd[1], "!", 1);
}

static void kill_victim(int sig)
{
    (void)sig;
    ticks++;
    if (ticks == 1)
        kill(victim, SIGKILL);
}

static void on_alarm(void (*fn)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigaction(SIGALRM, &sa, NULL);
    ticks = 0;
}

static void test_values(void)
{
    result("alarm(0)", alarm(0));
    alarm(100);
    result("alarm(5) after alarm(100)", alarm(5));
    result("alarm(0) after alarm(5)", alarm(0));
    struct itimerval it = {{2, 500000}, {10, 0}}, old, now;
    result("setitimer(10 s every 2.5 s)", setitimer(ITIMER_REAL, &it, &old));
    printf("old: %ld.%06ld every %ld.%06ld\n", (long)old.it_value.tv_sec,
           (long)old.it_value.tv_usec, (long)old.it_interval.tv_sec, (long)old.it_interval.tv_usec);
    getitimer(ITIMER_REAL, &now);
    printf("getitimer: interval %ld.%06ld, value between 9 and 10 s %d\n",
           (long)now.it_interval.tv_sec, (long)now.it_interval.tv_usec,
           now.it_value.tv_sec == 9 || (now.it_value.tv_sec == 10 && now.it_value.tv_usec == 0));
    disarm();
    getitimer(ITIMER_REAL, &now);
    printf("disarmed: %ld.%06ld\n", (long)now.it_value.tv_sec, (long)now.it_value.tv_usec);
    struct itimerval bad = {{0, 0}, {0, 1000000}};
    result("setitimer(usec 1000000)", setitimer(ITIMER_REAL, &bad, NULL));
    bad.it_value.tv_usec = -1;
    result("setitimer(usec -1)", setitimer(ITIMER_REAL, &bad, NULL));
    result("setitimer(which 7)", setitimer(7, &it, NULL));
    result("getitimer(which 7)", getitimer(7, &now));
    result("setitimer(bad new)", syscall(SYS_setitimer, ITIMER_REAL, (void *)8, NULL));
    result("getitimer(bad)", syscall(SYS_getitimer, ITIMER_REAL, (void *)8));
}

static void test_default_and_pause(void)
{
    pid_t c = fork();
    if (c == 0) {
        every(20000);
        for (;;)
            pause();
    }
    int status;
    waitpid(c, &status, 0);
    printf("SIGALRM's default: killed by %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0);

    on_alarm(tick, 0);
    every(20000);
    int r = pause();
    printf("pause: %d %s, ticks >= 1: %d\n", r, strerror(errno), ticks >= 1);
    while (ticks < 3)
        pause();
    disarm();
    printf("three ticks of a periodic timer: %d\n", ticks >= 3);
}

static void test_interrupted(void)
{
    char c;
    pipe(pipe_fd);
    on_alarm(tick, 0);
    every(20000);
    result("read, no SA_RESTART", read(pipe_fd[0], &c, 1));
    disarm();

    on_alarm(feed_pipe, SA_RESTART);
    every(20000);
    result("read, SA_RESTART (the handler writes a byte)", read(pipe_fd[0], &c, 1));
    disarm();
    printf("  read %c\n", c);

    victim = fork();
    if (victim == 0)
        for (;;)
            pause();
    on_alarm(tick, 0);
    every(20000);
    int status;
    result("wait4, no SA_RESTART", waitpid(victim, &status, 0));
    disarm();

    on_alarm(kill_victim, SA_RESTART);
    every(20000);
    pid_t got = waitpid(victim, &status, 0);
    disarm();
    printf("wait4, SA_RESTART (the handler kills the child): the child %d, killed by %d\n",
           got == victim, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    close(pipe_fd[0]);
    close(pipe_fd[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    test_values();
    test_default_and_pause();
    test_interrupted();
    return 0;
}
