/*
 * sys_poll.c - poll and ppoll: waiting for any of several descriptors to
 * become ready (concepts: I/O multiplexing, readiness).
 *
 * poll() looks at each descriptor: the terminal is readable when a read
 * would not wait (tty.c), a pipe's read end when it holds bytes or has no
 * writers left (POLLHUP), its write end when it has room (POLLERR when no
 * reader is left); files and directories are always ready.  If none is
 * ready the call waits (posix_block) on one channel for all polls, which
 * every change of a pipe and every input of the terminal wakes: each
 * waiting poll then looks again - a few useless retries in exchange for
 * keeping no list of who polls what (BSD's select kept such a shared
 * channel for its collisions too).  The timeout's deadline is worked out
 * on the first run and kept in the task (`done`), as for nanosleep.
 */
#include "posix.h"
#include "block.h"
#include "syscalls.h"
#include "tty.h"
#include "usercopy.h"

#define POLLIN     0x001
#define POLLPRI    0x002
#define POLLOUT    0x004
#define POLLERR    0x008
#define POLLHUP    0x010
#define POLLNVAL   0x020
#define POLLRDNORM 0x040
#define POLLWRNORM 0x100
#define POLL_MAX   FD_MAX /* more entries than RLIMIT_NOFILE: EINVAL */

struct linux_pollfd {
    int32_t fd;
    int16_t events, revents;
};

static const int poll_chan; /* what waiting polls wait for */
static void (*pipe_changed_before)(struct pipe *pp);

/* A pipe changed: whoever waits for it, and every waiting poll, looks again. */
static void pipe_changed(struct pipe *pp)
{
    if (pipe_changed_before)
        pipe_changed_before(pp);
    posix_wakeup(&poll_chan);
}

void poll_setup(void)
{
    pipe_changed_before = pipe_on_change;
    pipe_on_change = pipe_changed;
}

void poll_notify(void)
{
    posix_wakeup(&poll_chan);
}

/* What of events (and POLLERR, POLLHUP, POLLNVAL, always) fd has now. */
static int16_t ready(struct process *p, int32_t fd, int16_t events)
{
    struct ofile *f = fdtable_get(&p->files, fd);
    int16_t in = POLLIN | POLLRDNORM, out = POLLOUT | POLLWRNORM, r = 0;
    if (!f)
        return POLLNVAL;
    if (f->kind == OFILE_CONSOLE) {
        r = (tty_readable() ? in : 0) | out;
    } else if (f->kind == OFILE_PIPE && (f->flags & LINUX_O_ACCMODE) == LINUX_O_RDONLY) {
        r = (f->pipe->count ? in : 0) | (f->pipe->writers ? 0 : POLLHUP);
    } else if (f->kind == OFILE_PIPE) {
        r = f->pipe->readers ? (pipe_space(f->pipe) >= 4096 ? out : 0) : POLLERR;
    } else {
        r = in | out;
    }
    return (int16_t)(r & (events | POLLERR | POLLHUP | POLLNVAL));
}

/* The poll itself; timeout_ns: UINT64_MAX for no limit. */
static int64_t do_poll(struct process *p, uint64_t addr, uint64_t nfds, uint64_t timeout_ns)
{
    static struct linux_pollfd fds[POLL_MAX];
    struct task *t = task_current();
    if (nfds > POLL_MAX)
        return -LINUX_EINVAL;
    if (user_read(&p->mem, fds, addr, nfds * sizeof fds[0]) < 0)
        return -LINUX_EFAULT;
    int64_t n = 0;
    for (uint64_t i = 0; i < nfds; i++) {
        fds[i].revents = fds[i].fd < 0 ? 0 : ready(p, fds[i].fd, fds[i].events);
        n += fds[i].revents != 0;
    }
    if (t->done == 0) /* the first run: the deadline */
        t->done = timeout_ns == UINT64_MAX      ? UINT64_MAX
                  : timeout_ns > UINT64_MAX / 4 ? UINT64_MAX / 4
                                                : mica_clock_ns() + timeout_ns;
    if (n == 0 && !posix_timed_out(p) && mica_clock_ns() < t->done)
        return posix_block(p, &poll_chan, t->done == UINT64_MAX ? 0 : t->done);
    if (user_write(&p->mem, addr, fds, nfds * sizeof fds[0]) < 0)
        return -LINUX_EFAULT;
    return n;
}

/* poll(fds, nfds, timeout): milliseconds, negative for no limit. */
int64_t sys_poll(struct process *p, const uint64_t *a)
{
    int32_t ms = (int32_t)a[2];
    return do_poll(p, a[0], a[1], ms < 0 ? UINT64_MAX : (uint64_t)ms * 1000000ull);
}

/* ppoll(fds, nfds, tsp, sigmask, sigsetsize): a timespec (NULL: no limit). */
int64_t sys_ppoll(struct process *p, const uint64_t *a)
{
    uint64_t ns = UINT64_MAX;
    if (a[2] && task_current()->done == 0) {
        int64_t ts[2];
        if (user_read(&p->mem, ts, a[2], sizeof ts) < 0)
            return -LINUX_EFAULT;
        if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
            return -LINUX_EINVAL;
        ns = (uint64_t)ts[0] > UINT64_MAX / 4000000000ull
                 ? UINT64_MAX / 4
                 : (uint64_t)ts[0] * 1000000000ull + (uint64_t)ts[1];
    }
    return do_poll(p, a[0], a[1], ns);
}
