/*
 * fpu.c - the floating-point and vector registers of user threads (concept:
 * context switch: what state belongs to a thread).
 *
 * x87, SSE and AVX registers belong to the thread that uses them.  The kernel
 * itself never touches them (it is compiled with -mgeneral-regs-only), so they
 * need saving only when the CPU changes from one user thread to another.
 *
 * Mica switches them eagerly, with XSAVE and XRSTOR (FXSAVE/FXRSTOR on CPUs
 * without XSAVE), but only for threads that use them.  A thread starts with
 * the registers in their initial state and CR0.TS set, so its first
 * floating-point or vector instruction raises #NM (device not available);
 * fpu_first_use() then clears TS, loads the thread's state and marks it
 * (fpu_used): from then on the thread's registers are saved and restored at
 * every switch.  Threads that never use them - most servers, and every
 * native program today, built with general registers only - cost nothing at
 * a switch: no save, no restore, not even a write to CR0.  This is what makes
 * the IPC fast path cheap between such threads.
 *
 * The invariant: CR0.TS is set exactly while the running thread has not used
 * the registers, and then they hold their initial state - when a thread that
 * used them is switched away from for one that has not, they are reset from
 * init_area.  So nothing of one thread can be seen by another, not even
 * speculatively (the "lazy FP" leak, CVE-2018-3665, which comes from leaving
 * one thread's values in the registers while another runs with TS set).
 * Fully lazy switching would also skip the save and restore between two
 * threads that both use the registers, but needs exactly that leak closed by
 * other means, and a trap at almost every switch: on modern CPUs the trap
 * costs more than XSAVE.
 */
#include <stdbool.h>
#include <mica/errno.h>
#include <mica/kmalloc.h>
#include <mica/log.h>
#include <mica/panic.h>
#include <mica/pmm.h>
#include <mica/slab.h>
#include <mica/string.h>
#include <abi/mica/syscall.h>
#include <arch/fpu.h>
#include <mica/thread.h>
#include <arch/layout.h>
#include <arch/percpu.h>
#include <arch/x86.h>

#define CR0_MP         (1ull << 1)
#define CR0_EM         (1ull << 2)
#define CR0_TS         (1ull << 3)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_OSXSAVE    (1ull << 18)
#define XCR0_X87       1ull
#define XCR0_SSE       2ull
#define XCR0_AVX       4ull
#define MXCSR_DEFAULT  0x1f80 /* all SIMD exceptions masked, round to nearest */
#define FCW_DEFAULT    0x037f /* all x87 exceptions masked, 64-bit precision */
#define FXSAVE_SIZE    512

#define FXSAVE_MXCSR      24 /* offsets in the FXSAVE area (Intel SDM vol. 1, table 10-2) */
#define FXSAVE_MXCSR_MASK 28
#define FXSAVE_ST         32  /* ST0..ST7 / MM0..MM7, 16 bytes each */
#define FXSAVE_XMM        160 /* XMM0..XMM15, 16 bytes each */
#define XSTATE_BV         512 /* XSAVE header: which components the area holds */
#define XSAVE_HEADER_SIZE 64  /* XSTATE_BV, then 56 bytes (XCOMP_BV, reserved) that must be zero */

static bool use_xsave;
static uint32_t mxcsr_mask = 0xffbf; /* MXCSR bits this CPU accepts (from FXSAVE at boot) */
static uint64_t xcr0;
static uint32_t area_size = FXSAVE_SIZE;
static uint32_t avx_offset, avx_size; /* where the AVX component lies in the standard format */
static struct kmem_cache fpu_cache;
static const struct slab_backend *backend;
static void *init_area; /* the initial state: loaded to wipe a thread's values */

static void xsetbv(uint32_t reg, uint64_t v)
{
    __asm__ volatile("xsetbv" ::"c"(reg), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* Per CPU: enable SSE and, where present, XSAVE with x87, SSE and AVX state. */
void fpu_init_cpu(void)
{
    write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP);
    uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
    if (use_xsave)
        cr4 |= CR4_OSXSAVE;
    write_cr4(cr4);
    if (use_xsave)
        xsetbv(0, xcr0);
    write_cr0(read_cr0() | CR0_TS); /* no thread has used the registers here yet */
}

/* The MXCSR bits the CPU accepts, as FXSAVE reports them (0 there means the default 0xffbf):
 * loading any other bit faults (#GP), so SYS_THREAD_WRITE_FPU refuses them. */
static void probe_mxcsr_mask(void)
{
    static uint8_t area[FXSAVE_SIZE] __attribute__((aligned(16)));
    __asm__ volatile("clts" ::: "memory");
    __asm__ volatile("fxsave64 (%0)" ::"r"(area) : "memory");
    write_cr0(read_cr0() | CR0_TS);
    uint32_t mask;
    memcpy(&mask, area + FXSAVE_MXCSR_MASK, sizeof mask);
    if (mask)
        mxcsr_mask = mask;
}

static void *fpu_pages_alloc(unsigned order);
static void fpu_pages_free(void *addr, unsigned order);
static const struct slab_backend fpu_backend = {fpu_pages_alloc, fpu_pages_free};

void fpu_init_bsp(void)
{
    use_xsave = (cpuid(1, 0).ecx & (1u << 26)) != 0;
    if (use_xsave) {
        uint64_t supported = cpuid(0xd, 0).eax;
        xcr0 = XCR0_X87 | XCR0_SSE | (supported & XCR0_AVX);
    }
    fpu_init_cpu();
    probe_mxcsr_mask();
    if (use_xsave)
        area_size = cpuid(0xd, 0).ebx; /* size for the features now enabled in XCR0 */
    if (xcr0 & XCR0_AVX) {
        avx_size = cpuid(0xd, 2).eax; /* sub-leaf 2: the AVX component's size and offset */
        avx_offset = cpuid(0xd, 2).ebx;
    }
    if (area_size > MICA_FPU_XSTATE_MAX || avx_offset + avx_size > area_size)
        panic("fpu: unexpected %u-byte XSAVE area", area_size);
    backend = &fpu_backend;
    if (kmem_cache_init(&fpu_cache, "fpu-state", area_size, 64, backend) < 0)
        panic("fpu: cannot create the cache of %u-byte state areas", area_size);
    init_area = fpu_state_alloc();
    if (!init_area)
        panic("fpu: no memory for the initial state");
    pr_info("fpu: %s, %u-byte state per thread, switched for threads that use it\n",
            use_xsave ? (xcr0 & XCR0_AVX ? "XSAVE x87+SSE+AVX" : "XSAVE x87+SSE") : "FXSAVE",
            area_size);
}

void *fpu_state_alloc(void)
{
    uint8_t *area = kmem_cache_alloc(&fpu_cache);
    if (!area)
        return 0;
    memset(area, 0, area_size);
    uint16_t fcw = FCW_DEFAULT;
    uint32_t mxcsr = MXCSR_DEFAULT;
    memcpy(area, &fcw, sizeof fcw);
    memcpy(area + 24, &mxcsr, sizeof mxcsr);
    return area;
}

void fpu_state_free(void *area)
{
    if (area && kmem_cache_free(&fpu_cache, area) < 0)
        panic("fpu: freeing a state area that is not one");
}

void fpu_save(void *area)
{
    if (use_xsave)
        __asm__ volatile("xsave64 (%0)" ::"r"(area), "a"((uint32_t)xcr0),
                         "d"((uint32_t)(xcr0 >> 32))
                         : "memory");
    else
        __asm__ volatile("fxsave64 (%0)" ::"r"(area) : "memory");
}

void fpu_restore(const void *area)
{
    if (use_xsave)
        __asm__ volatile("xrstor64 (%0)" ::"r"(area), "a"((uint32_t)xcr0),
                         "d"((uint32_t)(xcr0 >> 32))
                         : "memory");
    else
        __asm__ volatile("fxrstor64 (%0)" ::"r"(area) : "memory");
}

/*
 * The x87/SSE part of a saved area in the FXSAVE layout, for SYS_THREAD_READ_FPU.  An XSAVE
 * area may leave out a component that is in its initial state (its XSTATE_BV bit is clear):
 * then the initial values are what the thread has, and what is given.
 */
void fpu_get_legacy(const void *area, uint8_t out[FXSAVE_SIZE])
{
    memcpy(out, area, FXSAVE_SIZE);
    memcpy(out + FXSAVE_MXCSR_MASK, &mxcsr_mask, sizeof mxcsr_mask);
    uint64_t bv = XCR0_X87 | XCR0_SSE;
    if (use_xsave)
        memcpy(&bv, (const uint8_t *)area + XSTATE_BV, sizeof bv);
    if (!(bv & XCR0_X87)) {
        uint16_t fcw = FCW_DEFAULT;
        memset(out, 0, FXSAVE_MXCSR);
        memcpy(out, &fcw, sizeof fcw);
        memset(out + FXSAVE_ST, 0, FXSAVE_XMM - FXSAVE_ST);
    }
    if (!(bv & XCR0_SSE))
        memset(out + FXSAVE_XMM, 0, 16 * 16);
}

/*
 * Replace the x87/SSE part of a saved area (SYS_THREAD_WRITE_FPU): -EINVAL if MXCSR has a bit
 * the CPU refuses (restoring it would fault in the kernel).  An XSAVE area then says that it
 * holds both components, so XRSTOR loads them rather than their initial state.
 */
int fpu_set_legacy(void *area, const uint8_t in[FXSAVE_SIZE])
{
    uint32_t mxcsr;
    memcpy(&mxcsr, in + FXSAVE_MXCSR, sizeof mxcsr);
    if (mxcsr & ~mxcsr_mask)
        return -EINVAL;
    memcpy(area, in, FXSAVE_SIZE);
    memcpy((uint8_t *)area + FXSAVE_MXCSR_MASK, &mxcsr_mask, sizeof mxcsr_mask);
    if (use_xsave) {
        uint64_t bv;
        memcpy(&bv, (uint8_t *)area + XSTATE_BV, sizeof bv);
        bv |= XCR0_X87 | XCR0_SSE;
        memcpy((uint8_t *)area + XSTATE_BV, &bv, sizeof bv);
    }
    return 0;
}

uint32_t fpu_area_size(void)
{
    return area_size;
}

uint64_t fpu_features(void)
{
    return use_xsave ? xcr0 : XCR0_X87 | XCR0_SSE;
}

/*
 * The whole saved area in the standard (non-compacted) XSAVE format, area_size bytes: the
 * legacy part as fpu_get_legacy gives it, the header with XSTATE_BV as saved (a clear bit:
 * that component is in its initial state) and the rest of it zero, then the AVX upper halves,
 * zero (their initial state) when XSTATE_BV says they were left out.
 */
void fpu_get_all(const void *area, uint8_t *out)
{
    fpu_get_legacy(area, out);
    if (area_size == FXSAVE_SIZE)
        return;
    uint64_t bv;
    memcpy(&bv, (const uint8_t *)area + XSTATE_BV, sizeof bv);
    bv &= xcr0;
    memset(out + XSTATE_BV, 0, area_size - XSTATE_BV);
    memcpy(out + XSTATE_BV, &bv, sizeof bv);
    if (bv & XCR0_AVX)
        memcpy(out + avx_offset, (const uint8_t *)area + avx_offset, avx_size);
}

/*
 * Replace the whole area (SYS_THREAD_WRITE_FPU with the full size).  XRSTOR raises #GP for a
 * header that sets a component the kernel has not enabled in XCR0 or whose reserved bytes are
 * not zero, and for MXCSR bits the CPU refuses: all -EINVAL here, so the kernel's own XRSTOR
 * can never fault.  The thread then has exactly what the area says, XSTATE_BV included.
 */
int fpu_set_all(void *area, const uint8_t *in)
{
    if (area_size == FXSAVE_SIZE)
        return fpu_set_legacy(area, in);
    uint32_t mxcsr;
    memcpy(&mxcsr, in + FXSAVE_MXCSR, sizeof mxcsr);
    if (mxcsr & ~mxcsr_mask)
        return -EINVAL;
    uint64_t bv;
    memcpy(&bv, in + XSTATE_BV, sizeof bv);
    if (bv & ~xcr0)
        return -EINVAL;
    for (unsigned i = sizeof bv; i < XSAVE_HEADER_SIZE; i++)
        if (in[XSTATE_BV + i])
            return -EINVAL;
    memcpy(area, in, area_size);
    memcpy((uint8_t *)area + FXSAVE_MXCSR_MASK, &mxcsr_mask, sizeof mxcsr_mask);
    return 0;
}

static void clts(void)
{
    __asm__ volatile("clts" ::: "memory");
}

/*
 * At every switch, before the general registers: save what prev used, load
 * what next uses, and keep the invariant above.  XSAVE and XRSTOR need TS
 * clear, which it is whenever the running thread has used the registers.
 */
void fpu_switch(struct thread *prev, struct thread *next)
{
    if (prev->fpu_used)
        fpu_save(prev->fpu);
    if (next->fpu_used) {
        if (!prev->fpu_used)
            clts();
        fpu_restore(next->fpu);
    } else if (prev->fpu_used) {
        fpu_restore(init_area); /* leave nothing of prev behind */
        write_cr0(read_cr0() | CR0_TS);
    }
}

/* #NM from user mode: the current thread's first use of the registers. */
bool fpu_first_use(void)
{
    struct thread *t = this_cpu()->current;
    if (!t->fpu || t->fpu_used)
        return false; /* TS was clear: not a first use, and not ours to handle */
    clts();
    fpu_restore(t->fpu);
    t->fpu_used = true;
    return true;
}

/* Areas live in whole pages from the page allocator, like every slab. */
static void *fpu_pages_alloc(unsigned order)
{
    return pmm_alloc_bytes((size_t)PAGE_SIZE << order);
}

static void fpu_pages_free(void *addr, unsigned order)
{
    pmm_free_bytes(addr, (size_t)PAGE_SIZE << order);
}
