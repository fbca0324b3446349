/*
 * term.c - the console's text grid and its escape-sequence parser (see
 * term.h).  Pure code: the host unit tests run it.
 */
#include "term.h"
#include <mica/string.h>

#define ESC 0x1b
#define CAN 0x18 /* cancels a sequence */
#define SUB 0x1a /* cancels a sequence */

int term_init(struct term *t, unsigned cols, unsigned rows)
{
    if (cols < 1 || cols > TERM_MAX_COLS || rows < 1 || rows > TERM_MAX_ROWS)
        return -1;
    memset(t, 0, sizeof *t);
    t->cols = cols;
    t->rows = rows;
    t->cursor_visible = true;
    memset(t->cell, ' ', sizeof t->cell);
    for (unsigned y = 0; y < rows; y++)
        t->dirty[y] = true;
    return 0;
}

/* Blank columns [from, to) of row y. */
static void erase(struct term *t, unsigned y, unsigned from, unsigned to)
{
    if (from < to)
        memset(&t->cell[y][from], ' ', to - from);
    t->dirty[y] = true;
}

static void scroll_up(struct term *t)
{
    memmove(t->cell[0], t->cell[1], (size_t)(t->rows - 1) * TERM_MAX_COLS);
    erase(t, t->rows - 1, 0, t->cols);
    for (unsigned y = 0; y < t->rows; y++)
        t->dirty[y] = true;
}

/* Move the cursor; it stays on the grid.  The rows it leaves and enters are redrawn. */
static void move_to(struct term *t, long x, long y)
{
    t->dirty[t->y] = true;
    t->x = x < 0 ? 0 : x >= (long)t->cols ? t->cols - 1 : (unsigned)x;
    t->y = y < 0 ? 0 : y >= (long)t->rows ? t->rows - 1 : (unsigned)y;
    t->dirty[t->y] = true;
    t->wrap_next = false;
}

static void newline(struct term *t)
{
    if (t->y + 1 == t->rows) {
        scroll_up(t);
        move_to(t, 0, t->y);
    } else {
        move_to(t, 0, t->y + 1);
    }
}

static void put_char(struct term *t, uint8_t c)
{
    if (t->wrap_next)
        newline(t);
    t->cell[t->y][t->x] = c;
    t->dirty[t->y] = true;
    if (t->x + 1 == t->cols)
        t->wrap_next = true;
    else
        t->x++;
}

static void control(struct term *t, uint8_t c)
{
    switch (c) {
    case '\n':
        newline(t);
        break;
    case '\r':
        move_to(t, 0, t->y);
        break;
    case '\b':
        move_to(t, (long)t->x - 1, t->y);
        break;
    case '\t':
        move_to(t, (long)(t->x / TERM_TAB + 1) * TERM_TAB, t->y);
        break;
    default: /* BEL and the rest: nothing to show */
        break;
    }
}

/* Parameter i of the sequence, or def if it was left out or 0 (for counts). */
static unsigned param(const struct term *t, unsigned i, unsigned def)
{
    return i < t->nparams && t->param[i] ? t->param[i] : def;
}

/* ESC [ n J and ESC [ n K: erase in the display and in the line. */
static void erase_display(struct term *t, unsigned mode)
{
    if (mode == 0) {
        erase(t, t->y, t->x, t->cols);
        for (unsigned y = t->y + 1; y < t->rows; y++)
            erase(t, y, 0, t->cols);
    } else if (mode == 1) {
        for (unsigned y = 0; y < t->y; y++)
            erase(t, y, 0, t->cols);
        erase(t, t->y, 0, t->x + 1);
    } else if (mode == 2 || mode == 3) {
        for (unsigned y = 0; y < t->rows; y++)
            erase(t, y, 0, t->cols);
    }
}

static void erase_line(struct term *t, unsigned mode)
{
    if (mode == 0)
        erase(t, t->y, t->x, t->cols);
    else if (mode == 1)
        erase(t, t->y, 0, t->x + 1);
    else if (mode == 2)
        erase(t, t->y, 0, t->cols);
}

/* The final byte of ESC [ params: carry the sequence out. */
static void csi(struct term *t, uint8_t final)
{
    if (t->bad_seq)
        return;
    if (t->private_seq) {
        if ((final == 'l' || final == 'h') && t->nparams == 1 && t->param[0] == 25) {
            t->cursor_visible = final == 'h';
            t->dirty[t->y] = true;
        }
        return;
    }
    long x = t->x, y = t->y;
    switch (final) {
    case 'A':
        move_to(t, x, y - param(t, 0, 1));
        break;
    case 'B':
        move_to(t, x, y + param(t, 0, 1));
        break;
    case 'C':
        move_to(t, x + param(t, 0, 1), y);
        break;
    case 'D':
        move_to(t, x - param(t, 0, 1), y);
        break;
    case 'H':
    case 'f':
        move_to(t, (long)param(t, 1, 1) - 1, (long)param(t, 0, 1) - 1);
        break;
    case 'J':
        erase_display(t, t->nparams ? t->param[0] : 0);
        break;
    case 'K':
        erase_line(t, t->nparams ? t->param[0] : 0);
        break;
    default:
        break; /* m (colours) and the sequences we do not know */
    }
}

static void start_sequence(struct term *t)
{
    t->state = TERM_CSI;
    t->nparams = 0;
    t->private_seq = false;
    t->bad_seq = false;
    memset(t->param, 0, sizeof t->param);
}

/* One byte inside ESC [ ... : parameters, separators, intermediates, the final byte. */
static void csi_byte(struct term *t, uint8_t c)
{
    if (c >= '0' && c <= '9') {
        if (t->nparams == 0)
            t->nparams = 1;
        if (t->nparams <= TERM_MAX_PARAMS) {
            unsigned *p = &t->param[t->nparams - 1];
            *p = *p * 10 + (c - '0');
            if (*p > TERM_PARAM_MAX)
                *p = TERM_PARAM_MAX;
        }
    } else if (c == ';') {
        if (t->nparams == 0)
            t->nparams = 1; /* an empty first parameter */
        if (t->nparams == TERM_MAX_PARAMS)
            t->bad_seq = true;
        else
            t->nparams++;
    } else if (c == '?' && t->nparams == 0) {
        t->private_seq = true;
    } else if (c >= 0x40 && c <= 0x7e) {
        csi(t, c);
        t->state = TERM_NORMAL;
    } else {
        t->bad_seq = true; /* intermediate bytes, a misplaced '?': not ours */
    }
}

static void byte(struct term *t, uint8_t c)
{
    if (c == CAN || c == SUB) {
        t->state = TERM_NORMAL;
        return;
    }
    if (c == ESC) {
        t->state = TERM_ESC;
        return;
    }
    if (c < 0x20) { /* control characters act even inside a sequence, as on a VT100 */
        control(t, c);
        return;
    }
    switch (t->state) {
    case TERM_NORMAL:
        if (c != 0x7f)
            put_char(t, c);
        break;
    case TERM_ESC:
        if (c == '[') {
            start_sequence(t);
        } else {
            if (c == 'c') { /* reset */
                erase_display(t, 2);
                move_to(t, 0, 0);
                t->cursor_visible = true;
            }
            t->state = TERM_NORMAL;
        }
        break;
    case TERM_CSI:
        csi_byte(t, c);
        break;
    }
}

void term_write(struct term *t, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        byte(t, p[i]);
}
