/*
 * vdso.c - the vDSO (concepts: the vDSO, clocks read without a system
 * call): AT_SYSINFO_EHDR, the shared object's symbols and version, and its
 * clocks against the system calls.
 *
 * Everything printed is the same on Linux and on Mica: that the object is
 * there, which of the five functions it has (in version LINUX_2.6, as the C
 * libraries look them up), that its clocks fall between two readings of the
 * real system call, that monotonic time never goes back.  One check shows
 * that the C library's clock_gettime does not make a system call: given a
 * bad pointer, the vDSO writes through it and the process dies of SIGSEGV
 * (on Linux and on Mica alike); a system call would have answered EFAULT.
 * Its forked child uses the vDSO it inherited; a child that executes this
 * program again gets a new one.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const Elf64_Ehdr *eh;
static uintptr_t base; /* load bias: the object is linked at p_vaddr, mapped at eh */
static const Elf64_Sym *symtab;
static const char *strtab;
static const Elf64_Word *hash;
static const Elf64_Half *versym;
static const Elf64_Verdef *verdef;

static int load(void)
{
    eh = (const Elf64_Ehdr *)getauxval(AT_SYSINFO_EHDR);
    if (!eh)
        return -1;
    const Elf64_Phdr *ph = (const Elf64_Phdr *)((const char *)eh + eh->e_phoff);
    const Elf64_Dyn *dyn = 0;
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && !base)
            base = (uintptr_t)eh + ph[i].p_offset - ph[i].p_vaddr;
        if (ph[i].p_type == PT_DYNAMIC)
            dyn = (const Elf64_Dyn *)((const char *)eh + ph[i].p_offset);
    }
    for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
        const void *at = (const void *)(base + dyn->d_un.d_ptr);
        if (dyn->d_tag == DT_SYMTAB)
            symtab = at;
        else if (dyn->d_tag == DT_STRTAB)
            strtab = at;
        else if (dyn->d_tag == DT_HASH)
            hash = at;
        else if (dyn->d_tag == DT_VERSYM)
            versym = at;
        else if (dyn->d_tag == DT_VERDEF)
            verdef = at;
    }
    return symtab && strtab && hash ? 0 : -1;
}

/* The name of version index ndx, from the version definitions. */
static const char *version_name(unsigned ndx)
{
    for (const Elf64_Verdef *d = verdef; d;) {
        if ((d->vd_ndx & 0x7fff) == ndx) {
            const Elf64_Verdaux *aux = (const Elf64_Verdaux *)((const char *)d + d->vd_aux);
            return strtab + aux->vda_name;
        }
        if (!d->vd_next)
            break;
        d = (const Elf64_Verdef *)((const char *)d + d->vd_next);
    }
    return "";
}

/* The address of function `name` in version LINUX_2.6 (0: none), through DT_HASH's chains. */
static void *lookup(const char *name)
{
    Elf64_Word nchain = hash[1];
    for (Elf64_Word i = 1; i < nchain; i++) {
        const Elf64_Sym *s = &symtab[i];
        if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF ||
            strcmp(strtab + s->st_name, name) != 0)
            continue;
        if (versym && strcmp(version_name(versym[i] & 0x7fff), "LINUX_2.6") != 0)
            continue;
        return (void *)(base + s->st_value);
    }
    return 0;
}

static uint64_t ns_of(const struct timespec *t)
{
    return (uint64_t)t->tv_sec * 1000000000ull + (uint64_t)t->tv_nsec;
}

static uint64_t sys_clock(clockid_t c)
{
    struct timespec t;
    syscall(SYS_clock_gettime, c, &t);
    return ns_of(&t);
}

typedef int (*clock_fn)(clockid_t, struct timespec *);

/* The vDSO's reading lies between two readings of the system call. */
static void between(clock_fn vgettime, clockid_t c, const char *name)
{
    struct timespec t;
    uint64_t before = sys_clock(c);
    int r = vgettime(c, &t);
    uint64_t after = sys_clock(c);
    printf("%s: vdso %d, %s\n", name, r,
           before <= ns_of(&t) && ns_of(&t) <= after ? "between the system calls" : "OUT OF ORDER");
}

static void monotonic_never_back(void)
{
    struct timespec prev, now;
    clock_gettime(CLOCK_MONOTONIC, &prev);
    int back = 0;
    for (int i = 0; i < 20000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        back += ns_of(&now) < ns_of(&prev);
        prev = now;
    }
    printf("monotonic: 20000 readings, %d went back\n", back);
}

static void wall_clock(void)
{
    struct timeval tv;
    struct timespec ts;
    time_t t0 = time(0);
    gettimeofday(&tv, 0);
    clock_gettime(CLOCK_REALTIME, &ts);
    time_t t1 = time(0);
    int sane = t0 > 1577836800 && t0 <= tv.tv_sec && tv.tv_sec <= ts.tv_sec && ts.tv_sec <= t1 &&
               tv.tv_usec >= 0 && tv.tv_usec < 1000000;
    uint64_t sys = sys_clock(CLOCK_REALTIME), lib = ns_of(&ts);
    printf("realtime: after 2020, time <= gettimeofday <= clock_gettime <= time: %s\n",
           sane ? "yes" : "NO");
    printf("realtime: the vDSO and the system call within a second: %s\n",
           sys - lib < 1000000000ull ? "yes" : "NO");
}

/* clock_gettime with a bad pointer: the vDSO writes through it (SIGSEGV), a system call would
 * answer EFAULT. */
static void no_system_call(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int r = clock_gettime(CLOCK_MONOTONIC, (struct timespec *)8);
        printf("clock_gettime with a bad pointer returned %d (errno %d)\n", r, errno);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status))
        printf("clock_gettime with a bad pointer: killed by signal %d\n", WTERMSIG(status));
    else
        printf("clock_gettime with a bad pointer: exited %d\n", WEXITSTATUS(status));
}

/* The vDSO after execve: the new program has one too (run as bin/NAME, the working directory
 * holding bin/ on Linux and on Mica alike). */
static void after_exec(const char *argv0)
{
    const char *name = strrchr(argv0, '/') ? strrchr(argv0, '/') + 1 : argv0;
    char path[256];
    snprintf(path, sizeof path, "bin/%s", name);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {path, "after-exec", 0};
        execv(path, argv);
        printf("execv %s: errno %d\n", path, errno);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("the child after execve: exit status %d\n", WEXITSTATUS(status));
}

int main(int argc, char **argv)
{
    if (load() < 0) {
        printf("no vDSO\n");
        return 1;
    }
    if (argc > 1 && strcmp(argv[1], "after-exec") == 0) {
        between((clock_fn)lookup("__vdso_clock_gettime"), CLOCK_MONOTONIC,
                "after execve: CLOCK_MONOTONIC");
        return 0;
    }
    printf("vdso: ELF %s, type %s\n", memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 ? "yes" : "no",
           eh->e_type == ET_DYN ? "ET_DYN" : "other");
    static const char *names[] = {"__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time",
                                  "__vdso_clock_getres", "__vdso_getcpu"};
    for (unsigned i = 0; i < 5; i++)
        printf("%s@LINUX_2.6: %s\n", names[i], lookup(names[i]) ? "found" : "missing");
    clock_fn vgettime = (clock_fn)lookup("__vdso_clock_gettime");
    between(vgettime, CLOCK_MONOTONIC, "CLOCK_MONOTONIC");
    between(vgettime, CLOCK_BOOTTIME, "CLOCK_BOOTTIME");
    between(vgettime, CLOCK_REALTIME, "CLOCK_REALTIME");
    struct timespec cpu;
    printf("CLOCK_PROCESS_CPUTIME_ID: vdso %d\n", vgettime(CLOCK_PROCESS_CPUTIME_ID, &cpu));
    printf("clock id 99: vdso %d\n", vgettime(99, &cpu));
    clock_fn vgetres = (clock_fn)lookup("__vdso_clock_getres");
    struct timespec res;
    int r = vgetres(CLOCK_MONOTONIC, &res);
    printf("clock_getres(CLOCK_MONOTONIC): %d, %lld s %ld ns\n", r, (long long)res.tv_sec,
           res.tv_nsec);
    long (*vtime)(long *) = (long (*)(long *))lookup("__vdso_time");
    long t = 0, s = vtime(&t);
    printf("time: returned and stored the same: %s\n", s == t ? "yes" : "NO");
    wall_clock();
    monotonic_never_back();
    no_system_call();
    after_exec(argv[0]);
    return 0;
}
