/*
 * timer.c - the periodic timer interrupt of every CPU (concept: clock
 * interrupts, the basis of preemptive scheduling and timeouts).
 *
 * Each CPU's local APIC timer raises VEC_TIMER TIMER_HZ times a second.  When
 * the CPU has the TSC-deadline mode, the timer fires when the TSC reaches a
 * value the kernel writes, and each tick arms the next; otherwise the APIC
 * timer runs periodically with a count measured against the TSC at boot.  If
 * deadline mode is advertised but no interrupt arrives, periodic mode is used.
 */
#include <stdbool.h>
#include <mica/log.h>
#include <mica/sched.h>
#include <arch/apic.h>
#include <arch/arch.h>
#include <arch/clock.h>
#include <arch/percpu.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define APIC_DIVIDE_16 0x3

static bool use_deadline;
static uint32_t periodic_count;

bool timer_uses_tsc_deadline(void)
{
    return use_deadline;
}

static void arm_deadline(void)
{
    wrmsr(MSR_TSC_DEADLINE, rdtsc() + tsc_hz() / TIMER_HZ);
}

static void timer_interrupt(struct trap_frame *f)
{
    (void)f;
    atomic_fetch_add(&this_cpu()->ticks, 1);
    if (use_deadline)
        arm_deadline();
    sched_tick();
}

static uint32_t measure_apic_count_per_tick(void)
{
    lapic_timer_start_counting(APIC_DIVIDE_16);
    arch_delay_us(10000);
    uint32_t elapsed = 0xffffffffu - lapic_timer_current();
    lapic_timer_stop();
    return elapsed * 100 / TIMER_HZ;
}

void timer_init_cpu(void)
{
    if (use_deadline) {
        lapic_timer_deadline_mode(VEC_TIMER);
        arm_deadline();
    } else {
        lapic_timer_periodic(VEC_TIMER, periodic_count, APIC_DIVIDE_16);
    }
}

/* Does a deadline interrupt arrive within a few ticks? */
static bool deadline_works(void)
{
    uint64_t before = atomic_load(&this_cpu()->ticks);
    lapic_timer_deadline_mode(VEC_TIMER);
    arm_deadline();
    irq_enable();
    arch_delay_us(5 * 1000000 / TIMER_HZ);
    irq_disable();
    return atomic_load(&this_cpu()->ticks) != before;
}

void timer_init_bsp(void)
{
    irq_set_handler(VEC_TIMER, timer_interrupt);
    bool has_deadline = (cpuid(1, 0).ecx & (1u << 24)) != 0;
    use_deadline = has_deadline;
    if (has_deadline && !deadline_works()) {
        pr_warn("timer: TSC-deadline mode is advertised but raises no interrupt; using periodic "
                "mode\n");
        use_deadline = false;
    }
    lapic_timer_stop();
    if (!use_deadline)
        periodic_count = measure_apic_count_per_tick();
    timer_init_cpu();
    pr_info("timer: local APIC, %s mode, %u Hz\n", use_deadline ? "TSC-deadline" : "periodic",
            TIMER_HZ);
}
