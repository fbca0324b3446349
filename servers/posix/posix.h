/*
 * posix.h - the posix server's own state and the services it uses
 * (servers/posix/main.c) (concept: a personality server).
 */
#ifndef POSIX_POSIX_H
#define POSIX_POSIX_H

#include <stdint.h>
#include <mica.h>
#include <client.h>
#include "process.h"
#include "vfs.h"

struct posix {
    mica_handle_t self;           /* the server's own address space */
    struct mica_client console;   /* the console service: fds 0, 1, 2 */
    mica_handle_t rtc;            /* the wall clock (uses=rtc), or 0 */
    uint64_t realtime_at_boot_ns; /* wall-clock nanoseconds when mica_clock_ns() was 0 */
    const uint8_t *initrd;        /* the initial ramdisk, mapped */
    uint64_t initrd_size;
    struct vfs vfs; /* the file system every process sees (vfs.h), filled from the ramdisk */
};

extern struct posix posix;

/* Text to the console, as the programs' output goes (so the two stay in order). */
void posix_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write len bytes to the console service: the bytes written or a negative Linux error. */
int64_t posix_console_write(const void *buf, uint64_t len);

#endif
