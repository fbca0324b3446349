/*
 * str.h - the string functions native programs need beyond the kernel's own
 * (kernel/lib/string.c: mem*, strlen, strnlen, strcmp, strncmp, strchr), and
 * number parsing (concept: a freestanding C library).  lib/mica/str.c.
 * They behave as the C standard says, except that there is no errno:
 * mica_parse_u64() reports what strtoul() would have put there.
 */
#ifndef MICA_STR_H
#define MICA_STR_H

#include <stddef.h>
#include <stdint.h>
#include <mica/string.h>
#include <abi/mica/syscall.h>

void *memchr(const void *s, int c, size_t n);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);

/* Copy with truncation: always NUL-terminated if size > 0; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

/*
 * C's strtoul and strtol: skip white space, an optional sign, for base 16
 * (or 0) an optional 0x, then digits of `base` (2 to 36; 0 means 0x.. hex,
 * 0.. octal, else decimal).  *end (if not NULL) points after the last digit,
 * or at s if there was none.  Out of range gives ULONG_MAX, LONG_MAX or LONG_MIN.
 */
unsigned long strtoul(const char *s, char **end, int base);
long strtol(const char *s, char **end, int base);

/* The whole of s as an unsigned number: 0, or -MICA_EINVAL if s is empty, has other characters or
 * overflows. */
int mica_parse_u64(const char *s, int base, uint64_t *out);

#endif
