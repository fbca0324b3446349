/*
 * scancode.c - decoding scan code set 1 with the modifier keys into bytes
 * (see scancode.h).  Pure code: the host unit tests run it.
 */
#include "scancode.h"

#define BREAK      0x80 /* bit 7 of a code: the key was released */
#define PREFIX_E0  0xe0 /* the next code is an "extended" key */
#define PREFIX_E1  0xe1 /* Pause: e1 1d 45 e1 9d c5, no break code */
#define PAUSE_REST 5

/* Set 1 make codes of the keys the decoder treats specially. */
#define SC_LSHIFT   0x2a
#define SC_RSHIFT   0x36
#define SC_CTRL     0x1d /* left; with 0xe0 right */
#define SC_ALT      0x38 /* left; with 0xe0 right (AltGr) */
#define SC_CAPSLOCK 0x3a

/* The US layout, codes 0x00-0x39: without and with Shift; 0 for no character. */
static const char plain[0x3a] = {
    0,    0x1b, '1', '2', '3', '4', '5', '6', '7', '8', '9',  '0', '-', '=',  0x7f,
    '\t', 'q',  'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p',  '[', ']', '\r', 0,
    'a',  's',  'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0,   '\\', 'z',
    'x',  'c',  'v', 'b', 'n', 'm', ',', '.', '/', 0,   '*',  0,   ' ',
};
static const char shifted[0x3a] = {
    0,    0x1b, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+',  0x7f,
    '\t', 'Q',  'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\r', 0,
    'A',  'S',  'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0,   '|',  'Z',
    'X',  'C',  'V', 'B', 'N', 'M', '<', '>', '?', 0,   '*', 0,   ' ',
};

/* The keypad, codes 0x47-0x53, as with Num Lock on. */
static const char keypad[0x0d] = {'7', '8', '9', '-', '4', '5', '6', '+', '1', '2', '3', '0', '.'};

/* What a key sends as an escape sequence (without the leading ESC), or 0. */
static const char *sequence(uint8_t code, bool extended)
{
    if (extended) {
        switch (code) {
        case 0x48:
            return "[A"; /* up */
        case 0x50:
            return "[B"; /* down */
        case 0x4d:
            return "[C"; /* right */
        case 0x4b:
            return "[D"; /* left */
        case 0x47:
            return "[H"; /* home */
        case 0x4f:
            return "[F"; /* end */
        case 0x52:
            return "[2~"; /* insert */
        case 0x53:
            return "[3~"; /* delete */
        case 0x49:
            return "[5~"; /* page up */
        case 0x51:
            return "[6~"; /* page down */
        default:
            return 0;
        }
    }
    switch (code) {
    case 0x3b:
        return "OP"; /* F1 */
    case 0x3c:
        return "OQ";
    case 0x3d:
        return "OR";
    case 0x3e:
        return "OS";
    case 0x3f:
        return "[15~"; /* F5 */
    case 0x40:
        return "[17~";
    case 0x41:
        return "[18~";
    case 0x42:
        return "[19~";
    case 0x43:
        return "[20~";
    case 0x44:
        return "[21~"; /* F10 */
    case 0x57:
        return "[23~"; /* F11 */
    case 0x58:
        return "[24~"; /* F12 */
    default:
        return 0;
    }
}

/* The modifier keys: note presses and releases.  1 if code was one. */
static int modifier(struct scancode_state *s, uint8_t code, bool released, bool extended)
{
    bool down = !released;
    switch (code) {
    case SC_LSHIFT:
    case SC_RSHIFT:
        if (extended)
            return 1; /* the "fake shifts" around Print Screen and friends */
        if (code == SC_LSHIFT)
            s->lshift = down;
        else
            s->rshift = down;
        return 1;
    case SC_CTRL:
        if (extended)
            s->rctrl = down;
        else
            s->lctrl = down;
        return 1;
    case SC_ALT:
        if (extended)
            s->ralt = down;
        else
            s->lalt = down;
        return 1;
    case SC_CAPSLOCK:
        if (down && !extended)
            s->caps_lock = !s->caps_lock;
        return !extended;
    default:
        return 0;
    }
}

/* The character of a key that has one, with Shift and Caps Lock; 0 if none. */
static char character(const struct scancode_state *s, uint8_t code, bool extended)
{
    if (extended) {
        if (code == 0x1c)
            return '\r'; /* keypad Enter */
        if (code == 0x35)
            return '/'; /* keypad / */
        return 0;
    }
    if (code >= 0x47 && code <= 0x53)
        return keypad[code - 0x47];
    if (code >= sizeof plain)
        return 0;
    bool shift = s->lshift || s->rshift;
    char c = plain[code];
    if (c >= 'a' && c <= 'z' && s->caps_lock)
        shift = !shift; /* Caps Lock shifts letters only */
    return shift ? shifted[code] : c;
}

/* Ctrl with a key: the control character, for letters and @[\]^_. */
static char control(char c)
{
    if (c >= 'a' && c <= 'z')
        return (char)(c & 0x1f);
    if ((c >= '@' && c <= '_') || c == ' ')
        return (char)(c & 0x1f);
    return c;
}

unsigned scancode_feed(struct scancode_state *s, uint8_t code, char out[SCANCODE_OUT_MAX])
{
    if (s->skip) {
        s->skip--;
        return 0;
    }
    if (code == PREFIX_E0) {
        s->extended = true;
        return 0;
    }
    if (code == PREFIX_E1) {
        s->skip = PAUSE_REST;
        s->extended = false;
        return 0;
    }
    bool extended = s->extended, released = (code & BREAK) != 0;
    s->extended = false;
    code &= (uint8_t)~BREAK;
    if (modifier(s, code, released, extended) || released)
        return 0;
    unsigned n = 0;
    if (s->lalt || s->ralt)
        out[n++] = 0x1b; /* Alt: ESC before the key ("meta sends escape") */
    const char *seq = sequence(code, extended);
    if (seq) {
        out[n++] = 0x1b;
        while (*seq && n < SCANCODE_OUT_MAX)
            out[n++] = *seq++;
        return n;
    }
    char c = character(s, code, extended);
    if (!c)
        return 0; /* a key without a character: nothing */
    if (s->lctrl || s->rctrl)
        c = control(c);
    out[n++] = c;
    return n;
}
