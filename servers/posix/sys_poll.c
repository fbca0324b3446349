/*
 * sys_poll.c - poll, ppoll, select, pselect6 (concepts: I/O multiplexing,
 * waiting for one of many events, timeouts).
 *
 * Each call looks at every descriptor it is given (poll.h says when one is
 * ready).  If some are ready, or the timeout is zero, it answers at once.
 * Otherwise it waits (block.h) - on BLOCK_ANY, the channel every wakeup
 * also wakes: a pipe that changes, a child that ends, input on the
 * terminal.  The call then runs again and looks afresh; a wakeup that
 * concerned other descriptors just makes it wait again.  Its deadline,
 * computed once from the timeout, is kept in the task's `done` across the
 * runs; when it passes, the call answers 0 (nothing ready).
 */
#include "posix.h"
#include "block.h"
#include "poll.h"
#include "syscalls.h"
#include "usercopy.h"
#include <mica/string.h>

#define POLL_MAX  4096 /* pollfd entries copied at a time */
#define FDSET_MAX 1024 /* FD_SETSIZE: select's descriptors */

struct linux_pollfd {
    int32_t fd;
    int16_t events, revents;
};

/*
 * The deadline of the current call (mica_clock_ns() time) from a timeout of ns nanoseconds
 * (UINT64_MAX: none): computed at the first run, kept in the task for the later ones.  0 means
 * no deadline.
 */
static uint64_t deadline_from(uint64_t ns)
{
    struct task *t = task_current();
    if (ns == UINT64_MAX)
        return 0;
    if (!t->done)
        t->done = mica_clock_ns() + ns + 1; /* + 1: never 0 */
    return t->done;
}

/* What to answer when nothing is ready: wait, or 0 if the time is up. */
static int64_t wait_or_zero(struct process *p, uint64_t deadline, uint64_t ns)
{
    if (ns == 0 || posix_timed_out(p) || (deadline && deadline <= mica_clock_ns()))
        return 0;
    return posix_block(p, BLOCK_ANY, deadline);
}

/* The revents of one pollfd. */
static int16_t revents(struct process *p, const struct linux_pollfd *pf)
{
    if (pf->fd < 0)
        return 0;
    struct ofile *f = fdtable_get(&p->files, pf->fd);
    if (!f)
        return LINUX_POLLNVAL;
    uint32_t want = (uint16_t)pf->events | LINUX_POLLERR | LINUX_POLLHUP;
    return (int16_t)(ofile_poll(f) & want);
}

/* poll's work: the fds at ufds, a timeout of ns nanoseconds (UINT64_MAX: none). */
static int64_t do_poll(struct process *p, uint64_t ufds, uint64_t nfds, uint64_t ns)
{
    static struct linux_pollfd pf[POLL_MAX];
    if (nfds > p->rlimit[LINUX_RLIMIT_NOFILE].cur || nfds > POLL_MAX)
        return -LINUX_EINVAL;
    if (nfds && user_read(&p->mem, pf, ufds, nfds * sizeof pf[0]) < 0)
        return -LINUX_EFAULT;
    uint64_t deadline = deadline_from(ns);
    int64_t ready = 0;
    for (uint64_t i = 0; i < nfds; i++) {
        pf[i].revents = revents(p, &pf[i]);
        ready += pf[i].revents != 0;
    }
    if (ready == 0) {
        int64_t r = wait_or_zero(p, deadline, ns);
        if (r != 0)
            return r;
    }
    if (nfds && user_write(&p->mem, ufds, pf, nfds * sizeof pf[0]) < 0)
        return -LINUX_EFAULT;
    return ready;
}

/* A timespec timeout at uts in nanoseconds (UINT64_MAX for NULL), or an error. */
static int64_t timespec_ns(struct process *p, uint64_t uts, uint64_t *ns)
{
    struct linux_timespec ts;
    *ns = UINT64_MAX;
    if (!uts)
        return 0;
    if (user_read(&p->mem, &ts, uts, sizeof ts) < 0)
        return -LINUX_EFAULT;
    if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000)
        return -LINUX_EINVAL;
    *ns = (uint64_t)ts.sec * 1000000000ull + (uint64_t)ts.nsec;
    return 0;
}

/* poll(fds, nfds, timeout in milliseconds; negative: none) */
int64_t sys_poll(struct process *p, const uint64_t *a)
{
    int32_t ms = (int32_t)a[2];
    return do_poll(p, a[0], a[1], ms < 0 ? UINT64_MAX : (uint64_t)ms * 1000000ull);
}

/* ppoll(fds, nfds, timeout, sigmask, sigsetsize) */
int64_t sys_ppoll(struct process *p, const uint64_t *a)
{
    uint64_t ns;
    int64_t err = timespec_ns(p, a[2], &ns);
    if (err < 0)
        return err;
    if (a[3] && a[4] != 8)
        return -LINUX_EINVAL;
    return do_poll(p, a[0], a[1], ns);
}

/* select's three sets, as bits: a word per 64 descriptors. */
struct fdsets {
    uint64_t in[FDSET_MAX / 64], out[FDSET_MAX / 64], ex[FDSET_MAX / 64];
};

static bool bit(const uint64_t *set, unsigned fd)
{
    return set[fd / 64] >> (fd % 64) & 1;
}

static int read_set(struct process *p, uint64_t addr, uint64_t *set, unsigned words)
{
    memset(set, 0, FDSET_MAX / 8);
    return addr && user_read(&p->mem, set, addr, words * 8) < 0 ? -LINUX_EFAULT : 0;
}

static int write_set(struct process *p, uint64_t addr, const uint64_t *set, unsigned words)
{
    return addr && user_write(&p->mem, addr, set, words * 8) < 0 ? -LINUX_EFAULT : 0;
}

/* Look at the n descriptors of the sets in s (the answers replace them): how many bits are set,
 * or -EBADF if one of them is not open. */
static int64_t select_scan(struct process *p, struct fdsets *s, unsigned n)
{
    struct fdsets out;
    memset(&out, 0, sizeof out);
    int64_t count = 0;
    for (unsigned fd = 0; fd < n; fd++) {
        if (!bit(s->in, fd) && !bit(s->out, fd) && !bit(s->ex, fd))
            continue;
        struct ofile *f = fdtable_get(&p->files, fd);
        if (!f)
            return -LINUX_EBADF;
        uint32_t r = ofile_poll(f);
        uint64_t mask = 1ull << (fd % 64);
        if (bit(s->in, fd) && (r & (LINUX_POLLIN | LINUX_POLLHUP | LINUX_POLLERR)))
            out.in[fd / 64] |= mask, count++;
        if (bit(s->out, fd) && (r & (LINUX_POLLOUT | LINUX_POLLERR)))
            out.out[fd / 64] |= mask, count++;
        if (bit(s->ex, fd) && (r & LINUX_POLLPRI))
            out.ex[fd / 64] |= mask, count++;
    }
    *s = out;
    return count;
}

/* select's work: a timeout of ns nanoseconds (UINT64_MAX: none). */
static int64_t do_select(struct process *p, const uint64_t *a, uint64_t ns)
{
    static struct fdsets s;
    int32_t nfds = (int32_t)a[0];
    if (nfds < 0)
        return -LINUX_EINVAL;
    unsigned n = nfds > FDSET_MAX ? FDSET_MAX : (unsigned)nfds, words = (n + 63) / 64;
    if (read_set(p, a[1], s.in, words) < 0 || read_set(p, a[2], s.out, words) < 0 ||
        read_set(p, a[3], s.ex, words) < 0)
        return -LINUX_EFAULT;
    uint64_t deadline = deadline_from(ns);
    int64_t ready = select_scan(p, &s, n);
    if (ready < 0)
        return ready;
    if (ready == 0) {
        int64_t r = wait_or_zero(p, deadline, ns);
        if (r != 0)
            return r;
    }
    if (write_set(p, a[1], s.in, words) < 0 || write_set(p, a[2], s.out, words) < 0 ||
        write_set(p, a[3], s.ex, words) < 0)
        return -LINUX_EFAULT;
    return ready;
}

/* The time left of a select's timeout, written back as Linux does (ns: the timeout given). */
static uint64_t time_left(uint64_t ns)
{
    uint64_t deadline = deadline_from(ns), now = mica_clock_ns();
    return deadline && deadline > now ? deadline - now : 0;
}

/* select(nfds, readfds, writefds, exceptfds, timeout: struct timeval) */
int64_t sys_select(struct process *p, const uint64_t *a)
{
    int64_t tv[2];
    uint64_t ns = UINT64_MAX;
    if (a[4]) {
        if (user_read(&p->mem, tv, a[4], sizeof tv) < 0)
            return -LINUX_EFAULT;
        if (tv[0] < 0 || tv[1] < 0 || tv[1] >= 1000000)
            return -LINUX_EINVAL;
        ns = (uint64_t)tv[0] * 1000000000ull + (uint64_t)tv[1] * 1000ull;
    }
    int64_t r = do_select(p, a, ns);
    if (r != POSIX_DEFERRED && r >= 0 && a[4]) {
        uint64_t left = time_left(ns);
        int64_t back[2] = {(int64_t)(left / 1000000000ull), (int64_t)(left % 1000000000ull / 1000)};
        (void)user_write(&p->mem, a[4], back, sizeof back);
    }
    return r;
}

/* pselect6(nfds, readfds, writefds, exceptfds, timeout: struct timespec, sigmask data) */
int64_t sys_pselect6(struct process *p, const uint64_t *a)
{
    uint64_t ns;
    int64_t err = timespec_ns(p, a[4], &ns);
    if (err < 0)
        return err;
    int64_t r = do_select(p, a, ns);
    if (r != POSIX_DEFERRED && r >= 0 && a[4]) {
        uint64_t left = time_left(ns);
        struct linux_timespec back = {(int64_t)(left / 1000000000ull),
                                      (int64_t)(left % 1000000000ull)};
        (void)user_write(&p->mem, a[4], &back, sizeof back);
    }
    return r;
}
