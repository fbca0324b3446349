/*
 * test_tty.c - the terminal's line discipline (servers/posix/tty_ldisc.c):
 * canonical lines and their editing keys (erase, word erase, kill) with
 * every echo setting, end of file, VEOL and VEOL2, the CR/NL input maps, the signal keys,
 * raw mode's VMIN/VTIME, changing modes, a full queue, flushing.
 */
#include <string.h>
#include "../../servers/posix/tty_ldisc.h"
#include "unit.h"

static struct tty_ldisc tty;
static struct tty_effect eff;
static char echoed[4 * TTY_ECHO];
static int last_signal;

/* Type the bytes; what they echo is appended to `echoed`, the last signal kept. */
static void type(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ldisc_input(&tty, (uint8_t)s[i], &eff);
        size_t at = strlen(echoed);
        memcpy(echoed + at, eff.echo, eff.echo_len);
        echoed[at + eff.echo_len] = 0;
        if (eff.signal)
            last_signal = eff.signal;
    }
}

#define TYPE(s) type(s, sizeof(s) - 1)

static void fresh(void)
{
    ldisc_init(&tty);
    echoed[0] = 0;
    last_signal = 0;
}

/* A read of len bytes: its result, the bytes in buf (NUL-terminated). */
static int64_t rd(char *buf, uint64_t len)
{
    uint32_t timeout;
    int64_t n = ldisc_read(&tty, (uint8_t *)buf, len, false, &timeout);
    buf[n > 0 ? n : 0] = 0;
    return n;
}

static void test_defaults(void)
{
    fresh();
    CHECK(tty.tio.lflag & LINUX_ICANON);
    CHECK(tty.tio.lflag & LINUX_ECHO);
    CHECK(tty.tio.lflag & LINUX_ISIG);
    CHECK(tty.tio.iflag & LINUX_ICRNL);
    CHECK_EQ(tty.tio.cc[LINUX_VINTR], 3);
    CHECK_EQ(tty.tio.cc[LINUX_VEOF], 4);
    CHECK_EQ(tty.tio.cc[LINUX_VERASE], 0x7f);
    CHECK_EQ(tty.tio.cc[LINUX_VMIN], 1);
    CHECK_EQ(tty.ws.rows, 24);
    CHECK_EQ(tty.ws.cols, 80);
    CHECK_EQ(sizeof(struct linux_termios), 36);
    CHECK_EQ(sizeof(struct linux_winsize), 8);
}

static void test_canonical_lines(void)
{
    char buf[64];
    uint32_t timeout = 7;
    fresh();
    TYPE("ls -l");
    CHECK_EQ(ldisc_read(&tty, (uint8_t *)buf, sizeof buf, false, &timeout), LDISC_WAIT);
    CHECK_EQ(timeout, 0); /* a canonical read waits without a limit */
    CHECK_EQ(ldisc_readable(&tty), 0);
    TYPE("\r"); /* Enter: CR, made NL by ICRNL */
    CHECK(strcmp(echoed, "ls -l\n") == 0);
    TYPE("pwd\r");
    CHECK_EQ(ldisc_readable(&tty), 10);
    CHECK_EQ(rd(buf, sizeof buf), 6); /* one line per read */
    CHECK(strcmp(buf, "ls -l\n") == 0);
    CHECK_EQ(rd(buf, 2), 2); /* a short read takes part of a line, the rest comes next */
    CHECK(strcmp(buf, "pw") == 0);
    CHECK_EQ(rd(buf, sizeof buf), 2);
    CHECK(strcmp(buf, "d\n") == 0);
    CHECK_EQ(rd(buf, sizeof buf), LDISC_WAIT);
}

static void test_erase(void)
{
    char buf[64];
    fresh();
    TYPE("abX\x7f"
         "c\n");
    CHECK(strcmp(echoed, "abX\b \bc\n") == 0); /* ECHOE: erased from the screen */
    CHECK_EQ(rd(buf, sizeof buf), 4);
    CHECK(strcmp(buf, "abc\n") == 0);
    /* a control character was shown as ^X: two columns to erase */
    fresh();
    TYPE("a\x01\x7f\n");
    CHECK(strcmp(echoed, "a^A\b \b\b \b\n") == 0);
    CHECK_EQ(rd(buf, sizeof buf), 2);
    /* without ECHOE the erase character itself is echoed */
    fresh();
    tty.tio.lflag &= ~LINUX_ECHOE;
    TYPE("ab\x7f\n");
    CHECK(strcmp(echoed, "ab^?\n") == 0);
    CHECK_EQ(rd(buf, sizeof buf), 2);
    CHECK(strcmp(buf, "a\n") == 0);
    /* erase at the start of a line does nothing, and never reaches a finished line */
    fresh();
    TYPE("x\n\x7f\x7fy\n");
    CHECK(strcmp(echoed, "x\ny\n") == 0);
    CHECK_EQ(rd(buf, sizeof buf), 2);
    CHECK_EQ(rd(buf, sizeof buf), 2);
    CHECK(strcmp(buf, "y\n") == 0);
    /* another erase character */
    fresh();
    tty.tio.cc[LINUX_VERASE] = '\b';
    TYPE("ab\b\x7f\n");
    CHECK_EQ(rd(buf, sizeof buf), 3);
    CHECK(strcmp(buf, "a\x7f\n") == 0);
}

static void test_word_erase(void)
{
    char buf[64];
    fresh();
    TYPE("echo one two  \x17three\n"); /* ^W: the blanks, then "two" */
    CHECK_EQ(rd(buf, sizeof buf), 15);
    CHECK(strcmp(buf, "echo one three\n") == 0);
    fresh();
    tty.tio.lflag &= ~LINUX_IEXTEN; /* without IEXTEN ^W is an ordinary character */
    TYPE("a\x17\n");
    CHECK_EQ(rd(buf, sizeof buf), 3);
}

static void test_kill(void)
{
    char buf[64];
    fresh();
    TYPE("wrong\x15right\n"); /* ^U with ECHOKE: the line erased from the screen */
    CHECK(strcmp(echoed, "wrong\b \b\b \b\b \b\b \b\b \bright\n") == 0);
    CHECK_EQ(rd(buf, sizeof buf), 6);
    CHECK(strcmp(buf, "right\n") == 0);
    fresh();
    tty.tio.lflag &= ~LINUX_ECHOKE; /* ECHOK: the kill character and a new line */
    TYPE("ab\x15"
         "c\n");
    CHECK(strcmp(echoed, "ab^U\nc\n") == 0);
    CHECK_EQ(rd(buf, sizeof buf), 2);
    fresh();
    tty.tio.lflag &= ~(LINUX_ECHOKE | LINUX_ECHOK);
    TYPE("ab\x15"
         "c\n");
    CHECK(strcmp(echoed, "ab^Uc\n") == 0);
}

static void test_eof(void)
{
    char buf[64];
    fresh();
    TYPE("\x04"); /* ^D at the start of a line: end of file */
    CHECK(strcmp(echoed, "") == 0);
    CHECK_EQ(ldisc_readable(&tty), 0);
    CHECK_EQ(rd(buf, sizeof buf), 0);
    CHECK_EQ(rd(buf, sizeof buf), LDISC_WAIT); /* taken once */
    TYPE("abc\x04"); /* after text: the text is readable without a newline */
    CHECK_EQ(ldisc_readable(&tty), 3);
    CHECK_EQ(rd(buf, sizeof buf), 3);
    CHECK(strcmp(buf, "abc") == 0);
    CHECK_EQ(rd(buf, sizeof buf), LDISC_WAIT);
    TYPE("ab\x04"); /* a read too short for the line leaves the VEOF: the next read sees 0 */
    CHECK_EQ(rd(buf, 2), 2);
    CHECK_EQ(rd(buf, sizeof buf), 0);
    TYPE("\x04\x04");
    CHECK_EQ(rd(buf, sizeof buf), 0);
    CHECK_EQ(rd(buf, sizeof buf), 0);
}

static void test_other_line_ends(void)
{
    char buf[64];
    fresh();
    tty.tio.cc[LINUX_VEOL] = ';';
    tty.tio.cc[LINUX_VEOL2] = '|';
    TYPE("a;b|c"); /* VEOL ends a line and is read; VEOL2 too, with IEXTEN */
    CHECK(strcmp(echoed, "a;b|c") == 0);
    CHECK_EQ(rd(buf, sizeof buf), 2);
    CHECK(strcmp(buf, "a;") == 0);
    CHECK_EQ(rd(buf, sizeof buf), 2);
    CHECK(strcmp(buf, "b|") == 0);
    CHECK_EQ(rd(buf, sizeof buf), LDISC_WAIT);
    fresh();
    tty.tio.cc[LINUX_VEOL2] = '|';
    tty.tio.lflag &= ~LINUX_IEXTEN; /* VEOL2 needs IEXTEN */
    TYPE("b|");
    CHECK_EQ(rd(buf, sizeof buf), LDISC_WAIT);
}

static void test_input_maps(void)
{
    char buf[64];
    fresh();
    tty.tio.iflag &= ~LINUX_ICRNL; /* CR is then an ordinary character */
    TYPE("a\rb\n");
    CHECK_EQ(rd(buf, sizeof buf), 4);
    CHECK(strcmp(buf, "a\rb\n") == 0);
    fresh();
    tty.tio.iflag |= LINUX_IGNCR;
    TYPE("a\r\n");
    CHECK_EQ(rd(buf, sizeof buf), 2);
    CHECK(strcmp(buf, "a\n") == 0);
    fresh();
    tty.tio.iflag = LINUX_INLCR;
    tty.tio.lflag &= ~LINUX_ICANON;
    TYPE("\n");
    CHECK_EQ(rd(buf, sizeof buf), 1);
    CHECK_EQ(buf[0], '\r');
    fresh();
    tty.tio.iflag |= LINUX_ISTRIP;
    TYPE("\xe1\n");
    CHECK_EQ(rd(buf, sizeof buf), 2);
    CHECK_EQ(buf[0], 'a');
}

static void test_signals(void)
{
    char buf[64];
    const struct {
        const char *key;
        int sig;
        const char *echo;
    } keys[] = {{"\x03", LINUX_SIGINT, "^C"},
                {"\x1c", LINUX_SIGQUIT, "^\\"},
                {"\x1a", LINUX_SIGTSTP, "^Z"}};
    for (unsigned i = 0; i < 3; i++) {
        fresh();
        TYPE("ready\nhalf");
        type(keys[i].key, 1);
        CHECK_EQ(last_signal, keys[i].sig);
        CHECK(strcmp(echoed + strlen("ready\nhalf"), keys[i].echo) == 0);
        CHECK_EQ(rd(buf, sizeof buf), LDISC_WAIT); /* the queue was flushed */
    }
    fresh();
    tty.tio.lflag |= LINUX_NOFLSH; /* NOFLSH: the input stays */
    TYPE("ok\n\x03");
    CHECK_EQ(last_signal, LINUX_SIGINT);
    CHECK_EQ(rd(buf, sizeof buf), 3);
    fresh();
    tty.tio.lflag &= ~LINUX_ISIG; /* without ISIG the keys are input */
    TYPE("\x03\x1a\n");
    CHECK_EQ(last_signal, 0);
    CHECK_EQ(rd(buf, sizeof buf), 3);
    CHECK_EQ(buf[0], 3);
    fresh();
    tty.tio.cc[LINUX_VINTR] = 0; /* a disabled special character (_POSIX_VDISABLE) */
    TYPE("\x03");
    CHECK_EQ(last_signal, 0);
    fresh();
    tty.tio.lflag &= ~LINUX_ECHO; /* a signal key without echo shows nothing */
    TYPE("\x03");
    CHECK_EQ(last_signal, LINUX_SIGINT);
    CHECK(strcmp(echoed, "") == 0);
}

static void test_echo_settings(void)
{
    char buf[64];
    fresh();
    tty.tio.lflag &= ~LINUX_ECHO;
    TYPE("secret\n");
    CHECK(strcmp(echoed, "") == 0);
    CHECK_EQ(rd(buf, sizeof buf), 7);
    fresh();
    tty.tio.lflag = (tty.tio.lflag & ~LINUX_ECHO) | LINUX_ECHONL; /* only the newline */
    TYPE("secret\n");
    CHECK(strcmp(echoed, "\n") == 0);
    fresh();
    tty.tio.lflag &= ~LINUX_ECHOCTL; /* control characters echoed as they are */
    TYPE("\x01\n");
    CHECK(strcmp(echoed, "\x01\n") == 0);
    fresh();
    TYPE("\t\n"); /* a tab is never ^I */
    CHECK(strcmp(echoed, "\t\n") == 0);
}

static void test_raw(void)
{
    char buf[64];
    uint32_t timeout;
    fresh();
    struct linux_termios t = tty.tio;
    t.lflag &= ~(LINUX_ICANON | LINUX_ECHO);
    ldisc_set(&tty, &t);
    CHECK_EQ(ldisc_read(&tty, (uint8_t *)buf, sizeof buf, false, &timeout), LDISC_WAIT);
    CHECK_EQ(timeout, 0);  /* VMIN 1, VTIME 0: waits for a byte */
    TYPE("\x7f\x15\x04x"); /* no editing, no end of file: all bytes are input */
    CHECK(strcmp(echoed, "") == 0);
    CHECK_EQ(ldisc_readable(&tty), 4);
    CHECK_EQ(rd(buf, 2), 2);
    CHECK_EQ(rd(buf, sizeof buf), 2);
    CHECK(memcmp(buf, "\x04x", 2) == 0);
    /* VMIN 3: waits for three bytes (or fewer, if the read asks for fewer) */
    t.cc[LINUX_VMIN] = 3;
    ldisc_set(&tty, &t);
    TYPE("ab");
    CHECK_EQ(ldisc_read(&tty, (uint8_t *)buf, sizeof buf, false, &timeout), LDISC_WAIT);
    CHECK_EQ(rd(buf, 1), 1);
    TYPE("cd");
    CHECK_EQ(rd(buf, sizeof buf), 3);
    CHECK(strcmp(buf, "bcd") == 0);
    /* VMIN 3, VTIME 5: after a first byte, waits at most 0.5 s (between bytes) */
    t.cc[LINUX_VTIME] = 5;
    ldisc_set(&tty, &t);
    CHECK_EQ(ldisc_read(&tty, (uint8_t *)buf, sizeof buf, false, &timeout), LDISC_WAIT);
    CHECK_EQ(timeout, 0); /* no byte yet: no timer */
    TYPE("e");
    CHECK_EQ(ldisc_read(&tty, (uint8_t *)buf, sizeof buf, false, &timeout), LDISC_WAIT);
    CHECK_EQ(timeout, 5);
    CHECK_EQ(ldisc_read(&tty, (uint8_t *)buf, sizeof buf, true, &timeout), 1);
    /* VMIN 0, VTIME 0: a poll */
    t.cc[LINUX_VMIN] = 0;
    t.cc[LINUX_VTIME] = 0;
    ldisc_set(&tty, &t);
    CHECK_EQ(rd(buf, sizeof buf), 0);
    TYPE("f");
    CHECK_EQ(rd(buf, sizeof buf), 1);
    /* VMIN 0, VTIME 2: waits at most 0.2 s for a first byte */
    t.cc[LINUX_VTIME] = 2;
    ldisc_set(&tty, &t);
    CHECK_EQ(ldisc_read(&tty, (uint8_t *)buf, sizeof buf, false, &timeout), LDISC_WAIT);
    CHECK_EQ(timeout, 2);
    CHECK_EQ(ldisc_read(&tty, (uint8_t *)buf, sizeof buf, true, &timeout), 0);
    TYPE("gh");
    CHECK_EQ(rd(buf, sizeof buf), 2);
    /* raw mode with ECHO echoes every byte */
    t.lflag |= LINUX_ECHO;
    ldisc_set(&tty, &t);
    TYPE("q\x1b");
    CHECK(strcmp(echoed, "q^[") == 0);
}

static void test_mode_changes(void)
{
    char buf[64];
    fresh();
    TYPE("half");
    struct linux_termios t = tty.tio;
    t.lflag &= ~LINUX_ICANON; /* to raw: the line being edited becomes readable */
    ldisc_set(&tty, &t);
    CHECK_EQ(ldisc_readable(&tty), 4);
    TYPE("x");
    t.lflag |= LINUX_ICANON; /* back: what was typed is a line of its own */
    ldisc_set(&tty, &t);
    CHECK_EQ(rd(buf, sizeof buf), 5);
    CHECK(strcmp(buf, "halfx") == 0);
    CHECK_EQ(rd(buf, sizeof buf), LDISC_WAIT);
}

static void test_full_and_flush(void)
{
    char buf[TTY_QUEUE + 8];
    fresh();
    static char line[TTY_QUEUE + 10];
    memset(line, 'a', sizeof line);
    type(line, sizeof line); /* a canonical line holds 4095 bytes; the rest is dropped */
    TYPE("\n");
    CHECK_EQ(ldisc_readable(&tty), TTY_QUEUE);
    CHECK_EQ(rd(buf, sizeof buf), TTY_QUEUE);
    CHECK_EQ(buf[TTY_QUEUE - 1], '\n');
    TYPE("one\ntwo");
    ldisc_flush(&tty);
    CHECK_EQ(ldisc_readable(&tty), 0);
    CHECK_EQ(rd(buf, sizeof buf), LDISC_WAIT);
    fresh();
    struct linux_termios t = tty.tio;
    t.lflag &= ~(LINUX_ICANON | LINUX_ECHO);
    ldisc_set(&tty, &t);
    type(line, sizeof line); /* raw mode keeps TTY_QUEUE bytes */
    CHECK_EQ(ldisc_readable(&tty), TTY_QUEUE);
}

int main(void)
{
    unit_run("tty", "defaults", test_defaults);
    unit_run("tty", "canonical_lines", test_canonical_lines);
    unit_run("tty", "erase", test_erase);
    unit_run("tty", "word_erase", test_word_erase);
    unit_run("tty", "kill", test_kill);
    unit_run("tty", "eof", test_eof);
    unit_run("tty", "other_line_ends", test_other_line_ends);
    unit_run("tty", "input_maps", test_input_maps);
    unit_run("tty", "signals", test_signals);
    unit_run("tty", "echo_settings", test_echo_settings);
    unit_run("tty", "raw", test_raw);
    unit_run("tty", "mode_changes", test_mode_changes);
    unit_run("tty", "full_and_flush", test_full_and_flush);
    return unit_exit_code();
}
