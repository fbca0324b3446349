/*
 * smp.c - symmetric multiprocessing: waking the other CPUs (concept:
 * multiprocessors, inter-processor interrupts).
 *
 * The ACPI MADT lists every CPU's local APIC.  The boot CPU wakes each other
 * CPU in turn with the INIT-SIPI-SIPI sequence: INIT resets it, and a STARTUP
 * IPI makes it run real-mode code at a page below 1 MiB (trampoline.S).  The
 * woken CPU loads its own GDT, TSS, IDT and per-CPU data, enables its local
 * APIC and timer, says it is online, and waits in the idle loop for work.
 * A CPU that does not answer within a second is reported and left behind.
 */
#include <stdatomic.h>
#include <mica/log.h>
#include <mica/panic.h>
#include <mica/sched.h>
#include <mica/spinlock.h>
#include <mica/string.h>
#include <arch/apic.h>
#include <arch/arch.h>
#include <arch/boot.h>
#include <arch/clock.h>
#include <arch/fpu.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/platform.h>
#include <arch/smp.h>
#include <arch/trap.h>
#include <arch/x86.h>

void syscall_init_cpu(void);

#define SIPI_PAGE         (AP_TRAMPOLINE_PHYS / 4096)
#define ANSWER_TIMEOUT_US 1000000
#define INIT_TIMEOUT_US   5000000

struct ap_params {
    uint64_t boot_cr3, kernel_cr3, stack, cpu, entry;
};

extern char ap_trampoline[], ap_trampoline_end[], ap_trampoline_params[], ap_start64[];

static struct spinlock work_lock = SPINLOCK_INIT("smp-work");
static _Atomic unsigned work_remaining;

static void wake_interrupt(struct trap_frame *f)
{
    (void)f;
    atomic_fetch_add(&this_cpu()->ipis, 1);
}

void smp_init(void)
{
    irq_set_handler(VEC_IPI_WAKE, wake_interrupt);
    cpu_table[0]->apic_id = lapic_id();
}

unsigned arch_cpus_online(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < MAX_CPUS; i++)
        if (cpu_table[i] && atomic_load(&cpu_table[i]->state) == CPU_ONLINE)
            n++;
    return n;
}

static _Atomic bool stopping;

/* Were the CPUs told to stop (a halt or a panic)?  Then an NMI means: stop here. */
bool arch_cpus_stopping(void)
{
    return atomic_load(&stopping);
}

void arch_stop_other_cpus(void)
{
    atomic_store(&stopping, true);
    if (lapic_ready() && cpu_count > 1)
        lapic_send_nmi_all_but_self();
}

/* Called by the idle loop with interrupts off; runs handed-over work with them on. */
void arch_idle_work(void)
{
    struct percpu *p = this_cpu();
    cpu_work_fn fn;
    while ((fn = atomic_exchange(&p->work_fn, (cpu_work_fn)0)) != 0) {
        irq_enable();
        fn(p->work_arg);
        atomic_fetch_sub(&work_remaining, 1);
        irq_disable();
    }
}

void arch_send_reschedule(unsigned cpu)
{
    struct percpu *p = cpu_table[cpu];
    if (p)
        lapic_send_ipi(p->apic_id, VEC_IPI_WAKE);
}

void smp_run_on_all(cpu_work_fn fn, void *arg)
{
    spin_lock(&work_lock);
    struct percpu *self = this_cpu();
    for (unsigned i = 0; i < MAX_CPUS; i++) {
        struct percpu *p = cpu_table[i];
        if (!p || p == self || atomic_load(&p->state) != CPU_ONLINE)
            continue;
        atomic_fetch_add(&work_remaining, 1);
        p->work_arg = arg;
        atomic_store(&p->work_fn, fn);
        lapic_send_ipi(p->apic_id, VEC_IPI_WAKE);
    }
    fn(arg);
    while (atomic_load(&work_remaining) != 0)
        arch_cpu_relax();
    spin_unlock(&work_lock);
}

void smp_send_test_ipi(unsigned cpu)
{
    lapic_send_ipi(cpu_table[cpu]->apic_id, VEC_IPI_WAKE);
}

/* The C entry of an application processor (from ap_start64). */
void ap_main(uint64_t id)
{
    struct percpu *p = cpu_table[id];
    percpu_load(p);
    gdt_load(p);
    idt_load();
    mmu_cpu_features_init();
    int expected = CPU_STARTING;
    if (!atomic_compare_exchange_strong(&p->state, &expected, CPU_BOOTING))
        arch_halt_forever(); /* the boot CPU gave up on us: stay out of the way */
    lapic_init_cpu();
    timer_init_cpu();
    syscall_init_cpu();
    fpu_init_cpu();
    sched_init_cpu(p->id);
    atomic_store(&p->state, CPU_ONLINE);
    sched_idle_loop();
}

static bool wait_state_change(struct percpu *p, int from, uint64_t timeout_us)
{
    uint64_t step = 100;
    for (uint64_t waited = 0; waited < timeout_us; waited += step) {
        if (atomic_load(&p->state) != from)
            return true;
        arch_delay_us(step);
    }
    return atomic_load(&p->state) != from;
}

static void prepare_trampoline(struct percpu *p)
{
    memcpy(phys_to_virt(AP_TRAMPOLINE_PHYS), ap_trampoline,
           (size_t)(ap_trampoline_end - ap_trampoline));
    struct ap_params *params =
        phys_to_virt(AP_TRAMPOLINE_PHYS + (uint64_t)(ap_trampoline_params - ap_trampoline));
    params->boot_cr3 = mmu_boot_root();
    params->kernel_cr3 = mmu_kernel_root();
    params->stack = p->kstack_top;
    params->cpu = p->id;
    params->entry = (uint64_t)ap_start64;
}

static bool start_cpu(struct percpu *p, bool skip_sipi)
{
    prepare_trampoline(p);
    atomic_store(&p->state, CPU_STARTING);
    lapic_send_init(p->apic_id);
    arch_delay_us(10000);
    if (!skip_sipi) {
        lapic_send_sipi(p->apic_id, SIPI_PAGE);
        if (!wait_state_change(p, CPU_STARTING, 200))
            lapic_send_sipi(p->apic_id, SIPI_PAGE);
    }
    if (!wait_state_change(p, CPU_STARTING, ANSWER_TIMEOUT_US)) {
        int expected = CPU_STARTING;
        if (atomic_compare_exchange_strong(&p->state, &expected, CPU_ABANDONED))
            return false;
    }
    if (!wait_state_change(p, CPU_BOOTING, INIT_TIMEOUT_US))
        panic("smp: cpu %u (APIC id %u) answered but did not finish starting", p->id, p->apic_id);
    return true;
}

void smp_boot_aps(void)
{
    uint32_t self = lapic_id();
    unsigned last = 0;
    for (unsigned i = 0; i < platform_acpi.ncpus; i++)
        if (platform_acpi.cpus[i].enabled && platform_acpi.cpus[i].apic_id != self)
            last = i;
    for (unsigned i = 0; i < platform_acpi.ncpus && cpu_count < MAX_CPUS; i++) {
        const struct acpi_cpu *c = &platform_acpi.cpus[i];
        if (!c->enabled || c->apic_id == self)
            continue;
        struct percpu *p = percpu_alloc(cpu_count, c->apic_id);
        bool skip = i == last && boot_inject(&boot_info, "ap-no-sipi");
        if (start_cpu(p, skip)) {
            cpu_count++;
            continue;
        }
        pr_warn("smp: cpu with APIC id %u did not answer its STARTUP IPI; continuing without it\n",
                c->apic_id);
        cpu_table[p->id] = 0; /* its memory stays allocated: it might still wake up */
    }
}
