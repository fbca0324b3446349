/*
 * fdtable.h - a process's file descriptors and the open files they refer
 * to (servers/posix/fdtable.c) (concepts: file descriptors, open file
 * descriptions, dup, close-on-exec).
 *
 * Two levels, as in Unix: a descriptor is a small number, an index into the
 * process's table; the entry points to an open file (Linux's struct file,
 * POSIX's "open file description") that holds what open() decided - the
 * node, the access mode and status flags, the offset.  dup() makes a second
 * descriptor for the same open file, so the two share offset and flags;
 * only close-on-exec belongs to the descriptor.  The open file lives while
 * a descriptor refers to it.  Pure code: the host tests run it.
 */
#ifndef POSIX_FDTABLE_H
#define POSIX_FDTABLE_H

#include <stdbool.h>
#include <stdint.h>
#include "vfs.h"
#include "pipe.h"

#define FD_MAX 1024 /* RLIMIT_NOFILE's usual soft limit: descriptors 0..1023 */

enum ofile_kind {
    OFILE_CONSOLE, /* the console service: the terminal of descriptors 0, 1, 2 (and of
                    * /dev/tty, console, ttyS0: then node is that device node) */
    OFILE_NODE,    /* a file or directory of the VFS */
    OFILE_PIPE,    /* one end of a pipe (pipe.h): O_RDONLY the read end, O_WRONLY the write end */
    OFILE_DEVICE,  /* a character device of /dev (chardev.h): node is its device node */
};

struct ofile {
    uint32_t refs;   /* descriptors referring to it */
    uint32_t kind;   /* enum ofile_kind */
    uint32_t flags;  /* open()'s access mode and status flags (O_APPEND, ...) */
    uint64_t offset; /* for a directory: the index of the next entry getdents64 gives */
    struct vnode *node;
    struct pipe *pipe; /* OFILE_PIPE: the pipe (this open file counts as one of its ends) */
};

struct fdtable {
    struct ofile *fd[FD_MAX];
    bool cloexec[FD_MAX];
    uint32_t limit; /* no new descriptor at or above it (RLIMIT_NOFILE's soft limit); 0: FD_MAX */
};

/* A new open file (refs 0 until installed): NULL if there is no memory. It takes a reference
 * to node (which may be NULL for the console). */
struct ofile *ofile_new(uint32_t kind, uint32_t flags, struct vnode *node);

/* A new open file for one end of pipe p (write: the write end, else the read end), with the
 * status flags extra (O_NONBLOCK): NULL if there is no memory.  It counts as a reader or writer
 * of p until it goes. */
struct ofile *ofile_new_pipe(struct pipe *p, bool write, uint32_t extra);

/* Free a new open file that was never installed. */
void ofile_discard(struct ofile *f);

/* An empty table; with_console: descriptors 0 (read), 1 and 2 (write) are the console. */
int fdtable_init(struct fdtable *t, bool with_console);

/* Close every descriptor. */
void fdtable_clear(struct fdtable *t);

/* fork: dst (empty) gets every descriptor of src, sharing its open files (offset, flags),
 * with the same close-on-exec flags. */
void fdtable_copy(struct fdtable *dst, const struct fdtable *src);

/* execve: close every descriptor marked close-on-exec. */
void fdtable_exec(struct fdtable *t);

/* The open file of fd, or NULL (EBADF). */
struct ofile *fdtable_get(const struct fdtable *t, int64_t fd);

/* Give f the lowest free descriptor >= min: the descriptor, or -EMFILE. A new open file that
 * cannot be installed is freed. */
int fdtable_install(struct fdtable *t, struct ofile *f, int64_t min, bool cloexec);

/* close(fd): 0 or -EBADF. */
int fdtable_close(struct fdtable *t, int64_t fd);

/* dup(fd), fcntl(F_DUPFD[_CLOEXEC], min): the new descriptor, -EBADF, -EINVAL (min out of
 * range), -EMFILE. */
int fdtable_dup(struct fdtable *t, int64_t fd, int64_t min, bool cloexec);

/* dup2(old, new) (flags < 0) and dup3(old, new, flags): new, -EBADF, -EINVAL (dup3 with
 * old == new, or flags other than O_CLOEXEC). */
int fdtable_dup3(struct fdtable *t, int64_t oldfd, int64_t newfd, int64_t flags);

#endif
