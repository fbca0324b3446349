/*
 * pipe.h - the pipe object of the posix server (servers/posix/pipe.c)
 * (concepts: pipes, bounded buffers, producer and consumer, reference
 * counts of the two ends).
 *
 * A pipe is a bounded byte buffer - a ring of PIPE_SIZE bytes, 64 KiB as
 * Linux's default - with two ends.  pipe() makes two open files
 * (fdtable.h), a read end and a write end; each counts as one reader or
 * one writer of the pipe for as long as it lives (descriptors that dup or
 * fork share the open file, so they do not change the counts; its last
 * close does).  When the last writer goes, a reader sees end of file; when
 * the last reader goes, a writer gets EPIPE.  The pipe goes with its last
 * end.  Pure code: the host tests run it; blocking and waking are the
 * server's (sys_pipe.c).
 */
#ifndef POSIX_PIPE_H
#define POSIX_PIPE_H

#include <stdbool.h>
#include <stdint.h>

#define PIPE_SIZE 65536u /* the buffer (Linux's default: 16 pages) */
#define PIPE_BUF  4096u  /* writes of at most this many bytes are atomic (limits.h) */

struct pipe {
    uint8_t *buf;     /* PIPE_SIZE bytes */
    uint32_t head;    /* the oldest byte's index */
    uint32_t count;   /* bytes in the buffer */
    uint32_t readers; /* open files of the read end */
    uint32_t writers; /* open files of the write end */
    uint64_t ino;     /* st_ino of fstat: unique among pipes */
    struct pipe *
        *link; /* a named pipe's (FIFO's): its node's pointer to it, cleared when it goes */
};

/* Called when a pipe changes in a way a blocked reader or writer may wait for: an end
 * closed while the other is still open (the server sets it to wake the waiting calls; the
 * host tests count). */
extern void (*pipe_on_change)(struct pipe *p);

/* A new empty pipe without ends (NULL if there is no memory). */
struct pipe *pipe_new(void);

/* Free a pipe that has no ends yet. */
void pipe_free(struct pipe *p);

/* An open file of one end was made (write: the write end). */
void pipe_open_end(struct pipe *p, bool write);

/* An open file of one end went: the pipe goes with its last end, else pipe_on_change. */
void pipe_close_end(struct pipe *p, bool write);

/* Free bytes in the buffer. */
uint32_t pipe_space(const struct pipe *p);

/* How many of want bytes a write may put in now, total being the whole request: writes of
 * at most PIPE_BUF bytes go in whole or not at all (atomic), larger ones as far as there is
 * room. */
uint32_t pipe_write_amount(const struct pipe *p, uint64_t want, uint64_t total);

/* Append n bytes (n <= pipe_space). */
void pipe_put(struct pipe *p, const void *src, uint32_t n);

/* Copy the n oldest bytes (n <= count) without taking them out. */
void pipe_peek(const struct pipe *p, void *dst, uint32_t n);

/* Take the n oldest bytes out (n <= count). */
void pipe_drop(struct pipe *p, uint32_t n);

#endif
