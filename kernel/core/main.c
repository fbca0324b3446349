/*
 * main.c - the generic part of kernel start-up, after the architecture has
 * brought up memory, interrupts, timers and all CPUs.
 *
 * It announces that the kernel is ready with one line that tests look for:
 *   mica: ready cpus=N mem=MMiB boot=Tms
 * (CPUs online, usable memory, time since the first kernel instruction),
 * seeds the entropy pool, runs the self-tests when asked to, and lets the
 * boot CPU idle.
 */
#include <mica/bench.h>
#include <mica/cmdline.h>
#include <mica/entropy.h>
#include <mica/kernel.h>
#include <mica/log.h>
#include <mica/panic.h>
#include <mica/roottask.h>
#include <mica/sched.h>
#include <mica/selftest.h>
#include <mica/testexit.h>
#include <mica/bootinfo.h>
#include <arch/arch.h>
#include <arch/cpu.h>
#include <arch/smp.h>

/* Test-only: crash on purpose on the last CPU, to show an exception report from an AP
 * (mica.inject=ap-fault). */
static void deliberate_fault(void *arg)
{
    (void)arg;
    if (arch_cpu_id() + 1 != arch_cpus_online())
        return;
    pr_info("inject: dereferencing a null pointer on cpu %u\n", arch_cpu_id());
    *(volatile uint64_t *)0 = 0xdead;
}

static void inject_faults(const char *cmdline)
{
    if (cmdline_has_value(cmdline, "mica.inject", "fault")) {
        pr_info("inject: dereferencing a null pointer on cpu %u\n", arch_cpu_id());
        *(volatile uint64_t *)0 = 0xdead;
    }
    if (cmdline_has_value(cmdline, "mica.inject", "ap-fault"))
        smp_run_on_all(deliberate_fault, 0);
    if (cmdline_has_value(cmdline, "mica.inject", "panic"))
        panic("inject: panic requested on the command line");
}

_Noreturn void kernel_main(uint64_t usable_bytes)
{
    uint64_t ms = arch_ns_since_boot() / 1000000;
    entropy_init(); /* before any user program can ask for random bytes */
    kprintf("mica: ready cpus=%u mem=%luMiB boot=%lums\n", arch_cpus_online(),
            usable_bytes / (1024 * 1024), ms);

    inject_faults(boot_info.cmdline);
    unsigned failed = 0;
    if (cmdline_has(boot_info.cmdline, "mica.selftest"))
        failed = selftest_run_all();
    if (cmdline_has(boot_info.cmdline, "mica.bench"))
        bench_run_all();
    int started = roottask_start();
    if (started < 0) /* a module came but cannot run: nothing will happen in user mode */
        test_exit_if_requested(TEST_EXIT_FAIL);
    if (started == 0)
        test_exit_if_requested(failed ? TEST_EXIT_FAIL : TEST_EXIT_PASS);
    else if (failed)
        test_exit_if_requested(TEST_EXIT_FAIL);
    sched_idle_loop();
}
