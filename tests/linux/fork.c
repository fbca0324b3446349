/*
 * fork.c - process creation and termination: fork and wait4 with exit
 * codes, a child killed by a fault, WNOHANG before and after the child's
 * end, ECHILD, EFAULT for a bad status pointer, a tree of processes
 * printing in an order made deterministic by waiting, copy-on-write
 * memory, descriptors shared with the parent, getppid, vfork and clone
 * in fork's form.  Output is unbuffered so that no buffered text is
 * copied into a child.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, pid_t pid, int status);

/* waitpid, then show what it gave (the status is read after the call). */
static void reap(const char *what, pid_t pid, int options)
{
    int status = 0;
    pid_t got = waitpid(pid, &status, options);
    show(what, got, status);
}

static void show(const char *what, pid_t pid, int status)
{
    if (pid < 0) {
        printf("%s: %s\n", what, strerror(errno));
        return;
    }
    if (WIFEXITED(status))
        printf("%s: exited %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("%s: killed by signal %d\n", what, WTERMSIG(status));
    else
        printf("%s: status %#x\n", what, status);
}

static void exit_codes(void)
{
    for (int code = 0; code < 300; code += 99) {
        pid_t c = fork();
        if (c == 0)
            _exit(code);
        int status = 0;
        pid_t got = waitpid(c, &status, 0);
        printf("waitpid gave the child: %s; ", got == c ? "yes" : "no");
        show("exit code", got, status);
    }
}

static void faulting_child(void)
{
    pid_t c = fork();
    if (c == 0) {
        *(volatile int *)0 = 1;
        _exit(0);
    }
    reap("faulting child", c, 0);
}

/* WNOHANG while the child runs (it waits for a file), then after it has ended. */
static void nohang(void)
{
    unlink("go");
    pid_t c = fork();
    if (c == 0) {
        while (access("go", F_OK) != 0)
            ;
        _exit(7);
    }
    int status = 0;
    printf("WNOHANG while it runs: %d\n", (int)waitpid(c, &status, WNOHANG));
    close(open("go", O_CREAT | O_WRONLY, 0644));
    reap("then blocking", c, 0);
    unlink("go");
    c = fork();
    if (c == 0)
        _exit(8);
    pid_t got;
    while ((got = waitpid(c, &status, WNOHANG)) == 0)
        ;
    printf("WNOHANG after its end gave the child: %s; ", got == c ? "yes" : "no");
    show("status", got, status);
}

static void errors(void)
{
    int status;
    show("wait4 with no child", wait4(-1, &status, 0, 0), 0);
    show("waitpid of a stranger", waitpid(1, &status, WNOHANG), 0);
    show("bad options", waitpid(-1, &status, 0x1000), 0);
    pid_t c = fork();
    if (c == 0)
        _exit(3);
    show("bad status pointer", waitpid(c, (int *)8, 0), 0);
    show("the child was reaped all the same", waitpid(c, &status, 0), 0);
    c = fork();
    if (c == 0)
        _exit(4);
    struct rusage ru;
    pid_t got = wait4(c, &status, 0, &ru);
    printf("wait4 with rusage: %s; ", got == c ? "the child" : "?");
    show("status", got, status);
}

/* A tree: each node prints after its children have ended, so the order is fixed. */
static void tree(int depth, const char *name)
{
    if (depth > 0) {
        for (int i = 0; i < 2; i++) {
            pid_t c = fork();
            if (c == 0) {
                char sub[32];
                snprintf(sub, sizeof sub, "%s.%d", name, i);
                tree(depth - 1, sub);
                _exit(0);
            }
            int status;
            waitpid(c, &status, 0);
        }
    }
    printf("node %s\n", name);
}

/* A child's end in the middle of the parent's line adds nothing to it. */
static void silent_end(void)
{
    printf("before ");
    pid_t c = fork();
    if (c == 0)
        _exit(0);
    int status;
    waitpid(c, &status, 0);
    printf("and after a child's end, on one line\n");
}

static int global = 1;

static void copy_on_write(void)
{
    static char big[3 * 4096] = "parent";
    char *heap = malloc(100);
    strcpy(heap, "parent heap");
    int local = 10;
    pid_t c = fork();
    if (c == 0) {
        global = 2;
        local = 20;
        strcpy(big + 4096, "child");
        strcpy(heap, "child heap");
        printf("child sees: global %d local %d heap %s\n", global, local, heap);
        _exit(0);
    }
    int status;
    waitpid(c, &status, 0);
    printf("parent sees: global %d local %d heap %s big %s|%s\n", global, local, heap, big,
           big + 4096);
    free(heap);
}

/* A write by the server into the child (read() into its buffer) must reach the child only. */
static void server_writes_child(void)
{
    char buf[16] = "untouched";
    pid_t c = fork();
    if (c == 0) {
        int fd = open("data/greeting.txt", O_RDONLY);
        ssize_t n = read(fd, buf, 5);
        buf[n > 0 ? n : 0] = 0;
        printf("child read: %s\n", buf);
        _exit(0);
    }
    int status;
    waitpid(c, &status, 0);
    printf("parent's buffer: %s\n", buf);
}

static void shared_descriptors(void)
{
    int fd = open("forkfile", O_CREAT | O_TRUNC | O_RDWR, 0644);
    pid_t c = fork();
    if (c == 0) {
        write(fd, "child;", 6);
        _exit(0);
    }
    int status;
    waitpid(c, &status, 0);
    write(fd, "parent", 6); /* after the child's bytes: the offset is shared */
    char buf[32] = "";
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    buf[n > 0 ? n : 0] = 0;
    printf("file: %s\n", buf);
    close(fd);
    unlink("forkfile");
}

static void parent_ids(void)
{
    pid_t me = getpid();
    pid_t c = fork();
    if (c == 0) {
        printf("child: getppid is the parent: %s; its own pid differs: %s\n",
               getppid() == me ? "yes" : "no", getpid() != me ? "yes" : "no");
        _exit(0);
    }
    int status;
    waitpid(c, &status, 0);
    printf("fork returned the child's pid: %s\n", c > 0 && c != me ? "yes" : "no");
}

static void other_forms(void)
{
    fflush(stdout);
    pid_t c = vfork();
    if (c == 0) { /* the parent waits until this child ends (or calls execve): it runs first */
        write(1, "vfork's child runs first\n", 25);
        _exit(11);
    }
    printf("then its parent\n");
    reap("vfork", c, 0);
    char *argv[] = {"bin/args", "spawned", 0}, *envp[] = {0};
    pid_t s;
    int err = posix_spawn(&s, argv[0], 0, 0, argv, envp); /* musl: clone(CLONE_VM|CLONE_VFORK) */
    int st = 0;
    if (!err) /* first: its output and ours must not race */
        waitpid(s, &st, 0);
    printf("posix_spawn: %s, exit status %d\n", err ? strerror(err) : "ok", WEXITSTATUS(st));
    char *missing[] = {"bin/no-such-program", 0};
    err = posix_spawn(&s, missing[0], 0, 0, missing, envp);
    printf("posix_spawn of a missing program: %s\n", err ? strerror(err) : "ok");
    if (!err)
        reap("the missing program", s, 0);
    c = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (c == 0)
        syscall(SYS_exit, 12);
    reap("clone(SIGCHLD)", c, 0);
    pid_t tid = 0;
    c = (pid_t)syscall(SYS_clone, SIGCHLD | CLONE_CHILD_SETTID, 0, 0, &tid, 0);
    if (c == 0)
        syscall(SYS_exit, tid == getpid() ? 13 : 14);
    reap("clone(CHILD_SETTID) wrote the child's copy", c, 0);
    printf("and not the parent's: %s\n", tid == 0 ? "yes" : "no");
    c = (pid_t)syscall(SYS_clone, SIGCHLD | CLONE_PARENT_SETTID, 0, &tid, 0, 0);
    if (c == 0)
        syscall(SYS_exit, 0);
    printf("clone(PARENT_SETTID) wrote the parent's: %s\n", tid == c ? "yes" : "no");
    reap("and the child", c, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    exit_codes();
    faulting_child();
    nohang();
    errors();
    tree(2, "root");
    silent_end();
    copy_on_write();
    server_writes_child();
    shared_descriptors();
    parent_ids();
    other_forms();
    return 0;
}
