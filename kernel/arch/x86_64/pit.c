/*
 * pit.c - the 8254 programmable interval timer, the PC's oldest clock.
 *
 * Only its channel 2 is used, as a one-shot stopwatch: the channel counts
 * down from a value at 1.193182 MHz, and its output (bit 5 of port 0x61)
 * goes high when it reaches zero.  This is the fallback reference for
 * calibrating the TSC when there is no HPET.
 */
#include <stdint.h>
#include <arch/clock.h>
#include <arch/x86.h>

#define PIT_HZ           1193182u
#define PIT_CH2          0x42
#define PIT_MODE         0x43
#define PORT_B           0x61
#define PORTB_GATE2      0x01
#define PORTB_SPEAKER    0x02
#define PORTB_OUT2       0x20
#define MODE_CH2_ONESHOT 0xb0 /* channel 2, low then high byte, mode 0, binary */

void pit_wait_us(uint32_t us)
{
    uint32_t count = (uint32_t)((uint64_t)PIT_HZ * us / 1000000);
    if (count > 0xffff)
        count = 0xffff;
    uint8_t b = inb(PORT_B);
    outb(PORT_B, (uint8_t)((b & ~PORTB_SPEAKER) & ~PORTB_GATE2)); /* gate low: hold */
    outb(PIT_MODE, MODE_CH2_ONESHOT);
    outb(PIT_CH2, (uint8_t)count);
    outb(PIT_CH2, (uint8_t)(count >> 8));
    outb(PORT_B, (uint8_t)((b & ~PORTB_SPEAKER) | PORTB_GATE2)); /* gate high: count */
    for (uint32_t spins = 0; !(inb(PORT_B) & PORTB_OUT2); spins++) {
        if (spins > 100000000u)
            break; /* no PIT: do not hang */
    }
    outb(PORT_B, b);
}
