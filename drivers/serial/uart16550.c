/*
 * uart16550.c - register access to the 16550 UART through port I/O, and the
 * two pieces of pure logic the driver needs: decoding the interrupt
 * identification register and filling the transmit FIFO with "\n" turned
 * into "\r\n" (concept: a device controller and its registers).
 */
#include "uart16550.h"
#include <portio.h>

enum uart_cause uart_cause(uint8_t iir)
{
    if (iir & IIR_NONE)
        return UART_NOTHING;
    switch (iir & IIR_CAUSE_MASK) {
    case IIR_RX_DATA:
    case IIR_RX_TIMEOUT:
        return UART_RECEIVE;
    case IIR_TX_EMPTY:
        return UART_TRANSMIT;
    case IIR_LINE_STAT:
        return UART_LINE;
    default:
        return UART_MODEM;
    }
}

unsigned uart_tx_take(struct ring *r, bool *cr_sent, uint8_t *out, unsigned slots)
{
    unsigned n = 0;
    uint8_t b;
    while (n < slots && ring_peek(r, &b)) {
        if (b == '\n' && !*cr_sent) {
            out[n++] = '\r';
            *cr_sent = true;
            continue;
        }
        out[n++] = b;
        *cr_sent = false;
        ring_skip(r);
    }
    return n;
}

bool uart_present(struct uart *u)
{
    outb(u->base + UART_SCR, 0xa5);
    return inb(u->base + UART_SCR) == 0xa5;
}

void uart_setup(struct uart *u)
{
    u->ier = 0;
    outb(u->base + UART_IER, 0);
    outb(u->base + UART_FCR, FCR_ENABLE | FCR_RX_TRIG_8);
    outb(u->base + UART_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
}

void uart_set_interrupts(struct uart *u, uint8_t bits)
{
    if (bits == u->ier)
        return;
    u->ier = bits;
    outb(u->base + UART_IER, bits);
}

uint8_t uart_iir(const struct uart *u)
{
    return inb(u->base + UART_IIR);
}

uint8_t uart_lsr(const struct uart *u)
{
    return inb(u->base + UART_LSR);
}

uint8_t uart_msr(const struct uart *u)
{
    return inb(u->base + UART_MSR);
}

uint8_t uart_read_rbr(const struct uart *u)
{
    return inb(u->base + UART_RBR);
}

void uart_write_thr(const struct uart *u, uint8_t b)
{
    outb(u->base + UART_THR, b);
}
