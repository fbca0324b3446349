/*
 * The root task: the first user program.  For now it is the test runner of
 * the kernel's native interface: it runs every test in tests.c, prints one
 * "PASS:"/"FAIL:" line per test, and stops the machine with the verdict.
 */
#include "../lib/mica.h"
#include "rt.h"

/* The kernel passes the root task's own address space, all I/O ports and the IRQ control. */
int main(mica_handle_t self, mica_handle_t ioports, mica_handle_t irq_control)
{
    mica_printf("roottask: running in user mode, address space handle %u\n", self);
    rt_ioports = ioports;
    rt_irq_control = irq_control;
    unsigned failed = rt_run_all(self);
    mica_system_halt(failed ? 1 : 0);
}
