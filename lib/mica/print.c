/*
 * print.c - formatted output for native programs (concept: a user-space
 * I/O library over a system call).  The formatting itself is shared with the
 * kernel (kernel/lib/format.c); this file sends the result to the console
 * through SYS_DEBUG_WRITE, one system call per printf.
 */
#include <stdarg.h>
#include "mica.h"
#include <mica/format.h>

int mica_write(const char *s, size_t len)
{
    return (int)mica_syscall2(SYS_DEBUG_WRITE, (uint64_t)s, len);
}

int mica_vprintf(const char *fmt, va_list ap)
{
    char buf[MICA_PRINTF_MAX];
    int n = kvsnprintf(buf, sizeof buf, fmt, ap);
    if (n > (int)sizeof buf - 1)
        n = (int)sizeof buf - 1;
    return mica_write(buf, (size_t)n);
}

int mica_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = mica_vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int mica_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    return kvsnprintf(buf, size, fmt, ap);
}

int mica_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
