/*
 * blkpattern.c - the sector pattern, DMA buffers and recovering calls the
 * block-device tests share (blkpattern.h).  The pattern must match
 * tools/mkdisk.py byte for byte.
 */
#include <mica/string.h>
#include "blk_client.h"
#include "blkpattern.h"

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void one_sector(uint8_t *p, uint64_t s, uint32_t seed)
{
    memcpy(p, "MICADISK", 8);
    put_le(p + 8, s, 8);
    put_le(p + 16, seed, 4);
    uint64_t base = s * 131 + (uint64_t)seed * 17;
    for (unsigned i = 20; i < BLK_TEST_SECTOR; i++)
        p[i] = (uint8_t)(base + i * 7);
}

void blkpat_fill(uint8_t *buf, uint64_t first, uint32_t count, uint32_t seed)
{
    for (uint32_t i = 0; i < count; i++)
        one_sector(buf + (uint64_t)i * BLK_TEST_SECTOR, first + i, seed);
}

int64_t blkpat_check(const uint8_t *buf, uint64_t first, uint32_t count, uint32_t seed)
{
    uint8_t want[BLK_TEST_SECTOR];
    for (uint32_t i = 0; i < count; i++) {
        one_sector(want, first + i, seed);
        if (memcmp(want, buf + (uint64_t)i * BLK_TEST_SECTOR, BLK_TEST_SECTOR) != 0)
            return i;
    }
    return -1;
}

int blkbuf_create(struct blkbuf *b, mica_handle_t self, uint64_t size)
{
    int64_t vmo = mica_vmo_create_contig(size, MICA_CACHE_WB);
    if (vmo < 0)
        return (int)vmo;
    int64_t at =
        mica_vm_map(self, (mica_handle_t)vmo, 0, 0, size, MICA_PROT_READ | MICA_PROT_WRITE);
    if (at < 0) {
        mica_handle_close((mica_handle_t)vmo);
        return (int)at;
    }
    *b = (struct blkbuf){(mica_handle_t)vmo, (uint8_t *)at, size};
    return 0;
}

mica_handle_t blkbuf_pass(const struct blkbuf *b)
{
    int64_t h = mica_handle_dup(b->vmo, MICA_RIGHT_READ | MICA_RIGHT_WRITE | MICA_RIGHT_MANAGE |
                                            MICA_RIGHT_TRANSFER);
    return h < 0 ? 0 : (mica_handle_t)h;
}

int blk_read_all(struct mica_client *c, uint64_t sector, uint32_t count, const struct blkbuf *b,
                 uint64_t offset)
{
    uint32_t done = 0;
    int err = blk_read_r(c, sector, count, b->vmo, offset, &done);
    return err < 0 ? err : done == count ? 0 : -MICA_EIO;
}

int blk_write_all(struct mica_client *c, uint64_t sector, uint32_t count, const struct blkbuf *b,
                  uint64_t offset)
{
    uint32_t done = 0;
    int err = blk_write_r(c, sector, count, b->vmo, offset, &done);
    return err < 0 ? err : done == count ? 0 : -MICA_EIO;
}

uint64_t blk_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}
