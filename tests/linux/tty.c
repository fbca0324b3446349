/*
 * tty.c - the terminal as a program sees it, driven from the serial line by
 * the system test linux-tty (tests/system/systest.py): each "tty: ..." line
 * asks the harness to type something.  Canonical reads with Delete, ^D's end
 * of file, echo off, raw mode with VMIN and VTIME, FIONREAD, O_NONBLOCK,
 * the window size, and job control: the foreground process group, a
 * background reader (SIGTTIN ignored: EIO), ^C ending the foreground job,
 * TIOCSPGRP's and TIOCSCTTY's errors, TIOCNOTTY, a new session without a
 * controlling terminal.  It runs as a run-list program: a session leader
 * whose controlling terminal is the console.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void result(const char *what, long r)
{
    if (r < 0)
        printf("%s: %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, r);
}

static void yes(const char *what, int cond)
{
    printf("%s: %s\n", what, cond ? "yes" : "no");
}

/* Read once from the terminal and show what came. */
static void show_read(const char *what, size_t len)
{
    char buf[256];
    ssize_t n = read(0, buf, len < sizeof buf ? len : sizeof buf);
    if (n < 0) {
        printf("%s: %s\n", what, strerror(errno));
        return;
    }
    printf("%s: %zd [", what, n);
    for (ssize_t i = 0; i < n; i++)
        printf(buf[i] == '\n' ? "\\n" : "%c", buf[i]);
    printf("]\n");
}

static void canonical(void)
{
    struct termios t;
    yes("isatty(0)", isatty(0));
    result("tcgetattr", tcgetattr(0, &t));
    yes("ICANON, ECHO, ISIG, ICRNL",
        (t.c_lflag & ICANON) && (t.c_lflag & ECHO) && (t.c_lflag & ISIG) && (t.c_iflag & ICRNL));
    yes("^C ^\\ ^Z ^D DEL ^U", t.c_cc[VINTR] == 3 && t.c_cc[VQUIT] == 0x1c &&
                                   t.c_cc[VSUSP] == 0x1a && t.c_cc[VEOF] == 4 &&
                                   t.c_cc[VERASE] == 0x7f && t.c_cc[VKILL] == 0x15);
    printf("tty: type a line\n");
    show_read("line", 256);
    printf("tty: type a long line\n");
    show_read("first part", 4); /* a short read takes part of the line, the rest comes next */
    show_read("the rest", 256);
    printf("tty: type end of file\n");
    show_read("eof", 256);
    struct termios quiet = t;
    quiet.c_lflag &= ~ECHO;
    tcsetattr(0, TCSANOW, &quiet);
    printf("tty: type a secret\n");
    show_read("secret", 256);
    tcsetattr(0, TCSANOW, &t);
}

static void raw(void)
{
    struct termios t, r;
    tcgetattr(0, &t);
    r = t;
    r.c_lflag &= ~(ICANON | ECHO);
    r.c_cc[VMIN] = 5;
    r.c_cc[VTIME] = 0;
    result("tcsetattr raw, VMIN 5", tcsetattr(0, TCSAFLUSH, &r));
    printf("tty: type five keys\n");
    show_read("raw read", 256);
    r.c_cc[VMIN] = 0;
    r.c_cc[VTIME] = 3;
    tcsetattr(0, TCSANOW, &r);
    show_read("VMIN 0, VTIME 3, nothing typed", 256);
    r.c_cc[VTIME] = 0;
    tcsetattr(0, TCSANOW, &r);
    show_read("VMIN 0, VTIME 0", 256);
    printf("tty: type three keys\n");
    int n = 0;
    while (ioctl(0, FIONREAD, &n) == 0 && n < 3)
        nanosleep(&(struct timespec){0, 10000000}, 0);
    printf("FIONREAD: %d\n", n);
    show_read("raw read", 256);
    r.c_cc[VMIN] = 1;
    tcsetattr(0, TCSANOW, &r);
    int flags = fcntl(0, F_GETFL);
    fcntl(0, F_SETFL, flags | O_NONBLOCK);
    show_read("O_NONBLOCK, nothing typed", 256);
    fcntl(0, F_SETFL, flags);
    result("tcsetattr back to canonical", tcsetattr(0, TCSAFLUSH, &t));
}

static void window(void)
{
    struct winsize w;
    result("TIOCGWINSZ", ioctl(0, TIOCGWINSZ, &w));
    printf("window: %d x %d\n", w.ws_row, w.ws_col);
    struct winsize big = {40, 100, 0, 0};
    result("TIOCSWINSZ", ioctl(0, TIOCSWINSZ, &big));
    ioctl(0, TIOCGWINSZ, &w);
    printf("window: %d x %d\n", w.ws_row, w.ws_col);
    result("TCGETS to a bad pointer", ioctl(0, TCGETS, (void *)8));
    result("TCSETS from a bad pointer", ioctl(0, TCSETS, (void *)8));
    result("TIOCGWINSZ to a bad pointer", ioctl(0, TIOCGWINSZ, (void *)8));
    result("TIOCSPGRP from a bad pointer", ioctl(0, TIOCSPGRP, (void *)8));
    result("FIONREAD to a bad pointer", ioctl(0, FIONREAD, (void *)8));
    result("an unknown ioctl", ioctl(0, 0x5499, 0));
    result("TCFLSH with a bad queue", ioctl(0, TCFLSH, 7));
}

static void job_control(void)
{
    pid_t me = getpid();
    yes("a session leader", getsid(0) == me && getpgrp() == me);
    yes("the foreground group is mine", tcgetpgrp(0) == me);
    pid_t sid = 0;
    result("TIOCGSID", ioctl(0, TIOCGSID, &sid));
    yes("... my session", sid == me);
    result("tcsetpgrp(-1)", tcsetpgrp(0, -1));
    int hold[2];
    pipe(hold);
    pid_t c = fork();
    if (c == 0) { /* the foreground job: waits until the parent lets it end (or ^C) */
        char b;
        setpgid(0, 0);
        close(hold[1]);
        read(hold[0], &b, 1);
        _exit(0);
    }
    close(hold[0]);
    setpgid(c, c);
    signal(SIGTTOU, SIG_IGN); /* as a shell does: it may take the terminal back */
    signal(SIGTTIN, SIG_IGN);
    result("tcsetpgrp(child's group)", tcsetpgrp(0, c));
    yes("the foreground group is the child's", tcgetpgrp(0) == c);
    show_read("a read from the background (SIGTTIN ignored)", 256);
    printf("tty: press ^C\n");
    int status;
    waitpid(c, &status, 0);
    printf("the foreground job: %s %d\n", WIFSIGNALED(status) ? "killed by signal" : "exited",
           WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    close(hold[1]);
    result("tcsetpgrp(mine) from the background", tcsetpgrp(0, me));
    yes("the foreground group is mine again", tcgetpgrp(0) == me);
    /* a background job reads: it gets SIGTTIN and waits until a shell's `fg` (the terminal
     * handed to its group, SIGCONT) lets it read */
    int sync[2];
    pipe(sync);
    c = fork();
    if (c == 0) {
        setpgid(0, 0);
        signal(SIGTTIN, SIG_DFL);
        write(sync[1], "r", 1);
        show_read("the background job's read, once in the foreground", 256);
        _exit(0);
    }
    setpgid(c, c);
    char b;
    read(sync[0], &b, 1);
    nanosleep(&(struct timespec){0, 200000000}, 0); /* its read is (most likely) waiting now */
    tcsetpgrp(0, c);
    kill(-c, SIGCONT);
    printf("tty: type for the job\n");
    waitpid(c, &status, 0);
    printf("the job: exited %d\n", WEXITSTATUS(status));
    result("tcsetpgrp(mine) again", tcsetpgrp(0, me));
    /* a child: not a session leader; one in a new session has no controlling terminal */
    c = fork();
    if (c == 0) {
        result("child: TIOCSCTTY", ioctl(0, TIOCSCTTY, 0));
        result("child: TIOCNOTTY", ioctl(0, TIOCNOTTY, 0));
        result("child: tcgetpgrp after TIOCNOTTY", tcgetpgrp(0));
        _exit(0);
    }
    waitpid(c, 0, 0);
    c = fork();
    if (c == 0) {
        setsid();
        result("new session: tcgetpgrp", tcgetpgrp(0));
        result("new session: tcsetpgrp", tcsetpgrp(0, getpid()));
        result("new session: TIOCSCTTY of a terminal another session has", ioctl(0, TIOCSCTTY, 0));
        _exit(0);
    }
    waitpid(c, 0, 0);
    pid_t gone = fork();
    if (gone == 0)
        _exit(0);
    waitpid(gone, 0, 0);
    result("tcsetpgrp(no such group)", tcsetpgrp(0, gone));
    int p[2];
    pipe(p);
    result("ioctl(TCGETS) on a pipe", ioctl(p[0], TCGETS, &(struct termios){0}));
}

int main(void)
{
    setvbuf(stdout, 0, _IONBF, 0);
    canonical();
    raw();
    window();
    job_control();
    printf("tty: done\n");
    return 0;
}
