/*
 * initstack.h - the initial stack of a Linux program (servers/posix/initstack.c)
 * (concepts: program loading, the process's start-up environment).
 *
 * A Linux program starts with its stack pointer on argc; above it lie the
 * argv pointers (ending in NULL), the envp pointers (ending in NULL), the
 * auxiliary vector (pairs of tag and value, ending in AT_NULL), and above
 * those the strings and the 16 random bytes that the pointers point to.  The
 * x86-64 psABI (section 3.4.1) wants rsp to be a multiple of 16 at entry.
 */
#ifndef POSIX_INITSTACK_H
#define POSIX_INITSTACK_H

#include <stdint.h>

#define INITSTACK_AUXV 18 /* auxiliary-vector entries at most, with AT_NULL */

struct initstack_args {
    unsigned argc, envc;
    const char *const *argv;     /* argc strings */
    const char *const *envp;     /* envc strings */
    const char *execfn;          /* the program's path, for AT_EXECFN */
    uint8_t random[16];          /* AT_RANDOM's bytes (the C library seeds its canary with them) */
    uint64_t phdr, phent, phnum; /* the program headers in memory (AT_PHDR, AT_PHENT, AT_PHNUM) */
    uint64_t entry;              /* AT_ENTRY */
    uint64_t hwcap;              /* AT_HWCAP: CPUID leaf 1's EDX, as Linux gives it */
    uint32_t uid, euid, gid, egid;
    uint32_t secure;       /* AT_SECURE: 1 if the program runs with ids its caller lacks */
    uint64_t sysinfo_ehdr; /* AT_SYSINFO_EHDR: the vDSO's ELF header; 0: no vDSO, no entry */
};

/*
 * Build the initial stack in buf, size bytes that will appear in the
 * program's address space at [top - size, top).  Returns 0 and the stack
 * pointer the program starts with in *sp, or -1 if it does not fit.
 * Pure code: no system calls, so the host unit tests run it.
 */
int initstack_build(uint8_t *buf, uint64_t size, uint64_t top, const struct initstack_args *a,
                    uint64_t *sp);

#endif
