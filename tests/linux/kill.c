/*
 * kill.c - kill without signal delivery: SIGKILL ends a child that spins
 * and one blocked in wait4; a default-action SIGTERM ends a child; an
 * ignored one does nothing; signal 0 checks that a process exists;
 * ESRCH and EINVAL.  Children tell the parent they are ready through a
 * file, so nothing depends on timing.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

static void touch(const char *name)
{
    close(open(name, O_CREAT | O_WRONLY, 0644));
}

static void await(const char *name)
{
    while (access(name, F_OK) != 0)
        ;
    unlink(name);
}

static void result(const char *what, int r)
{
    printf("%s: %d %s\n", what, r, r < 0 ? strerror(errno) : "");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    unlink("ready");
    pid_t c = fork();
    if (c == 0) {
        touch("ready");
        for (;;)
            ;
    }
    await("ready");
    result("kill(child, 0)", kill(c, 0));
    result("kill(child, SIGKILL)", kill(c, SIGKILL));
    reap("spinning child", c);
    result("kill(reaped child, 0)", kill(c, 0));
    result("kill(child, 65)", kill(getpid(), 65));

    c = fork();
    if (c == 0) {
        pid_t g = fork();
        if (g == 0) {
            await("go");
            _exit(0);
        }
        touch("ready");
        waitpid(g, NULL, 0);
        _exit(1);
    }
    await("ready");
    result("kill(waiting child, SIGKILL)", kill(c, SIGKILL));
    reap("child blocked in wait4", c);
    touch("go"); /* its own child, now an orphan, may end */

    c = fork();
    if (c == 0) {
        signal(SIGTERM, SIG_IGN);
        touch("ready");
        await("go2");
        _exit(4);
    }
    await("ready");
    result("kill(child ignoring SIGTERM, SIGTERM)", kill(c, SIGTERM));
    result("kill(it, SIGCHLD)", kill(c, SIGCHLD));
    touch("go2");
    reap("it goes on", c);

    c = fork();
    if (c == 0) {
        touch("ready");
        for (;;)
            ;
    }
    await("ready");
    result("kill(child, SIGTERM)", kill(c, SIGTERM));
    reap("default SIGTERM", c);
    return 0;
}
