/*
 * memmap.c - the boot memory map (concept: physical memory layout).
 *
 * A sanitized map is sorted by base, its entries do not overlap, and
 * touching entries of the same type are merged.  memmap_carve() keeps that
 * shape while it paints a range with a new type; memmap_sanitize() builds a
 * clean map from firmware's raw list by carving the raw entries in, weakest
 * type first, so that where entries overlap the strongest type is painted
 * last and wins.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <mica/memmap.h>
#include <mica/errno.h>
#include <mica/string.h>

#define MEMMAP_PAGE 4096u

/* Report an error: store the reason for the caller and return err. */
static int fail(const char **why, const char *reason, int err)
{
    if (why != NULL)
        *why = reason;
    return err;
}

static uint64_t end_of(const struct memmap_entry *e)
{
    return e->base + e->length;
}

static void set_entry(struct memmap_entry *e, uint64_t base, uint64_t end, uint32_t type)
{
    e->base = base;
    e->length = end - base;
    e->type = type;
}

/* Types we do not know are treated as reserved: never use unknown memory. */
static uint32_t known_type(uint32_t type)
{
    if (type < MEM_USABLE || type > MEM_BOOT_MODULE)
        return MEM_RESERVED;
    return type;
}

/* Check that [base, base + length) is non-empty and fits below 2^64. */
static int check_range(uint64_t base, uint64_t length, const char **why)
{
    if (length == 0)
        return fail(why, "zero-length entry", -EINVAL);
    if (length > UINT64_MAX - base)
        return fail(why, "entry wraps past 2^64", -EINVAL);
    return 0;
}

void memmap_init(struct memmap *m)
{
    m->count = 0;
}

int memmap_add(struct memmap *m, uint64_t base, uint64_t length, uint32_t type, const char **why)
{
    int rc = check_range(base, length, why);
    if (rc != 0)
        return rc;
    if (m->count >= MEMMAP_MAX)
        return fail(why, "too many entries", -ENOSPC);
    set_entry(&m->e[m->count], base, base + length, known_type(type));
    m->count++;
    return 0;
}

/* ---- carving ---- */

/* Open a gap of n entries at index i by moving the tail up. */
static void open_gap(struct memmap *m, unsigned i, unsigned n)
{
    memmove(&m->e[i + n], &m->e[i], (m->count - i) * sizeof(m->e[0]));
    m->count += n;
}

/* Index of an entry reaching out on both sides of [base, end), or count. */
static unsigned find_enclosing(const struct memmap *m, uint64_t base, uint64_t end)
{
    for (unsigned i = 0; i < m->count; i++) {
        if (m->e[i].base < base && end_of(&m->e[i]) > end)
            return i;
    }
    return m->count;
}

/* Carve [base, end) out of the middle of entry i: it becomes three. */
static int carve_inside(struct memmap *m, unsigned i, uint64_t base, uint64_t end, uint32_t type,
                        const char **why)
{
    struct memmap_entry old = m->e[i];
    if (old.type == type)
        return 0;
    if (m->count + 2 > MEMMAP_MAX)
        return fail(why, "too many entries", -ENOSPC);
    open_gap(m, i + 1, 2);
    set_entry(&m->e[i], old.base, base, old.type);
    set_entry(&m->e[i + 1], base, end, type);
    set_entry(&m->e[i + 2], end, end_of(&old), old.type);
    return 0;
}

/*
 * Carve [base, end) when no entry encloses it.  Entries [0, left) start
 * below base (the last may need trimming), entries [right, count) end above
 * end (the first may need trimming), and everything between is covered and
 * goes away.  A neighbour of the same type that touches is absorbed.
 */
static int carve_span(struct memmap *m, uint64_t base, uint64_t end, uint32_t type,
                      const char **why)
{
    unsigned n = m->count, left = 0, right;
    while (left < n && m->e[left].base < base)
        left++;
    right = left;
    while (right < n && end_of(&m->e[right]) <= end)
        right++;

    uint64_t new_base = base, new_end = end;
    if (left > 0 && m->e[left - 1].type == type && end_of(&m->e[left - 1]) >= base) {
        new_base = m->e[left - 1].base;
        left--;
    }
    if (right < n && m->e[right].type == type && m->e[right].base <= end) {
        new_end = end_of(&m->e[right]);
        right++;
    }
    if (left + 1 + (n - right) > MEMMAP_MAX)
        return fail(why, "too many entries", -ENOSPC);

    if (left > 0 && end_of(&m->e[left - 1]) > base)
        m->e[left - 1].length = base - m->e[left - 1].base;
    if (right < n && m->e[right].base < end)
        set_entry(&m->e[right], end, end_of(&m->e[right]), m->e[right].type);
    memmove(&m->e[left + 1], &m->e[right], (n - right) * sizeof(m->e[0]));
    set_entry(&m->e[left], new_base, new_end, type);
    m->count = left + 1 + (n - right);
    return 0;
}

int memmap_carve(struct memmap *m, uint64_t base, uint64_t length, uint32_t type, const char **why)
{
    int rc = check_range(base, length, why);
    if (rc != 0)
        return rc;
    uint64_t end = base + length;
    type = known_type(type);
    unsigned i = find_enclosing(m, base, end);
    if (i < m->count)
        return carve_inside(m, i, base, end, type, why);
    return carve_span(m, base, end, type, why);
}

/* ---- sanitizing ---- */

/*
 * How strongly a type claims memory where entries overlap.  Usable memory
 * is the weakest (value 1); among the others the higher value wins.
 */
static uint32_t strength(uint32_t type)
{
    return known_type(type);
}

/* Insertion sort by strength, weakest first; stable, fine for 128 entries. */
static void sort_by_strength(struct memmap *m)
{
    for (unsigned i = 1; i < m->count; i++) {
        struct memmap_entry x = m->e[i];
        unsigned j = i;
        while (j > 0 && strength(m->e[j - 1].type) > strength(x.type)) {
            m->e[j] = m->e[j - 1];
            j--;
        }
        m->e[j] = x;
    }
}

/* Work area for sanitize: too big (3 KiB) for the small boot stack. */
static struct memmap raw;

int memmap_sanitize(struct memmap *m, const char **why)
{
    if (m->count == 0)
        return fail(why, "no entries", -EINVAL);
    if (m->count > MEMMAP_MAX)
        return fail(why, "too many entries", -ENOSPC);
    raw = *m;
    sort_by_strength(&raw);
    memmap_init(m);
    for (unsigned i = 0; i < raw.count; i++) {
        const struct memmap_entry *e = &raw.e[i];
        int rc = memmap_carve(m, e->base, e->length, e->type, why);
        if (rc != 0) {
            *m = raw;
            return rc;
        }
    }
    if (memmap_total(m, MEM_USABLE) == 0)
        return fail(why, "no usable memory", -EINVAL);
    return 0;
}

/* ---- questions about the map ---- */

uint64_t memmap_total(const struct memmap *m, uint32_t type)
{
    uint64_t bytes = 0;
    for (unsigned i = 0; i < m->count; i++) {
        if (m->e[i].type == type)
            bytes += m->e[i].length;
    }
    return bytes;
}

/* Whole pages in one entry: round the start up and the end down. */
static uint64_t whole_pages(const struct memmap_entry *e)
{
    uint64_t end = end_of(e) & ~(uint64_t)(MEMMAP_PAGE - 1);
    if (end <= e->base)
        return 0;
    uint64_t start = (e->base + MEMMAP_PAGE - 1) & ~(uint64_t)(MEMMAP_PAGE - 1);
    return (end - start) / MEMMAP_PAGE;
}

uint64_t memmap_usable_pages(const struct memmap *m)
{
    uint64_t pages = 0;
    for (unsigned i = 0; i < m->count; i++) {
        if (m->e[i].type == MEM_USABLE)
            pages += whole_pages(&m->e[i]);
    }
    return pages;
}

/* Memory the kernel may touch: RAM, ACPI tables, its own image, modules. */
static bool is_memory(uint32_t type)
{
    return type == MEM_USABLE || type == MEM_ACPI_RECLAIM || type == MEM_ACPI_NVS ||
           type == MEM_KERNEL || type == MEM_BOOT_MODULE;
}

uint64_t memmap_highest_end(const struct memmap *m)
{
    uint64_t highest = 0;
    for (unsigned i = 0; i < m->count; i++) {
        if (is_memory(m->e[i].type) && end_of(&m->e[i]) > highest)
            highest = end_of(&m->e[i]);
    }
    return highest;
}

const char *memmap_type_name(uint32_t type)
{
    switch (type) {
    case MEM_USABLE:
        return "usable";
    case MEM_RESERVED:
        return "reserved";
    case MEM_ACPI_RECLAIM:
        return "ACPI reclaimable";
    case MEM_ACPI_NVS:
        return "ACPI NVS";
    case MEM_BAD:
        return "bad";
    case MEM_KERNEL:
        return "kernel";
    case MEM_BOOT_MODULE:
        return "boot module";
    default:
        return "unknown";
    }
}
