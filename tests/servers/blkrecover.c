/*
 * blkrecover.c - the recovery test of the virtio-blk driver (OS concept:
 * micro-reboot that loses nothing; tests/system, cases "vblk-recover-*").
 *
 * Two worker threads each write a pattern over their own 4 MiB of the disk
 * in requests of random sizes (1 to 256 sectors), then read it all back in
 * other random sizes and compare every byte; twice, with a new pattern each
 * pass: 32 MiB moved in all.  Every call that fails with -MICA_EPIPE (the
 * driver died holding it) is sent again.
 *
 * args=kill: a third thread asks the supervisor (this program has `admin`)
 * to restart the driver "vblk" at random moments, 20 to 200 ms apart, until
 * the workers are done.  args=fault: no killer; the driver was started with
 * a deliberate fault and crashes by itself.  Either way every request must
 * complete, every byte must be right, and some requests must have been
 * re-issued, or the test proved nothing.
 * Prints "blkrecover: ..." and "blkrecover: done".
 */
#include <mica.h>
#include <mica/string.h>
#include <runtime.h>
#include <server.h>
#include <thread.h>
#include "blk_client.h"
#include "blkpattern.h"
#include "supervisor_client.h"

#define WORKERS        2
#define REGION_SECTORS 8192 /* 4 MiB per worker */
#define PASSES         2
#define MAX_REQ        256 /* sectors */

static mica_handle_t ep, self, sv;
static volatile bool workers_done;

struct worker {
    unsigned index;
    uint64_t requests, reissued, wrong_sectors, errors;
};

/* One pass: write the region with seed, then read it back and compare. */
static void one_pass(struct worker *w, struct mica_ipc_buffer *ipc, const struct blkbuf *b,
                     uint64_t *rng, uint32_t seed)
{
    uint64_t first = 16384 + (uint64_t)w->index * REGION_SECTORS, end = first + REGION_SECTORS;
    for (uint64_t s = first; s < end;) {
        uint32_t n = 1 + (uint32_t)(blk_rand(rng) % MAX_REQ);
        n = s + n > end ? (uint32_t)(end - s) : n;
        blkpat_fill(b->at, s, n, seed);
        if (blk_write_retry(ep, ipc, s, n, b, 0, &w->reissued) < 0)
            w->errors++;
        w->requests++;
        s += n;
    }
    for (uint64_t s = first; s < end;) {
        uint32_t n = 1 + (uint32_t)(blk_rand(rng) % MAX_REQ);
        n = s + n > end ? (uint32_t)(end - s) : n;
        memset(b->at, 0xee, (uint64_t)n * 512);
        if (blk_read_retry(ep, ipc, s, n, b, 0, &w->reissued) < 0)
            w->errors++;
        w->requests++;
        for (uint32_t i = 0; i < n; i++) /* count every wrong sector, not just the first */
            if (blkpat_check(b->at + (uint64_t)i * 512, s + i, 1, seed) != -1)
                w->wrong_sectors++;
        s += n;
    }
}

static void *worker(void *arg)
{
    struct worker *w = arg;
    struct mica_ipc_buffer *ipc = mica_thread_ipc_buffer();
    struct blkbuf b;
    if (!ipc || blkbuf_create(&b, self, MAX_REQ * 512) < 0) {
        w->errors++;
        return NULL;
    }
    uint64_t rng = 0x2545f4914f6cdd1dull + w->index;
    for (uint32_t pass = 1; pass <= PASSES; pass++)
        one_pass(w, ipc, &b, &rng, pass * 10 + w->index);
    return NULL;
}

static void *killer(void *arg)
{
    uint64_t *kills = arg, rng = 0x1234567;
    struct mica_ipc_buffer *ipc = mica_thread_ipc_buffer();
    while (ipc && !workers_done) {
        mica_sleep((20 + blk_rand(&rng) % 180) * 1000000ull);
        if (workers_done)
            break;
        if (supervisor_restart(sv, ipc, "vblk") == 0)
            (*kills)++;
    }
    return NULL;
}

int main(const struct mica_server_start *st)
{
    bool kill = strcmp(st->args, "kill") == 0;
    self = mica_start_handle(st, "self");
    ep = mica_start_handle(st, "blk");
    sv = mica_start_handle(st, "supervisor");
    if (mica_runtime_init(self) < 0)
        return 1;
    struct mica_thread *t[WORKERS], *k = NULL;
    struct worker w[WORKERS];
    uint64_t kills = 0, start = mica_clock_ns();
    for (unsigned i = 0; i < WORKERS; i++) {
        w[i] = (struct worker){.index = i};
        if (mica_thread_spawn(&t[i], worker, &w[i], 0) < 0)
            return 1;
    }
    if (kill && mica_thread_spawn(&k, killer, &kills, 0) < 0)
        return 1;
    uint64_t requests = 0, reissued = 0, wrong = 0, errors = 0;
    for (unsigned i = 0; i < WORKERS; i++) {
        mica_thread_join(t[i], NULL);
        requests += w[i].requests;
        reissued += w[i].reissued;
        wrong += w[i].wrong_sectors;
        errors += w[i].errors;
    }
    workers_done = true;
    if (k)
        mica_thread_join(k, NULL);
    uint64_t mib = (uint64_t)WORKERS * PASSES * REGION_SECTORS * 512 * 2 >> 20;
    mica_printf(
        "blkrecover: %lu MiB written and read back in %lu requests in %lu ms; "
        "%lu driver restarts asked, %lu requests re-issued, %lu failed, %lu sectors wrong\n",
        mib, requests, (mica_clock_ns() - start) / 1000000, kills, reissued, errors, wrong);
    bool ok = errors == 0 && wrong == 0 && reissued > 0;
    mica_printf("blkrecover: %s\n", ok ? "every request completed, every byte right"
                                       : "FAILED (or nothing was re-issued)");
    mica_printf("blkrecover: done\n");
    return ok ? 0 : 1;
}
