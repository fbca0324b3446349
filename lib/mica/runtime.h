/*
 * runtime.h - starting the native runtime, and stopping on a fatal error
 * (concept: the run-time system between a program and the kernel).
 * lib/mica/runtime.c; docs/runtime.md.
 */
#ifndef MICA_RUNTIME_H
#define MICA_RUNTIME_H

#include <stdint.h>
#include "mica.h"

/*
 * Call first in main(), with the handle of the program's own address space
 * (the root task's is struct mica_boot_handles' `self`): reads the clock
 * calibration and makes the calling thread a runtime thread, so that
 * threads, locks and malloc work.  0 or an error.  Calling it again does nothing.
 */
int64_t mica_runtime_init(mica_handle_t self_aspace);

/* The address space given to mica_runtime_init(). */
mica_handle_t mica_runtime_aspace(void);

/* Print "fatal: <message>" and stop the calling thread with an invalid-opcode fault. */
_Noreturn void mica_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
