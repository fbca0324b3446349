/*
 * locks.c - POSIX record locks with fcntl: F_SETLK and F_GETLK between a
 * parent and its child (shared and exclusive ranges, EAGAIN, the holder's
 * pid, SEEK_CUR and SEEK_END ranges, "to the end of the file"), unlocking a
 * part, locks released by closing ANY descriptor of the file and at exit,
 * and the error paths (EBADF for a lock the access mode does not allow,
 * EINVAL for bad types, whence and ranges, EFAULT); F_SETLKW waiting for a
 * lock to go, and refusing to wait in a circle (EDEADLK).  Works in
 * ./locks-file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static int lock(int fd, int cmd, short type, short whence, long start, long len)
{
    struct flock l = {.l_type = type, .l_whence = whence, .l_start = start, .l_len = len};
    return fcntl(fd, cmd, &l);
}

/* F_GETLK for [start, start+len): who holds what, as seen from this process. */
static void show(const char *what, int fd, short type, long start, long len, pid_t other)
{
    struct flock l = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    if (fcntl(fd, F_GETLK, &l) < 0) {
        result(what, -1);
        return;
    }
    if (l.l_type == F_UNLCK) {
        printf("%s: unlocked\n", what);
    } else {
        printf("%s: %s lock %ld+%ld by %s\n", what, l.l_type == F_WRLCK ? "write" : "read",
               (long)l.l_start, (long)l.l_len, l.l_pid == other ? "the other" : "someone else");
    }
    fflush(stdout);
}

static int to_child[2], to_parent[2];

static void step(int fd)
{
    char c = 1;
    if (write(fd, &c, 1) != 1)
        exit(9);
}

static void wait_step(int fd)
{
    char c;
    if (read(fd, &c, 1) != 1)
        exit(9);
}

static void child(pid_t parent)
{
    int fd = open("locks-file", O_RDWR);
    wait_step(to_child[0]);
    printf("child:\n");
    show("getlk write 0+10", fd, F_WRLCK, 0, 10, parent);
    show("getlk read 0+10", fd, F_RDLCK, 0, 10, parent);
    show("getlk write 10+10", fd, F_WRLCK, 10, 10, parent);
    show("getlk read 100+1", fd, F_RDLCK, 100, 1, parent);
    show("getlk write 200+0", fd, F_WRLCK, 200, 0, parent);
    result("setlk read 0+10", lock(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 10));
    result("setlk write 5+1", lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 5, 1));
    result("setlk read 10+5", lock(fd, F_SETLK, F_RDLCK, SEEK_SET, 10, 5));
    result("setlk write 20+5", lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 20, 5));
    result("setlk write 1000+1", lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 1000, 1));
    step(to_parent[1]);
    wait_step(to_child[0]); /* the parent unlocked 0..4 and closed another descriptor */
    printf("child, again:\n");
    show("getlk write 0+100", fd, F_WRLCK, 0, 100, parent);
    result("setlk write 0+50", lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 50));
    result("setlk write 1000+0", lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 1000, 0));
    step(to_parent[1]);
    exit(0); /* its locks go at exit */
}

/* The child asks with F_SETLKW for the parent's lock, which the parent then gives up. */
static void waiting(int fd)
{
    int ready[2];
    if (pipe(ready) < 0)
        return;
    result("parent: setlk write 0+1", lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (write(ready[1], "r", 1) != 1)
            _exit(9);
        int r = lock(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1); /* waits for the parent's unlock */
        _exit(r == 0 ? 0 : 1);
    }
    char c;
    if (read(ready[0], &c, 1) != 1)
        return;
    result("parent: unlock 0+1", lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1));
    int status;
    waitpid(pid, &status, 0);
    printf("child: setlkw %s\n", WEXITSTATUS(status) == 0 ? "granted" : "failed");
    close(ready[0]);
    close(ready[1]);
}

/* Parent holds byte 0 and wants byte 1, child holds byte 1 and wants byte 0: whichever asks
 * second would close the circle and gets EDEADLK; it lets go, and the other is granted. */
static void deadlock(int fd)
{
    int ready[2];
    if (pipe(ready) < 0)
        return;
    lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1) < 0 || write(ready[1], "r", 1) != 1)
            _exit(9);
        int r = lock(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1);
        int e = errno;
        lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
        _exit(r == 0 ? 0 : e == EDEADLK ? 2 : 1);
    }
    char c;
    if (read(ready[0], &c, 1) != 1)
        return;
    int r = lock(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1);
    int e = errno;
    lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    int status;
    waitpid(pid, &status, 0);
    int child = WEXITSTATUS(status);
    int deadlocks = (r < 0 && e == EDEADLK) + (child == 2);
    int granted = (r == 0) + (child == 0);
    printf("deadlock: %d EDEADLK, %d granted\n", deadlocks, granted);
    close(ready[0]);
    close(ready[1]);
}

int main(void)
{
    int fd = open("locks-file", O_CREAT | O_TRUNC | O_RDWR, 0644);
    if (fd < 0 || write(fd, "0123456789abcdef", 16) != 16 || pipe(to_child) < 0 ||
        pipe(to_parent) < 0)
        return 1;
    result("setlk write 0+10", lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
    result("setlk read 10+10", lock(fd, F_SETLK, F_RDLCK, SEEK_SET, 10, 10));
    lseek(fd, 100, SEEK_SET);
    result("setlk read cur+0+1", lock(fd, F_SETLK, F_RDLCK, SEEK_CUR, 0, 1));
    result("setlk write end+184+0", lock(fd, F_SETLK, F_WRLCK, SEEK_END, 184, 0)); /* 200.. */
    result("setlk write 0+10 again", lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
    show("getlk own write 0+10", fd, F_WRLCK, 0, 10, 0);
    /* The errors. */
    result("setlk bad type", lock(fd, F_SETLK, 7, SEEK_SET, 0, 1));
    result("setlk bad whence", lock(fd, F_SETLK, F_RDLCK, 9, 0, 1));
    result("setlk negative start", lock(fd, F_SETLK, F_RDLCK, SEEK_SET, -1, 1));
    result("setlk negative length past 0", lock(fd, F_SETLK, F_RDLCK, SEEK_SET, 5, -10));
    result("getlk F_UNLCK", lock(fd, F_GETLK, F_UNLCK, SEEK_SET, 0, 1));
    result("setlk BAD", fcntl(fd, F_SETLK, BAD));
    result("getlk BAD", fcntl(fd, F_GETLK, BAD));
    result("setlk -1", lock(-1, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
    int ro = open("locks-file", O_RDONLY), wo = open("locks-file", O_WRONLY);
    result("setlk write on O_RDONLY", lock(ro, F_SETLK, F_WRLCK, SEEK_SET, 300, 1));
    result("setlk read on O_WRONLY", lock(wo, F_SETLK, F_RDLCK, SEEK_SET, 300, 1));
    result("setlk unlock on O_RDONLY", lock(ro, F_SETLK, F_UNLCK, SEEK_SET, 300, 1));
    result("setlk negative length", lock(wo, F_SETLK, F_WRLCK, SEEK_SET, 400, -10)); /* 390..399 */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        child(getppid());
    step(to_child[1]);
    wait_step(to_parent[0]);
    result("parent: unlock 0+5", lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 5));
    result("parent: close another descriptor", close(ro)); /* drops all its locks on the file */
    step(to_child[1]);
    wait_step(to_parent[0]);
    int status;
    waitpid(pid, &status, 0);
    show("parent: after the child's exit", fd, F_WRLCK, 0, 0, pid);
    result("parent: setlk write 0+0", lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
    result("parent: unlock all", lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
    waiting(fd);
    deadlock(fd);
    close(wo);
    close(fd);
    result("unlink", unlink("locks-file"));
    return 0;
}
