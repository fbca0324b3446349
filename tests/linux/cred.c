/*
 * cred.c - user and group ids and permission checks as an ordinary user
 * sees them: getuid and the rest, setuid, setgid, setreuid, setregid,
 * setresuid, setresgid, getresuid, getresgid, setfsuid, setfsgid,
 * getgroups, setgroups, and then its own files in /tmp: chmod, fchmod,
 * chown, fchown, fchownat, utimensat, utimes, truncate, ftruncate, fsync,
 * fdatasync, access and faccessat, open and exec refused by the mode,
 * with their error paths (EPERM, EACCES, EINVAL, EBADF, EFAULT, ENOENT).
 *
 * Started as root (as on Mica, and when the host runs the tests as root),
 * it first becomes user 1000, group 1000, without supplementary groups;
 * started as an ordinary user it stays who it is.  It prints ids only as
 * relations ("same as getuid"), so that any ordinary user prints the same.
 * The root-only cases are in isolation.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#define BAD ((void *)8) /* an address no program has mapped */

static void result(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, r);
}

static uid_t me;
static gid_t mygid;

static void show_ids(const char *what)
{
    uid_t r, e, s;
    gid_t gr, ge, gs;
    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    printf("%s: uid %s %s %s, gid %s %s %s\n", what, r == me ? "me" : "other",
           e == me ? "me" : "other", s == me ? "me" : "other", gr == mygid ? "me" : "other",
           ge == mygid ? "me" : "other", gs == mygid ? "me" : "other");
}

static void become_ordinary(void)
{
    if (geteuid() != 0)
        return;
    if (setgroups(0, 0) < 0 || setresgid(1000, 1000, 1000) < 0 || setresuid(1000, 1000, 1000) < 0) {
        printf("cannot become user 1000: %s\n", strerror(errno));
        exit(1);
    }
}

static void ids(void)
{
    me = getuid();
    mygid = getgid();
    printf("getuid == geteuid: %d\n", getuid() == geteuid());
    printf("getgid == getegid: %d\n", getgid() == getegid());
    printf("root: %d\n", geteuid() == 0);
    show_ids("start");
    result("setuid(me)", setuid(me));
    result("setuid(0)", setuid(0));
    result("setuid(-1)", syscall(SYS_setuid, -1));
    result("setgid(me)", setgid(mygid));
    result("setgid(0)", setgid(0));
    result("setreuid(-1, -1)", setreuid(-1, -1));
    result("setreuid(me, me)", setreuid(me, me));
    result("setreuid(0, -1)", setreuid(0, -1));
    result("setreuid(-1, 0)", setreuid(-1, 0));
    result("setregid(-1, 0)", setregid(-1, 0));
    result("setresuid(-1, -1, -1)", setresuid(-1, -1, -1));
    result("setresuid(me, me, 0)", setresuid(me, me, 0));
    result("setresgid(0, -1, -1)", setresgid(0, -1, -1));
    show_ids("after the refusals");
    uid_t u;
    result("getresuid(BAD, ...)", syscall(SYS_getresuid, BAD, &u, &u));
    result("getresgid(&g, &g, BAD)", syscall(SYS_getresgid, &u, &u, BAD));
    /* setfsuid answers the old fs uid, whether it changes it or not. */
    printf("setfsuid(0) answers me: %d\n", setfsuid(0) == (int)me);
    printf("setfsuid(-1) answers me: %d\n", setfsuid(-1) == (int)me);
    printf("setfsgid(0) answers mygid: %d\n", setfsgid(0) == (int)mygid);
    printf("setfsuid(me) answers me: %d\n", setfsuid(me) == (int)me);
    gid_t groups[4] = {1, 2, 3, 4};
    result("setgroups(1)", setgroups(1, groups));
    result("setgroups(0)", setgroups(0, groups));
    result("getgroups(-1)", syscall(SYS_getgroups, -1, groups));
    int n = getgroups(0, 0);
    printf("getgroups(0) >= 0: %d\n", n >= 0);
    if (n > 0)
        result("getgroups(n, BAD)", syscall(SYS_getgroups, n, BAD));
}

static void show_mode(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        result("stat", -1);
        return;
    }
    printf("%s: mode %o, owner %s, group %s\n", strrchr(path, '/') + 1,
           (unsigned)(st.st_mode & 07777),
           st.st_uid == me  ? "me"
           : st.st_uid == 0 ? "root"
                            : "other",
           st.st_gid == mygid ? "mine"
           : st.st_gid == 0   ? "root"
                              : "other");
}

static void own_files(const char *dir)
{
    char f[128], g[128], sub[128];
    snprintf(f, sizeof f, "%s/f", dir);
    snprintf(g, sizeof g, "%s/g", dir);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    result("mkdir dir", mkdir(dir, 0700));
    int fd = open(f, O_CREAT | O_EXCL | O_RDWR, 0644);
    result("create f", fd);
    show_mode(f);
    result("write", write(fd, "hello", 5));
    result("chmod f 0400", chmod(f, 0400));
    show_mode(f);
    result("open f O_RDWR", open(f, O_RDWR));
    result("open f O_RDONLY|O_TRUNC", open(f, O_RDONLY | O_TRUNC));
    result("truncate f", truncate(f, 1));
    result("access f R_OK", access(f, R_OK));
    result("access f W_OK", access(f, W_OK));
    result("access f X_OK", access(f, X_OK));
    result("faccessat f W_OK AT_EACCESS", faccessat(AT_FDCWD, f, W_OK, AT_EACCESS));
    result("faccessat f mode 8", syscall(SYS_faccessat, AT_FDCWD, f, 8));
    result("execve f (no x)", execve(f, (char *[]){f, 0}, 0));
    result("ftruncate (opened before chmod)", ftruncate(fd, 2));
    result("fchmod f 06755", fchmod(fd, 06755));
    show_mode(f);
    result("chown f (-1, -1)", chown(f, -1, -1));
    show_mode(f); /* a regular file loses set-user-ID and set-group-ID */
    result("fchmod f 02710", fchmod(fd, 02710));
    result("fchown f (-1, mygid)", fchown(fd, -1, mygid));
    show_mode(f);
    result("fchmod f 02700", fchmod(fd, 02700));
    result("fchown f (-1, mygid) again", fchown(fd, -1, mygid));
    show_mode(f); /* without group execute set-group-ID stays */
    result("chmod f 0644", chmod(f, 0644));
    result("chown f to root", chown(f, 0, -1));
    result("chown f to me", chown(f, me, -1));
    result("chown f group root", chown(f, -1, 0));
    result("fchownat f bad flags", fchownat(AT_FDCWD, f, -1, -1, 0x4));
    result("fchownat f AT_EMPTY_PATH", fchownat(fd, "", -1, mygid, AT_EMPTY_PATH));
    result("chmod missing", chmod(g, 0644));
    result("chown missing", chown(g, me, mygid));
    result("chmod BAD", chmod(BAD, 0644));
    result("fchmod -1", fchmod(-1, 0644));
    result("fchown 99", fchown(99, -1, -1));
    /* The times of one's own file. */
    struct timespec ts[2] = {{1000000000, 5}, {1100000000, 6}};
    struct stat st;
    result("utimensat f", utimensat(AT_FDCWD, f, ts, 0));
    stat(f, &st);
    printf("times: %ld.%ld %ld.%ld\n", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
           (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct timespec omit[2] = {{0, UTIME_OMIT}, {1200000000, 0}};
    result("utimensat f OMIT atime", utimensat(AT_FDCWD, f, omit, 0));
    stat(f, &st);
    printf("times: %ld.%ld %ld.%ld\n", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
           (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct timespec both_omit[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
    result("utimensat missing both OMIT", utimensat(AT_FDCWD, g, both_omit, 0));
    struct timespec badns[2] = {{0, 1000000000}, {0, 0}};
    result("utimensat f bad nsec", utimensat(AT_FDCWD, f, badns, 0));
    result("utimensat f bad flags", utimensat(AT_FDCWD, f, 0, 0x4));
    result("utimensat f times BAD", syscall(SYS_utimensat, AT_FDCWD, f, BAD, 0));
    result("utimensat missing", utimensat(AT_FDCWD, g, 0, 0));
    result("futimens fd", futimens(fd, 0));
    result("utimensat(fd, NULL, flags)", syscall(SYS_utimensat, fd, 0, 0, AT_SYMLINK_NOFOLLOW));
    result("utimensat(-1, NULL)", syscall(SYS_utimensat, -1, 0, 0, 0));
    result("utimensat(AT_FDCWD, NULL)", syscall(SYS_utimensat, AT_FDCWD, 0, 0, 0));
    struct timeval tv[2] = {{1300000000, 7}, {1300000001, 8}};
    result("utimes f", utimes(f, tv));
    stat(f, &st);
    printf("times: %ld.%ld %ld.%ld\n", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
           (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct timeval badtv[2] = {{0, 1000000}, {0, 0}};
    result("utimes f bad usec", syscall(SYS_utimes, f, badtv));
    /* truncate and the syncs. */
    result("truncate f -1", truncate(f, -1));
    result("truncate f 3", truncate(f, 3));
    stat(f, &st);
    printf("size %ld\n", (long)st.st_size);
    result("truncate dir", truncate(dir, 0));
    result("truncate missing", truncate(g, 0));
    result("truncate BAD", truncate(BAD, 0));
    result("fsync", fsync(fd));
    result("fdatasync", fdatasync(fd));
    result("fsync -1", fsync(-1));
    int p[2];
    if (pipe(p) == 0) {
        result("fsync pipe", fsync(p[0]));
        close(p[0]);
        close(p[1]);
    }
    close(fd);
    /* A directory without search permission hides what is in it, even from its owner. */
    result("mkdir sub", mkdir(sub, 0700));
    char inner[160];
    snprintf(inner, sizeof inner, "%s/x", sub);
    result("create sub/x", close(open(inner, O_CREAT | O_WRONLY, 0600)));
    result("chmod sub 0600", chmod(sub, 0600));
    result("stat sub/x", stat(inner, &st));
    result("open sub/x", open(inner, O_RDONLY));
    result("chdir sub", chdir(sub));
    result("access sub/x F_OK", access(inner, F_OK));
    result("chmod sub 0500", chmod(sub, 0500));
    result("unlink sub/x", unlink(inner));
    char other[160];
    snprintf(other, sizeof other, "%s/y", sub);
    result("create sub/y", open(other, O_CREAT | O_EXCL | O_WRONLY, 0600));
    result("opendir sub O_RDONLY", close(open(sub, O_RDONLY | O_DIRECTORY)));
    result("chmod sub 0300", chmod(sub, 0300));
    result("opendir sub without read", open(sub, O_RDONLY | O_DIRECTORY));
    result("unlink sub/x", unlink(inner));
    result("rmdir sub", rmdir(sub));
    result("mkdir sub 01777 (sticky)", mkdir(sub, 01777));
    show_mode(sub);
    result("rmdir sub", rmdir(sub));
    result("unlink f", unlink(f));
    result("rmdir dir", rmdir(dir));
}

static void system_files(void)
{
    result("create /etc/cred-test", open("/etc/cred-test", O_CREAT | O_WRONLY, 0644));
    result("mkdir /etc/cred-test", mkdir("/etc/cred-test", 0755));
    result("chmod /etc", chmod("/etc", 0777));
    result("chown /etc", chown("/etc", me, -1));
    result("utimensat /etc now", utimensat(AT_FDCWD, "/etc", 0, 0));
    struct timespec ts[2] = {{1, 0}, {1, 0}};
    result("utimensat /etc times", utimensat(AT_FDCWD, "/etc", ts, 0));
    struct timespec nowomit[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
    result("utimensat /etc NOW OMIT", utimensat(AT_FDCWD, "/etc", nowomit, 0));
    result("access /etc W_OK", access("/etc", W_OK));
    result("access /etc X_OK", access("/etc", X_OK));
    result("rmdir /tmp", rmdir("/tmp"));
    /* Limits: lowering a hard limit is for good. */
    struct rlimit rl = {64, 128};
    result("setrlimit NOFILE 64/128", setrlimit(RLIMIT_NOFILE, &rl));
    rl.rlim_max = 256;
    result("setrlimit NOFILE 64/256 (raise the hard limit)", setrlimit(RLIMIT_NOFILE, &rl));
    rl.rlim_cur = 128;
    rl.rlim_max = 128;
    result("setrlimit NOFILE 128/128", setrlimit(RLIMIT_NOFILE, &rl));
}

int main(void)
{
    umask(022); /* the modes printed do not depend on the host's umask */
    become_ordinary();
    ids();
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/cred-%d", (int)getpid());
    own_files(dir);
    system_files();
    return 0;
}
