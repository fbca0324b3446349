/*
 * term.h - the text grid of the framebuffer console and the byte stream
 * that changes it: printing characters, control characters and a few ANSI
 * escape sequences (concept: a terminal - the protocol between a program
 * and a screen).  drivers/fbcon/term.c.
 *
 * The grid is cols x rows characters with a cursor.  term_write() takes
 * bytes as a program writes them:
 *   - bytes 0x20-0x7e and 0x80-0xff are drawn at the cursor (Latin-1),
 *     which moves right; past the last column the next character wraps to
 *     the next line, and below the last line the grid scrolls up;
 *   - '\n' moves to the start of the next line (it includes the carriage
 *     return, as a terminal with the usual output processing does), '\r'
 *     to the start of the line, '\b' one left (without erasing), '\t' to
 *     the next multiple of 8; other control characters are ignored;
 *   - ESC [ ... sequences (ECMA-48 / VT100): cursor up, down, right, left
 *     (A B C D), cursor position (H, f), erase in display (J: 0 to the end,
 *     1 from the start, 2 all), erase in line (K: the same), ESC [ ? 25 l
 *     and h to hide and show the cursor; ESC c resets.  Colours and
 *     attributes (m) are accepted and ignored, and so is any sequence the
 *     console does not know; a sequence never leaves the parser stuck.
 * Each change marks the rows it touched dirty, so the drawing code redraws
 * only those.  Pure code: the host unit tests run it (tests/host/test_term.c).
 */
#ifndef FBCON_TERM_H
#define FBCON_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TERM_MAX_COLS   256
#define TERM_MAX_ROWS   128
#define TERM_MAX_PARAMS 8
#define TERM_PARAM_MAX  9999 /* larger numbers in a sequence count as this */
#define TERM_TAB        8

enum term_state { TERM_NORMAL, TERM_ESC, TERM_CSI };

struct term {
    unsigned cols, rows;
    unsigned x, y;  /* the cursor: column and row, from 0 */
    bool wrap_next; /* a character was drawn in the last column: wrap before the next */
    bool cursor_visible;
    uint8_t cell[TERM_MAX_ROWS][TERM_MAX_COLS];
    bool dirty[TERM_MAX_ROWS];
    /* the escape-sequence parser */
    enum term_state state;
    unsigned param[TERM_MAX_PARAMS];
    unsigned nparams; /* parameters begun so far */
    bool private_seq; /* ESC [ ? ... */
    bool bad_seq;     /* an intermediate byte or too many parameters: ignore it */
};

/* An empty grid of cols x rows (each 1 to its maximum); 0 or -1. */
int term_init(struct term *t, unsigned cols, unsigned rows);

/* Bytes a program wrote. */
void term_write(struct term *t, const uint8_t *p, size_t n);

#endif
