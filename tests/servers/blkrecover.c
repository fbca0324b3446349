/*
 * blkrecover.c - the recovery test of the virtio-blk driver (OS concept:
 * micro-reboot that loses nothing; tests/system, cases "vblk-recover-*").
 *
 * Two worker threads each write a pattern over their own 4 MiB of the disk
 * in requests of random sizes (1 to 256 sectors), then read it all back in
 * other random sizes and compare every byte; twice, with a new pattern each
 * pass: 32 MiB moved in all (more passes, up to 20, while args=kill has
 * not yet seen 5 restarts), through the recovering stubs blk_read_r and
 * blk_write_r: a call the driver died holding (-MICA_EPIPE) is sent again.
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
#define MIN_KILLS  5 /* with args=kill, passes go on until this many restarts happened */
#define MAX_PASSES 20

static volatile bool workers_done;
static volatile bool killing;
static volatile uint64_t kills;

struct worker {
    unsigned index;
    uint64_t requests, reissued, wrong_sectors, errors, passes;
};

/* One pass: write the region with seed, then read it back and compare. */
static void one_pass(struct worker *w, struct mica_client *c, const struct blkbuf *b, uint64_t *rng,
                     uint32_t seed)
{
    uint64_t first = 16384 + (uint64_t)w->index * REGION_SECTORS, end = first + REGION_SECTORS;
    for (uint64_t s = first; s < end;) {
        uint32_t n = 1 + (uint32_t)(blk_rand(rng) % MAX_REQ);
        n = s + n > end ? (uint32_t)(end - s) : n;
        blkpat_fill(b->at, s, n, seed);
        if (blk_write_all(c, s, n, b, 0) < 0)
            w->errors++;
        w->requests++;
        s += n;
    }
    for (uint64_t s = first; s < end;) {
        uint32_t n = 1 + (uint32_t)(blk_rand(rng) % MAX_REQ);
        n = s + n > end ? (uint32_t)(end - s) : n;
        memset(b->at, 0xee, (uint64_t)n * 512);
        if (blk_read_all(c, s, n, b, 0) < 0)
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
    /* Restarts come often here: let one request survive many of them. */
    struct mica_client c = {.ep = ep, .ipc = ipc, .max_reissue = 1000};
    for (uint32_t pass = 1; pass <= MAX_PASSES; pass++) {
        if (pass > PASSES && !(killing && kills < MIN_KILLS))
            break; /* on a fast machine, go on until the killer has struck a few times */
        one_pass(w, &c, &b, &rng, pass * 10 + w->index);
        w->passes++;
    }
    w->reissued = c.reissued;
    return NULL;
}

static void *killer(void *arg)
{
    (void)arg;
    uint64_t rng = 0x1234567;
    struct mica_ipc_buffer *ipc = mica_thread_ipc_buffer();
    while (ipc && !workers_done) {
        mica_sleep((20 + blk_rand(&rng) % 180) * 1000000ull);
        if (workers_done)
            break;
        if (supervisor_restart(sv, ipc, "vblk") == 0)
            kills++;
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
    uint64_t start = mica_clock_ns();
    killing = kill;
    for (unsigned i = 0; i < WORKERS; i++) {
        w[i] = (struct worker){.index = i};
        if (mica_thread_spawn(&t[i], worker, &w[i], 0) < 0)
            return 1;
    }
    if (kill && mica_thread_spawn(&k, killer, NULL, 0) < 0)
        return 1;
    uint64_t requests = 0, reissued = 0, wrong = 0, errors = 0, passes = 0;
    for (unsigned i = 0; i < WORKERS; i++) {
        mica_thread_join(t[i], NULL);
        requests += w[i].requests;
        reissued += w[i].reissued;
        wrong += w[i].wrong_sectors;
        errors += w[i].errors;
        passes += w[i].passes;
    }
    workers_done = true;
    if (k)
        mica_thread_join(k, NULL);
    uint64_t mib = passes * REGION_SECTORS * 512 * 2 >> 20;
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
