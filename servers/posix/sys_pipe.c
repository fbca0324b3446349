/*
 * sys_pipe.c - pipe and pipe2, and reading and writing pipe ends
 * (concepts: pipes, blocking calls answered later, producer and consumer,
 * end of file, EPIPE and SIGPIPE).
 *
 * The pipe itself is pipe.c's bounded buffer.  Here a read of an empty
 * pipe that still has writers, and a write to a pipe without room, block -
 * but not the server: the call takes its reply handle (mica_reply_take),
 * notes the pipe it waits for and answers POSIX_DEFERRED, as wait4 does.
 * Whenever a pipe changes (bytes in, bytes out, an end closed) every
 * process waiting for it is marked ready, and after each message the serve
 * loop runs pipe_retry(): a ready process's call runs again from the
 * start, with the same arguments; if it can finish now its answer goes
 * through the taken handle, else it waits on.  A write remembers how many
 * bytes it has moved already (pipe_done), so it goes on where it stopped:
 * writes of at most PIPE_BUF bytes go in whole (atomic), larger ones in
 * pieces, as on Linux.  The wait list is the process table itself: a
 * process waits for at most one pipe, and a process that ends (killed, or
 * its thread gone) gives back its reply handle first (pipe_cancel), so no
 * answer is left dangling.
 *
 * O_NONBLOCK answers EAGAIN instead of waiting.  A write with no reader
 * left is EPIPE; SIGPIPE is not delivered (no signal delivery yet), but a
 * process whose SIGPIPE action is the default (terminate) and not blocked
 * ends killed by SIGPIPE, as on Linux; with SIG_IGN or a handler it gets
 * EPIPE.
 */
#include "posix.h"
#include "proctable.h"
#include "syscalls.h"
#include "usercopy.h"

#define CHUNK   4096 /* bytes copied at a time */
#define SIG_DFL 0

static bool any_ready; /* some process is marked ready (pipe_retry has work) */

/* Every process waiting for pp may go on now. */
static void pipe_changed(struct pipe *pp)
{
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct process *w = proc_at(i);
        if (w && w->pipe_reply && w->pipe_wait == pp) {
            w->pipe_ready = true;
            any_ready = true;
        }
    }
}

void pipe_setup(void)
{
    pipe_on_change = pipe_changed;
}

/* p's call cannot go on yet: it waits for pp (its reply taken at the first wait). */
static int64_t pipe_block(struct process *p, struct pipe *pp)
{
    if (!p->pipe_reply) {
        int64_t reply = mica_reply_take();
        if (reply < 0)
            return -LINUX_ENOMEM;
        p->pipe_reply = (mica_handle_t)reply;
    }
    p->pipe_wait = pp;
    p->pipe_ready = false;
    return POSIX_DEFERRED;
}

int64_t pipe_wait(struct process *p, struct pipe *pp)
{
    return pipe_block(p, pp);
}

void pipe_cancel(struct process *p)
{
    fifo_cancel(p);    /* a FIFO open that waits no longer counts as an end */
    if (p->pipe_reply) /* the call will not be answered: its thread is going */
        mica_handle_close(p->pipe_reply);
    p->pipe_reply = 0;
    p->pipe_wait = 0;
    p->pipe_ready = false;
}

/* Answer p's waiting call with the answer's first two words. */
static void answer(struct process *p, uint64_t kind, uint64_t value)
{
    struct mica_msg m = {0, 0, {kind, value, 0, 0}};
    mica_reply_send(p->pipe_reply, &m);
    mica_handle_close(p->pipe_reply);
    p->pipe_reply = 0;
    p->pipe_wait = 0;
    p->pipe_ready = false;
}

void pipe_retry(void)
{
    while (any_ready) {
        any_ready = false;
        for (unsigned i = 0; i < PROC_MAX; i++) {
            struct process *p = proc_at(i);
            if (!p || !p->pipe_reply || !p->pipe_ready || p->state != PROC_RUNNING)
                continue;
            p->pipe_ready = false;
            int64_t v = p->call(p, p->call_args);
            if (v == POSIX_DEFERRED)
                continue;
            if (!p->ended) {
                answer(p, MICA_SYSCALL_RETURN, (uint64_t)v);
                continue;
            }
            answer(p, MICA_FAULT_KILL, 0); /* killed by SIGPIPE */
            posix_end_process(p);
        }
    }
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

/* SIGPIPE for a write without readers: ends p if its action is the default (see above). */
static void sigpipe(struct process *p)
{
    uint64_t bit = 1ull << (LINUX_SIGPIPE - 1);
    if (p->sigaction[LINUX_SIGPIPE].handler != SIG_DFL || (p->sigmask & bit))
        return;
    p->ended = true;
    p->signal = LINUX_SIGPIPE;
}

int64_t pipe_write_iov(struct process *p, struct ofile *f, const struct linux_iovec *iov,
                       int64_t cnt, uint64_t total)
{
    struct pipe *pp = f->pipe;
    uint64_t done = p->pipe_done; /* moved before this call last waited */
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
            p->pipe_done = done;
            return pipe_block(p, pp);
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
        return pipe_block(p, pp);
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
