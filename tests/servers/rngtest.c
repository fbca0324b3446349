/*
 * rngtest.c - the functional test of the virtio-rng driver and the kernel's
 * entropy pool (tests/system, case "vrng-functional").
 *
 * Checked: 64 KiB drawn through rng_get() in requests of random sizes look
 * random - every one of the 256 byte values appears, no value repeats more
 * than 7 times in a row, no two 256-byte answers are equal (each check
 * fails for all-zero or stuck output); every answer has the count asked
 * for; count 0 and over 256 -> EINVAL; four threads drawing at once (so
 * callers wait for the device) all get their bytes; malformed messages
 * (wrong label, words, handles, values out of range) each get their error
 * reply while the driver keeps serving; stats() adds up; the driver fed the
 * kernel (stats' fed), and the kernel's SYS_RANDOM_GET works for this
 * ordinary program.
 * Prints "rngtest: N checks, M failed" and "rngtest: done".
 */
#include <mica.h>
#include <mica/string.h>
#include <runtime.h>
#include <server.h>
#include <thread.h>
#include "rng_client.h"
#include "tcheck.h"

#define DRAW_BYTES (64 * 1024)
#define THREADS    4
#define LONGEST    7 /* a run of 8 equal bytes in 64 KiB has odds of about 2^-40 */

static mica_handle_t ep, self;
static struct mica_ipc_buffer *ipc;

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* ---- The bytes look random ---- */

static uint8_t drawn[DRAW_BYTES];

static void test_plausible(void)
{
    uint64_t seed = 0x9e3779b97f4a7c15ull, wrong_len = 0, errors = 0;
    for (uint32_t at = 0; at < DRAW_BYTES;) {
        uint32_t want = 1 + (uint32_t)(next_rand(&seed) % 256), got = 0;
        want = at + want > DRAW_BYTES ? DRAW_BYTES - at : want;
        uint8_t data[256];
        if (rng_get(ep, ipc, want, data, &got) < 0) {
            errors++;
            continue;
        }
        wrong_len += got != want;
        memcpy(drawn + at, data, want);
        at += want;
    }
    CHECK_EQ(errors, 0);
    CHECK_EQ(wrong_len, 0);
    unsigned seen[256] = {0}, run = 1, longest = 1, nonzero = 0;
    for (uint32_t i = 0; i < DRAW_BYTES; i++) {
        seen[drawn[i]]++;
        nonzero += drawn[i] != 0;
        run = i > 0 && drawn[i] == drawn[i - 1] ? run + 1 : 1;
        longest = run > longest ? run : longest;
    }
    unsigned values = 0, fewest = DRAW_BYTES;
    for (unsigned v = 0; v < 256; v++) {
        values += seen[v] > 0;
        fewest = seen[v] < fewest ? seen[v] : fewest;
    }
    CHECK_EQ(values, 256);
    CHECK(longest <= LONGEST);
    CHECK(nonzero > DRAW_BYTES / 2);
    /* No 256-byte piece repeats another (a device handing out one buffer twice would). */
    unsigned repeats = 0;
    for (uint32_t a = 0; a + 256 <= DRAW_BYTES; a += 256)
        repeats += memcmp(drawn + a, drawn + ((a + 256) % DRAW_BYTES), 256) == 0;
    CHECK_EQ(repeats, 0);
    mica_printf("rngtest: %u KiB drawn: %u of 256 byte values seen (the rarest %u times), "
                "longest run %u, %u repeated pieces\n",
                DRAW_BYTES / 1024, values, fewest, longest, repeats);
}

/* ---- Counts at the edges ---- */

static void test_counts(void)
{
    uint8_t data[256];
    uint32_t got = 99;
    CHECK_EQ(rng_get(ep, ipc, 0, data, &got), -MICA_EINVAL);
    CHECK_EQ(rng_get(ep, ipc, 257, data, &got), -MICA_EINVAL);
    CHECK_EQ(rng_get(ep, ipc, UINT32_MAX, data, &got), -MICA_EINVAL);
    CHECK_EQ(rng_get(ep, ipc, 1, data, &got), 0);
    CHECK_EQ(got, 1);
    CHECK_EQ(rng_get(ep, ipc, 256, data, &got), 0);
    CHECK_EQ(got, 256);
}

/* ---- Several callers at once: some must wait for the device ---- */

struct drawer {
    uint64_t bytes, bad;
};

static void *drawer(void *arg)
{
    struct drawer *w = arg;
    struct mica_ipc_buffer *my = mica_thread_ipc_buffer();
    for (int i = 0; my && i < 64; i++) {
        uint8_t data[256];
        uint32_t got = 0;
        if (rng_get(ep, my, 256, data, &got) < 0 || got != 256)
            w->bad++;
        else
            w->bytes += got;
    }
    return NULL;
}

static void test_concurrent(void)
{
    struct mica_thread *t[THREADS];
    struct drawer w[THREADS];
    uint64_t bytes = 0, bad = 0;
    for (unsigned i = 0; i < THREADS; i++) {
        w[i] = (struct drawer){0, 0};
        CHECK_EQ(mica_thread_spawn(&t[i], drawer, &w[i], 0), 0);
    }
    for (unsigned i = 0; i < THREADS; i++) {
        mica_thread_join(t[i], NULL);
        bytes += w[i].bytes;
        bad += w[i].bad;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(bytes, THREADS * 64 * 256);
    mica_printf("rngtest: %u threads drew %lu bytes at once, %lu requests failed\n", THREADS, bytes,
                bad);
}

/* ---- Malformed messages, written by hand on purpose ---- */

static int64_t raw_call(uint32_t label, unsigned words, unsigned handles, uint64_t w0,
                        mica_handle_t h)
{
    struct mica_msg m = {0, mica_tag(label, words, handles), {w0, 0, 0, 0}};
    ipc->handles[0] = h;
    ipc->words[0] = ipc->words[1] = 0;
    int64_t r = mica_call(ep, &m);
    if (r < 0)
        return r;
    return -(int64_t)mica_tag_label(m.tag); /* an error reply's label is the error */
}

static void still_serving(void)
{
    uint8_t data[256];
    uint32_t got = 0;
    CHECK_EQ(rng_get(ep, ipc, 16, data, &got), 0);
    CHECK_EQ(got, 16);
}

static void test_malformed(void)
{
    mica_handle_t note = (mica_handle_t)mica_notify_create();
    CHECK_EQ(raw_call(RNG_LABEL_BASE + 0x40, 0, 0, 16, 0), -MICA_ENOSYS); /* no such method */
    CHECK_EQ(raw_call(0, 0, 0, 16, 0), -MICA_ENOSYS);
    still_serving();
    CHECK_EQ(raw_call(RNG_LABEL_GET, 0, 0, 0, 0), -MICA_EINVAL);          /* count 0 */
    CHECK_EQ(raw_call(RNG_LABEL_GET, 0, 0, 257, 0), -MICA_EINVAL);        /* count > 256 */
    CHECK_EQ(raw_call(RNG_LABEL_GET, 0, 0, 1ull << 32, 0), -MICA_EINVAL); /* beyond u32 */
    CHECK_EQ(raw_call(RNG_LABEL_GET, 0, 0, ~0ull, 0), -MICA_EINVAL);
    still_serving();
    CHECK_EQ(raw_call(RNG_LABEL_GET, 1, 0, 16, 0), -MICA_EINVAL); /* a word too many */
    CHECK_EQ(raw_call(RNG_LABEL_GET, 2, 0, 16, 0), -MICA_EINVAL);
    CHECK_EQ(raw_call(RNG_LABEL_STATS, 1, 0, 0, 0), -MICA_EINVAL);
    still_serving();
    /* A handle nobody asked for: refused, and the server closes it. */
    int64_t dup = mica_handle_dup(note, MICA_RIGHT_ALL);
    CHECK(dup > 0);
    CHECK_EQ(raw_call(RNG_LABEL_GET, 0, 1, 16, (mica_handle_t)dup), -MICA_EINVAL);
    CHECK_EQ(raw_call(RNG_LABEL_STATS, 0, 1, 0, note), -MICA_EINVAL);
    still_serving();
    mica_handle_close(note);
}

/* ---- Statistics and the kernel's pool ---- */

static void test_stats_and_kernel(void)
{
    uint64_t requests = 0, bytes = 0, device = 0, fed = 0, waited = 0;
    uint32_t waiting = 9;
    CHECK_EQ(rng_stats(ep, ipc, &requests, &bytes, &device, &fed, &waited, &waiting), 0);
    CHECK_EQ(waiting, 0);
    CHECK(bytes >= DRAW_BYTES + THREADS * 64 * 256);
    CHECK(requests > 0 && bytes <= requests * 256);
    CHECK(device >= bytes + fed); /* nothing handed out that the device did not deliver */
    /* The driver feeds the kernel as soon as it has bytes after its start. */
    for (int i = 0; i < 3000 && fed == 0; i++) {
        mica_sleep(10000000);
        CHECK_EQ(rng_stats(ep, ipc, &requests, &bytes, &device, &fed, &waited, &waiting), 0);
    }
    CHECK(fed >= 32);
    uint8_t a[64], b[64];
    CHECK_EQ(mica_random_get(a, sizeof a), 64);
    CHECK_EQ(mica_random_get(b, sizeof b), 64);
    CHECK(memcmp(a, b, sizeof a) != 0);
    mica_printf("rngtest: stats: %lu requests, %lu bytes to clients, %lu from the device, "
                "%lu fed to the kernel, %lu requests waited for the device\n",
                requests, bytes, device, fed, waited);
}

int main(const struct mica_server_start *st)
{
    tc_init("rngtest");
    self = mica_start_handle(st, "self");
    ep = mica_start_handle(st, "rng");
    if (mica_runtime_init(self) < 0 || !(ipc = mica_thread_ipc_buffer()) || !ep) {
        mica_printf("rngtest: cannot set up\n");
        return 1;
    }
    test_plausible();
    test_counts();
    test_concurrent();
    test_malformed();
    test_stats_and_kernel();
    mica_printf("rngtest: %u checks, %u failed\n", tc_checks, tc_failures);
    mica_printf("rngtest: done\n");
    return tc_failures ? 1 : 0;
}
