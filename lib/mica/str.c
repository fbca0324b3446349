/*
 * str.c - string searching, bounded copying and number parsing for native
 * programs (concept: a freestanding C library: what the C standard library
 * does, written out).  See str.h.
 */
#include <stdbool.h>
#include "str.h"

void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == (unsigned char)c)
            return (void *)(p + i);
    }
    return NULL;
}

char *strrchr(const char *s, int c)
{
    const char *last = NULL;
    for (;; s++) {
        if (*s == (char)c)
            last = s;
        if (*s == '\0')
            return (char *)last;
    }
}

char *strstr(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);
    for (; *haystack; haystack++) {
        if (strncmp(haystack, needle, n) == 0)
            return (char *)haystack;
    }
    return n == 0 ? (char *)haystack : NULL;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);
    if (size > 0) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}

/* ---- Numbers ---- */

static bool is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The value of digit c, or 99 if c is no digit or letter. */
static unsigned digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return (unsigned)(c - '0');
    if (c >= 'a' && c <= 'z')
        return (unsigned)(c - 'a' + 10);
    if (c >= 'A' && c <= 'Z')
        return (unsigned)(c - 'A' + 10);
    return 99;
}

/* Skip an 0x prefix where the base allows it, and settle base 0; returns the first digit. */
static const char *base_prefix(const char *s, int *base)
{
    bool hex_prefix = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16;
    if ((*base == 0 || *base == 16) && hex_prefix) {
        *base = 16;
        return s + 2;
    }
    if (*base == 0)
        *base = s[0] == '0' ? 8 : 10;
    return s;
}

/*
 * The digits at s in `base`: their value (saturated at UINT64_MAX, with
 * *overflow set) and the end.  No digits: end == s.
 */
static uint64_t parse_digits(const char *s, unsigned base, const char **end, bool *overflow)
{
    uint64_t v = 0;
    *overflow = false;
    unsigned d;
    for (; (d = digit_value(*s)) < base; s++) {
        if (v > (UINT64_MAX - d) / base)
            *overflow = true;
        else
            v = v * base + d;
    }
    *end = s;
    return *overflow ? UINT64_MAX : v;
}

/* Sign, prefix and digits: strtoul and strtol share this; false if there were no digits. */
static bool parse_number(const char *s, int base, const char **end, bool *negative, uint64_t *v,
                         bool *overflow)
{
    *end = s;
    if (base < 0 || base == 1 || base > 36)
        return false;
    while (is_space(*s))
        s++;
    *negative = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    const char *digits = base_prefix(s, &base);
    const char *after;
    *v = parse_digits(digits, (unsigned)base, &after, overflow);
    if (after == digits)
        return false;
    *end = after;
    return true;
}

unsigned long strtoul(const char *s, char **end, int base)
{
    const char *e;
    bool negative, overflow;
    uint64_t v = 0;
    bool ok = parse_number(s, base, &e, &negative, &v, &overflow);
    if (end)
        *end = (char *)e;
    if (!ok)
        return 0;
    if (overflow)
        return (unsigned long)UINT64_MAX;
    return negative ? (unsigned long)(0 - v) : (unsigned long)v;
}

long strtol(const char *s, char **end, int base)
{
    const char *e;
    bool negative, overflow;
    uint64_t v = 0;
    bool ok = parse_number(s, base, &e, &negative, &v, &overflow);
    if (end)
        *end = (char *)e;
    if (!ok)
        return 0;
    if (!negative)
        return overflow || v > (uint64_t)INT64_MAX ? INT64_MAX : (long)v;
    if (overflow || v > (uint64_t)INT64_MAX + 1)
        return INT64_MIN;
    return v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(long)v;
}

int mica_parse_u64(const char *s, int base, uint64_t *out)
{
    if (*s == '-' || *s == '+' || is_space(*s))
        return -MICA_EINVAL;
    const char *e;
    bool negative, overflow;
    uint64_t v;
    if (!parse_number(s, base, &e, &negative, &v, &overflow) || overflow || *e != '\0')
        return -MICA_EINVAL;
    *out = v;
    return 0;
}
