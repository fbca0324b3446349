/*
 * isolation.c - what separates users: started as root, it makes a
 * private directory in /tmp with a secret (0600) file, a shared (0644)
 * one, a closed (0700) directory and a set-user-ID root copy of itself;
 * then a child becomes user 1000 and tries what an ordinary user must not
 * do: read the secret (EACCES), write /etc or the shared file (EACCES),
 * look into the closed directory (EACCES), change the mode, owner or
 * times of root's files (EPERM), remove root's file from the sticky /tmp
 * (EPERM), signal root's processes or read their limits (EPERM), become
 * root again (EPERM); read a file of another group (EACCES) but not of a
 * supplementary group it was given;
 * and what it may: its own files, and root's rights through a set-user-ID
 * root copy of this program (effective and saved uid 0, real 1000), which
 * it can give up for good.  A second child, real uid 1000 but effective
 * 1001, runs a set-user-ID copy owned by 1000: it runs with effective and
 * saved uid 1000, reads 1000's private file and can no longer become 1001.
 * Then root's own limits: no execute bit, no exec.
 *
 * It needs root at the start, so it is not in the host-or-Mica
 * differential list (programs) but a case of its own (isolation.programs,
 * systest.py's linux-isolation): exact output on Mica, and the same output
 * from Linux when the host runs the tests as root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64], secret[96], shared[96], closed[96], inside[128], suid[96], mine[96],
    rootfile[96], private1000[96], group20[96], group30[96], suidroot[96];

static void result(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, r);
    fflush(stdout);
}

static void show_ids(const char *what)
{
    uid_t r, e, s;
    gid_t gr, ge, gs;
    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    printf("%s: uid %u %u %u, gid %u %u %u, fsuid %d\n", what, r, e, s, gr, ge, gs, setfsuid(-1));
    fflush(stdout);
}

static void read_file(const char *what, const char *path)
{
    char buf[64] = {0};
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        result(what, -1);
        return;
    }
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    printf("%s: %ld \"%s\"\n", what, n, buf);
    fflush(stdout);
}

static int make_file(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    if (fd < 0 || write(fd, text, strlen(text)) < 0 || fchmod(fd, mode) < 0 || close(fd) < 0)
        return -1;
    return 0;
}

/* Copy this program (bin/isolation under the working directory, on Mica and on the host). */
static int copy_self(const char *to)
{
    static char buf[1 << 16];
    int in = open("bin/isolation", O_RDONLY), out = open(to, O_CREAT | O_WRONLY | O_TRUNC, 0700);
    long n;
    if (in < 0 || out < 0)
        return -1;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, n) != n)
            return -1;
    close(in);
    return close(out);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/iso-%d", (int)getpid());
    snprintf(secret, sizeof secret, "%s/secret", dir);
    snprintf(shared, sizeof shared, "%s/shared", dir);
    snprintf(closed, sizeof closed, "%s/closed", dir);
    snprintf(inside, sizeof inside, "%s/closed/inside", dir);
    snprintf(suid, sizeof suid, "%s/suid", dir);
    snprintf(mine, sizeof mine, "/tmp/iso-user-%d", (int)getpid());
    snprintf(rootfile, sizeof rootfile, "/tmp/iso-root-%d", (int)getpid());
    snprintf(private1000, sizeof private1000, "%s/private1000", dir);
    snprintf(group20, sizeof group20, "%s/group20", dir);
    snprintf(suidroot, sizeof suidroot, "%s/suidroot", dir);
    snprintf(group30, sizeof group30, "%s/group30", dir);
    umask(022);
    if (mkdir(dir, 0755) < 0 || make_file(secret, "top secret", 0600) < 0 ||
        make_file(shared, "for all", 0644) < 0 || mkdir(closed, 0700) < 0 ||
        make_file(inside, "hidden", 0644) < 0 || make_file(rootfile, "root's", 0666) < 0 ||
        make_file(private1000, "1000's", 0600) < 0 || chown(private1000, 1000, 1000) < 0 ||
        make_file(group20, "group 20's", 0640) < 0 || chown(group20, 0, 20) < 0 ||
        make_file(group30, "group 30's", 0640) < 0 || chown(group30, 0, 30) < 0 ||
        copy_self(suid) < 0 || chown(suid, 1000, 1000) < 0 || chmod(suid, 04755) < 0 ||
        copy_self(suidroot) < 0 || chmod(suidroot, 04755) < 0) {
        printf("setup failed: %s\n", strerror(errno));
        exit(1);
    }
    printf("setup done\n");
    fflush(stdout);
}

/* The set-user-ID copy (owner 1000), run with real uid 1000 and effective uid 1001. */
static int as_suid(const char *private_path)
{
    show_ids("set-user-ID program");
    read_file("read 1000's private file", private_path);
    result("setuid(1001)", setuid(1001)); /* the saved uid is 1000 now: refused */
    result("setuid(0)", setuid(0));
    return 7;
}

/* The set-user-ID root copy, run by user 1000: root's rights, given up for good. */
static int as_suid_root(const char *secret_path)
{
    show_ids("set-user-ID root program");
    read_file("read secret", secret_path);
    result("setuid(1000)", setuid(1000)); /* effective root: real, effective and saved */
    show_ids("after setuid(1000)");
    result("setuid(0)", setuid(0));
    read_file("read secret", secret_path);
    return 5;
}

static void user1001(void)
{
    result("setgroups(0)", setgroups(0, 0));
    result("setgid(1000)", setgid(1000));
    result("setresuid(1000, 1001, 1001)", setresuid(1000, 1001, 1001));
    show_ids("before");
    read_file("read 1000's private file", private1000);
    char *argv[] = {suid, "as-suid", private1000, 0};
    execve(suid, argv, (char *[]){0});
    result("execve suid", -1);
    exit(1);
}

/* The lines of /proc/self/status about who the process is. */
static void show_status(void)
{
    char buf[4096];
    int fd = open("/proc/self/status", O_RDONLY);
    long n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    if (fd >= 0)
        close(fd);
    if (n < 0) {
        result("/proc/self/status", -1);
        return;
    }
    buf[n] = 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(0, "\n"))
        if (!strncmp(line, "Uid:", 4) || !strncmp(line, "Gid:", 4) ||
            !strncmp(line, "Groups:", 7) || !strncmp(line, "CapPrm:", 7) ||
            !strncmp(line, "CapEff:", 7))
            printf("status %s\n", line);
    fflush(stdout);
}

static void user(void)
{
    gid_t groups[3] = {30, 20, 25};
    result("setgroups(30, 20, 25)", setgroups(3, groups));
    gid_t got[8];
    int n = getgroups(8, got);
    printf("getgroups: %d:", n);
    for (int k = 0; k < n; k++)
        printf(" %u", got[k]);
    printf("\n");
    groups[0] = 20;
    result("setgroups(20)", setgroups(1, groups));
    result("setgid(1000)", setgid(1000));
    result("setuid(1000)", setuid(1000));
    show_ids("user");
    show_status();
    read_file("read secret", secret);
    read_file("read shared", shared);
    read_file("read group 20's file (a supplementary group)", group20);
    read_file("read group 30's file", group30);
    result("open shared O_WRONLY", open(shared, O_WRONLY));
    result("open secret O_RDONLY|O_CREAT", open(secret, O_RDONLY | O_CREAT, 0644));
    result("access secret R_OK", access(secret, R_OK));
    result("access secret F_OK", access(secret, F_OK));
    result("create /etc/passwd-new", open("/etc/passwd-new", O_CREAT | O_WRONLY, 0644));
    result("mkdir /etc/new", mkdir("/etc/new", 0755));
    char x[128];
    snprintf(x, sizeof x, "%s/x", dir);
    result("create in root's directory", open(x, O_CREAT | O_EXCL | O_WRONLY, 0644));
    result("unlink shared", unlink(shared));
    result("rmdir closed", rmdir(closed));
    struct stat st;
    result("stat closed", stat(closed, &st));
    result("stat closed/inside", stat(inside, &st));
    result("chdir closed", chdir(closed));
    result("chmod secret 0644", chmod(secret, 0644));
    result("chown secret to 1000", chown(secret, 1000, 1000));
    result("chgrp secret to 1000", chown(secret, -1, 1000));
    result("truncate shared", truncate(shared, 0));
    result("utimensat shared now", utimensat(AT_FDCWD, shared, 0, 0));
    struct timespec ts[2] = {{1, 0}, {1, 0}};
    result("utimensat shared times", utimensat(AT_FDCWD, shared, ts, 0));
    result("utimensat root's 0666 file now", utimensat(AT_FDCWD, rootfile, 0, 0));
    result("unlink root's file in /tmp (sticky)", unlink(rootfile));
    result("kill(parent, 0)", kill(getppid(), 0));
    result("kill(parent, SIGKILL)", kill(getppid(), SIGKILL));
    result("kill(self, 0)", kill(getpid(), 0));
    struct rlimit rl;
    result("prlimit of root's process", prlimit(getppid(), RLIMIT_NOFILE, 0, &rl));
    result("setuid(0)", setuid(0));
    result("setresuid(0, 0, 0)", setresuid(0, 0, 0));
    result("setgroups(0)", setgroups(0, 0));
    /* Its own file. */
    int fd = open(mine, O_CREAT | O_EXCL | O_WRONLY, 0640);
    result("create own file", fd);
    fstat(fd, &st);
    printf("own file: uid %u gid %u mode %o\n", st.st_uid, st.st_gid, st.st_mode & 07777);
    result("chmod own file 0600", fchmod(fd, 0600));
    result("chown own file to 0", fchown(fd, 0, -1));
    result("chgrp own file to 20 (a supplementary group)", fchown(fd, -1, 20));
    result("chgrp own file to 30", fchown(fd, -1, 30));
    result("chown own file to 1000:1000", fchown(fd, 1000, 1000));
    close(fd);
    /* Names in root's directory: no new ones, none taken away or moved in or out. */
    char name[128];
    snprintf(name, sizeof name, "%s/new", dir);
    result("link own file into root's directory", link(mine, name));
    result("symlink in root's directory", symlink(mine, name));
    result("rename own file into root's directory", rename(mine, name));
    result("rename root's file out of its directory", rename(shared, mine));
    result("rename root's file in /tmp (sticky)", rename(rootfile, mine));
    snprintf(name, sizeof name, "%s-link", mine);
    result("symlink to root's secret", symlink(secret, name));
    read_file("read through it", name);
    result("lchown own link to 1000:20", lchown(name, -1, 20));
    result("chown through it (root's file)", chown(name, -1, 20));
    result("unlink own link", unlink(name));
    result("unlink own file", unlink(mine));
    fflush(stdout);
    char *argv[] = {suidroot, "as-suid-root", secret, 0};
    execve(suidroot, argv, (char *[]){0});
    result("execve suidroot", -1);
    exit(1);
}

static void root_limits(void)
{
    show_ids("root");
    read_file("root reads secret", secret);
    result("chmod secret 0000", chmod(secret, 0));
    read_file("root reads a 0000 file", secret);
    result("access X_OK of a 0644 file", access(shared, X_OK));
    result("access X_OK of a 0700 dir", access(closed, X_OK));
    result("execve a 0644 file", execve(shared, (char *[]){shared, 0}, (char *[]){0}));
    result("chmod shared 0744", chmod(shared, 0744));
    result("access X_OK of a 0744 file", access(shared, X_OK));
    result("chown secret to 1000:1000", chown(secret, 1000, 1000));
    struct stat st;
    stat(secret, &st);
    printf("secret: uid %u gid %u mode %o\n", st.st_uid, st.st_gid, st.st_mode & 07777);
    result("unlink suid", unlink(suid));
    result("unlink suidroot", unlink(suidroot));
    result("unlink private1000", unlink(private1000));
    result("unlink group20", unlink(group20));
    result("unlink group30", unlink(group30));
    result("unlink inside", unlink(inside));
    result("rmdir closed", rmdir(closed));
    result("unlink secret", unlink(secret));
    result("unlink shared", unlink(shared));
    result("rmdir dir", rmdir(dir));
    result("unlink root's file", unlink(rootfile));
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "as-suid") == 0)
        return as_suid(argv[2]);
    if (argc == 3 && strcmp(argv[1], "as-suid-root") == 0)
        return as_suid_root(argv[2]);
    if (geteuid() != 0) {
        printf("isolation: must start as root\n");
        return 1;
    }
    setup();
    pid_t pid = fork();
    if (pid == 0)
        user();
    int status = 0;
    waitpid(pid, &status, 0);
    printf("user: exit status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    fflush(stdout);
    if ((pid = fork()) == 0)
        user1001();
    waitpid(pid, &status, 0);
    printf("set-user-ID run: exit status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    root_limits();
    return 0;
}
