/*
 * test_term.c - the framebuffer console's text grid, escape-sequence parser
 * (drivers/fbcon/term.c) and glyph drawing (drivers/fbcon/render.c, into
 * ordinary memory with a made-up font).
 */
#include <stdlib.h>
#include <string.h>
#include "../../drivers/fbcon/render.h"
#include "../../drivers/fbcon/term.h"
#include "unit.h"

static struct term t;

static void put(const char *s)
{
    term_write(&t, (const uint8_t *)s, strlen(s));
}

/* Row y of the grid as a string without trailing blanks. */
static const char *row(unsigned y)
{
    static char s[TERM_MAX_COLS + 1];
    memcpy(s, t.cell[y], t.cols);
    unsigned n = t.cols;
    while (n && s[n - 1] == ' ')
        n--;
    s[n] = 0;
    return s;
}

#define ROW(y, want) CHECK(strcmp(row(y), want) == 0)
#define AT(cx, cy)   CHECK(t.x == (cx) && t.y == (cy))

static void test_init(void)
{
    CHECK_EQ(term_init(&t, 0, 5), -1);
    CHECK_EQ(term_init(&t, 10, 0), -1);
    CHECK_EQ(term_init(&t, TERM_MAX_COLS + 1, 5), -1);
    CHECK_EQ(term_init(&t, 10, TERM_MAX_ROWS + 1), -1);
    CHECK_EQ(term_init(&t, TERM_MAX_COLS, TERM_MAX_ROWS), 0);
    CHECK_EQ(term_init(&t, 10, 4), 0);
    AT(0, 0);
    CHECK(t.cursor_visible && t.dirty[0] && t.dirty[3]);
}

static void test_text_and_controls(void)
{
    term_init(&t, 10, 4);
    put("ab\ncd");
    ROW(0, "ab");
    ROW(1, "cd");
    AT(2, 1);
    put("\rX\tY\b\bZ");
    ROW(1, "Xd     ZY");
    AT(8, 1);
    put("\t\tq"); /* tab stops at 8, then the last column */
    AT(9, 1);
    put("\a\x01\x7f");
    ROW(1, "Xd     ZYq");
    AT(9, 1);
    CHECK(t.wrap_next);
    put("r"); /* wraps */
    ROW(2, "r");
    AT(1, 2);
    put("\b\b\b"); /* backspace stops at the left edge */
    AT(0, 2);
    put("\xe9"); /* Latin-1 is drawn */
    CHECK_EQ(t.cell[2][0], 0xe9);
}

static void test_wrap_and_scroll(void)
{
    term_init(&t, 4, 3);
    put("abcdefgh");
    ROW(0, "abcd");
    ROW(1, "efgh");
    AT(3, 1);
    CHECK(t.wrap_next);
    put("\nij\nkl\nmn");
    ROW(0, "ij");
    ROW(1, "kl");
    ROW(2, "mn");
    AT(2, 2);
    memset(t.dirty, 0, sizeof t.dirty);
    put("\n");
    CHECK(t.dirty[0] && t.dirty[1] && t.dirty[2]);
    ROW(0, "kl");
    ROW(2, "");
    /* exactly filling the last line does not scroll until the next character */
    put("wxyz");
    ROW(0, "kl");
    ROW(2, "wxyz");
    put("!");
    ROW(0, "mn");
    ROW(1, "wxyz");
    ROW(2, "!");
}

static void test_cursor_sequences(void)
{
    term_init(&t, 20, 10);
    put("\x1b[3;5H");
    AT(4, 2);
    put("\x1b[2A");
    AT(4, 0);
    put("\x1b[A"); /* clamped at the top */
    AT(4, 0);
    put("\x1b[4B\x1b[3C");
    AT(7, 4);
    put("\x1b[100D");
    AT(0, 4);
    put("\x1b[H");
    AT(0, 0);
    put("\x1b[99;99f");
    AT(19, 9);
    put("\x1b[;5H");
    AT(4, 0);
    put("\x1b[0;0H");
    AT(0, 0);
    put("\x1b[0C"); /* a count of 0 means 1 */
    AT(1, 0);
    put("\x1b[99999999999999999999B"); /* huge numbers are clamped */
    AT(1, 9);
}

static void test_erase(void)
{
    term_init(&t, 8, 3);
    put("aaaaaaaa\nbbbbbbbb\ncccccccc\x1b[2;4H\x1b[K");
    ROW(1, "bbb");
    put("\x1b[1K");
    ROW(1, "");
    put("\x1b[1;3H\x1b[0J");
    ROW(0, "aa");
    ROW(1, "");
    ROW(2, "");
    term_init(&t, 8, 3);
    put("aaaaaaaa\nbbbbbbbb\ncccccccc\x1b[2;4H\x1b[1J");
    ROW(0, "");
    ROW(1, "    bbbb");
    ROW(2, "cccccccc");
    put("\x1b[2K");
    ROW(1, "");
    put("\x1b[2J");
    ROW(2, "");
    AT(3, 1); /* erasing does not move the cursor */
    put("xy\x1b"
        "c");
    ROW(1, "");
    AT(0, 0);
}

static void test_ignored_and_bad_sequences(void)
{
    term_init(&t, 20, 4);
    put("\x1b[1;31mred\x1b[0m \x1b[5n\x1b[?1049h");
    ROW(0, "red");
    put("\x1b[?25l");
    CHECK(!t.cursor_visible);
    put("\x1b[?25h");
    CHECK(t.cursor_visible);
    /* too many parameters, an intermediate byte, ? in the middle: ignored whole */
    put("\x1b[1;1;1;1;1;1;1;1;1;1H\x1b[ 2J\x1b[1?5H");
    ROW(0, "red");
    AT(4, 0);
    /* CAN cancels a sequence; ESC inside one starts a new one */
    put("\x1b[2\x18J\x1b[5\x1b[2;2H");
    ROW(0, "red J");
    AT(1, 1);
    /* control characters act inside a sequence */
    put("\x1b[1\nC");
    AT(1, 2);
    /* ESC with something else: nothing */
    put("\x1b(B\x1bZok");
    ROW(2, " Bok");
    /* a sequence split over two writes */
    put("\x1b[");
    put("4;1H");
    AT(0, 3);
}

/* A made-up font of 8x2 glyphs: glyph b has row 0 = b, row 1 = ~b. */
static uint8_t glyph_data[256 * 2];
static const struct fbcon_font font = {8, 2, 1, glyph_data};

static void test_render(void)
{
    for (unsigned b = 0; b < 256; b++) {
        glyph_data[2 * b] = (uint8_t)b;
        glyph_data[2 * b + 1] = (uint8_t)~b;
    }
    enum { W = 20, H = 5, PITCH = W * 4 + 8 }; /* 2 x 2 cells and some pixels beyond */
    uint8_t *mem = malloc(PITCH * H);
    memset(mem, 0x55, PITCH * H);
    struct framebuffer fb = {mem, PITCH, W, H};
    uint32_t *px = (uint32_t *)mem;
    render_cell(&fb, &font, 1, 1, 0x81, 0); /* pixels x 8-15, y 2-3 */
    CHECK_EQ(px[2 * PITCH / 4 + 8], RENDER_FG);
    CHECK_EQ(px[2 * PITCH / 4 + 9], RENDER_BG);
    CHECK_EQ(px[2 * PITCH / 4 + 15], RENDER_FG);
    CHECK_EQ(px[3 * PITCH / 4 + 8], RENDER_BG);
    CHECK_EQ(px[3 * PITCH / 4 + 9], RENDER_FG);
    CHECK_EQ(px[2 * PITCH / 4 + 7], 0x55555555u); /* nothing outside the cell */
    CHECK_EQ(px[2 * PITCH / 4 + 16], 0x55555555u);
    CHECK_EQ(px[1 * PITCH / 4 + 8], 0x55555555u);
    render_cell(&fb, &font, 1, 1, 0x81, 1);
    CHECK_EQ(px[2 * PITCH / 4 + 8], RENDER_BG);
    CHECK_EQ(px[2 * PITCH / 4 + 9], RENDER_FG);
    /* a cell beyond the screen (x 16-23 > 20 pixels) is not drawn */
    render_cell(&fb, &font, 2, 0, 0xff, 0);
    CHECK_EQ(px[16], 0x55555555u);
    render_cell(&fb, &font, 0, 2, 0xff, 0); /* rows 4-5 of 5 */
    CHECK_EQ(px[4 * PITCH / 4], 0x55555555u);
    render_clear(&fb);
    CHECK_EQ(px[4 * PITCH / 4 + 19], RENDER_BG);
    CHECK_EQ(px[W], 0x55555555u); /* the padding past the width stays */
    /* render_dirty draws dirty rows with the cursor inverted, and clears the marks */
    term_init(&t, 2, 2);
    put("\x01"
        "A\n");
    render_dirty(&fb, &font, &t);
    CHECK(!t.dirty[0] && !t.dirty[1]);
    CHECK_EQ(px[1], RENDER_FG); /* the control character is not drawn; 'A' = 0x41: pixel 1 */
    CHECK_EQ(px[2], RENDER_BG);
    CHECK_EQ(px[2 * PITCH / 4 + 0], RENDER_FG); /* the cursor at (0,1) on ' ' = 0x20: */
    CHECK_EQ(px[2 * PITCH / 4 + 2], RENDER_BG); /* inverted, bit 5 set */
    free(mem);
}

int main(void)
{
    unit_run("term", "init", test_init);
    unit_run("term", "text_and_controls", test_text_and_controls);
    unit_run("term", "wrap_and_scroll", test_wrap_and_scroll);
    unit_run("term", "cursor_sequences", test_cursor_sequences);
    unit_run("term", "erase", test_erase);
    unit_run("term", "ignored_and_bad_sequences", test_ignored_and_bad_sequences);
    unit_run("term", "render", test_render);
    return unit_exit_code();
}
