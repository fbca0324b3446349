/*
 * blkbench.c - block-device figures for `make bench` (tools/bench.py):
 * 4 KiB random reads with one request in flight and with 32 (32 threads),
 * sequential reads and writes of 1 MiB requests, and the time from a driver
 * crash (a restart the supervisor is asked for) until the restarted driver
 * answers again.  Prints "bench: NAME VALUE UNIT" lines, then
 * "blkbench: done".  Figures, never a verdict.
 */
#include <mica.h>
#include <runtime.h>
#include <server.h>
#include <thread.h>
#include "blk_client.h"
#include "blkpattern.h"
#include "supervisor_client.h"

#define QD_MAX      32
#define RAND_OPS    4000          /* 4 KiB reads per figure, spread over the threads */
#define SEQ_BYTES   (32ull << 20) /* the whole test disk */
#define SEQ_REQUEST (1u << 20)
#define RESTARTS    5

static mica_handle_t ep, self, sv;
static uint64_t disk_sectors;

struct reader {
    unsigned index, ops;
    unsigned errors;
};

static void *random_reader(void *arg)
{
    struct reader *r = arg;
    struct mica_ipc_buffer *ipc = mica_thread_ipc_buffer();
    struct blkbuf b;
    if (!ipc || blkbuf_create(&b, self, 4096) < 0) {
        r->errors++;
        return NULL;
    }
    uint64_t rng = 0x51ed27ull * (r->index + 1);
    struct mica_client c = {.ep = ep, .ipc = ipc};
    for (unsigned i = 0; i < r->ops; i++) {
        uint64_t sector = (blk_rand(&rng) % (disk_sectors / 8)) * 8; /* 4 KiB aligned */
        if (blk_read_all(&c, sector, 8, &b, 0) < 0)
            r->errors++;
    }
    return NULL;
}

static void random_reads(unsigned depth, const char *name)
{
    struct mica_thread *t[QD_MAX];
    struct reader r[QD_MAX];
    uint64_t start = mica_clock_ns();
    for (unsigned i = 0; i < depth; i++) {
        r[i] = (struct reader){i, RAND_OPS / depth, 0};
        mica_thread_spawn(&t[i], random_reader, &r[i], 0);
    }
    unsigned errors = 0;
    for (unsigned i = 0; i < depth; i++) {
        mica_thread_join(t[i], NULL);
        errors += r[i].errors;
    }
    uint64_t ns = mica_clock_ns() - start, ops = (uint64_t)(RAND_OPS / depth) * depth;
    mica_printf("bench: %s %lu iops\n", name, (uint64_t)(ops * 1000000000ull / (ns ? ns : 1)));
    if (errors)
        mica_printf("blkbench: %u requests of %s failed\n", errors, name);
}

static void sequential(bool write, struct mica_ipc_buffer *ipc, const struct blkbuf *b)
{
    uint64_t start = mica_clock_ns();
    struct mica_client c = {.ep = ep, .ipc = ipc};
    uint32_t count = SEQ_REQUEST / 512;
    unsigned errors = 0;
    for (uint64_t off = 0; off < SEQ_BYTES; off += SEQ_REQUEST) {
        uint64_t sector = off / 512;
        int err =
            write ? blk_write_all(&c, sector, count, b, 0) : blk_read_all(&c, sector, count, b, 0);
        errors += err < 0;
    }
    uint64_t ns = mica_clock_ns() - start;
    mica_printf("bench: blk_seq%s_1m %lu MB/s\n", write ? "write" : "read",
                (uint64_t)(SEQ_BYTES * 1000ull / (ns ? ns : 1)));
    if (errors)
        mica_printf("blkbench: %u sequential requests failed\n", errors);
}

/* Restart the driver and time until it answers info() again; the median of RESTARTS. */
static void restart_time(struct mica_ipc_buffer *ipc)
{
    uint64_t t[RESTARTS];
    for (unsigned i = 0; i < RESTARTS; i++) {
        mica_sleep(100000000); /* let the previous life settle (the supervisor's back-off) */
        uint64_t start = mica_clock_ns(), sectors;
        uint32_t size, most;
        bool ro;
        char model[32];
        if (supervisor_restart(sv, ipc, "vblk") < 0) {
            mica_printf("blkbench: the supervisor refused the restart\n");
            return;
        }
        while (blk_info(ep, ipc, &sectors, &size, &most, &ro, model) == -MICA_EPIPE)
            ;
        t[i] = mica_clock_ns() - start;
    }
    for (unsigned i = 0; i < RESTARTS; i++) /* sort the few samples */
        for (unsigned j = i + 1; j < RESTARTS; j++)
            if (t[j] < t[i]) {
                uint64_t x = t[i];
                t[i] = t[j];
                t[j] = x;
            }
    mica_printf("bench: blk_restart_to_serving %lu us\n", t[RESTARTS / 2] / 1000);
}

int main(const struct mica_server_start *st)
{
    self = mica_start_handle(st, "self");
    ep = mica_start_handle(st, "blk");
    sv = mica_start_handle(st, "supervisor");
    struct mica_ipc_buffer *ipc;
    struct blkbuf b;
    uint32_t size, most;
    bool ro;
    char model[32];
    if (mica_runtime_init(self) < 0 || !(ipc = mica_thread_ipc_buffer()) ||
        blkbuf_create(&b, self, SEQ_REQUEST) < 0 ||
        blk_info(ep, ipc, &disk_sectors, &size, &most, &ro, model) < 0) {
        mica_printf("blkbench: cannot set up\n");
        return 1;
    }
    random_reads(1, "blk_randread_4k_qd1");
    random_reads(QD_MAX, "blk_randread_4k_qd32");
    sequential(false, ipc, &b);
    sequential(true, ipc, &b);
    restart_time(ipc);
    mica_printf("blkbench: done\n");
    return 0;
}
