/*
 * pgrp.c - process groups and sessions: setpgid, getpgid, getpgrp,
 * setsid, getsid with Linux's rules and errors (ESRCH, EPERM, EACCES after
 * a child's execve, EINVAL); kill(0, sig) and kill(-pgid, sig); wait4 with
 * pid 0 and -pgid.  The work happens in a child that starts a session of
 * its own, so it is the same wherever the program itself runs (on Linux
 * under the test harness, on Mica as a session leader).  Pids differ
 * between the two systems: only their relations are printed.  Children
 * wait by reading pipes, so nothing depends on timing.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void result(const char *what, long r)
{
    if (r < 0)
        printf("%s: %s\n", what, strerror(errno));
    else
        printf("%s: %s\n", what, r == 0 ? "0" : "ok");
}

static void yes(const char *what, int cond)
{
    printf("%s: %s\n", what, cond ? "yes" : "no");
}

static void reap(const char *what, pid_t pid)
{
    int status = 0;
    pid_t got = waitpid(pid, &status, 0);
    if (got < 0)
        printf("%s: %s\n", what, strerror(errno));
    else if (WIFSIGNALED(status))
        printf("%s: killed by signal %d\n", what, WTERMSIG(status));
    else
        printf("%s: exited %d\n", what, WEXITSTATUS(status));
}

/* A child that waits until fd reaches end of file (its parent closes the other end). */
static pid_t waiter(int fd, int other)
{
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(other);
        while (read(fd, &c, 1) > 0)
            ;
        _exit(0);
    }
    return pid;
}

/* A pid that is surely nobody's now: a child's, reaped. */
static pid_t unused_pid(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    waitpid(pid, 0, 0);
    return pid;
}

static void groups(void)
{
    pid_t me = getpid();
    int hold[2];
    pipe(hold);
    pid_t a = waiter(hold[0], hold[1]), b = waiter(hold[0], hold[1]);
    yes("a child starts in its parent's group", getpgid(a) == me);
    yes("... and session", getsid(a) == me);
    result("setpgid(a, a)", setpgid(a, a));
    yes("a leads its group", getpgid(a) == a);
    result("setpgid(b, a): join a's group", setpgid(b, a));
    yes("b is in a's group", getpgid(b) == a);
    result("setpgid(b, 0): a group of its own", setpgid(b, 0));
    yes("b leads its group", getpgid(b) == b);
    result("setpgid(b, me): back", setpgid(b, me));
    result("setpgid(b, a)", setpgid(b, a));
    result("setpgid(b, no such group)", setpgid(b, unused_pid()));
    result("setpgid(parent, 0): not a child", setpgid(getppid(), 0));
    result("setpgid(0, -1)", setpgid(0, -1));
    result("setpgid(me, me): a session leader", setpgid(me, me));
    result("kill(-a, 0)", kill(-a, 0));
    result("kill(-a, SIGKILL): a and b", kill(-a, SIGKILL));
    int status;
    pid_t got1 = waitpid(-a, &status, 0);
    yes("wait4(-a) reaps one killed by SIGKILL",
        got1 > 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    pid_t got2 = waitpid(-a, &status, 0);
    yes("... and the other", got2 > 0 && got2 != got1 && WIFSIGNALED(status));
    result("wait4(-a) again", waitpid(-a, &status, 0));
    result("kill(-a, 0) with the group gone", kill(-a, 0));
    close(hold[0]);
    close(hold[1]);
}

static void wait_groups(void)
{
    int go[2];
    pipe(go);
    pid_t mine = fork();
    if (mine == 0) {
        char c;
        close(go[1]);
        read(go[0], &c, 1);
        _exit(3);
    }
    pid_t away = fork();
    if (away == 0) {
        char c;
        setpgid(0, 0);
        close(go[1]);
        read(go[0], &c, 1);
        _exit(4);
    }
    setpgid(away, away); /* both do it, as shells do: whoever runs first */
    close(go[1]);        /* both may end now */
    int status;
    pid_t got = waitpid(0, &status, 0);
    yes("wait4(0) reaps the child in my group", got == mine && WEXITSTATUS(status) == 3);
    result("wait4(0) with none left in my group", waitpid(0, &status, 0));
    got = waitpid(-away, &status, 0);
    yes("wait4(-away) reaps the other", got == away && WEXITSTATUS(status) == 4);
    close(go[0]);
}

/* kill(0, SIGKILL) in a child g that leads a group with its own child h: both end. */
static void kill_own_group(void)
{
    int alive[2];
    pipe(alive);
    pid_t g = fork();
    if (g == 0) {
        setpgid(0, 0);
        pid_t h = fork();
        if (h == 0) { /* holds alive[1] until it dies; waits for ever on its own pipe */
            int never[2];
            char c;
            pipe(never);
            close(alive[0]);
            read(never[0], &c, 1);
            _exit(0);
        }
        close(alive[1]);
        kill(0, SIGKILL);
        _exit(1); /* not reached */
    }
    close(alive[1]);
    reap("g after kill(0, SIGKILL)", g);
    char c;
    result("h's end of the pipe closed: h was killed too", read(alive[0], &c, 1));
    close(alive[0]);
}

/* execve in a child: its parent may not change its group any more (EACCES). */
static void after_exec(void)
{
    int ready[2], hold[2];
    pipe(ready);
    pipe(hold);
    pid_t c = fork();
    if (c == 0) {
        char fds[2][12];
        snprintf(fds[0], sizeof fds[0], "%d", ready[1]);
        snprintf(fds[1], sizeof fds[1], "%d", hold[0]);
        close(ready[0]);
        close(hold[1]);
        execl("bin/pgrp", "pgrp", "exec", fds[0], fds[1], (char *)0);
        _exit(127);
    }
    close(ready[1]);
    close(hold[0]);
    char b;
    yes("the child runs its new program", read(ready[0], &b, 1) == 1);
    result("setpgid(child, child) after its execve", setpgid(c, c));
    close(hold[1]);
    reap("the exec'd child", c);
    close(ready[0]);
}

static void session(void)
{
    pid_t me = getpid();
    yes("getpgrp() is getpgid(0)", getpgrp() == getpgid(0));
    yes("a forked child leads no group", getpgrp() != me);
    yes("setsid() gives my pid", setsid() == me);
    yes("getsid(0) is my pid", getsid(0) == me);
    yes("getpgrp() is my pid", getpgrp() == me);
    yes("getsid(me) is my pid", getsid(me) == me);
    result("setsid() again: a group leader", setsid());
    groups();
    wait_groups();
    kill_own_group();
    after_exec();
    /* a child that starts a session of its own: its parent cannot move it */
    int hold[2];
    pipe(hold);
    pid_t s = fork();
    if (s == 0) {
        char c;
        setsid();
        close(hold[1]);
        read(hold[0], &c, 1);
        _exit(0);
    }
    close(hold[0]);
    while (getsid(s) != s) /* until the child has made its session */
        ;
    result("setpgid(child in another session, me)", setpgid(s, me));
    yes("getsid(child) is its own pid", getsid(s) == s);
    close(hold[1]);
    reap("that child", s);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "exec") == 0) { /* after_exec's child, its new program */
        char c;
        write(atoi(argv[2]), "r", 1);
        read(atoi(argv[3]), &c, 1);
        return 5;
    }
    setvbuf(stdout, 0, _IONBF, 0);
    pid_t c = fork();
    if (c == 0) {
        session();
        _exit(0);
    }
    reap("the session's leader", c);
    pid_t gone = unused_pid();
    result("getpgid(no such process)", getpgid(gone));
    result("getsid(no such process)", getsid(gone));
    result("setpgid(no such process, 0)", setpgid(gone, 0));
    result("kill(-no such group, 0)", kill(-gone, 0));
    result("kill(INT_MIN, 0)", kill(INT_MIN, 0));
    result("getpgid(-1)", getpgid(-1));
    return 0;
}
