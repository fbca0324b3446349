/*
 * cmdline.c - parsing the kernel command line (concept: boot-time
 * configuration passed in by the boot loader).
 *
 * The command line is never modified or copied.  next_option() walks it one
 * space-separated option at a time and describes each as a key and an
 * optional value, both pointing into the original string; the public
 * functions are small loops over those options.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mica/cmdline.h>
#include <mica/string.h>

/* One option, "key" or "key=value", as pieces of the command line. */
struct option {
    const char *key;
    size_t key_len;
    const char *value; /* NULL if the option has no '=' */
    size_t value_len;
};

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Read the option at *pos, if any, and advance *pos past it. */
static bool next_option(const char **pos, struct option *opt)
{
    const char *p = *pos;

    while (is_space(*p))
        p++;
    if (*p == '\0')
        return false;

    opt->key = p;
    while (*p != '\0' && !is_space(*p) && *p != '=')
        p++;
    opt->key_len = (size_t)(p - opt->key);
    opt->value = NULL;
    opt->value_len = 0;

    if (*p == '=') {
        p++;
        opt->value = p;
        while (*p != '\0' && !is_space(*p))
            p++;
        opt->value_len = (size_t)(p - opt->value);
    }
    *pos = p;
    return true;
}

/* Whole-word comparison: the option's key must be exactly key. */
static bool key_matches(const struct option *opt, const char *key)
{
    size_t n = strlen(key);

    return n > 0 && n == opt->key_len && memcmp(opt->key, key, n) == 0;
}

/* Find the last option named key; later options override earlier ones. */
static bool find_last(const char *cmdline, const char *key, struct option *found)
{
    const char *pos = cmdline;
    struct option opt;
    bool any = false;

    if (cmdline == NULL || key == NULL)
        return false;
    while (next_option(&pos, &opt)) {
        if (key_matches(&opt, key)) {
            *found = opt;
            any = true;
        }
    }
    return any;
}

bool cmdline_has(const char *cmdline, const char *key)
{
    struct option opt;

    return find_last(cmdline, key, &opt);
}

bool cmdline_get(const char *cmdline, const char *key, char *val, size_t valsize)
{
    struct option opt;

    if (val == NULL || valsize == 0)
        return false;
    val[0] = '\0';
    if (!find_last(cmdline, key, &opt) || opt.value == NULL)
        return false;
    if (opt.value_len >= valsize)
        return false; /* would not fit with its NUL: refuse rather than truncate */
    memcpy(val, opt.value, opt.value_len);
    val[opt.value_len] = '\0';
    return true;
}

/* Value of one digit in the given base, or -1 if c is not such a digit. */
static int digit_value(char c, unsigned base)
{
    int d = -1;

    if (c >= '0' && c <= '9')
        d = c - '0';
    else if (c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
    if (d < 0 || (unsigned)d >= base)
        return -1;
    return d;
}

/* Parse exactly len characters as a number: decimal, or hex after "0x". */
static bool parse_u64(const char *s, size_t len, uint64_t *out)
{
    unsigned base = 10;
    uint64_t v = 0;

    if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        len -= 2;
    }
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        int d = digit_value(s[i], base);
        if (d < 0)
            return false;
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            return false; /* overflow */
        v = v * base + (uint64_t)d;
    }
    *out = v;
    return true;
}

bool cmdline_get_u64(const char *cmdline, const char *key, uint64_t *val)
{
    struct option opt;
    uint64_t v;

    if (!find_last(cmdline, key, &opt) || opt.value == NULL)
        return false;
    if (!parse_u64(opt.value, opt.value_len, &v))
        return false;
    *val = v;
    return true;
}

/* Is value one of the comma-separated items of list[0..len)? */
static bool list_contains(const char *list, size_t len, const char *value)
{
    size_t want = strlen(value);
    size_t start = 0;

    while (start <= len) {
        size_t end = start;
        while (end < len && list[end] != ',')
            end++;
        if (end - start == want && memcmp(list + start, value, want) == 0)
            return true;
        start = end + 1;
    }
    return false;
}

bool cmdline_has_value(const char *cmdline, const char *key, const char *value)
{
    const char *pos = cmdline;
    struct option opt;

    if (cmdline == NULL || key == NULL || value == NULL)
        return false;
    while (next_option(&pos, &opt)) {
        if (key_matches(&opt, key) && opt.value != NULL &&
            list_contains(opt.value, opt.value_len, value))
            return true;
    }
    return false;
}
