/*
 * print.h - formatted output to the console and into buffers, for native
 * programs (concept: the C library's stdio, reduced to what servers need).
 * lib/mica/print.c; the conversions are kernel/lib/format.c's (mica/format.h):
 * %d %i %u %x %X %o %c %s %p %% with flags, width, precision and the
 * length modifiers hh h l ll z t j.  No floating point.
 */
#ifndef MICA_PRINT_H
#define MICA_PRINT_H

#include <stdarg.h>
#include <stddef.h>

#define MICA_PRINTF_MAX 1024 /* longest console output of one call; more is cut off */

/* Write len bytes to the console (SYS_DEBUG_WRITE); returns len or an error. */
int mica_write(const char *s, size_t len);

/* Console output; returns the number of characters written. */
int mica_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int mica_vprintf(const char *fmt, va_list ap);

/* C99 snprintf: at most size bytes with the NUL; returns the untruncated length. */
int mica_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int mica_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
