/*
 * exec.c - execve: another program with arguments and environment in a
 * child, the errors that return to the caller (ENOENT, ENOTDIR, EACCES for
 * a directory, ENOEXEC for a bad image, EFAULT), `#!` scripts (the
 * interpreter with its argument, the script's path, the arguments after
 * argv[0]; a missing interpreter, an empty `#!` line), and the calling process
 * itself replaced: the same pid, close-on-exec descriptors closed, the
 * others kept.  The programs are found at bin/ relative to the working
 * directory (on Mica /bin; on the host the test's copy).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void make_script(const char *name, const char *text)
{
    int fd = open(name, O_CREAT | O_TRUNC | O_WRONLY, 0755);
    write(fd, text, strlen(text));
    close(fd); /* open for writing, it could not be executed (ETXTBSY) */
}

static void run_script(const char *name)
{
    pid_t c = fork();
    if (c == 0) {
        char *args[] = {"ignored", "x", "y", NULL};
        char *env[] = {NULL};
        execve(name, args, env);
        printf("script %s: %s\n", name, strerror(errno));
        _exit(98);
    }
    int status = 0;
    waitpid(c, &status, 0);
    printf("script %s ended %d\n", name, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void scripts(void)
{
    make_script("s1", "#!bin/args  one argument  \nnot read\n");
    make_script("s2", "#! bin/args\n");
    make_script("s3", "#!bin/no-such-interpreter\n");
    make_script("s4", "#!\n");
    run_script("s1");
    run_script("s2");
    run_script("s3");
    run_script("s4");
    unlink("s1");
    unlink("s2");
    unlink("s3");
    unlink("s4");
}

static void try(const char *what, const char *path, char *const argv[])
{
    char *env[] = {NULL};
    int r = execve(path, argv, env);
    printf("%s: %d %s\n", what, r, strerror(errno));
}

/* The image after exec: report which descriptors survived and whether the pid stayed. */
static int after(int argc, char **argv)
{
    printf("after exec: argc %d, HOME=%s\n", argc, getenv("HOME") ? getenv("HOME") : "(none)");
    printf("same pid: %s\n", atoi(argv[2]) == getpid() ? "yes" : "no");
    for (int i = 3; i < argc; i++) {
        int fd = atoi(argv[i]);
        int flags = fcntl(fd, F_GETFD);
        printf("descriptor %d: %s\n", fd, flags < 0 ? strerror(errno) : "open");
    }
    return 5;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 2 && strcmp(argv[1], "after") == 0)
        return after(argc, argv);

    pid_t c = fork();
    if (c == 0) {
        char *args[] = {"args", "one", "two words", NULL};
        char *env[] = {"A=1", "B=two", NULL};
        execve("bin/args", args, env);
        _exit(99);
    }
    int status = 0;
    waitpid(c, &status, 0);
    printf("args exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);

    scripts();
    char *none[] = {"x", NULL};
    try("missing", "bin/no-such-program", none);
    try("not a directory", "data/greeting.txt/x", none);
    try("a directory", "data", none);
    int fd = open("notelf", O_CREAT | O_TRUNC | O_WRONLY, 0755);
    write(fd, "this is not a program\n", 22);
    close(fd);
    try("not an ELF image", "notelf", none);
    unlink("notelf");
    volatile unsigned long bad = 8; /* an address nothing is mapped at */
    try("bad path pointer", (const char *)bad, none);
    try("bad argv pointer", "bin/args", (char *const *)bad);

    int keep = open("data/greeting.txt", O_RDONLY);
    int gone = open("data/greeting.txt", O_RDONLY | O_CLOEXEC);
    int gone2 = dup(keep);
    fcntl(gone2, F_SETFD, FD_CLOEXEC);
    char pid[16], k[16], g[16], g2[16];
    snprintf(pid, sizeof pid, "%d", getpid());
    snprintf(k, sizeof k, "%d", keep);
    snprintf(g, sizeof g, "%d", gone);
    snprintf(g2, sizeof g2, "%d", gone2);
    char *args[] = {"exec", "after", pid, k, g, g2, NULL};
    char *env[] = {"HOME=/home", NULL};
    execve("bin/exec", args, env);
    printf("execve failed: %s\n", strerror(errno));
    return 1;
}
