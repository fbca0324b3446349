/*
 * runlist.h - the command lines the posix server runs (servers/posix/runlist.c)
 * (concept: a process's arguments and environment).
 *
 * The manifest's args= names a file in the initial ramdisk.  If it is an
 * ELF program, the server runs it without arguments.  Otherwise it is a
 * list, one command line per line, run one after the other:
 *
 *     # comment
 *     [NAME=VALUE ...] PATH [ARGUMENT ...]
 *
 * Words are separated by spaces; the NAME=VALUE words before the program
 * are its environment (none by default), as env(1) would set it.  PATH is
 * looked up in the ramdisk without its leading '/'.
 */
#ifndef POSIX_RUNLIST_H
#define POSIX_RUNLIST_H

#include <stdint.h>

#define RUNLIST_LINE_MAX  512
#define RUNLIST_WORDS_MAX 64

struct command {
    char text[RUNLIST_LINE_MAX]; /* the words, each NUL-terminated */
    const char *env[RUNLIST_WORDS_MAX];
    const char *argv[RUNLIST_WORDS_MAX];
    unsigned envc, argc; /* argc >= 1: argv[0] is the path */
};

/*
 * The next command line of the list (len bytes at list) from *offset on,
 * skipping empty lines and comments; advances *offset.  1 with *c filled,
 * 0 at the end, -1 if a line is too long or has too many words.
 */
int runlist_next(const char *list, uint64_t len, uint64_t *offset, struct command *c);

#endif
