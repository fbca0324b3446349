/*
 * usercopy.c - copying to and from a Linux process's memory through the
 * server's shadow mappings of its regions (concepts: copy_from_user,
 * EFAULT).  See usercopy.h.  Pure code: no system calls.
 */
#include "usercopy.h"
#include "linux_abi.h"
#include <mica/string.h>

/* Walk [addr, addr + len) region by region; fn gets each piece's shadow and length. */
static int each_piece(const struct regions *rs, uint64_t addr, uint64_t len, uint32_t prot,
                      void (*fn)(uint8_t *shadow, uint64_t n, uint64_t done, void *arg), void *arg)
{
    if (len == 0)
        return 0;
    if (addr + len < addr || !regions_cover(rs, addr, addr + len, prot))
        return -LINUX_EFAULT;
    uint64_t done = 0;
    while (done < len) {
        const struct region *r = regions_find(rs, addr + done);
        uint64_t n = r->end - (addr + done);
        if (n > len - done)
            n = len - done;
        fn(r->shadow + (addr + done - r->start), n, done, arg);
        done += n;
    }
    return 0;
}

static void read_piece(uint8_t *shadow, uint64_t n, uint64_t done, void *arg)
{
    memcpy((uint8_t *)arg + done, shadow, n);
}

static void write_piece(uint8_t *shadow, uint64_t n, uint64_t done, void *arg)
{
    memcpy(shadow, (const uint8_t *)arg + done, n);
}

int user_read(const struct regions *rs, void *dst, uint64_t src, uint64_t len)
{
    return each_piece(rs, src, len, LINUX_PROT_READ, read_piece, dst);
}

int user_write(const struct regions *rs, uint64_t dst, const void *src, uint64_t len)
{
    return each_piece(rs, dst, len, LINUX_PROT_WRITE, write_piece, (void *)src);
}

int64_t user_read_string(const struct regions *rs, char *dst, uint64_t size, uint64_t src)
{
    for (uint64_t i = 0; i < size; i++) {
        const struct region *r = regions_find(rs, src + i);
        if (src + i < src || !r || !(r->prot & LINUX_PROT_READ))
            return -LINUX_EFAULT;
        dst[i] = (char)r->shadow[src + i - r->start];
        if (dst[i] == 0)
            return (int64_t)i;
    }
    if (size)
        dst[size - 1] = 0;
    return -LINUX_ENAMETOOLONG;
}
