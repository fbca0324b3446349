/*
 * bench.c - the Linux personality's microbenchmarks (concept: measuring the
 * cost of system calls, process creation, pipes and page faults).
 *
 * One static program, run unchanged on Mica (the posix server) and on a
 * real Linux kernel in the same QEMU configuration (tools/linux-bench.py),
 * so the two can be compared figure by figure.  Each benchmark takes
 * SAMPLES samples; a sample times a batch of operations with the time stamp
 * counter (rdtsc) and with clock_gettime(CLOCK_MONOTONIC), and the figure
 * is the median over the samples of the cost of one operation.  One line
 * per benchmark, for scripts:
 *
 *     lbench NAME NS ns CYCLES cycles
 *     lbench NAME n/a                  (cannot be measured here: why on stderr)
 *
 * The context switch (ctxsw) is computed from two others: half the pipe
 * round trip between two processes less the same pipe work in one process.
 * and "lbench done" at the end.  Every figure is "lower is better": pipe
 * bandwidth is given as the time of one 64 KiB write (with its read).
 * `bench -q` runs each benchmark once, as a quick check that all of them
 * complete (make check); its figures mean nothing.  The program to execute
 * in the fork+execve benchmark is argv[1] of `bench [-q] [PROGRAM]`,
 * /bin/bench-exit by default.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SAMPLES_MAX 64
#define PAGE        4096
#define CHUNK       (64 * 1024)

static int samples = 31; /* per benchmark; 1 with -q */
static int quick;
static const char *exit_program = "/bin/bench-exit";

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, int n)
{
    qsort(v, (size_t)n, sizeof v[0], cmp_u64);
    return v[n / 2];
}

/* A benchmark: set-up (may fail: the figure is n/a), a batch of `batch` operations, clean-up. */
struct bench {
    const char *name;
    int batch;
    int (*setup)(void); /* 0, or -1 with a reason on stderr */
    void (*run)(int n); /* n operations */
    void (*cleanup)(void);
};

struct figure {
    uint64_t ns, cycles; /* medians per operation; both 0: not measured */
};

static struct figure measure(const struct bench *b)
{
    if (b->setup && b->setup() < 0) {
        printf("lbench %s n/a\n", b->name);
        fflush(stdout);
        return (struct figure){0, 0};
    }
    int batch = quick ? 1 : b->batch;
    uint64_t ns[SAMPLES_MAX], cycles[SAMPLES_MAX];
    b->run(batch); /* warm up: the first run pays for faults and caches */
    for (int i = 0; i < samples; i++) {
        uint64_t t0 = now_ns(), c0 = rdtsc();
        b->run(batch);
        uint64_t c1 = rdtsc(), t1 = now_ns();
        ns[i] = (t1 - t0) / (uint64_t)batch;
        cycles[i] = (c1 - c0) / (uint64_t)batch;
    }
    if (b->cleanup)
        b->cleanup();
    struct figure f = {median(ns, samples), median(cycles, samples)};
    printf("lbench %s %llu ns %llu cycles\n", b->name, (unsigned long long)f.ns,
           (unsigned long long)f.cycles);
    fflush(stdout);
    return f;
}

/* The context switch: half a round trip between two processes, less the pipe work of one
 * process writing and reading a byte (lmbench's lat_ctx does the same subtraction). */
static void context_switch(struct figure roundtrip, struct figure self)
{
    if (!roundtrip.ns && !roundtrip.cycles) {
        printf("lbench ctxsw n/a\n");
        return;
    }
    uint64_t ns = roundtrip.ns / 2 > self.ns ? roundtrip.ns / 2 - self.ns : 0;
    uint64_t cycles = roundtrip.cycles / 2 > self.cycles ? roundtrip.cycles / 2 - self.cycles : 0;
    printf("lbench ctxsw %llu ns %llu cycles\n", (unsigned long long)ns,
           (unsigned long long)cycles);
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

/* ---- System calls ---- */

static void run_getppid(int n)
{
    for (int i = 0; i < n; i++)
        syscall(SYS_getppid);
}

static void run_clock_gettime(int n)
{
    struct timespec ts;
    for (int i = 0; i < n; i++)
        clock_gettime(CLOCK_MONOTONIC, &ts);
}

static int devfd = -1;

static int open_dev(const char *path, int flags)
{
    devfd = open(path, flags);
    if (devfd < 0) {
        fprintf(stderr, "bench: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int setup_zero(void)
{
    return open_dev("/dev/zero", O_RDONLY);
}

static int setup_null(void)
{
    return open_dev("/dev/null", O_WRONLY);
}

static void close_dev(void)
{
    close(devfd);
}

static void run_read(int n)
{
    char c;
    for (int i = 0; i < n; i++)
        if (read(devfd, &c, 1) != 1)
            die("read /dev/zero");
}

static void run_write(int n)
{
    char c = 0;
    for (int i = 0; i < n; i++)
        if (write(devfd, &c, 1) != 1)
            die("write /dev/null");
}

/* ---- Pipes between two processes ---- */

static int to_child[2], to_parent[2];
static pid_t child;

static void end_child(void)
{
    close(to_child[1]);
    close(to_parent[0]);
    int status;
    waitpid(child, &status, 0);
}

/* A child that answers each byte it reads with one byte, until end of file. */
static int setup_echo(void)
{
    if (pipe(to_child) < 0 || pipe(to_parent) < 0)
        die("pipe");
    if ((child = fork()) < 0)
        die("fork");
    if (child == 0) {
        close(to_child[1]);
        close(to_parent[0]);
        char c;
        while (read(to_child[0], &c, 1) == 1)
            if (write(to_parent[1], &c, 1) != 1)
                break;
        _exit(0);
    }
    close(to_child[0]);
    close(to_parent[1]);
    return 0;
}

static void run_roundtrip(int n)
{
    char c = 'x';
    for (int i = 0; i < n; i++)
        if (write(to_child[1], &c, 1) != 1 || read(to_parent[0], &c, 1) != 1)
            die("pipe round trip");
}

/* The same work in one process, without a switch: what the context switch figure subtracts. */
static int self_pipe[2];

static int setup_self(void)
{
    if (pipe(self_pipe) < 0)
        die("pipe");
    return 0;
}

static void run_self(int n)
{
    char c = 'x';
    for (int i = 0; i < n; i++)
        if (write(self_pipe[1], &c, 1) != 1 || read(self_pipe[0], &c, 1) != 1)
            die("pipe in one process");
}

static void cleanup_self(void)
{
    close(self_pipe[0]);
    close(self_pipe[1]);
}

/* A child that reads 64 KiB chunks until end of file, and answers each with one byte. */
static char chunk[CHUNK];

static int setup_sink(void)
{
    if (pipe(to_child) < 0 || pipe(to_parent) < 0)
        die("pipe");
    if ((child = fork()) < 0)
        die("fork");
    if (child == 0) {
        close(to_child[1]);
        close(to_parent[0]);
        for (;;) {
            size_t got = 0;
            while (got < CHUNK) {
                ssize_t r = read(to_child[0], chunk + got, CHUNK - got);
                if (r <= 0)
                    _exit(0);
                got += (size_t)r;
            }
            if (write(to_parent[1], "k", 1) != 1)
                _exit(1);
        }
    }
    close(to_child[0]);
    close(to_parent[1]);
    return 0;
}

static void run_bandwidth(int n)
{
    char c;
    for (int i = 0; i < n; i++) {
        size_t done = 0;
        while (done < CHUNK) {
            ssize_t w = write(to_child[1], chunk + done, CHUNK - done);
            if (w <= 0)
                die("pipe write");
            done += (size_t)w;
        }
        if (read(to_parent[0], &c, 1) != 1)
            die("pipe read");
    }
}

/* ---- Processes ---- */

static void wait_child(pid_t pid)
{
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        die("wait");
}

static void run_fork(int n)
{
    for (int i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0)
            die("fork");
        if (pid == 0)
            _exit(0);
        wait_child(pid);
    }
}

static int setup_exec(void)
{
    struct stat st;
    if (stat(exit_program, &st) < 0) {
        fprintf(stderr, "bench: %s: %s\n", exit_program, strerror(errno));
        return -1;
    }
    return 0;
}

static void run_exec(int n)
{
    for (int i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0)
            die("fork");
        if (pid == 0) {
            char *argv[] = {(char *)exit_program, 0}, *envp[] = {0};
            execve(exit_program, argv, envp);
            _exit(127);
        }
        wait_child(pid);
    }
}

/* ---- Memory ---- */

#define FAULT_PAGES 2048 /* more than the benchmark touches: (SAMPLES_MAX + 1) x its batch */
static char *area;
static int touched; /* pages of area touched so far */

static int setup_fault(void)
{
    area = mmap(0, FAULT_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED)
        die("mmap");
    touched = 0;
    return 0;
}

/* n first touches, each of a page of anonymous memory not touched before. */
static void run_fault(int n)
{
    for (int i = 0; i < n; i++) {
        if (touched == FAULT_PAGES)
            die("page_fault: out of fresh pages");
        area[touched++ * PAGE] = 1;
    }
}

static void cleanup_fault(void)
{
    munmap(area, FAULT_PAGES * PAGE);
}

static void run_mmap(int n)
{
    for (int i = 0; i < n; i++) {
        void *p = mmap(0, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED || munmap(p, 16 * PAGE) < 0)
            die("mmap and munmap");
    }
}

/* ---- Files ---- */

static const char *scratch = "/tmp/bench.file";
static char page[PAGE];

static int setup_file(void)
{
    if (mkdir("/tmp", 01777) < 0 && errno != EEXIST) {
        fprintf(stderr, "bench: /tmp: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}

static void run_file(int n)
{
    for (int i = 0; i < n; i++) {
        int fd = open(scratch, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || write(fd, page, PAGE) != PAGE || close(fd) < 0 || unlink(scratch) < 0)
            die(scratch);
    }
}

static void run_stat(int n)
{
    struct stat st;
    for (int i = 0; i < n; i++)
        if (stat("/tmp", &st) < 0)
            die("stat /tmp");
}

static const struct bench benches[] = {
    {"null_call", 100, 0, run_getppid, 0},
    {"clock_gettime", 100, 0, run_clock_gettime, 0},
    {"read_zero", 100, setup_zero, run_read, close_dev},
    {"write_null", 100, setup_null, run_write, close_dev},
    {"pipe_self", 50, setup_self, run_self, cleanup_self},
    {"pipe_roundtrip", 20, setup_echo, run_roundtrip, end_child},
    {"pipe_64k", 4, setup_sink, run_bandwidth, end_child},
    {"fork_exit_wait", 2, 0, run_fork, 0},
    {"fork_exec_wait", 2, setup_exec, run_exec, 0},
    {"page_fault", 32, setup_fault, run_fault, cleanup_fault},
    {"mmap_munmap", 20, 0, run_mmap, 0},
    {"file_create", 10, setup_file, run_file, 0},
    {"stat", 50, setup_file, run_stat, 0},
};

int main(int argc, char **argv)
{
    int i = 1;
    if (i < argc && strcmp(argv[i], "-q") == 0) {
        quick = 1;
        samples = 1;
        i++;
    }
    if (i < argc)
        exit_program = argv[i];
    setvbuf(stdout, 0, _IOLBF, 0);
    struct figure self = {0, 0}, roundtrip = {0, 0};
    for (unsigned b = 0; b < sizeof benches / sizeof benches[0]; b++) {
        struct figure f = measure(&benches[b]);
        if (strcmp(benches[b].name, "pipe_self") == 0)
            self = f;
        if (strcmp(benches[b].name, "pipe_roundtrip") == 0)
            roundtrip = f;
    }
    context_switch(roundtrip, self);
    printf("lbench done\n");
    return 0;
}
