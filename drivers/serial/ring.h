/*
 * ring.h - a ring buffer of bytes (a circular FIFO queue), the serial
 * driver's receive and transmit buffers.
 *
 * Concept: buffering between a device and its clients.  The device side and
 * the client side run at different speeds; the ring absorbs the difference
 * up to its size.  A producer puts bytes in at `head`, a consumer takes them
 * out at `tail`.  Both are free-running 32-bit counters: the ring holds
 * head - tail bytes (unsigned arithmetic makes this right across the
 * counters' wrap), and byte number i lives at buf[i & (size - 1)], so the
 * size must be a power of two.  No byte is ever overwritten: a put into a
 * full ring takes fewer bytes (or none) and says so; what to do with the
 * rest is the caller's decision.
 */
#ifndef SERIAL_RING_H
#define SERIAL_RING_H

#include <stdbool.h>
#include <stdint.h>

struct ring {
    uint8_t *buf;
    uint32_t size; /* a power of two */
    uint32_t head; /* bytes ever put in */
    uint32_t tail; /* bytes ever taken out */
};

/* Use buf[0 .. size-1] as an empty ring; false if size is not a power of two. */
bool ring_init(struct ring *r, uint8_t *buf, uint32_t size);

/* Bytes waiting in the ring. */
uint32_t ring_count(const struct ring *r);

/* Free space, in bytes. */
uint32_t ring_room(const struct ring *r);

/* Append up to n bytes from src; returns how many fitted. */
uint32_t ring_put(struct ring *r, const void *src, uint32_t n);

/* Append one byte; false (and nothing changes) if the ring is full. */
bool ring_put_byte(struct ring *r, uint8_t b);

/* Remove up to n bytes into dst, oldest first; returns how many. */
uint32_t ring_get(struct ring *r, void *dst, uint32_t n);

/* The oldest byte, left in the ring; false if the ring is empty. */
bool ring_peek(const struct ring *r, uint8_t *b);

/* Drop the oldest byte (after ring_peek()). */
void ring_skip(struct ring *r);

#endif
