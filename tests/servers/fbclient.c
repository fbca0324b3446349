/*
 * fbclient.c - a test client of the framebuffer console (drivers/fbcon,
 * system tests "fbcon-uefi" and "fbcon-vga"): malformed requests first
 * (each must get its error, and the console keeps running), then known
 * text with control characters and escape sequences, then a line typed on
 * the keyboard and read through the console.  The test compares QEMU's
 * screen with the same text rendered on the host from the same font.
 */
#include <mica.h>
#include <mica/string.h>
#include <runtime.h>
#include <server.h>
#include <thread.h>
#include "console_client.h"
#include "rawcall.h"

static unsigned malformed(mica_handle_t ep, struct mica_ipc_buffer *ipc)
{
    unsigned bad = 0;
    const uint64_t w[4] = {0, 0, 0, 0};
    raw_expect("fbclient", "label past the interface",
               raw_call(ep, ipc, CONSOLE_LABEL_END, 0, 0, w), MICA_ENOSYS, &bad);
    raw_expect("fbclient", "write of 513 bytes",
               raw_call(ep, ipc, CONSOLE_LABEL_WRITE, 64, 0, (const uint64_t[4]){513, 0, 0, 0}),
               MICA_EINVAL, &bad);
    raw_expect("fbclient", "write of 100 bytes in 0 words",
               raw_call(ep, ipc, CONSOLE_LABEL_WRITE, 0, 0, (const uint64_t[4]){100, 0, 0, 0}),
               MICA_EINVAL, &bad);
    raw_expect("fbclient", "write with a handle", raw_call(ep, ipc, CONSOLE_LABEL_WRITE, 0, 1, w),
               MICA_EINVAL, &bad);
    raw_expect("fbclient", "read of 0 bytes", raw_call(ep, ipc, CONSOLE_LABEL_READ, 0, 0, w),
               MICA_EINVAL, &bad);
    raw_expect("fbclient", "read of 513 bytes",
               raw_call(ep, ipc, CONSOLE_LABEL_READ, 0, 0, (const uint64_t[4]){513, 0, 0, 0}),
               MICA_EINVAL, &bad);
    raw_expect("fbclient", "read with wait = 7",
               raw_call(ep, ipc, CONSOLE_LABEL_READ, 0, 0, (const uint64_t[4]){8, 7, 0, 0}),
               MICA_EINVAL, &bad);
    return bad;
}

static int put(mica_handle_t ep, struct mica_ipc_buffer *ipc, const char *s)
{
    uint32_t written = 0;
    int err = console_write(ep, ipc, s, (uint32_t)strlen(s), &written);
    return err < 0 ? err : written == strlen(s) ? 0 : -MICA_EIO;
}

/* The text the system test expects on the screen (tests/system/systest.py, fbcon_screen). */
static const char *const screen[] = {
    "\x1b[2J\x1b[H",                         /* clear the screen, cursor home */
    "Mica framebuffer console\n",            /* row 1 */
    "line 2: tab\there, backspace: ab\bc\n", /* row 2: "...tab     here, backspace: ac" */
    "XXXXXXXXXX\rerased\x1b[K\n",            /* row 3: "erased" */
    "\x1b[4;1H0123456789\x1b[4;5H\x1b[1K",   /* row 4: "     56789" */
    "\x1b[6;10Hat row 6, column 10",         /* row 6 */
    "\x1b[8;1HLatin-1: \xe9\xe8\xfc\xdf",    /* row 8 */
};

int main(const struct mica_server_start *st)
{
    mica_handle_t ep = mica_start_handle(st, "console");
    if (mica_runtime_init(mica_start_handle(st, "self")) < 0)
        return 1;
    struct mica_ipc_buffer *ipc = mica_thread_ipc_buffer();
    unsigned bad = malformed(ep, ipc);
    int err = 0;
    for (unsigned i = 0; i < sizeof screen / sizeof screen[0] && err == 0; i++)
        err = put(ep, ipc, screen[i]);
    mica_printf("fbclient: %u malformed requests answered wrongly; ready for a key\n", bad);
    char typed[64] = "\x1b[10;1Htyped: ";
    unsigned len = (unsigned)strlen(typed);
    while (err == 0 && len < sizeof typed - 1) {
        uint8_t data[CONSOLE_CHUNK];
        uint32_t n = 0;
        err = console_read(ep, ipc, 1, true, data, &n);
        if (err < 0 || n != 1 || data[0] == '\r')
            break;
        typed[len++] = (char)data[0];
    }
    typed[len] = 0;
    if (err == 0)
        err = put(ep, ipc, typed);
    if (err == 0)
        err = put(ep, ipc, "\x1b[?25l"); /* hide the cursor: the screen holds only the text */
    mica_printf("fbclient: screen written (%d), read \"%s\"\n", err, typed + 7);
    return err || bad ? 1 : 0;
}
