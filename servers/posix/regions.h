/*
 * regions.h - the memory regions of a Linux process, as the posix server
 * keeps them (servers/posix/regions.c) (concepts: virtual memory areas,
 * memory mapping, splitting on partial unmap and protect).
 *
 * Every byte of a Linux process's memory was made by the posix server: the
 * program's segments, its stack, its heap (brk) and each mmap.  Each region
 * is a range of whole pages backed by a VM object that is mapped twice: into
 * the process with the region's protection, and into the server itself,
 * readable and writable, at `shadow`.  Through the shadow the server reads
 * and writes the process's memory (usercopy.h) without trusting a pointer.
 *
 * This file is the bookkeeping only - a sorted table of non-overlapping
 * regions - and is pure code that the host unit tests run; procmem.c
 * creates and maps the VM objects.
 */
#ifndef POSIX_REGIONS_H
#define POSIX_REGIONS_H

#include <stdbool.h>
#include <stdint.h>

#define REGIONS_MAX 256
#define REGION_PAGE 4096ull

struct region {
    uint64_t start, end; /* [start, end), page-aligned, in the process */
    uint32_t prot;       /* LINUX_PROT_* the process has */
    uint8_t *shadow;     /* where the server sees start */
    bool shared;         /* MAP_SHARED: a fork shares it instead of copying it */
    bool vdso;           /* the vDSO's pages, the same VM object in every process: fork maps
                            them again instead of sharing or copying them (vdso.h) */
};

struct regions {
    struct region r[REGIONS_MAX]; /* sorted by start, not overlapping */
    unsigned n;
};

/* The region holding addr, or NULL. */
const struct region *regions_find(const struct regions *rs, uint64_t addr);

/* Does any region overlap [start, end)? */
bool regions_overlap(const struct regions *rs, uint64_t start, uint64_t end);

/* Is every byte of [start, end) in some region whose protection has all bits of prot? */
bool regions_cover(const struct regions *rs, uint64_t start, uint64_t end, uint32_t prot);

/* Add a region; -1 if the table is full or it overlaps one, else 0. */
int regions_add(struct regions *rs, uint64_t start, uint64_t end, uint32_t prot, uint8_t *shadow);

/*
 * Take [start, end) out of the table, splitting regions that reach across
 * its edges.  The pieces taken out go to removed[] (up to max; their shadow
 * is where the piece is seen), their number to *nremoved, so the caller can
 * unmap them.  -1 if the table cannot hold the split (nothing changed).
 */
int regions_remove(struct regions *rs, uint64_t start, uint64_t end, struct region *removed,
                   unsigned max, unsigned *nremoved);

/* Give [start, end) protection prot, splitting at its edges; all of it must be in regions
 * (else -1, nothing changed). */
int regions_protect(struct regions *rs, uint64_t start, uint64_t end, uint32_t prot);

/* Mark the regions within [start, end) as shared (MAP_SHARED). */
void regions_mark_shared(struct regions *rs, uint64_t start, uint64_t end);

/* Mark the regions within [start, end) as the vDSO's (vdso.h). */
void regions_mark_vdso(struct regions *rs, uint64_t start, uint64_t end);

/* The highest free range of size bytes within [lo, hi) in *addr (0), or -1 if there is none. */
int regions_gap(const struct regions *rs, uint64_t lo, uint64_t hi, uint64_t size, uint64_t *addr);

#endif
