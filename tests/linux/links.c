/*
 * links.c - symbolic links, hard links and rename: symlink, readlink, lstat
 * and stat through links, following in the middle and at the end of a
 * path, O_NOFOLLOW, O_CREAT through a dangling link, ELOOP, link and
 * linkat (AT_SYMLINK_FOLLOW), rename and renameat2 (RENAME_NOREPLACE,
 * RENAME_EXCHANGE) with Linux's error rules (ENOENT, EEXIST, ENOTDIR,
 * EISDIR, EINVAL, ENOTEMPTY, EBUSY, EPERM, ELOOP).  Works in ./t under its
 * working directory and removes it at the end.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NOREPLACE 1 /* renameat2's flags (linux/fs.h) */
#define EXCHANGE  2

static void result(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, r);
}

static const char *type_of(mode_t m)
{
    return S_ISDIR(m) ? "dir" : S_ISREG(m) ? "file" : S_ISLNK(m) ? "link" : "other";
}

static void show(const char *how, const char *path)
{
    struct stat st;
    char what[96];
    snprintf(what, sizeof what, "%s %s", how, path);
    int r = strcmp(how, "lstat") == 0 ? lstat(path, &st) : stat(path, &st);
    if (r < 0) {
        result(what, -1);
        return;
    }
    printf("%s: %s mode %o nlink %ld", what, type_of(st.st_mode), (unsigned)(st.st_mode & 07777),
           (long)st.st_nlink);
    if (!S_ISDIR(st.st_mode))
        printf(" size %ld", (long)st.st_size);
    printf("\n");
}

static void put(const char *path, const char *text)
{
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0 || write(fd, text, strlen(text)) != (long)strlen(text))
        printf("put %s: failed\n", path);
    close(fd);
}

static void cat(const char *path, int flags)
{
    char buf[64], what[96];
    snprintf(what, sizeof what, "open %s%s", path, flags & O_NOFOLLOW ? " O_NOFOLLOW" : "");
    int fd = open(path, O_RDONLY | flags);
    if (fd < 0) {
        result(what, -1);
        return;
    }
    long n = read(fd, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = 0;
    printf("%s: \"%s\"\n", what, buf);
    close(fd);
}

static void readlink_of(const char *path, size_t size)
{
    char buf[64], what[96];
    memset(buf, 0, sizeof buf);
    snprintf(what, sizeof what, "readlink %s (%zu)", path, size);
    long n = readlink(path, buf, size);
    if (n < 0)
        result(what, -1);
    else
        printf("%s: %ld \"%s\"\n", what, n, buf);
}

/* The entries of dir with their d_type, sorted by name. */
static void list(const char *dir)
{
    DIR *d = opendir(dir);
    static char names[32][270];
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && n < 32) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            snprintf(names[n++], sizeof names[0], "%s:%s", e->d_name,
                     e->d_type == DT_LNK   ? "link"
                     : e->d_type == DT_DIR ? "dir"
                                           : "file");
    }
    if (d)
        closedir(d);
    qsort(names, (size_t)n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    printf("ls %s:", dir);
    for (int i = 0; i < n; i++)
        printf(" %s", names[i]);
    printf("\n");
}

static long rename2(const char *from, const char *to, unsigned flags)
{
    return syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags);
}

/* statx's answer for path (flags: AT_SYMLINK_NOFOLLOW), the fields both systems share. */
struct statx_view { /* the start of struct statx (linux/stat.h) */
    unsigned mask, blksize;
    unsigned long long attributes;
    unsigned nlink, uid, gid;
    unsigned short mode, pad;
    unsigned long long ino, size, blocks, attributes_mask;
    unsigned char rest[256 - 64];
};

static void show_statx(const char *path, int flags)
{
    struct statx_view x;
    char what[96];
    snprintf(what, sizeof what, "statx %s%s", path, flags ? " NOFOLLOW" : "");
    if (syscall(SYS_statx, AT_FDCWD, path, flags, 0x7ff, &x) < 0) {
        result(what, -1);
        return;
    }
    printf("%s: basic %d %s nlink %u size %llu\n", what, (x.mask & 0x7ff) == 0x7ff, type_of(x.mode),
           x.nlink, x.size);
}

static void symbolic_links(void)
{
    put("t/f", "data");
    result("symlink f t/l", symlink("f", "t/l"));
    readlink_of("t/l", 64);
    readlink_of("t/l", 0);
    readlink_of("t/f", 64);
    readlink_of("t/missing", 64);
    readlink_of("", 64);
    readlink_of("t/f/", 64);
    result("readlinkat fd", readlinkat(AT_FDCWD, "t/l", (char[8]){0}, 8));
    show("lstat", "t/l");
    show("stat", "t/l");
    show("lstat", "t/l/");
    show_statx("t/l", 0);
    show_statx("t/l", AT_SYMLINK_NOFOLLOW);
    show_statx("t/missing", 0);
    result("statx bad flags", syscall(SYS_statx, AT_FDCWD, "t/l", 0x1, 0x7ff, (char[256]){0}));
    result("statx reserved mask",
           syscall(SYS_statx, AT_FDCWD, "t/l", 0, 0x80000000u, (char[256]){0}));
    cat("t/l", 0);
    cat("t/l", O_NOFOLLOW);
    cat("t/f", O_NOFOLLOW);
    result("symlink onto an existing name", symlink("x", "t/f"));
    result("symlink empty target", symlink("", "t/e"));
    result("symlink in a missing dir", symlink("x", "t/missing/e"));
    result("symlink . ", symlink("x", "t/."));

    /* A dangling link: stat fails, lstat works, O_CREAT makes its target. */
    result("symlink dangling", symlink("target", "t/dangling"));
    show("stat", "t/dangling");
    show("lstat", "t/dangling");
    result("open dangling O_CREAT|O_EXCL", open("t/dangling", O_CREAT | O_EXCL | O_WRONLY, 0600));
    result("open dangling O_CREAT|O_NOFOLLOW",
           open("t/dangling", O_CREAT | O_NOFOLLOW | O_WRONLY, 0600));
    int fd = open("t/dangling", O_CREAT | O_WRONLY, 0600);
    printf("open dangling O_CREAT: %s\n", fd >= 0 ? "ok" : strerror(errno));
    close(fd);
    show("stat", "t/target");

    /* Loops and long chains. */
    result("symlink loop", symlink("loop", "t/loop"));
    show("stat", "t/loop");
    show("stat", "t/loop/x");
    show("lstat", "t/loop");
    cat("t/loop", 0);
    char name[16], target[16];
    for (int i = 40; i >= 0; i--) {
        snprintf(name, sizeof name, "t/c%d", i);
        snprintf(target, sizeof target, i == 40 ? "f" : "c%d", i + 1);
        if (symlink(target, name) < 0)
            result("symlink chain", -1);
    }
    show("stat", "t/c1"); /* 40 links */
    show("stat", "t/c0"); /* 41: ELOOP */
    for (int i = 0; i <= 40; i++) {
        snprintf(name, sizeof name, "t/c%d", i);
        unlink(name);
    }

    /* A link to a directory, relative and absolute targets. */
    result("mkdir t/sub", mkdir("t/sub", 0755));
    result("symlink sub t/dl", symlink("sub", "t/dl"));
    put("t/dl/x", "through");
    cat("t/sub/x", 0);
    result("symlink ../f t/sub/up", symlink("../f", "t/sub/up"));
    cat("t/dl/up", 0);
    char cwd[512], abs[600];
    if (!getcwd(cwd, sizeof cwd))
        return;
    snprintf(abs, sizeof abs, "%s/t/f", cwd);
    result("symlink absolute", symlink(abs, "t/abs"));
    cat("t/abs", 0);
    char got[600];
    long n = readlink("t/abs", got, 3); /* truncated, without a NUL */
    printf("readlink absolute (3): %ld %s\n", n, n == 3 && memcmp(got, abs, 3) == 0 ? "ok" : "bad");
    n = readlink("t/abs", got, sizeof got);
    printf("readlink absolute: %s\n",
           n == (long)strlen(abs) && memcmp(got, abs, n) == 0 ? "ok" : "bad");
    result("chdir t/dl", chdir("t/dl"));
    char here[512];
    if (getcwd(here, sizeof here))
        printf("getcwd ends in: %s\n", strrchr(here, '/'));
    result("chdir ..", chdir(".."));
    if (getcwd(here, sizeof here))
        printf("getcwd ends in: %s\n", strrchr(here, '/'));
    result("chdir back", chdir(cwd));
    result("rmdir a link", rmdir("t/dl"));
    result("unlink a link to a dir", unlink("t/dl"));
    show("stat", "t/sub");
    list("t");
    result("unlink t/l", unlink("t/l"));
    show("stat", "t/f");
}

static void hard_links(void)
{
    result("link t/f t/h", link("t/f", "t/h"));
    show("stat", "t/h");
    struct stat a, b;
    stat("t/f", &a);
    stat("t/h", &b);
    printf("same inode: %d\n", a.st_ino == b.st_ino);
    put("t/h", "changed");
    cat("t/f", 0);
    result("link onto existing", link("t/f", "t/h"));
    result("link a directory", link("t/sub", "t/sub2"));
    result("link missing", link("t/missing", "t/m2"));
    result("link into missing dir", link("t/f", "t/missing/x"));
    result("link to name/", link("t/f", "t/new/"));
    result("symlink t/sl", symlink("f", "t/sl"));
    result("linkat the link itself", linkat(AT_FDCWD, "t/sl", AT_FDCWD, "t/sl2", 0));
    show("lstat", "t/sl2");
    result("linkat AT_SYMLINK_FOLLOW",
           linkat(AT_FDCWD, "t/sl", AT_FDCWD, "t/sl3", AT_SYMLINK_FOLLOW));
    show("lstat", "t/sl3");
    result("linkat bad flags", linkat(AT_FDCWD, "t/f", AT_FDCWD, "t/x", 0x8000));
    result("unlink t/f", unlink("t/f"));
    show("stat", "t/h");
    unlink("t/sl");
    unlink("t/sl2");
    unlink("t/sl3");
}

static void renaming(void)
{
    put("t/r1", "one");
    put("t/r2", "two");
    mkdir("t/d1", 0755);
    mkdir("t/d1/inner", 0755);
    mkdir("t/d2", 0755);
    put("t/d2/file", "in d2");
    mkdir("t/empty", 0755);
    result("rename r1 r3", rename("t/r1", "t/r3"));
    show("stat", "t/r1");
    cat("t/r3", 0);
    result("rename r3 over r2", rename("t/r3", "t/r2"));
    cat("t/r2", 0);
    result("rename missing", rename("t/nothing", "t/x"));
    result("rename into a missing dir", rename("t/r2", "t/missing/x"));
    result("rename itself", rename("t/r2", "t/r2"));
    result("link r2 r4", link("t/r2", "t/r4"));
    result("rename onto another link of it", rename("t/r2", "t/r4"));
    show("stat", "t/r2");
    unlink("t/r4");
    result("rename dir into itself", rename("t/d1", "t/d1/inner/x"));
    result("rename dir into itself (child)", rename("t/d1", "t/d1/x"));
    result("rename dir onto its ancestor", rename("t/d1/inner", "t"));
    result("rename onto an ancestor (file)", rename("t/d2/file", "t/d2"));
    result("rename dir onto a non-empty dir", rename("t/d1", "t/d2"));
    result("rename dir onto a file", rename("t/d1", "t/r2"));
    result("rename file onto a dir", rename("t/r2", "t/d1"));
    result("rename file/ ", rename("t/r2/", "t/r5"));
    result("rename file to name/", rename("t/r2", "t/r5/"));
    result("rename dir to name/", rename("t/empty", "t/empty2/"));
    result("rename dir back", rename("t/empty2", "t/empty"));
    result("rename .", rename("t/.", "t/x"));
    result("rename onto ..", rename("t/r2", "t/d1/.."));
    result("rename dir onto an empty dir", rename("t/d1", "t/empty"));
    show("stat", "t/empty/inner");
    show("stat", "t/d1");
    result("rename a symlink", (symlink("r2", "t/ls"), rename("t/ls", "t/ls2")));
    show("lstat", "t/ls2");
    cat("t/ls2", 0);
    unlink("t/ls2");

    result("renameat2 NOREPLACE onto existing", rename2("t/r2", "t/d2/file", NOREPLACE));
    result("renameat2 NOREPLACE", rename2("t/r2", "t/r6", NOREPLACE));
    result("renameat2 NOREPLACE onto .", rename2("t/r6", "t/.", NOREPLACE));
    result("renameat2 EXCHANGE with missing", rename2("t/r6", "t/nothing", EXCHANGE));
    result("renameat2 both flags", rename2("t/r6", "t/d2", NOREPLACE | EXCHANGE));
    result("renameat2 bad flags", rename2("t/r6", "t/d2", 0x100));
    result("renameat2 EXCHANGE file/", rename2("t/d2", "t/r6/", EXCHANGE));
    result("renameat2 EXCHANGE file and dir", rename2("t/r6", "t/d2", EXCHANGE));
    show("stat", "t/r6");
    show("stat", "t/d2");
    cat("t/r6/file", 0);
    result("renameat2 EXCHANGE onto ancestor", rename2("t/r6/file", "t/r6", EXCHANGE));
    list("t");
}

static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        char sub[512];
        while (d && (e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            remove_tree(sub);
            rewinddir(d);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

int main(void)
{
    result("mkdir t", mkdir("t", 0755));
    symbolic_links();
    hard_links();
    renaming();
    remove_tree("t");
    show("lstat", "t");
    return 0;
}
