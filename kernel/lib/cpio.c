/*
 * cpio.c - reading "newc" cpio archives, the format of the initial ramdisk
 * (see cpio.h; concepts: boot images, archive formats).
 */
#include <mica/cpio.h>
#include <mica/errno.h>
#include <mica/string.h>

#define HEADER_SIZE 110
#define FIELD_COUNT 13

/* The header's fields, in order, after the 6-byte magic. */
enum {
    F_INO,
    F_MODE,
    F_UID,
    F_GID,
    F_NLINK,
    F_MTIME,
    F_FILESIZE,
    F_DEVMAJOR,
    F_DEVMINOR,
    F_RDEVMAJOR,
    F_RDEVMINOR,
    F_NAMESIZE,
    F_CHECK,
};

static const char magic[6] = {'0', '7', '0', '7', '0', '1'};

static uint64_t align4(uint64_t x)
{
    return (x + 3) & ~(uint64_t)3;
}

/* Eight hex digits; -1 if any is not one. */
static int64_t hex8(const uint8_t *p)
{
    int64_t v = 0;
    for (int i = 0; i < 8; i++) {
        uint8_t c = p[i];
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    return v;
}

int cpio_is_archive(const void *archive, uint64_t size)
{
    return size >= HEADER_SIZE && memcmp(archive, magic, sizeof magic) == 0;
}

static int fail(const char **why, const char *reason)
{
    *why = reason;
    return -EINVAL;
}

/* Parse the 13 fields of the header at h. */
static int read_fields(const uint8_t *h, uint32_t f[FIELD_COUNT], const char **why)
{
    if (memcmp(h, magic, sizeof magic) != 0)
        return fail(why, "bad magic (not a newc cpio header)");
    for (int i = 0; i < FIELD_COUNT; i++) {
        int64_t v = hex8(h + sizeof magic + 8 * i);
        if (v < 0)
            return fail(why, "a header field is not hexadecimal");
        f[i] = (uint32_t)v;
    }
    return 0;
}

int cpio_next(const void *archive, uint64_t size, uint64_t *offset, struct cpio_entry *e,
              const char **why)
{
    const uint8_t *a = archive;
    uint64_t at = *offset;
    uint32_t f[FIELD_COUNT];
    if (at > size || size - at < HEADER_SIZE)
        return fail(why, "truncated: no room for a header (missing trailer?)");
    int err = read_fields(a + at, f, why);
    if (err < 0)
        return err;
    uint64_t namesize = f[F_NAMESIZE];
    if (namesize < 2 || namesize > CPIO_NAME_MAX)
        return fail(why, "name size out of range");
    uint64_t name_at = at + HEADER_SIZE;
    if (size - name_at < namesize)
        return fail(why, "truncated in a name");
    if (strnlen((const char *)(a + name_at), namesize) != namesize - 1)
        return fail(why, "name not NUL-terminated where its size says");
    uint64_t data_at = align4(name_at + namesize);
    if (data_at > size || size - data_at < f[F_FILESIZE])
        return fail(why, "truncated in a member's data");
    e->name = (const char *)(a + name_at);
    e->data = a + data_at;
    e->size = f[F_FILESIZE];
    e->mode = f[F_MODE];
    e->uid = f[F_UID];
    e->gid = f[F_GID];
    *offset = align4(data_at + e->size);
    return strcmp(e->name, "TRAILER!!!") == 0 ? 0 : 1;
}

/* Member names may start with "./" (cpio run as `find . | cpio`). */
static const char *plain_name(const char *name)
{
    while (name[0] == '.' && name[1] == '/')
        name += 2;
    return name;
}

int cpio_find(const void *archive, uint64_t size, const char *name, struct cpio_entry *e,
              const char **why)
{
    uint64_t offset = 0;
    int r;
    while ((r = cpio_next(archive, size, &offset, e, why)) == 1) {
        if ((e->mode & CPIO_MODE_TYPE) == CPIO_MODE_FILE && strcmp(plain_name(e->name), name) == 0)
            return 0;
    }
    return r < 0 ? r : -ENOENT;
}
