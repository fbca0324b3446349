/*
 * runtime.c - the native runtime's C part: formatted console output through
 * the kernel's debug channel, leaving a thread, stopping the machine.
 */
#include <stdarg.h>
#include "mica.h"
#include <mica/format.h>
#include <mica/string.h>

#define PRINTF_MAX 1024

int mica_write(const char *s, size_t len)
{
    return (int)mica_syscall2(SYS_DEBUG_WRITE, (uint64_t)s, len);
}

int mica_printf(const char *fmt, ...)
{
    char buf[PRINTF_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1)
        n = (int)sizeof buf - 1;
    return mica_write(buf, (size_t)n);
}

_Noreturn void mica_thread_exit(void)
{
    mica_syscall0(SYS_THREAD_EXIT);
    for (;;)
        ;
}

_Noreturn void mica_system_halt(int verdict)
{
    mica_syscall1(SYS_SYSTEM_HALT, (uint64_t)verdict);
    for (;;)
        ;
}
