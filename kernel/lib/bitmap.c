/*
 * bitmap.c - bit vectors over 64-bit words (concept: free-space management
 * with bitmaps).
 *
 * Searches work a whole word at a time: a word that is all ones has no zero
 * bit, a word that is all zeros has no set bit, so only the interesting word
 * is examined bit by bit, using the CPU's count-trailing-zeros instruction.
 */
#include <mica/bitmap.h>

static size_t word_of(size_t bit)
{
    return bit / 64;
}

static uint64_t mask_of(size_t bit)
{
    return (uint64_t)1 << (bit % 64);
}

/* Mask of the low n bits of a word, for 0 <= n <= 64. */
static uint64_t low_bits(size_t n)
{
    if (n >= 64)
        return ~(uint64_t)0;
    return ((uint64_t)1 << n) - 1;
}

void bitmap_set(uint64_t *map, size_t bit)
{
    map[word_of(bit)] |= mask_of(bit);
}

void bitmap_clear(uint64_t *map, size_t bit)
{
    map[word_of(bit)] &= ~mask_of(bit);
}

bool bitmap_test(const uint64_t *map, size_t bit)
{
    return (map[word_of(bit)] & mask_of(bit)) != 0;
}

size_t bitmap_find_first_zero(const uint64_t *map, size_t nbits)
{
    for (size_t w = 0; w < BITMAP_WORDS(nbits); w++) {
        uint64_t zeros = ~map[w];
        if (zeros == 0)
            continue;
        size_t bit = w * 64 + (size_t)__builtin_ctzll(zeros);
        return bit < nbits ? bit : nbits;
    }
    return nbits;
}

size_t bitmap_find_next_set(const uint64_t *map, size_t nbits, size_t start)
{
    if (start >= nbits)
        return nbits;
    size_t w = word_of(start);
    /* In the first word, ignore the bits below start. */
    uint64_t ones = map[w] & ~low_bits(start % 64);
    for (;;) {
        if (ones != 0) {
            size_t bit = w * 64 + (size_t)__builtin_ctzll(ones);
            return bit < nbits ? bit : nbits;
        }
        w++;
        if (w >= BITMAP_WORDS(nbits))
            return nbits;
        ones = map[w];
    }
}

/* Bits set in one word: clear the lowest set bit until none is left (no libgcc needed). */
static size_t ones_in(uint64_t w)
{
    size_t n = 0;
    for (; w; w &= w - 1)
        n++;
    return n;
}

size_t bitmap_count(const uint64_t *map, size_t nbits)
{
    size_t full = nbits / 64;
    size_t count = 0;
    for (size_t w = 0; w < full; w++)
        count += ones_in(map[w]);
    if (nbits % 64 != 0)
        count += ones_in(map[full] & low_bits(nbits % 64));
    return count;
}

/* Set or clear the bits of one word selected by mask. */
static void fill_word(uint64_t *word, uint64_t mask, bool value)
{
    if (value)
        *word |= mask;
    else
        *word &= ~mask;
}

void bitmap_fill_range(uint64_t *map, size_t start, size_t count, bool value)
{
    while (count > 0) {
        size_t offset = start % 64;
        size_t n = 64 - offset;
        if (n > count)
            n = count;
        fill_word(&map[word_of(start)], low_bits(n) << offset, value);
        start += n;
        count -= n;
    }
}
