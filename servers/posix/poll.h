/*
 * poll.h - which operations on an open file would not wait now
 * (servers/posix/poll.c) (concepts: I/O multiplexing, readiness).
 *
 * poll, ppoll, select and pselect6 (sys_poll.c) ask, for many descriptors
 * at once, whether a read or a write would go on without waiting.  Each
 * kind of open file answers with Linux's event bits.  Pure code: the host
 * tests run it.
 */
#ifndef POSIX_POLL_H
#define POSIX_POLL_H

#include <stdint.h>
#include "fdtable.h"
#include "linux_abi.h" /* the event bits, LINUX_POLL* */

/* The events that are ready on f now (POLLIN: a read would not wait, POLLOUT: a write would not
 * wait, POLLHUP: the other side is gone, POLLERR: writing would fail). */
uint32_t ofile_poll(const struct ofile *f);

/* How the console answers (sys_io.c's terminal); NULL: always readable and writable. */
extern uint32_t (*console_poll)(const struct ofile *f);

#endif
