/*
 * blkpattern.h - what the block-device test programs share (blktest,
 * blkrecover, blkbench): the sector pattern of the test disk image
 * (tools/mkdisk.py), DMA buffers, and calls that are sent again when the
 * driver died while holding them.
 */
#ifndef BLKPATTERN_H
#define BLKPATTERN_H

#include <stdbool.h>
#include <stdint.h>
#include <client.h>
#include <mica.h>

#define BLK_TEST_SECTOR 512u

/* Fill count sectors from sector `first` on with the pattern of `seed` (0: the image's). */
void blkpat_fill(uint8_t *buf, uint64_t first, uint32_t count, uint32_t seed);

/* -1 if the count sectors hold the pattern of seed, else the index of the first wrong one. */
int64_t blkpat_check(const uint8_t *buf, uint64_t first, uint32_t count, uint32_t seed);

/* A physically contiguous buffer, mapped. */
struct blkbuf {
    mica_handle_t vmo;
    uint8_t *at;
    uint64_t size;
};

int blkbuf_create(struct blkbuf *b, mica_handle_t self, uint64_t size);

/* A duplicate of the buffer's handle to pass in a request (the request consumes it). */
mica_handle_t blkbuf_pass(const struct blkbuf *b);

/*
 * Read or write count sectors through the recovering stubs (blk_read_r,
 * blk_write_r): a request the driver died holding is sent again, counted in
 * c->reissued.  0 when all count sectors were done, else the error.
 */
int blk_read_all(struct mica_client *c, uint64_t sector, uint32_t count, const struct blkbuf *b,
                 uint64_t offset);
int blk_write_all(struct mica_client *c, uint64_t sector, uint32_t count, const struct blkbuf *b,
                  uint64_t offset);

/* A small pseudo-random generator (xorshift64) for reproducible test runs. */
uint64_t blk_rand(uint64_t *state);

#endif
