/*
 * regions.c - the table of a Linux process's memory regions (concepts:
 * virtual memory areas, splitting on partial unmap and protect).  See
 * regions.h.  Pure code: no system calls.
 */
#include "regions.h"
#include <mica/string.h>

const struct region *regions_find(const struct regions *rs, uint64_t addr)
{
    for (unsigned i = 0; i < rs->n; i++)
        if (addr >= rs->r[i].start && addr < rs->r[i].end)
            return &rs->r[i];
    return 0;
}

bool regions_overlap(const struct regions *rs, uint64_t start, uint64_t end)
{
    for (unsigned i = 0; i < rs->n; i++)
        if (rs->r[i].start < end && start < rs->r[i].end)
            return true;
    return false;
}

bool regions_cover(const struct regions *rs, uint64_t start, uint64_t end, uint32_t prot)
{
    uint64_t a = start;
    while (a < end) {
        const struct region *r = regions_find(rs, a);
        if (!r || (r->prot & prot) != prot)
            return false;
        a = r->end;
    }
    return true;
}

static void insert_at(struct regions *rs, unsigned i, const struct region *r)
{
    memmove(&rs->r[i + 1], &rs->r[i], (rs->n - i) * sizeof rs->r[0]);
    rs->r[i] = *r;
    rs->n++;
}

static void delete_at(struct regions *rs, unsigned i)
{
    memmove(&rs->r[i], &rs->r[i + 1], (rs->n - i - 1) * sizeof rs->r[0]);
    rs->n--;
}

int regions_add(struct regions *rs, uint64_t start, uint64_t end, uint32_t prot, uint8_t *shadow)
{
    if (rs->n == REGIONS_MAX || start >= end || regions_overlap(rs, start, end))
        return -1;
    unsigned i = 0;
    while (i < rs->n && rs->r[i].start < start)
        i++;
    struct region r = {start, end, prot, shadow, false, false};
    insert_at(rs, i, &r);
    return 0;
}

/* Regions that a cut at addr would split in two: 0 or 1. */
static unsigned splits_at(const struct regions *rs, uint64_t addr)
{
    const struct region *r = regions_find(rs, addr);
    return r && r->start < addr;
}

/* Split the region holding addr into [start, addr) and [addr, end); the table has room. */
static void split_at(struct regions *rs, uint64_t addr)
{
    for (unsigned i = 0; i < rs->n; i++) {
        struct region *r = &rs->r[i];
        if (addr > r->start && addr < r->end) {
            struct region upper = *r; /* the same protection and kinds */
            upper.start = addr;
            upper.shadow = r->shadow + (addr - r->start);
            r->end = addr;
            insert_at(rs, i + 1, &upper);
            return;
        }
    }
}

/* Make start and end region boundaries; -1 if the table has no room for that. */
static int cut(struct regions *rs, uint64_t start, uint64_t end)
{
    if (rs->n + splits_at(rs, start) + splits_at(rs, end) > REGIONS_MAX)
        return -1;
    split_at(rs, start);
    split_at(rs, end);
    return 0;
}

int regions_remove(struct regions *rs, uint64_t start, uint64_t end, struct region *removed,
                   unsigned max, unsigned *nremoved)
{
    *nremoved = 0;
    unsigned inside = 0;
    for (unsigned i = 0; i < rs->n; i++)
        if (rs->r[i].start < end && start < rs->r[i].end)
            inside++;
    if (inside > max || cut(rs, start, end) < 0)
        return -1;
    for (unsigned i = 0; i < rs->n;) {
        if (rs->r[i].start >= start && rs->r[i].end <= end) {
            removed[(*nremoved)++] = rs->r[i];
            delete_at(rs, i);
        } else {
            i++;
        }
    }
    return 0;
}

int regions_protect(struct regions *rs, uint64_t start, uint64_t end, uint32_t prot)
{
    if (!regions_cover(rs, start, end, 0) || cut(rs, start, end) < 0)
        return -1;
    for (unsigned i = 0; i < rs->n; i++)
        if (rs->r[i].start >= start && rs->r[i].end <= end)
            rs->r[i].prot = prot;
    return 0;
}

void regions_mark_shared(struct regions *rs, uint64_t start, uint64_t end)
{
    for (unsigned i = 0; i < rs->n; i++)
        if (rs->r[i].start >= start && rs->r[i].end <= end)
            rs->r[i].shared = true;
}

void regions_mark_vdso(struct regions *rs, uint64_t start, uint64_t end)
{
    for (unsigned i = 0; i < rs->n; i++)
        if (rs->r[i].start >= start && rs->r[i].end <= end)
            rs->r[i].vdso = true;
}

int regions_gap(const struct regions *rs, uint64_t lo, uint64_t hi, uint64_t size, uint64_t *addr)
{
    uint64_t top = hi; /* the free space looked at lies below top */
    for (unsigned i = rs->n; i-- > 0 && top > lo;) {
        const struct region *r = &rs->r[i];
        if (r->start >= top)
            continue; /* above the window */
        uint64_t floor = r->end > lo ? r->end : lo;
        if (r->end < top && top - floor >= size) {
            *addr = top - size;
            return 0;
        }
        top = r->start; /* next: the space below this region */
    }
    if (top > lo && top - lo >= size) {
        *addr = top - size;
        return 0;
    }
    return -1;
}
