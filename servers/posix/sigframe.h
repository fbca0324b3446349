/*
 * sigframe.h - the Linux x86-64 signal frame (servers/posix/sigframe.c)
 * (concepts: signal delivery, saving and restoring a thread's context).
 *
 * To run a signal handler, Linux pushes a `struct rt_sigframe` on the user
 * stack - the return address of the handler (the restorer that libc gave in
 * sa_restorer, which calls rt_sigreturn), a ucontext with every register the
 * thread had, the signal mask to restore, and the siginfo - and, 64-byte
 * aligned above it, the FPU registers: the thread's whole XSAVE area in the
 * standard format (x87, SSE and the AVX upper halves of the ymm registers),
 * marked as Linux marks it (see "The FPU area" below).  Then it starts the handler with
 * rdi = signal, rsi = &info, rdx = &uc, rsp = the frame.  rt_sigreturn reads
 * the ucontext back.  Programs look into this frame (siglongjmp does not, but
 * a handler may read uc_mcontext, and libc's getcontext-based code does), so
 * the layout is Linux's exactly; tests/host/test_sigframe.c checks every
 * offset against the UAPI headers.  Pure code: the host tests run it.
 */
#ifndef POSIX_SIGFRAME_H
#define POSIX_SIGFRAME_H

#include <stdint.h>
#include <mica.h>

#define SIGFRAME_FPU_SIZE 512                       /* the FXSAVE area (MICA_FPU_AREA_SIZE) */
#define SIGFRAME_FPU_MAX  (MICA_FPU_XSTATE_MAX + 4) /* the largest area in a frame, magic2 too */
#define SIGFRAME_REDZONE  128 /* the x86-64 ABI's red zone below rsp, left alone */

/* struct sigcontext (asm/sigcontext.h): the registers in Linux's order. */
struct linux_sigcontext {
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
    uint16_t cs, gs, fs, ss;
    uint64_t err, trapno, oldmask, cr2;
    uint64_t fpstate; /* the address of the FPU area, 0 if none */
    uint64_t reserved1[8];
};

/* stack_t: an alternate signal stack. */
struct linux_stack {
    uint64_t sp;
    int32_t flags;
    int32_t pad;
    uint64_t size;
};

/* struct ucontext (asm-generic/ucontext.h) with the kernel's 8-byte sigset_t. */
struct linux_ucontext {
    uint64_t flags;
    uint64_t link;
    struct linux_stack stack;
    struct linux_sigcontext mcontext;
    uint64_t sigmask;
};

/* siginfo_t (asm-generic/siginfo.h): 128 bytes; the union's members the server fills. */
struct linux_siginfo {
    int32_t signo, errno_, code, pad0;
    union {
        struct {
            int32_t pid;
            uint32_t uid;
            int32_t status; /* SIGCHLD */
            int32_t pad1;
            int64_t utime, stime; /* SIGCHLD */
        } proc;
        struct {
            int32_t tid, overrun;
            uint64_t value;
        } timer;
        struct {
            uint64_t addr; /* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
        } fault;
        uint8_t bytes[128 - 16];
    } u;
};

struct linux_rt_sigframe {
    uint64_t pretcode; /* the handler's return address: sa_restorer */
    struct linux_ucontext uc;
    struct linux_siginfo info;
};

/* ucontext.uc_flags as 64-bit Linux sets them (UC_FP_XSTATE on a CPU with XSAVE). */
#define LINUX_UC_FP_XSTATE         0x1
#define LINUX_UC_SIGCONTEXT_SS     0x2
#define LINUX_UC_STRICT_RESTORE_SS 0x4

#define LINUX_SS_ONSTACK    1
#define LINUX_SS_DISABLE    2
#define LINUX_SS_AUTODISARM (1u << 31)
#define LINUX_MINSIGSTKSZ   2048

/* The thread's alternate signal stack (sigaltstack); size 0: none. */
struct sigaltstack_state {
    uint64_t sp, size;
    uint32_t flags; /* 0, LINUX_SS_AUTODISARM or LINUX_SS_DISABLE */
};

/*
 * The FPU area.  Linux (arch/x86 uapi asm/sigcontext.h) writes, on a CPU with XSAVE, the
 * thread's XSAVE area in the standard format - the 512-byte FXSAVE part, the 64-byte XSAVE
 * header (XSTATE_BV: which components hold values), the components (AVX: the upper halves of
 * ymm0-ymm15 at byte 576) - and marks it as such in two places, so that code that knows only
 * the FXSAVE layout can still copy it: struct _fpx_sw_bytes in the FXSAVE part's last 48 bytes
 * (sw_reserved, which the CPU leaves to software) with FP_XSTATE_MAGIC1, and FP_XSTATE_MAGIC2
 * right after the xstate_size bytes.  rt_sigreturn restores the whole area only when both
 * magics are right and the sizes make sense; otherwise only the FXSAVE part, the rest going to
 * its initial state.
 */
#define LINUX_FP_XSTATE_MAGIC1 0x46505853u
#define LINUX_FP_XSTATE_MAGIC2 0x46505845u
#define SIGFRAME_SW_BYTES      464 /* sw_reserved in the FXSAVE area */
#define SIGFRAME_XSTATE_BV     512 /* the XSAVE header */
#define SIGFRAME_XSTATE_MIN    576 /* the FXSAVE part and the header */

/* struct _fpx_sw_bytes */
struct linux_fpx_sw_bytes {
    uint32_t magic1;        /* LINUX_FP_XSTATE_MAGIC1 */
    uint32_t extended_size; /* xstate_size + 4 (magic2) */
    uint64_t xfeatures;     /* the components the area can hold */
    uint32_t xstate_size;   /* the bytes of the area, where magic2 follows */
    uint32_t padding[7];
};

/* What the kernel gives (mica_kernel_stats): the whole area's size (512: no XSAVE) and its
 * components (XCR0's bits). */
struct sigframe_fpu {
    uint32_t size;
    uint64_t features;
};

/* The bytes the FPU area takes in a frame: with XSAVE the area and magic2, else 512. */
uint32_t sigframe_fpu_frame_size(const struct sigframe_fpu *k);

/* The initial FPU state (x87 and SSE control words at their defaults, every register zero, no
 * component marked in use), as a handler starts with it: k->size bytes. */
void sigframe_fpu_init(uint8_t *area, const struct sigframe_fpu *k);

/* Mark the k->size bytes read from the kernel as Linux marks a frame's area: the software
 * bytes, x87 and SSE always in XSTATE_BV (so a program that edits only the FXSAVE part is
 * heard), magic2 after it (area holds sigframe_fpu_frame_size() bytes).  Without XSAVE: as is. */
void sigframe_fpu_mark(uint8_t *area, const struct sigframe_fpu *k);

/* rt_sigreturn, first step: from the 512-byte FXSAVE part of a frame's area, the offset where
 * magic2 must be for the whole area to be restored, or 0: restore the FXSAVE part only. */
uint32_t sigframe_fpu_magic2_at(const uint8_t *legacy, const struct sigframe_fpu *k);

/* rt_sigreturn, second step: turn the frame's area (k->size bytes, of which the first 512 only
 * if !whole) into what the kernel loads: only the components the software bytes name (others
 * to their initial state), or, for the FXSAVE part alone, x87 and SSE with the rest initial.
 * What XRSTOR would fault on is kept, so that the kernel refuses it (EINVAL): the process then
 * dies of SIGSEGV, as on Linux. */
void sigframe_fpu_unmark(uint8_t *area, int whole, const struct sigframe_fpu *k);

/* Is sp on the alternate stack? */
int sigframe_on_altstack(const struct sigaltstack_state *alt, uint64_t sp);

/* sigaltstack's ss_flags as reported for a thread whose stack pointer is sp. */
int sigframe_altstack_flags(const struct sigaltstack_state *alt, uint64_t sp);

/*
 * Where the frame goes for a thread interrupted at sp: the FPU area of fpu_size bytes
 * (sigframe_fpu_frame_size) at *fpstate (64-byte aligned, below the red zone or at the top of the
 * alternate stack when onstack asks for it and the thread is not on it already), the frame below
 * it, placed as Linux does so that the handler starts as if called (rsp + 8 a multiple of 16).
 * Returns the frame's address.
 */
uint64_t sigframe_place(uint64_t sp, const struct sigaltstack_state *alt, int onstack,
                        uint32_t fpu_size, uint64_t *fpstate);

/*
 * Fill the frame at address `at` (whose FPU area is at fpstate, an XSAVE one if xstate) for a
 * thread with registers r and signal mask `mask` interrupted by a signal described by *info;
 * trapno, err and cr2 as a fault gives them (0 otherwise); restorer is the handler's return
 * address.
 */
void sigframe_build(struct linux_rt_sigframe *f, const struct mica_regs *r, uint64_t mask,
                    const struct linux_siginfo *info, const struct sigaltstack_state *alt,
                    uint64_t fpstate, int xstate, uint64_t restorer, uint64_t trapno, uint64_t err,
                    uint64_t cr2);

/* The registers that start handler `handler` for signal sig with its frame at `at`. */
void sigframe_handler_regs(struct mica_regs *r, uint64_t at, uint64_t handler, int sig);

/*
 * rt_sigreturn: the registers the frame holds, into r (whose fs and gs bases are kept: the
 * frame has none); the mask in *mask.  rflags keeps only what a program may set (the kernel
 * enforces that too).
 */
void sigframe_restore(const struct linux_rt_sigframe *f, struct mica_regs *r, uint64_t *mask);

#endif
