/*
 * irq.c - interrupts for user-space drivers (concepts: interrupts as IPC
 * messages, the interrupt models).
 *
 * A driver binds an interrupt line to one of its notifications.  When the
 * device interrupts, the kernel's handler masks the line, signals the
 * notification and is done: the driver thread wakes up, serves the device,
 * and acknowledges the IRQ, which unmasks the line for the next interrupt.
 * So interrupts reach drivers as messages, and a driver that hangs can only
 * silence its own device.  Creating IRQ objects needs the IRQ-control object
 * that the root task receives at boot.
 *
 * A PCI device can also interrupt with a message (MSI, MSI-X): it writes a
 * value to an address in the local APIC's window, which raises a vector
 * directly - no I/O APIC line, no sharing.  irq_bind_msi() gives out one of
 * IRQ_MSI_SLOTS vectors and says which address and value the driver must
 * program into its device.  Such an interrupt is not masked by the kernel
 * (it is edge-triggered and comes once per message); acknowledging it is a
 * no-op, and a driver that wants quiet masks its device.
 */
#include <mica/device.h>
#include <mica/errno.h>
#include <mica/ipc.h>
#include <mica/kmalloc.h>

static struct irq *bound[IRQ_LINES + IRQ_MSI_SLOTS];

static bool is_msi(const struct irq *irq)
{
    return irq->line >= IRQ_LINES && irq->line != IRQ_CONTROL;
}

static void irq_destroy(struct object *o)
{
    struct irq *irq = (struct irq *)o;
    if (is_msi(irq)) {
        arch_msi_route(irq->line - IRQ_LINES, false, 0, 0);
        bound[irq->line] = 0;
        object_put(&irq->notification->obj);
    } else if (irq->line != IRQ_CONTROL) {
        arch_irq_route(irq->line, false);
        bound[irq->line] = 0;
        object_put(&irq->notification->obj);
    }
    kfree(irq);
}

struct irq *irq_control_create(void)
{
    struct irq *irq = kzalloc(sizeof *irq);
    if (irq) {
        object_init(&irq->obj, OBJ_IRQ, irq_destroy);
        irq->line = IRQ_CONTROL;
    }
    return irq;
}

int irq_bind(uint32_t line, struct notification *n, uint64_t bits, struct irq **out)
{
    if (line >= IRQ_LINES || bits == 0 || (bits >> 63))
        return -EINVAL;
    if (bound[line])
        return -EBUSY;
    struct irq *irq = kzalloc(sizeof *irq);
    if (!irq)
        return -ENOMEM;
    object_init(&irq->obj, OBJ_IRQ, irq_destroy);
    irq->line = line;
    irq->notification = n;
    irq->bits = bits;
    object_get(&n->obj);
    bound[line] = irq;
    int err = arch_irq_route(line, true);
    if (err < 0) {
        object_put(&irq->obj);
        return err;
    }
    *out = irq;
    return 0;
}

int irq_bind_msi(struct notification *n, uint64_t bits, struct irq **out, uint64_t *addr,
                 uint32_t *data)
{
    if (bits == 0 || (bits >> 63))
        return -EINVAL;
    uint32_t slot = 0;
    while (slot < IRQ_MSI_SLOTS && bound[IRQ_LINES + slot])
        slot++;
    if (slot == IRQ_MSI_SLOTS)
        return -ENOSPC;
    struct irq *irq = kzalloc(sizeof *irq);
    if (!irq)
        return -ENOMEM;
    object_init(&irq->obj, OBJ_IRQ, irq_destroy);
    irq->line = IRQ_LINES + slot;
    irq->notification = n;
    irq->bits = bits;
    object_get(&n->obj);
    bound[irq->line] = irq;
    arch_msi_route(slot, true, addr, data);
    *out = irq;
    return 0;
}

int irq_ack(struct irq *irq)
{
    if (irq->line == IRQ_CONTROL)
        return -EINVAL;
    if (is_msi(irq))
        return 0; /* nothing was masked */
    return arch_irq_route(irq->line, true);
}

/* From the architecture's interrupt handler, with the line already masked. */
void irq_deliver(uint32_t line)
{
    struct irq *irq = line < IRQ_LINES + IRQ_MSI_SLOTS ? bound[line] : 0;
    if (!irq)
        return;
    irq->count++;
    notification_signal(irq->notification, irq->bits);
}
