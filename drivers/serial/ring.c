/*
 * ring.c - a ring buffer of bytes (concept: buffering between a device and
 * its clients).  See ring.h for the layout; the functions are pure, so
 * tests/host/test_serial.c tests them on the host.
 */
#include "ring.h"

bool ring_init(struct ring *r, uint8_t *buf, uint32_t size)
{
    if (size == 0 || (size & (size - 1)) != 0)
        return false;
    r->buf = buf;
    r->size = size;
    r->head = 0;
    r->tail = 0;
    return true;
}

uint32_t ring_count(const struct ring *r)
{
    return r->head - r->tail;
}

uint32_t ring_room(const struct ring *r)
{
    return r->size - ring_count(r);
}

bool ring_put_byte(struct ring *r, uint8_t b)
{
    if (ring_room(r) == 0)
        return false;
    r->buf[r->head & (r->size - 1)] = b;
    r->head++;
    return true;
}

uint32_t ring_put(struct ring *r, const void *src, uint32_t n)
{
    const uint8_t *s = src;
    uint32_t done = 0;
    while (done < n && ring_put_byte(r, s[done]))
        done++;
    return done;
}

bool ring_peek(const struct ring *r, uint8_t *b)
{
    if (ring_count(r) == 0)
        return false;
    *b = r->buf[r->tail & (r->size - 1)];
    return true;
}

void ring_skip(struct ring *r)
{
    if (ring_count(r) != 0)
        r->tail++;
}

uint32_t ring_get(struct ring *r, void *dst, uint32_t n)
{
    uint8_t *d = dst;
    uint32_t done = 0;
    while (done < n && ring_peek(r, &d[done])) {
        ring_skip(r);
        done++;
    }
    return done;
}
