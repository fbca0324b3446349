/* test_buddy.c - host tests for kernel/mm/buddy.c (the buddy page allocator). */
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include <mica/buddy.h>
#include <mica/errno.h>

#define MAXPAGES 8192

static struct page pages[MAXPAGES];
static struct buddy b;

/*
 * Check the allocator's internal structure: every free list is well linked,
 * holds aligned blocks of its order inside the span, no two free blocks
 * overlap, counts match, and no free block has a free buddy of its own
 * order (free blocks are maximal).  Returns the pages found free.
 */
static uint64_t check_invariants(struct buddy *a)
{
    static uint8_t covered[MAXPAGES];
    uint64_t free_pages = 0;
    memset(covered, 0, sizeof(covered));
    for (unsigned k = 0; k < BUDDY_ORDERS; k++) {
        uint64_t n = 0;
        uint32_t prev = BUDDY_NONE;
        for (uint32_t i = a->free_head[k]; i != BUDDY_NONE; i = a->pages[i].next) {
            uint64_t pfn = a->base_pfn + i;
            uint64_t size = 1ull << k;
            CHECK(i < a->npages);
            CHECK(a->pages[i].prev == prev);
            CHECK(a->pages[i].flags & PG_FREE);
            CHECK(!(a->pages[i].flags & PG_RESERVED));
            CHECK_EQ(a->pages[i].order, k);
            CHECK_EQ(pfn % size, 0);
            CHECK(i + size <= a->npages);
            for (uint64_t j = i; j < i + size && j < a->npages; j++) {
                CHECK(!covered[j]);
                covered[j] = 1;
                if (j != i)
                    CHECK(!(a->pages[j].flags & PG_FREE));
            }
            uint64_t buddy = pfn ^ size;
            if (k + 1 < BUDDY_ORDERS && buddy >= a->base_pfn && buddy - a->base_pfn < a->npages) {
                const struct page *bp = &a->pages[buddy - a->base_pfn];
                CHECK(!((bp->flags & PG_FREE) && bp->order == k));
            }
            free_pages += size;
            prev = i;
            n++;
            if (n > a->npages)
                break; /* a cycle */
        }
        CHECK_EQ(n, a->free_blocks[k]);
    }
    CHECK_EQ(free_pages, a->free_pages);
    CHECK(a->free_pages <= a->managed_pages);
    return free_pages;
}

static void test_page_is_16_bytes(void)
{
    CHECK_EQ(sizeof(struct page), 16);
}

static void test_init_all_reserved(void)
{
    buddy_init(&b, 100, 1000, pages);
    struct buddy_stats s;
    buddy_get_stats(&b, &s);
    CHECK_EQ(s.managed_pages, 0);
    CHECK_EQ(s.free_pages, 0);
    CHECK_EQ(s.used_pages, 0);
    for (unsigned k = 0; k < BUDDY_ORDERS; k++)
        CHECK_EQ(s.free_blocks[k], 0);
    for (unsigned i = 0; i < 1000; i++)
        CHECK(pages[i].flags == PG_RESERVED);
    uint64_t pfn = 0;
    CHECK_EQ(buddy_alloc(&b, 0, &pfn), -ENOMEM);
    CHECK_EQ(buddy_free(&b, 100, 0), -EINVAL); /* reserved */
    check_invariants(&b);
}

static void test_page_lookup(void)
{
    buddy_init(&b, 100, 1000, pages);
    CHECK(buddy_page(&b, 100) == &pages[0]);
    CHECK(buddy_page(&b, 1099) == &pages[999]);
    CHECK(buddy_page(&b, 99) == NULL);
    CHECK(buddy_page(&b, 1100) == NULL);
    CHECK(buddy_page(&b, UINT64_MAX) == NULL);
}

static void test_add_free_splits_into_aligned_blocks(void)
{
    buddy_init(&b, 0, 64, pages);
    CHECK_EQ(buddy_add_free(&b, 1, 14), 0); /* pfns 1..14 */
    /* 1 (order 0), 2-3 (1), 4-7 (2), 8-11 (2), 12-13 (1), 14 (0) */
    CHECK_EQ(b.free_blocks[0], 2);
    CHECK_EQ(b.free_blocks[1], 2);
    CHECK_EQ(b.free_blocks[2], 2);
    CHECK_EQ(b.free_blocks[3], 0);
    CHECK_EQ(b.free_pages, 14);
    CHECK_EQ(b.managed_pages, 14);
    CHECK(pages[4].flags & PG_FREE);
    CHECK_EQ(pages[4].order, 2);
    CHECK(!(pages[5].flags & PG_FREE));
    CHECK(pages[0].flags & PG_RESERVED);
    CHECK(pages[15].flags & PG_RESERVED);
    check_invariants(&b);
}

static void test_add_free_coalesces(void)
{
    buddy_init(&b, 0, 2048, pages);
    CHECK_EQ(buddy_add_free(&b, 0, 512), 0);
    CHECK_EQ(b.free_blocks[9], 1);
    CHECK_EQ(buddy_add_free(&b, 512, 512), 0);
    CHECK_EQ(b.free_blocks[9], 0);
    CHECK_EQ(b.free_blocks[10], 1);
    /* Blocks never grow beyond the largest order. */
    CHECK_EQ(buddy_add_free(&b, 1024, 1024), 0);
    CHECK_EQ(b.free_blocks[10], 2);
    CHECK_EQ(buddy_add_free(&b, 0, 0), 0); /* an empty range changes nothing */
    CHECK_EQ(b.managed_pages, 2048);
    check_invariants(&b);
}

static void test_add_free_errors(void)
{
    buddy_init(&b, 100, 1000, pages);
    CHECK_EQ(buddy_add_free(&b, 99, 10), -EINVAL);          /* starts before the span */
    CHECK_EQ(buddy_add_free(&b, 1000, 101), -EINVAL);       /* ends after the span */
    CHECK_EQ(buddy_add_free(&b, 1100, 1), -EINVAL);         /* starts at the end */
    CHECK_EQ(buddy_add_free(&b, 200, UINT64_MAX), -EINVAL); /* would wrap */
    CHECK_EQ(b.managed_pages, 0);
    CHECK_EQ(buddy_add_free(&b, 200, 100), 0);
    CHECK_EQ(buddy_add_free(&b, 250, 100), -EINVAL); /* overlaps free pages */
    CHECK_EQ(buddy_add_free(&b, 299, 1), -EINVAL);
    CHECK_EQ(b.managed_pages, 100);
    CHECK_EQ(b.free_pages, 100);
    uint64_t pfn;
    CHECK_EQ(buddy_alloc(&b, 0, &pfn), 0);
    CHECK_EQ(buddy_add_free(&b, pfn, 1), -EINVAL); /* allocated page */
    CHECK_EQ(buddy_add_free(&b, 1000, 100), 0);    /* exactly to the end */
    CHECK_EQ(b.managed_pages, 200);
    check_invariants(&b);
}

static void test_alloc_splits(void)
{
    buddy_init(&b, 0, 1024, pages);
    CHECK_EQ(buddy_add_free(&b, 0, 1024), 0);
    uint64_t pfn = 99;
    CHECK_EQ(buddy_alloc(&b, 0, &pfn), 0);
    CHECK_EQ(pfn, 0);
    /* The order-10 block was split down: one free block of each order 0..9. */
    for (unsigned k = 0; k < 10; k++)
        CHECK_EQ(b.free_blocks[k], 1);
    CHECK_EQ(b.free_blocks[10], 0);
    CHECK_EQ(b.free_pages, 1023);
    CHECK(!(pages[0].flags & PG_FREE));
    CHECK_EQ(buddy_alloc(&b, 0, &pfn), 0);
    CHECK_EQ(pfn, 1);
    CHECK_EQ(buddy_alloc(&b, 9, &pfn), 0);
    CHECK_EQ(pfn, 512);
    check_invariants(&b);
}

static void test_alloc_errors(void)
{
    buddy_init(&b, 0, 1024, pages);
    CHECK_EQ(buddy_add_free(&b, 0, 1024), 0);
    uint64_t pfn = 7;
    CHECK_EQ(buddy_alloc(&b, BUDDY_ORDERS, &pfn), -EINVAL);
    CHECK_EQ(buddy_alloc(&b, 100, &pfn), -EINVAL);
    CHECK_EQ(buddy_alloc(&b, 0, NULL), -EINVAL);
    CHECK_EQ(pfn, 7);
    CHECK_EQ(b.free_pages, 1024);
    CHECK_EQ(buddy_alloc(&b, 10, &pfn), 0);
    CHECK_EQ(buddy_alloc(&b, 0, &pfn), -ENOMEM);
    CHECK_EQ(buddy_free(&b, 0, 10), 0);
    CHECK_EQ(buddy_alloc(&b, 0, &pfn), 0);
}

static void test_exhaust_and_refill(void)
{
    buddy_init(&b, 3, 1000, pages);
    CHECK_EQ(buddy_add_free(&b, 3, 1000), 0);
    static uint64_t got[1000];
    unsigned n = 0;
    uint64_t pfn;
    while (buddy_alloc(&b, 0, &pfn) == 0) {
        CHECK(n < 1000);
        if (n >= 1000)
            break;
        got[n++] = pfn;
    }
    CHECK_EQ(n, 1000);
    CHECK_EQ(b.free_pages, 0);
    CHECK_EQ(buddy_alloc(&b, 0, &pfn), -ENOMEM);
    for (unsigned i = 0; i < n; i++)
        CHECK_EQ(buddy_free(&b, got[i], 0), 0);
    CHECK_EQ(b.free_pages, 1000);
    check_invariants(&b);
}

static void test_absolute_alignment(void)
{
    /* The span starts at an odd pfn; blocks are still aligned to physical addresses. */
    buddy_init(&b, 0x1003, 4000, pages);
    CHECK_EQ(buddy_add_free(&b, 0x1003, 4000), 0);
    uint64_t pfn;
    CHECK_EQ(buddy_alloc(&b, 9, &pfn), 0);
    CHECK_EQ(pfn % 512, 0);
    CHECK(pfn >= 0x1003 && pfn + 512 <= 0x1003 + 4000);
    CHECK_EQ((pfn * 4096) % (2u << 20), 0); /* 2 MiB aligned */
    CHECK_EQ(buddy_alloc(&b, 3, &pfn), 0);
    CHECK_EQ(pfn % 8, 0);
    CHECK_EQ(buddy_alloc(&b, 10, &pfn), 0);
    CHECK_EQ(pfn % 1024, 0);
    check_invariants(&b);
}

static void test_free_errors(void)
{
    buddy_init(&b, 16, 512, pages);
    CHECK_EQ(buddy_add_free(&b, 32, 256), 0); /* [16, 32) and [288, 528) stay reserved */
    uint64_t p4, p0;
    CHECK_EQ(buddy_alloc(&b, 2, &p4), 0);
    CHECK_EQ(buddy_alloc(&b, 0, &p0), 0);
    CHECK_EQ(buddy_free(&b, p4 + 1, 2), -EINVAL);        /* misaligned */
    CHECK_EQ(buddy_free(&b, p4, BUDDY_ORDERS), -EINVAL); /* bad order */
    CHECK_EQ(buddy_free(&b, 8, 0), -EINVAL);             /* below the span */
    CHECK_EQ(buddy_free(&b, 528, 0), -EINVAL);           /* past the span */
    CHECK_EQ(buddy_free(&b, 512, 5), -EINVAL);           /* runs past the span */
    CHECK_EQ(buddy_free(&b, 20, 0), -EINVAL);            /* reserved */
    CHECK_EQ(buddy_free(&b, 256, 6), -EINVAL);           /* partly reserved */
    CHECK_EQ(buddy_free(&b, 300, 0), -EINVAL);           /* reserved */
    CHECK_EQ(buddy_free(&b, 200, 0), -EINVAL);           /* inside a free block */
    CHECK_EQ(buddy_free(&b, 128, 7), -EINVAL);           /* a whole free block */
    CHECK_EQ(buddy_free(&b, 0, 10), -EINVAL);            /* covers free and reserved */
    struct buddy_stats s;
    buddy_get_stats(&b, &s);
    CHECK_EQ(s.used_pages, 5);
    CHECK_EQ(buddy_free(&b, p4, 2), 0);
    CHECK_EQ(buddy_free(&b, p4, 2), -EINVAL);     /* double free */
    CHECK_EQ(buddy_free(&b, p4 + 2, 1), -EINVAL); /* part of a freed block */
    CHECK_EQ(buddy_free(&b, p0, 0), 0);
    CHECK_EQ(buddy_free(&b, p0, 0), -EINVAL); /* double free */
    buddy_get_stats(&b, &s);
    CHECK_EQ(s.used_pages, 0);
    CHECK_EQ(s.free_pages, 256);
    check_invariants(&b);
}

static void test_free_coalesces(void)
{
    buddy_init(&b, 0, 1024, pages);
    CHECK_EQ(buddy_add_free(&b, 0, 1024), 0);
    uint64_t pfn[4];
    for (int i = 0; i < 4; i++)
        CHECK_EQ(buddy_alloc(&b, 8, &pfn[i]), 0);
    CHECK_EQ(b.free_pages, 0);
    CHECK_EQ(buddy_free(&b, pfn[0], 8), 0);
    CHECK_EQ(buddy_free(&b, pfn[2], 8), 0); /* not buddies: no merge */
    CHECK_EQ(b.free_blocks[8], 2);
    CHECK_EQ(buddy_free(&b, pfn[1], 8), 0); /* merges with pfn[0] */
    CHECK_EQ(b.free_blocks[8], 1);
    CHECK_EQ(b.free_blocks[9], 1);
    CHECK_EQ(buddy_free(&b, pfn[3], 8), 0); /* everything merges */
    CHECK_EQ(b.free_blocks[8], 0);
    CHECK_EQ(b.free_blocks[9], 0);
    CHECK_EQ(b.free_blocks[10], 1);
    check_invariants(&b);
}

static void test_free_part_of_allocation(void)
{
    /* A block may be given back in aligned pieces. */
    buddy_init(&b, 0, 1024, pages);
    CHECK_EQ(buddy_add_free(&b, 0, 1024), 0);
    uint64_t pfn;
    CHECK_EQ(buddy_alloc(&b, 3, &pfn), 0);
    for (unsigned i = 0; i < 8; i++)
        CHECK_EQ(buddy_free(&b, pfn + i, 0), 0);
    CHECK_EQ(b.free_pages, 1024);
    CHECK_EQ(b.free_blocks[10], 1);
    check_invariants(&b);
}

static void test_no_merge_outside_span(void)
{
    /* pfns 1 and 2: buddies 0 and 3 lie outside the span. */
    buddy_init(&b, 1, 2, pages);
    CHECK_EQ(buddy_add_free(&b, 1, 2), 0);
    CHECK_EQ(b.free_blocks[0], 2);
    CHECK_EQ(b.free_blocks[1], 0);
    uint64_t x, y;
    CHECK_EQ(buddy_alloc(&b, 0, &x), 0);
    CHECK_EQ(buddy_alloc(&b, 0, &y), 0);
    CHECK_EQ(buddy_alloc(&b, 1, &x), -ENOMEM);
    CHECK_EQ(buddy_free(&b, 1, 0), 0);
    CHECK_EQ(buddy_free(&b, 2, 0), 0);
    CHECK_EQ(b.free_blocks[0], 2);
    /* A reserved hole between two free pages keeps them apart too. */
    buddy_init(&b, 0, 4, pages);
    CHECK_EQ(buddy_add_free(&b, 0, 1), 0);
    CHECK_EQ(buddy_add_free(&b, 2, 2), 0);
    CHECK_EQ(b.free_blocks[0], 1);
    CHECK_EQ(b.free_blocks[1], 1);
    CHECK_EQ(b.free_blocks[2], 0);
    CHECK_EQ(buddy_add_free(&b, 1, 1), 0); /* the hole is filled: one order-2 block */
    CHECK_EQ(b.free_blocks[2], 1);
    CHECK_EQ(b.free_blocks[0], 0);
    check_invariants(&b);
}

static void test_caller_bits_preserved(void)
{
    buddy_init(&b, 0, 64, pages);
    CHECK_EQ(buddy_add_free(&b, 0, 64), 0);
    uint64_t pfn;
    CHECK_EQ(buddy_alloc(&b, 0, &pfn), 0);
    struct page *p = buddy_page(&b, pfn);
    p->flags |= 0x30;
    p->owner = 0xdeadbeef;
    p->spare = 0x1234;
    CHECK_EQ(buddy_free(&b, pfn, 0), 0);
    CHECK_EQ(p->flags & ~PG_BUDDY_MASK, 0x30);
    CHECK_EQ(p->owner, 0xdeadbeef);
    CHECK_EQ(p->spare, 0x1234);
    CHECK_EQ(buddy_alloc(&b, 0, &pfn), 0);
    CHECK(buddy_page(&b, pfn) == p);
    CHECK_EQ(p->flags & PG_BUDDY_MASK, 0);
    CHECK_EQ(p->flags & ~PG_BUDDY_MASK, 0x30);
    check_invariants(&b);
}

static void test_stats(void)
{
    buddy_init(&b, 0, 4096, pages);
    CHECK_EQ(buddy_add_free(&b, 0, 1000), 0);
    CHECK_EQ(buddy_add_free(&b, 2000, 2000), 0);
    uint64_t a, c;
    CHECK_EQ(buddy_alloc(&b, 4, &a), 0);
    CHECK_EQ(buddy_alloc(&b, 0, &c), 0);
    struct buddy_stats s;
    buddy_get_stats(&b, &s);
    CHECK_EQ(s.managed_pages, 3000);
    CHECK_EQ(s.free_pages, 3000 - 17);
    CHECK_EQ(s.used_pages, 17);
    uint64_t sum = 0;
    for (unsigned k = 0; k < BUDDY_ORDERS; k++) {
        CHECK_EQ(s.free_blocks[k], b.free_blocks[k]);
        sum += s.free_blocks[k] << k;
    }
    CHECK_EQ(sum, s.free_pages);
}

/* A block's pages are all managed, none handed out twice, none outside the span. */
struct alloc_rec {
    uint64_t pfn;
    unsigned order;
};

static void stress_setup(void)
{
    buddy_init(&b, 37, 5000, pages);
    CHECK_EQ(buddy_add_free(&b, 37, 963), 0);    /* [37, 1000) */
    CHECK_EQ(buddy_add_free(&b, 1200, 1800), 0); /* [1200, 3000) */
    CHECK_EQ(buddy_add_free(&b, 3001, 2036), 0); /* [3001, 5037) */
}

static void test_random_stress(void)
{
    static uint8_t in_use[MAXPAGES];
    static struct alloc_rec live[MAXPAGES];
    unsigned nlive = 0;
    int failed_before = unit_failed_checks;
    memset(in_use, 0, sizeof(in_use));
    stress_setup();
    uint64_t managed = b.managed_pages;
    srand(42);
    for (int round = 0; round < 30000 && unit_failed_checks == failed_before; round++) {
        bool do_alloc = nlive == 0 || rand() % 100 < 55;
        if (do_alloc) {
            unsigned order = (unsigned)(rand() % 4 == 0 ? rand() % BUDDY_ORDERS : rand() % 3);
            uint64_t pfn;
            int rc = buddy_alloc(&b, order, &pfn);
            if (rc == -ENOMEM)
                continue;
            CHECK_EQ(rc, 0);
            CHECK_EQ(pfn % (1ull << order), 0);
            CHECK(pfn >= 37 && pfn + (1ull << order) <= 37 + 5000);
            for (uint64_t p = pfn; p < pfn + (1ull << order); p++) {
                CHECK(!in_use[p - 37]);
                CHECK(!(p >= 1000 && p < 1200) && p != 3000); /* never a hole */
                in_use[p - 37] = 1;
            }
            live[nlive++] = (struct alloc_rec){pfn, order};
        } else {
            unsigned i = (unsigned)rand() % nlive;
            struct alloc_rec r = live[i];
            live[i] = live[--nlive];
            CHECK_EQ(buddy_free(&b, r.pfn, r.order), 0);
            for (uint64_t p = r.pfn; p < r.pfn + (1ull << r.order); p++)
                in_use[p - 37] = 0;
            if (rand() % 8 == 0)
                CHECK_EQ(buddy_free(&b, r.pfn, r.order), -EINVAL); /* double free */
        }
        uint64_t used = 0;
        for (unsigned i = 0; i < nlive; i++)
            used += 1ull << live[i].order;
        CHECK_EQ(b.managed_pages - b.free_pages, used);
        if (round % 500 == 0)
            check_invariants(&b);
    }
    while (nlive > 0) {
        nlive--;
        CHECK_EQ(buddy_free(&b, live[nlive].pfn, live[nlive].order), 0);
    }
    CHECK_EQ(b.free_pages, managed);
    CHECK_EQ(check_invariants(&b), managed);

    /* All memory back: the lists hold the same maximal blocks as at the start. */
    uint64_t after[BUDDY_ORDERS];
    memcpy(after, b.free_blocks, sizeof(after));
    stress_setup();
    for (unsigned k = 0; k < BUDDY_ORDERS; k++)
        CHECK_EQ(after[k], b.free_blocks[k]);
}

int main(void)
{
    unit_run("buddy", "page_is_16_bytes", test_page_is_16_bytes);
    unit_run("buddy", "init_all_reserved", test_init_all_reserved);
    unit_run("buddy", "page_lookup", test_page_lookup);
    unit_run("buddy", "add_free_splits_into_aligned_blocks",
             test_add_free_splits_into_aligned_blocks);
    unit_run("buddy", "add_free_coalesces", test_add_free_coalesces);
    unit_run("buddy", "add_free_errors", test_add_free_errors);
    unit_run("buddy", "alloc_splits", test_alloc_splits);
    unit_run("buddy", "alloc_errors", test_alloc_errors);
    unit_run("buddy", "exhaust_and_refill", test_exhaust_and_refill);
    unit_run("buddy", "absolute_alignment", test_absolute_alignment);
    unit_run("buddy", "free_errors", test_free_errors);
    unit_run("buddy", "free_coalesces", test_free_coalesces);
    unit_run("buddy", "free_part_of_allocation", test_free_part_of_allocation);
    unit_run("buddy", "no_merge_outside_span", test_no_merge_outside_span);
    unit_run("buddy", "caller_bits_preserved", test_caller_bits_preserved);
    unit_run("buddy", "stats", test_stats);
    unit_run("buddy", "random_stress", test_random_stress);
    return unit_exit_code();
}
