/*
 * files.c - files and descriptors: create, write, read back, lseek, pread,
 * pwrite, readv, writev, ftruncate, O_APPEND, O_TRUNC, O_EXCL, dup, dup2,
 * dup3, fcntl, getdents64 (listing sorted), stat fields both systems share
 * (type, permission bits, size, nlink), unlink while open, mkdir, rmdir,
 * chdir, getcwd, access, and the error paths (EBADF, EFAULT, ENOENT,
 * EEXIST, ENOTDIR, EISDIR, EINVAL, ENOTEMPTY, ENAMETOOLONG, ERANGE).
 * Works in ./t under its working directory and removes it at the end.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define BAD ((void *)8) /* an address no program has mapped */

static void result(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, r);
}

static void show_stat(const char *what, const struct stat *st)
{
    const char *type = S_ISDIR(st->st_mode) ? "dir" : S_ISREG(st->st_mode) ? "file" : "other";
    printf("%s: %s mode %o nlink %ld", what, type, (unsigned)(st->st_mode & 07777),
           (long)st->st_nlink);
    if (S_ISREG(st->st_mode))
        printf(" size %ld", (long)st->st_size);
    printf("\n");
}

static void stat_path(const char *path)
{
    struct stat st;
    char what[64];
    snprintf(what, sizeof what, "stat %s", path);
    if (stat(path, &st) < 0)
        result(what, -1);
    else
        show_stat(what, &st);
}

static void read_all(const char *what, int fd)
{
    char buf[64];
    long n = read(fd, buf, sizeof buf - 1);
    if (n < 0) {
        result(what, n);
        return;
    }
    buf[n] = 0;
    for (long i = 0; i < n; i++)
        if (buf[i] == 0)
            buf[i] = '.';
    printf("%s: %ld \"%s\"\n", what, n, buf);
}

static void reading_and_writing(void)
{
    int fd = open("f", O_CREAT | O_EXCL | O_RDWR, 0666);
    result("open f O_CREAT|O_EXCL", fd);
    result("open f O_CREAT|O_EXCL again", open("f", O_CREAT | O_EXCL | O_RDWR, 0666));
    result("write", write(fd, "hello world", 11));
    result("lseek CUR 0", lseek(fd, 0, SEEK_CUR));
    result("lseek SET 0", lseek(fd, 0, SEEK_SET));
    char buf[16] = {0};
    result("read 5", read(fd, buf, 5));
    printf("read: \"%s\"\n", buf);
    memset(buf, 0, sizeof buf);
    result("pread 5 at 6", pread(fd, buf, 5, 6));
    printf("pread: \"%s\"\n", buf);
    result("offset after pread", lseek(fd, 0, SEEK_CUR));
    result("pwrite at 6", pwrite(fd, "WORLD", 5, 6));
    read_all("read the rest", fd);
    read_all("read at the end", fd);
    result("lseek END -5", lseek(fd, -5, SEEK_END));
    result("lseek to -100", lseek(fd, -100, SEEK_SET));
    result("lseek whence 7", lseek(fd, 0, 7));
    result("pread at -1", pread(fd, buf, 1, -1));
    result("lseek SET 14", lseek(fd, 14, SEEK_SET));
    result("write past the end", write(fd, "!", 1));
    lseek(fd, 0, SEEK_SET);
    read_all("read with the hole", fd);
    struct stat st;
    fstat(fd, &st);
    show_stat("fstat f", &st);
    result("ftruncate 5", ftruncate(fd, 5));
    result("ftruncate -1", ftruncate(fd, -1));
    result("ftruncate 99", ftruncate(99, 0));
    fstat(fd, &st);
    show_stat("fstat after truncate", &st);
    struct iovec iov[2] = {{"ab", 2}, {"cd", 2}};
    lseek(fd, 0, SEEK_END);
    result("writev", writev(fd, iov, 2));
    char x[3] = {0}, y[7] = {0};
    struct iovec in[2] = {{x, 2}, {y, 6}};
    lseek(fd, 0, SEEK_SET);
    result("readv", readv(fd, in, 2));
    printf("readv: \"%s\" \"%s\"\n", x, y);
    result("read into a bad buffer", read(fd, BAD, 4));
    result("write from a bad buffer", write(fd, BAD, 4));
    result("close", close(fd));
    result("close again", close(fd));
    result("read a closed fd", read(fd, buf, 1));

    fd = open("f", O_RDONLY);
    result("write to O_RDONLY", write(fd, "x", 1));
    result("ftruncate O_RDONLY", ftruncate(fd, 0));
    close(fd);
    fd = open("f", O_WRONLY | O_APPEND);
    result("read from O_WRONLY", read(fd, buf, 1));
    result("append", write(fd, "++", 2));
    close(fd);
    stat_path("f");
    fd = open("f", O_RDWR | O_TRUNC);
    fstat(fd, &st);
    show_stat("after O_TRUNC", &st);
    close(fd);
}

static void descriptors(void)
{
    int fd = open("f", O_RDWR);
    write(fd, "0123456789", 10);
    int d = dup(fd);
    result("dup", d);
    result("lseek through the dup", lseek(d, 2, SEEK_SET));
    result("offset is shared", lseek(fd, 0, SEEK_CUR));
    result("F_GETFD of the dup", fcntl(d, F_GETFD));
    result("dup3 O_CLOEXEC to 10", dup3(fd, 10, O_CLOEXEC));
    result("F_GETFD of 10", fcntl(10, F_GETFD));
    result("F_SETFD 0", fcntl(10, F_SETFD, 0));
    result("F_GETFD again", fcntl(10, F_GETFD));
    result("dup2 onto itself", dup2(fd, fd));
    result("dup3 onto itself", syscall(SYS_dup3, fd, fd, 0));
    result("dup3 bad flags", syscall(SYS_dup3, fd, 11, O_CLOEXEC | 1));
    result("dup2 of a closed fd", dup2(99, 5));
    result("dup2 to -1", dup2(fd, -1));
    result("dup of -1", dup(-1));
    result("F_DUPFD 20", fcntl(fd, F_DUPFD, 20));
    int c = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    result("F_DUPFD_CLOEXEC 0", c);
    result("F_GETFD of it", fcntl(c, F_GETFD));
    result("F_DUPFD -1", fcntl(fd, F_DUPFD, -1));
    result("F_GETFL mode", fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND));
    result("F_SETFL O_APPEND", fcntl(fd, F_SETFL, O_APPEND));
    result("F_GETFL of the dup", fcntl(d, F_GETFL) & (O_ACCMODE | O_APPEND));
    result("write appends", write(d, "A", 1));
    result("at the end", lseek(fd, 0, SEEK_CUR));
    result("fcntl 12345", fcntl(fd, 12345));
    result("fcntl of a closed fd", fcntl(99, F_GETFD));
    result("dup2 over an open fd", dup2(d, 10));
    close(d);
    result("the other still works", pread(10, (char[4]){0}, 3, 0));
    for (int i = 3; i < 30; i++)
        close(i);
    result("lowest free fd", open("f", O_RDONLY));
    close(3);
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void listing(void)
{
    close(open("b", O_CREAT | O_WRONLY, 0600));
    close(open("a", O_CREAT | O_WRONLY, 0640));
    result("mkdir d", mkdir("d", 0750));
    result("mkdir d again", mkdir("d", 0750));
    int dfd = open(".", O_RDONLY | O_DIRECTORY);
    char buf[4096];
    long n = syscall(SYS_getdents64, dfd, buf, sizeof buf);
    char *names[32];
    int count = 0, aligned = 1;
    for (long at = 0; at < n && count < 32;) {
        unsigned short reclen = *(unsigned short *)(buf + at + 16);
        unsigned char type = *(unsigned char *)(buf + at + 18);
        char *name = buf + at + 19;
        aligned &= reclen % 8 == 0;
        names[count] = malloc(strlen(name) + 8);
        sprintf(names[count++], "%s/%s", name,
                type == DT_DIR   ? "dir"
                : type == DT_REG ? "file"
                                 : "?");
        at += reclen;
    }
    qsort(names, count, sizeof names[0], cmp);
    printf("getdents64: %d entries, records aligned: %s\n", count, aligned ? "yes" : "no");
    for (int i = 0; i < count; i++)
        printf("  %s\n", names[i]);
    result("getdents64 at the end", syscall(SYS_getdents64, dfd, buf, sizeof buf));
    lseek(dfd, 0, SEEK_SET);
    result("getdents64 too small", syscall(SYS_getdents64, dfd, buf, 8));
    result("getdents64 bad buffer", syscall(SYS_getdents64, dfd, BAD, 4096));
    int fd = open("f", O_RDONLY);
    result("getdents64 of a file", syscall(SYS_getdents64, fd, buf, sizeof buf));
    result("getdents64 of a closed fd", syscall(SYS_getdents64, 99, buf, sizeof buf));
    result("read a directory", read(dfd, buf, 1));
    close(fd);
    close(dfd);
    stat_path(".");
    stat_path("d");
    stat_path("a");
    stat_path("b");
}

static void paths(void)
{
    char name[300];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = 0;
    result("open missing", open("missing", O_RDONLY));
    result("open f/x", open("f/x", O_RDONLY));
    result("open f/", open("f/", O_RDONLY));
    result("open d O_WRONLY", open("d", O_WRONLY));
    result("open f O_DIRECTORY", open("f", O_RDONLY | O_DIRECTORY));
    result("open d O_CREAT", open("d", O_CREAT | O_RDWR, 0600));
    result("open a bad pointer", open(BAD, O_RDONLY));
    result("open a long name", open(name, O_RDONLY));
    result("open the empty path", open("", O_RDONLY));
    stat_path("./d/../f");
    stat_path("../t/d/./");
    stat_path("f/");
    stat_path("d/missing");
    result("stat a bad pointer", stat(BAD, &(struct stat){0}));
    result("stat into a bad buffer", syscall(SYS_stat, "f", BAD));
    result("fstat of a closed fd", fstat(99, &(struct stat){0}));
    result("fstat into a bad buffer", syscall(SYS_fstat, 0, BAD));
    int dfd = open("d", O_RDONLY | O_DIRECTORY);
    int fd = openat(dfd, "inner", O_CREAT | O_WRONLY, 0644);
    result("openat d/inner", fd);
    write(fd, "in", 2);
    close(fd);
    stat_path("d/inner");
    struct stat st;
    result("fstatat AT_EMPTY_PATH", fstatat(dfd, "", &st, AT_EMPTY_PATH));
    show_stat("  it", &st);
    result("fstatat bad flags", fstatat(dfd, "inner", &st, 0x4000000));
    fd = open("f", O_RDONLY);
    result("openat from a file", openat(fd, "x", O_RDONLY));
    result("openat from a closed fd", openat(99, "x", O_RDONLY));
    result("openat absolute from a closed fd", openat(99, "/", O_RDONLY | O_DIRECTORY) >= 0);
    close(fd);
    result("unlink d", unlink("d"));
    result("unlink f/", unlink("f/"));
    result("rmdir f", rmdir("f"));
    result("rmdir d (not empty)", rmdir("d"));
    result("rmdir .", rmdir("."));
    result("rmdir missing", rmdir("missing"));
    result("mkdir f/x", mkdir("f/x", 0700));
    result("mkdir a bad pointer", mkdir(BAD, 0700));
    result("unlinkat bad flags", unlinkat(AT_FDCWD, "f", 1));
    result("unlinkat d/inner via dirfd", unlinkat(dfd, "inner", 0));
    result("unlinkat AT_REMOVEDIR d", unlinkat(AT_FDCWD, "d", AT_REMOVEDIR));
    result("chdir f", chdir("f"));
    result("chdir missing", chdir("missing"));
    result("access f", access("f", F_OK));
    result("access missing", access("missing", F_OK));
    result("access mode 8", access("f", 8));
    close(dfd);
}

static void unlinked_but_open(void)
{
    int fd = open("g", O_CREAT | O_RDWR, 0600);
    write(fd, "still here", 10);
    result("unlink g while open", unlink("g"));
    stat_path("g");
    lseek(fd, 0, SEEK_SET);
    read_all("read it", fd);
    struct stat st;
    fstat(fd, &st);
    show_stat("fstat it", &st);
    close(fd);
}

int main(void)
{
    setvbuf(stdout, 0, _IONBF, 0);
    umask(022);
    result("umask", umask(027));
    result("umask again", umask(022));
    result("mkdir t", mkdir("t", 0755));
    result("chdir t", chdir("t"));
    char cwd[4096];
    const char *got = getcwd(cwd, sizeof cwd);
    const char *last = got ? strrchr(got, '/') : 0;
    printf("getcwd ends in: %s\n", last ? last : "(error)");
    result("getcwd, a buffer of 1", syscall(SYS_getcwd, cwd, 1));
    result("getcwd, a bad buffer", syscall(SYS_getcwd, BAD, sizeof cwd));
    reading_and_writing();
    descriptors();
    listing();
    paths();
    unlinked_but_open();
    /* sendfile's errors (Mica then answers EINVAL, and C libraries copy with read/write) */
    result("sendfile from a closed descriptor", syscall(SYS_sendfile, 1, 99, 0, 10));
    result("sendfile to a closed descriptor", syscall(SYS_sendfile, 99, 0, 0, 10));
    unlink("a");
    unlink("b");
    unlink("f");
    result("chdir ..", chdir(".."));
    result("rmdir t", rmdir("t"));
    stat_path("t");
    return 0;
}
