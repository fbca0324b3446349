/*
 * procfs.c - /proc as programs and libc read it: /proc/self, the caller's
 * stat, status, cmdline, comm, exe, cwd, fd/ (files, directories, pipes),
 * task/, maps; the system's meminfo, cpuinfo, uptime, loadavg, mounts,
 * stat, version; statfs of /proc; a child's /proc/N while it lives and
 * after it is reaped.  What differs between two systems by nature (pids,
 * sizes, times, the CPU) is checked against the program's own view
 * (getpid, getcwd, fstat) or for its form, and printed only as that.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

static char buf[65536];

/* The whole of a file of /proc into buf: its length, or -1. */
static long slurp(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    long len = 0, n;
    while ((n = read(fd, buf + len, sizeof buf - 1 - len)) > 0)
        len += n;
    close(fd);
    buf[len] = 0;
    return len;
}

/* The value of "Key:" in buf (a status-like file), up to the line's end. */
static const char *field(const char *key, char *out, size_t size)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\n%s:", key);
    const char *at = strstr(buf, pat);
    if (!at && strncmp(buf, pat + 1, strlen(pat + 1)) == 0)
        at = buf - 1;
    if (!at) {
        snprintf(out, size, "(none)");
        return out;
    }
    at += strlen(pat);
    while (*at == '\t' || *at == ' ')
        at++;
    size_t n = strcspn(at, "\n");
    snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), at);
    return out;
}

static void self_link(void)
{
    char target[64] = {0}, want[32];
    readlink("/proc/self", target, sizeof target - 1);
    snprintf(want, sizeof want, "%d", getpid());
    printf("/proc/self is the pid: %d\n", strcmp(target, want) == 0);
    struct stat st;
    printf("lstat /proc/self: %s\n",
           lstat("/proc/self", &st) == 0 && S_ISLNK(st.st_mode) ? "link" : "?");
    printf("stat /proc/self: %s\n",
           stat("/proc/self", &st) == 0 && S_ISDIR(st.st_mode) ? "dir" : "?");
}

static void status(void)
{
    char v[128];
    if (slurp("/proc/self/status") < 0) {
        printf("status: %s\n", strerror(errno));
        return;
    }
    printf("Name: %s\n", field("Name", v, sizeof v));
    printf("Umask: %s\n", field("Umask", v, sizeof v));
    printf("State: %s\n", field("State", v, sizeof v));
    printf("Pid matches: %d\n", atoi(field("Pid", v, sizeof v)) == getpid());
    printf("Tgid matches: %d\n", atoi(field("Tgid", v, sizeof v)) == getpid());
    printf("PPid matches: %d\n", atoi(field("PPid", v, sizeof v)) == getppid());
    printf("Uid: %s\n", field("Uid", v, sizeof v));
    printf("Gid: %s\n", field("Gid", v, sizeof v));
    printf("Threads: %s\n", field("Threads", v, sizeof v));
    printf("VmRSS in kB: %d\n", strstr(field("VmRSS", v, sizeof v), " kB") != 0);
    printf("SigBlk: %s\n", field("SigBlk", v, sizeof v));
}

static void stat_line(void)
{
    if (slurp("/proc/self/stat") < 0) {
        printf("stat: %s\n", strerror(errno));
        return;
    }
    int pid = 0, ppid = 0, pgrp = 0;
    char comm[64] = {0}, state = 0;
    int n = sscanf(buf, "%d (%63[^)]) %c %d %d", &pid, comm, &state, &ppid, &pgrp);
    printf("stat: %d fields parsed, pid %d, comm %s, state %c, ppid %d\n", n, pid == getpid(), comm,
           state, ppid == getppid());
    int fields = 1;
    for (const char *s = strrchr(buf, ')'); *s; s++)
        fields += *s == ' ';
    printf("stat: %d fields\n", fields);
    printf("comm: ");
    fflush(stdout);
    slurp("/proc/self/comm");
    printf("%s", buf);
}

static void cmdline(int argc, char **argv)
{
    long len = slurp("/proc/self/cmdline");
    long want = 0;
    for (int i = 0; i < argc; i++)
        want += (long)strlen(argv[i]) + 1;
    printf("cmdline: %ld bytes, as argv: %d\n", len,
           len == want &&
               strcmp(buf + (len - (long)strlen(argv[argc - 1]) - 1), argv[argc - 1]) == 0);
    for (long i = 0; i < len; i++)
        if (!buf[i])
            buf[i] = ' ';
    const char *last = strrchr(buf, '/');
    printf("cmdline ends: %s\n", last ? last : buf);
}

static void links(void)
{
    char target[512] = {0}, cwd[512];
    long n = readlink("/proc/self/exe", target, sizeof target - 1);
    printf("exe: %s\n", n > 0 ? strrchr(target, '/') : strerror(errno));
    memset(target, 0, sizeof target);
    readlink("/proc/self/cwd", target, sizeof target - 1);
    printf("cwd is getcwd: %d\n", getcwd(cwd, sizeof cwd) && strcmp(cwd, target) == 0);

    mkdir("pt", 0755);
    int f = open("pt/file", O_CREAT | O_RDWR, 0644);
    int d = open("pt", O_RDONLY | O_DIRECTORY);
    int p[2];
    pipe(p);
    char path[64], want[600];
    struct stat st;
    snprintf(path, sizeof path, "/proc/self/fd/%d", f);
    memset(target, 0, sizeof target);
    readlink(path, target, sizeof target - 1);
    snprintf(want, sizeof want, "%s/pt/file", strcmp(cwd, "/") ? cwd : "");
    printf("fd of a file: %d\n", strcmp(target, want) == 0);
    lstat(path, &st);
    printf("fd link mode: %o\n", (unsigned)(st.st_mode & 0777));
    snprintf(path, sizeof path, "/proc/self/fd/%d", d);
    memset(target, 0, sizeof target);
    readlink(path, target, sizeof target - 1);
    snprintf(want, sizeof want, "%s/pt", strcmp(cwd, "/") ? cwd : "");
    printf("fd of a directory: %d\n", strcmp(target, want) == 0);
    lstat(path, &st);
    printf("fd link mode: %o\n", (unsigned)(st.st_mode & 0777));
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[1]);
    memset(target, 0, sizeof target);
    readlink(path, target, sizeof target - 1);
    fstat(p[1], &st);
    snprintf(want, sizeof want, "pipe:[%lu]", (unsigned long)st.st_ino);
    printf("fd of a pipe: %d\n", strcmp(target, want) == 0);
    lstat(path, &st);
    printf("fd link mode: %o\n", (unsigned)(st.st_mode & 0777));
    snprintf(path, sizeof path, "/proc/self/fd/%d", f);
    int again = open(path, O_RDONLY); /* opening the link opens the file */
    fstat(again, &st);
    struct stat st2;
    fstat(f, &st2);
    printf("open through fd/: %d\n", again >= 0 && st.st_ino == st2.st_ino);
    close(again);
    unlink("pt/file");
    DIR *dir = opendir("/proc/self/fd");
    struct dirent *e;
    int count = 0, has[4] = {0};
    while (dir && (e = readdir(dir))) {
        int fd = atoi(e->d_name);
        if (e->d_name[0] == '.')
            continue;
        count++;
        if (fd == f)
            has[0] = e->d_type == DT_LNK;
        if (fd == d)
            has[1] = 1;
        if (fd == p[0])
            has[2] = 1;
        if (fd == p[1])
            has[3] = 1;
    }
    if (dir)
        closedir(dir);
    printf("fd/ lists them: %d %d %d %d\n", has[0], has[1], has[2], has[3]);
    close(f);
    close(d);
    close(p[0]);
    close(p[1]);
    rmdir("pt");
}

static void task_dir(void)
{
    DIR *dir = opendir("/proc/self/task");
    struct dirent *e;
    int n = 0, self = 0;
    while (dir && (e = readdir(dir))) {
        if (e->d_name[0] == '.')
            continue;
        n++;
        self |= atoi(e->d_name) == getpid();
    }
    if (dir)
        closedir(dir);
    printf("task/: %d entries, the pid among them: %d\n", n, self);
    char path[64], v[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/status", getpid());
    slurp(path);
    printf("task status Pid matches: %d\n", atoi(field("Pid", v, sizeof v)) == getpid());
}

static int go[2];

/* A second thread: it waits until the main thread has looked at /proc/self/task. */
static void *waiter(void *arg)
{
    char c;
    (void)arg;
    read(go[0], &c, 1);
    return 0;
}

/* With a second thread: task/ has two entries (the pid and the thread's tid), status says
 * Threads: 2, and task/TID/status names the thread. */
static void second_thread(void)
{
    pthread_t t;
    pipe(go);
    pthread_create(&t, 0, waiter, 0);
    DIR *dir = opendir("/proc/self/task");
    struct dirent *e;
    int n = 0, tid = 0;
    while (dir && (e = readdir(dir))) {
        if (e->d_name[0] == '.')
            continue;
        n++;
        if (atoi(e->d_name) != getpid())
            tid = atoi(e->d_name);
    }
    if (dir)
        closedir(dir);
    char v[64], path[64];
    slurp("/proc/self/status");
    printf("two threads: task/ entries %d, Threads: %s\n", n, field("Threads", v, sizeof v));
    snprintf(path, sizeof path, "/proc/self/task/%d/status", tid);
    slurp(path);
    printf("the thread's status: Pid is its tid %d, Tgid the pid %d\n",
           atoi(field("Pid", v, sizeof v)) == tid, atoi(field("Tgid", v, sizeof v)) == getpid());
    write(go[1], "x", 1);
    pthread_join(t, 0); /* (the thread may still be ending in the kernel: not counted) */
    close(go[0]);
    close(go[1]);
}

static void maps(void)
{
    long len = slurp("/proc/self/maps");
    int lines = 0, exec = 0, named = 0, stack = 0;
    for (char *line = buf; line < buf + len; line = strchr(line, '\n') + 1) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && lo < hi)
            lines++;
        exec |= strncmp(perms, "r-xp", 4) == 0;
        char *nl = strchr(line, '\n');
        *nl = 0;
        named |= strstr(line, "/procfs") != 0;
        stack |= strstr(line, "[stack]") != 0;
        *nl = '\n';
    }
    printf("maps: lines parse %d, an r-xp line %d, the program named %d, [stack] %d\n", lines > 2,
           exec, named, stack);
}

static void system_files(void)
{
    char v[128];
    slurp("/proc/meminfo");
    printf("meminfo MemTotal in kB: %d\n", strstr(field("MemTotal", v, sizeof v), " kB") != 0);
    printf("meminfo MemFree in kB: %d\n", strstr(field("MemFree", v, sizeof v), " kB") != 0);
    slurp("/proc/cpuinfo");
    int cpus = 0;
    for (char *s = buf; (s = strstr(s, "processor\t:")); s++)
        cpus++;
    printf("cpuinfo: blocks %d, vendor_id %d, flags with fpu %d\n", cpus > 0,
           strstr(buf, "vendor_id\t:") != 0, strstr(buf, "flags\t\t: fpu") != 0);
    double up = -1, idle = -1;
    slurp("/proc/uptime");
    printf("uptime: %d numbers\n", sscanf(buf, "%lf %lf", &up, &idle));
    double l1, l5, l15;
    int running, all, last;
    slurp("/proc/loadavg");
    printf("loadavg: %d fields\n",
           sscanf(buf, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running, &all, &last));
    slurp("/proc/mounts");
    printf("mounts: proc on /proc %d, devtmpfs on /dev %d\n", strstr(buf, "proc /proc proc ") != 0,
           strstr(buf, "devtmpfs /dev devtmpfs ") != 0);
    slurp("/proc/stat");
    printf("stat: cpu line %d, btime %d, processes %d\n", strncmp(buf, "cpu ", 4) == 0,
           strstr(buf, "\nbtime ") != 0, strstr(buf, "\nprocesses ") != 0);
    slurp("/proc/version");
    printf("version: %d\n", strncmp(buf, "Linux version ", 14) == 0);
    struct statfs sf;
    statfs("/proc", &sf);
    printf("statfs /proc: %#lx\n", (unsigned long)sf.f_type);
    int fd = open("/proc/nothing", O_RDONLY);
    printf("open /proc/nothing: %d %s\n", fd, strerror(errno));
}

static void result(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, r);
}

/* Programs cannot change procfs's names (not even root), nor write its files. */
static void changes(void)
{
    result("mkdir /proc/x", mkdir("/proc/x", 0755));
    result("mkdir /proc/self", mkdir("/proc/self", 0755));
    result("open /proc/x O_CREAT", open("/proc/x", O_CREAT | O_WRONLY, 0644));
    result("unlink /proc/self/status", unlink("/proc/self/status"));
    result("unlink /proc/nothing", unlink("/proc/nothing"));
    result("rmdir /proc/self/fd", rmdir("/proc/self/fd"));
    result("rename /proc/meminfo /proc/version", rename("/proc/meminfo", "/proc/version"));
    result("rename /proc/meminfo /proc/y", rename("/proc/meminfo", "/proc/y"));
    result("symlink into /proc/self", symlink("a", "/proc/self/x"));
    result("link into /proc", link("/proc/meminfo", "/proc/m2"));
    int fd = open("/proc/meminfo", O_WRONLY);
    result("open /proc/meminfo O_WRONLY", fd >= 0 ? 0 : -1);
    result("write /proc/meminfo", write(fd, "x", 1));
    close(fd);
}

static void child(void)
{
    int go[2];
    pipe(go);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        read(go[0], &c, 1);
        _exit(0);
    }
    char path[64], v[64];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    slurp(path);
    printf("child status PPid is me: %d\n", atoi(field("PPid", v, sizeof v)) == getpid());
    field("State", v, sizeof v); /* running or already waiting in its read */
    printf("child state R or S: %d\n", v[0] == 'R' || v[0] == 'S');
    write(go[1], "x", 1);
    waitpid(pid, 0, 0);
    snprintf(path, sizeof path, "/proc/%d", pid);
    struct stat st;
    int r = stat(path, &st);
    printf("reaped child's /proc/N: %d %s\n", r, strerror(errno));
}

int main(int argc, char **argv)
{
    self_link();
    status();
    stat_line();
    cmdline(argc, argv);
    links();
    task_dir();
    second_thread();
    maps();
    system_files();
    changes();
    child();
    return 0;
}
