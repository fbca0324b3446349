/*
 * fpu.c - the floating-point and vector registers of user threads (concept:
 * context switch: what state belongs to a thread).
 *
 * x87, SSE and AVX registers belong to the thread that uses them.  The kernel
 * itself never touches them (it is compiled with -mgeneral-regs-only), so they
 * need saving only when the CPU changes from one user thread to another.
 * Mica saves them eagerly at every such switch with XSAVE and restores them
 * with XRSTOR (FXSAVE/FXRSTOR on CPUs without XSAVE): on modern CPUs the
 * extra trap that lazy switching needs costs more than the save itself, and
 * eager switching leaks nothing between threads.
 */
#include <stdbool.h>
#include <mica/kmalloc.h>
#include <mica/log.h>
#include <mica/panic.h>
#include <mica/pmm.h>
#include <mica/slab.h>
#include <mica/string.h>
#include <arch/fpu.h>
#include <arch/layout.h>
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

static bool use_xsave;
static uint64_t xcr0;
static uint32_t area_size = FXSAVE_SIZE;
static struct kmem_cache fpu_cache;
static const struct slab_backend *backend;

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
    if (use_xsave)
        area_size = cpuid(0xd, 0).ebx; /* size for the features now enabled in XCR0 */
    backend = &fpu_backend;
    if (kmem_cache_init(&fpu_cache, "fpu-state", area_size, 64, backend) < 0)
        panic("fpu: cannot create the cache of %u-byte state areas", area_size);
    pr_info("fpu: %s, %u-byte state per thread, saved eagerly\n",
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

/* Areas live in whole pages from the page allocator, like every slab. */
static void *fpu_pages_alloc(unsigned order)
{
    return pmm_alloc_bytes((size_t)PAGE_SIZE << order);
}

static void fpu_pages_free(void *addr, unsigned order)
{
    pmm_free_bytes(addr, (size_t)PAGE_SIZE << order);
}
