/*
 * The root task: the first user program.  For now it is the test runner of
 * the kernel's native interface: it runs the test tables in rt.c, prints one
 * "PASS:"/"FAIL:" line per test, and stops the machine with the verdict.
 */
#include <mica.h>
#include <runtime.h>
#include "rt.h"

/* The kernel passes the root task's first handles (see struct mica_boot_handles). */
int main(const struct mica_boot_handles *bh)
{
    mica_printf("roottask: running in user mode, address space handle %u\n", bh->self);
    rt_ioports = bh->ioports;
    rt_irq_control = bh->irq_control;
    rt_phys = bh->phys;
    rt_trace = bh->trace;
    rt_initrd = bh->initrd;
    rt_initrd_size = bh->initrd_size;
    int64_t err = mica_runtime_init(bh->self); /* threads, locks and malloc of lib/mica */
    if (err < 0) {
        mica_printf("roottask: mica_runtime_init failed (%ld)\n", (long)err);
        mica_system_halt(1);
    }
    unsigned failed = rt_run_all(bh->self);
    mica_system_halt(failed ? 1 : 0);
}
