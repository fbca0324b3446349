/*
 * panic.c - stopping the machine on an unrecoverable kernel error.
 *
 * The first CPU to panic stops all others with a non-maskable interrupt (so
 * that even a CPU spinning with interrupts off stops), prints the reason and
 * a backtrace, and halts.  A CPU that panics while another one already does
 * just halts.  With the boot option `mica.exit`, QEMU is left with the panic
 * exit code instead, so that test runs end by themselves.
 */
#include <stdatomic.h>
#include <stdarg.h>
#include <mica/format.h>
#include <mica/log.h>
#include <mica/panic.h>
#include <mica/testexit.h>
#include <arch/arch.h>
#include <arch/cpu.h>

static atomic_int panicking = 0;

bool panic_in_progress(void)
{
    return atomic_load(&panicking) != 0;
}

static _Noreturn void panic_common(bool backtrace, const char *fmt, va_list ap)
{
    arch_irq_save();
    int expected = 0;
    if (!atomic_compare_exchange_strong(&panicking, &expected, 1))
        arch_halt_forever();

    arch_stop_other_cpus();
    log_enter_panic_mode();

    char reason[256];
    kvsnprintf(reason, sizeof reason, fmt, ap);
    kprintf("\nPANIC on cpu %u: %s\n", arch_cpu_id(), reason);
    if (backtrace)
        arch_backtrace(arch_frame_pointer());
    kprintf("mica: halted.\n");
    test_exit_if_requested(TEST_EXIT_PANIC);
    arch_halt_forever();
}

_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    panic_common(true, fmt, ap);
}

_Noreturn void panic_nobacktrace(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    panic_common(false, fmt, ap);
}
