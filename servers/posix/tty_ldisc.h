/*
 * tty_ldisc.h - the terminal's line discipline (servers/posix/tty_ldisc.c)
 * (concepts: terminals, canonical and raw input, echo, the special
 * characters that become signals).
 *
 * Between the keys a user types and the bytes a program reads sits the
 * line discipline, configured by struct termios (termios(3)).  In
 * canonical mode (ICANON) it collects a line the user may still edit -
 * VERASE takes the last character back, VWERASE the last word, VKILL the
 * whole line - and a read gets only finished lines: ended by a newline,
 * VEOL, VEOL2 or VEOF (^D, which is not passed on; at the start of a line
 * a read returns 0, "end of file").  In raw mode (ICANON off) every byte
 * can be read at once, and VMIN and VTIME say when a read returns.  With
 * ECHO each typed character is written back to the terminal (control
 * characters as ^X with ECHOCTL).  With ISIG, VINTR (^C), VQUIT (^\) and
 * VSUSP (^Z) are not input: they become SIGINT, SIGQUIT and SIGTSTP for
 * the terminal's foreground process group, and the queued input is
 * flushed (unless NOFLSH).  c_iflag maps CR and NL on the way in (ICRNL,
 * INLCR, IGNCR, ISTRIP).
 *
 * Pure code: the caller hands in bytes one at a time and gets back what
 * to echo and which signal to send; reads take bytes out of the queue.
 * The host tests (tests/host/test_tty.c) run it.
 */
#ifndef POSIX_TTY_LDISC_H
#define POSIX_TTY_LDISC_H

#include <stdbool.h>
#include <stdint.h>
#include "linux_abi.h"

#define TTY_QUEUE 4096            /* bytes of input kept (N_TTY_BUF_SIZE); a line is at most 4095 */
#define TTY_ECHO  (6 * TTY_QUEUE) /* the most one input byte echoes: ^U erasing a line of ^Xs */

/* What q[i] is besides a byte of input (delim[i]). */
enum { LDISC_DATA, LDISC_EOL, LDISC_EOF };

/* The kernel's struct termios on x86-64 (asm-generic/termbits.h): TCGETS/TCSETS, 36 bytes. */
struct linux_termios {
    uint32_t iflag, oflag, cflag, lflag;
    uint8_t line;
    uint8_t cc[LINUX_NCCS];
};

/* struct winsize (asm-generic/termios.h): TIOCGWINSZ/TIOCSWINSZ. */
struct linux_winsize {
    uint16_t rows, cols, xpixel, ypixel;
};

struct tty_ldisc {
    struct linux_termios tio;
    uint8_t q[TTY_QUEUE];     /* input: finished lines first, then the line being edited */
    uint8_t delim[TTY_QUEUE]; /* LDISC_EOL: q[i] ends a line; LDISC_EOF: a VEOF (not read) */
    uint32_t len;             /* bytes in q */
    uint32_t ready;           /* q[0..ready) can be read: finished lines (all of q in raw mode) */
    struct linux_winsize ws;  /* the window size (the terminal does not tell; 24 x 80) */
};

/* What one input byte caused: bytes to echo, and a signal for the foreground group (or 0). */
struct tty_effect {
    uint8_t echo[TTY_ECHO];
    unsigned echo_len;
    int signal;
};

/* A terminal as Linux sets one up: canonical, echoing, ISIG, ICRNL, ^C ^\ ^Z ^D ^U DEL ^W. */
void ldisc_init(struct tty_ldisc *l);

/* One byte typed on the terminal: queued, edited or turned into a signal (*e says which). */
void ldisc_input(struct tty_ldisc *l, uint8_t c, struct tty_effect *e);

/* Bytes a read can take now (FIONREAD): the finished lines, or all of the queue in raw mode. */
uint32_t ldisc_readable(const struct tty_ldisc *l);

/*
 * A read of at most len bytes (len > 0) into dst, as termios says: LDISC_WAIT
 * if it must wait for more input, with *timeout_ds the most it waits in
 * tenths of a second (0: no limit; raw mode's VTIME), and nothing taken;
 * else the bytes taken now (0: end of file - a VEOF at the start of a line -
 * or raw mode's VMIN 0 with nothing there).  Canonical mode gives at most one
 * line.  timed_out: the wait VTIME set has passed (return what is there).
 */
#define LDISC_WAIT (-1)
int64_t ldisc_read(struct tty_ldisc *l, uint8_t *dst, uint64_t len, bool timed_out,
                   uint32_t *timeout_ds);

/* New settings (TCSETS*): leaving canonical mode makes the line being edited readable. */
void ldisc_set(struct tty_ldisc *l, const struct linux_termios *t);

/* Throw away all queued input (TCSETSF, TCFLSH, and a signal key without NOFLSH). */
void ldisc_flush(struct tty_ldisc *l);

#endif
