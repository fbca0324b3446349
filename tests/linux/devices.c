/*
 * devices.c - /dev: the device nodes (type, permission bits, device
 * numbers), reading and writing null, zero, full, random and urandom,
 * lseek on them, the /dev/fd links, statfs's file system type of /dev, and
 * what does not cross into another file system (link and rename: EXDEV).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static void result(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, r);
}

static void node(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        printf("stat %s: -1 %s\n", path, strerror(errno));
        return;
    }
    printf("stat %s: %s mode %o rdev %u:%u\n", path, S_ISCHR(st.st_mode) ? "char" : "other",
           (unsigned)(st.st_mode & 07777), major(st.st_rdev), minor(st.st_rdev));
}

/* Read len bytes from path: how many came, and whether all were zero. */
static void read_dev(const char *path, size_t len)
{
    unsigned char buf[8192];
    int fd = open(path, O_RDONLY);
    long n = read(fd, buf, len);
    int zeros = 1;
    for (long i = 0; i < n; i++)
        zeros &= buf[i] == 0;
    printf("read %zu from %s: %ld%s\n", len, path, n, n > 0 ? zeros ? " zeros" : " not zeros" : "");
    close(fd);
}

static void write_dev(const char *path)
{
    char what[64];
    int fd = open(path, O_WRONLY);
    snprintf(what, sizeof what, "write 5000 to %s", path);
    static char big[5000];
    result(what, write(fd, big, sizeof big));
    snprintf(what, sizeof what, "lseek %s", path);
    result(what, lseek(fd, 100, SEEK_SET));
    close(fd);
}

int main(void)
{
    const char *nodes[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"};
    for (unsigned i = 0; i < sizeof nodes / sizeof nodes[0]; i++)
        node(nodes[i]);
    read_dev("/dev/null", 16);
    read_dev("/dev/zero", 8192);
    read_dev("/dev/full", 100);
    read_dev("/dev/urandom", 64); /* 64 random bytes are all zero only once in 2^512 */
    read_dev("/dev/random", 16);
    write_dev("/dev/null");
    write_dev("/dev/zero");
    write_dev("/dev/full");
    int fd = open("/dev/null", O_RDONLY);
    char c;
    result("pread /dev/null", pread(fd, &c, 1, 10));
    close(fd);
    result("open /dev/null O_CREAT|O_TRUNC",
           fd = open("/dev/null", O_CREAT | O_TRUNC | O_WRONLY, 0600));
    close(fd);
    result("open /dev/null O_CREAT|O_EXCL", open("/dev/null", O_CREAT | O_EXCL | O_WRONLY, 0600));
    char target[64] = {0};
    result("readlink /dev/fd", readlink("/dev/fd", target, sizeof target - 1));
    printf("/dev/fd -> %s\n", target);
    struct statfs sf;
    result("statfs /dev", statfs("/dev", &sf));
    printf("/dev f_type %#lx\n", (unsigned long)sf.f_type);
    result("link /dev/null here", link("/dev/null", "null-link"));
    result("rename /dev/null here", rename("/dev/null", "null-moved"));
    result("rename here to /dev", rename("/dev/../dev/null", "./null-moved"));
    result("unlink /dev/null-missing", unlink("/dev/nothing"));
    return 0;
}
