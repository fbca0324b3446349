/*
 * main.c - msh, Mica's native shell: reads command lines from the console
 * service and runs them (commands.c).  It is an ordinary server: the boot
 * manifest gives it the services it may use (uses=console, supervisor,
 * devmgr, rtc, rng, blk; args=NAME picks another console endpoint than
 * "console", such as the framebuffer console's), and it talks to each through the recovering stubs
 * (lib/mica/client.h), so a console driver that is restarted under it loses
 * no output.  Until the Linux personality brings a POSIX shell, this is
 * what `make run` lands in.
 *
 * Line editing is the shell's: the console delivers raw bytes, and the shell
 * echoes what is typed, erases with Backspace/Delete, drops the line with
 * Ctrl-U or Ctrl-C, and runs it on Enter.
 */
#include <stdarg.h>
#include <mica.h>
#include <runtime.h>
#include <server.h>
#include <str.h>
#include <thread.h>
#include "console_client.h"
#include "shell.h"

struct shell sh;

static void put(const char *s, uint32_t n)
{
    while (n > 0) {
        uint32_t chunk = n > CONSOLE_CHUNK ? CONSOLE_CHUNK : n, written = 0;
        if (console_write_r(&sh.console, s, chunk, &written) < 0 || written == 0)
            return; /* the console is gone for good: nothing to tell anyone */
        s += written;
        n -= written;
    }
}

void sh_printf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = mica_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0)
        put(buf, (uint32_t)(n < (int)sizeof buf ? n : (int)sizeof buf - 1));
}

/* Input read from the console and not yet used: typing ahead of the prompt is kept. */
static struct {
    uint8_t buf[CONSOLE_CHUNK];
    uint32_t pos, len;
} ahead;

/* The next byte typed; false if the console failed. */
static bool next_byte(char *c)
{
    if (ahead.pos == ahead.len) {
        ahead.pos = ahead.len = 0;
        if (console_read_r(&sh.console, sizeof ahead.buf, true, ahead.buf, &ahead.len) < 0)
            return false;
    }
    *c = (char)ahead.buf[ahead.pos++];
    return true;
}

/* One line from the console into line (NUL-terminated); false if the console failed. */
static bool read_line(char *line, unsigned max)
{
    unsigned len = 0;
    for (;;) {
        char c;
        if (!next_byte(&c))
            return false;
        if (c == '\r' || c == '\n') {
            put("\n", 1);
            line[len] = 0;
            return true;
        } else if ((c == 0x7f || c == 0x08) && len > 0) {
            len--;
            put("\b \b", 3);
        } else if (c == 0x15 || c == 0x03) { /* Ctrl-U, Ctrl-C: start again */
            put(c == 0x03 ? "^C\n" : "\n", c == 0x03 ? 3 : 1);
            len = 0;
            put("msh$ ", 5);
        } else if (c >= 0x20 && c < 0x7f && len + 1 < max) {
            line[len++] = c;
            put(&c, 1);
        }
    }
}

/* Split line into words at spaces (in place). */
static int split(char *line, char **argv, int max)
{
    int argc = 0;
    char *p = line;
    while (*p && argc < max) {
        while (*p == ' ')
            *p++ = 0;
        if (!*p)
            break;
        argv[argc++] = p;
        while (*p && *p != ' ')
            p++;
    }
    return argc;
}

int main(const struct mica_server_start *st)
{
    sh.self = mica_start_handle(st, "self");
    if (mica_runtime_init(sh.self) < 0 || !(sh.ipc = mica_thread_ipc_buffer()))
        return 1;
    /* args= names the console to use (the framebuffer's, "screen"); "console" by default. */
    const char *console = st->args[0] ? st->args : "console";
    sh.console = (struct mica_client){.ep = mica_start_handle(st, console), .ipc = sh.ipc};
    sh.supervisor = mica_start_handle(st, "supervisor");
    sh.devmgr = mica_start_handle(st, "devmgr");
    sh.rtc = mica_start_handle(st, "rtc");
    sh.rng = mica_start_handle(st, "rng");
    sh.blk = mica_start_handle(st, "blk");
    if (!sh.console.ep) {
        mica_printf("msh: no console (uses=%s)\n", console);
        return 1;
    }
    sh_printf("\nMica native shell. Type `help` for the commands.\n");
    for (;;) {
        char line[SHELL_LINE_MAX], *argv[SHELL_ARGS_MAX];
        sh_printf("msh$ ");
        if (!read_line(line, sizeof line))
            return 1;
        int argc = split(line, argv, SHELL_ARGS_MAX);
        if (argc > 0)
            sh_run(argc, argv);
    }
}
