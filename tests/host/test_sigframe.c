/*
 * test_sigframe.c - the Linux signal frame the posix server builds
 * (servers/posix/sigframe.c): every offset against the UAPI headers
 * (asm/sigcontext.h, asm/ucontext.h, asm/siginfo.h from linux-libc-dev), the
 * placement on the stack and on the alternate stack, that a frame read
 * back gives the registers it was built from, and the XSAVE marks of the FPU
 * area (software bytes, magic numbers) and rt_sigreturn's checks of them.
 */
#include <stddef.h>
#include <string.h>
#include <linux/signal.h>
#include <asm/sigcontext.h>
#include <asm/ucontext.h>
#include <asm/siginfo.h>
#include "../../servers/posix/sigframe.h"
#include "unit.h"

#define SAME_OFFSET(ours, field, theirs, tfield)                                                   \
    CHECK_EQ(offsetof(ours, field), offsetof(theirs, tfield))

static void test_sigcontext_layout(void)
{
    CHECK_EQ(sizeof(struct linux_sigcontext), sizeof(struct sigcontext));
    SAME_OFFSET(struct linux_sigcontext, r8, struct sigcontext, r8);
    SAME_OFFSET(struct linux_sigcontext, r15, struct sigcontext, r15);
    SAME_OFFSET(struct linux_sigcontext, rdi, struct sigcontext, rdi);
    SAME_OFFSET(struct linux_sigcontext, rsi, struct sigcontext, rsi);
    SAME_OFFSET(struct linux_sigcontext, rbp, struct sigcontext, rbp);
    SAME_OFFSET(struct linux_sigcontext, rbx, struct sigcontext, rbx);
    SAME_OFFSET(struct linux_sigcontext, rdx, struct sigcontext, rdx);
    SAME_OFFSET(struct linux_sigcontext, rax, struct sigcontext, rax);
    SAME_OFFSET(struct linux_sigcontext, rcx, struct sigcontext, rcx);
    SAME_OFFSET(struct linux_sigcontext, rsp, struct sigcontext, rsp);
    SAME_OFFSET(struct linux_sigcontext, rip, struct sigcontext, rip);
    SAME_OFFSET(struct linux_sigcontext, eflags, struct sigcontext, eflags);
    SAME_OFFSET(struct linux_sigcontext, cs, struct sigcontext, cs);
    SAME_OFFSET(struct linux_sigcontext, gs, struct sigcontext, gs);
    SAME_OFFSET(struct linux_sigcontext, fs, struct sigcontext, fs);
    SAME_OFFSET(struct linux_sigcontext, ss, struct sigcontext, ss);
    SAME_OFFSET(struct linux_sigcontext, err, struct sigcontext, err);
    SAME_OFFSET(struct linux_sigcontext, trapno, struct sigcontext, trapno);
    SAME_OFFSET(struct linux_sigcontext, oldmask, struct sigcontext, oldmask);
    SAME_OFFSET(struct linux_sigcontext, cr2, struct sigcontext, cr2);
    SAME_OFFSET(struct linux_sigcontext, fpstate, struct sigcontext, fpstate);
    SAME_OFFSET(struct linux_sigcontext, reserved1, struct sigcontext, reserved1);
    CHECK_EQ(SIGFRAME_FPU_SIZE, sizeof(struct _fpstate_64));
}

static void test_ucontext_layout(void)
{
    CHECK_EQ(sizeof(struct linux_ucontext), sizeof(struct ucontext));
    SAME_OFFSET(struct linux_ucontext, flags, struct ucontext, uc_flags);
    SAME_OFFSET(struct linux_ucontext, link, struct ucontext, uc_link);
    SAME_OFFSET(struct linux_ucontext, stack, struct ucontext, uc_stack);
    SAME_OFFSET(struct linux_ucontext, mcontext, struct ucontext, uc_mcontext);
    SAME_OFFSET(struct linux_ucontext, sigmask, struct ucontext, uc_sigmask);
    CHECK_EQ(sizeof(struct linux_stack), sizeof(stack_t));
    SAME_OFFSET(struct linux_stack, sp, stack_t, ss_sp);
    SAME_OFFSET(struct linux_stack, flags, stack_t, ss_flags);
    SAME_OFFSET(struct linux_stack, size, stack_t, ss_size);
    CHECK_EQ(LINUX_UC_SIGCONTEXT_SS, UC_SIGCONTEXT_SS);
    CHECK_EQ(LINUX_UC_STRICT_RESTORE_SS, UC_STRICT_RESTORE_SS);
    CHECK_EQ(LINUX_SS_ONSTACK, SS_ONSTACK);
    CHECK_EQ(LINUX_SS_DISABLE, SS_DISABLE);
    CHECK_EQ(LINUX_SS_AUTODISARM, SS_AUTODISARM);
    CHECK_EQ(LINUX_MINSIGSTKSZ, MINSIGSTKSZ);
}

static void test_siginfo_layout(void)
{
    CHECK_EQ(sizeof(struct linux_siginfo), sizeof(siginfo_t));
    SAME_OFFSET(struct linux_siginfo, signo, siginfo_t, si_signo);
    SAME_OFFSET(struct linux_siginfo, errno_, siginfo_t, si_errno);
    SAME_OFFSET(struct linux_siginfo, code, siginfo_t, si_code);
    SAME_OFFSET(struct linux_siginfo, u.proc.pid, siginfo_t, si_pid);
    SAME_OFFSET(struct linux_siginfo, u.proc.uid, siginfo_t, si_uid);
    SAME_OFFSET(struct linux_siginfo, u.proc.status, siginfo_t, si_status);
    SAME_OFFSET(struct linux_siginfo, u.proc.utime, siginfo_t, si_utime);
    SAME_OFFSET(struct linux_siginfo, u.proc.stime, siginfo_t, si_stime);
    SAME_OFFSET(struct linux_siginfo, u.timer.tid, siginfo_t, si_tid);
    SAME_OFFSET(struct linux_siginfo, u.timer.overrun, siginfo_t, si_overrun);
    SAME_OFFSET(struct linux_siginfo, u.timer.value, siginfo_t, si_value);
    SAME_OFFSET(struct linux_siginfo, u.fault.addr, siginfo_t, si_addr);
}

/* Linux's struct rt_sigframe (arch/x86/include/asm/sigframe.h, not in UAPI): the return
 * address, the ucontext, the siginfo. */
struct linux_frame_reference {
    char *pretcode;
    struct ucontext uc;
    siginfo_t info;
};

static void test_frame_layout(void)
{
    CHECK_EQ(sizeof(struct linux_rt_sigframe), sizeof(struct linux_frame_reference));
    SAME_OFFSET(struct linux_rt_sigframe, uc, struct linux_frame_reference, uc);
    SAME_OFFSET(struct linux_rt_sigframe, info, struct linux_frame_reference, info);
}

static void test_place(void)
{
    struct sigaltstack_state none = {0, 0, LINUX_SS_DISABLE};
    uint64_t fp;
    uint64_t sp = 0x7fff1234;
    uint64_t at = sigframe_place(sp, &none, 1, SIGFRAME_FPU_SIZE, &fp);
    CHECK_EQ(fp % 64, 0);
    CHECK(fp + SIGFRAME_FPU_SIZE <= sp - SIGFRAME_REDZONE); /* the red zone is left alone */
    CHECK(at + sizeof(struct linux_rt_sigframe) <= fp);
    CHECK_EQ((at + 8) % 16, 0); /* as right after a call */
    CHECK(fp - (at + sizeof(struct linux_rt_sigframe)) < 16 + 8);

    struct sigaltstack_state alt = {0x500000, 0x4000, 0};
    at = sigframe_place(sp, &alt, 1, SIGFRAME_FPU_SIZE, &fp);
    CHECK(fp + SIGFRAME_FPU_SIZE <= 0x504000 && fp >= 0x500000); /* at the top of the alt stack */
    CHECK_EQ(fp, 0x504000 - SIGFRAME_FPU_SIZE);
    CHECK_EQ((at + 8) % 16, 0);
    at = sigframe_place(sp, &alt, 0, SIGFRAME_FPU_SIZE, &fp); /* no SA_ONSTACK: the usual stack */
    CHECK(fp < sp && fp > sp - 4096);
    at = sigframe_place(0x503000, &alt, 1, SIGFRAME_FPU_SIZE, &fp); /* on the alt stack already */
    CHECK(fp < 0x503000 - SIGFRAME_REDZONE && fp > 0x500000);
    at = sigframe_place(0x504000, &alt, 0, 836, &fp); /* the XSAVE area and magic2 */
    CHECK_EQ(fp, (0x504000 - SIGFRAME_REDZONE - 836) & ~63ull);
    CHECK(at + sizeof(struct linux_rt_sigframe) <= fp);

    CHECK_EQ(sigframe_altstack_flags(&none, sp), LINUX_SS_DISABLE);
    CHECK_EQ(sigframe_altstack_flags(&alt, sp), 0);
    CHECK_EQ(sigframe_altstack_flags(&alt, 0x503000), LINUX_SS_ONSTACK);
    CHECK_EQ(sigframe_altstack_flags(&alt, 0x504000), LINUX_SS_ONSTACK); /* its top is in it */
    CHECK_EQ(sigframe_altstack_flags(&alt, 0x500000), 0);
}

static void test_build_and_restore(void)
{
    struct mica_regs r;
    uint64_t *w = (uint64_t *)&r;
    for (unsigned i = 0; i < sizeof r / 8; i++)
        w[i] = 0x1000 + i;
    r.rflags = 0x246;
    struct linux_siginfo info = {.signo = 11, .code = 1};
    info.u.fault.addr = 0xdead;
    struct sigaltstack_state alt = {0x500000, 0x4000, LINUX_SS_AUTODISARM};
    static struct linux_rt_sigframe f;
    sigframe_build(&f, &r, 0x5, &info, &alt, 0x7000, 0, 0x401000, 14, 4, 0xdead);
    struct ucontext *uc = (struct ucontext *)&f.uc;
    CHECK_EQ(f.pretcode, 0x401000);
    CHECK_EQ(uc->uc_mcontext.rip, r.rip);
    CHECK_EQ(uc->uc_mcontext.rsp, r.rsp);
    CHECK_EQ(uc->uc_mcontext.rax, r.rax);
    CHECK_EQ(uc->uc_mcontext.r15, r.r15);
    CHECK_EQ(uc->uc_mcontext.cs, 0x33);
    CHECK_EQ(uc->uc_mcontext.ss, 0x2b);
    CHECK_EQ(uc->uc_mcontext.trapno, 14);
    CHECK_EQ(uc->uc_mcontext.err, 4);
    CHECK_EQ(uc->uc_mcontext.cr2, 0xdead);
    CHECK_EQ((uint64_t)uc->uc_mcontext.fpstate, 0x7000);
    CHECK_EQ(uc->uc_sigmask, 0x5);
    CHECK_EQ((uint64_t)uc->uc_stack.ss_sp, 0x500000);
    CHECK_EQ((uint32_t)uc->uc_stack.ss_flags, LINUX_SS_AUTODISARM);
    CHECK_EQ(uc->uc_flags, UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS);
    siginfo_t *si = (siginfo_t *)&f.info;
    CHECK_EQ(si->si_signo, 11);
    CHECK_EQ((uint64_t)si->si_addr, 0xdead);

    struct mica_regs h = r;
    uint64_t at = 0x6000 - 8;
    sigframe_handler_regs(&h, at, 0x402000, 11);
    CHECK_EQ(h.rip, 0x402000);
    CHECK_EQ(h.rdi, 11);
    CHECK_EQ(h.rsi, at + offsetof(struct linux_rt_sigframe, info));
    CHECK_EQ(h.rdx, at + 8);
    CHECK_EQ(h.rsp, at);
    CHECK_EQ(h.rax, 0);

    /* The handler changed some registers; sigreturn brings back the frame's. */
    uc->uc_mcontext.rbx = 77;
    uc->uc_mcontext.eflags = 0xffffffffffffffffull; /* privileged bits must not come back */
    uc->uc_sigmask = 0x100;
    struct mica_regs back = h;
    uint64_t mask;
    sigframe_restore(&f, &back, &mask);
    CHECK_EQ(back.rbx, 77);
    CHECK_EQ(back.rip, r.rip);
    CHECK_EQ(back.rsp, r.rsp);
    CHECK_EQ(back.rdi, r.rdi);
    CHECK_EQ(back.fs_base, r.fs_base);
    CHECK_EQ(back.rflags & 0x3200, h.rflags & 0x3200); /* IOPL and IF are not the program's */
    CHECK_EQ(back.rflags & 0x40dd5, 0x40dd5);
    CHECK_EQ(mask, 0x100);
    sigframe_build(&f, &r, 0x5, &info, &alt, 0x7000, 1, 0x401000, 14, 4, 0xdead);
    CHECK_EQ(uc->uc_flags, UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS);
}

/* The FPU area's layout: Linux's struct _xstate (x87/SSE, the XSAVE header, the AVX halves). */
static void test_xstate_layout(void)
{
    CHECK_EQ(LINUX_FP_XSTATE_MAGIC1, FP_XSTATE_MAGIC1);
    CHECK_EQ(LINUX_FP_XSTATE_MAGIC2, FP_XSTATE_MAGIC2);
    CHECK_EQ(LINUX_UC_FP_XSTATE, UC_FP_XSTATE);
    CHECK_EQ(SIGFRAME_SW_BYTES, offsetof(struct _fpstate_64, sw_reserved));
    CHECK_EQ(sizeof(struct linux_fpx_sw_bytes), sizeof(struct _fpx_sw_bytes));
    SAME_OFFSET(struct linux_fpx_sw_bytes, magic1, struct _fpx_sw_bytes, magic1);
    SAME_OFFSET(struct linux_fpx_sw_bytes, extended_size, struct _fpx_sw_bytes, extended_size);
    SAME_OFFSET(struct linux_fpx_sw_bytes, xfeatures, struct _fpx_sw_bytes, xfeatures);
    SAME_OFFSET(struct linux_fpx_sw_bytes, xstate_size, struct _fpx_sw_bytes, xstate_size);
    CHECK_EQ(SIGFRAME_XSTATE_BV, offsetof(struct _xstate, xstate_hdr.xfeatures));
    CHECK_EQ(SIGFRAME_XSTATE_MIN, offsetof(struct _xstate, ymmh));
    CHECK_EQ(sizeof(struct _xstate), 832); /* what the kernel gives with AVX */
    CHECK_EQ(MICA_FPU_AREA_SIZE, sizeof(struct _fpstate_64));
}

static const struct sigframe_fpu avx = {832, 7};

/* An area as the kernel gives it: marked values everywhere, AVX in use. */
static void kernel_area(uint8_t *a)
{
    for (unsigned i = 0; i < avx.size; i++)
        a[i] = (uint8_t)(i * 7 + 1);
    memset(a + 512, 0, 64);
    a[512] = 4; /* XSTATE_BV: AVX; x87 and SSE in their initial state */
    uint32_t mxcsr = 0x1f80;
    memcpy(a + 24, &mxcsr, sizeof mxcsr);
}

static void test_xstate_mark(void)
{
    static uint8_t a[SIGFRAME_FPU_MAX];
    CHECK_EQ(sigframe_fpu_frame_size(&avx), 836);
    struct sigframe_fpu fx = {512, 3};
    CHECK_EQ(sigframe_fpu_frame_size(&fx), 512);
    kernel_area(a);
    sigframe_fpu_mark(a, &avx);
    const struct _xstate *x = (const struct _xstate *)a;
    CHECK_EQ(x->fpstate.sw_reserved.magic1, FP_XSTATE_MAGIC1);
    CHECK_EQ(x->fpstate.sw_reserved.extended_size, 836);
    CHECK_EQ(x->fpstate.sw_reserved.xfeatures, 7);
    CHECK_EQ(x->fpstate.sw_reserved.xstate_size, 832);
    CHECK_EQ(x->xstate_hdr.xfeatures, 7); /* x87 and SSE always marked, as Linux does */
    uint32_t magic2;
    memcpy(&magic2, a + x->fpstate.sw_reserved.xstate_size, sizeof magic2);
    CHECK_EQ(magic2, FP_XSTATE_MAGIC2);
    CHECK_EQ(a[576], (uint8_t)(576 * 7 + 1)); /* the AVX halves as given */
    CHECK_EQ(sigframe_fpu_magic2_at(a, &avx), 832);

    sigframe_fpu_init(a, &avx); /* a handler's first state: nothing in use */
    CHECK_EQ(x->fpstate.cwd, 0x37f);
    CHECK_EQ(x->fpstate.mxcsr, 0x1f80);
    CHECK_EQ(x->xstate_hdr.xfeatures, 0);
    CHECK_EQ(x->ymmh.ymmh_space[5], 0);
}

/* rt_sigreturn's checks of the marks: wrong ones give the FXSAVE part only, never a fault. */
static void test_xstate_unmark(void)
{
    static uint8_t a[SIGFRAME_FPU_MAX], b[SIGFRAME_FPU_MAX];
    struct _xstate *x = (struct _xstate *)a;
    kernel_area(a);
    sigframe_fpu_mark(a, &avx);
    memcpy(b, a, sizeof a);
    CHECK_EQ(sigframe_fpu_magic2_at(a, &avx), 832);
    sigframe_fpu_unmark(a, 1, &avx); /* all right: the whole area, as it was */
    CHECK_EQ(memcmp(a, b, 832), 0);

    x->fpstate.sw_reserved.magic1 = 0; /* legacy code's frame */
    CHECK_EQ(sigframe_fpu_magic2_at(a, &avx), 0);
    memcpy(a, b, sizeof a);
    x->fpstate.sw_reserved.xstate_size = 4096; /* more than the kernel has */
    CHECK_EQ(sigframe_fpu_magic2_at(a, &avx), 0);
    x->fpstate.sw_reserved.xstate_size = 100; /* less than the header's end */
    CHECK_EQ(sigframe_fpu_magic2_at(a, &avx), 0);
    x->fpstate.sw_reserved.xstate_size = 832;
    x->fpstate.sw_reserved.extended_size = 600; /* smaller than xstate_size */
    CHECK_EQ(sigframe_fpu_magic2_at(a, &avx), 0);
    x->fpstate.sw_reserved.extended_size = 836;
    x->fpstate.sw_reserved.xstate_size = 576; /* a smaller area is allowed: magic2 after it */
    CHECK_EQ(sigframe_fpu_magic2_at(a, &avx), 576);
    struct sigframe_fpu fx = {512, 3};
    CHECK_EQ(sigframe_fpu_magic2_at(b, &fx), 0); /* no XSAVE: never more than FXSAVE's part */

    memcpy(a, b, sizeof a); /* the FXSAVE part only: AVX to its initial state */
    sigframe_fpu_unmark(a, 0, &avx);
    CHECK_EQ(x->xstate_hdr.xfeatures, 3);
    CHECK_EQ(memcmp(a, b, 512), 0);
    CHECK_EQ(x->ymmh.ymmh_space[0], 0);
    CHECK_EQ(x->xstate_hdr.reserved1[0], 0);

    memcpy(a, b, sizeof a); /* xfeatures without AVX: AVX initial, MXCSR kept (SSE) */
    x->fpstate.sw_reserved.xfeatures = 3;
    sigframe_fpu_unmark(a, 1, &avx);
    CHECK_EQ(x->xstate_hdr.xfeatures, 3);
    memcpy(a, b, sizeof a); /* xfeatures with x87 only: MXCSR to its initial value */
    x->fpstate.sw_reserved.xfeatures = 1;
    x->fpstate.mxcsr = 0x1f00;
    sigframe_fpu_unmark(a, 1, &avx);
    CHECK_EQ(x->xstate_hdr.xfeatures, 1);
    CHECK_EQ(x->fpstate.mxcsr, 0x1f80);

    memcpy(a, b, sizeof a); /* what XRSTOR faults on stays, for the kernel to refuse */
    x->xstate_hdr.xfeatures = 7 | 1u << 9;
    x->xstate_hdr.reserved1[0] = 1; /* XCOMP_BV */
    x->xstate_hdr.reserved2[4] = 1; /* ignored by XRSTOR: cleared */
    sigframe_fpu_unmark(a, 1, &avx);
    CHECK_EQ(x->xstate_hdr.xfeatures, 7 | 1u << 9);
    CHECK_EQ(x->xstate_hdr.reserved1[0], 1);
    CHECK_EQ(x->xstate_hdr.reserved2[4], 0);
}

int main(void)
{
    unit_run("sigframe", "sigcontext_layout", test_sigcontext_layout);
    unit_run("sigframe", "ucontext_layout", test_ucontext_layout);
    unit_run("sigframe", "siginfo_layout", test_siginfo_layout);
    unit_run("sigframe", "frame_layout", test_frame_layout);
    unit_run("sigframe", "place", test_place);
    unit_run("sigframe", "build_and_restore", test_build_and_restore);
    unit_run("sigframe", "xstate_layout", test_xstate_layout);
    unit_run("sigframe", "xstate_mark", test_xstate_mark);
    unit_run("sigframe", "xstate_unmark", test_xstate_unmark);
    return unit_exit_code();
}
