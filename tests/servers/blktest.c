/*
 * blktest.c - the functional test of the virtio-blk driver (tests/system,
 * cases "vblk-*"), run against the test disk image (tools/mkdisk.py).
 *
 * args=rw: a writable disk; args=ro: one QEMU opened read-only.  Checked:
 * info(); single and multi-sector reads of known sectors, at the end of the
 * disk and into the middle of a buffer; past the end, zero and too many
 * sectors -> EINVAL; writes read back, flush; on the read-only disk writes ->
 * EPERM; many requests at once from several threads; and malformed messages
 * (wrong label, counts, handle types, rights, ranges, anonymous memory) each
 * get their error reply while the driver keeps serving.
 * Prints "blktest: N checks, M failed" and "blktest: done".
 */
#include <mica.h>
#include <mica/string.h>
#include <runtime.h>
#include <server.h>
#include <thread.h>
#include "blk_client.h"
#include "blkpattern.h"
#include "tcheck.h"

static mica_handle_t ep, self;
static struct mica_ipc_buffer *ipc;
static uint64_t disk_sectors;
static uint32_t max_sectors;

static int rd(uint64_t sector, uint32_t count, const struct blkbuf *b, uint64_t offset)
{
    uint32_t done = 0;
    int err = blk_read(ep, ipc, sector, count, blkbuf_pass(b), offset, &done);
    return err < 0 ? err : (int)done;
}

static int wr(uint64_t sector, uint32_t count, const struct blkbuf *b, uint64_t offset)
{
    uint32_t done = 0;
    int err = blk_write(ep, ipc, sector, count, blkbuf_pass(b), offset, &done);
    return err < 0 ? err : (int)done;
}

static void test_info(bool read_only)
{
    uint64_t sectors = 0;
    uint32_t sector_size = 0;
    bool ro = !read_only;
    char model[32] = "";
    CHECK_EQ(blk_info(ep, ipc, &sectors, &sector_size, &max_sectors, &ro, model), 0);
    CHECK_EQ(sectors, 65536);
    CHECK_EQ(sector_size, 512);
    CHECK(max_sectors >= 8 && max_sectors <= 8192);
    CHECK_EQ(ro, read_only);
    CHECK(strncmp(model, "virtio-blk MICA-TEST", 20) == 0);
    disk_sectors = sectors;
    mica_printf("blktest: disk of %lu sectors, up to %u per request, %s, model \"%s\"\n", sectors,
                max_sectors, ro ? "read-only" : "read-write", model);
}

static void test_reads(const struct blkbuf *b)
{
    CHECK_EQ(rd(0, 1, b, 0), 1);
    CHECK_EQ(blkpat_check(b->at, 0, 1, 0), -1);
    CHECK_EQ(rd(1000, 64, b, 0), 64);
    CHECK_EQ(blkpat_check(b->at, 1000, 64, 0), -1);
    CHECK_EQ(rd(disk_sectors - 1, 1, b, 0), 1); /* the last sector */
    CHECK_EQ(blkpat_check(b->at, disk_sectors - 1, 1, 0), -1);
    CHECK_EQ(rd(disk_sectors - 16, 16, b, 0), 16);
    CHECK_EQ(blkpat_check(b->at, disk_sectors - 16, 16, 0), -1);
    /* Into the middle of the buffer, at an offset that is no multiple of a page. */
    memset(b->at, 0, 8192);
    CHECK_EQ(rd(77, 3, b, 1536), 3);
    CHECK_EQ(blkpat_check(b->at + 1536, 77, 3, 0), -1);
    CHECK(b->at[1535] == 0 && b->at[1536 + 1536] == 0); /* nothing outside */
    /* The largest request the driver allows. */
    uint32_t big = max_sectors * 512u <= b->size ? max_sectors : (uint32_t)(b->size / 512);
    CHECK_EQ(rd(4096, big, b, 0), (int)big);
    CHECK_EQ(blkpat_check(b->at, 4096, big, 0), -1);
    /* Out of range. */
    CHECK_EQ(rd(disk_sectors, 1, b, 0), -MICA_EINVAL);
    CHECK_EQ(rd(disk_sectors - 1, 2, b, 0), -MICA_EINVAL);
    CHECK_EQ(rd(UINT64_MAX, 1, b, 0), -MICA_EINVAL);
    CHECK_EQ(rd(0, 0, b, 0), -MICA_EINVAL);
    CHECK_EQ(rd(0, max_sectors + 1, b, 0), -MICA_EINVAL);
    CHECK_EQ(rd(0, 2, b, b->size - 512), -MICA_EINVAL); /* past the buffer's end */
    CHECK_EQ(rd(0, 1, b, UINT64_MAX - 100), -MICA_EINVAL);
}

static void test_writes(const struct blkbuf *b)
{
    blkpat_fill(b->at, 2000, 40, 7);
    CHECK_EQ(wr(2000, 40, b, 0), 40);
    blkpat_fill(b->at, disk_sectors - 1, 1, 9);
    CHECK_EQ(wr(disk_sectors - 1, 1, b, 0), 1);
    CHECK_EQ(blk_flush(ep, ipc), 0);
    memset(b->at, 0, 40 * 512);
    CHECK_EQ(rd(1999, 42, b, 0), 42);
    CHECK_EQ(blkpat_check(b->at, 1999, 1, 0), -1); /* before: untouched */
    CHECK_EQ(blkpat_check(b->at + 512, 2000, 40, 7), -1);
    CHECK_EQ(blkpat_check(b->at + 41 * 512, 2040, 1, 0), -1); /* after: untouched */
    CHECK_EQ(rd(disk_sectors - 1, 1, b, 0), 1);
    CHECK_EQ(blkpat_check(b->at, disk_sectors - 1, 1, 9), -1);
    CHECK_EQ(wr(disk_sectors, 1, b, 0), -MICA_EINVAL);
}

static void test_read_only(const struct blkbuf *b)
{
    blkpat_fill(b->at, 2000, 4, 7);
    CHECK_EQ(wr(2000, 4, b, 0), -MICA_EPERM);
    CHECK_EQ(blk_flush(ep, ipc), 0);
    CHECK_EQ(rd(2000, 4, b, 0), 4);
    CHECK_EQ(blkpat_check(b->at, 2000, 4, 0), -1); /* still the image's */
}

/* ---- Many requests at once ---- */

#define THREADS 8

struct worker {
    unsigned index;
    bool writes;
    unsigned bad;
};

static void *worker(void *arg)
{
    struct worker *w = arg;
    struct mica_ipc_buffer *my_ipc = mica_thread_ipc_buffer();
    struct blkbuf b;
    if (!my_ipc || blkbuf_create(&b, self, 64 * 512) < 0) {
        w->bad++;
        return NULL;
    }
    uint64_t rng = 0x9e3779b97f4a7c15ull * (w->index + 1), region = 8192 + w->index * 1024;
    struct mica_client c = {.ep = ep, .ipc = my_ipc};
    for (unsigned i = 0; i < 60; i++) {
        uint32_t count = 1 + (uint32_t)(blk_rand(&rng) % 64);
        uint64_t sector = 20000 + blk_rand(&rng) % 40000; /* sectors nobody writes */
        uint32_t seed = 0;
        if (w->writes && i % 3 == 0) { /* into this thread's own region, then read back */
            sector = region + blk_rand(&rng) % (1024 - count);
            seed = 100 + w->index;
            blkpat_fill(b.at, sector, count, seed);
            if (blk_write_all(&c, sector, count, &b, 0) < 0)
                w->bad++;
            memset(b.at, 0, count * 512);
        }
        if (blk_read_all(&c, sector, count, &b, 0) < 0 ||
            blkpat_check(b.at, sector, count, seed) != -1)
            w->bad++;
    }
    return NULL;
}

static void test_concurrent(bool writes)
{
    struct mica_thread *t[THREADS];
    struct worker w[THREADS];
    for (unsigned i = 0; i < THREADS; i++) {
        w[i] = (struct worker){i, writes, 0};
        CHECK_EQ(mica_thread_spawn(&t[i], worker, &w[i], 0), 0);
    }
    unsigned bad = 0;
    for (unsigned i = 0; i < THREADS; i++) {
        mica_thread_join(t[i], NULL);
        bad += w[i].bad;
    }
    CHECK_EQ(bad, 0);
    mica_printf("blktest: %u threads made %u requests at once, %u wrong\n", THREADS, THREADS * 60,
                bad);
}

/* ---- Malformed messages, written by hand on purpose ---- */

static int64_t raw_call(uint32_t label, unsigned words, unsigned handles, uint64_t w0, uint64_t w1,
                        uint64_t w2, mica_handle_t h)
{
    struct mica_msg m = {0, mica_tag(label, words, handles), {w0, w1, w2, 0}};
    ipc->handles[0] = h;
    ipc->words[0] = 0;
    int64_t r = mica_call(ep, &m);
    if (r < 0)
        return r;
    return -(int64_t)mica_tag_label(m.tag); /* an error reply's label is the error */
}

static void still_serving(void)
{
    uint64_t sectors;
    uint32_t size, most;
    bool ro;
    char model[32];
    CHECK_EQ(blk_info(ep, ipc, &sectors, &size, &most, &ro, model), 0);
}

static void test_malformed(const struct blkbuf *b, bool read_only)
{
    mica_handle_t note = (mica_handle_t)mica_notify_create();
    int64_t weak =
        mica_handle_dup(b->vmo, MICA_RIGHT_READ | MICA_RIGHT_WRITE | MICA_RIGHT_TRANSFER);
    int64_t anon = mica_vmo_create(65536);
    CHECK_EQ(raw_call(BLK_LABEL_BASE + 0x40, 0, 0, 0, 0, 0, 0), -MICA_ENOSYS);
    still_serving();
    CHECK_EQ(raw_call(BLK_LABEL_READ, 0, 0, 0, 1, 0, 0), -MICA_EINVAL); /* no handle */
    still_serving();
    CHECK_EQ(raw_call(BLK_LABEL_READ, 1, 1, 0, 1, 0, blkbuf_pass(b)),
             -MICA_EINVAL); /* a word too many */
    still_serving();
    CHECK_EQ(raw_call(BLK_LABEL_READ, 0, 1, 0, 1ull << 32, 0, blkbuf_pass(b)), -MICA_EINVAL);
    CHECK_EQ(raw_call(BLK_LABEL_READ, 0, 1, 0, 1, 0, note), -MICA_EBADF); /* not a VM object */
    still_serving();
    CHECK_EQ(raw_call(BLK_LABEL_READ, 0, 1, 0, 1, 0, (mica_handle_t)weak), -MICA_EACCES);
    still_serving();
    CHECK_EQ(raw_call(BLK_LABEL_READ, 0, 1, 0, 1, b->size, blkbuf_pass(b)), -MICA_EINVAL);
    CHECK_EQ(raw_call(BLK_LABEL_READ, 0, 1, disk_sectors, 1, 0, blkbuf_pass(b)), -MICA_EINVAL);
    /* Anonymous memory: scattered pages, no physical address; the device cannot use it. */
    CHECK_EQ(raw_call(BLK_LABEL_READ, 0, 1, 0, 1, 0,
                      (mica_handle_t)mica_handle_dup((mica_handle_t)anon, MICA_RIGHT_ALL)),
             -MICA_EINVAL);
    CHECK_EQ(raw_call(BLK_LABEL_WRITE, 0, 1, 0, 1, 0, (mica_handle_t)anon),
             read_only ? -MICA_EPERM : -MICA_EINVAL); /* on a read-only disk, refused first */
    CHECK_EQ(raw_call(BLK_LABEL_FLUSH, 0, 1, 0, 0, 0, blkbuf_pass(b)), -MICA_EINVAL);
    CHECK_EQ(raw_call(BLK_LABEL_INFO, 3, 0, 0, 0, 0, 0), -MICA_EINVAL);
    still_serving();
    CHECK_EQ(rd(5, 2, b, 0), 2); /* and real requests still work */
    CHECK_EQ(blkpat_check(b->at, 5, 2, 0), -1);
    mica_handle_close(note);
}

int main(const struct mica_server_start *st)
{
    tc_init("blktest");
    bool read_only = st->args[0] == 'r' && st->args[1] == 'o';
    self = mica_start_handle(st, "self");
    ep = mica_start_handle(st, "blk");
    struct blkbuf b;
    if (mica_runtime_init(self) < 0 || !(ipc = mica_thread_ipc_buffer()) ||
        blkbuf_create(&b, self, 1 << 20) < 0) {
        mica_printf("blktest: cannot set up\n");
        return 1;
    }
    test_info(read_only);
    test_reads(&b);
    if (read_only)
        test_read_only(&b);
    else
        test_writes(&b);
    test_concurrent(!read_only);
    test_malformed(&b, read_only);
    mica_printf("blktest: %u checks, %u failed\n", tc_checks, tc_failures);
    mica_printf("blktest: done\n");
    return tc_failures ? 1 : 0;
}
