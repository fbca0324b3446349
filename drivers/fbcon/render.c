/*
 * render.c - glyphs into framebuffer pixels (see render.h).  Pure code: the
 * host unit tests run it on ordinary memory.
 */
#include "render.h"

void render_cell(const struct framebuffer *fb, const struct fbcon_font *font, unsigned col,
                 unsigned row, uint8_t ch, int inverse)
{
    const uint8_t *glyph = font->glyphs + (uint64_t)ch * font->row_bytes * font->height;
    uint32_t fg = inverse ? RENDER_BG : RENDER_FG, bg = inverse ? RENDER_FG : RENDER_BG;
    uint64_t x0 = (uint64_t)col * font->width, y0 = (uint64_t)row * font->height;
    if (x0 + font->width > fb->width || y0 + font->height > fb->height)
        return; /* a cell that does not fit on the screen is not drawn */
    for (uint32_t y = 0; y < font->height; y++) {
        const uint8_t *bits = glyph + (uint64_t)y * font->row_bytes;
        volatile uint32_t *line = (volatile uint32_t *)(fb->base + (y0 + y) * fb->pitch) + x0;
        for (uint32_t x = 0; x < font->width; x++) {
            int set = (bits[x / 8] >> (7 - x % 8)) & 1;
            line[x] = set ? fg : bg;
        }
    }
}

void render_dirty(const struct framebuffer *fb, const struct fbcon_font *font, struct term *t)
{
    for (unsigned y = 0; y < t->rows; y++) {
        if (!t->dirty[y])
            continue;
        for (unsigned x = 0; x < t->cols; x++) {
            int cursor = t->cursor_visible && x == t->x && y == t->y;
            render_cell(fb, font, x, y, t->cell[y][x], cursor);
        }
        t->dirty[y] = false;
    }
}

void render_clear(const struct framebuffer *fb)
{
    for (uint32_t y = 0; y < fb->height; y++) {
        volatile uint32_t *line = (volatile uint32_t *)(fb->base + (uint64_t)y * fb->pitch);
        for (uint32_t x = 0; x < fb->width; x++)
            line[x] = RENDER_BG;
    }
}
