/*
 * sigchld.c - children and signals: SIGCHLD's siginfo for an exit, a kill, a
 * stop and a continue; wait4 with WUNTRACED and WCONTINUED (stopped and
 * continued statuses); SIGSTOP, SIGTSTP and SIGCONT really stop and resume
 * the child; SA_NOCLDSTOP; SIGCHLD ignored (SIG_IGN or SA_NOCLDWAIT): children
 * are reaped at once and wait4 ends with ECHILD; a stopped child killed; a
 * wait4 that a SIGCHLD handler does not interrupt; the parent-death signal.
 * SIGCHLD is blocked and taken with sigtimedwait, so nothing depends on timing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static sigset_t chld;

static void take_sigchld(const char *what, pid_t child)
{
    siginfo_t si;
    int sig = sigwaitinfo(&chld, &si);
    printf("%s: signal %d, si_code %d, si_status %d, from the child %d\n", what, sig, si.si_code,
           si.si_status, si.si_pid == child);
}

static void no_sigchld(const char *what)
{
    struct timespec zero = {0, 0};
    siginfo_t si;
    int r = sigtimedwait(&chld, &si, &zero);
    printf("%s: %s\n", what, r < 0 && errno == EAGAIN ? "no SIGCHLD" : "SIGCHLD");
}

static void show(const char *what, pid_t child, int options)
{
    int status = 0;
    pid_t got = waitpid(child, &status, options);
    printf("%s: %s ", what, got == child ? "the child" : got < 0 ? strerror(errno) : "?");
    if (got <= 0)
        printf("\n");
    else if (WIFSTOPPED(status))
        printf("stopped by %d (status %#x)\n", WSTOPSIG(status), status);
    else if (WIFCONTINUED(status))
        printf("continued (status %#x)\n", status);
    else if (WIFSIGNALED(status))
        printf("killed by %d\n", WTERMSIG(status));
    else
        printf("exited %d\n", WEXITSTATUS(status));
}

/* A child that tells its parent it runs (SIGUSR1) and then counts in user code until killed. */
static pid_t spinner(void)
{
    pid_t c = fork();
    if (c == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* never left behind, whatever happens */
        /* A group of its own whose parent is outside it: never an orphaned process group,
         * in which Linux would discard SIGTSTP (the caller's group may be one). */
        setpgid(0, 0);
        kill(getppid(), SIGUSR1);
        for (volatile unsigned long n = 0;; n++)
            ;
    }
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigwaitinfo(&usr1, NULL);
    return c;
}

static void test_exit_and_kill(void)
{
    pid_t c = fork();
    if (c == 0)
        _exit(3);
    take_sigchld("child exits 3", c);
    show("wait4", c, 0);

    c = spinner();
    kill(c, SIGTERM);
    take_sigchld("child killed by SIGTERM", c);
    show("wait4", c, 0);
}

static void test_stop_continue(void)
{
    pid_t c = spinner();
    show("WNOHANG|WUNTRACED while running", c, WNOHANG | WUNTRACED);
    kill(c, SIGSTOP);
    take_sigchld("SIGSTOP", c);
    show("WUNTRACED", c, WUNTRACED);
    show("WUNTRACED again (reported once)", c, WUNTRACED | WNOHANG);
    kill(c, SIGCONT);
    take_sigchld("SIGCONT", c);
    show("WCONTINUED", c, WCONTINUED);
    kill(c, SIGTSTP);
    take_sigchld("SIGTSTP", c);
    show("WUNTRACED", c, WUNTRACED);
    kill(c, SIGKILL); /* a stopped child is killed too */
    take_sigchld("SIGKILL while stopped", c);
    show("wait4", c, 0);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sa.sa_flags = SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    c = spinner();
    kill(c, SIGSTOP);
    show("SA_NOCLDSTOP, WUNTRACED", c, WUNTRACED);
    no_sigchld("SA_NOCLDSTOP, after the stop");
    kill(c, SIGCONT);
    show("SA_NOCLDSTOP, WCONTINUED", c, WCONTINUED);
    no_sigchld("SA_NOCLDSTOP, after the continue");
    kill(c, SIGKILL);
    take_sigchld("SA_NOCLDSTOP, SIGKILL", c);
    show("wait4", c, 0);
    sa.sa_flags = 0;
    sigaction(SIGCHLD, &sa, NULL);
}

static void test_ignored(void)
{
    signal(SIGCHLD, SIG_IGN);
    pid_t c = fork();
    if (c == 0)
        _exit(5);
    show("SIGCHLD ignored: wait4", c, 0);
    signal(SIGCHLD, SIG_DFL);
    while (sigtimedwait(&chld, NULL, &(struct timespec){0, 0}) > 0)
        ; /* a SIGCHLD sent before it was ignored is gone, one after it was never sent */

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sa.sa_flags = SA_NOCLDWAIT;
    sigaction(SIGCHLD, &sa, NULL);
    c = fork();
    if (c == 0)
        _exit(6);
    take_sigchld("SA_NOCLDWAIT: still a SIGCHLD", c);
    show("SA_NOCLDWAIT: wait4", c, 0);
    sa.sa_flags = 0;
    sigaction(SIGCHLD, &sa, NULL);
}

static volatile int chld_handled;

static void on_chld(int sig)
{
    (void)sig;
    chld_handled++;
}

/* A wait4 woken by the child's end is not interrupted by the SIGCHLD that comes with it (no
 * SA_RESTART here): it returns the child, then the handler runs, as on Linux. */
static void test_handler_and_wait(void)
{
    signal(SIGCHLD, on_chld);
    sigprocmask(SIG_UNBLOCK, &chld, NULL);
    pid_t c = fork();
    if (c == 0)
        _exit(2);
    show("wait4 with a SIGCHLD handler", c, 0);
    printf("  the handler ran %d\n", chld_handled);
    signal(SIGCHLD, SIG_DFL);
}

/* prctl(PR_SET_PDEATHSIG): a grandchild learns that its parent ended. */
static void test_parent_death(void)
{
    int fd[2];
    pipe(fd);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    pid_t c = fork();
    if (c == 0) {
        pid_t g = fork();
        if (g == 0) {
            sigset_t usr2;
            sigemptyset(&usr2);
            sigaddset(&usr2, SIGUSR2);
            sigprocmask(SIG_BLOCK, &usr2, NULL);
            prctl(PR_SET_PDEATHSIG, SIGUSR2);
            kill(getppid(), SIGUSR1); /* ready: its parent may end */
            siginfo_t si;
            int sig = sigwaitinfo(&usr2, &si);
            char line[64];
            int n =
                snprintf(line, sizeof line, "grandchild: signal %d when its parent ended\n", sig);
            write(fd[1], line, (size_t)n);
            _exit(0);
        }
        sigset_t usr1;
        sigemptyset(&usr1);
        sigaddset(&usr1, SIGUSR1);
        sigwaitinfo(&usr1, NULL);
        _exit(0);
    }
    close(fd[1]);
    waitpid(c, NULL, 0);
    take_sigchld("child ended", c);
    char buf[64];
    ssize_t n = read(fd[0], buf, sizeof buf);
    printf("%.*s", (int)(n > 0 ? n : 0), buf);
    close(fd[0]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigset_t block = chld;
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_SETMASK, &block, NULL); /* whatever the mask was */
    signal(SIGCHLD, SIG_DFL);
    alarm(20); /* a watchdog: a wait that never ends kills the test (SIGALRM), not the caller */
    test_exit_and_kill();
    test_stop_continue();
    test_ignored();
    test_handler_and_wait();
    test_parent_death();
    alarm(0);
    return 0;
}
