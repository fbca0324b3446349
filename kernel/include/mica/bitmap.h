/*
 * bitmap.h - arrays of bits packed into 64-bit words.
 *
 * Bit n lives in word n / 64 at position n % 64.  Allocators use bitmaps to
 * remember which objects or pages are in use (concept: free-space management
 * with bit vectors).  The caller owns the storage; BITMAP_WORDS() says how
 * many words a map of nbits needs.  No bounds checks: callers pass valid bits.
 */
#ifndef MICA_BITMAP_H
#define MICA_BITMAP_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#define BITMAP_WORDS(nbits) (((nbits) + 63) / 64)

void bitmap_set(uint64_t *map, size_t bit);
void bitmap_clear(uint64_t *map, size_t bit);
bool bitmap_test(const uint64_t *map, size_t bit);

/* Index of the first 0 bit below nbits, or nbits if all are set. */
size_t bitmap_find_first_zero(const uint64_t *map, size_t nbits);

/* Index of the first 1 bit in [start, nbits), or nbits if there is none. */
size_t bitmap_find_next_set(const uint64_t *map, size_t nbits, size_t start);

/* Number of 1 bits below nbits. */
size_t bitmap_count(const uint64_t *map, size_t nbits);

/* Set (value true) or clear (value false) the bits [start, start + count). */
void bitmap_fill_range(uint64_t *map, size_t start, size_t count, bool value);

#endif
