/*
 * test_serial.c - host tests for the pure parts of the serial console driver
 * (drivers/serial/): the byte ring buffer (ring.c) and the UART logic that
 * needs no hardware (uart16550.c: decoding IIR, filling the transmit FIFO
 * with "\n" turned into "\r\n").  The port accessors in uart16550.c are
 * compiled but never called here.
 */
#include <stdint.h>
#include <string.h>

#include "ring.h"
#include "uart16550.h"
#include "unit.h"

static void ring_init_wants_power_of_two(void)
{
    uint8_t buf[16];
    struct ring r;
    CHECK(!ring_init(&r, buf, 0));
    CHECK(!ring_init(&r, buf, 12));
    CHECK(ring_init(&r, buf, 16));
    CHECK_EQ(ring_count(&r), 0);
    CHECK_EQ(ring_room(&r), 16);
}

static void ring_fifo_order_and_full(void)
{
    uint8_t buf[8], out[16];
    struct ring r;
    ring_init(&r, buf, sizeof buf);
    CHECK_EQ(ring_put(&r, "abcdef", 6), 6);
    CHECK_EQ(ring_get(&r, out, 4), 4);
    CHECK(memcmp(out, "abcd", 4) == 0);
    /* 2 left, room 6: of 10 bytes only 6 fit, nothing is overwritten */
    CHECK_EQ(ring_put(&r, "0123456789", 10), 6);
    CHECK_EQ(ring_count(&r), 8);
    CHECK_EQ(ring_room(&r), 0);
    CHECK(!ring_put_byte(&r, 'x'));
    CHECK_EQ(ring_get(&r, out, sizeof out), 8);
    CHECK(memcmp(out, "ef012345", 8) == 0);
    CHECK_EQ(ring_get(&r, out, 1), 0);
    uint8_t b;
    CHECK(!ring_peek(&r, &b));
    ring_skip(&r); /* on an empty ring: nothing happens */
    CHECK_EQ(ring_count(&r), 0);
}

/* The counters are free-running: a ring that has moved 2^32 bytes still works. */
static void ring_counters_wrap(void)
{
    uint8_t buf[4], out[4];
    struct ring r;
    ring_init(&r, buf, sizeof buf);
    r.head = r.tail = UINT32_MAX - 1;
    CHECK_EQ(ring_put(&r, "wxyz", 4), 4);
    CHECK_EQ(ring_count(&r), 4);
    CHECK(r.head < r.tail); /* wrapped */
    CHECK_EQ(ring_get(&r, out, 4), 4);
    CHECK(memcmp(out, "wxyz", 4) == 0);
    CHECK_EQ(ring_room(&r), 4);
}

static void iir_causes(void)
{
    CHECK_EQ(uart_cause(0x01), UART_NOTHING);
    CHECK_EQ(uart_cause(0xc1), UART_NOTHING); /* FIFO bits set, nothing pending */
    CHECK_EQ(uart_cause(0xc4), UART_RECEIVE);
    CHECK_EQ(uart_cause(0xcc), UART_RECEIVE); /* character timeout */
    CHECK_EQ(uart_cause(0xc2), UART_TRANSMIT);
    CHECK_EQ(uart_cause(0xc6), UART_LINE);
    CHECK_EQ(uart_cause(0xc0), UART_MODEM);
}

/* "\n" becomes "\r\n", also when the FIFO fills between the two. */
static void tx_take_crlf(void)
{
    uint8_t buf[64], out[64];
    struct ring r;
    bool cr = false;
    ring_init(&r, buf, sizeof buf);
    ring_put(&r, "ab\ncd\n", 6);
    /* 3 slots: "ab\r"; the '\n' stays in the ring */
    CHECK_EQ(uart_tx_take(&r, &cr, out, 3), 3);
    CHECK(memcmp(out, "ab\r", 3) == 0);
    CHECK(cr);
    CHECK_EQ(ring_count(&r), 4);
    /* the rest: "\ncd\r\n", no second '\r' */
    CHECK_EQ(uart_tx_take(&r, &cr, out, 16), 5);
    CHECK(memcmp(out, "\ncd\r\n", 5) == 0);
    CHECK(!cr);
    CHECK_EQ(ring_count(&r), 0);
    CHECK_EQ(uart_tx_take(&r, &cr, out, 16), 0);
}

/* A FIFO's worth at a time: at most `slots` bytes, ring order kept. */
static void tx_take_in_fifo_pieces(void)
{
    uint8_t buf[256], out[UART_FIFO_SIZE], all[512];
    struct ring r;
    bool cr = false;
    unsigned total = 0;
    ring_init(&r, buf, sizeof buf);
    for (unsigned i = 0; i < 200; i++)
        ring_put_byte(&r, i % 10 == 9 ? '\n' : (uint8_t)('a' + i % 26));
    for (;;) {
        unsigned n = uart_tx_take(&r, &cr, out, UART_FIFO_SIZE);
        CHECK(n <= UART_FIFO_SIZE);
        if (n == 0)
            break;
        memcpy(all + total, out, n);
        total += n;
    }
    CHECK_EQ(total, 220); /* 200 bytes and a '\r' before each of the 20 newlines */
    unsigned k = 0;
    for (unsigned i = 0; i < 200; i++) {
        if (i % 10 == 9) {
            CHECK(all[k] == '\r' && all[k + 1] == '\n');
            k += 2;
        } else {
            CHECK_EQ(all[k], 'a' + i % 26);
            k++;
        }
    }
}

int main(void)
{
    unit_run("serial", "ring_init_wants_power_of_two", ring_init_wants_power_of_two);
    unit_run("serial", "ring_fifo_order_and_full", ring_fifo_order_and_full);
    unit_run("serial", "ring_counters_wrap", ring_counters_wrap);
    unit_run("serial", "iir_causes", iir_causes);
    unit_run("serial", "tx_take_crlf", tx_take_crlf);
    unit_run("serial", "tx_take_in_fifo_pieces", tx_take_in_fifo_pieces);
    return unit_exit_code();
}
