/*
 * font.h - the bitmap font of the framebuffer console.
 *
 * The font's data is not in the tree: tools/psf2c.py writes it at build
 * time from a Linux console font of a Debian package (build.mk) into
 * build/gen/fbcon_font.c.  One glyph per byte value 0-255 (Latin-1); a
 * glyph is `height` rows of `row_bytes` bytes, the leftmost pixel in the
 * top bit of the first byte, a set bit drawn in the foreground colour.
 */
#ifndef FBCON_FONT_H
#define FBCON_FONT_H

#include <stdint.h>

struct fbcon_font {
    uint32_t width, height; /* of a glyph, in pixels */
    uint32_t row_bytes;     /* bytes per glyph row: (width + 7) / 8 */
    const uint8_t *glyphs;  /* 256 glyphs of row_bytes * height bytes */
};

extern const struct fbcon_font fbcon_font;

#endif
