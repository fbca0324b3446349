/*
 * loader.h - loading a static Linux ELF program into a process
 * (servers/posix/loader.c) (concepts: program loading, executable formats,
 * position-independent executables and the load bias).
 */
#ifndef POSIX_LOADER_H
#define POSIX_LOADER_H

#include <stdint.h>
#include "initstack.h"
#include "process.h"

/* Where a static-pie (ET_DYN) program is loaded: Linux's ELF_ET_DYN_BASE for x86-64
 * (2/3 of the 47-bit space, page-aligned), without randomisation. */
#define LOADER_PIE_BASE   0x0000555555554000ull
#define LOADER_STACK_TOP  0x00007ffffffff000ull
#define LOADER_STACK_SIZE (8ull << 20) /* Linux's default RLIMIT_STACK */

struct loaded {
    uint64_t entry, sp; /* where the program starts, and its stack pointer */
};

/*
 * Load the ELF image (size bytes) into p (whose address space exists and
 * has no memory yet): its PT_LOAD segments, shifted by the load bias for
 * ET_DYN, the vDSO, and an 8 MiB stack with the Linux initial stack built
 * from *args (whose phdr/entry/sysinfo_ehdr fields the loader fills in).  Sets p's program break
 * after the highest segment.  0, or a negative Linux error with *why.
 */
int loader_load(struct process *p, const uint8_t *image, uint64_t size, struct initstack_args *args,
                struct loaded *out, const char **why);

#endif
