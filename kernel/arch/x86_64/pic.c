/*
 * pic.c - the legacy 8259A programmable interrupt controllers.
 *
 * PCs still have the two cascaded 8259s of the original IBM AT.  Mica uses
 * the APICs instead, so it moves the 8259s' vectors out of the exception
 * range (to 0x20-0x2f, where a stray interrupt is recognised and ignored)
 * and masks every line.
 */
#include <arch/apic.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1

#define ICW1_INIT_ICW4 0x11
#define ICW4_8086      0x01

void pic_disable(void)
{
    outb(PIC1_CMD, ICW1_INIT_ICW4);
    outb(PIC2_CMD, ICW1_INIT_ICW4);
    outb(PIC1_DATA, VEC_PIC_BASE); /* ICW2: vector base */
    outb(PIC2_DATA, VEC_PIC_BASE + 8);
    outb(PIC1_DATA, 4); /* ICW3: slave on line 2 */
    outb(PIC2_DATA, 2);
    outb(PIC1_DATA, ICW4_8086);
    outb(PIC2_DATA, ICW4_8086);
    outb(PIC1_DATA, 0xff); /* mask everything */
    outb(PIC2_DATA, 0xff);
}
