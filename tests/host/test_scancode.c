/*
 * test_scancode.c - the PS/2 keyboard driver's scan code decoder
 * (drivers/ps2kbd/scancode.c): printing keys, Shift, Caps Lock, Ctrl, Alt,
 * extended keys, Pause, releases and codes that mean nothing.
 */
#include <string.h>
#include "../../drivers/ps2kbd/scancode.h"
#include "unit.h"

/* Feed the codes; the bytes that came out, NUL-terminated, in a static buffer. */
static const char *feed(struct scancode_state *s, const uint8_t *codes, unsigned n)
{
    static char text[256];
    unsigned len = 0;
    for (unsigned i = 0; i < n; i++) {
        char out[SCANCODE_OUT_MAX];
        unsigned k = scancode_feed(s, codes[i], out);
        CHECK(k <= SCANCODE_OUT_MAX);
        memcpy(text + len, out, k);
        len += k;
    }
    text[len] = 0;
    return text;
}

#define FEED(s, ...) feed(s, (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

static void test_plain(void)
{
    struct scancode_state s = {0};
    /* h e l l o, each pressed and released, then space 1 - = ; ' ` \ , . / Enter Tab BS Esc */
    CHECK(strcmp(FEED(&s, 0x23, 0xa3, 0x12, 0x92, 0x26, 0xa6, 0x26, 0xa6, 0x18, 0x98), "hello") ==
          0);
    CHECK(strcmp(FEED(&s, 0x39, 0x02, 0x0c, 0x0d, 0x27, 0x28, 0x29, 0x2b, 0x33, 0x34, 0x35),
                 " 1-=;'`\\,./") == 0);
    CHECK(strcmp(FEED(&s, 0x1c, 0x0f, 0x0e, 0x01), "\r\t\x7f\x1b") == 0);
    /* the keypad, as with Num Lock on; keypad Enter and / are extended */
    CHECK(strcmp(FEED(&s, 0x47, 0x4f, 0x52, 0x53, 0x4a, 0x4e, 0x37, 0xe0, 0x35, 0xe0, 0x1c),
                 "710.-+*/\r") == 0);
}

static void test_shift_and_caps(void)
{
    struct scancode_state s = {0};
    /* Shift-h, i, Shift(right)-1 */
    CHECK(strcmp(FEED(&s, 0x2a, 0x23, 0xa3, 0xaa, 0x17, 0x97, 0x36, 0x02, 0x82, 0xb6), "Hi!") == 0);
    /* Caps Lock: letters shifted, digits not; Shift inverts it for letters */
    CHECK(strcmp(FEED(&s, 0x3a, 0xba, 0x1e, 0x02, 0x2a, 0x1e, 0x02, 0xaa), "A1a!") == 0);
    /* Caps Lock again: off */
    CHECK(strcmp(FEED(&s, 0x3a, 0xba, 0x1e), "a") == 0);
    /* both shifts: releasing one leaves the other */
    CHECK(strcmp(FEED(&s, 0x2a, 0x36, 0xaa, 0x1e, 0xb6, 0x1e), "Aa") == 0);
}

static void test_ctrl_and_alt(void)
{
    struct scancode_state s = {0};
    /* Ctrl-C, Ctrl-[ (ESC), Ctrl-A with right Ctrl, then a plain c */
    CHECK(strcmp(FEED(&s, 0x1d, 0x2e, 0xae, 0x1a, 0x9d, 0xe0, 0x1d, 0x1e, 0xe0, 0x9d, 0x2e),
                 "\x03\x1b\x01"
                 "c") == 0);
    /* Ctrl with a digit: the digit */
    CHECK(strcmp(FEED(&s, 0x1d, 0x03, 0x9d), "2") == 0);
    /* Ctrl-Shift-letter: the same control character */
    CHECK(strcmp(FEED(&s, 0x1d, 0x2a, 0x2e, 0xaa, 0x9d), "\x03") == 0);
    /* Alt-x: ESC x; AltGr too; then x alone */
    CHECK(strcmp(FEED(&s, 0x38, 0x2d, 0xb8, 0xe0, 0x38, 0x2d, 0xe0, 0xb8, 0x2d), "\x1bx\x1bxx") ==
          0);
}

static void test_extended(void)
{
    struct scancode_state s = {0};
    CHECK(strcmp(FEED(&s, 0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0x50, 0xe0, 0x4d, 0xe0, 0x4b),
                 "\x1b[A\x1b[B\x1b[C\x1b[D") == 0);
    CHECK(strcmp(FEED(&s, 0xe0, 0x47, 0xe0, 0x4f, 0xe0, 0x52, 0xe0, 0x53, 0xe0, 0x49, 0xe0, 0x51),
                 "\x1b[H\x1b[F\x1b[2~\x1b[3~\x1b[5~\x1b[6~") == 0);
    CHECK(strcmp(FEED(&s, 0x3b, 0x3e, 0x3f, 0x44, 0x57, 0x58), "\x1bOP\x1bOS\x1b[15~\x1b[21~"
                                                               "\x1b[23~\x1b[24~") == 0);
    /* Alt with an arrow: ESC ESC [ A (the longest output) */
    CHECK(strcmp(FEED(&s, 0x38, 0xe0, 0x48, 0xb8), "\x1b\x1b[A") == 0);
    /* extended 0x48 is an arrow, plain 0x48 the keypad's 8 */
    CHECK(strcmp(FEED(&s, 0x48), "8") == 0);
    /* Print Screen: e0 2a e0 37, the fake shift does not stick */
    CHECK(strcmp(FEED(&s, 0xe0, 0x2a, 0xe0, 0x37, 0xe0, 0xb7, 0xe0, 0xaa, 0x1e), "a") == 0);
    CHECK(!s.lshift && !s.rshift);
}

static void test_pause_and_junk(void)
{
    struct scancode_state s = {0};
    /* Pause is e1 1d 45 e1 9d c5: nothing, and Ctrl does not stick */
    CHECK(strcmp(FEED(&s, 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5, 0x2e), "c") == 0);
    CHECK(!s.lctrl);
    /* codes without a character, releases of keys never pressed, the keyboard's answers */
    CHECK(strcmp(FEED(&s, 0x00, 0x59, 0x7f, 0xff, 0xfa, 0xaa, 0xfe, 0x45, 0x46, 0xe0, 0x5b, 0x1e),
                 "a") == 0);
    /* every byte value in every state produces at most SCANCODE_OUT_MAX bytes (checked in feed) */
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++) {
            struct scancode_state t = {
                .lalt = a & 1, .lctrl = a & 2, .caps_lock = a & 4, .lshift = a & 8};
            uint8_t codes[3] = {(uint8_t)a, 0xe0, (uint8_t)b};
            feed(&t, codes, 3);
        }
}

int main(void)
{
    unit_run("scancode", "plain", test_plain);
    unit_run("scancode", "shift_and_caps", test_shift_and_caps);
    unit_run("scancode", "ctrl_and_alt", test_ctrl_and_alt);
    unit_run("scancode", "extended", test_extended);
    unit_run("scancode", "pause_and_junk", test_pause_and_junk);
    return unit_exit_code();
}
