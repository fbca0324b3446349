/*
 * test_pipe.c - the posix server's pipe object (servers/posix/pipe.c) and
 * its ends as open files (fdtable.c): the ring buffer wrapping around,
 * PIPE_BUF atomicity, the reader and writer counts through dup, fork
 * (fdtable_copy), close-on-exec and close, the change notice, and the pipe
 * freed with its last end (ASan checks); a FIFO's open files: both ends for
 * O_RDWR, the node's link to the pipe cleared when the pipe goes, the node
 * kept until then.
 */
#include <errno.h>
#include <string.h>
#include "../../servers/posix/fdtable.h"
#include "../../servers/posix/linux_abi.h"
#include "../../servers/posix/pipe.h"
#include "../../servers/posix/vfs.h"
#include "../../servers/posix/poll.h"
#include "unit.h"

static int changes;
static void count_change(struct pipe *p)
{
    (void)p;
    changes++;
}

static void test_ring(void)
{
    struct pipe *p = pipe_new();
    CHECK(p != NULL);
    static unsigned char in[PIPE_SIZE], out[PIPE_SIZE];
    for (unsigned i = 0; i < PIPE_SIZE; i++)
        in[i] = (unsigned char)(i * 13 + 1);
    CHECK_EQ(pipe_space(p), PIPE_SIZE);
    pipe_put(p, in, 1000);
    pipe_peek(p, out, 1000);
    CHECK(memcmp(in, out, 1000) == 0);
    pipe_drop(p, 1000);
    CHECK_EQ(p->count, 0u);
    /* now the ring wraps: a full buffer starting at 1000 */
    pipe_put(p, in, PIPE_SIZE);
    CHECK_EQ(pipe_space(p), 0u);
    pipe_peek(p, out, PIPE_SIZE);
    CHECK(memcmp(in, out, PIPE_SIZE) == 0);
    pipe_drop(p, PIPE_SIZE - 10);
    pipe_peek(p, out, 10);
    CHECK(memcmp(in + PIPE_SIZE - 10, out, 10) == 0);
    pipe_free(p);
}

static void test_atomic(void)
{
    struct pipe *p = pipe_new();
    static unsigned char junk[PIPE_SIZE];
    pipe_put(p, junk, PIPE_SIZE - 100);
    CHECK_EQ(pipe_write_amount(p, 100, 100), 100u);
    CHECK_EQ(pipe_write_amount(p, 101, 101), 0u);           /* small: whole or nothing */
    CHECK_EQ(pipe_write_amount(p, PIPE_BUF, PIPE_BUF), 0u); /* PIPE_BUF is still atomic */
    CHECK_EQ(pipe_write_amount(p, 5000, 5000), 100u);       /* larger: what fits */
    CHECK_EQ(pipe_write_amount(p, 50, 5000), 50u);          /* the rest of a large one */
    pipe_put(p, junk, 100);
    CHECK_EQ(pipe_write_amount(p, 5000, 5000), 0u);
    pipe_free(p);
}

static void test_ends(void)
{
    static struct fdtable t, child;
    pipe_on_change = count_change;
    changes = 0;
    struct pipe *p = pipe_new();
    CHECK_EQ(fdtable_init(&t, false), 0);
    struct ofile *r = ofile_new_pipe(p, false, LINUX_O_NONBLOCK);
    struct ofile *w = ofile_new_pipe(p, true, 0);
    CHECK(r && w && r->kind == OFILE_PIPE && r->pipe == p);
    CHECK_EQ(r->flags, (uint32_t)(LINUX_O_RDONLY | LINUX_O_NONBLOCK));
    CHECK_EQ(w->flags & LINUX_O_ACCMODE, (uint32_t)LINUX_O_WRONLY);
    CHECK_EQ(fdtable_install(&t, r, 0, false), 0);
    CHECK_EQ(fdtable_install(&t, w, 0, true), 1);
    CHECK(p->readers == 1 && p->writers == 1);
    CHECK_EQ(fdtable_dup(&t, 1, 0, false), 2); /* a dup shares the open file: same counts */
    CHECK_EQ(p->writers, 1u);
    fdtable_copy(&child, &t); /* fork: the same */
    CHECK(p->readers == 1 && p->writers == 1);
    fdtable_exec(&child); /* exec closes fd 1 (close-on-exec), fd 2 still writes */
    CHECK_EQ(p->writers, 1u);
    CHECK_EQ(changes, 0);
    fdtable_clear(&child);
    CHECK_EQ(fdtable_close(&t, 1), 0);
    CHECK_EQ(p->writers, 1u);
    CHECK_EQ(fdtable_close(&t, 2), 0); /* the last writer: readers see end of file */
    CHECK_EQ(p->writers, 0u);
    CHECK_EQ(changes, 1);
    CHECK_EQ(fdtable_close(&t, 0), 0); /* the last end: the pipe goes (ASan checks) */
    CHECK_EQ(changes, 1);
    /* a new end that was never installed */
    p = pipe_new();
    r = ofile_new_pipe(p, false, 0);
    w = ofile_new_pipe(p, true, 0);
    ofile_discard(r);
    CHECK_EQ(changes, 2); /* the writer's readers are gone */
    ofile_discard(w);
    pipe_on_change = 0;
}

/* What sys_fifo.c does: open files of a FIFO node share the node's pipe. */
static struct ofile *fifo_end(struct vnode *n, uint32_t acc)
{
    struct ofile *f = ofile_new(OFILE_PIPE, acc, n);
    if (!n->fifo) {
        n->fifo = pipe_new();
        n->fifo->link = &n->fifo;
    }
    f->pipe = n->fifo;
    if (acc != LINUX_O_WRONLY)
        pipe_open_end(f->pipe, false);
    if (acc != LINUX_O_RDONLY)
        pipe_open_end(f->pipe, true);
    return f;
}

static void test_fifo(void)
{
    static struct fdtable t;
    struct vfs v;
    struct vnode *n;
    CHECK_EQ(vfs_init(&v, 0), 0);
    CHECK_EQ(vfs_create(&v, v.root, "f", VFS_S_IFIFO | 0644, &n), 0);
    CHECK_EQ(fdtable_init(&t, false), 0);
    CHECK_EQ(fdtable_install(&t, fifo_end(n, LINUX_O_RDWR), 0, false), 0);
    CHECK(n->fifo && n->fifo->readers == 1 && n->fifo->writers == 1);
    /* O_RDWR polls as both ends: writable, no hang-up (it is its own writer) */
    CHECK_EQ(ofile_poll(fdtable_get(&t, 0)), (uint32_t)(LINUX_POLLOUT | LINUX_POLLWRNORM));
    pipe_put(n->fifo, "x", 1);
    CHECK(ofile_poll(fdtable_get(&t, 0)) & LINUX_POLLIN);
    CHECK_EQ(fdtable_install(&t, fifo_end(n, LINUX_O_RDONLY), 0, false), 1);
    CHECK_EQ(n->fifo->readers, 2u);
    CHECK_EQ(n->refs, 2u);
    CHECK_EQ(vfs_unlink(&v, v.root, "f"), 0); /* the node lives on with its open files */
    CHECK_EQ(fdtable_close(&t, 0), 0);        /* both ends of the O_RDWR one */
    CHECK(n->fifo && n->fifo->readers == 1 && n->fifo->writers == 0);
    CHECK_EQ(fdtable_close(&t, 1), 0); /* the pipe, then the node, go (ASan checks) */
    vfs_destroy(&v);
}

/* Readiness (poll.c): a pipe's ends, a file, the console. */
static void test_poll(void)
{
    struct pipe *p = pipe_new();
    struct ofile *r = ofile_new_pipe(p, false, 0), *w = ofile_new_pipe(p, true, 0);
    const uint32_t in = LINUX_POLLIN | LINUX_POLLRDNORM, out = LINUX_POLLOUT | LINUX_POLLWRNORM;
    CHECK_EQ(ofile_poll(r), 0u); /* empty, with a writer: a read would wait */
    CHECK_EQ(ofile_poll(w), out);
    static unsigned char junk[PIPE_SIZE];
    pipe_put(p, junk, 1);
    CHECK_EQ(ofile_poll(r), in);
    pipe_put(p, junk, PIPE_SIZE - PIPE_BUF); /* PIPE_BUF - 1 bytes of room: not writable */
    CHECK_EQ(ofile_poll(w), 0u);
    pipe_drop(p, 1);
    CHECK_EQ(ofile_poll(w), out); /* PIPE_BUF bytes fit again */
    struct fdtable t;
    CHECK_EQ(fdtable_init(&t, false), 0);
    int rfd = fdtable_install(&t, r, 0, false), wfd = fdtable_install(&t, w, 0, false);
    CHECK_EQ(fdtable_close(&t, wfd), 0); /* no writer left */
    CHECK_EQ(ofile_poll(r), in | LINUX_POLLHUP);
    pipe_drop(p, PIPE_SIZE - PIPE_BUF);
    CHECK_EQ(ofile_poll(r), (uint32_t)LINUX_POLLHUP); /* end of file: a read does not wait */
    struct ofile *console = ofile_new(OFILE_CONSOLE, LINUX_O_RDONLY, NULL);
    CHECK_EQ(ofile_poll(console), in | out); /* without a terminal's own answer */
    ofile_discard(console);
    CHECK_EQ(fdtable_close(&t, rfd), 0); /* the pipe goes with its last end (ASan checks) */
}

/* The write end without readers: POLLERR. */
static void test_poll_no_reader(void)
{
    struct pipe *p = pipe_new();
    struct ofile *r = ofile_new_pipe(p, false, 0), *w = ofile_new_pipe(p, true, 0);
    struct fdtable t;
    CHECK_EQ(fdtable_init(&t, false), 0);
    int rfd = fdtable_install(&t, r, 0, false), wfd = fdtable_install(&t, w, 0, false);
    CHECK_EQ(fdtable_close(&t, rfd), 0);
    CHECK_EQ(ofile_poll(w), (uint32_t)(LINUX_POLLOUT | LINUX_POLLWRNORM | LINUX_POLLERR));
    CHECK_EQ(fdtable_close(&t, wfd), 0);
}

int main(void)
{
    unit_run("pipe", "the ring buffer wraps around", test_ring);
    unit_run("pipe", "writes of at most PIPE_BUF bytes are atomic", test_atomic);
    unit_run("pipe", "readers and writers counted by open files", test_ends);
    unit_run("pipe", "a FIFO's open files share its node's pipe", test_fifo);
    unit_run("pipe", "readiness of the ends (poll)", test_poll);
    unit_run("pipe", "POLLERR without readers", test_poll_no_reader);
    return unit_exit_code();
}
