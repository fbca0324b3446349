/*
 * memmap.h - the boot memory map (concept: physical memory layout).
 *
 * Firmware describes physical memory as a list of ranges with a type each;
 * the list may be unsorted and overlapping.  The kernel copies it into a
 * struct memmap, sanitizes it into sorted, non-overlapping, merged entries,
 * then carves out the ranges it occupies itself (kernel image, boot
 * modules) before handing the usable rest to the page allocator.
 */
#ifndef MICA_MEMMAP_H
#define MICA_MEMMAP_H

#include <stdint.h>

enum memmap_type {
    MEM_USABLE = 1,
    MEM_RESERVED = 2,
    MEM_ACPI_RECLAIM = 3,
    MEM_ACPI_NVS = 4,
    MEM_BAD = 5,
    MEM_KERNEL = 6,
    MEM_BOOT_MODULE = 7
};

#define MEMMAP_MAX 128

struct memmap_entry {
    uint64_t base, length;
    uint32_t type;
};

struct memmap {
    struct memmap_entry e[MEMMAP_MAX];
    unsigned count;
};

void memmap_init(struct memmap *m);

/*
 * Append [base, base + length) of a type; unknown firmware types are stored
 * as MEM_RESERVED.  0, or -EINVAL ("zero-length entry", "entry wraps past
 * 2^64") or -ENOSPC ("too many entries") with a static reason in *why
 * (why may be NULL).
 */
int memmap_add(struct memmap *m, uint64_t base, uint64_t length, uint32_t type, const char **why);

/*
 * Sort by base, resolve overlaps (anything beats MEM_USABLE; among other
 * types the higher value wins) and merge touching entries of one type.
 * -EINVAL "no entries" / "no usable memory", or -ENOSPC "too many entries"
 * if the result needs more than MEMMAP_MAX entries (the map then holds its
 * old entries, reordered).  Runs at boot only: it uses a static work area.
 */
int memmap_sanitize(struct memmap *m, const char **why);

/*
 * Mark [base, base + length) as type, whatever it was before, splitting
 * entries.  The map must be sanitized; it stays sorted and merged.  Errors
 * as for memmap_add; on error the map is unchanged.
 */
int memmap_carve(struct memmap *m, uint64_t base, uint64_t length, uint32_t type, const char **why);

/* Bytes of that type. */
uint64_t memmap_total(const struct memmap *m, uint32_t type);

/* Whole 4 KiB pages inside usable entries. */
uint64_t memmap_usable_pages(const struct memmap *m);

/* End of the highest usable, ACPI, kernel or boot-module entry; 0 if none. */
uint64_t memmap_highest_end(const struct memmap *m);

/* A short name for a type, e.g. "usable"; "unknown" for other values. */
const char *memmap_type_name(uint32_t type);

#endif
