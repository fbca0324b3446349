/*
 * arch/smp.h - starting the other CPUs and giving them work.
 */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

#include <arch/percpu.h>

void smp_init(void);
void smp_boot_aps(void);

/* Run fn(arg) on every online CPU at once (this one included); return when all are done. */
void smp_run_on_all(cpu_work_fn fn, void *arg);

/* Send an interrupt that makes cpu count it in its `ipis` counter. */
void smp_send_test_ipi(unsigned cpu);

#endif
