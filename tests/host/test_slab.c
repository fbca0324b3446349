/* test_slab.c - host tests for kernel/mm/slab.c (the slab object allocator). */
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include <mica/slab.h>
#include <mica/errno.h>

/* ---- a backend on top of aligned_alloc, with accounting and failure injection ---- */

static long backend_pages;    /* pages handed out and not yet returned */
static long backend_fail_in;  /* fail the n-th next call (1 = next); 0 = never */
static bool backend_misalign; /* return memory offset from the requested alignment */

static void *test_alloc_pages(unsigned order)
{
    size_t bytes = (size_t)4096 << order;
    if (backend_fail_in > 0 && --backend_fail_in == 0)
        return NULL;
    char *p = aligned_alloc(bytes * 2, bytes * 2);
    if (p == NULL)
        return NULL;
    backend_pages += 1L << order;
    return backend_misalign ? p + 4096 : p;
}

static void test_free_pages(void *addr, unsigned order)
{
    size_t bytes = (size_t)4096 << order;
    uintptr_t a = (uintptr_t)addr & ~(uintptr_t)(bytes * 2 - 1);
    backend_pages -= 1L << order;
    free((void *)a);
}

static const struct slab_backend backend = {test_alloc_pages, test_free_pages};

static void backend_reset(void)
{
    backend_pages = 0;
    backend_fail_in = 0;
    backend_misalign = false;
}

/* Stats must agree with themselves and with the cache's own fields. */
static void check_stats(struct kmem_cache *c, uint64_t live)
{
    struct slab_stats s;
    kmem_cache_get_stats(c, &s);
    CHECK_EQ(s.objects_in_use, live);
    CHECK_EQ(s.allocs - s.frees, live);
    CHECK_EQ(s.slabs, s.slabs_full + s.slabs_partial + s.slabs_empty);
    CHECK_EQ(s.objects_total, s.slabs * c->objs_per_slab);
    CHECK_EQ(s.pages, s.slabs << c->order);
    CHECK(s.objects_in_use <= s.objects_total);
    CHECK(s.slabs_empty <= 1);
    CHECK(!spin_is_locked(&c->lock));
}

static void test_init_errors(void)
{
    struct kmem_cache c;
    struct slab_backend half = {test_alloc_pages, NULL};
    CHECK_EQ(kmem_cache_init(&c, "x", 0, 8, &backend), -EINVAL);
    CHECK_EQ(kmem_cache_init(&c, "x", 32, 0, &backend), -EINVAL);
    CHECK_EQ(kmem_cache_init(&c, "x", 32, 3, &backend), -EINVAL);
    CHECK_EQ(kmem_cache_init(&c, "x", 32, 24, &backend), -EINVAL);
    CHECK_EQ(kmem_cache_init(&c, "x", 65537, 8, &backend), -EINVAL);
    CHECK_EQ(kmem_cache_init(&c, "x", SIZE_MAX, 8, &backend), -EINVAL);
    CHECK_EQ(kmem_cache_init(&c, "x", 16, 131072, &backend), -EINVAL); /* rounds to 128 KiB */
    CHECK_EQ(kmem_cache_init(&c, "x", 40000, 65536, &backend), 0);     /* exactly 64 KiB */
    CHECK_EQ(kmem_cache_init(&c, "x", 32, 8, NULL), -EINVAL);
    CHECK_EQ(kmem_cache_init(&c, "x", 32, 8, &half), -EINVAL);
    CHECK_EQ(kmem_cache_init(&c, "x", 65536, 1, &backend), 0);
    CHECK_EQ(kmem_cache_init(&c, "x", 1, 1, &backend), 0);
}

static void test_init_layout(void)
{
    struct kmem_cache c;
    CHECK_EQ(kmem_cache_init(&c, "tiny", 1, 1, &backend), 0);
    CHECK_EQ(c.order, 0);
    CHECK(c.align >= 8);
    CHECK(c.objs_per_slab >= 1 && c.objs_per_slab <= 256);
    CHECK_EQ(kmem_cache_init(&c, "k32", 32, 8, &backend), 0);
    CHECK_EQ(c.order, 0);
    CHECK(c.objs_per_slab >= 100);
    CHECK_EQ(kmem_cache_init(&c, "k1024", 1024, 8, &backend), 0);
    CHECK_EQ(c.order, 0);
    CHECK_EQ(c.objs_per_slab, 3);
    CHECK_EQ(kmem_cache_init(&c, "k1025", 1025, 8, &backend), 0);
    CHECK(c.order > 0);
    CHECK(c.objs_per_slab >= 8);
    CHECK(c.first + c.objs_per_slab * c.stride <= ((size_t)4096 << c.order));
    CHECK_EQ(kmem_cache_init(&c, "k64k", 65536, 8, &backend), 0);
    CHECK(c.objs_per_slab >= 8);
    /* The order is the smallest holding 8: one order less holds fewer. */
    CHECK((((size_t)4096 << (c.order - 1)) - c.first) / c.stride < 8);
}

static void test_alloc_basic(void)
{
    struct kmem_cache c;
    backend_reset();
    CHECK_EQ(kmem_cache_init(&c, "basic", 100, 8, &backend), 0);
    void *a = kmem_cache_alloc(&c);
    void *b = kmem_cache_alloc(&c);
    CHECK(a != NULL && b != NULL && a != b);
    CHECK_EQ((uintptr_t)a % 8, 0);
    CHECK((char *)b >= (char *)a + 100 || (char *)a >= (char *)b + 100);
    memset(a, 0xaa, 100);
    memset(b, 0xbb, 100);
    CHECK(slab_cache_of(a) == &c);
    CHECK(slab_cache_of(b) == &c);
    CHECK_EQ(backend_pages, 1);
    check_stats(&c, 2);
    CHECK_EQ(kmem_cache_free(&c, a), 0);
    CHECK_EQ(kmem_cache_free(&c, b), 0);
    check_stats(&c, 0);
    CHECK_EQ(kmem_cache_shrink(&c), 1);
    CHECK_EQ(backend_pages, 0);
}

static void test_alignment_honoured(void)
{
    static const size_t sizes[] = {1, 8, 24, 100, 700, 1500, 5000};
    static const size_t aligns[] = {1, 8, 16, 64, 256, 4096};
    backend_reset();
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        for (size_t j = 0; j < sizeof(aligns) / sizeof(aligns[0]); j++) {
            struct kmem_cache c;
            void *objs[40];
            CHECK_EQ(kmem_cache_init(&c, "align", sizes[i], aligns[j], &backend), 0);
            for (int k = 0; k < 40; k++) {
                objs[k] = kmem_cache_alloc(&c);
                CHECK(objs[k] != NULL);
                CHECK_EQ((uintptr_t)objs[k] % aligns[j], 0);
                CHECK_EQ((uintptr_t)objs[k] % 8, 0);
                memset(objs[k], k, sizes[i]);
            }
            for (int k = 0; k < 40; k++)
                CHECK_EQ(kmem_cache_free(&c, objs[k]), 0);
            kmem_cache_shrink(&c);
        }
    }
    CHECK_EQ(backend_pages, 0);
}

static void test_free_errors(void)
{
    struct kmem_cache c;
    backend_reset();
    CHECK_EQ(kmem_cache_init(&c, "errs", 1000, 8, &backend), 0);
    char *a = kmem_cache_alloc(&c);
    char *b = kmem_cache_alloc(&c);
    CHECK(a != NULL && b != NULL);
    char *slab = (char *)((uintptr_t)a & ~(uintptr_t)4095);
    CHECK_EQ(kmem_cache_free(&c, NULL), -EINVAL);
    CHECK_EQ(kmem_cache_free(&c, a + 1), -EINVAL);   /* interior */
    CHECK_EQ(kmem_cache_free(&c, a + 512), -EINVAL); /* interior */
    CHECK_EQ(kmem_cache_free(&c, slab), -EINVAL);    /* the header */
    CHECK_EQ(kmem_cache_free(&c, slab + c.first + c.objs_per_slab * c.stride), -EINVAL); /* tail */
    CHECK_EQ(kmem_cache_free(&c, slab + c.first + 2 * c.stride), -EINVAL); /* never allocated */
    check_stats(&c, 2);
    CHECK_EQ(kmem_cache_free(&c, a), 0);
    CHECK_EQ(kmem_cache_free(&c, a), -EINVAL); /* double free */
    check_stats(&c, 1);
    CHECK_EQ(kmem_cache_free(&c, b), 0);
    CHECK_EQ(kmem_cache_free(&c, b), -EINVAL); /* double free of the last object */
    check_stats(&c, 0);
    kmem_cache_shrink(&c);
    CHECK_EQ(backend_pages, 0);

    /* Tiny objects: 256 fit the bitmap, the rest of the page is unused. */
    CHECK_EQ(kmem_cache_init(&c, "tiny", 8, 8, &backend), 0);
    CHECK_EQ(c.objs_per_slab, 256);
    a = kmem_cache_alloc(&c);
    slab = (char *)((uintptr_t)a & ~(uintptr_t)4095);
    CHECK_EQ(kmem_cache_free(&c, slab + c.first + 256 * 8), -EINVAL);
    CHECK_EQ(kmem_cache_free(&c, slab + c.first + 300 * 8), -EINVAL);
    CHECK_EQ(kmem_cache_free(&c, slab + 4088), -EINVAL);
    CHECK_EQ(kmem_cache_free(&c, a), 0);
    kmem_cache_shrink(&c);
    CHECK_EQ(backend_pages, 0);
}

static void test_wrong_cache(void)
{
    struct kmem_cache small, other, big;
    backend_reset();
    CHECK_EQ(kmem_cache_init(&small, "small", 64, 8, &backend), 0);
    CHECK_EQ(kmem_cache_init(&other, "other", 64, 8, &backend), 0);
    CHECK_EQ(kmem_cache_init(&big, "big", 3000, 8, &backend), 0);
    void *s = kmem_cache_alloc(&small);
    void *o = kmem_cache_alloc(&other);
    void *g = kmem_cache_alloc(&big);
    CHECK(s != NULL && o != NULL && g != NULL);
    CHECK_EQ(kmem_cache_free(&other, s), -EINVAL);
    CHECK_EQ(kmem_cache_free(&small, o), -EINVAL);
    CHECK_EQ(kmem_cache_free(&small, g), -EINVAL); /* g's page starts with big's header */
    void *heap = aligned_alloc(4096, 4096);
    memset(heap, 0, 4096);
    CHECK_EQ(kmem_cache_free(&small, (char *)heap + 64), -EINVAL); /* not a slab at all */
    free(heap);
    check_stats(&small, 1);
    check_stats(&other, 1);
    CHECK_EQ(kmem_cache_free(&small, s), 0);
    CHECK_EQ(kmem_cache_free(&other, o), 0);
    CHECK_EQ(kmem_cache_free(&big, g), 0);
    kmem_cache_shrink(&small);
    kmem_cache_shrink(&other);
    kmem_cache_shrink(&big);
    CHECK_EQ(backend_pages, 0);
}

static void test_lists_move(void)
{
    struct kmem_cache c;
    struct slab_stats s;
    backend_reset();
    CHECK_EQ(kmem_cache_init(&c, "lists", 512, 8, &backend), 0);
    unsigned n = c.objs_per_slab;
    void *objs[64];
    CHECK(n + 1 <= 64);
    for (unsigned i = 0; i < n; i++)
        objs[i] = kmem_cache_alloc(&c);
    kmem_cache_get_stats(&c, &s);
    CHECK_EQ(s.slabs_full, 1);
    CHECK_EQ(s.slabs_partial, 0);
    objs[n] = kmem_cache_alloc(&c);
    kmem_cache_get_stats(&c, &s);
    CHECK_EQ(s.slabs_full, 1);
    CHECK_EQ(s.slabs_partial, 1);
    CHECK_EQ(s.slabs, 2);
    CHECK_EQ(kmem_cache_free(&c, objs[0]), 0); /* full -> partial */
    kmem_cache_get_stats(&c, &s);
    CHECK_EQ(s.slabs_full, 0);
    CHECK_EQ(s.slabs_partial, 2);
    CHECK_EQ(kmem_cache_free(&c, objs[n]), 0); /* partial -> empty */
    kmem_cache_get_stats(&c, &s);
    CHECK_EQ(s.slabs_partial, 1);
    CHECK_EQ(s.slabs_empty, 1);
    check_stats(&c, n - 1);
    for (unsigned i = 1; i < n; i++)
        CHECK_EQ(kmem_cache_free(&c, objs[i]), 0);
    check_stats(&c, 0);
    CHECK_EQ(kmem_cache_shrink(&c), 1);
    CHECK_EQ(backend_pages, 0);
}

static void test_reuse_freed_object(void)
{
    struct kmem_cache c;
    backend_reset();
    CHECK_EQ(kmem_cache_init(&c, "reuse", 48, 16, &backend), 0);
    void *objs[10];
    for (int i = 0; i < 10; i++)
        objs[i] = kmem_cache_alloc(&c);
    CHECK_EQ(kmem_cache_free(&c, objs[4]), 0);
    CHECK(kmem_cache_alloc(&c) == objs[4]); /* partial slabs are used first */
    CHECK_EQ(backend_pages, 1);
    for (int i = 0; i < 10; i++)
        CHECK_EQ(kmem_cache_free(&c, objs[i]), 0);
    kmem_cache_shrink(&c);
}

static void test_keeps_one_empty_slab(void)
{
    struct kmem_cache c;
    struct slab_stats s;
    static void *objs[3 * 256];
    backend_reset();
    CHECK_EQ(kmem_cache_init(&c, "keep", 256, 8, &backend), 0);
    unsigned n = 3 * c.objs_per_slab;
    for (unsigned i = 0; i < n; i++)
        objs[i] = kmem_cache_alloc(&c);
    CHECK_EQ(backend_pages, 3);
    for (unsigned i = 0; i < n; i++)
        CHECK_EQ(kmem_cache_free(&c, objs[i]), 0);
    kmem_cache_get_stats(&c, &s);
    CHECK_EQ(s.slabs, 1);
    CHECK_EQ(s.slabs_empty, 1);
    CHECK_EQ(backend_pages, 1);
    /* The kept slab serves the next allocation without the backend. */
    backend_fail_in = 1;
    void *x = kmem_cache_alloc(&c);
    CHECK(x != NULL);
    CHECK_EQ(backend_fail_in, 1);
    backend_fail_in = 0;
    CHECK_EQ(kmem_cache_free(&c, x), 0);
    CHECK_EQ(kmem_cache_shrink(&c), 1);
    CHECK_EQ(backend_pages, 0);
}

static void test_shrink(void)
{
    struct kmem_cache c;
    backend_reset();
    CHECK_EQ(kmem_cache_init(&c, "shrink", 5000, 8, &backend), 0);
    CHECK_EQ(kmem_cache_shrink(&c), 0); /* nothing to give back */
    void *a = kmem_cache_alloc(&c);
    CHECK(a != NULL);
    CHECK_EQ(kmem_cache_shrink(&c), 0); /* the slab is in use */
    CHECK_EQ(backend_pages, 1L << c.order);
    CHECK_EQ(kmem_cache_free(&c, a), 0);
    CHECK_EQ(kmem_cache_shrink(&c), (size_t)1 << c.order);
    CHECK_EQ(backend_pages, 0);
    check_stats(&c, 0);
    struct slab_stats s;
    kmem_cache_get_stats(&c, &s);
    CHECK_EQ(s.slabs, 0);
    CHECK_EQ(s.pages, 0);
    /* The cache still works after shrinking. */
    a = kmem_cache_alloc(&c);
    CHECK(a != NULL);
    CHECK_EQ(kmem_cache_free(&c, a), 0);
    kmem_cache_shrink(&c);
}

static void test_backend_out_of_memory(void)
{
    struct kmem_cache c;
    backend_reset();
    CHECK_EQ(kmem_cache_init(&c, "oom", 2048, 8, &backend), 0);
    backend_fail_in = 1;
    CHECK(kmem_cache_alloc(&c) == NULL);
    check_stats(&c, 0);
    struct slab_stats s;
    kmem_cache_get_stats(&c, &s);
    CHECK_EQ(s.allocs, 0);
    CHECK_EQ(s.slabs, 0);
    void *a = kmem_cache_alloc(&c); /* the backend recovered */
    CHECK(a != NULL);
    CHECK_EQ(kmem_cache_free(&c, a), 0);
    kmem_cache_shrink(&c);
    CHECK_EQ(backend_pages, 0);
}

static void test_backend_misaligned(void)
{
    struct kmem_cache c;
    backend_reset();
    CHECK_EQ(kmem_cache_init(&c, "misaligned", 3000, 8, &backend), 0);
    backend_misalign = true;
    CHECK(kmem_cache_alloc(&c) == NULL); /* refused, and the memory went back */
    CHECK_EQ(backend_pages, 0);
    backend_misalign = false;
    check_stats(&c, 0);
}

static void test_cache_of(void)
{
    struct kmem_cache c, big;
    backend_reset();
    CHECK(slab_cache_of(NULL) == NULL);
    char *page = aligned_alloc(4096, 4096);
    memset(page, 0, 4096);
    CHECK(slab_cache_of(page + 100) == NULL);
    free(page);
    CHECK_EQ(kmem_cache_init(&c, "of", 200, 8, &backend), 0);
    CHECK_EQ(kmem_cache_init(&big, "of-big", 2000, 8, &backend), 0);
    void *objs[30];
    for (int i = 0; i < 30; i++) {
        objs[i] = kmem_cache_alloc(&c);
        CHECK(slab_cache_of(objs[i]) == &c);
        CHECK(slab_cache_of((char *)objs[i] + 199) == &c);
    }
    void *g = kmem_cache_alloc(&big); /* the first object shares the header's page */
    CHECK(slab_cache_of(g) == &big);
    for (int i = 0; i < 30; i++)
        CHECK_EQ(kmem_cache_free(&c, objs[i]), 0);
    CHECK_EQ(kmem_cache_free(&big, g), 0);
    kmem_cache_shrink(&c);
    kmem_cache_shrink(&big);
    CHECK_EQ(backend_pages, 0);
}

/* ---- randomized stress over several caches ---- */

#define NCACHES 9
#define MAXLIVE 4000

struct live_obj {
    unsigned char *p;
    unsigned cache;
    uint32_t serial;
};

static const size_t stress_size[NCACHES] = {8, 24, 64, 200, 1000, 1024, 1500, 4000, 9000};
static const size_t stress_align[NCACHES] = {8, 8, 64, 8, 16, 1024, 8, 256, 4096};

/* Fill an object with a pattern only it has; overlap would corrupt another's. */
static void fill(unsigned char *p, size_t n, uint32_t serial)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(serial * 31 + i);
}

static bool intact(const unsigned char *p, size_t n, uint32_t serial)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != (unsigned char)(serial * 31 + i))
            return false;
    }
    return true;
}

static void stress_check_all(struct kmem_cache *caches, const uint64_t *live_per_cache)
{
    long pages = 0;
    for (unsigned k = 0; k < NCACHES; k++) {
        struct slab_stats s;
        check_stats(&caches[k], live_per_cache[k]);
        kmem_cache_get_stats(&caches[k], &s);
        pages += (long)s.pages;
    }
    CHECK_EQ(pages, backend_pages);
}

static void test_random_stress(void)
{
    static struct kmem_cache caches[NCACHES];
    static struct live_obj live[MAXLIVE];
    uint64_t live_per_cache[NCACHES] = {0};
    unsigned nlive = 0;
    uint32_t serial = 0;
    int failed_before = unit_failed_checks;
    backend_reset();
    for (unsigned k = 0; k < NCACHES; k++)
        CHECK_EQ(kmem_cache_init(&caches[k], "stress", stress_size[k], stress_align[k], &backend),
                 0);
    srand(7);
    for (int round = 0; round < 40000 && unit_failed_checks == failed_before; round++) {
        if (nlive < MAXLIVE && (nlive == 0 || rand() % 100 < 52)) {
            unsigned k = (unsigned)rand() % NCACHES;
            unsigned char *p = kmem_cache_alloc(&caches[k]);
            CHECK(p != NULL);
            if (p == NULL)
                break;
            CHECK_EQ((uintptr_t)p % stress_align[k], 0);
            if (caches[k].order == 0)
                CHECK(slab_cache_of(p) == &caches[k]);
            fill(p, stress_size[k], serial);
            live[nlive++] = (struct live_obj){p, k, serial++};
            live_per_cache[k]++;
        } else {
            unsigned i = (unsigned)rand() % nlive;
            struct live_obj o = live[i];
            live[i] = live[--nlive];
            CHECK(intact(o.p, stress_size[o.cache], o.serial));
            CHECK_EQ(kmem_cache_free(&caches[o.cache], o.p), 0);
            live_per_cache[o.cache]--;
            if (rand() % 16 == 0)
                CHECK_EQ(kmem_cache_free(&caches[o.cache], o.p), -EINVAL);
        }
        if (round % 1000 == 0)
            stress_check_all(caches, live_per_cache);
    }
    for (unsigned i = 0; i < nlive; i++) {
        CHECK(intact(live[i].p, stress_size[live[i].cache], live[i].serial));
        CHECK_EQ(kmem_cache_free(&caches[live[i].cache], live[i].p), 0);
        live_per_cache[live[i].cache]--;
    }
    stress_check_all(caches, live_per_cache);
    long expect = backend_pages;
    long released = 0;
    for (unsigned k = 0; k < NCACHES; k++)
        released += (long)kmem_cache_shrink(&caches[k]);
    CHECK_EQ(released, expect);
    CHECK_EQ(backend_pages, 0);
}

int main(void)
{
    unit_run("slab", "init_errors", test_init_errors);
    unit_run("slab", "init_layout", test_init_layout);
    unit_run("slab", "alloc_basic", test_alloc_basic);
    unit_run("slab", "alignment_honoured", test_alignment_honoured);
    unit_run("slab", "free_errors", test_free_errors);
    unit_run("slab", "wrong_cache", test_wrong_cache);
    unit_run("slab", "lists_move", test_lists_move);
    unit_run("slab", "reuse_freed_object", test_reuse_freed_object);
    unit_run("slab", "keeps_one_empty_slab", test_keeps_one_empty_slab);
    unit_run("slab", "shrink", test_shrink);
    unit_run("slab", "backend_out_of_memory", test_backend_out_of_memory);
    unit_run("slab", "backend_misaligned", test_backend_misaligned);
    unit_run("slab", "cache_of", test_cache_of);
    unit_run("slab", "random_stress", test_random_stress);
    return unit_exit_code();
}
