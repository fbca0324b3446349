/*
 * tty_ldisc.c - the terminal's line discipline: canonical and raw input,
 * echo, line editing, the signal keys (concepts: terminals, termios, the
 * line discipline).  tty_ldisc.h says what each setting does.
 *
 * The input queue is one array: the finished lines (or, in raw mode, all
 * of it) first, the line being edited after them.  Reading takes bytes off
 * the front and moves the rest down - simple, and the queue is small.
 */
#include "tty_ldisc.h"
#include <mica/string.h>

#define CTRL(c) ((c)&0x1f)
#define DEL     0x7f

void ldisc_init(struct tty_ldisc *l)
{
    memset(l, 0, sizeof *l);
    l->tio.iflag = LINUX_ICRNL | LINUX_IXON | LINUX_IMAXBEL | LINUX_IUTF8;
    l->tio.oflag = LINUX_OPOST | LINUX_ONLCR;
    l->tio.cflag = LINUX_B115200 | LINUX_CS8 | LINUX_CREAD | LINUX_HUPCL | LINUX_CLOCAL;
    l->tio.lflag = LINUX_ISIG | LINUX_ICANON | LINUX_ECHO | LINUX_ECHOE | LINUX_ECHOK |
                   LINUX_ECHOCTL | LINUX_ECHOKE | LINUX_IEXTEN;
    uint8_t *cc = l->tio.cc;
    cc[LINUX_VINTR] = CTRL('C');
    cc[LINUX_VQUIT] = CTRL('\\');
    cc[LINUX_VERASE] = DEL;
    cc[LINUX_VKILL] = CTRL('U');
    cc[LINUX_VEOF] = CTRL('D');
    cc[LINUX_VMIN] = 1;
    cc[LINUX_VSTART] = CTRL('Q');
    cc[LINUX_VSTOP] = CTRL('S');
    cc[LINUX_VSUSP] = CTRL('Z');
    cc[LINUX_VREPRINT] = CTRL('R');
    cc[LINUX_VWERASE] = CTRL('W');
    cc[LINUX_VLNEXT] = CTRL('V');
    l->ws.rows = 24;
    l->ws.cols = 80;
}

static bool on(const struct tty_ldisc *l, uint32_t lflag)
{
    return (l->tio.lflag & lflag) != 0;
}

/* c is the special character cc[i] (a 0 there disables it: _POSIX_VDISABLE). */
static bool is(const struct tty_ldisc *l, uint8_t c, unsigned i)
{
    return l->tio.cc[i] != 0 && c == l->tio.cc[i];
}

static void put(struct tty_effect *e, uint8_t c)
{
    if (e->echo_len < TTY_ECHO)
        e->echo[e->echo_len++] = c;
}

/* A control character is echoed as ^X (DEL as ^?) with ECHOCTL; tab and newline as they are. */
static bool shown_as_caret(const struct tty_ldisc *l, uint8_t c)
{
    return on(l, LINUX_ECHOCTL) && (c < 0x20 || c == DEL) && c != '\t' && c != '\n';
}

static void echo_char(const struct tty_ldisc *l, uint8_t c, struct tty_effect *e)
{
    if (shown_as_caret(l, c)) {
        put(e, '^');
        put(e, c ^ 0x40);
    } else {
        put(e, c);
    }
}

static void append(struct tty_ldisc *l, uint8_t c, uint8_t delim)
{
    l->q[l->len] = c;
    l->delim[l->len] = delim;
    l->len++;
}

/* Take the last character of the line being edited back, and off the screen (VERASE). */
static void erase_one(struct tty_ldisc *l, struct tty_effect *e)
{
    uint8_t c = l->q[--l->len];
    if (!on(l, LINUX_ECHO))
        return;
    if (!on(l, LINUX_ECHOE)) {
        echo_char(l, l->tio.cc[LINUX_VERASE], e);
        return;
    }
    for (int cols = shown_as_caret(l, c) ? 2 : 1; cols > 0; cols--) {
        put(e, '\b');
        put(e, ' ');
        put(e, '\b');
    }
}

static bool blank(uint8_t c)
{
    return c == ' ' || c == '\t';
}

/* VERASE, VWERASE (the blanks before the cursor, then the word) or VKILL (the whole line). */
static void edit(struct tty_ldisc *l, uint8_t c, struct tty_effect *e)
{
    if (l->len == l->ready)
        return; /* nothing typed on this line */
    if (is(l, c, LINUX_VERASE)) {
        erase_one(l, e);
    } else if (is(l, c, LINUX_VWERASE)) {
        while (l->len > l->ready && blank(l->q[l->len - 1]))
            erase_one(l, e);
        while (l->len > l->ready && !blank(l->q[l->len - 1]))
            erase_one(l, e);
    } else if (on(l, LINUX_ECHO) && on(l, LINUX_ECHOE) && on(l, LINUX_ECHOKE)) {
        while (l->len > l->ready)
            erase_one(l, e); /* VKILL, erased from the screen character by character */
    } else {
        l->len = l->ready; /* VKILL, shown as the kill character and a new line */
        if (on(l, LINUX_ECHO)) {
            echo_char(l, c, e);
            if (on(l, LINUX_ECHOK))
                put(e, '\n');
        }
    }
}

/* c ends a line in canonical mode: a newline, VEOL, VEOL2 (with IEXTEN). */
static bool ends_line(const struct tty_ldisc *l, uint8_t c)
{
    return c == '\n' || is(l, c, LINUX_VEOL) || (on(l, LINUX_IEXTEN) && is(l, c, LINUX_VEOL2));
}

/* c after c_iflag's mapping, or -1 if it is dropped (IGNCR). */
static int map_input(const struct tty_ldisc *l, uint8_t c)
{
    if (l->tio.iflag & LINUX_ISTRIP)
        c &= 0x7f;
    if (c == '\r') {
        if (l->tio.iflag & LINUX_IGNCR)
            return -1;
        if (l->tio.iflag & LINUX_ICRNL)
            return '\n';
    } else if (c == '\n' && (l->tio.iflag & LINUX_INLCR)) {
        return '\r';
    }
    return c;
}

/* The signal key c stands for with ISIG, or 0. */
static int signal_key(const struct tty_ldisc *l, uint8_t c)
{
    if (!on(l, LINUX_ISIG))
        return 0;
    if (is(l, c, LINUX_VINTR))
        return LINUX_SIGINT;
    if (is(l, c, LINUX_VQUIT))
        return LINUX_SIGQUIT;
    if (is(l, c, LINUX_VSUSP))
        return LINUX_SIGTSTP;
    return 0;
}

static void canonical(struct tty_ldisc *l, uint8_t c, struct tty_effect *e)
{
    if (is(l, c, LINUX_VERASE) || is(l, c, LINUX_VKILL) ||
        (on(l, LINUX_IEXTEN) && is(l, c, LINUX_VWERASE))) {
        edit(l, c, e);
        return;
    }
    if (is(l, c, LINUX_VEOF)) { /* the line so far is readable; the VEOF itself is not read */
        if (l->len < TTY_QUEUE) {
            append(l, c, LDISC_EOF);
            l->ready = l->len;
        }
        return;
    }
    if (ends_line(l, c)) {
        if (l->len == TTY_QUEUE)
            return;
        if (on(l, LINUX_ECHO) || (c == '\n' && on(l, LINUX_ECHONL)))
            echo_char(l, c, e);
        append(l, c, LDISC_EOL);
        l->ready = l->len;
        return;
    }
    if (l->len >= TTY_QUEUE - 1)
        return; /* a full line takes only its end */
    if (on(l, LINUX_ECHO))
        echo_char(l, c, e);
    append(l, c, LDISC_DATA);
}

void ldisc_input(struct tty_ldisc *l, uint8_t byte, struct tty_effect *e)
{
    e->echo_len = 0;
    e->signal = 0;
    int m = map_input(l, byte);
    if (m < 0)
        return;
    uint8_t c = (uint8_t)m;
    e->signal = signal_key(l, c);
    if (e->signal) {
        if (!on(l, LINUX_NOFLSH))
            ldisc_flush(l);
        if (on(l, LINUX_ECHO))
            echo_char(l, c, e);
        return;
    }
    if (on(l, LINUX_ICANON)) {
        canonical(l, c, e);
        return;
    }
    if (l->len == TTY_QUEUE)
        return; /* raw mode: a full queue drops what comes */
    if (on(l, LINUX_ECHO) || (c == '\n' && on(l, LINUX_ECHONL)))
        echo_char(l, c, e);
    append(l, c, LDISC_DATA);
    l->ready = l->len;
}

uint32_t ldisc_readable(const struct tty_ldisc *l)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < l->ready; i++)
        n += l->delim[i] != LDISC_EOF;
    return n;
}

static void drop(struct tty_ldisc *l, uint32_t n)
{
    memmove(l->q, l->q + n, l->len - n);
    memmove(l->delim, l->delim + n, l->len - n);
    l->len -= n;
    l->ready -= n;
}

/* Canonical: one line (or its first len bytes), without a VEOF that ends it. */
static int64_t read_line(struct tty_ldisc *l, uint8_t *dst, uint64_t len)
{
    uint32_t end = 0;
    while (l->delim[end] == LDISC_DATA && end + 1 < l->ready)
        end++;
    uint64_t line = end + 1; /* with its delimiter */
    uint64_t n = line <= len ? line : len;
    uint64_t data = n;
    if (line <= len && l->delim[end] == LDISC_EOF)
        data--; /* the whole line is read: its VEOF goes, unread */
    memcpy(dst, l->q, data);
    drop(l, (uint32_t)n);
    return (int64_t)data;
}

static int64_t take_raw(struct tty_ldisc *l, uint8_t *dst, uint64_t len)
{
    uint64_t n = l->ready < len ? l->ready : len;
    memcpy(dst, l->q, n);
    drop(l, (uint32_t)n);
    return (int64_t)n;
}

int64_t ldisc_read(struct tty_ldisc *l, uint8_t *dst, uint64_t len, bool timed_out,
                   uint32_t *timeout_ds)
{
    *timeout_ds = 0;
    if (on(l, LINUX_ICANON))
        return l->ready ? read_line(l, dst, len) : LDISC_WAIT;
    uint32_t min = l->tio.cc[LINUX_VMIN], time = l->tio.cc[LINUX_VTIME];
    uint64_t want = min < len ? min : len;
    if (min == 0) { /* a read with a timeout (VTIME), or a poll (VTIME 0) */
        if (l->ready || time == 0 || timed_out)
            return take_raw(l, dst, len);
        *timeout_ds = time;
        return LDISC_WAIT;
    }
    if (l->ready >= want)
        return take_raw(l, dst, len);
    if (l->ready && time && timed_out) /* VTIME between bytes has passed */
        return take_raw(l, dst, len);
    *timeout_ds = l->ready ? time : 0; /* the timer runs from the first byte on */
    return LDISC_WAIT;
}

void ldisc_set(struct tty_ldisc *l, const struct linux_termios *t)
{
    bool was_canonical = on(l, LINUX_ICANON);
    l->tio = *t;
    if (was_canonical && !on(l, LINUX_ICANON)) {
        l->ready = l->len; /* the line being edited can be read byte by byte now */
    } else if (!was_canonical && on(l, LINUX_ICANON) && l->len) {
        l->delim[l->len - 1] =
            LDISC_EOL; /* what was typed is a line of its own (Linux pushes it) */
        l->ready = l->len;
    }
}

void ldisc_flush(struct tty_ldisc *l)
{
    l->len = l->ready = 0;
}
