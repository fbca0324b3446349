/*
 * arch/layout.h - the kernel's virtual memory layout on x86-64.
 *
 *   0x0000000000000000 - 0x00007fffffffffff  user space (later)
 *   0xffff800000000000 - 0xffffbfffffffffff  direct map of all physical memory
 *   0xffffc00000000000 - 0xffffc0ffffffffff  kernel stacks, each above an unmapped guard page
 *   0xffffd00000000000 - 0xffffd0ffffffffff  device memory and firmware tables (kmap)
 *   0xffffffff80000000 - 0xffffffffffffffff  the kernel image (-mcmodel=kernel)
 *
 * The kernel is loaded at physical KERNEL_PHYS and linked at KERNEL_VBASE plus
 * that address.  Usable from assembly too.
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define KERNEL_PHYS    0x200000
#define KERNEL_VBASE   0xffffffff80000000
#define DIRECT_MAP     0xffff800000000000
#define DIRECT_MAP_MAX 0x0000400000000000 /* 64 TiB */
#define KSTACK_AREA    0xffffc00000000000
#define KSTACK_AREA_SZ 0x0000010000000000
#define KMAP_AREA      0xffffd00000000000
#define KMAP_AREA_SZ   0x0000010000000000

#define PAGE_SIZE  4096
#define PAGE_SHIFT 12

#define BOOT_STACK_SIZE 16384
#define KSTACK_SIZE     16384

/* Where the application-processor start-up code is copied (below 1 MiB, SIPI vector 0x08). */
#define AP_TRAMPOLINE_PHYS 0x8000

#ifndef __ASSEMBLER__
#include <stdint.h>

static inline void *phys_to_virt(uint64_t pa)
{
    return (void *)(pa + DIRECT_MAP);
}

static inline uint64_t virt_to_phys(const void *va)
{
    uint64_t v = (uint64_t)va;
    if (v >= KERNEL_VBASE)
        return v - KERNEL_VBASE;
    return v - DIRECT_MAP;
}
#endif

#endif
