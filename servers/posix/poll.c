/*
 * poll.c - readiness of open files (concepts: I/O multiplexing).  See
 * poll.h.
 *
 * A regular file or a directory never makes a read or a write wait, so it
 * is always ready, as on Linux.  A pipe's read end is readable when it
 * holds bytes, and reports POLLHUP once no writer is left (a read then
 * gives end of file without waiting); its write end is writable when at
 * least PIPE_BUF bytes fit (so that an atomic write would not wait), and
 * reports POLLERR once no reader is left.  The console asks the terminal's
 * own function.
 */
#include "poll.h"
#include "pipe.h"

uint32_t (*console_poll)(const struct ofile *f);

static uint32_t pipe_poll(const struct ofile *f)
{
    const struct pipe *pp = f->pipe;
    uint32_t ready = 0, acc = f->flags & LINUX_O_ACCMODE;
    if (acc != LINUX_O_WRONLY) { /* a read end (a FIFO opened O_RDWR is both ends) */
        if (pp->count)
            ready |= LINUX_POLLIN | LINUX_POLLRDNORM;
        if (pp->writers == 0)
            ready |= LINUX_POLLHUP;
    }
    if (acc != LINUX_O_RDONLY) {
        if (pipe_space(pp) >= PIPE_BUF)
            ready |= LINUX_POLLOUT | LINUX_POLLWRNORM;
        if (pp->readers == 0)
            ready |= LINUX_POLLERR;
    }
    return ready;
}

uint32_t ofile_poll(const struct ofile *f)
{
    const uint32_t all = LINUX_POLLIN | LINUX_POLLRDNORM | LINUX_POLLOUT | LINUX_POLLWRNORM;
    switch (f->kind) {
    case OFILE_PIPE:
        return pipe_poll(f);
    case OFILE_CONSOLE:
        return console_poll ? console_poll(f) : all;
    default:
        return all;
    }
}
