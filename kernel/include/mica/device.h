/*
 * device.h - device access for user-space drivers (concepts: protection of
 * the I/O address space, interrupts delivered as messages).
 *
 * An I/O-port object names a range of ports.  A process that holds one may
 * open exactly those ports for itself; the CPU then lets its threads use
 * in/out on them and faults on every other port.  An IRQ object binds one
 * interrupt line to a notification: each interrupt signals the notification's
 * bits and masks the line until the driver acknowledges it.
 */
#ifndef MICA_DEVICE_H
#define MICA_DEVICE_H

#include <stdbool.h>
#include <stdint.h>
#include <mica/object.h>

#define IOPORT_COUNT 65536

struct ioport_range {
    struct object obj;
    uint32_t base, count; /* ports [base, base + count) */
};

struct ioport_range *ioport_range_create(uint32_t base, uint32_t count);

struct aspace;
/* Open the range for the address space (its threads may then use the ports). */
int aspace_allow_ports(struct aspace *as, const struct ioport_range *r);

/* A range of physical addresses that device memory may be mapped from. */
struct phys_range {
    struct object obj;
    uint64_t base, size;
};

#define PHYS_ADDR_LIMIT (1ull << 52) /* x86-64 physical addresses have at most 52 bits */

struct phys_range *phys_range_create(uint64_t base, uint64_t size);
/* Is [base, base+size) device memory, i.e. no RAM the kernel manages or firmware uses? */
bool phys_is_device_memory(uint64_t base, uint64_t size);

struct notification;

#define IRQ_CONTROL   (~0u) /* line number of the object that may create IRQ objects */
#define IRQ_LINES     24    /* ISA lines 0-15 and the I/O APIC's further inputs */
#define IRQ_MSI_SLOTS 32    /* message-signalled interrupts, numbered IRQ_LINES and up */

struct irq {
    struct object obj;
    uint32_t line;                     /* ISA/GSI line, or IRQ_CONTROL */
    struct notification *notification; /* signalled on each interrupt (holds a reference) */
    uint64_t bits;
    uint64_t count; /* interrupts delivered */
};

struct irq *irq_control_create(void);
int irq_bind(uint32_t line, struct notification *n, uint64_t bits, struct irq **out);
int irq_ack(struct irq *irq);
/* Bind a free MSI slot to n; *addr and *data are what the device must write (its MSI
 * or MSI-X capability) to raise it.  -ENOSPC when every slot is taken. */
int irq_bind_msi(struct notification *n, uint64_t bits, struct irq **out, uint64_t *addr,
                 uint32_t *data);

/* The architecture routes lines: unmask or mask the line's delivery. */
int arch_irq_route(uint32_t line, bool enable);
/* Start (enable) or stop delivering MSI slot `slot`; on start, the message to program. */
void arch_msi_route(uint32_t slot, bool enable, uint64_t *addr, uint32_t *data);

#endif
