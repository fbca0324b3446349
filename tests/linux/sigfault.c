/*
 * sigfault.c - processor faults become signals: SIGSEGV (unmapped: SEGV_MAPERR,
 * read-only: SEGV_ACCERR, a privileged instruction: SI_KERNEL), SIGFPE from an
 * integer division by zero (FPE_INTDIV), SIGILL from ud2 (ILL_ILLOPN), SIGTRAP
 * from int3; si_addr and the saved registers; handlers that leave with
 * siglongjmp, one that repairs the cause and returns, one on the alternate
 * stack when the stack pointer is in a guard page; a fault whose signal is blocked or has no
 * handler ends the process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf back;
static volatile uintptr_t bad_address = 0x10; /* volatile: the compiler must not see a null */
static volatile uintptr_t fault_addr, fault_rip;
static volatile int fault_sig, fault_code, fault_trapno;

static void catcher(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    fault_sig = sig;
    fault_code = si->si_code;
    fault_addr = (uintptr_t)si->si_addr;
    fault_rip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    fault_trapno = (int)uc->uc_mcontext.gregs[REG_TRAPNO];
    siglongjmp(back, 1);
}

static void on(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigaction(sig, &sa, NULL);
}

static void report(const char *what)
{
    printf("%s: signal %d, si_code %d, trapno %d\n", what, fault_sig, fault_code, fault_trapno);
}

static void test_segv(void)
{
    on(SIGSEGV, catcher, 0);
    if (sigsetjmp(back, 1) == 0)
        *(volatile int *)bad_address = 1;
    report("write to 0x10");
    printf("  si_addr %#lx\n", (unsigned long)fault_addr);

    char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (sigsetjmp(back, 1) == 0)
        ro[100] = 1;
    report("write to a read-only page");
    printf("  si_addr is the byte %d\n", fault_addr == (uintptr_t)(ro + 100));

    if (sigsetjmp(back, 1) == 0)
        __asm__ volatile("hlt");
    report("hlt (privileged)");
    printf("  si_addr %#lx\n", (unsigned long)fault_addr);

    /* siglongjmp restored the mask: SIGSEGV is not blocked any more */
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("SIGSEGV blocked after siglongjmp: %d\n", sigismember(&now, SIGSEGV));
    munmap(ro, 4096);
}

static void test_fpe_ill_trap(void)
{
    on(SIGFPE, catcher, 0);
    volatile int zero = 0, x = 7;
    if (sigsetjmp(back, 1) == 0)
        x = x / zero;
    report("division by zero");
    printf("  si_addr is rip %d\n", fault_addr == fault_rip);

    on(SIGILL, catcher, 0);
    if (sigsetjmp(back, 1) == 0)
        __asm__ volatile("ud2");
    report("ud2");
    printf("  si_addr is rip %d\n", fault_addr == fault_rip);
}

static volatile int traps;

static void trap_handler(int sig, siginfo_t *si, void *ucv)
{
    (void)ucv;
    traps++;
    printf("int3: signal %d, si_code %d\n", sig, si->si_code);
}

static void test_trap(void)
{
    on(SIGTRAP, trap_handler, 0);
    __asm__ volatile("int3");
    printf("after int3: went on, %d trap\n", traps);
}

/* The handler makes the page writable and returns: the write is done again and succeeds. */
static char *fixme;

static void repair(int sig, siginfo_t *si, void *ucv)
{
    (void)sig;
    (void)ucv;
    mprotect((void *)((uintptr_t)si->si_addr & ~4095ul), 4096, PROT_READ | PROT_WRITE);
}

static void test_repair(void)
{
    fixme = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    on(SIGSEGV, repair, 0);
    fixme[5] = 42;
    printf("repaired: the byte is %d\n", fixme[5]);
    munmap(fixme, 4096);
}

/* A stack overflow: the stack pointer points into a guard page, so the handler can run only
 * on the alternate stack. */
static char altstack[65536];
static void test_overflow(void)
{
    pid_t c = fork();
    if (c == 0) {
        stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
        sigaltstack(&ss, NULL);
        on(SIGSEGV, catcher, SA_ONSTACK);
        char *guard = mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (sigsetjmp(back, 1) == 0)
            __asm__ volatile("mov %0, %%rsp\n\tpush %%rax" ::"r"(guard + 8192) : "memory");
        printf("stack overflow caught on the alternate stack: signal %d, si_code %d, at the "
               "guard %d\n",
               fault_sig, fault_code, fault_addr == (uintptr_t)guard + 8184);
        _exit(0);
    }
    int status;
    waitpid(c, &status, 0);
    printf("overflow child: exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void child_end(const char *what, int how)
{
    pid_t c = fork();
    if (c == 0) {
        if (how == 1) {
            on(SIGSEGV, catcher, 0);
            sigset_t s;
            sigemptyset(&s);
            sigaddset(&s, SIGSEGV);
            sigprocmask(SIG_BLOCK, &s, NULL);
        } else if (how == 2) {
            signal(SIGSEGV, SIG_IGN);
        } else if (how == 3) {
            signal(SIGFPE, SIG_DFL);
            volatile int zero = 0, seven = 7;
            _exit(seven / zero);
        }
        *(volatile int *)0 = 1;
        _exit(0);
    }
    int status;
    waitpid(c, &status, 0);
    if (WIFSIGNALED(status))
        printf("%s: killed by signal %d\n", what, WTERMSIG(status));
    else
        printf("%s: exited %d\n", what, WEXITSTATUS(status));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    test_segv();
    test_fpe_ill_trap();
    test_trap();
    test_repair();
    test_overflow();
    child_end("fault with SIGSEGV blocked", 1);
    child_end("fault with SIGSEGV ignored", 2);
    child_end("division by zero, no handler", 3);
    return 0;
}
