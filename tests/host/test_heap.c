/*
 * test_heap.c - host tests for lib/mica/heap_core.c, the heap allocator's
 * core: alignment, splitting and coalescing, realloc, double and invalid
 * frees, and a random stress run that checks every invariant after each step
 * and keeps a pattern in every block to catch overlapping allocations.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/mica/heap_core.h"
#include "unit.h"

#define REGION (64 * 1024)

/* The page source: host memory, remembered so that each test can free it. */
static void *chunks[4096];
static unsigned nchunks;
static size_t chunk_limit = 4096; /* chunks a test may take */

static void *grow(void *ctx, size_t bytes)
{
    (void)ctx;
    if (nchunks >= chunk_limit || nchunks >= 4096)
        return NULL;
    void *p = aligned_alloc(4096, bytes);
    if (p)
        chunks[nchunks++] = p;
    return p;
}

static struct heap heap;

static void setup(void)
{
    nchunks = 0;
    chunk_limit = 4096;
    heap_init(&heap, grow, NULL, REGION);
}

static void teardown(void)
{
    for (unsigned i = 0; i < nchunks; i++)
        free(chunks[i]);
    nchunks = 0;
}

static void check_invariants(void)
{
    const char *err = heap_check(&heap);
    if (err)
        fprintf(stderr, "  heap_check: %s\n", err);
    CHECK(err == NULL);
}

static void test_alloc_alignment_and_sizes(void)
{
    setup();
    for (size_t n = 0; n < 300; n++) {
        char *p = heap_alloc(&heap, n);
        CHECK(p != NULL);
        CHECK((uintptr_t)p % HEAP_ALIGN == 0);
        CHECK(heap_usable_size(&heap, p) >= n);
        memset(p, 0xab, n);
    }
    check_invariants();
    CHECK_EQ(nchunks, 1);
    teardown();
}

/* Freeing the middle block last merges all three into one free block again. */
static void test_coalescing(void)
{
    setup();
    void *a = heap_alloc(&heap, 100);
    void *b = heap_alloc(&heap, 200);
    void *c = heap_alloc(&heap, 300);
    size_t free_before = heap.free_bytes;
    CHECK_EQ(heap_free(&heap, a), HEAP_OK);
    CHECK_EQ(heap_free(&heap, c), HEAP_OK);
    check_invariants();
    CHECK_EQ(heap_free(&heap, b), HEAP_OK);
    check_invariants();
    CHECK_EQ(heap.used_bytes, 0);
    CHECK(heap.free_bytes > free_before);
    /* Everything is one block again: the largest request the region can hold fits. */
    void *big = heap_alloc(&heap, REGION - 64);
    CHECK(big != NULL);
    CHECK_EQ(nchunks, 1);
    check_invariants();
    teardown();
}

/* A freed block is reused by the next request of the same size. */
static void test_reuse(void)
{
    setup();
    void *a = heap_alloc(&heap, 64);
    heap_alloc(&heap, 64); /* keeps a from merging with the rest */
    heap_free(&heap, a);
    CHECK(heap_alloc(&heap, 64) == a);
    check_invariants();
    teardown();
}

static void test_double_and_invalid_free(void)
{
    setup();
    char *a = heap_alloc(&heap, 40);
    char *b = heap_alloc(&heap, 40);
    CHECK_EQ(heap_free(&heap, a), HEAP_OK);
    CHECK_EQ(heap_free(&heap, a), HEAP_DOUBLE_FREE);
    CHECK_EQ(heap_free(&heap, b + 16), HEAP_INVALID_FREE); /* inside a block */
    CHECK_EQ(heap_free(&heap, b + 1), HEAP_INVALID_FREE);  /* misaligned */
    static char outside[64] __attribute__((aligned(16)));
    CHECK_EQ(heap_free(&heap, outside + 16), HEAP_INVALID_FREE); /* not heap memory */
    CHECK_EQ(heap_free(&heap, NULL), HEAP_OK);
    check_invariants(); /* the refused frees changed nothing */
    CHECK_EQ(heap_free(&heap, b), HEAP_OK);
    CHECK_EQ(heap_free(&heap, b), HEAP_DOUBLE_FREE); /* b merged with a and the rest */
    void *out;
    CHECK_EQ(heap_realloc(&heap, b, 10, &out), HEAP_DOUBLE_FREE);
    CHECK_EQ(heap_usable_size(&heap, b), 0);
    check_invariants();
    teardown();
}

static void test_aligned(void)
{
    setup();
    for (size_t align = 1; align <= 8192; align *= 2) {
        for (size_t n = 1; n < 2000; n += 333) {
            char *p = heap_alloc_aligned(&heap, align, n);
            CHECK(p != NULL);
            CHECK((uintptr_t)p % align == 0);
            memset(p, 0x5a, n);
            check_invariants();
            if ((n / 333) % 2)
                CHECK_EQ(heap_free(&heap, p), HEAP_OK);
        }
    }
    CHECK(heap_alloc_aligned(&heap, 48, 10) == NULL); /* not a power of two */
    CHECK(heap_alloc_aligned(&heap, 0, 10) == NULL);
    check_invariants();
    teardown();
}

static void test_realloc(void)
{
    setup();
    void *out;
    CHECK_EQ(heap_realloc(&heap, NULL, 10, &out), HEAP_OK); /* like malloc */
    unsigned char *p = out;
    for (int i = 0; i < 10; i++)
        p[i] = (unsigned char)i;
    /* Grow a lot (moves or grows in place), shrink, grow again: the data stays. */
    size_t sizes[] = {20, 5000, 7, 100000, 3};
    for (unsigned s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        CHECK_EQ(heap_realloc(&heap, p, sizes[s], &out), HEAP_OK);
        CHECK(out != NULL);
        p = out;
        size_t keep = sizes[s] < 3 ? sizes[s] : 3;
        for (size_t i = 0; i < keep; i++)
            CHECK_EQ(p[i], i);
        check_invariants();
    }
    CHECK_EQ(heap_free(&heap, p), HEAP_OK);
    CHECK_EQ(heap.used_bytes, 0);
    teardown();
}

/* When the page source is empty, allocation fails cleanly and the heap stays usable. */
static void test_out_of_memory(void)
{
    setup();
    chunk_limit = 2;
    void *p[64];
    unsigned n = 0;
    while (n < 64 && (p[n] = heap_alloc(&heap, 20000)) != NULL)
        n++;
    CHECK(n >= 3 && n < 64);
    CHECK(heap_alloc(&heap, (size_t)1 << 50) == NULL);
    void *out = &out;
    CHECK_EQ(heap_realloc(&heap, p[0], 1000000, &out), HEAP_OK);
    CHECK(out == NULL); /* p[0] is untouched and still in use */
    CHECK(heap_usable_size(&heap, p[0]) >= 20000);
    for (unsigned i = 0; i < n; i++)
        CHECK_EQ(heap_free(&heap, p[i]), HEAP_OK);
    check_invariants();
    CHECK_EQ(heap.used_bytes, 0);
    teardown();
}

/* ---- Random stress ---- */

#define SLOTS 256
#define STEPS 20000

struct slot {
    unsigned char *p;
    size_t n;
    unsigned char fill;
};

static uint64_t rng = 88172645463325252ull;

static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static size_t random_size(void)
{
    switch (next_random() % 4) {
    case 0:
        return next_random() % 32;
    case 1:
        return next_random() % 512;
    case 2:
        return next_random() % 4096;
    default:
        return next_random() % 70000;
    }
}

static int intact(const struct slot *s)
{
    for (size_t i = 0; i < s->n; i++) {
        if (s->p[i] != s->fill)
            return 0;
    }
    return 1;
}

static void fill_slot(struct slot *s, unsigned char *p, size_t n)
{
    s->p = p;
    s->n = n;
    s->fill = (unsigned char)(next_random() | 1);
    memset(p, s->fill, n);
}

static void stress_step(struct slot *s)
{
    unsigned op = (unsigned)(next_random() % 3);
    if (s->p && op == 0) {
        CHECK(intact(s));
        CHECK_EQ(heap_free(&heap, s->p), HEAP_OK);
        s->p = NULL;
    } else if (s->p && op == 1) {
        size_t n = random_size();
        void *out;
        CHECK_EQ(heap_realloc(&heap, s->p, n, &out), HEAP_OK);
        CHECK(out != NULL);
        s->n = n < s->n ? n : s->n;
        s->p = out;
        CHECK(intact(s));
        fill_slot(s, out, n);
    } else if (!s->p) {
        size_t align = (size_t)1 << (next_random() % 10);
        size_t n = random_size();
        unsigned char *p = op == 2 ? heap_alloc_aligned(&heap, align, n) : heap_alloc(&heap, n);
        CHECK(p != NULL);
        CHECK(op != 2 || (uintptr_t)p % align == 0);
        fill_slot(s, p, n);
    }
}

static void test_random_stress(void)
{
    static struct slot slots[SLOTS];
    setup();
    memset(slots, 0, sizeof slots);
    int bad = 0;
    for (unsigned step = 0; step < STEPS && !bad; step++) {
        int before = unit_failed_checks;
        stress_step(&slots[next_random() % SLOTS]);
        const char *err = heap_check(&heap);
        if (err)
            fprintf(stderr, "  step %u: heap_check: %s\n", step, err);
        CHECK(err == NULL);
        bad = unit_failed_checks != before;
    }
    for (unsigned i = 0; i < SLOTS; i++) {
        if (slots[i].p) {
            CHECK(intact(&slots[i]));
            CHECK_EQ(heap_free(&heap, slots[i].p), HEAP_OK);
        }
    }
    check_invariants();
    CHECK_EQ(heap.used_bytes, 0);
    teardown();
}

int main(void)
{
    unit_run("heap", "alloc_alignment_and_sizes", test_alloc_alignment_and_sizes);
    unit_run("heap", "coalescing", test_coalescing);
    unit_run("heap", "reuse", test_reuse);
    unit_run("heap", "double_and_invalid_free", test_double_and_invalid_free);
    unit_run("heap", "aligned", test_aligned);
    unit_run("heap", "realloc", test_realloc);
    unit_run("heap", "out_of_memory", test_out_of_memory);
    unit_run("heap", "random_stress", test_random_stress);
    return unit_exit_code();
}
