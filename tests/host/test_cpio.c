/*
 * test_cpio.c - the newc cpio reader (kernel/lib/cpio.c) on archives built
 * here byte by byte, and on one made by the system's own cpio tool.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mica/cpio.h>
#include "unit.h"

static unsigned char arc[8192];
static size_t arc_len;

static void put(const void *p, size_t n)
{
    memcpy(arc + arc_len, p, n);
    arc_len += n;
}

static void pad4(void)
{
    while (arc_len % 4)
        arc[arc_len++] = 0;
}

/* Append a member the way `cpio -H newc -o` writes it. */
static void member(const char *name, unsigned mode, const void *data, size_t size)
{
    char h[111];
    snprintf(h, sizeof h, "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x", 1u, mode,
             0u, 0u, 1u, 0u, (unsigned)size, 0u, 0u, 0u, 0u, (unsigned)strlen(name) + 1, 0u);
    put(h, 110);
    put(name, strlen(name) + 1);
    pad4();
    put(data, size);
    pad4();
}

static void build(void)
{
    arc_len = 0;
    member(".", 040755, "", 0);
    member("init", 0100755, "ELF!", 4);
    member("etc", 040755, "", 0);
    member("./etc/manifest", 0100644, "server a\n", 9);
    member("empty", 0100644, "", 0);
    member("TRAILER!!!", 0, "", 0);
}

static void test_walk(void)
{
    build();
    uint64_t off = 0;
    struct cpio_entry e;
    const char *why = 0;
    const char *names[] = {".", "init", "etc", "./etc/manifest", "empty"};
    for (int i = 0; i < 5; i++) {
        CHECK_EQ(cpio_next(arc, arc_len, &off, &e, &why), 1);
        CHECK(strcmp(e.name, names[i]) == 0);
    }
    CHECK_EQ(cpio_next(arc, arc_len, &off, &e, &why), 0);
    CHECK_EQ(off, arc_len);
    CHECK(cpio_is_archive(arc, arc_len));
    CHECK(!cpio_is_archive("\x7f"
                           "ELF",
                           4));
}

static void test_find(void)
{
    build();
    struct cpio_entry e;
    const char *why = 0;
    CHECK_EQ(cpio_find(arc, arc_len, "init", &e, &why), 0);
    CHECK_EQ(e.size, 4);
    CHECK(memcmp(e.data, "ELF!", 4) == 0);
    CHECK_EQ(cpio_find(arc, arc_len, "etc/manifest", &e, &why), 0); /* "./" is ignored */
    CHECK(memcmp(e.data, "server a\n", 9) == 0);
    CHECK_EQ(cpio_find(arc, arc_len, "empty", &e, &why), 0);
    CHECK_EQ(e.size, 0);
    CHECK_EQ(cpio_find(arc, arc_len, "etc", &e, &why), -ENOENT); /* a directory is no file */
    CHECK_EQ(cpio_find(arc, arc_len, "missing", &e, &why), -ENOENT);
}

/* Every truncation of a good archive is an error with a reason, never a read past its end. */
static void test_truncated(void)
{
    build();
    static unsigned char copy[8192];
    for (size_t n = 0; n < arc_len; n++) {
        memcpy(copy, arc, n);
        unsigned char *exact = malloc(n ? n : 1); /* ASan catches any read past n */
        memcpy(exact, copy, n);
        struct cpio_entry e;
        const char *why = 0;
        uint64_t off = 0;
        int r;
        while ((r = cpio_next(exact, n, &off, &e, &why)) == 1)
            ;
        CHECK_EQ(r, -EINVAL);
        CHECK(why != 0);
        free(exact);
    }
}

static int corrupt(size_t at, char c, const char **why)
{
    build();
    arc[at] = (unsigned char)c;
    struct cpio_entry e;
    uint64_t off = 0;
    int r;
    while ((r = cpio_next(arc, arc_len, &off, &e, why)) == 1)
        ;
    return r;
}

static void test_corrupt(void)
{
    const char *why = 0;
    CHECK_EQ(corrupt(0, '1', &why), -EINVAL); /* magic */
    CHECK(strstr(why, "magic") != 0);
    CHECK_EQ(corrupt(6 + 8 * 6 + 3, 'g', &why), -EINVAL); /* filesize not hex */
    CHECK(strstr(why, "hexadecimal") != 0);
    CHECK_EQ(corrupt(6 + 8 * 6, 'f', &why), -EINVAL); /* filesize far too big */
    CHECK(strstr(why, "truncated") != 0);
    CHECK_EQ(corrupt(6 + 8 * 11, 'f', &why), -EINVAL); /* namesize too big */
    CHECK(strstr(why, "name size") != 0);
    CHECK_EQ(corrupt(6 + 8 * 11 + 7, '0', &why), -EINVAL); /* namesize 0 */
    CHECK_EQ(corrupt(6 + 8 * 11 + 7, '1', &why), -EINVAL); /* "." with namesize 1: no NUL */
    CHECK_EQ(corrupt(110, 0, &why), -EINVAL);              /* a NUL before the end of the name */
}

/* An archive written by the real tool (GNU cpio, which tools/deps.sh installs). */
static void test_real_cpio(void)
{
    CHECK_EQ(system("command -v cpio >/dev/null 2>&1"), 0);
    char dir[] = "/tmp/mica-cpio-XXXXXX";
    CHECK(mkdtemp(dir) != 0);
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "cd %s && mkdir -p sub && printf 'hello' > sub/a && printf '' > b && "
             "find . | LC_ALL=C sort | cpio -o -H newc --quiet > ../mica-cpio-test.cpio && "
             "rm -rf %s",
             dir, dir);
    CHECK_EQ(system(cmd), 0);
    FILE *f = fopen("/tmp/mica-cpio-test.cpio", "rb");
    CHECK(f != 0);
    static unsigned char buf[65536];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    remove("/tmp/mica-cpio-test.cpio");
    struct cpio_entry e;
    const char *why = 0;
    CHECK_EQ(cpio_find(buf, n, "sub/a", &e, &why), 0);
    CHECK_EQ(e.size, 5);
    CHECK(memcmp(e.data, "hello", 5) == 0);
    CHECK_EQ(cpio_find(buf, n, "b", &e, &why), 0);
    CHECK_EQ(e.size, 0);
}

int main(void)
{
    unit_run("cpio", "walk", test_walk);
    unit_run("cpio", "find", test_find);
    unit_run("cpio", "truncated", test_truncated);
    unit_run("cpio", "corrupt", test_corrupt);
    unit_run("cpio", "real_cpio", test_real_cpio);
    return unit_exit_code();
}
