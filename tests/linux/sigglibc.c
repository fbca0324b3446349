/*
 * sigglibc.c - signals with glibc (built with `gcc -static`, not musl):
 * glibc's own restorer and raise (which blocks signals around tgkill),
 * SA_SIGINFO handlers reading the ucontext, a SIGSEGV handler that leaves
 * with siglongjmp, the alternate stack, a double in an SSE register kept
 * across a handler that computes with doubles, SIGCHLD's siginfo.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf back;
static volatile int seen_code;
static volatile long seen_addr;
static volatile double handler_result;
static char altstack[65536];
static volatile int on_alt;

static void segv(int sig, siginfo_t *si, void *ucv)
{
    (void)sig;
    ucontext_t *uc = ucv;
    seen_code = si->si_code;
    seen_addr = (long)si->si_addr;
    on_alt = (char *)&uc > altstack && (char *)&uc < altstack + sizeof altstack;
    siglongjmp(back, 1);
}

static void usr1(int sig, siginfo_t *si, void *ucv)
{
    (void)ucv;
    double x = 0.5;
    for (int i = 0; i < 20; i++)
        x = x * 1.25 + (double)sig;
    handler_result = x;
    printf("SIGUSR1 handler: si_code %d, from me %d\n", si->si_code, si->si_pid == getpid());
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = usr1;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    volatile double kept = 3.0;
    double before = kept * 7.0;
    raise(SIGUSR1);
    double after = kept * 7.0;
    printf("double kept across the handler %d, handler computed %.3f\n", before == after,
           handler_result);

    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
    sigaltstack(&ss, NULL);
    sa.sa_sigaction = segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(back, 1) == 0)
        *(volatile int *)(long)seen_code = 1; /* seen_code is 0: a null pointer */
    printf("SIGSEGV: si_code %d, si_addr %ld, on the alternate stack %d\n", seen_code, seen_addr,
           on_alt);

    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    pid_t c = fork();
    if (c == 0)
        _exit(9);
    siginfo_t si;
    sigwaitinfo(&chld, &si);
    printf("SIGCHLD: si_code %d, si_status %d, the child %d\n", si.si_code, si.si_status,
           si.si_pid == c);
    int status;
    waitpid(c, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));
    return 0;
}
