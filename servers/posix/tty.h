/*
 * tty.h - the terminal on the serial console (servers/posix/tty.c)
 * (concepts: the terminal as a file, controlling terminal, foreground
 * process group, job control).
 *
 * Descriptors 0, 1 and 2 of the first processes (and /dev/tty,
 * /dev/console, /dev/ttyS0) are open files of kind OFILE_CONSOLE: this
 * terminal.  Its input comes from the console service through a thread of
 * the server that only reads (the serve loop must never wait for a key):
 * each piece arrives in the serve loop as a message with the badge kind
 * BADGE_INPUT and goes through the line discipline (tty_ldisc.h), which
 * echoes, edits lines and turns ^C, ^\ and ^Z into signals for the
 * foreground process group.  A read that finds nothing to take waits
 * (posix_block on the terminal) and runs again when input comes.
 *
 * Job control: the terminal belongs to at most one session (the
 * controlling terminal of its processes that have `ctty`); of its process
 * groups one is in the foreground.  Only the foreground may read (a
 * background reader gets SIGTTIN) and, with TOSTOP, write or change the
 * settings (SIGTTOU).
 */
#ifndef POSIX_TTY_H
#define POSIX_TTY_H

#include <stdbool.h>
#include <stdint.h>
#include <mica.h>
#include "process.h"
#include "tty_ldisc.h"

struct tty {
    struct tty_ldisc ld;
    int sid;  /* the session it is the controlling terminal of, 0: none */
    int pgrp; /* that session's foreground process group */
};

extern struct tty tty;

/* The label of an input message (w0: bytes now in the input buffer). */
#define TTY_INPUT_LABEL 0x7e01

/* Set the terminal up and start the input thread, which calls `input` (a handle to the
 * server's endpoint with the input badge) with what the console service gives: 0 or an error. */
int tty_setup(mica_handle_t input);

/* An input message from the input thread: its bytes go through the line discipline. */
void tty_input(const struct mica_msg *m);

/* A run-list program: the leader of a new session and process group; if the terminal is
 * nobody's controlling terminal, it becomes this session's, with p's group in the foreground. */
void tty_new_session(struct process *p);

/* p is ending: a session leader's terminal is free again. */
void tty_process_ended(const struct process *p);

/* An open of the terminal (/dev/tty, /dev/console, /dev/ttyS0): 0, or -ENXIO for /dev/tty
 * (dev_tty) without a controlling terminal.  Without O_NOCTTY, a session leader without a
 * controlling terminal gets it, if it is free. */
int tty_opened(struct process *p, uint32_t flags, bool dev_tty);

/* read, write and ioctl on the terminal, for the open file f. */
int64_t tty_read(struct process *p, struct ofile *f, uint64_t buf, uint64_t len);
int64_t tty_write(struct process *p, uint64_t buf, uint64_t len);
int64_t tty_ioctl(struct process *p, uint32_t cmd, uint64_t arg);

#endif
