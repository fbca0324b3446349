/*
 * manifest.c - parsing the boot manifest (the format is in manifest.h).
 * Pure code: the host unit tests run it too.
 */
#include "manifest.h"
#include <mica/string.h>

#define LINE_MAX_LEN 512

struct cursor {
    const char *p, *end;
};

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* The next word of the line (up to a space), or a zero-length word at the end. */
static void next_word(struct cursor *c, const char **w, uint64_t *n)
{
    while (c->p < c->end && is_space(*c->p))
        c->p++;
    *w = c->p;
    while (c->p < c->end && !is_space(*c->p))
        c->p++;
    *n = (uint64_t)(c->p - *w);
}

static int copy_word(char *dst, uint64_t size, const char *w, uint64_t n)
{
    if (n == 0 || n >= size)
        return -1;
    memcpy(dst, w, n);
    dst[n] = 0;
    return 0;
}

/* A decimal or 0x-hexadecimal number that is the whole of [w, w+n). */
static int parse_number(const char *w, uint64_t n, uint64_t *out)
{
    uint64_t base = 10, v = 0, i = 0;
    if (n > 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X')) {
        base = 16;
        i = 2;
    }
    if (i == n)
        return -1;
    for (; i < n; i++) {
        char c = w[i];
        uint64_t d;
        if (c >= '0' && c <= '9')
            d = (uint64_t)(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = (uint64_t)(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = (uint64_t)(c - 'A' + 10);
        else
            return -1;
        if (v > (UINT64_MAX - d) / base)
            return -1; /* too large */
        v = v * base + d;
    }
    *out = v;
    return 0;
}

/* "A:B" as two numbers. */
static int parse_pair(const char *w, uint64_t n, uint64_t *a, uint64_t *b)
{
    for (uint64_t i = 0; i < n; i++)
        if (w[i] == ':')
            return parse_number(w, i, a) == 0 && parse_number(w + i + 1, n - i - 1, b) == 0 ? 0
                                                                                            : -1;
    return -1;
}

/*
 * "VVVV:DDDD" or "VVVV:DDDD/N": hexadecimal PCI ids, a decimal index; a
 * trailing '?' makes the device optional.
 */
static int parse_pci_id(const char *w, uint64_t n, struct manifest_server *s)
{
    s->device_optional = n > 0 && w[n - 1] == '?';
    if (s->device_optional)
        n--;
    uint64_t v, d, k = 0, idlen = n;
    for (uint64_t i = 0; i < n; i++)
        if (w[i] == '/') {
            idlen = i;
            if (parse_number(w + i + 1, n - i - 1, &k) < 0 || k > 255)
                return -1;
        }
    if (idlen != 9 || w[4] != ':')
        return -1;
    char hex[2][7] = {"0x", "0x"};
    memcpy(hex[0] + 2, w, 4);
    memcpy(hex[1] + 2, w + 5, 4);
    if (parse_number(hex[0], 6, &v) < 0 || parse_number(hex[1], 6, &d) < 0)
        return -1;
    s->vendor = (uint16_t)v;
    s->device = (uint16_t)d;
    s->device_index = (uint32_t)k;
    s->has_device = true;
    return 0;
}

static int has_device_manager(const struct manifest *m)
{
    for (unsigned i = 0; i < m->count; i++)
        if (m->server[i].devices && m->server[i].nprovides)
            return 1;
    return 0;
}

static int starts(const char *w, uint64_t n, const char *key, const char **value, uint64_t *vn)
{
    uint64_t k = strlen(key);
    if (n < k || memcmp(w, key, k) != 0)
        return 0;
    *value = w + k;
    *vn = n - k;
    return 1;
}

static int find_provider(const struct manifest *m, const char *ep, uint64_t n)
{
    for (unsigned i = 0; i < m->count; i++)
        for (unsigned j = 0; j < m->server[i].nprovides; j++)
            if (strlen(m->server[i].provides[j]) == n &&
                memcmp(m->server[i].provides[j], ep, n) == 0)
                return 1;
    return 0;
}

/* ioports=BASE:COUNT: one more range of ports, not overlapping those given already. */
static const char *parse_ports(struct manifest_server *s, const char *v, uint64_t vn)
{
    uint64_t a, b;
    if (parse_pair(v, vn, &a, &b) < 0 || b == 0 || a + b > 0x10000)
        return "ioports= wants BASE:COUNT within 0..0xffff";
    if (s->nports == MANIFEST_PORT_RANGES)
        return "too many ioports=";
    for (unsigned k = 0; k < s->nports; k++) {
        const struct manifest_ports *p = &s->ports[k];
        if (a < p->base + p->count && p->base < a + b)
            return "ioports= ranges overlap";
    }
    s->ports[s->nports].base = (uint32_t)a;
    s->ports[s->nports].count = (uint32_t)b;
    s->nports++;
    return 0;
}

/* One option of a server line. */
static const char *parse_option(const struct manifest *m, struct manifest_server *s, const char *w,
                                uint64_t n)
{
    const char *v;
    uint64_t vn, a, b;
    if (starts(w, n, "provides=", &v, &vn)) {
        if (s->nprovides == MANIFEST_EPS)
            return "too many provides=";
        if (find_provider(m, v, vn))
            return "an endpoint of that name is provided already";
        if (copy_word(s->provides[s->nprovides++], MANIFEST_NAME_MAX, v, vn) < 0)
            return "endpoint name empty or too long";
    } else if (starts(w, n, "uses=", &v, &vn)) {
        if (s->nuses == MANIFEST_EPS)
            return "too many uses=";
        if (!find_provider(m, v, vn))
            return "uses= an endpoint no earlier server provides";
        if (copy_word(s->uses[s->nuses++], MANIFEST_NAME_MAX, v, vn) < 0)
            return "endpoint name empty or too long";
    } else if (starts(w, n, "ioports=", &v, &vn)) {
        return parse_ports(s, v, vn);
    } else if (starts(w, n, "irq=", &v, &vn)) {
        if (s->nirqs == MANIFEST_IRQS)
            return "too many irq=";
        if (parse_number(v, vn, &a) < 0 || a > 255)
            return "irq= wants a line number 0..255";
        s->irq[s->nirqs++] = (uint32_t)a;
    } else if (starts(w, n, "phys=", &v, &vn)) {
        if (parse_pair(v, vn, &a, &b) < 0 || b == 0 || a + b < a)
            return "phys= wants BASE:SIZE";
        s->phys_base = a;
        s->phys_size = b;
    } else if (starts(w, n, "restart=", &v, &vn)) {
        if (parse_number(v, vn, &a) < 0 || a > 1000)
            return "restart= wants a number 0..1000";
        s->restart_limit = (unsigned)a;
    } else if (n == 5 && memcmp(w, "admin", 5) == 0) {
        s->may_restart = true;
    } else if (n == 11 && memcmp(w, "framebuffer", 11) == 0) {
        s->framebuffer = true;
    } else if (n == 6 && memcmp(w, "initrd", 6) == 0) {
        s->initrd = true;
    } else if (n == 7 && memcmp(w, "devices", 7) == 0) {
        s->devices = true;
    } else if (starts(w, n, "device=", &v, &vn)) {
        if (parse_pci_id(v, vn, s) < 0)
            return "device= wants VVVV:DDDD or VVVV:DDDD/N (hexadecimal ids), ? for optional";
        if (!has_device_manager(m))
            return "device= needs a server with `devices` and provides= above it";
    } else if (starts(w, n, "dma=", &v, &vn)) {
        if (parse_number(v, vn, &a) < 0 || a == 0 || a > (64ull << 20))
            return "dma= wants a size of 1 byte to 64 MiB";
        s->dma_size = a;
    } else if (starts(w, n, "args=", &v, &vn)) {
        if (copy_word(s->args, MANIFEST_ARGS_MAX, v, vn) < 0)
            return "args= empty or too long";
    } else {
        return "unknown option";
    }
    return 0;
}

static int has_server(const struct manifest *m, const char *name)
{
    for (unsigned i = 0; i < m->count; i++)
        if (strcmp(m->server[i].name, name) == 0)
            return 1;
    return 0;
}

/* One line (without its newline); 0 or the reason it is wrong. */
static const char *parse_line(struct manifest *m, const char *p, const char *end)
{
    struct cursor c = {p, end};
    const char *w;
    uint64_t n;
    next_word(&c, &w, &n);
    if (n == 0 || w[0] == '#')
        return 0; /* empty or a comment */
    if (n != 6 || memcmp(w, "server", 6) != 0)
        return "a line must start with \"server\"";
    if (m->count == MANIFEST_SERVERS)
        return "too many servers";
    struct manifest_server *s = &m->server[m->count];
    memset(s, 0, sizeof *s);
    s->restart_limit = 5;
    s->dma_size = 256 * 1024;
    next_word(&c, &w, &n);
    if (copy_word(s->name, MANIFEST_NAME_MAX, w, n) < 0)
        return "server name missing or too long";
    if (has_server(m, s->name))
        return "two servers of the same name";
    next_word(&c, &w, &n);
    if (copy_word(s->image, MANIFEST_PATH_MAX, w, n) < 0)
        return "image path missing or too long";
    for (next_word(&c, &w, &n); n; next_word(&c, &w, &n)) {
        const char *why = parse_option(m, s, w, n);
        if (why)
            return why;
    }
    m->count++;
    return 0;
}

int manifest_parse(const char *text, uint64_t len, struct manifest *m, unsigned *line,
                   const char **why)
{
    m->count = 0;
    const char *p = text, *end = text + len;
    for (*line = 1; p < end; (*line)++) {
        const char *eol = p;
        while (eol < end && *eol != '\n')
            eol++;
        if (eol - p > LINE_MAX_LEN) {
            *why = "line too long";
            return -1;
        }
        for (const char *q = p; q < eol; q++) {
            if (*q == 0) {
                *why = "a NUL byte in the text";
                return -1;
            }
        }
        *why = parse_line(m, p, eol);
        if (*why)
            return -1;
        p = eol < end ? eol + 1 : eol;
    }
    *line = 0;
    return 0;
}
