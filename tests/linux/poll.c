/*
 * poll.c - differential test: poll, ppoll, select, pselect6 on pipes and
 * files - readiness, waiting until a child writes, timeouts, POLLHUP,
 * POLLERR, POLLNVAL, and the errors (EINVAL, EFAULT, EBADF).  Standard
 * input and output are not polled: on the host they are pipes, on Mica a
 * terminal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void spin_ms(long ms)
{
    long end = now_ms() + ms;
    while (now_ms() < end)
        ;
}

static void result(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, r);
}

static void show(const char *what, int r, const struct pollfd *p, int n)
{
    printf("%s: %d", what, r);
    for (int i = 0; i < n; i++)
        printf(" [%#x]", p[i].revents);
    printf("\n");
}

static void poll_pipes(void)
{
    int fd[2];
    pipe(fd);
    struct pollfd p[3] = {{fd[0], POLLIN, 0}, {fd[1], POLLOUT, 0}, {-1, POLLIN, 0}};
    show("empty pipe", poll(p, 3, 0), p, 3);
    write(fd[1], "x", 1);
    show("one byte in it", poll(p, 3, 0), p, 3);
    char c;
    read(fd[0], &c, 1);
    long t0 = now_ms();
    int r = poll(p, 1, 100);
    long waited = now_ms() - t0;
    printf("a timeout of 100 ms: %d, waited at least 90 ms: %s\n", r, waited >= 90 ? "yes" : "no");
    fflush(stdout);
    pid_t c1 = fork();
    if (c1 == 0) {
        spin_ms(100);
        write(fd[1], "late", 4);
        _exit(0);
    }
    show("waiting for a child's write", poll(p, 1, -1), p, 1);
    waitpid(c1, 0, 0);
    close(fd[1]);
    show("writer gone, bytes left", poll(p, 1, 0), p, 1);
    char buf[8];
    read(fd[0], buf, sizeof buf);
    show("writer gone, empty", poll(p, 1, -1), p, 1);
    close(fd[0]);
    show("a closed descriptor", poll(p, 1, 0), p, 1);
    pipe(fd);
    close(fd[0]);
    struct pollfd w = {fd[1], POLLOUT, 0};
    show("no reader left", poll(&w, 1, 0), &w, 1);
    close(fd[1]);
    pipe(fd);
    fcntl(fd[1], F_SETFL, O_NONBLOCK);
    while (write(fd[1], buf, sizeof buf) > 0)
        ;
    w.fd = fd[1];
    show("a full pipe", poll(&w, 1, 0), &w, 1);
    close(fd[0]);
    close(fd[1]);
    int file = open("data/greeting.txt", O_RDONLY);
    struct pollfd f = {file, POLLIN | POLLOUT | POLLPRI, 0};
    show("a file", poll(&f, 1, 0), &f, 1);
    close(file);
}

static void poll_errors(void)
{
    struct pollfd p = {0, POLLIN, 0};
    result("poll a bad pointer", poll((void *)8, 1, 0));
    result("poll too many", poll(&p, 100000, 0));
    struct timespec bad = {0, 1000000000};
    result("ppoll a bad timeout", ppoll(&p, 1, &bad, 0));
    result("ppoll a bad timeout pointer", syscall(SYS_ppoll, &p, 1, (void *)8, 0, 8));
    result("poll nothing, 10 ms", poll(0, 0, 10));
}

static void selecting(void)
{
    int fd[2];
    pipe(fd);
    fd_set in, out;
    FD_ZERO(&in);
    FD_ZERO(&out);
    FD_SET(fd[0], &in);
    FD_SET(fd[1], &out);
    struct timeval tv = {0, 0};
    int r = select(fd[1] + 1, &in, &out, 0, &tv);
    printf("select: %d, read end %s, write end %s\n", r, FD_ISSET(fd[0], &in) ? "ready" : "not",
           FD_ISSET(fd[1], &out) ? "ready" : "not");
    FD_ZERO(&in);
    FD_SET(fd[0], &in);
    tv.tv_sec = 0;
    tv.tv_usec = 50000;
    r = select(fd[0] + 1, &in, 0, 0, &tv);
    printf("select times out: %d, time left %ld.%06ld\n", r, (long)tv.tv_sec, (long)tv.tv_usec);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        spin_ms(50);
        write(fd[1], "y", 1);
        _exit(0);
    }
    FD_ZERO(&in);
    FD_SET(fd[0], &in);
    r = select(fd[0] + 1, &in, 0, 0, 0);
    printf("select waits for the child: %d, %s\n", r, FD_ISSET(fd[0], &in) ? "readable" : "not");
    waitpid(c, 0, 0);
    FD_ZERO(&in);
    FD_SET(fd[0], &in);
    struct timespec ts = {1, 0};
    r = pselect(fd[0] + 1, &in, 0, 0, &ts, 0);
    printf("pselect: %d\n", r);
    close(fd[0]);
    close(fd[1]);
    FD_ZERO(&in);
    FD_SET(fd[0], &in);
    tv.tv_sec = 0;
    result("select a closed descriptor", select(fd[0] + 1, &in, 0, 0, &tv));
    result("select negative nfds", select(-1, 0, 0, 0, &tv));
    tv.tv_usec = 2000000;
    result("select a bad timeval", select(1, 0, 0, 0, &tv));
    result("select a bad set pointer", syscall(SYS_select, 1, (void *)8, 0, 0, 0));
}

int main(void)
{
    setvbuf(stdout, 0, _IOLBF, 0);
    poll_pipes();
    poll_errors();
    selecting();
    return 0;
}
