/*
 * arch/apic.h - the local APIC of each CPU (timer, inter-processor
 * interrupts, end of interrupt), the I/O APIC (device interrupt lines) and
 * the legacy 8259 PIC (masked).
 */
#ifndef ARCH_APIC_H
#define ARCH_APIC_H

#include <stdint.h>
#include <stdbool.h>

void lapic_init_bsp(uint64_t phys);
void lapic_init_cpu(void);
uint32_t lapic_id(void);
void lapic_eoi(void);

/* Inter-processor interrupts. */
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
void lapic_send_nmi_all_but_self(void);
void lapic_send_init(uint32_t apic_id);
void lapic_send_sipi(uint32_t apic_id, uint8_t page);
bool lapic_ready(void);

/* Timer (see timer.c). */
void lapic_timer_periodic(uint8_t vector, uint32_t count, uint32_t divide_code);
void lapic_timer_deadline_mode(uint8_t vector);
void lapic_timer_start_counting(uint32_t divide_code);
uint32_t lapic_timer_current(void);
void lapic_timer_stop(void);

void pic_disable(void);

void ioapic_init(void);
int ioapic_route(uint32_t gsi, uint8_t vector, uint32_t apic_id, bool level, bool active_low);
unsigned ioapic_count_lines(void);
int ioapic_set_masked(uint32_t gsi, bool masked);

#endif
