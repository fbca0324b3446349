/*
 * pipe.c - the pipe object: a ring buffer with counted ends (concepts:
 * pipes, bounded buffers).  See pipe.h.  Pure code.
 */
#include "pipe.h"
#include <malloc.h> /* the server's heap (lib/mica/malloc.h); on the host, the C library's */
#include <mica/string.h>

void (*pipe_on_change)(struct pipe *p);

static uint64_t next_ino = 1; /* pipes have inode numbers of their own (Linux's pipefs) */

struct pipe *pipe_new(void)
{
    struct pipe *p = calloc(1, sizeof *p);
    if (!p)
        return 0;
    p->buf = malloc(PIPE_SIZE);
    if (!p->buf) {
        free(p);
        return 0;
    }
    p->ino = next_ino++;
    return p;
}

void pipe_free(struct pipe *p)
{
    if (p->link)
        *p->link = 0;
    free(p->buf);
    free(p);
}

void pipe_open_end(struct pipe *p, bool write)
{
    if (write)
        p->writers++;
    else
        p->readers++;
}

void pipe_close_end(struct pipe *p, bool write)
{
    if (write)
        p->writers--;
    else
        p->readers--;
    if (p->readers == 0 && p->writers == 0) {
        pipe_free(p);
        return;
    }
    if (pipe_on_change)
        pipe_on_change(p);
}

uint32_t pipe_space(const struct pipe *p)
{
    return PIPE_SIZE - p->count;
}

uint32_t pipe_write_amount(const struct pipe *p, uint64_t want, uint64_t total)
{
    uint32_t space = pipe_space(p);
    if (total <= PIPE_BUF)
        return want <= space ? (uint32_t)want : 0;
    return want < space ? (uint32_t)want : space;
}

void pipe_put(struct pipe *p, const void *src, uint32_t n)
{
    uint32_t tail = (p->head + p->count) % PIPE_SIZE;
    uint32_t first = PIPE_SIZE - tail < n ? PIPE_SIZE - tail : n; /* up to the ring's end */
    memcpy(p->buf + tail, src, first);
    memcpy(p->buf, (const uint8_t *)src + first, n - first);
    p->count += n;
}

void pipe_peek(const struct pipe *p, void *dst, uint32_t n)
{
    uint32_t first = PIPE_SIZE - p->head < n ? PIPE_SIZE - p->head : n;
    memcpy(dst, p->buf + p->head, first);
    memcpy((uint8_t *)dst + first, p->buf, n - first);
}

void pipe_drop(struct pipe *p, uint32_t n)
{
    p->head = (p->head + n) % PIPE_SIZE;
    p->count -= n;
}
