/*
 * The root task: the first user program.  For now it is the test runner of
 * the kernel's native interface: it runs every test in tests.c, prints one
 * "PASS:"/"FAIL:" line per test, and stops the machine with the verdict.
 */
#include "../lib/mica.h"
#include "rt.h"

int main(mica_handle_t self)
{
    mica_printf("roottask: running in user mode, address space handle %u\n", self);
    unsigned failed = rt_run_all(self);
    mica_system_halt(failed ? 1 : 0);
}
