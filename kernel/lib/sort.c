/*
 * sort.c - insertion sort of 64-bit values, used to take the median of
 * benchmark samples in the kernel and in native programs alike.
 */
#include <mica/sort.h>

void sort_u64(uint64_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t v = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}
