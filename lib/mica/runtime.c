/*
 * runtime.c - starting the native runtime and stopping on fatal errors
 * (concept: the run-time system that sits between a program and the
 * kernel), plus leaving a thread and stopping the machine.
 */
#include <stdarg.h>
#include "mica.h"
#include "clock.h"
#include "runtime.h"
#include "thread.h"

static mica_handle_t self_aspace;

int64_t mica_runtime_init(mica_handle_t aspace)
{
    if (self_aspace)
        return 0;
    int64_t err = mica_clock_init();
    if (err < 0)
        return err;
    err = mica_thread_init_first();
    if (err < 0)
        return err;
    self_aspace = aspace;
    return 0;
}

mica_handle_t mica_runtime_aspace(void)
{
    return self_aspace;
}

_Noreturn void mica_panic(const char *fmt, ...)
{
    char buf[MICA_PRINTF_MAX - 16];
    va_list ap;
    va_start(ap, fmt);
    mica_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    mica_printf("fatal: %s\n", buf);
    for (;;)
        __asm__ volatile("ud2"); /* the kernel ends the thread, or tells its fault handler */
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
