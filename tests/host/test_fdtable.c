/*
 * test_fdtable.c - the posix server's descriptor tables
 * (servers/posix/fdtable.c): the lowest free descriptor, dup, dup2, dup3
 * and F_DUPFD, close-on-exec per descriptor, open files shared by dups,
 * EBADF, EINVAL and EMFILE, and the node's reference while files are open.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include "../../servers/posix/fdtable.h"
#include "../../servers/posix/linux_abi.h"
#include "unit.h"

static struct fdtable t;

static void test_console_and_lowest(void)
{
    CHECK_EQ(fdtable_init(&t, true), 0);
    CHECK(fdtable_get(&t, 0) && fdtable_get(&t, 0)->kind == OFILE_CONSOLE);
    CHECK_EQ(fdtable_get(&t, 0)->flags & LINUX_O_ACCMODE, (uint32_t)LINUX_O_RDONLY);
    CHECK_EQ(fdtable_get(&t, 2)->flags & LINUX_O_ACCMODE, (uint32_t)LINUX_O_WRONLY);
    CHECK(fdtable_get(&t, 3) == NULL && fdtable_get(&t, -1) == NULL);
    CHECK(fdtable_get(&t, FD_MAX) == NULL);
    struct ofile *f = ofile_new(OFILE_CONSOLE, LINUX_O_RDWR, NULL);
    CHECK_EQ(fdtable_install(&t, f, 0, false), 3);
    CHECK_EQ(fdtable_close(&t, 1), 0);
    CHECK_EQ(fdtable_close(&t, 1), -EBADF);
    CHECK_EQ(fdtable_close(&t, -1), -EBADF);
    CHECK_EQ(fdtable_close(&t, FD_MAX), -EBADF);
    CHECK_EQ(fdtable_dup(&t, 3, 0, false), 1); /* the lowest free one */
    CHECK_EQ(fdtable_dup(&t, 3, 0, false), 4);
    CHECK_EQ(fdtable_dup(&t, 3, 10, true), 10);
    CHECK(t.cloexec[10] && !t.cloexec[4]);
    CHECK_EQ(fdtable_dup(&t, 3, -1, false), -EINVAL);
    CHECK_EQ(fdtable_dup(&t, 3, FD_MAX, false), -EINVAL);
    CHECK_EQ(fdtable_dup(&t, 7, 0, false), -EBADF);
    CHECK_EQ(f->refs, 4u); /* 3, 1, 4, 10 */
    fdtable_clear(&t);
}

static void test_dup3(void)
{
    CHECK_EQ(fdtable_init(&t, true), 0);
    struct ofile *out = fdtable_get(&t, 1);
    CHECK_EQ(fdtable_dup3(&t, 1, 1, -1), 1); /* dup2 onto itself */
    CHECK_EQ(fdtable_dup3(&t, 1, 1, 0), -EINVAL);
    CHECK_EQ(fdtable_dup3(&t, 1, 5, LINUX_O_CLOEXEC | 1), -EINVAL);
    CHECK_EQ(fdtable_dup3(&t, 9, 5, -1), -EBADF);
    CHECK_EQ(fdtable_dup3(&t, 1, -1, -1), -EBADF);
    CHECK_EQ(fdtable_dup3(&t, 1, FD_MAX, -1), -EBADF);
    CHECK_EQ(fdtable_dup3(&t, 1, 7, LINUX_O_CLOEXEC), 7);
    CHECK(t.cloexec[7] && fdtable_get(&t, 7) == out);
    CHECK_EQ(fdtable_dup3(&t, 1, 7, -1), 7); /* dup2 over an open one: cloexec goes */
    CHECK(!t.cloexec[7]);
    CHECK_EQ(out->refs, 2u);
    /* dup2 of the only descriptor of a file onto a descriptor of the same file */
    CHECK_EQ(fdtable_close(&t, 1), 0);
    CHECK_EQ(fdtable_dup3(&t, 7, 7, -1), 7);
    CHECK_EQ(out->refs, 1u);
    /* dup2 over descriptor 0 closes the console's reader */
    CHECK_EQ(fdtable_dup3(&t, 7, 0, -1), 0);
    CHECK(fdtable_get(&t, 0) == out);
    fdtable_clear(&t);
}

static void test_emfile(void)
{
    CHECK_EQ(fdtable_init(&t, true), 0);
    for (int fd = 3; fd < FD_MAX; fd++)
        CHECK_EQ(fdtable_dup(&t, 0, 0, false), fd);
    CHECK_EQ(fdtable_dup(&t, 0, 0, false), -EMFILE);
    struct ofile *f = ofile_new(OFILE_CONSOLE, LINUX_O_RDONLY, NULL);
    CHECK_EQ(fdtable_install(&t, f, 0, false), -EMFILE); /* and f is freed (ASan checks) */
    CHECK_EQ(fdtable_close(&t, 500), 0);
    CHECK_EQ(fdtable_dup(&t, 0, 600, false), -EMFILE); /* only 500 is free */
    CHECK_EQ(fdtable_dup(&t, 0, 0, false), 500);
    fdtable_clear(&t);
    CHECK(fdtable_get(&t, 0) == NULL);
}

/* RLIMIT_NOFILE's soft limit: no descriptor at or above it; dup2 onto it EBADF, F_DUPFD EINVAL. */
static void test_limit(void)
{
    CHECK_EQ(fdtable_init(&t, true), 0);
    t.limit = 5;
    CHECK_EQ(fdtable_dup(&t, 0, 0, false), 3);
    CHECK_EQ(fdtable_dup(&t, 0, 0, false), 4);
    CHECK_EQ(fdtable_dup(&t, 0, 0, false), -EMFILE);
    CHECK_EQ(fdtable_dup(&t, 0, 5, false), -EINVAL);
    CHECK_EQ(fdtable_dup3(&t, 0, 5, -1), -EBADF);
    CHECK_EQ(fdtable_dup3(&t, 0, 4, -1), 4); /* below the limit: as always */
    struct fdtable u;
    fdtable_copy(&u, &t); /* fork keeps the limit */
    CHECK_EQ(u.limit, 5u);
    CHECK_EQ(fdtable_dup(&u, 0, 0, false), -EMFILE);
    fdtable_clear(&u);
    t.limit = 0; /* no limit but the table's */
    CHECK_EQ(fdtable_dup(&t, 0, 0, false), 5);
    fdtable_clear(&t);
}

static void test_node_refs(void)
{
    struct vfs v;
    CHECK_EQ(vfs_init(&v, 0), 0);
    struct vnode *n = 0;
    CHECK_EQ(vfs_create(&v, v.root, "f", VFS_S_IFREG | 0600, &n), 0);
    CHECK_EQ(fdtable_init(&t, false), 0);
    struct ofile *f = ofile_new(OFILE_NODE, LINUX_O_RDWR, n);
    CHECK_EQ(n->refs, 1u);
    CHECK_EQ(fdtable_install(&t, f, 0, false), 0);
    CHECK_EQ(fdtable_dup(&t, 0, 0, false), 1);
    f->offset = 42; /* shared by both descriptors */
    CHECK_EQ(fdtable_get(&t, 1)->offset, 42u);
    CHECK_EQ(vfs_unlink(&v, v.root, "f"), 0);
    CHECK_EQ(fdtable_close(&t, 0), 0);
    CHECK_EQ(n->refs, 1u);             /* still open through 1 */
    CHECK_EQ(fdtable_close(&t, 1), 0); /* the last close frees the node (ASan checks) */
    vfs_destroy(&v);
}

int main(void)
{
    unit_run("fdtable", "console and the lowest free descriptor", test_console_and_lowest);
    unit_run("fdtable", "dup2 and dup3", test_dup3);
    unit_run("fdtable", "EMFILE", test_emfile);
    unit_run("fdtable", "RLIMIT_NOFILE's limit", test_limit);
    unit_run("fdtable", "open files keep their node", test_node_refs);
    return unit_exit_code();
}
