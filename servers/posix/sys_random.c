/*
 * sys_random.c - getrandom (concept: the kernel's random-number service).
 *
 * The bytes come from the kernel's pool (SYS_RANDOM_GET, fed by the
 * hardware and the virtio-rng driver), at most 256 per kernel call.  The
 * pool never blocks once seeded, so GRND_NONBLOCK and GRND_RANDOM change
 * nothing; unknown flags are EINVAL, as on Linux.
 */
#include "posix.h"
#include "syscalls.h"
#include "usercopy.h"

#define GETRANDOM_MAX (32 * 1024 * 1024 - 1) /* Linux answers at most this much per call */

int64_t sys_getrandom(struct process *p, const uint64_t *a)
{
    uint64_t buf = a[0], len = a[1];
    if (a[2] & ~(uint64_t)(LINUX_GRND_NONBLOCK | LINUX_GRND_RANDOM | LINUX_GRND_INSECURE))
        return -LINUX_EINVAL;
    if ((a[2] & LINUX_GRND_RANDOM) && (a[2] & LINUX_GRND_INSECURE))
        return -LINUX_EINVAL;
    if (len > GETRANDOM_MAX)
        len = GETRANDOM_MAX;
    uint64_t done = 0;
    while (done < len) {
        uint8_t chunk[256];
        uint64_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        if (mica_random_get(chunk, n) < 0)
            return done ? (int64_t)done : -LINUX_EAGAIN;
        if (user_write(&p->mem, buf + done, chunk, n) < 0)
            return done ? (int64_t)done : -LINUX_EFAULT;
        done += n;
    }
    return (int64_t)done;
}
