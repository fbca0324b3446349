/*
 * render.h - drawing the console's text grid into a framebuffer (concept:
 * a framebuffer - the screen as memory, one 32-bit word per pixel).
 * drivers/fbcon/render.c.
 *
 * A glyph cell of the font at column c, row r covers the pixels from
 * (c * font width, r * font height).  Text is white on black, so the
 * framebuffer's order of the colour channels does not matter; the cell
 * under a visible cursor is drawn inverted.  Only 32 bits per pixel are
 * supported (what GRUB, UEFI and QEMU's VGA give).  Pure code: the host
 * unit tests draw into ordinary memory (tests/host/test_term.c).
 */
#ifndef FBCON_RENDER_H
#define FBCON_RENDER_H

#include <stdint.h>
#include "font.h"
#include "term.h"

#define RENDER_FG 0x00ffffffu
#define RENDER_BG 0x00000000u

struct framebuffer {
    volatile uint8_t *base; /* the first pixel, mapped */
    uint32_t pitch;         /* bytes from one line to the next */
    uint32_t width, height; /* pixels */
};

/* Draw one cell: character ch, inverted or not. */
void render_cell(const struct framebuffer *fb, const struct fbcon_font *font, unsigned col,
                 unsigned row, uint8_t ch, int inverse);

/* Redraw the rows of t that are dirty (and clear their marks), with the cursor. */
void render_dirty(const struct framebuffer *fb, const struct fbcon_font *font, struct term *t);

/* Paint the whole framebuffer black. */
void render_clear(const struct framebuffer *fb);

#endif
