/*
 * irq_arch.c - routing device interrupt lines through the I/O APIC to the
 * drivers' IRQ objects (see kernel/core/irq.c).
 *
 * Line n raises vector VEC_IRQ_BASE + n on the boot CPU.  ISA lines are edge
 * triggered and active high unless the MADT's interrupt source overrides say
 * otherwise (and may arrive on another global system interrupt); lines 16
 * and up are PCI lines: level triggered, active low.  On each interrupt the
 * line is masked, then the IRQ object's notification is signalled; the
 * driver's acknowledgement unmasks it.
 *
 * MSI slot k raises vector VEC_MSI_BASE + k on the boot CPU: the device
 * writes the vector number (edge-triggered, fixed delivery) to the local
 * APIC window at 0xfee00000 with the destination APIC ID in bits 12-19.
 */
#include <stdbool.h>
#include <mica/device.h>
#include <mica/errno.h>
#include <arch/apic.h>
#include <arch/percpu.h>
#include <arch/platform.h>
#include <arch/trap.h>

#define MPS_POLARITY_MASK 0x3
#define MPS_ACTIVE_LOW    0x3
#define MPS_TRIGGER_MASK  0xc
#define MPS_LEVEL         0xc

void irq_deliver(uint32_t line);

struct line_route {
    uint32_t gsi;
    bool level, active_low;
};

static struct line_route route_of(uint32_t line)
{
    struct line_route r = {line, line >= 16, line >= 16};
    for (unsigned i = 0; i < platform_acpi.noverrides; i++) {
        const struct acpi_override *o = &platform_acpi.overrides[i];
        if (line >= 16 || o->bus_irq != line)
            continue;
        r.gsi = o->gsi;
        if ((o->flags & MPS_TRIGGER_MASK) == MPS_LEVEL)
            r.level = true;
        if ((o->flags & MPS_POLARITY_MASK) == MPS_ACTIVE_LOW)
            r.active_low = true;
    }
    return r;
}

static void line_interrupt(struct trap_frame *f)
{
    uint32_t line = (uint32_t)(f->vector - VEC_IRQ_BASE);
    ioapic_set_masked(route_of(line).gsi, true);
    irq_deliver(line);
}

#define MSI_ADDRESS_BASE 0xfee00000ull
#define MSI_DEST_SHIFT   12

static void msi_interrupt(struct trap_frame *f)
{
    irq_deliver(IRQ_LINES + (uint32_t)(f->vector - VEC_MSI_BASE));
}

void arch_msi_route(uint32_t slot, bool enable, uint64_t *addr, uint32_t *data)
{
    irq_set_handler(VEC_MSI_BASE + slot, enable ? msi_interrupt : 0);
    if (!enable)
        return;
    *addr = MSI_ADDRESS_BASE | ((uint64_t)cpu_table[0]->apic_id << MSI_DEST_SHIFT);
    *data = VEC_MSI_BASE + slot;
}

int arch_irq_route(uint32_t line, bool enable)
{
    if (line >= IRQ_LINES)
        return -EINVAL;
    struct line_route r = route_of(line);
    if (!enable)
        return ioapic_set_masked(r.gsi, true);
    irq_set_handler(VEC_IRQ_BASE + line, line_interrupt);
    return ioapic_route(r.gsi, (uint8_t)(VEC_IRQ_BASE + line), cpu_table[0]->apic_id, r.level,
                        r.active_low);
}
