/*
 * lapic.c - the local APIC (concepts: interrupts, inter-processor interrupts).
 *
 * Each CPU has a local APIC that delivers interrupts to it, signals the end
 * of each interrupt (EOI), has a timer, and sends interrupts to other CPUs
 * through the interrupt command register (ICR): fixed vectors, NMIs, and the
 * INIT and STARTUP messages that wake application processors.  Mica uses the
 * memory-mapped xAPIC interface at the address from the ACPI MADT.
 */
#include <stdbool.h>
#include <mica/log.h>
#include <mica/panic.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define LAPIC_ID         0x020
#define LAPIC_VERSION    0x030
#define LAPIC_TPR        0x080
#define LAPIC_EOI        0x0b0
#define LAPIC_SVR        0x0f0
#define LAPIC_ESR        0x280
#define LAPIC_ICR_LOW    0x300
#define LAPIC_ICR_HIGH   0x310
#define LAPIC_LVT_TIMER  0x320
#define LAPIC_LVT_LINT0  0x350
#define LAPIC_LVT_LINT1  0x360
#define LAPIC_LVT_ERROR  0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR  0x390
#define LAPIC_TIMER_DIV  0x3e0

#define SVR_ENABLE           0x100
#define LVT_MASKED           0x10000
#define LVT_TIMER_PERIODIC   0x20000
#define LVT_TIMER_DEADLINE   0x40000
#define ICR_DELIVERY_PENDING 0x1000
#define ICR_FIXED            0x000
#define ICR_NMI              0x400
#define ICR_INIT             0x500
#define ICR_STARTUP          0x600
#define ICR_ASSERT           0x4000
#define ICR_ALL_BUT_SELF     0xc0000
#define APIC_BASE_ENABLE     (1ull << 11)

static volatile uint32_t *lapic;

static uint32_t rd(uint32_t reg)
{
    return lapic[reg / 4];
}

static void wr(uint32_t reg, uint32_t v)
{
    lapic[reg / 4] = v;
}

bool lapic_ready(void)
{
    return lapic != 0;
}

static void apic_error_interrupt(struct trap_frame *f)
{
    (void)f;
    wr(LAPIC_ESR, 0);
    pr_warn("local APIC error %#x on cpu %u\n", rd(LAPIC_ESR), arch_cpu_id());
}

/* Enable this CPU's local APIC: spurious vector, error vector, nothing masked by priority. */
void lapic_init_cpu(void)
{
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
    wr(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
    wr(LAPIC_LVT_TIMER, LVT_MASKED);
    wr(LAPIC_LVT_ERROR, VEC_APIC_ERROR);
    wr(LAPIC_ESR, 0);
    wr(LAPIC_ESR, 0);
    wr(LAPIC_TPR, 0);
    wr(LAPIC_EOI, 0);
}

void lapic_init_bsp(uint64_t phys)
{
    lapic = kmap(phys, 4096, KMAP_UC);
    irq_set_handler(VEC_APIC_ERROR, apic_error_interrupt);
    lapic_init_cpu();
}

uint32_t lapic_id(void)
{
    return rd(LAPIC_ID) >> 24;
}

void lapic_eoi(void)
{
    wr(LAPIC_EOI, 0);
}

static void wait_icr_idle(void)
{
    for (int i = 0; i < 1000000; i++) {
        if (!(rd(LAPIC_ICR_LOW) & ICR_DELIVERY_PENDING))
            return;
        __asm__ volatile("pause");
    }
}

static void send_icr(uint32_t apic_id, uint32_t low)
{
    uint64_t flags = arch_irq_save();
    wait_icr_idle();
    wr(LAPIC_ICR_HIGH, apic_id << 24);
    wr(LAPIC_ICR_LOW, low);
    wait_icr_idle();
    arch_irq_restore(flags);
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
    send_icr(apic_id, ICR_FIXED | ICR_ASSERT | vector);
}

void lapic_send_nmi_all_but_self(void)
{
    if (!lapic)
        return;
    wait_icr_idle();
    wr(LAPIC_ICR_HIGH, 0);
    wr(LAPIC_ICR_LOW, ICR_ALL_BUT_SELF | ICR_NMI | ICR_ASSERT);
}

void lapic_send_init(uint32_t apic_id)
{
    send_icr(apic_id, ICR_INIT | ICR_ASSERT);
}

void lapic_send_sipi(uint32_t apic_id, uint8_t page)
{
    send_icr(apic_id, ICR_STARTUP | ICR_ASSERT | page);
}

void lapic_timer_periodic(uint8_t vector, uint32_t count, uint32_t divide_code)
{
    wr(LAPIC_TIMER_DIV, divide_code);
    wr(LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | vector);
    wr(LAPIC_TIMER_INIT, count);
}

/* Count down from the largest value with the interrupt masked: a stopwatch for calibration. */
void lapic_timer_start_counting(uint32_t divide_code)
{
    wr(LAPIC_TIMER_DIV, divide_code);
    wr(LAPIC_LVT_TIMER, LVT_MASKED);
    wr(LAPIC_TIMER_INIT, 0xffffffffu);
}

void lapic_timer_deadline_mode(uint8_t vector)
{
    wr(LAPIC_LVT_TIMER, LVT_TIMER_DEADLINE | vector);
}

uint32_t lapic_timer_current(void)
{
    return rd(LAPIC_TIMER_CUR);
}

void lapic_timer_stop(void)
{
    wr(LAPIC_LVT_TIMER, LVT_MASKED);
    wr(LAPIC_TIMER_INIT, 0);
}
