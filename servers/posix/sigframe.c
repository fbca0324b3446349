/*
 * sigframe.c - building and reading the Linux x86-64 signal frame
 * (concepts: signal delivery, saving and restoring a thread's context).
 *
 * See sigframe.h for the layout.  The placement follows Linux's
 * get_sigframe(): skip the red zone (or start at the top of the alternate
 * stack), put the FPU area 64-byte aligned below, then the frame, aligned so
 * that the handler sees its stack as right after a `call`.  The FPU area's
 * marks follow Linux's arch/x86/kernel/fpu/signal.c: save_sw_bytes() and
 * save_xstate_epilog() at delivery, check_xstate_in_sigframe() and
 * __fpu_restore_sig() at rt_sigreturn.
 */
#include "sigframe.h"
#include <mica/string.h>

#define USER_CS     0x33 /* Linux's 64-bit user code and data selectors, as the frame shows them */
#define USER_SS     0x2b
#define RFLAGS_USER 0x40dd5ull /* CF PF AF ZF SF TF DF OF AC: what sigreturn may restore */
#define FX_FCW      0          /* offsets in the FXSAVE area */
#define FX_MXCSR    24
#define FCW_INIT    0x37f  /* x87 exceptions masked, 64-bit precision */
#define MXCSR_INIT  0x1f80 /* SIMD exceptions masked, round to nearest */
#define XF_FPSSE    3ull   /* x87 and SSE, the components of the FXSAVE part */
#define XF_SSE_AVX  6ull   /* the components MXCSR belongs to (XRSTOR loads it with either) */
#define XSAVE_HDR   64     /* XSTATE_BV, XCOMP_BV, 48 reserved bytes */
#define XRSTOR_HDR  24     /* the header bytes standard-form XRSTOR checks (SDM vol. 1, 13.8.1) */
#define MAGIC2_SIZE 4

static int has_xsave(const struct sigframe_fpu *k)
{
    return k->size > SIGFRAME_FPU_SIZE;
}

uint32_t sigframe_fpu_frame_size(const struct sigframe_fpu *k)
{
    return has_xsave(k) ? k->size + MAGIC2_SIZE : SIGFRAME_FPU_SIZE;
}

void sigframe_fpu_init(uint8_t *area, const struct sigframe_fpu *k)
{
    uint16_t fcw = FCW_INIT;
    uint32_t mxcsr = MXCSR_INIT;
    memset(area, 0, k->size);
    memcpy(area + FX_FCW, &fcw, sizeof fcw);
    memcpy(area + FX_MXCSR, &mxcsr, sizeof mxcsr);
}

void sigframe_fpu_mark(uint8_t *area, const struct sigframe_fpu *k)
{
    if (!has_xsave(k))
        return;
    struct linux_fpx_sw_bytes sw;
    memset(&sw, 0, sizeof sw);
    sw.magic1 = LINUX_FP_XSTATE_MAGIC1;
    sw.extended_size = k->size + MAGIC2_SIZE;
    sw.xfeatures = k->features;
    sw.xstate_size = k->size;
    memcpy(area + SIGFRAME_SW_BYTES, &sw, sizeof sw);
    uint64_t bv;
    memcpy(&bv, area + SIGFRAME_XSTATE_BV, sizeof bv);
    bv |= XF_FPSSE;
    memcpy(area + SIGFRAME_XSTATE_BV, &bv, sizeof bv);
    uint32_t magic2 = LINUX_FP_XSTATE_MAGIC2;
    memcpy(area + k->size, &magic2, sizeof magic2);
}

uint32_t sigframe_fpu_magic2_at(const uint8_t *legacy, const struct sigframe_fpu *k)
{
    if (!has_xsave(k))
        return 0;
    struct linux_fpx_sw_bytes sw;
    memcpy(&sw, legacy + SIGFRAME_SW_BYTES, sizeof sw);
    if (sw.magic1 != LINUX_FP_XSTATE_MAGIC1 || sw.xstate_size < SIGFRAME_XSTATE_MIN ||
        sw.xstate_size > k->size || sw.xstate_size > sw.extended_size)
        return 0;
    return sw.xstate_size;
}

void sigframe_fpu_unmark(uint8_t *area, int whole, const struct sigframe_fpu *k)
{
    if (!has_xsave(k))
        return;
    uint64_t use = XF_FPSSE; /* the FXSAVE part alone: x87 and SSE, the rest initial */
    if (whole) {
        struct linux_fpx_sw_bytes sw;
        memcpy(&sw, area + SIGFRAME_SW_BYTES, sizeof sw);
        use = sw.xfeatures & k->features;
    } else {
        memset(area + SIGFRAME_XSTATE_BV, 0, k->size - SIGFRAME_XSTATE_BV);
        memcpy(area + SIGFRAME_XSTATE_BV, &use, sizeof use);
    }
    uint64_t bv;
    memcpy(&bv, area + SIGFRAME_XSTATE_BV, sizeof bv);
    bv &= use | ~k->features; /* bits the kernel lacks stay: XRSTOR faults, so does the kernel */
    memcpy(area + SIGFRAME_XSTATE_BV, &bv, sizeof bv);
    /* XRSTOR ignores the header's last 40 bytes: so does Linux's sigreturn, the kernel not */
    memset(area + SIGFRAME_XSTATE_BV + XRSTOR_HDR, 0, XSAVE_HDR - XRSTOR_HDR);
    if (!(use & XF_SSE_AVX)) { /* Linux loads MXCSR from its initial state then */
        uint32_t mxcsr = MXCSR_INIT;
        memcpy(area + FX_MXCSR, &mxcsr, sizeof mxcsr);
    }
}

int sigframe_on_altstack(const struct sigaltstack_state *alt, uint64_t sp)
{
    if (alt->flags & LINUX_SS_AUTODISARM)
        return 0; /* Linux: such a stack is given up while in use, so never "on" it */
    return alt->size && sp > alt->sp && sp - alt->sp <= alt->size;
}

int sigframe_altstack_flags(const struct sigaltstack_state *alt, uint64_t sp)
{
    if (!alt->size)
        return LINUX_SS_DISABLE;
    return sigframe_on_altstack(alt, sp) ? LINUX_SS_ONSTACK : 0;
}

uint64_t sigframe_place(uint64_t sp, const struct sigaltstack_state *alt, int onstack,
                        uint32_t fpu_size, uint64_t *fpstate)
{
    if (onstack && alt->size && !sigframe_on_altstack(alt, sp))
        sp = alt->sp + alt->size; /* the alternate stack is empty: start at its top */
    else
        sp -= SIGFRAME_REDZONE;
    sp = (sp - fpu_size) & ~63ull;
    *fpstate = sp;
    sp -= sizeof(struct linux_rt_sigframe);
    return (sp & ~15ull) - 8;
}

void sigframe_build(struct linux_rt_sigframe *f, const struct mica_regs *r, uint64_t mask,
                    const struct linux_siginfo *info, const struct sigaltstack_state *alt,
                    uint64_t fpstate, int xstate, uint64_t restorer, uint64_t trapno, uint64_t err,
                    uint64_t cr2)
{
    memset(f, 0, sizeof *f);
    f->pretcode = restorer;
    f->uc.flags = LINUX_UC_SIGCONTEXT_SS | LINUX_UC_STRICT_RESTORE_SS;
    if (xstate)
        f->uc.flags |= LINUX_UC_FP_XSTATE;
    f->uc.stack.sp = alt->sp;
    f->uc.stack.flags = (int32_t)(alt->size ? alt->flags : LINUX_SS_DISABLE);
    f->uc.stack.size = alt->size;
    struct linux_sigcontext *c = &f->uc.mcontext;
    c->r8 = r->r8;
    c->r9 = r->r9;
    c->r10 = r->r10;
    c->r11 = r->r11;
    c->r12 = r->r12;
    c->r13 = r->r13;
    c->r14 = r->r14;
    c->r15 = r->r15;
    c->rdi = r->rdi;
    c->rsi = r->rsi;
    c->rbp = r->rbp;
    c->rbx = r->rbx;
    c->rdx = r->rdx;
    c->rax = r->rax;
    c->rcx = r->rcx;
    c->rsp = r->rsp;
    c->rip = r->rip;
    c->eflags = r->rflags;
    c->cs = USER_CS;
    c->ss = USER_SS;
    c->err = err;
    c->trapno = trapno;
    c->oldmask = mask;
    c->cr2 = cr2;
    c->fpstate = fpstate;
    f->uc.sigmask = mask;
    f->info = *info;
}

void sigframe_handler_regs(struct mica_regs *r, uint64_t at, uint64_t handler, int sig)
{
    r->rip = handler;
    r->rsp = at;
    r->rdi = (uint64_t)sig;
    r->rsi = at + offsetof(struct linux_rt_sigframe, info);
    r->rdx = at + offsetof(struct linux_rt_sigframe, uc);
    r->rax = 0; /* as Linux: for handlers declared without a prototype (varargs) */
    r->rflags &= ~(1ull << 10 | 1ull << 8); /* DF clear (the ABI), no single-step into it */
}

void sigframe_restore(const struct linux_rt_sigframe *f, struct mica_regs *r, uint64_t *mask)
{
    const struct linux_sigcontext *c = &f->uc.mcontext;
    r->r8 = c->r8;
    r->r9 = c->r9;
    r->r10 = c->r10;
    r->r11 = c->r11;
    r->r12 = c->r12;
    r->r13 = c->r13;
    r->r14 = c->r14;
    r->r15 = c->r15;
    r->rdi = c->rdi;
    r->rsi = c->rsi;
    r->rbp = c->rbp;
    r->rbx = c->rbx;
    r->rdx = c->rdx;
    r->rax = c->rax;
    r->rcx = c->rcx;
    r->rsp = c->rsp;
    r->rip = c->rip;
    r->rflags = (r->rflags & ~RFLAGS_USER) | (c->eflags & RFLAGS_USER);
    *mask = f->uc.sigmask;
}
