/*
 * uart16550.h - the registers of the 16550 UART and the few operations the
 * serial driver needs on them.
 *
 * Concept: a device controller.  The UART is programmed through eight
 * registers in the x86 I/O address space (ports BASE .. BASE+7; COM1 is at
 * 0x3f8), reached with the `in` and `out` instructions.  A user-space
 * driver may execute them only for the ports the supervisor opened in its
 * I/O permission bitmap (manifest option ioports=); any other port raises a
 * general protection fault.  Register layout from the National
 * Semiconductor PC16550D data sheet.
 */
#ifndef SERIAL_UART16550_H
#define SERIAL_UART16550_H

#include <stdbool.h>
#include <stdint.h>
#include "ring.h"

/* Register offsets from the base port (with LCR.DLAB = 0, which the driver never changes). */
#define UART_RBR   0 /* receiver buffer (read) */
#define UART_THR   0 /* transmitter holding register (write) */
#define UART_IER   1 /* interrupt enable */
#define UART_IIR   2 /* interrupt identification (read) */
#define UART_FCR   2 /* FIFO control (write) */
#define UART_LCR   3 /* line control */
#define UART_MCR   4 /* modem control */
#define UART_LSR   5 /* line status */
#define UART_MSR   6 /* modem status */
#define UART_SCR   7 /* scratch */
#define UART_PORTS 8

/* IER: which conditions raise the interrupt line. */
#define IER_RX_DATA   0x01 /* received data available (or the FIFO's character timeout) */
#define IER_TX_EMPTY  0x02 /* transmitter holding register (the transmit FIFO) empty */
#define IER_LINE_STAT 0x04 /* receiver line status: overrun, parity, framing, break */

/* IIR: bit 0 clear means an interrupt is pending; bits 1-3 say which one. */
#define IIR_NONE       0x01
#define IIR_CAUSE_MASK 0x0e
#define IIR_MODEM      0x00
#define IIR_TX_EMPTY   0x02
#define IIR_RX_DATA    0x04
#define IIR_LINE_STAT  0x06
#define IIR_RX_TIMEOUT 0x0c

/* FCR: enable the FIFOs (without clearing them), interrupt at 8 received bytes. */
#define FCR_ENABLE     0x01
#define FCR_RX_TRIG_8  0x80
#define UART_FIFO_SIZE 16

/* MCR: DTR and RTS on; OUT2 connects the UART's interrupt output to the PC's IRQ line. */
#define MCR_DTR  0x01
#define MCR_RTS  0x02
#define MCR_OUT2 0x08

/* LSR bits. */
#define LSR_DATA_READY 0x01
#define LSR_OVERRUN    0x02
#define LSR_THR_EMPTY  0x20

/* What an interrupt identification asks the driver to do. */
enum uart_cause {
    UART_NOTHING,  /* no interrupt pending */
    UART_RECEIVE,  /* bytes wait in the receive FIFO */
    UART_TRANSMIT, /* the transmit FIFO is empty: refill it */
    UART_LINE,     /* a receive error: read LSR */
    UART_MODEM,    /* modem lines changed: read MSR */
};

/* The cause an IIR value reports (pure, host-tested). */
enum uart_cause uart_cause(uint8_t iir);

/*
 * Take bytes for the transmitter from ring r into out[0 .. slots-1], turning
 * each '\n' into "\r\n" (the terminal convention the kernel's log uses too).
 * *cr_sent remembers across calls that a '\r' went out and its '\n' has not:
 * a full FIFO may split the pair.  Returns the bytes written to out (pure,
 * host-tested); the ring bytes consumed show in ring_count().
 */
unsigned uart_tx_take(struct ring *r, bool *cr_sent, uint8_t *out, unsigned slots);

/* One UART, and the interrupt sources the driver enabled. */
struct uart {
    uint16_t base;
    uint8_t ier;
};

/* Is there a UART at u->base?  (The scratch register keeps what is written.) */
bool uart_present(struct uart *u);

/*
 * Prepare the UART for interrupt-driven use: interrupts off, FIFOs on
 * (without clearing them), OUT2 on.  The line speed and format the kernel
 * programmed stay (see docs/drivers.md on sharing COM1).
 */
void uart_setup(struct uart *u);

/* Enable exactly the interrupt sources in bits (IER_*); writes IER only on a change. */
void uart_set_interrupts(struct uart *u, uint8_t bits);

uint8_t uart_iir(const struct uart *u);
uint8_t uart_lsr(const struct uart *u);
uint8_t uart_msr(const struct uart *u);
uint8_t uart_read_rbr(const struct uart *u);
void uart_write_thr(const struct uart *u, uint8_t b);

#endif
