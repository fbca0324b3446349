/*
 * pipe.c - pipes: pipe and pipe2, end of file when the writers are gone,
 * EPIPE when the readers are gone (SIGPIPE ignored) and death by SIGPIPE
 * (its default action), O_NONBLOCK's EAGAIN on an empty and on a full
 * pipe (64 KiB), a pipeline between processes through dup2 onto 0 and 1
 * and execve (this program run again as a filter: `pipe upper`), a 1 MiB
 * transfer in pieces of many sizes with a checksum (the writer waits for
 * room, the reader for data), readv and writev, ESPIPE, S_IFIFO and the error paths (EFAULT,
 * EINVAL, EBADF). Output is unbuffered so that no buffered text is copied into a child.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char *what, long r)
{
    if (r < 0)
        printf("%s: %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, r);
}

static void show_status(const char *what, int status)
{
    if (WIFEXITED(status))
        printf("%s: exited %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("%s: killed by signal %d\n", what, WTERMSIG(status));
}

/* `pipe upper`: copy standard input to standard output in capitals, until end of file. */
static int upper(void)
{
    char buf[100];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] >= 'a' && buf[i] <= 'z')
                buf[i] -= 32;
        if (write(1, buf, (size_t)n) != n)
            return 2;
    }
    return n < 0 ? 1 : 0;
}

static void basics(void)
{
    int p[2];
    char buf[64];
    say("pipe", pipe(p));
    say("write", write(p[1], "hello, pipe", 11));
    say("read 5", read(p[0], buf, 5));
    say("read the rest", read(p[0], buf + 5, sizeof buf - 5));
    printf("got %.11s\n", buf);
    struct stat st;
    say("fstat", fstat(p[0], &st));
    printf("S_ISFIFO %d, mode %o, size %ld\n", S_ISFIFO(st.st_mode), st.st_mode & 0777,
           (long)st.st_size);
    say("lseek", lseek(p[0], 0, SEEK_CUR));
    say("pread", pread(p[0], buf, 1, 0));
    say("pwrite", pwrite(p[1], buf, 1, 0));
    say("read the write end", read(p[1], buf, 1));
    say("write the read end", write(p[0], buf, 1));
    say("zero-length read", read(p[0], buf, 0));
    say("zero-length write", write(p[1], buf, 0));
    say("F_GETFL read end", fcntl(p[0], F_GETFL) & (O_ACCMODE | O_NONBLOCK));
    say("F_GETFL write end", fcntl(p[1], F_GETFL) & (O_ACCMODE | O_NONBLOCK));
    /* end of file once every writer is gone: a dup keeps the end open */
    int w2 = dup(p[1]);
    say("close the write end", close(p[1]));
    say("write through the dup", write(w2, "x", 1));
    say("read", read(p[0], buf, sizeof buf));
    say("close the dup", close(w2));
    say("read at end of file", read(p[0], buf, sizeof buf));
    close(p[0]);
}

static void epipe(void)
{
    int p[2];
    signal(SIGPIPE, SIG_IGN);
    say("pipe", pipe(p));
    say("close the read end", close(p[0]));
    say("write without readers", write(p[1], "x", 1));
    close(p[1]);
    signal(SIGPIPE, SIG_DFL);
    /* the default action of SIGPIPE ends the writer; the read end is closed before the fork,
     * so that no reader exists when the child writes, whoever runs first */
    say("pipe", pipe(p));
    close(p[0]);
    pid_t c = fork();
    if (c == 0) {
        write(p[1], "x", 1);
        _exit(0);
    }
    close(p[1]);
    int status = 0;
    waitpid(c, &status, 0);
    show_status("writer without readers", status);
}

static void nonblocking(void)
{
    int p[2];
    char buf[4096];
    memset(buf, 'n', sizeof buf);
    say("pipe2 O_NONBLOCK", pipe2(p, O_NONBLOCK | O_CLOEXEC));
    say("F_GETFL", fcntl(p[0], F_GETFL) & (O_ACCMODE | O_NONBLOCK));
    say("F_GETFD", fcntl(p[0], F_GETFD));
    say("read empty", read(p[0], buf, sizeof buf));
    long total = 0, r;
    while ((r = write(p[1], buf, sizeof buf)) > 0)
        total += r;
    printf("filled with %ld bytes, then: %s\n", total, strerror(errno));
    say("write 1 byte to the full pipe", write(p[1], buf, 1));
    say("read 4096", read(p[0], buf, sizeof buf));
    say("write 4096 into the room", write(p[1], buf, sizeof buf));
    say("then 1 more", write(p[1], buf, 1));
    /* F_SETFL turns O_NONBLOCK off and on */
    say("F_SETFL 0", fcntl(p[0], F_SETFL, 0));
    say("F_GETFL", fcntl(p[0], F_GETFL) & O_NONBLOCK);
    close(p[0]);
    close(p[1]);
    say("pipe2 bad flags", pipe2(p, O_APPEND));
    say("pipe bad pointer", syscall(SYS_pipe, (int *)8));
    say("pipe2 bad pointer", syscall(SYS_pipe2, (int *)8, 0));
}

static void vectors(void)
{
    int p[2];
    char a[4], b[8];
    say("pipe", pipe(p));
    struct iovec out[3] = {{"abc", 3}, {"", 0}, {"defghij", 7}};
    say("writev", writev(p[1], out, 3));
    struct iovec in[2] = {{a, sizeof a}, {b, sizeof b}};
    say("readv", readv(p[0], in, 2));
    printf("got %.4s and %.6s\n", a, b);
    say("write 1", write(p[1], "k", 1));
    say("read into a bad buffer", read(p[0], (void *)8, 1)); /* the byte stays in the pipe */
    say("read", read(p[0], a, sizeof a));
    say("writev from a bad buffer", writev(p[1], (struct iovec[]){{(void *)8, 1}}, 1));
    close(p[0]);
    close(p[1]);
}

/* A pipeline: `echo`-like parent | pipe upper | parent reads. */
static void pipeline(void)
{
    int in[2], out[2];
    say("pipe", pipe(in));
    say("pipe", pipe(out));
    pid_t c = fork();
    if (c == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        char *args[] = {"pipe", "upper", 0};
        execve("bin/pipe", args, (char *[]){0});
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    const char *text = "through a filter and back\n";
    say("write to the filter", write(in[1], text, strlen(text)));
    close(in[1]);
    char buf[100];
    long got = 0, r;
    while ((r = read(out[0], buf + got, sizeof buf - (size_t)got)) > 0)
        got += r;
    printf("the filter gave %ld bytes: %.*s", got, (int)got, buf);
    close(out[0]);
    int status = 0;
    waitpid(c, &status, 0);
    show_status("filter", status);
}

/* 1 MiB from a child in writes of many sizes, read in pieces of other sizes. */
static void transfer(void)
{
    enum { TOTAL = 1 << 20 };
    static const size_t wsizes[] = {1, 100, 4096, 5000, 70000, 200000, 3};
    static const size_t rsizes[] = {7, 4096, 65536, 1000, 100000};
    static unsigned char buf[200000];
    int p[2];
    say("pipe", pipe(p));
    pid_t c = fork();
    if (c == 0) {
        close(p[0]);
        long sent = 0;
        for (unsigned i = 0; sent < TOTAL; i++) {
            size_t n = wsizes[i % 7];
            if (n > (size_t)(TOTAL - sent))
                n = (size_t)(TOTAL - sent);
            for (size_t k = 0; k < n; k++)
                buf[k] = (unsigned char)((sent + (long)k) * 7 + 3);
            ssize_t w = write(p[1], buf, n);
            if (w != (ssize_t)n)
                _exit(1);
            sent += w;
        }
        _exit(0);
    }
    close(p[1]);
    long got = 0, bad = 0;
    unsigned long sum = 0;
    ssize_t r;
    for (unsigned i = 0; (r = read(p[0], buf, rsizes[i % 5])) > 0; i++) {
        for (ssize_t k = 0; k < r; k++) {
            if (buf[k] != (unsigned char)((got + k) * 7 + 3))
                bad++;
            sum = sum * 31 + buf[k];
        }
        got += r;
    }
    printf("received %ld bytes, %ld wrong, checksum %lx\n", got, bad, sum);
    close(p[0]);
    int status = 0;
    waitpid(c, &status, 0);
    show_status("writer", status);
}

/* A reader waiting for an empty pipe is killed: its wait ends with it. */
static void killed_reader(void)
{
    int p[2];
    say("pipe", pipe(p));
    pid_t c = fork();
    if (c == 0) {
        char b;
        read(p[0], &b, 1);
        _exit(3);
    }
    say("kill the waiting reader", kill(c, SIGKILL));
    int status = 0;
    waitpid(c, &status, 0);
    show_status("reader", status);
    say("the pipe still works", write(p[1], "y", 1));
    char b = 0;
    say("read", read(p[0], &b, 1));
    close(p[0]);
    close(p[1]);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, 0, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "upper") == 0)
        return upper();
    basics();
    epipe();
    nonblocking();
    vectors();
    pipeline();
    transfer();
    killed_reader();
    return 0;
}
