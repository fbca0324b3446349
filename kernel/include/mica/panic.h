/*
 * panic.h - stopping the whole machine when the kernel cannot go on.
 */
#ifndef MICA_PANIC_H
#define MICA_PANIC_H

#include <stdbool.h>

/* Stop every CPU and print why, with a backtrace.  Never returns. */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The same, for callers that printed their own backtrace (exception reports). */
_Noreturn void panic_nobacktrace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True once some CPU has started to panic. */
bool panic_in_progress(void);

#endif
