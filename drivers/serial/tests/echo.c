/*
 * echo.c - a test client of the serial console driver (system test
 * serial-echo).  It reads lines typed on the serial line through
 * console.read and writes each back through console.write, in upper case
 * and with its length; the test feeds the lines through QEMU's stdin.
 * Then it stops reading while the test sends more input than the driver's
 * receive buffer holds, and checks that the driver kept exactly the first
 * CONSOLE_INPUT_BUFFER bytes and dropped (and counted) the rest.  Finally
 * input works again.  args = LINES:OVERFLOW, e.g. 3:3000.
 */
#include <mica.h>
#include <print.h>
#include <runtime.h>
#include <server.h>
#include <str.h>
#include <thread.h>
#include "console_client.h"

static mica_handle_t ep;
static struct mica_ipc_buffer *ipc;

/* Write all of s through the console service, in pieces of at most CONSOLE_CHUNK. */
static int put(const char *s, uint32_t len)
{
    while (len > 0) {
        uint32_t n = len < CONSOLE_CHUNK ? len : CONSOLE_CHUNK, written;
        int err = console_write(ep, ipc, s, n, &written);
        if (err < 0)
            return err;
        s += written;
        len -= written;
    }
    return 0;
}

static int say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int say(const char *fmt, ...)
{
    char buf[1200];
    va_list ap;
    va_start(ap, fmt);
    int n = mica_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof buf)
        n = sizeof buf - 1;
    return put(buf, (uint32_t)n);
}

/* Read one line (without its '\n') of at most max - 1 bytes, waiting for input. */
static int read_line(char *line, uint32_t max)
{
    uint32_t len = 0;
    for (;;) {
        uint8_t data[CONSOLE_CHUNK];
        uint32_t got;
        /* One byte at a time, so that what follows the line stays in the driver. */
        int err = console_read(ep, ipc, 1, true, data, &got);
        if (err < 0)
            return err;
        if (got != 1)
            return -MICA_EIO;
        if (data[0] == '\n')
            break;
        if (len + 1 < max)
            line[len++] = (char)data[0];
    }
    line[len] = 0;
    return (int)len;
}

static int echo_lines(unsigned lines)
{
    char line[1024];
    for (unsigned i = 0; i < lines; i++) {
        int len = read_line(line, sizeof line);
        if (len < 0)
            return len;
        for (int k = 0; k < len; k++)
            if (line[k] >= 'a' && line[k] <= 'z')
                line[k] = (char)(line[k] - 'a' + 'A');
        int err = say("echo: %s (%d bytes)\n", line, len);
        if (err < 0)
            return err;
    }
    return 0;
}

/* Input arrives while nobody reads: the driver keeps CONSOLE_INPUT_BUFFER bytes. */
static int overflow(uint64_t sent)
{
    uint64_t rx0, drop0, rx, drop, ovr, tx, irqs;
    uint32_t restarts, waiting;
    int err = console_stats(ep, ipc, &rx0, &drop0, &ovr, &tx, &irqs, &restarts, &waiting);
    if (err < 0)
        return err;
    say("echo: not reading now; send %lu bytes\n", sent);
    do { /* until the driver has seen every byte the test sent */
        mica_sleep(10 * 1000 * 1000);
        if ((err = console_stats(ep, ipc, &rx, &drop, &ovr, &tx, &irqs, &restarts, &waiting)) < 0)
            return err;
    } while (rx - rx0 + drop - drop0 < sent);
    uint64_t kept = 0, wrong = 0;
    for (;;) {
        uint8_t data[CONSOLE_CHUNK];
        uint32_t got;
        err = console_read(ep, ipc, CONSOLE_CHUNK, false, data, &got);
        if (err == -MICA_EAGAIN)
            break;
        if (err < 0)
            return err;
        for (uint32_t k = 0; k < got; k++, kept++)
            wrong += data[k] != (uint8_t)('a' + kept % 26);
    }
    bool ok = kept == CONSOLE_INPUT_BUFFER && drop - drop0 == sent - kept && wrong == 0;
    say("echo: overflow: %lu bytes sent, %lu kept, %lu dropped, %lu wrong: %s\n", sent, kept,
        drop - drop0, wrong, ok ? "as expected" : "WRONG");
    return ok ? 0 : -MICA_EIO;
}

int main(const struct mica_server_start *st)
{
    ep = mica_start_handle(st, "console");
    if (mica_runtime_init(mica_start_handle(st, "self")) < 0 || !(ipc = mica_thread_ipc_buffer()))
        return 1;
    char *rest;
    unsigned lines = (unsigned)strtoul(st->args, &rest, 10);
    uint64_t sent = *rest == ':' ? strtoul(rest + 1, 0, 10) : 0;
    int err = say("echo: ready for %u lines\n", lines);
    if (err == 0)
        err = echo_lines(lines);
    if (err == 0 && sent)
        err = overflow(sent);
    if (err == 0)
        err = say("echo: ready again\n");
    if (err == 0)
        err = echo_lines(1);
    if (err == 0)
        err = console_drain(ep, ipc);
    mica_printf("echo: done (%d)\n", err);
    return err < 0 ? 1 : 0;
}
