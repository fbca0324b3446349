/*
 * format.h - printf-style formatting for the kernel (kernel/lib/format.c).
 *
 * kvformat() turns a format string and its arguments into characters and
 * hands each one to an output function, so the same code serves the console
 * (which writes characters to a device) and ksnprintf (which fills a buffer).
 *
 * Supported: %d %i %u %x %X %o %c %s %p %%, the length modifiers hh h l ll z
 * t j, the flags - 0 + space #, and a width and precision (either may be *).
 * %s of NULL prints "(null)"; %p prints 0x and 16 hex digits.  No floating
 * point: the kernel does not use the FPU.
 */
#ifndef MICA_FORMAT_H
#define MICA_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Receives the formatted output one character at a time. */
typedef void (*format_out_fn)(char c, void *ctx);

/* Format to out; returns the number of characters produced. */
int kvformat(format_out_fn out, void *ctx, const char *fmt, va_list ap);

/*
 * Format into buf, writing at most size bytes including the terminating NUL
 * (nothing at all if size is 0).  Like C99 snprintf, returns the length the
 * whole result would have had, so a return value >= size means truncation.
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
