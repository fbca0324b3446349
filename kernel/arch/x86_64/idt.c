/*
 * idt.c - the interrupt descriptor table (concept: interrupt vector table).
 *
 * One table for all CPUs: entry n points at stub n in isr.S.  All gates are
 * interrupt gates (interrupts stay off in the handler until it enables them)
 * and reachable only from the kernel with `int n`, except the breakpoint
 * (vector 3): a debugger's `int3` in a user program must raise #BP, which the
 * kernel reports to the thread's fault handler (a Linux program's SIGTRAP),
 * not #GP.  Double faults, NMIs and machine checks run on their
 * own IST stacks, so that even a kernel stack overflow into a guard page is
 * reported.  (The boot CPU's first stack, in boot.S, has no guard page yet.)
 */
#include <stdint.h>
#include <arch/percpu.h>
#include <arch/trap.h>

#define ISR_STUB_SIZE  16
#define GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate */
#define GATE_USER      0xee /* the same, DPL 3: the `int3` instruction may raise it */

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));

struct idt_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

extern char isr_stubs[];
static struct idt_gate idt[256] __attribute__((aligned(16)));

static void set_gate(unsigned vector, unsigned ist)
{
    uint64_t addr = (uint64_t)isr_stubs + (uint64_t)vector * ISR_STUB_SIZE;
    idt[vector].offset_low = (uint16_t)addr;
    idt[vector].selector = GDT_KCODE;
    idt[vector].ist = (uint8_t)ist;
    idt[vector].type = GATE_INTERRUPT;
    idt[vector].offset_mid = (uint16_t)(addr >> 16);
    idt[vector].offset_high = (uint32_t)(addr >> 32);
    idt[vector].reserved = 0;
}

void idt_init(void)
{
    for (unsigned v = 0; v < 256; v++)
        set_gate(v, 0);
    set_gate(2, IST_NMI);
    set_gate(8, IST_DOUBLE_FAULT);
    set_gate(18, IST_MACHINE_CHECK);
    idt[3].type = GATE_USER;
}

void idt_load(void)
{
    struct idt_pointer p = {sizeof idt - 1, (uint64_t)idt};
    __asm__ volatile("lidt %0" ::"m"(p));
}
