/*
 * uart.c - the kernel's own console on the first 16550 serial port (COM1).
 *
 * Concept: a device controller driven through I/O ports (command, status and
 * data registers).  The kernel only ever transmits, by polling the line
 * status register; the interactive console driver is a user-space server.
 */
#include <stdbool.h>
#include <mica/log.h>
#include <arch/x86.h>

#define COM1 0x3f8

/* Register offsets from the base port. */
#define UART_DATA 0 /* transmit/receive buffer (DLAB=0), divisor low (DLAB=1) */
#define UART_IER  1 /* interrupt enable (DLAB=0), divisor high (DLAB=1) */
#define UART_FCR  2 /* FIFO control */
#define UART_LCR  3 /* line control */
#define UART_MCR  4 /* modem control */
#define UART_LSR  5 /* line status */
#define UART_SCR  7 /* scratch */

#define LCR_8N1        0x03
#define LCR_DLAB       0x80
#define LSR_THR_EMPTY  0x20
#define FCR_ENABLE_CLR 0x07 /* enable FIFOs, clear both */
#define MCR_DTR_RTS    0x03

static bool uart_present;

/* 115200 baud: the divisor latch holds 115200 / baud. */
void uart_init(void)
{
    outb(COM1 + UART_SCR, 0x5a);
    if (inb(COM1 + UART_SCR) != 0x5a)
        return; /* no UART here: stay silent */
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, LCR_DLAB);
    outb(COM1 + UART_DATA, 1);
    outb(COM1 + UART_IER, 0);
    outb(COM1 + UART_LCR, LCR_8N1);
    outb(COM1 + UART_FCR, FCR_ENABLE_CLR);
    outb(COM1 + UART_MCR, MCR_DTR_RTS);
    uart_present = true;
}

static void uart_putc(char c)
{
    /* Bounded wait: a wedged UART must not hang the kernel. */
    for (int spins = 0; spins < 100000; spins++) {
        if (inb(COM1 + UART_LSR) & LSR_THR_EMPTY)
            break;
        __asm__ volatile("pause");
    }
    outb(COM1 + UART_DATA, (uint8_t)c);
}

void console_ports(uint32_t *base, uint32_t *count)
{
    *base = COM1;
    *count = uart_present ? 8 : 0;
}

void console_write(const char *s, unsigned long n)
{
    if (!uart_present)
        return;
    for (unsigned long i = 0; i < n; i++) {
        if (s[i] == '\n')
            uart_putc('\r');
        uart_putc(s[i]);
    }
}
