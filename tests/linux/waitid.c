/*
 * waitid.c - differential test: waitid for ended, killed, stopped and
 * continued children, by pid, by process group and any; WNOWAIT, WNOHANG;
 * the siginfo it fills; its errors (EINVAL, ECHILD, EFAULT).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *code_name(int code)
{
    switch (code) {
    case CLD_EXITED:
        return "CLD_EXITED";
    case CLD_KILLED:
        return "CLD_KILLED";
    case CLD_DUMPED:
        return "CLD_DUMPED";
    case CLD_STOPPED:
        return "CLD_STOPPED";
    case CLD_CONTINUED:
        return "CLD_CONTINUED";
    default:
        return "0";
    }
}

static void show(const char *what, int r, const siginfo_t *si, pid_t child)
{
    if (r < 0) {
        printf("%s: -1 %s\n", what, strerror(errno));
        return;
    }
    printf("%s: %d signo %d code %s status %d pid %s uid %d\n", what, r, si->si_signo,
           code_name(si->si_code), si->si_status,
           si->si_pid == child ? "the child's"
           : si->si_pid == 0   ? "0"
                               : "another",
           (int)si->si_uid);
}

static pid_t child_exiting(int code)
{
    pid_t c = fork();
    if (c == 0)
        _exit(code);
    return c;
}

int main(void)
{
    setvbuf(stdout, 0, _IOLBF, 0);
    siginfo_t si;
    pid_t c = child_exiting(3);
    memset(&si, 0x55, sizeof si);
    show("WEXITED|WNOWAIT", waitid(P_PID, c, &si, WEXITED | WNOWAIT), &si, c);
    memset(&si, 0x55, sizeof si);
    show("WEXITED again", waitid(P_PID, c, &si, WEXITED), &si, c);
    show("and then", waitid(P_PID, c, &si, WEXITED), &si, c);

    c = fork();
    if (c == 0) {
        pause();
        _exit(0);
    }
    memset(&si, 0x55, sizeof si);
    show("WNOHANG, still running", waitid(P_ALL, 0, &si, WEXITED | WNOHANG), &si, c);
    kill(c, SIGKILL);
    show("killed", waitid(P_ALL, 0, &si, WEXITED), &si, c);

    c = fork();
    if (c == 0) {
        raise(SIGSTOP);
        _exit(5);
    }
    show("stopped", waitid(P_PID, c, &si, WSTOPPED), &si, c);
    kill(c, SIGCONT);
    show("continued", waitid(P_PID, c, &si, WCONTINUED), &si, c);
    show("then exited", waitid(P_PID, c, &si, WEXITED), &si, c);

    c = fork();
    if (c == 0) {
        setpgid(0, 0);
        _exit(6);
    }
    setpgid(c, c); /* either side may win the race: both make the same group */
    show("by process group", waitid(P_PGID, c, &si, WEXITED), &si, c);

    c = child_exiting(7);
    errno = 0;
    show("no event asked for", waitid(P_PID, c, &si, WNOHANG), &si, c);
    show("an unknown idtype", waitid(7, c, &si, WEXITED), &si, c);
    show("P_PID 0", waitid(P_PID, 0, &si, WEXITED), &si, c);
    show("P_PGID -1", waitid(P_PGID, -1, &si, WEXITED), &si, c);
    long r = syscall(SYS_waitid, P_PID, c, (void *)8, WEXITED, 0);
    printf("a bad siginfo pointer: %ld %s\n", r, r < 0 ? strerror(errno) : "");
    show("the child is gone all the same", waitid(P_PID, c, &si, WEXITED), &si, c);
    show("no children at all", waitid(P_ALL, 0, &si, WEXITED), &si, c);
    return 0;
}
