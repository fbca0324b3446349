/*
 * writer.c - a test client that writes numbered lines through the serial
 * console driver and must see every one of them arrive, although the driver
 * dies meanwhile (system tests serial-recover, serial-fault-null,
 * serial-fault-port).
 *
 * Each line is written with console.write_sync, which is answered only once
 * the bytes have left the driver for the UART, through the recovering stub
 * console_write_sync_r(): a call the driver died with (-MICA_EPIPE) is made
 * again, to the successor the supervisor starts on the same endpoint
 * (lib/mica/client.h).  The system test checks on the host that
 * every line arrived complete and in order; a call cut short may have sent
 * part of its line, or all of it, before the repeat: at least once.
 *
 * args = LINES:KILLS.  With KILLS > 0 a second thread asks the supervisor to
 * restart the console driver KILLS times at random moments while the lines
 * are written (the manifest gives this client `admin`).
 */
#include <mica.h>
#include <print.h>
#include <runtime.h>
#include <server.h>
#include <str.h>
#include <thread.h>
#include <client.h>
#include "console_client.h"
#include "supervisor_client.h"

#define PAYLOAD 48
#define MS      (1000 * 1000ull)

static mica_handle_t ep, sv;
static unsigned lines, kills_wanted;
static _Atomic unsigned progress, kills_done;

/* Line i: "@NNNNNN " and 48 letters that depend on i (the host test computes the same). */
static uint32_t make_line(unsigned i, char *buf)
{
    uint32_t n = (uint32_t)mica_snprintf(buf, 16, "@%06u ", i);
    for (unsigned k = 0; k < PAYLOAD; k++)
        buf[n++] = (char)('a' + (i * 7 + k * 3) % 26);
    buf[n++] = '\n';
    return n;
}

static uint64_t next_random(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Restart the console driver kills_wanted times, spread over the lines at random points. */
static void *killer(void *arg)
{
    (void)arg;
    struct mica_ipc_buffer *ipc = mica_thread_ipc_buffer();
    uint64_t seed = mica_rdtsc() | 1;
    unsigned step = lines / (kills_wanted + 1);
    for (unsigned k = 1; k <= kills_wanted; k++) {
        unsigned at = k * step + (unsigned)(next_random(&seed) % (step / 2 + 1));
        while (progress < at)
            mica_sleep(MS);
        mica_sleep(next_random(&seed) % (3 * MS)); /* somewhere inside a write, or between */
        int err = supervisor_restart(sv, ipc, "console");
        if (err < 0)
            mica_printf("writer: restarting the console failed (error %d)\n", err);
        else
            kills_done++;
    }
    return 0;
}

int main(const struct mica_server_start *st)
{
    ep = mica_start_handle(st, "console");
    sv = mica_start_handle(st, "supervisor");
    struct mica_ipc_buffer *ipc;
    if (mica_runtime_init(mica_start_handle(st, "self")) < 0 || !(ipc = mica_thread_ipc_buffer()))
        return 1;
    char *rest;
    lines = (unsigned)strtoul(st->args, &rest, 10);
    kills_wanted = *rest == ':' ? (unsigned)strtoul(rest + 1, 0, 10) : 0;
    struct mica_thread *t = 0;
    if (kills_wanted && mica_thread_spawn(&t, killer, 0, 0) < 0)
        return 1;
    struct mica_client console = {.ep = ep, .ipc = ipc};
    uint64_t failed = 0;
    for (unsigned i = 0; i < lines; i++) {
        char buf[64];
        uint32_t len = make_line(i, buf), written = 0;
        int err;
        /* EAGAIN: too many clients wait in the driver; try again soon. */
        while ((err = console_write_sync_r(&console, buf, len, &written)) == -MICA_EAGAIN)
            mica_sleep(MS);
        if (err < 0 || written != len)
            failed++;
        progress = i + 1;
    }
    if (t)
        mica_thread_join(t, 0);
    mica_printf("writer: %u lines written, %lu failed, %lu calls repeated after a driver crash, "
                "%u restarts asked\n",
                lines, failed, console.reissued, kills_done);
    return failed ? 1 : 0;
}
