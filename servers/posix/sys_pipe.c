/*
 * sys_pipe.c - pipe and pipe2, and reading and writing pipe ends
 * (concepts: pipes, blocking calls answered later, producer and consumer,
 * end of file, EPIPE and SIGPIPE).
 *
 * The pipe itself is pipe.c's bounded buffer.  Here a read of an empty
 * pipe that still has writers, and a write to a pipe without room, block -
 * but not the server: the call waits with the pipe as its channel
 * (posix_block, block.h), as wait4 does.  Whenever a pipe changes (bytes
 * in, bytes out, an end closed) every call waiting for it is woken, and
 * runs again from the start with the same arguments; if it can finish now
 * its answer goes through the taken reply handle, else it waits on.  A
 * write remembers how many bytes it has moved already (its task's `done`),
 * so it goes on where it stopped: writes of at most PIPE_BUF bytes go in
 * whole (atomic), larger ones in pieces, as on Linux.
 *
 * O_NONBLOCK answers EAGAIN instead of waiting.  A write with no reader
 * left is EPIPE, and SIGPIPE is sent to the writing thread (sigdeliver.h):
 * its default action ends the process; with SIG_IGN the write gets EPIPE;
 * a handler runs at the write's return, which is EPIPE.
 */
#include "posix.h"
#include "block.h"
#include "proctable.h"
#include "syscalls.h"
#include "usercopy.h"

#define CHUNK 4096 /* bytes copied at a time */

/* Every call waiting for pp may go on now. */
static void pipe_changed(struct pipe *pp)
{
    posix_wakeup(pp);
}

void pipe_setup(void)
{
    pipe_on_change = pipe_changed;
}

/* Byte pos of a request's bytes (its vectors one after the other): its address in the
 * program, and in *run how many bytes follow it in the same vector (0: past the end). */
static uint64_t iov_at(const struct linux_iovec *iov, int64_t cnt, uint64_t pos, uint64_t *run)
{
    for (int64_t i = 0; i < cnt; i++) {
        if (pos < iov[i].len) {
            *run = iov[i].len - pos;
            return iov[i].base + pos;
        }
        pos -= iov[i].len;
    }
    *run = 0;
    return 0;
}

static uint64_t min3(uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Move n bytes of the request, from byte pos on, into the pipe: the bytes moved (fewer if
 * the program's buffer cannot be read further). */
static uint64_t put_from(struct process *p, struct pipe *pp, const struct linux_iovec *iov,
                         int64_t cnt, uint64_t pos, uint64_t n)
{
    static uint8_t chunk[CHUNK];
    uint64_t k = 0, run;
    while (k < n) {
        uint64_t at = iov_at(iov, cnt, pos + k, &run);
        uint64_t m = min3(run, CHUNK, n - k);
        if (m == 0 || user_read(&p->mem, chunk, at, m) < 0)
            break;
        pipe_put(pp, chunk, (uint32_t)m);
        k += m;
    }
    return k;
}

/* SIGPIPE for a write without readers, to the writing thread (as Linux's send_sig). */
static void sigpipe(struct process *p)
{
    struct sig_info info = {.code = LINUX_SI_USER, .pid = p->pid, .uid = p->cred.ruid};
    signal_send_task(task_current(), LINUX_SIGPIPE, &info);
}

int64_t pipe_write_iov(struct process *p, struct ofile *f, const struct linux_iovec *iov,
                       int64_t cnt, uint64_t total)
{
    struct pipe *pp = f->pipe;
    struct task *t = task_current();
    uint64_t done = t->done; /* moved before this call last waited */
    if (total == 0)
        return 0;
    for (;;) {
        if (pp->readers == 0) {
            sigpipe(p);
            return done ? (int64_t)done : -LINUX_EPIPE;
        }
        uint32_t n = pipe_write_amount(pp, total - done, total);
        if (n == 0) {
            if (f->flags & LINUX_O_NONBLOCK)
                return done ? (int64_t)done : -LINUX_EAGAIN;
            t->done = done;
            return posix_block(p, pp, 0);
        }
        uint64_t moved = put_from(p, pp, iov, cnt, done, n);
        done += moved;
        if (moved)
            pipe_changed(pp);
        if (moved < n)
            return done ? (int64_t)done : -LINUX_EFAULT;
        if (done == total)
            return (int64_t)done;
    }
}

int64_t pipe_read_iov(struct process *p, struct ofile *f, const struct linux_iovec *iov,
                      int64_t cnt, uint64_t total)
{
    static uint8_t chunk[CHUNK];
    struct pipe *pp = f->pipe;
    if (total == 0)
        return 0;
    if (pp->count == 0) {
        if (pp->writers == 0)
            return 0; /* end of file */
        if (f->flags & LINUX_O_NONBLOCK)
            return -LINUX_EAGAIN;
        return posix_block(p, pp, 0);
    }
    uint64_t done = 0, run;
    while (done < total && pp->count) {
        uint64_t at = iov_at(iov, cnt, done, &run);
        uint32_t m = (uint32_t)min3(run, CHUNK, pp->count);
        pipe_peek(pp, chunk, m);
        if (m == 0 || user_write(&p->mem, at, chunk, m) < 0)
            break; /* the bytes stay in the pipe */
        pipe_drop(pp, m);
        done += m;
    }
    if (done)
        pipe_changed(pp);
    return done ? (int64_t)done : -LINUX_EFAULT;
}

/* pipe2(fds, flags): a new pipe, its read end at fds[0], its write end at fds[1]. */
int64_t sys_pipe2(struct process *p, const uint64_t *a)
{
    uint64_t flags = a[1] & 0xffffffffu;
    if (flags & ~(uint64_t)(LINUX_O_CLOEXEC | LINUX_O_NONBLOCK))
        return -LINUX_EINVAL;
    struct pipe *pp = pipe_new();
    if (!pp)
        return -LINUX_ENFILE;
    uint32_t extra = (uint32_t)(flags & LINUX_O_NONBLOCK);
    struct ofile *r = ofile_new_pipe(pp, false, extra);
    struct ofile *w = r ? ofile_new_pipe(pp, true, extra) : 0;
    if (!w) {
        if (r)
            ofile_discard(r); /* the pipe goes with it */
        else
            pipe_free(pp);
        return -LINUX_ENFILE;
    }
    bool cloexec = flags & LINUX_O_CLOEXEC;
    int fds[2];
    fds[0] = fdtable_install(&p->files, r, 0, cloexec);
    if (fds[0] < 0) {
        ofile_discard(w);
        return fds[0];
    }
    fds[1] = fdtable_install(&p->files, w, 0, cloexec);
    if (fds[1] < 0) {
        fdtable_close(&p->files, fds[0]);
        return fds[1];
    }
    if (user_write(&p->mem, a[0], fds, sizeof fds) < 0) {
        fdtable_close(&p->files, fds[0]);
        fdtable_close(&p->files, fds[1]);
        return -LINUX_EFAULT;
    }
    return 0;
}

int64_t sys_pipe(struct process *p, const uint64_t *a)
{
    uint64_t b[6] = {a[0], 0, 0, 0, 0, 0};
    return sys_pipe2(p, b);
}
