/*
 * ksyms.c - looking up kernel symbols by address (concept: symbolized
 * backtraces; turning a raw return address into "function+offset").
 *
 * The table comes from tools/mksyms.py: addresses sorted ascending, each
 * with the offset of its name.  A binary search finds the last symbol
 * starting at or below the address, which is the function containing it
 * (or, past the last function, the nearest one before it).
 */
#include <stddef.h>
#include <stdint.h>
#include <mica/ksyms.h>

const char *ksym_lookup_in(const struct ksym_table *t, uint64_t addr, uint64_t *offset)
{
    if (t == NULL || t->count == 0 || addr < t->addrs[0])
        return NULL;

    /* Invariant: addrs[lo] <= addr, and addrs[hi] > addr if hi < count. */
    uint64_t lo = 0;
    uint64_t hi = t->count;
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (t->addrs[mid] <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (offset != NULL)
        *offset = addr - t->addrs[lo];
    return t->names + t->name_offsets[lo];
}

/*
 * Host unit tests link ksyms.c without a generated table, so the wrapper
 * around the kernel's own table exists only in the kernel.
 */
#ifndef MICA_HOST_TEST
const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
    struct ksym_table t = {ksyms_count, ksyms_addrs, ksyms_name_offsets, ksyms_names};

    return ksym_lookup_in(&t, addr, offset);
}
#endif
