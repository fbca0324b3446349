/*
 * sigavx.c - the AVX registers across a signal handler, and the XSAVE layout
 * of the signal frame's FPU area (concepts: signal delivery, saving a
 * thread's context).
 *
 * The interrupted code keeps values in all sixteen ymm registers (both
 * halves); the handler starts with them cleared, writes others into them and
 * calls the C library's string functions (which use AVX and end with
 * vzeroupper where the CPU has it); after the handler the interrupted code's
 * values must all be there.  The handler also reads the frame's FPU area as
 * Linux lays it out (struct _fpx_sw_bytes with FP_XSTATE_MAGIC1, the XSAVE
 * header, the AVX upper halves at byte 576, FP_XSTATE_MAGIC2 after
 * xstate_size bytes) and edits it: rt_sigreturn restores what it holds, only
 * the FXSAVE part when a magic number is wrong, and a header the CPU refuses
 * ends the process with SIGSEGV.  Sizes that depend on the CPU (AVX-512 on
 * the host) are not printed, only whether they are consistent.  The signals
 * come from tkill in the middle of the code, or from another process while it
 * spins: nothing depends on timing.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#define MAGIC1    0x46505853u /* FP_XSTATE_MAGIC1 (asm/sigcontext.h) */
#define MAGIC2    0x46505845u /* FP_XSTATE_MAGIC2 */
#define SW_BYTES  464         /* struct _fpx_sw_bytes in the FXSAVE area */
#define XSTATE_BV 512         /* the XSAVE header */
#define YMMH      576         /* the AVX component: upper halves of ymm0-ymm15 */
#define XMM       160         /* xmm0-xmm15 in the FXSAVE area */
#define UC_XSTATE 0x1         /* UC_FP_XSTATE */
#define NREG      16

typedef uint64_t ymm_t[4];

static ymm_t mine[NREG], theirs[NREG], back[NREG], at_entry[NREG];

/* Load ymm0-ymm15 from in, make the system call (nr, a0, a1), store them to out. */
static long with_ymm(const ymm_t *in, ymm_t *out, long nr, long a0, long a1)
{
    __asm__ volatile("vmovdqu 0(%[i]), %%ymm0\n\tvmovdqu 32(%[i]), %%ymm1\n\t"
                     "vmovdqu 64(%[i]), %%ymm2\n\tvmovdqu 96(%[i]), %%ymm3\n\t"
                     "vmovdqu 128(%[i]), %%ymm4\n\tvmovdqu 160(%[i]), %%ymm5\n\t"
                     "vmovdqu 192(%[i]), %%ymm6\n\tvmovdqu 224(%[i]), %%ymm7\n\t"
                     "vmovdqu 256(%[i]), %%ymm8\n\tvmovdqu 288(%[i]), %%ymm9\n\t"
                     "vmovdqu 320(%[i]), %%ymm10\n\tvmovdqu 352(%[i]), %%ymm11\n\t"
                     "vmovdqu 384(%[i]), %%ymm12\n\tvmovdqu 416(%[i]), %%ymm13\n\t"
                     "vmovdqu 448(%[i]), %%ymm14\n\tvmovdqu 480(%[i]), %%ymm15\n\t"
                     "syscall\n\t"
                     "vmovdqu %%ymm0, 0(%[o])\n\tvmovdqu %%ymm1, 32(%[o])\n\t"
                     "vmovdqu %%ymm2, 64(%[o])\n\tvmovdqu %%ymm3, 96(%[o])\n\t"
                     "vmovdqu %%ymm4, 128(%[o])\n\tvmovdqu %%ymm5, 160(%[o])\n\t"
                     "vmovdqu %%ymm6, 192(%[o])\n\tvmovdqu %%ymm7, 224(%[o])\n\t"
                     "vmovdqu %%ymm8, 256(%[o])\n\tvmovdqu %%ymm9, 288(%[o])\n\t"
                     "vmovdqu %%ymm10, 320(%[o])\n\tvmovdqu %%ymm11, 352(%[o])\n\t"
                     "vmovdqu %%ymm12, 384(%[o])\n\tvmovdqu %%ymm13, 416(%[o])\n\t"
                     "vmovdqu %%ymm14, 448(%[o])\n\tvmovdqu %%ymm15, 480(%[o])\n\t"
                     "vzeroupper"
                     : "+a"(nr)
                     : [i] "r"(in), [o] "r"(out), "D"(a0), "S"(a1)
                     : "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
                       "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
                       "xmm15");
    return nr;
}

/* Store ymm0-ymm15 to out (the handler's first look), then load them from in. */
static void store_then_load(ymm_t *out, const ymm_t *in)
{
    __asm__ volatile("vmovdqu %%ymm0, 0(%[o])\n\tvmovdqu %%ymm1, 32(%[o])\n\t"
                     "vmovdqu %%ymm2, 64(%[o])\n\tvmovdqu %%ymm3, 96(%[o])\n\t"
                     "vmovdqu %%ymm4, 128(%[o])\n\tvmovdqu %%ymm5, 160(%[o])\n\t"
                     "vmovdqu %%ymm6, 192(%[o])\n\tvmovdqu %%ymm7, 224(%[o])\n\t"
                     "vmovdqu %%ymm8, 256(%[o])\n\tvmovdqu %%ymm9, 288(%[o])\n\t"
                     "vmovdqu %%ymm10, 320(%[o])\n\tvmovdqu %%ymm11, 352(%[o])\n\t"
                     "vmovdqu %%ymm12, 384(%[o])\n\tvmovdqu %%ymm13, 416(%[o])\n\t"
                     "vmovdqu %%ymm14, 448(%[o])\n\tvmovdqu %%ymm15, 480(%[o])\n\t"
                     "vmovdqu 0(%[i]), %%ymm0\n\tvmovdqu 32(%[i]), %%ymm1\n\t"
                     "vmovdqu 64(%[i]), %%ymm2\n\tvmovdqu 96(%[i]), %%ymm3\n\t"
                     "vmovdqu 128(%[i]), %%ymm4\n\tvmovdqu 160(%[i]), %%ymm5\n\t"
                     "vmovdqu 192(%[i]), %%ymm6\n\tvmovdqu 224(%[i]), %%ymm7\n\t"
                     "vmovdqu 256(%[i]), %%ymm8\n\tvmovdqu 288(%[i]), %%ymm9\n\t"
                     "vmovdqu 320(%[i]), %%ymm10\n\tvmovdqu 352(%[i]), %%ymm11\n\t"
                     "vmovdqu 384(%[i]), %%ymm12\n\tvmovdqu 416(%[i]), %%ymm13\n\t"
                     "vmovdqu 448(%[i]), %%ymm14\n\tvmovdqu 480(%[i]), %%ymm15"
                     :
                     : [i] "r"(in), [o] "r"(out)
                     : "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
                       "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
}

static uint32_t u32_at(const uint8_t *fp, unsigned off)
{
    uint32_t v;
    memcpy(&v, fp + off, sizeof v);
    return v;
}

static uint64_t u64_at(const uint8_t *fp, unsigned off)
{
    uint64_t v;
    memcpy(&v, fp + off, sizeof v);
    return v;
}

/* What the handler saw of its frame. */
static struct {
    int uc_xstate, aligned, magic1, sizes, xfeatures, fpsse_marked, avx_marked, magic2;
    int frame_ymm8, frame_xmm8, strings;
} seen;

enum edit { KEEP, SET_YMM8, NO_MAGIC1, BAD_MAGIC2, BAD_HEADER };
static enum edit edit;
static const uint64_t edited = 0x5a5a5a5a12345678ull;

static void look_at_frame(uint8_t *fp, unsigned long uc_flags)
{
    uint32_t xstate_size = u32_at(fp, SW_BYTES + 16);
    seen.uc_xstate = (uc_flags & UC_XSTATE) != 0;
    seen.aligned = ((uintptr_t)fp & 63) == 0;
    seen.magic1 = u32_at(fp, SW_BYTES) == MAGIC1;
    seen.sizes = u32_at(fp, SW_BYTES + 4) == xstate_size + 4 && xstate_size >= YMMH + 256;
    seen.xfeatures = (u64_at(fp, SW_BYTES + 8) & 7) == 7;
    seen.fpsse_marked = (u64_at(fp, XSTATE_BV) & 3) == 3;
    seen.avx_marked = (u64_at(fp, XSTATE_BV) & 4) != 0;
    seen.magic2 = seen.sizes && u32_at(fp, xstate_size) == MAGIC2;
    seen.frame_ymm8 = memcmp(fp + YMMH + 8 * 16, &mine[8][2], 16) == 0;
    seen.frame_xmm8 = memcmp(fp + XMM + 8 * 16, &mine[8][0], 16) == 0;
}

static void edit_frame(uint8_t *fp)
{
    uint64_t one = 1;
    switch (edit) {
    case SET_YMM8:
        memcpy(fp + YMMH + 8 * 16, &edited, sizeof edited);
        break;
    case NO_MAGIC1:
        memset(fp + SW_BYTES, 0, 4);
        break;
    case BAD_MAGIC2:
        if (seen.magic2) /* then xstate_size is inside the area */
            memset(fp + u32_at(fp, SW_BYTES + 16), 0, 4);
        break;
    case BAD_HEADER:
        memcpy(fp + XSTATE_BV + 8, &one, sizeof one); /* XCOMP_BV: XRSTOR refuses it */
        break;
    default:
        break;
    }
}

static char big[8192], copy[8192];

static void handler(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    store_then_load(at_entry, (const ymm_t *)theirs);
    memset(big, 'a', sizeof big - 1); /* the C library's AVX string functions */
    memcpy(copy, big, sizeof big);
    seen.strings = strlen(copy) == sizeof big - 1 && memchr(copy, 'b', sizeof copy) == NULL;
    ucontext_t *uc = ctx;
    uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;
    look_at_frame(fp, uc->uc_flags);
    edit_frame(fp);
}

static void fill(ymm_t *r, uint64_t seed)
{
    for (int i = 0; i < NREG; i++)
        for (int j = 0; j < 4; j++)
            r[i][j] = seed ^ ((uint64_t)i << 40 | (uint64_t)j << 32 | (uint64_t)(i * 4 + j + 1));
}

/* How many of back's registers hold mine's values, upper and lower halves counted apart. */
static void count_kept(int *lower, int *upper)
{
    *lower = *upper = 0;
    for (int i = 0; i < NREG; i++) {
        *lower += back[i][0] == mine[i][0] && back[i][1] == mine[i][1];
        *upper += back[i][2] == mine[i][2] && back[i][3] == mine[i][3];
    }
}

static int all_zero_upper(const ymm_t *r)
{
    for (int i = 0; i < NREG; i++)
        if (r[i][2] || r[i][3])
            return 0;
    return 1;
}

static void setup(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    fill(mine, 0x1111000000000000ull);
    fill(theirs, 0x2222000000000000ull);
}

/* tkill in the middle of code that holds values in every ymm register. */
static void test_round_trip(void)
{
    memset(&seen, 0, sizeof seen);
    edit = KEEP;
    memset(back, 0, sizeof back);
    long r = with_ymm((const ymm_t *)mine, back, SYS_tkill, syscall(SYS_gettid), SIGUSR1);
    int lower, upper;
    count_kept(&lower, &upper);
    printf("tkill %ld: kept lower halves %d/16, upper halves %d/16\n", r, lower, upper);
    printf("handler: started with ymm upper halves zero %d, string functions work %d\n",
           all_zero_upper((const ymm_t *)at_entry), seen.strings);
    printf("frame: uc_flags UC_FP_XSTATE %d, fpstate 64-byte aligned %d, magic1 %d, "
           "extended_size = xstate_size + 4 %d, xfeatures has x87 SSE AVX %d, magic2 %d\n",
           seen.uc_xstate, seen.aligned, seen.magic1, seen.sizes, seen.xfeatures, seen.magic2);
    printf("frame: XSTATE_BV x87+SSE %d, AVX %d; ymm8 upper half %d, xmm8 %d as the code had\n",
           seen.fpsse_marked, seen.avx_marked, seen.frame_ymm8, seen.frame_xmm8);
}

/* The handler edits the frame; rt_sigreturn restores what it holds. */
static void test_edits(void)
{
    static const char *names[] = {"", "ymm8 upper half set", "magic1 cleared", "magic2 cleared"};
    for (enum edit e = SET_YMM8; e <= BAD_MAGIC2; e++) {
        edit = e;
        memset(back, 0, sizeof back);
        with_ymm((const ymm_t *)mine, back, SYS_tkill, syscall(SYS_gettid), SIGUSR1);
        int lower, upper;
        count_kept(&lower, &upper);
        printf("%s: kept lower halves %d/16, upper halves %d/16, upper halves zero %d, "
               "ymm8 edited %d\n",
               names[e], lower, upper, all_zero_upper((const ymm_t *)back), back[8][2] == edited);
    }
}

/* A header XRSTOR refuses: the process ends with SIGSEGV. */
static void test_bad_header(void)
{
    pid_t c = fork();
    if (c == 0) {
        edit = BAD_HEADER;
        with_ymm((const ymm_t *)mine, back, SYS_tkill, syscall(SYS_gettid), SIGUSR1);
        printf("bad header: survived\n");
        _exit(0);
    }
    int status;
    waitpid(c, &status, 0);
    printf("bad header: killed by signal %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* A process that spins with values in its ymm registers gets a signal from its parent. */
static volatile int stop_spinning;

static void stop_handler(int sig)
{
    (void)sig;
    store_then_load(at_entry, (const ymm_t *)theirs);
    memset(big, 'c', sizeof big - 1);
    stop_spinning = 1;
}

static void test_spinning(void)
{
    sigset_t usr2, old;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    sigprocmask(SIG_BLOCK, &usr2, &old);
    pid_t c = fork();
    if (c == 0) {
        signal(SIGUSR1, stop_handler);
        /* ymm0-15 loaded, "ready" to the parent, spin until the handler has run, store them */
        long nr = SYS_kill;
        const ymm_t *in = (const ymm_t *)mine;
        __asm__ volatile(
            "vmovdqu 0(%[i]), %%ymm0\n\tvmovdqu 32(%[i]), %%ymm1\n\t"
            "vmovdqu 64(%[i]), %%ymm2\n\tvmovdqu 96(%[i]), %%ymm3\n\t"
            "vmovdqu 128(%[i]), %%ymm4\n\tvmovdqu 160(%[i]), %%ymm5\n\t"
            "vmovdqu 192(%[i]), %%ymm6\n\tvmovdqu 224(%[i]), %%ymm7\n\t"
            "vmovdqu 256(%[i]), %%ymm8\n\tvmovdqu 288(%[i]), %%ymm9\n\t"
            "vmovdqu 320(%[i]), %%ymm10\n\tvmovdqu 352(%[i]), %%ymm11\n\t"
            "vmovdqu 384(%[i]), %%ymm12\n\tvmovdqu 416(%[i]), %%ymm13\n\t"
            "vmovdqu 448(%[i]), %%ymm14\n\tvmovdqu 480(%[i]), %%ymm15\n\t"
            "syscall\n\t"
            "1: pause\n\t"
            "cmpl $0, (%[f])\n\t"
            "je 1b\n\t"
            "vmovdqu %%ymm0, 0(%[o])\n\tvmovdqu %%ymm1, 32(%[o])\n\t"
            "vmovdqu %%ymm2, 64(%[o])\n\tvmovdqu %%ymm3, 96(%[o])\n\t"
            "vmovdqu %%ymm4, 128(%[o])\n\tvmovdqu %%ymm5, 160(%[o])\n\t"
            "vmovdqu %%ymm6, 192(%[o])\n\tvmovdqu %%ymm7, 224(%[o])\n\t"
            "vmovdqu %%ymm8, 256(%[o])\n\tvmovdqu %%ymm9, 288(%[o])\n\t"
            "vmovdqu %%ymm10, 320(%[o])\n\tvmovdqu %%ymm11, 352(%[o])\n\t"
            "vmovdqu %%ymm12, 384(%[o])\n\tvmovdqu %%ymm13, 416(%[o])\n\t"
            "vmovdqu %%ymm14, 448(%[o])\n\tvmovdqu %%ymm15, 480(%[o])\n\t"
            "vzeroupper"
            : "+a"(nr)
            : [i] "r"(in), [o] "r"(back), [f] "r"(&stop_spinning), "D"(getppid()), "S"(SIGUSR2)
            : "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
              "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
        int lower, upper;
        count_kept(&lower, &upper);
        _exit(lower == NREG && upper == NREG ? 7 : 1);
    }
    int sig;
    sigwait(&usr2, &sig);
    sigprocmask(SIG_SETMASK, &old, NULL);
    kill(c, SIGUSR1);
    int status;
    waitpid(c, &status, 0);
    printf("spinning child: exited %d (7: every ymm register kept)\n", WEXITSTATUS(status));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    alarm(20); /* a watchdog */
    setup();
    test_round_trip();
    test_edits();
    test_bad_header();
    test_spinning();
    alarm(0);
    return 0;
}
