/* sort.h - sorting small arrays (kernel/lib/sort.c). */
#ifndef MICA_SORT_H
#define MICA_SORT_H

#include <stddef.h>
#include <stdint.h>

/* Sort ascending in place (insertion sort: for the few hundred samples of a benchmark). */
void sort_u64(uint64_t *a, size_t n);

#endif
