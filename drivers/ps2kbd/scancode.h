/*
 * scancode.h - turning a PC keyboard's scan codes into the bytes a terminal
 * sends (concept: a device speaks its own protocol; the driver translates
 * it into the system's).  drivers/ps2kbd/scancode.c.
 *
 * A PS/2 keyboard reports every key press ("make code") and release
 * ("break code"); the i8042 controller translates them to scan code set 1,
 * where a break code is the make code with bit 7 set, and keys added after
 * the first PC keyboard (arrows, right Ctrl, ...) are preceded by 0xe0.
 * The decoder keeps the state of the modifier keys - Shift, Ctrl, Alt,
 * Caps Lock - and produces, for a US layout:
 *  - ASCII for the printing keys, with Shift and Caps Lock;
 *  - Enter: '\r', Backspace: 0x7f, Tab: '\t', Escape: 0x1b (as a terminal);
 *  - Ctrl with a letter or one of @[\]^_: that character & 0x1f (Ctrl-C: 0x03);
 *  - Alt with a key: ESC before the key's bytes;
 *  - escape sequences for arrows (ESC [ A ...), Home, End, Insert, Delete,
 *    Page Up/Down and F1-F12, as xterm sends them;
 *  - the keypad as digits and operators (as with Num Lock on).
 * Pure code: the host unit tests run it (tests/host/test_scancode.c).
 */
#ifndef PS2KBD_SCANCODE_H
#define PS2KBD_SCANCODE_H

#include <stdbool.h>
#include <stdint.h>

#define SCANCODE_OUT_MAX 8 /* the most bytes one scan code produces */

struct scancode_state {
    bool extended; /* the last byte was the 0xe0 prefix */
    uint8_t skip;  /* bytes of a Pause sequence (0xe1 ...) still to ignore */
    bool lshift, rshift;
    bool lctrl, rctrl;
    bool lalt, ralt;
    bool caps_lock;
};

/* Feed one byte from the keyboard; the bytes it produces go to out. Returns their number. */
unsigned scancode_feed(struct scancode_state *s, uint8_t code, char out[SCANCODE_OUT_MAX]);

#endif
