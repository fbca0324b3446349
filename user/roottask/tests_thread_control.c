/*
 * tests_thread_control.c - tests of the calls a debugger or a personality
 * server uses on threads: suspend and resume, reading and writing registers,
 * TLS bases, fault handlers; and that each thread keeps its own SSE registers.
 */
#include "rt.h"
#include <mica/string.h>

#define STACK_SIZE 65536

static void *stack_top(void)
{
    int64_t vmo = mica_vmo_create(STACK_SIZE);
    int64_t at = mica_vm_map(rt_self, (mica_handle_t)vmo, 0, 0, STACK_SIZE,
                             MICA_PROT_READ | MICA_PROT_WRITE);
    mica_handle_close((mica_handle_t)vmo);
    return (void *)(at + STACK_SIZE);
}

static int64_t new_thread(void (*fn)(uint64_t), uint64_t arg)
{
    return mica_thread_create(rt_self, fn, stack_top(), arg);
}

static volatile uint64_t spin_count;
static mica_handle_t landed;

static void spinner(uint64_t arg)
{
    (void)arg;
    for (;;)
        spin_count++;
}

static void landing(uint64_t value)
{
    mica_notify_signal(landed, value);
    mica_thread_exit();
}

/* A running thread is stopped by suspend; its registers can be read and rewritten. */
static void test_suspend_and_registers(void)
{
    landed = (mica_handle_t)mica_notify_create();
    int64_t t = new_thread(spinner, 0);
    RT_CHECK(t > 0);
    struct mica_regs regs;
    RT_EQ(mica_thread_read_regs((mica_handle_t)t, &regs), 0); /* new: allowed */
    RT_EQ(mica_thread_start((mica_handle_t)t), 0);
    while (spin_count < 1000)
        mica_yield();
    RT_EQ(mica_thread_read_regs((mica_handle_t)t, &regs), -MICA_EBUSY); /* running */
    RT_EQ(mica_thread_suspend((mica_handle_t)t), 0);
    int64_t err;
    while ((err = mica_thread_read_regs((mica_handle_t)t, &regs)) == -MICA_EBUSY)
        mica_yield(); /* it stops on its next way through the kernel */
    RT_EQ(err, 0);
    struct mica_thread_info info;
    RT_EQ(mica_thread_info((mica_handle_t)t, &info), 0);
    RT_EQ(info.stopped, MICA_THREAD_SUSPENDED);
    uint64_t frozen = spin_count;
    for (int i = 0; i < 20; i++)
        mica_yield();
    RT_EQ(spin_count, frozen);
    RT_CHECK(regs.rip >= (uint64_t)spinner && regs.rip < (uint64_t)landing);
    RT_EQ(mica_thread_read_regs((mica_handle_t)t, 0), -MICA_EFAULT);
    RT_EQ(mica_thread_write_regs((mica_handle_t)t, (struct mica_regs *)0x10), -MICA_EFAULT);
    regs.rip = 0x0000800000000000ull; /* non-canonical: iretq would fault in the kernel */
    RT_EQ(mica_thread_write_regs((mica_handle_t)t, &regs), -MICA_EINVAL);
    regs.rip = (uint64_t)landing;
    regs.rdi = 42;
    regs.rsp = (uint64_t)stack_top() - 8; /* as if called */
    regs.rflags |= 0x3000;                /* I/O privilege: must be ignored */
    RT_EQ(mica_thread_write_regs((mica_handle_t)t, &regs), 0);
    RT_EQ(mica_thread_resume((mica_handle_t)t), 0);
    RT_EQ(mica_notify_wait(landed), 42);
    mica_handle_close((mica_handle_t)t);
    mica_handle_close(landed);
}

static mica_handle_t tls_done;

static void read_tls(uint64_t arg)
{
    (void)arg;
    uint64_t fs_word, gs_word;
    __asm__ volatile("movq %%fs:0, %0" : "=r"(fs_word));
    __asm__ volatile("movq %%gs:8, %0" : "=r"(gs_word));
    mica_notify_signal(tls_done, fs_word + gs_word);
    mica_thread_exit();
}

/* FS and GS bases are per thread. */
static void test_tls_bases(void)
{
    static uint64_t block[2] = {1000, 234};
    tls_done = (mica_handle_t)mica_notify_create();
    int64_t t = new_thread(read_tls, 0);
    RT_EQ(mica_thread_set_tls((mica_handle_t)t, 0, (uint64_t)&block[0]), 0);
    RT_EQ(mica_thread_set_tls((mica_handle_t)t, 1, (uint64_t)&block[0]), 0);
    RT_EQ(mica_thread_set_tls((mica_handle_t)t, 2, 0), -MICA_EINVAL);
    RT_EQ(mica_thread_set_tls((mica_handle_t)t, 0, 0xffff800000000000ull), -MICA_EINVAL);
    RT_EQ(mica_thread_set_tls(0, 0, 0), -MICA_EBADF);
    RT_EQ(mica_thread_start((mica_handle_t)t), 0);
    RT_EQ(mica_notify_wait(tls_done), 1234);
    mica_handle_close((mica_handle_t)t);
    mica_handle_close(tls_done);
}

#define FAULT_ADDR 0x0000200000000000ull
static mica_handle_t fault_done;

static void touch_unmapped(uint64_t arg)
{
    (void)arg;
    *(volatile uint64_t *)FAULT_ADDR = 77; /* the handler maps this page, then we go on */
    mica_notify_signal(fault_done, *(volatile uint64_t *)FAULT_ADDR);
    __asm__ volatile("ud2");           /* this one the handler answers with "kill" */
    mica_notify_signal(fault_done, 1); /* never reached */
    mica_thread_exit();
}

/* Faults go to the fault handler as calls; it can repair and resume, or kill. */
static void test_fault_handler(void)
{
    fault_done = (mica_handle_t)mica_notify_create();
    mica_handle_t ep = (mica_handle_t)mica_endpoint_create();
    int64_t t = new_thread(touch_unmapped, 0);
    RT_EQ(mica_thread_set_fault_handler((mica_handle_t)t, ep), 0);
    RT_EQ(mica_thread_set_fault_handler((mica_handle_t)t, fault_done), -MICA_EINVAL);
    RT_EQ(mica_thread_start((mica_handle_t)t), 0);

    struct mica_msg m = {0};
    RT_EQ(mica_recv(ep, &m), 0);
    RT_EQ(m.tag >> MICA_TAG_LABEL_SHIFT, MICA_MSG_FAULT);
    RT_EQ(m.w[0], 14); /* page fault */
    RT_EQ(m.w[2], FAULT_ADDR);
    struct mica_regs regs;
    RT_EQ(mica_thread_read_regs((mica_handle_t)t, &regs), 0); /* readable while in a fault */
    RT_EQ(regs.rip, m.w[3]);
    int64_t vmo = mica_vmo_create(4096);
    RT_EQ(mica_vm_map(rt_self, (mica_handle_t)vmo, 0, FAULT_ADDR, 4096,
                      MICA_PROT_READ | MICA_PROT_WRITE),
          (int64_t)FAULT_ADDR);
    struct mica_msg answer = {0, 0, {MICA_FAULT_RESUME, 0, 0, 0}};
    RT_EQ(mica_reply(&answer), 0);
    RT_EQ(mica_notify_wait(fault_done), 77);

    RT_EQ(mica_recv(ep, &m), 0);
    RT_EQ(m.w[0], 6); /* invalid opcode */
    answer.w[0] = MICA_FAULT_KILL;
    RT_EQ(mica_reply(&answer), 0);
    for (int i = 0; i < 20; i++)
        mica_yield();
    RT_EQ(mica_notify_poll(fault_done), 0); /* it never got past ud2 */
    RT_EQ(mica_vm_unmap(rt_self, FAULT_ADDR, 4096), 0);
    mica_handle_close((mica_handle_t)vmo);
    mica_handle_close((mica_handle_t)t);
    mica_handle_close(ep);
    mica_handle_close(fault_done);
}

static mica_handle_t sse_done;

/* Keep a value in xmm0 across many switches to other threads. */
static void sse_keeper(uint64_t value)
{
    uint64_t bad = 0;
    /* No clobber list: this file is compiled without SSE, so the compiler never uses xmm0. */
    __asm__ volatile("movq %0, %%xmm0" ::"r"(value));
    for (int i = 0; i < 200; i++) {
        mica_yield();
        uint64_t now;
        __asm__ volatile("movq %%xmm0, %0" : "=r"(now));
        if (now != value)
            bad++;
    }
    unsigned index = value == 0x1111111111111111ull ? 0 : 1;
    mica_notify_signal(sse_done, (bad ? 4ull : 1ull) << index); /* ok: bit 0/1, bad: bit 2/3 */
    mica_thread_exit();
}

/* Each thread has its own SSE registers (saved at every switch). */
static void test_sse_registers_per_thread(void)
{
    sse_done = (mica_handle_t)mica_notify_create();
    int64_t a = new_thread(sse_keeper, 0x1111111111111111ull);
    int64_t b = new_thread(sse_keeper, 0x2222222222222222ull);
    RT_EQ(mica_thread_set_cpu((mica_handle_t)a, 0), 0);
    RT_EQ(mica_thread_set_cpu((mica_handle_t)b, 0), 0);
    mica_thread_start((mica_handle_t)a);
    mica_thread_start((mica_handle_t)b);
    uint64_t seen = 0;
    while ((seen & 0x3) != 0x3 && !(seen & 0xc))
        seen |= (uint64_t)mica_notify_wait(sse_done);
    RT_EQ(seen, 0x3);
    mica_handle_close((mica_handle_t)a);
    mica_handle_close((mica_handle_t)b);
    mica_handle_close(sse_done);
}

static mica_handle_t trap_done;

static void breakpointer(uint64_t arg)
{
    (void)arg;
    __asm__ volatile("int3");
    mica_notify_signal(trap_done, 1);
    mica_thread_exit();
}

/* `int3` in user mode is a breakpoint (vector 3) for the fault handler, with rip after it. */
static void test_breakpoint(void)
{
    trap_done = (mica_handle_t)mica_notify_create();
    mica_handle_t ep = (mica_handle_t)mica_endpoint_create();
    int64_t t = new_thread(breakpointer, 0);
    RT_EQ(mica_thread_set_fault_handler((mica_handle_t)t, ep), 0);
    RT_EQ(mica_thread_start((mica_handle_t)t), 0);
    struct mica_msg m = {0};
    RT_EQ(mica_recv(ep, &m), 0);
    RT_EQ(m.w[0], 3); /* breakpoint, not a general protection fault */
    struct mica_msg answer = {0, 0, {MICA_FAULT_RESUME, 0, 0, 0}};
    RT_EQ(mica_reply(&answer), 0); /* a trap: it resumes after the instruction */
    RT_EQ(mica_notify_wait(trap_done), 1);
    mica_handle_close((mica_handle_t)t);
    mica_handle_close(ep);
    mica_handle_close(trap_done);
}

static mica_handle_t fpu_done;

/* Put a value in xmm0, stop at ud2 (its handler skips it and sets xmm1), report xmm1. */
static void fpu_faulter(uint64_t value)
{
    __asm__ volatile("movq %0, %%xmm0" ::"r"(value));
    __asm__ volatile("ud2");
    uint64_t got;
    __asm__ volatile("movq %%xmm1, %0" : "=r"(got));
    mica_notify_signal(fpu_done, got);
    mica_thread_exit();
}

#define FX_MXCSR 24  /* offsets in the FXSAVE area */
#define FX_XMM0  160 /* XMM0, then XMM1 16 bytes later */

/*
 * The x87/SSE registers of a stopped thread can be read and written in the FXSAVE layout
 * (SYS_THREAD_READ_FPU/WRITE_FPU), and a fault handler can resume a thread at another rip with
 * rewritten registers: what a signal's delivery needs.
 */
static void test_fpu_registers(void)
{
    static uint8_t area[MICA_FPU_AREA_SIZE] __attribute__((aligned(16)));
    fpu_done = (mica_handle_t)mica_notify_create();
    mica_handle_t ep = (mica_handle_t)mica_endpoint_create();
    int64_t t = new_thread(fpu_faulter, 0x1234567890abcdefull);
    RT_EQ(mica_thread_read_fpu((mica_handle_t)t, area, sizeof area),
          0); /* new: its initial state */
    uint16_t fcw;
    uint32_t mxcsr;
    memcpy(&fcw, area, sizeof fcw);
    memcpy(&mxcsr, area + FX_MXCSR, sizeof mxcsr);
    RT_EQ(fcw, 0x37f);
    RT_EQ(mxcsr, 0x1f80);
    RT_EQ(mica_thread_set_fault_handler((mica_handle_t)t, ep), 0);
    RT_EQ(mica_thread_start((mica_handle_t)t), 0);

    struct mica_msg m = {0};
    RT_EQ(mica_recv(ep, &m), 0);
    RT_EQ(m.w[0], 6); /* invalid opcode */
    struct mica_thread_info info;
    RT_EQ(mica_thread_info((mica_handle_t)t, &info), 0);
    RT_EQ(info.stopped, MICA_THREAD_IN_HANDLER);
    RT_EQ(mica_thread_read_fpu((mica_handle_t)t, area, sizeof area), 0);
    uint64_t xmm0;
    memcpy(&xmm0, area + FX_XMM0, sizeof xmm0);
    RT_EQ(xmm0, 0x1234567890abcdefull);
    RT_EQ(mica_thread_read_fpu((mica_handle_t)t, 0, sizeof area), -MICA_EFAULT);
    RT_EQ(mica_thread_write_fpu((mica_handle_t)t, (void *)0x10, sizeof area), -MICA_EFAULT);
    RT_EQ(mica_thread_read_fpu(0, area, sizeof area), -MICA_EBADF);
    RT_EQ(mica_thread_read_fpu(MICA_THREAD_SELF, area, sizeof area),
          -MICA_EBUSY);         /* running: not stopped */
    uint32_t bad = 0xffffffffu; /* reserved MXCSR bits: restoring them would fault */
    memcpy(area + FX_MXCSR, &bad, sizeof bad);
    RT_EQ(mica_thread_write_fpu((mica_handle_t)t, area, sizeof area), -MICA_EINVAL);
    memcpy(area + FX_MXCSR, &mxcsr, sizeof mxcsr);
    uint64_t xmm1 = 0x0fedcba987654321ull;
    memcpy(area + FX_XMM0 + 16, &xmm1, sizeof xmm1);
    RT_EQ(mica_thread_write_fpu((mica_handle_t)t, area, sizeof area), 0);
    struct mica_regs regs;
    RT_EQ(mica_thread_read_regs((mica_handle_t)t, &regs), 0);
    regs.rip += 2; /* past ud2: the answer resumes with the registers as written */
    RT_EQ(mica_thread_write_regs((mica_handle_t)t, &regs), 0);
    struct mica_msg answer = {0, 0, {MICA_FAULT_RESUME, 0, 0, 0}};
    RT_EQ(mica_reply(&answer), 0);
    RT_EQ(mica_notify_wait(fpu_done), (int64_t)xmm1);
    RT_EQ(mica_thread_info((mica_handle_t)t, &info), 0);
    RT_EQ(info.stopped, 0);
    mica_handle_close((mica_handle_t)t);
    mica_handle_close(ep);
    mica_handle_close(fpu_done);
}

/* Put a value in ymm2 (both halves), stop at ud2 (its handler skips it and writes ymm3 whole),
 * report ymm2's and ymm3's upper halves (their first 8 bytes each, xor-ed). */
static void avx_faulter(uint64_t value)
{
    uint64_t v[4] = {value, value + 1, value + 2, value + 3};
    __asm__ volatile("vmovdqu (%0), %%ymm2" ::"r"(v) : "memory");
    __asm__ volatile("ud2");
    uint64_t y2[4], y3[4];
    __asm__ volatile("vmovdqu %%ymm2, (%0)\n\tvmovdqu %%ymm3, (%1)" ::"r"(y2), "r"(y3) : "memory");
    mica_notify_signal(fpu_done, (y2[2] == value + 2 && y2[3] == value + 3) ? y3[2] ^ y3[3] : 1);
    mica_thread_exit();
}

#define XS_BV       512 /* the XSAVE header: XSTATE_BV, then 56 reserved bytes */
#define XS_AVX      576 /* the AVX component: upper halves of YMM0-YMM15, 16 bytes each */
#define XS_FEATURES 7   /* x87, SSE, AVX */

/*
 * With the size the kernel reports, SYS_THREAD_READ_FPU/WRITE_FPU transfer the whole XSAVE area:
 * the upper halves of the ymm registers are read, written and survive the round trip; a header
 * XRSTOR would fault on (a component not enabled, reserved bytes not zero) is -EINVAL, and so
 * is a size that is neither.  QEMU's -cpu max has AVX.
 */
static void test_fpu_xstate(void)
{
    struct mica_kernel_stats ks;
    rt_stats(&ks);
    RT_EQ(ks.fpu_features, XS_FEATURES);
    RT_EQ(ks.fpu_size, 832); /* 512 legacy + 64 header + 16 x 16 bytes of AVX */
    static uint8_t area[MICA_FPU_XSTATE_MAX] __attribute__((aligned(64)));
    uint64_t size = ks.fpu_size;
    fpu_done = (mica_handle_t)mica_notify_create();
    mica_handle_t ep = (mica_handle_t)mica_endpoint_create();
    int64_t t = new_thread(avx_faulter, 0x1111222233334444ull);
    RT_EQ(mica_thread_read_fpu((mica_handle_t)t, area, size - 1), -MICA_EINVAL);
    RT_EQ(mica_thread_read_fpu((mica_handle_t)t, area, 4096), -MICA_EINVAL);
    RT_EQ(mica_thread_read_fpu((mica_handle_t)t, area, size), 0); /* new: the initial state */
    uint64_t bv, word;
    memcpy(&bv, area + XS_BV, sizeof bv);
    RT_EQ(bv & 4, 0); /* AVX in its initial state */
    memcpy(&word, area + XS_AVX + 2 * 16, sizeof word);
    RT_EQ(word, 0);
    RT_EQ(mica_thread_set_fault_handler((mica_handle_t)t, ep), 0);
    RT_EQ(mica_thread_start((mica_handle_t)t), 0);

    struct mica_msg m = {0};
    RT_EQ(mica_recv(ep, &m), 0);
    RT_EQ(m.w[0], 6); /* invalid opcode */
    RT_EQ(mica_thread_read_fpu((mica_handle_t)t, area, size), 0);
    memcpy(&bv, area + XS_BV, sizeof bv);
    RT_EQ(bv & 4, 4); /* ymm2's upper half is not zero: AVX is in use */
    uint64_t up[2];
    memcpy(up, area + XS_AVX + 2 * 16, sizeof up); /* ymm2 bits 128-255 */
    RT_EQ(up[0], 0x1111222233334446ull);
    RT_EQ(up[1], 0x1111222233334447ull);
    static uint8_t bad[MICA_FPU_XSTATE_MAX] __attribute__((aligned(64)));
    memcpy(bad, area, size);
    bv = 1ull << 9; /* a component (PKRU) the kernel has not enabled */
    memcpy(bad + XS_BV, &bv, sizeof bv);
    RT_EQ(mica_thread_write_fpu((mica_handle_t)t, bad, size), -MICA_EINVAL);
    memcpy(bad, area, size);
    bad[XS_BV + 8] = 0x80; /* XCOMP_BV bit 63: the compacted format */
    RT_EQ(mica_thread_write_fpu((mica_handle_t)t, bad, size), -MICA_EINVAL);
    memcpy(bad, area, size);
    bad[XS_BV + 63] = 1; /* the last reserved byte */
    RT_EQ(mica_thread_write_fpu((mica_handle_t)t, bad, size), -MICA_EINVAL);
    memcpy(bad, area, size);
    uint32_t mxcsr = 0xffffffffu;
    memcpy(bad + FX_MXCSR, &mxcsr, sizeof mxcsr);
    RT_EQ(mica_thread_write_fpu((mica_handle_t)t, bad, size), -MICA_EINVAL);
    RT_EQ(mica_thread_write_fpu((mica_handle_t)t, bad, size + 1), -MICA_EINVAL);
    RT_EQ(mica_thread_write_fpu((mica_handle_t)t, (void *)0x10, size), -MICA_EFAULT);

    uint64_t y3[2] = {0x5555666677778888ull, 0x0123012301230123ull}; /* ymm3 bits 128-255 */
    memcpy(area + XS_AVX + 3 * 16, y3, sizeof y3);
    RT_EQ(mica_thread_write_fpu((mica_handle_t)t, area, size), 0);
    static uint8_t back[MICA_FPU_XSTATE_MAX] __attribute__((aligned(64)));
    RT_EQ(mica_thread_read_fpu((mica_handle_t)t, back, size), 0); /* the round trip */
    RT_EQ(memcmp(back + XS_BV, area + XS_BV, size - XS_BV), 0);
    RT_EQ(memcmp(back + FX_XMM0, area + FX_XMM0, 16 * 16), 0);
    struct mica_regs regs;
    RT_EQ(mica_thread_read_regs((mica_handle_t)t, &regs), 0);
    regs.rip += 2; /* past ud2 */
    RT_EQ(mica_thread_write_regs((mica_handle_t)t, &regs), 0);
    struct mica_msg answer = {0, 0, {MICA_FAULT_RESUME, 0, 0, 0}};
    RT_EQ(mica_reply(&answer), 0);
    RT_EQ(mica_notify_wait(fpu_done), (int64_t)(y3[0] ^ y3[1])); /* and ymm2 kept its value */
    mica_handle_close((mica_handle_t)t);
    mica_handle_close(ep);
    mica_handle_close(fpu_done);
}

/* Suspend and the register calls check their handle like every call. */
static void test_thread_control_bad_handles(void)
{
    struct mica_regs regs;
    mica_handle_t ep = (mica_handle_t)mica_endpoint_create();
    RT_EQ(mica_thread_suspend(0), -MICA_EBADF);
    RT_EQ(mica_thread_resume(12345), -MICA_EBADF);
    RT_EQ(mica_thread_read_regs(ep, &regs), -MICA_EINVAL);
    RT_EQ(mica_thread_set_fault_handler(ep, ep), -MICA_EINVAL);
    int64_t t = new_thread(spinner, 0);
    int64_t weak = mica_handle_dup((mica_handle_t)t, MICA_RIGHT_ALL & ~MICA_RIGHT_MANAGE);
    RT_EQ(mica_thread_suspend((mica_handle_t)weak), -MICA_EACCES);
    RT_EQ(mica_thread_read_regs((mica_handle_t)weak, &regs), -MICA_EACCES);
    mica_handle_close((mica_handle_t)weak);
    mica_handle_close((mica_handle_t)t);
    mica_handle_close(ep);
}

const struct rt_test rt_thread_control_tests[] = {
    {"thread_suspend_and_registers", test_suspend_and_registers},
    {"thread_tls_bases", test_tls_bases},
    {"thread_fault_handler", test_fault_handler},
    {"thread_sse_registers", test_sse_registers_per_thread},
    {"thread_fpu_registers", test_fpu_registers},
    {"thread_fpu_xstate", test_fpu_xstate},
    {"thread_breakpoint", test_breakpoint},
    {"thread_control_bad_handles", test_thread_control_bad_handles},
};
const unsigned rt_thread_control_test_count =
    sizeof rt_thread_control_tests / sizeof rt_thread_control_tests[0];
