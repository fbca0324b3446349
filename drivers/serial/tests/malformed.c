/*
 * malformed.c - a test client that sends the serial console driver messages
 * no generated stub would send (system test serial-malformed): unknown
 * labels, wrong word and handle counts, lengths beyond the message or the
 * bound, out-of-range values, a handle where none belongs.  Each must get
 * its error reply; a handle sent along must be gone from this process (the
 * driver's dispatcher closed it); and the driver must go on serving
 * ordinary requests afterwards.  All the while a second thread waits in
 * console.read for input: a waiting reader must not stop the driver from
 * serving others.  The test types one byte at the end, which the reader
 * gets; then the program ends.
 */
#include <mica.h>
#include <print.h>
#include <runtime.h>
#include <server.h>
#include <thread.h>
#include "console_client.h"

static mica_handle_t ep;
static struct mica_ipc_buffer *ipc;
static unsigned passed, failed;
static _Atomic bool reader_done;

/* Wait for one byte of input, which the test types only after the checks. */
static void *reader(void *arg)
{
    (void)arg;
    uint8_t data[CONSOLE_CHUNK];
    uint32_t got = 0;
    int err = console_read(ep, mica_thread_ipc_buffer(), 1, true, data, &got);
    reader_done = true;
    mica_printf("malformed: the waiting reader got %u byte(s) '%c' (%d)\n", got,
                got ? data[0] : '?', err);
    return 0;
}

/* Send one raw request; it must be answered with error reply `want` (a MICA_E* number). */
static void expect_error(const char *what, uint32_t label, unsigned words, unsigned handles,
                         uint64_t w0, uint64_t w1, uint32_t want)
{
    struct mica_msg m = {0, mica_tag(label, words, handles), {w0, w1, 0, 0}};
    int64_t r = mica_call(ep, &m);
    uint32_t got = mica_tag_label(m.tag);
    bool ok = r == 0 && got == want && mica_tag_words(m.tag) == 0 && mica_tag_handles(m.tag) == 0;
    mica_printf("malformed: %-40s -> %s (call %ld, reply label %u, expected %u)\n", what,
                ok ? "refused as expected" : "WRONG", r, got, want);
    if (ok)
        passed++;
    else
        failed++;
}

/* A request carrying a notification handle: refused, and the handle is gone from here. */
static void handle_where_none_belongs(const char *what, uint32_t label, uint64_t w0, uint64_t w1,
                                      uint32_t want)
{
    int64_t n = mica_notify_create();
    if (n < 0) {
        failed++;
        return;
    }
    ipc->handles[0] = (mica_handle_t)n;
    expect_error(what, label, 0, 1, w0, w1, want);
    uint32_t type, rights;
    if (mica_handle_info((mica_handle_t)n, &type, &rights) != -MICA_EBADF) {
        mica_printf("malformed: %s: the handle is still here\n", what);
        failed++;
        mica_handle_close((mica_handle_t)n);
    }
}

static void check(const char *what, bool ok)
{
    mica_printf("malformed: %-40s -> %s\n", what, ok ? "ok" : "WRONG");
    if (ok)
        passed++;
    else
        failed++;
}

int main(const struct mica_server_start *st)
{
    ep = mica_start_handle(st, "console");
    if (mica_runtime_init(mica_start_handle(st, "self")) < 0 || !(ipc = mica_thread_ipc_buffer()))
        return 1;
    for (unsigned i = 0; i < MICA_IPC_WORDS; i++)
        ipc->words[i] = 0x4141414141414141ull;
    struct mica_thread *t;
    if (mica_thread_spawn(&t, reader, 0, 0) < 0)
        return 1;
    /* Until the driver has parked the reader's call. */
    uint64_t rx, drop, ovr, tx, irqs;
    uint32_t restarts, waiting = 0;
    while (console_stats(ep, ipc, &rx, &drop, &ovr, &tx, &irqs, &restarts, &waiting) == 0 &&
           waiting == 0)
        mica_sleep(1000 * 1000);

    expect_error("a label past the last method", CONSOLE_LABEL_END, 0, 0, 0, 0, MICA_ENOSYS);
    expect_error("another interface's label (rng)", 0x400, 0, 0, 0, 0, MICA_ENOSYS);
    expect_error("label 0", 0, 0, 0, 0, 0, MICA_ENOSYS);
    expect_error("write: length 600 > CHUNK", CONSOLE_LABEL_WRITE, 75, 0, 600, 0, MICA_EINVAL);
    expect_error("write: 16 bytes said, no words sent", CONSOLE_LABEL_WRITE, 0, 0, 16, 0,
                 MICA_EINVAL);
    expect_error("write: 8 bytes said, 3 words sent", CONSOLE_LABEL_WRITE, 3, 0, 8, 0, MICA_EINVAL);
    expect_error("write_sync: length 2^32", CONSOLE_LABEL_WRITE_SYNC, 1, 0, 1ull << 32, 0,
                 MICA_EINVAL);
    expect_error("read: max 0", CONSOLE_LABEL_READ, 0, 0, 0, 0, MICA_EINVAL);
    expect_error("read: max 513", CONSOLE_LABEL_READ, 0, 0, 513, 0, MICA_EINVAL);
    expect_error("read: max 2^33 (beyond u32)", CONSOLE_LABEL_READ, 0, 0, 1ull << 33, 0,
                 MICA_EINVAL);
    expect_error("read: wait = 2 (not a bool)", CONSOLE_LABEL_READ, 0, 0, 1, 2, MICA_EINVAL);
    expect_error("read: a buffer word too many", CONSOLE_LABEL_READ, 1, 0, 1, 0, MICA_EINVAL);
    expect_error("drain: a buffer word too many", CONSOLE_LABEL_DRAIN, 1, 0, 0, 0, MICA_EINVAL);
    handle_where_none_belongs("read: with a notification handle", CONSOLE_LABEL_READ, 1, 0,
                              MICA_EINVAL);
    handle_where_none_belongs("stats: with a notification handle", CONSOLE_LABEL_STATS, 0, 0,
                              MICA_EINVAL);
    handle_where_none_belongs("unknown label with a handle", 0x3ff, 0, 0, MICA_ENOSYS);

    /* The stub itself refuses a write beyond CHUNK without calling. */
    static char big[CONSOLE_CHUNK + 1];
    uint32_t written = 0;
    check("stub: write of 513 bytes not sent",
          console_write(ep, ipc, big, sizeof big, &written) == -MICA_EINVAL);
    /* Ordinary requests still work. */
    uint8_t data[CONSOLE_CHUNK];
    uint32_t got;
    check("read without wait, no input: EAGAIN",
          console_read(ep, ipc, 16, false, data, &got) == -MICA_EAGAIN);
    /* A line through the driver, and drain before the next line through the kernel's log,
     * so that the two do not mix on the serial line. */
    const char line[] = "malformed: the driver still writes\n";
    bool wrote =
        console_write(ep, ipc, line, sizeof line - 1, &written) == 0 && written == sizeof line - 1;
    bool drained = console_drain(ep, ipc) == 0;
    check("write after all that", wrote);
    check("drain", drained);
    check("stats: nothing lost, no restart, 1 waiting",
          console_stats(ep, ipc, &rx, &drop, &ovr, &tx, &irqs, &restarts, &waiting) == 0 &&
              restarts == 0 && tx >= sizeof line - 1 && waiting == 1);
    check("the reader still waits, and others were served", !reader_done);
    mica_printf("malformed: %u passed, %u failed\n", passed, failed);
    mica_thread_join(t, 0);
    return failed ? 1 : 0;
}
