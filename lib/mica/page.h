/*
 * page.h - page arithmetic for native programs: the page size the kernel
 * maps in, and rounding addresses and sizes to whole pages.
 */
#ifndef MICA_PAGE_H
#define MICA_PAGE_H

#include <stdint.h>

#define MICA_PAGE 4096ull

static inline uint64_t page_down(uint64_t x)
{
    return x & ~(MICA_PAGE - 1);
}

static inline uint64_t page_up(uint64_t x)
{
    return (x + MICA_PAGE - 1) & ~(MICA_PAGE - 1);
}

#endif
