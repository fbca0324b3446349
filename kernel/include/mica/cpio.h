/*
 * cpio.h - reading "newc" cpio archives (kernel/lib/cpio.c) (concepts: boot
 * images, archive formats).
 *
 * The initial ramdisk is a cpio archive in the "newc" format that
 * `cpio -H newc` writes (and Linux initramfs uses): each member is a
 * 110-byte ASCII header (magic "070701", then 13 fields of 8 hex digits),
 * its NUL-terminated name, padding to a multiple of 4, its data, padding to
 * a multiple of 4.  A member named "TRAILER!!!" ends the archive.
 *
 * The reader checks every header against the archive's size before it
 * trusts a field, so a truncated or corrupt archive gives an error with a
 * reason, never a read outside the archive.  Both the kernel (to find the
 * first program) and the supervisor (to find servers and the manifest) use it.
 */
#ifndef MICA_CPIO_H
#define MICA_CPIO_H

#include <stddef.h>
#include <stdint.h>

#define CPIO_NAME_MAX 256 /* longest member name accepted, with its NUL */

/* Member types, from the file-type bits of the mode field. */
#define CPIO_MODE_TYPE 0170000u
#define CPIO_MODE_FILE 0100000u
#define CPIO_MODE_DIR  0040000u
#define CPIO_MODE_LINK 0120000u

struct cpio_entry {
    const char *name;    /* inside the archive, NUL-terminated */
    const uint8_t *data; /* size bytes, inside the archive */
    uint64_t size;
    uint32_t mode;     /* file type and permission bits */
    uint32_t uid, gid; /* owner and group */
};

/*
 * Read the member at *offset and advance *offset past it.  Returns 1 with
 * *e filled in, 0 at the trailer (the end), or -EINVAL with *why saying
 * what is wrong.
 */
int cpio_next(const void *archive, uint64_t size, uint64_t *offset, struct cpio_entry *e,
              const char **why);

/* Find the regular file called name.  0, -ENOENT if there is none, or
 * -EINVAL (with *why) if the archive is malformed before it is found. */
int cpio_find(const void *archive, uint64_t size, const char *name, struct cpio_entry *e,
              const char **why);

/* Does the archive start like a newc cpio archive? */
int cpio_is_archive(const void *archive, uint64_t size);

#endif
