/*
 * string.c - the kernel's own memory and string functions (concept: a
 * freestanding kernel supplies its own runtime library).
 *
 * A freestanding kernel has no C library, yet the compiler still expects
 * memcpy, memmove, memset and memcmp to exist (it emits calls to them for
 * structure copies and initialisers).  These are the simplest correct
 * versions: plain byte loops, easy to read and easy to trust.  memcpy and
 * memset, which the kernel uses on whole pages, come from the architecture
 * instead (kernel/arch/x86_64/memops.S), where one string instruction does
 * the work many times faster than this loop.
 */
#include <stddef.h>
#include <stdint.h>
#include <mica/string.h>

/*
 * GCC can recognise a copy, fill or length loop and replace it with a call to
 * memcpy, memset or strlen -- which, inside those very functions, would call
 * itself forever.  Redeclaring them with this attribute switches that
 * transformation off for their bodies below.
 */
__attribute__((optimize("no-tree-loop-distribute-patterns"))) void *
memmove(void *dst, const void *src, size_t n);
__attribute__((optimize("no-tree-loop-distribute-patterns"))) size_t strlen(const char *s);

/* Like memcpy, but the two areas may overlap. */
void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if ((uintptr_t)d < (uintptr_t)s) {
        for (size_t i = 0; i < n; i++)
            d[i] = s[i];
    } else {
        /* Copy backwards so that no byte is overwritten before it is read. */
        for (size_t i = n; i > 0; i--)
            d[i - 1] = s[i - 1];
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a;
    const unsigned char *y = b;

    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n] != '\0')
        n++;
    return n;
}

/* Length of s, but look at no more than max bytes. */
size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n] != '\0')
        n++;
    return n;
}

/* Compare as unsigned chars, as the C standard requires. */
int strcmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;

    while (*x != '\0' && *x == *y) {
        x++;
        y++;
    }
    if (*x == *y)
        return 0;
    return *x < *y ? -1 : 1;
}

int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;

    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
        if (x[i] == '\0')
            return 0;
    }
    return 0;
}

/* First occurrence of c in s; searching for '\0' finds the terminator. */
char *strchr(const char *s, int c)
{
    char ch = (char)c;

    for (;;) {
        if (*s == ch)
            return (char *)s;
        if (*s == '\0')
            return NULL;
        s++;
    }
}
