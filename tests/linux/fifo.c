/*
 * fifo.c - named pipes: mkfifo and mknod (a FIFO, a regular file, and the
 * refused types), opening a FIFO without waiting (O_NONBLOCK readers,
 * ENXIO for a writer without a reader, a writer once a reader is there,
 * O_RDWR), bytes through it between two processes, end of file when the
 * writers are gone, the bytes gone with the last open, a FIFO unlinked
 * while open, fstat and getdents of it, fchmod, lseek ESPIPE, fsync EINVAL,
 * and mknod's errors (EEXIST, ENOENT, EPERM, EINVAL, EBADF, EFAULT); and
 * opens that wait for the other side: a reader for a writer and a writer
 * for a reader, in either order; an opener killed while it waits.  Works
 * in ./fifo-dir.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define BAD ((void *)8)

static void result(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, r);
    fflush(stdout);
}

static void read_some(const char *what, int fd)
{
    char buf[32] = {0};
    long n = read(fd, buf, sizeof buf - 1);
    if (n < 0)
        result(what, n);
    else
        printf("%s: %ld \"%s\"\n", what, n, buf);
    fflush(stdout);
}

static void show(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        result(path, -1);
        return;
    }
    printf("%s: %s mode %o size %ld nlink %ld\n", path,
           S_ISFIFO(st.st_mode)  ? "fifo"
           : S_ISREG(st.st_mode) ? "file"
                                 : "other",
           (unsigned)(st.st_mode & 07777), (long)st.st_size, (long)st.st_nlink);
}

/* The directory's entries with their types, sorted (file systems list in different orders). */
static void list(void)
{
    char lines[8][300];
    int n = 0;
    DIR *d = opendir(".");
    struct dirent *e;
    while (d && (e = readdir(d)) && n < 8)
        if (e->d_name[0] != '.')
            snprintf(lines[n++], sizeof lines[0], "entry %s type %s", e->d_name,
                     e->d_type == DT_FIFO  ? "fifo"
                     : e->d_type == DT_REG ? "file"
                                           : "other");
    if (d)
        closedir(d);
    qsort(lines, n, sizeof lines[0], (int (*)(const void *, const void *))strcmp);
    for (int i = 0; i < n; i++)
        printf("%s\n", lines[i]);
}

/* A child opens g (read-only or write-only, which waits for the other side); the parent opens
 * the other side, which may find the child already waiting or wait for it. */
static void waiting_opens(void)
{
    for (int child_reads = 1; child_reads >= 0; child_reads--) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            int fd = open("g", child_reads ? O_RDONLY : O_WRONLY);
            if (fd < 0)
                _exit(1);
            if (child_reads) {
                char buf[16] = {0};
                long n = read(fd, buf, sizeof buf - 1);
                printf("child read %ld \"%s\"\n", n, buf);
                n = read(fd, buf, sizeof buf - 1);
                printf("child read %ld (end of file)\n", n);
                fflush(stdout);
            } else if (write(fd, "to the parent", 13) != 13) {
                _exit(2);
            }
            _exit(0);
        }
        /* The parent prints only after the child has ended: the two outputs do not mix. */
        int fd = open("g", child_reads ? O_WRONLY : O_RDONLY);
        long wrote = child_reads ? write(fd, "to the child", 12) : 0;
        if (child_reads)
            close(fd);
        int status;
        waitpid(pid, &status, 0);
        printf("%s: %d\n",
               child_reads ? "open g O_WRONLY (waits for the reader)"
                           : "open g O_RDONLY (waits for the writer)",
               fd > 0);
        printf("child: %d\n", WEXITSTATUS(status));
        if (child_reads) {
            printf("wrote %ld\n", wrote);
        } else {
            read_some("read the child's bytes", fd);
            read_some("read: end of file", fd);
            close(fd);
        }
    }
}

/* A child killed while its open of g waits no longer counts as a reader (on Mica: whether
 * it was still waiting or not yet in open, the answer is the same). */
static void killed_opener(void)
{
    int ready[2];
    if (pipe(ready) < 0)
        return;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(ready[0]);
        if (write(ready[1], "r", 1) != 1)
            _exit(1);
        open("g", O_RDONLY); /* waits for a writer that never comes */
        _exit(2);
    }
    char c;
    close(ready[1]);
    if (read(ready[0], &c, 1) != 1)
        return;
    close(ready[0]);
    result("kill the waiting reader", kill(pid, SIGKILL));
    int status;
    waitpid(pid, &status, 0);
    printf("killed by %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    result("open g O_WRONLY|O_NONBLOCK (no reader left)", open("g", O_WRONLY | O_NONBLOCK));
}

int main(void)
{
    umask(022);
    result("mkdir fifo-dir", mkdir("fifo-dir", 0755));
    result("chdir", chdir("fifo-dir"));
    result("mkfifo f 0666", mkfifo("f", 0666));
    result("mkfifo f again", mkfifo("f", 0666));
    result("mknod r S_IFREG", mknod("r", S_IFREG | 0640, 0));
    result("mknod z type 0", mknod("z", 0600, 0));
    result("mknodat fifo g", mknodat(AT_FDCWD, "g", S_IFIFO | 0600, 0));
    result("mknod dir", mknod("d", S_IFDIR | 0755, 0));
    result("mknod bad type", mknod("x", 0170000 | 0644, 0));
    result("mknod missing/x", mknod("missing/x", S_IFIFO | 0644, 0));
    result("mknod r/x", mknod("r/x", S_IFIFO | 0644, 0));
    result("mknod BAD", mknod(BAD, S_IFIFO | 0644, 0));
    result("mknodat -5", mknodat(-5, "x", S_IFIFO | 0644, 0));
    result("mknod f/ (exists)", mknod("f/", S_IFIFO | 0644, 0));
    result("mknod y/ (missing)", mknod("y/", S_IFIFO | 0644, 0));
    show("f");
    show("g");
    show("r");
    show("z");
    list();

    result("open f O_WRONLY|O_NONBLOCK (no reader)", open("f", O_WRONLY | O_NONBLOCK));
    int r = open("f", O_RDONLY | O_NONBLOCK);
    result("open f O_RDONLY|O_NONBLOCK", r);
    read_some("read with no writer (end of file)", r);
    int w = open("f", O_WRONLY);
    result("open f O_WRONLY (a reader is there)", w);
    result("write", write(w, "through the fifo", 16));
    read_some("read", r);
    read_some("read empty, O_NONBLOCK", r);
    struct stat a, b;
    stat("f", &a);
    fstat(r, &b);
    printf("fstat: fifo %d, same inode %d, mode %o\n", S_ISFIFO(b.st_mode), a.st_ino == b.st_ino,
           (unsigned)(b.st_mode & 07777));
    result("lseek", lseek(r, 0, SEEK_SET));
    result("fsync", fsync(w));
    result("fchmod 0600", fchmod(w, 0600));
    show("f");
    result("fcntl F_GETFL of the reader", fcntl(r, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
    /* A child writes through its own open of the FIFO. */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int cw = open("f", O_WRONLY);
        if (cw < 0 || write(cw, "from the child", 14) != 14)
            _exit(1);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child: %d\n", WEXITSTATUS(status));
    read_some("read the child's bytes", r);
    result("close writer", close(w));
    read_some("read: end of file", r);
    /* Bytes left in a FIFO go with its last open file. */
    w = open("f", O_WRONLY);
    result("open writer again", w);
    result("write", write(w, "lost", 4));
    close(w);
    close(r);
    r = open("f", O_RDONLY | O_NONBLOCK);
    read_some("read after all closed", r);
    close(r);
    /* O_RDWR: both ends at once. */
    int rw = open("f", O_RDWR);
    result("open f O_RDWR", rw);
    result("write", write(rw, "to myself", 9));
    struct pollfd pfd = {rw, POLLIN | POLLOUT, 0};
    result("poll", poll(&pfd, 1, 0));
    printf("revents %s%s%s\n", pfd.revents & POLLIN ? "POLLIN " : "",
           pfd.revents & POLLOUT ? "POLLOUT " : "", pfd.revents & POLLHUP ? "POLLHUP" : "");
    read_some("read", rw);
    /* Unlinked while open: still a pipe. */
    int w2 = open("f", O_WRONLY);
    result("unlink f", unlink("f"));
    result("write after unlink", write(w2, "still", 5));
    read_some("read after unlink", rw);
    close(w2);
    close(rw);
    waiting_opens();
    killed_opener();
    result("unlink g", unlink("g"));
    result("unlink r", unlink("r"));
    result("unlink z", unlink("z"));
    result("chdir ..", chdir(".."));
    result("rmdir fifo-dir", rmdir("fifo-dir"));
    return 0;
}
