/*
 * rngrecover.c - the recovery test of the virtio-rng driver (OS concept:
 * micro-reboot that loses nothing; tests/system, cases "vrng-recover-*").
 *
 * Two worker threads each draw 512 KiB of random bytes through the
 * recovering stub rng_get_r() in requests of random sizes (1 to 256 bytes),
 * and go on (up to 8 MiB each) until some request was re-issued: a restart
 * that happens to find no request inside the driver re-issues nothing.
 * Every request must complete with exactly the count asked for, and the
 * bytes must still look random (all 256 values, not stuck).
 *
 * args=kill: a third thread asks the supervisor (this program has `admin`)
 * to restart the driver "rng" at random moments, 20 to 200 ms apart, until
 * the workers are done.  args=fault: no killer; the driver was started with
 * a deliberate fault and crashes by itself.  Either way some requests must
 * have been re-issued, or the test proved nothing.
 * Prints "rngrecover: ..." and "rngrecover: done".
 */
#include <mica.h>
#include <mica/string.h>
#include <client.h>
#include <runtime.h>
#include <server.h>
#include <thread.h>
#include "rng_client.h"
#include "supervisor_client.h"

#define WORKERS        2
#define BYTES_PER_WORK (512 * 1024)
#define MOST_PER_WORK  (8 * 1024 * 1024) /* drawing on while nothing was re-issued */

static mica_handle_t ep, self, sv;
static volatile bool workers_done, any_reissued;

struct worker {
    unsigned index;
    uint64_t requests, bytes, reissued, errors, wrong_len;
    unsigned seen[256];
};

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void *worker(void *arg)
{
    struct worker *w = arg;
    struct mica_client c = {.ep = ep, .ipc = mica_thread_ipc_buffer()};
    uint64_t rng = 0x2545f4914f6cdd1dull + w->index;
    if (!c.ipc) {
        w->errors++;
        return NULL;
    }
    while (w->bytes < BYTES_PER_WORK || (!any_reissued && w->bytes < MOST_PER_WORK)) {
        uint32_t want = 1 + (uint32_t)(next_rand(&rng) % 256), got = 0;
        uint8_t data[256];
        w->requests++;
        if (rng_get_r(&c, want, data, &got) < 0) {
            w->errors++;
            continue;
        }
        if (got != want)
            w->wrong_len++;
        for (uint32_t i = 0; i < got && i < sizeof data; i++)
            w->seen[data[i]]++;
        w->bytes += got;
        if (c.reissued)
            any_reissued = true;
    }
    w->reissued = c.reissued;
    return NULL;
}

static void *killer(void *arg)
{
    uint64_t *kills = arg, rng = 0x1234567;
    struct mica_ipc_buffer *ipc = mica_thread_ipc_buffer();
    while (ipc && !workers_done) {
        mica_sleep((20 + next_rand(&rng) % 180) * 1000000ull);
        if (workers_done)
            break;
        if (supervisor_restart(sv, ipc, "rng") == 0)
            (*kills)++;
    }
    return NULL;
}

int main(const struct mica_server_start *st)
{
    bool kill = strcmp(st->args, "kill") == 0;
    self = mica_start_handle(st, "self");
    ep = mica_start_handle(st, "rng");
    sv = mica_start_handle(st, "supervisor");
    if (mica_runtime_init(self) < 0 || !ep || (kill && !sv))
        return 1;
    struct mica_thread *t[WORKERS], *k = NULL;
    static struct worker w[WORKERS];
    uint64_t kills = 0, start = mica_clock_ns();
    for (unsigned i = 0; i < WORKERS; i++) {
        w[i].index = i;
        if (mica_thread_spawn(&t[i], worker, &w[i], 0) < 0)
            return 1;
    }
    if (kill && mica_thread_spawn(&k, killer, &kills, 0) < 0)
        return 1;
    uint64_t requests = 0, bytes = 0, reissued = 0, errors = 0, wrong = 0;
    unsigned values = 0;
    for (unsigned i = 0; i < WORKERS; i++) {
        mica_thread_join(t[i], NULL);
        requests += w[i].requests;
        bytes += w[i].bytes;
        reissued += w[i].reissued;
        errors += w[i].errors;
        wrong += w[i].wrong_len;
    }
    workers_done = true;
    if (k)
        mica_thread_join(k, NULL);
    for (unsigned v = 0; v < 256; v++)
        values += w[0].seen[v] + w[1].seen[v] > 0;
    mica_printf("rngrecover: %lu KiB drawn in %lu requests in %lu ms; %lu driver restarts asked, "
                "%lu requests re-issued, %lu failed, %lu with a wrong count, %u byte values seen\n",
                bytes / 1024, requests, (mica_clock_ns() - start) / 1000000, kills, reissued,
                errors, wrong, values);
    bool ok = errors == 0 && wrong == 0 && values == 256 && reissued > 0;
    mica_printf("rngrecover: %s\n", ok ? "every request completed with its count"
                                       : "FAILED (or nothing was re-issued)");
    mica_printf("rngrecover: done\n");
    return ok ? 0 : 1;
}
