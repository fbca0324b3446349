/*
 * init.c - Mica-only test (tests/system/systest.py, case linux-mica): the
 * first program of the run list is pid 1, Linux's init, and orphans are
 * reparented to it; it reaps them with wait.  (On the host the test would
 * need a pid namespace, so its output is checked line by line instead.)
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, 0, _IOLBF, 0);
    printf("init: pid %d, parent %d\n", getpid(), getppid());
    pid_t child = fork();
    if (child == 0) {
        pid_t me = getpid();
        if (fork() == 0) { /* the grandchild: it outlives its parent */
            while (getppid() == me)
                sched_yield();
            printf("orphan: my parent is now %d\n", getppid());
            _exit(7);
        }
        _exit(3);
    }
    for (int i = 0; i < 2; i++) {
        int status;
        pid_t r = wait(&status);
        printf("init reaped %s: exit status %d\n", r == child ? "its child" : "the orphan",
               WEXITSTATUS(status));
    }
    pid_t r = wait(0);
    printf("and then: %d %s\n", (int)r, r < 0 ? strerror(errno) : "");
    return 0;
}
