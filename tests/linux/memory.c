/*
 * memory.c - brk, mmap, munmap, mprotect, mremap and madvise, with their
 * error paths (EINVAL, EBADF, ENOMEM, EEXIST, EFAULT, EACCES, ENODEV),
 * shared and private memory across fork, file mappings, and bad pointers
 * given to other calls.  Prints only what Linux and Mica must agree on:
 * no addresses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096

static void result(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, strerror(errno));
    else
        printf("%s: ok\n", what);
}

static void heap(void)
{
    char *start = (char *)syscall(SYS_brk, 0);
    char *end = (char *)syscall(SYS_brk, start + 100000);
    printf("brk grows: %s\n", end == start + 100000 ? "yes" : "no");
    memset(start, 0x5a, 100000);
    printf("heap written: %s\n", start[99999] == 0x5a ? "yes" : "no");
    end = (char *)syscall(SYS_brk, start + 10);
    printf("brk shrinks: %s\n", end == start + 10 ? "yes" : "no");
    end = (char *)syscall(SYS_brk, start - 4096 * 1024);
    printf("brk below its start is refused: %s\n", end == start + 10 ? "yes" : "no");
    end = (char *)syscall(SYS_brk, start + 8192);
    printf("grown again, zeroed: %s\n", end == start + 8192 && start[5000] == 0 ? "yes" : "no");
}

static void mappings(void)
{
    char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap 3 pages: %s\n", p == MAP_FAILED ? strerror(errno) : "ok");
    printf("zero-filled: %s\n", p[0] == 0 && p[3 * PAGE - 1] == 0 ? "yes" : "no");
    memset(p, 'A', 3 * PAGE);
    result("munmap the middle page", munmap(p + PAGE, PAGE));
    result("mprotect the first read-only", mprotect(p, PAGE, PROT_READ));
    printf("still readable: %c\n", p[10]);
    result("mprotect the unmapped page", mprotect(p + PAGE, PAGE, PROT_READ));
    result("mprotect unaligned", mprotect(p + 1, PAGE, PROT_READ));
    result("mprotect bad bits", mprotect(p, PAGE, 0x100));
    result("write from the read-only page", write(1, p, 1) == 1 ? 0 : -1);
    printf("\n");
    result("write from the unmapped page", write(1, p + PAGE, 1));
    result("munmap unaligned", munmap(p + 1, PAGE));
    result("munmap length 0", munmap(p, 0));
    result("munmap all", munmap(p, 3 * PAGE));
    result("munmap nothing mapped", munmap(p, 3 * PAGE));
}

static void mmap_errors(void)
{
    void *q = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    result("mmap length 0", q == MAP_FAILED ? -1 : 0);
    q = mmap(NULL, PAGE, PROT_READ, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    result("mmap shared and private", q == MAP_FAILED ? -1 : 0);
    q = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 42, 0);
    result("mmap a file descriptor not open", q == MAP_FAILED ? -1 : 0);
    q = mmap((void *)0x10000001, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    result("mmap fixed unaligned", q == MAP_FAILED ? -1 : 0);
    q = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 100);
    result("mmap offset unaligned", q == MAP_FAILED ? -1 : 0);
    q = mmap(NULL, PAGE, 0x100 | PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    result("mmap bad protection", q == MAP_FAILED ? -1 : 0);
    q = mmap(NULL, (size_t)-PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    result("mmap huge", q == MAP_FAILED ? -1 : 0);
}

static void fixed_and_guard(void)
{
    char *p = mmap(NULL, 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap PROT_NONE: %s\n", p == MAP_FAILED ? strerror(errno) : "ok");
    result("write from PROT_NONE memory", write(1, p, 1));
    result("mprotect it read-write", mprotect(p, PAGE, PROT_READ | PROT_WRITE));
    p[0] = 'x';
    printf("written after mprotect: %c\n", p[0]);
    char *q = mmap(p, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("MAP_FIXED over it: %s, fresh: %s\n", q == p ? "same address" : "elsewhere",
           q == p && p[0] == 0 ? "yes" : "no");
    q = mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    result("MAP_FIXED_NOREPLACE over it", q == MAP_FAILED ? -1 : 0);
    munmap(p, 2 * PAGE);
}

static void bad_pointers(void)
{
    result("write a bad pointer", write(1, (void *)8, 4));
    result("write to a closed descriptor", write(7, "x", 1));
    result("uname a bad pointer", syscall(SYS_uname, (void *)8));
    result("clock_gettime a bad pointer", syscall(SYS_clock_gettime, 1, (void *)8));
    result("getrandom a bad pointer", syscall(SYS_getrandom, (void *)8, 4, 0));
    result("rt_sigaction a bad pointer", syscall(SYS_rt_sigaction, 10, (void *)8, 0, 8));
    result("rt_sigprocmask a bad set size", syscall(SYS_rt_sigprocmask, 0, 0, 0, 4));
    result("an unknown system call", syscall(1000));
}

static char *fill(char *at, size_t len, char c)
{
    memset(at, c, len);
    return at;
}

static int all(const char *at, size_t len, char c)
{
    for (size_t i = 0; i < len; i++)
        if (at[i] != c)
            return 0;
    return 1;
}

static void remapping(void)
{
    char *a = mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fill(a, 4 * PAGE, 'a');
    char *b = mremap(a, 4 * PAGE, 2 * PAGE, 0);
    printf("mremap shrinks in place: %s\n", b == a && all(b, 2 * PAGE, 'a') ? "yes" : "no");
    munmap(a + 3 * PAGE, PAGE); /* a hole, so that growing in place is possible */
    b = mremap(a, 2 * PAGE, 3 * PAGE, 0);
    printf("mremap grows in place: %s, new page zero: %s\n", b == a ? "yes" : "no",
           b == a && all(a + 2 * PAGE, PAGE, 0) ? "yes" : "no");
    char *block =
        mmap(a + 3 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    result("mremap blocked without MAYMOVE", (long)mremap(a, 3 * PAGE, 8 * PAGE, 0) == -1 ? -1 : 0);
    b = mremap(a, 3 * PAGE, 64 * PAGE, MREMAP_MAYMOVE);
    printf("mremap moves: %s, bytes kept: %s, old place gone: %s\n", b != a ? "yes" : "no",
           all(b, 2 * PAGE, 'a') && all(b + 3 * PAGE, 61 * PAGE, 0) ? "yes" : "no",
           msync(a, PAGE, 0) == -1 && errno == ENOMEM ? "yes" : "no");
    char *c = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *d = mremap(b, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, c);
    printf("mremap to a fixed place: %s\n", d == c && all(c, 2 * PAGE, 'a') ? "yes" : "no");
    result("mremap FIXED without MAYMOVE", (long)mremap(c, PAGE, PAGE, MREMAP_FIXED, a));
    result("mremap unknown flags", (long)mremap(c, PAGE, PAGE, 64));
    result("mremap misaligned", (long)mremap(c + 1, PAGE, PAGE, 0));
    result("mremap to size 0", (long)mremap(c, PAGE, 0, 0));
    result("mremap of unmapped memory", (long)mremap(a, PAGE, PAGE, 0));
    munmap(b + 2 * PAGE, 62 * PAGE);
    munmap(c, 2 * PAGE);
    munmap(block, PAGE);
}

static void advice(void)
{
    char *a = mmap(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fill(a, 3 * PAGE, 'x');
    result("madvise DONTNEED", madvise(a + PAGE, PAGE, MADV_DONTNEED));
    printf("after DONTNEED: %s\n",
           all(a, PAGE, 'x') && all(a + PAGE, PAGE, 0) && all(a + 2 * PAGE, PAGE, 'x') ? "zeros"
                                                                                       : "no");
    result("madvise WILLNEED", madvise(a, 3 * PAGE, MADV_WILLNEED));
    result("madvise unknown advice", madvise(a, PAGE, 12345));
    result("madvise misaligned", madvise(a + 1, PAGE, MADV_NORMAL));
    munmap(a, 3 * PAGE);
    result("madvise unmapped", madvise(a, PAGE, MADV_NORMAL));
}

static void across_fork(void)
{
    char *shared = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    char *private = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy(shared, "parent");
    strcpy(private, "parent");
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        strcpy(shared, "child");
        strcpy(private, "child");
        _exit(0);
    }
    waitpid(c, 0, 0);
    printf("after fork: MAP_SHARED memory says %s, MAP_PRIVATE memory says %s\n", shared, private);
}

static void file_mappings(void)
{
    int fd = open("data/greeting.txt", O_RDONLY);
    char expect[256] = {0};
    long n = read(fd, expect, sizeof expect - 1);
    char *m = mmap(0, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    printf("file mapped: %s, after its end zero: %s\n",
           m != MAP_FAILED && memcmp(m, expect, (size_t)n) == 0 ? "same bytes" : "no",
           m != MAP_FAILED && all(m + n, PAGE - (size_t)n, 0) ? "yes" : "no");
    char *w = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (w != MAP_FAILED)
        w[0] = '!';
    printf("a private writable copy: %s, the file unchanged: %s\n", w != MAP_FAILED ? "yes" : "no",
           pread(fd, expect, 1, 0) == 1 && expect[0] != '!' ? "yes" : "no");
    result("MAP_SHARED writable on a read-only descriptor",
           (long)mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
    close(fd);
    fd = open("data", O_RDONLY | O_DIRECTORY);
    result("mmap a directory", (long)mmap(0, PAGE, PROT_READ, MAP_PRIVATE, fd, 0));
    close(fd);
    fd = open("data/greeting.txt", O_WRONLY);
    result("mmap a write-only descriptor", (long)mmap(0, PAGE, PROT_READ, MAP_PRIVATE, fd, 0));
    close(fd);
    munmap(m, PAGE);
    munmap(w, PAGE);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* as on a terminal: the raw writes stay in order */
    heap();
    mappings();
    mmap_errors();
    fixed_and_guard();
    remapping();
    advice();
    across_fork();
    file_mappings();
    bad_pointers();
    return 0;
}
