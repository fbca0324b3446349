/*
 * format.c - printf-style formatting (concept: the kernel's console output
 * needs its own printf, since there is no C library underneath it).
 *
 * kvformat() walks the format string.  Ordinary characters go straight out;
 * each '%' starts a conversion specification, which is read into a struct
 * spec by the parse_* functions and then printed by one put_* function.
 * All output goes through emit(), which also counts the characters, so the
 * caller learns how long the result was even when a buffer was too small.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mica/format.h>
#include <mica/string.h>

/* Width and precision larger than this are clamped (they cannot be useful). */
#define FORMAT_MAX_NUMBER 100000000

/* The length modifier of a conversion: which C type the argument has. */
enum length {
    LEN_NONE, /* int */
    LEN_HH,   /* char */
    LEN_H,    /* short */
    LEN_L,    /* long */
    LEN_LL,   /* long long */
    LEN_Z,    /* size_t */
    LEN_T,    /* ptrdiff_t */
    LEN_J,    /* intmax_t */
};

/* What one conversion specification, such as "%-08.3lx", asks for. */
struct spec {
    bool left;     /* '-': pad on the right instead of the left */
    bool zero;     /* '0': pad numbers with zeros instead of spaces */
    bool plus;     /* '+': give positive signed numbers a '+' */
    bool space;    /* ' ': give positive signed numbers a ' ' */
    bool alt;      /* '#': alternate form, 0x for hex and a leading 0 for octal */
    int width;     /* minimum field width; 0 if none */
    int precision; /* minimum digits, or maximum characters for %s; -1 if none */
    enum length len;
    char conv; /* the conversion character: d, x, s, ... */
};

/* Where output goes, and how many characters have been produced so far. */
struct sink {
    format_out_fn out;
    void *ctx;
    size_t count;
};

static void emit(struct sink *s, char c)
{
    s->out(c, s->ctx);
    s->count++;
}

static void emit_repeat(struct sink *s, char c, int n)
{
    for (int i = 0; i < n; i++)
        emit(s, c);
}

static void emit_string(struct sink *s, const char *str, size_t n)
{
    for (size_t i = 0; i < n; i++)
        emit(s, str[i]);
}

/* ---- Parsing a conversion specification ---- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static const char *parse_flags(const char *f, struct spec *sp)
{
    for (;; f++) {
        switch (*f) {
        case '-':
            sp->left = true;
            break;
        case '0':
            sp->zero = true;
            break;
        case '+':
            sp->plus = true;
            break;
        case ' ':
            sp->space = true;
            break;
        case '#':
            sp->alt = true;
            break;
        default:
            return f;
        }
    }
}

/* Read a decimal number, clamping it so that it cannot overflow an int. */
static const char *parse_decimal(const char *f, int *out)
{
    int n = 0;

    while (is_digit(*f)) {
        if (n < FORMAT_MAX_NUMBER)
            n = n * 10 + (*f - '0');
        f++;
    }
    *out = n > FORMAT_MAX_NUMBER ? FORMAT_MAX_NUMBER : n;
    return f;
}

/* Width: digits, or '*' to take it from the arguments (negative means '-'). */
static const char *parse_width(const char *f, struct spec *sp, va_list *ap)
{
    if (*f != '*')
        return parse_decimal(f, &sp->width);

    int w = va_arg(*ap, int);
    if (w < 0) {
        sp->left = true;
        w = (w < -FORMAT_MAX_NUMBER) ? FORMAT_MAX_NUMBER : -w;
    }
    sp->width = (w > FORMAT_MAX_NUMBER) ? FORMAT_MAX_NUMBER : w;
    return f + 1;
}

/* Precision: '.' then digits (none means 0), or ".*" (negative means none). */
static const char *parse_precision(const char *f, struct spec *sp, va_list *ap)
{
    sp->precision = -1;
    if (*f != '.')
        return f;
    f++;
    if (*f != '*')
        return parse_decimal(f, &sp->precision);

    int p = va_arg(*ap, int);
    if (p >= 0)
        sp->precision = (p > FORMAT_MAX_NUMBER) ? FORMAT_MAX_NUMBER : p;
    return f + 1;
}

static const char *parse_length(const char *f, struct spec *sp)
{
    sp->len = LEN_NONE;
    switch (*f) {
    case 'h':
        if (f[1] == 'h') {
            sp->len = LEN_HH;
            return f + 2;
        }
        sp->len = LEN_H;
        return f + 1;
    case 'l':
        if (f[1] == 'l') {
            sp->len = LEN_LL;
            return f + 2;
        }
        sp->len = LEN_L;
        return f + 1;
    case 'z':
        sp->len = LEN_Z;
        return f + 1;
    case 't':
        sp->len = LEN_T;
        return f + 1;
    case 'j':
        sp->len = LEN_J;
        return f + 1;
    default:
        return f;
    }
}

/* Parse everything after the '%'; returns a pointer to the conversion character. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
    memset(sp, 0, sizeof(*sp));
    f = parse_flags(f, sp);
    f = parse_width(f, sp, ap);
    f = parse_precision(f, sp, ap);
    f = parse_length(f, sp);
    sp->conv = *f;
    return f;
}

/* ---- Fetching integer arguments of the right type ---- */

static intmax_t fetch_signed(enum length len, va_list *ap)
{
    switch (len) {
    case LEN_HH:
        return (signed char)va_arg(*ap, int);
    case LEN_H:
        return (short)va_arg(*ap, int);
    case LEN_L:
        return va_arg(*ap, long);
    case LEN_LL:
        return va_arg(*ap, long long);
    case LEN_Z:
        return (ptrdiff_t)va_arg(*ap, size_t); /* the signed type of size_t's width */
    case LEN_T:
        return va_arg(*ap, ptrdiff_t);
    case LEN_J:
        return va_arg(*ap, intmax_t);
    default:
        return va_arg(*ap, int);
    }
}

static uintmax_t fetch_unsigned(enum length len, va_list *ap)
{
    switch (len) {
    case LEN_HH:
        return (unsigned char)va_arg(*ap, int);
    case LEN_H:
        return (unsigned short)va_arg(*ap, int);
    case LEN_L:
        return va_arg(*ap, unsigned long);
    case LEN_LL:
        return va_arg(*ap, unsigned long long);
    case LEN_Z:
        return va_arg(*ap, size_t);
    case LEN_T:
        return (size_t)va_arg(*ap, ptrdiff_t); /* the unsigned type of ptrdiff_t's width */
    case LEN_J:
        return va_arg(*ap, uintmax_t);
    default:
        return va_arg(*ap, unsigned int);
    }
}

/* ---- Printing one conversion ---- */

/* Write the digits of v into buf, most significant first; returns how many. */
static int to_digits(uintmax_t v, unsigned base, bool upper, char *buf)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24]; /* 64 bits in octal is 22 digits */
    int n = 0;

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v != 0);
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    return n;
}

/*
 * Print an integer: [spaces] [sign or 0x] [zeros] digits [spaces].
 * The precision sets the minimum number of digits; the '0' flag instead
 * fills the whole width with zeros, but only when there is no precision.
 */
static void put_integer(struct sink *s, const struct spec *sp, uintmax_t v, char sign,
                        unsigned base)
{
    char digits[24];
    int ndigits = to_digits(v, base, sp->conv == 'X', digits);
    const char *prefix = "";

    if (sp->precision == 0 && v == 0)
        ndigits = 0; /* "%.0d" of 0 prints no digits at all */
    int zeros = sp->precision > ndigits ? sp->precision - ndigits : 0;
    if (sp->alt && base == 8 && zeros == 0 && (v != 0 || ndigits == 0))
        zeros = 1; /* "%#o" always starts with a 0 */
    if (sp->alt && base == 16 && v != 0)
        prefix = sp->conv == 'X' ? "0X" : "0x";

    int prefix_len = (int)strlen(prefix) + (sign != 0 ? 1 : 0);
    int pad = sp->width - (prefix_len + zeros + ndigits);
    if (pad < 0)
        pad = 0;
    if (!sp->left && sp->zero && sp->precision < 0) {
        zeros += pad;
        pad = 0;
    }

    if (!sp->left)
        emit_repeat(s, ' ', pad);
    if (sign != 0)
        emit(s, sign);
    emit_string(s, prefix, strlen(prefix));
    emit_repeat(s, '0', zeros);
    emit_string(s, digits, (size_t)ndigits);
    if (sp->left)
        emit_repeat(s, ' ', pad);
}

static void put_signed(struct sink *s, const struct spec *sp, va_list *ap)
{
    intmax_t v = fetch_signed(sp->len, ap);
    uintmax_t magnitude = (uintmax_t)v;
    char sign = 0;

    if (v < 0) {
        magnitude = 0 - magnitude; /* correct even for the most negative value */
        sign = '-';
    } else if (sp->plus) {
        sign = '+';
    } else if (sp->space) {
        sign = ' ';
    }
    put_integer(s, sp, magnitude, sign, 10);
}

static void put_unsigned(struct sink *s, const struct spec *sp, va_list *ap)
{
    uintmax_t v = fetch_unsigned(sp->len, ap);
    unsigned base = 10;

    if (sp->conv == 'o')
        base = 8;
    else if (sp->conv == 'x' || sp->conv == 'X')
        base = 16;
    put_integer(s, sp, v, 0, base);
}

/* Print n characters of str padded to the field width with spaces. */
static void put_padded(struct sink *s, const struct spec *sp, const char *str, size_t n)
{
    int pad = 0;

    if ((size_t)sp->width > n)
        pad = sp->width - (int)n;
    if (!sp->left)
        emit_repeat(s, ' ', pad);
    emit_string(s, str, n);
    if (sp->left)
        emit_repeat(s, ' ', pad);
}

static void put_char(struct sink *s, const struct spec *sp, va_list *ap)
{
    char c = (char)va_arg(*ap, int);

    put_padded(s, sp, &c, 1);
}

/* The precision limits how many characters of the string are printed. */
static void put_string(struct sink *s, const struct spec *sp, va_list *ap)
{
    const char *str = va_arg(*ap, const char *);
    size_t n;

    if (str == NULL)
        str = "(null)";
    if (sp->precision >= 0)
        n = strnlen(str, (size_t)sp->precision);
    else
        n = strlen(str);
    put_padded(s, sp, str, n);
}

/* Pointers always print in full, "0x" and 16 hex digits, so columns line up. */
static void put_pointer(struct sink *s, const struct spec *sp, va_list *ap)
{
    uintmax_t v = (uintptr_t)va_arg(*ap, void *);
    char text[18];

    text[0] = '0';
    text[1] = 'x';
    for (int i = 0; i < 16; i++)
        text[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
    put_padded(s, sp, text, sizeof(text));
}

/* Print the conversion sp; returns false if the conversion is not known. */
static bool put_conversion(struct sink *s, const struct spec *sp, va_list *ap)
{
    switch (sp->conv) {
    case 'd':
    case 'i':
        put_signed(s, sp, ap);
        return true;
    case 'u':
    case 'x':
    case 'X':
    case 'o':
        put_unsigned(s, sp, ap);
        return true;
    case 'c':
        put_char(s, sp, ap);
        return true;
    case 's':
        put_string(s, sp, ap);
        return true;
    case 'p':
        put_pointer(s, sp, ap);
        return true;
    case '%':
        emit(s, '%');
        return true;
    default:
        return false;
    }
}

/*
 * Handle the conversion starting at the '%' that pct points to; returns
 * where the format string continues.  An unknown or unfinished conversion
 * is printed as it was written, which makes the mistake easy to spot.
 */
static const char *format_one(struct sink *s, const char *pct, va_list *ap)
{
    struct spec sp;
    const char *conv = parse_spec(pct + 1, &sp, ap);

    if (sp.conv == '\0') {
        emit_string(s, pct, (size_t)(conv - pct));
        return conv;
    }
    if (!put_conversion(s, &sp, ap))
        emit_string(s, pct, (size_t)(conv + 1 - pct));
    return conv + 1;
}

int kvformat(format_out_fn out, void *ctx, const char *fmt, va_list ap)
{
    struct sink s = {out, ctx, 0};
    va_list args;

    /* Copy ap so that helpers can share it through a pointer (va_list may be an array). */
    va_copy(args, ap);
    while (*fmt != '\0') {
        if (*fmt == '%')
            fmt = format_one(&s, fmt, &args);
        else
            emit(&s, *fmt++);
    }
    va_end(args);
    if (s.count > INT32_MAX)
        return INT32_MAX;
    return (int)s.count;
}

/* ---- Formatting into a buffer ---- */

struct buffer {
    char *buf;
    size_t size; /* bytes available, including room for the NUL */
    size_t pos;  /* characters produced so far (may exceed size) */
};

/* Store c if there is still room for it and the final NUL. */
static void buffer_out(char c, void *ctx)
{
    struct buffer *b = ctx;

    if (b->pos + 1 < b->size)
        b->buf[b->pos] = c;
    b->pos++;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buffer b = {buf, size, 0};
    int n = kvformat(buffer_out, &b, fmt, ap);

    if (size > 0)
        buf[b.pos < size ? b.pos : size - 1] = '\0';
    return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
