/*
 * syscall.h - the kernel side of the native system-call interface.
 */
#ifndef MICA_SYSCALL_H
#define MICA_SYSCALL_H

#include <stdint.h>

/* Arguments in, results out: the architecture moves them from and to registers. */
struct syscall_regs {
    uint64_t nr;
    uint64_t arg[6];
    uint64_t ret;
    uint64_t out[6]; /* further results (IPC messages): written back if nout > 0 */
    unsigned nout;
};

void syscall_handle(struct syscall_regs *r);

#endif
