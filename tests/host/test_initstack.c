/*
 * test_initstack.c - the Linux initial stack the posix server builds
 * (servers/posix/initstack.c), read back the way a C library's start code
 * reads it, with the constants checked against the Linux UAPI headers.
 */
#include <linux/auxvec.h>
#include <stdint.h>
#include <string.h>
#include "../../servers/posix/initstack.h"
#include "../../servers/posix/linux_abi.h"
#include "unit.h"

#define TOP  0x7ffffffff000ull
#define SIZE 8192ull

static uint8_t stack[SIZE];

/* The word at program address va. */
static uint64_t word(uint64_t va)
{
    uint64_t w;
    memcpy(&w, stack + (va - (TOP - SIZE)), 8);
    return w;
}

static const char *string(uint64_t va)
{
    return (const char *)stack + (va - (TOP - SIZE));
}

static int in_stack(uint64_t va)
{
    return va >= TOP - SIZE && va < TOP;
}

static const char *argv[] = {"/bin/args", "one", "", "three words"};
static const char *envp[] = {"HOME=/", "PATH=/bin"};

static struct initstack_args example(void)
{
    struct initstack_args a = {.argc = 4,
                               .envc = 2,
                               .argv = argv,
                               .envp = envp,
                               .execfn = "/bin/args",
                               .phdr = 0x400040,
                               .phent = 56,
                               .phnum = 9,
                               .entry = 0x401000,
                               .hwcap = 0x178bfbff,
                               .uid = 1,
                               .euid = 2,
                               .gid = 3,
                               .egid = 4,
                               .secure = 1};
    for (int i = 0; i < 16; i++)
        a.random[i] = (uint8_t)(0xa0 + i);
    return a;
}

/* The value of auxiliary-vector tag `tag` starting at va; *found says if it was there. */
static uint64_t aux(uint64_t va, uint64_t tag, int *found)
{
    *found = 0;
    for (;; va += 16) {
        if (word(va) == tag) {
            *found = 1;
            return word(va + 8);
        }
        if (word(va) == AT_NULL)
            return 0;
    }
}

static void test_layout(void)
{
    struct initstack_args a = example();
    uint64_t sp = 0;
    memset(stack, 0x5a, sizeof stack);
    CHECK_EQ(initstack_build(stack, SIZE, TOP, &a, &sp), 0);
    CHECK_EQ(sp % 16, 0); /* the psABI's alignment at process entry */
    CHECK(in_stack(sp));
    CHECK_EQ(word(sp), 4);
    for (unsigned i = 0; i < 4; i++) {
        uint64_t p = word(sp + 8 + 8 * i);
        CHECK(in_stack(p) && p > sp);
        CHECK(strcmp(string(p), argv[i]) == 0);
    }
    CHECK_EQ(word(sp + 8 + 32), 0);
    uint64_t env = sp + 8 + 40;
    CHECK(strcmp(string(word(env)), "HOME=/") == 0);
    CHECK(strcmp(string(word(env + 8)), "PATH=/bin") == 0);
    CHECK_EQ(word(env + 16), 0);
    uint64_t auxv = env + 24;
    int f;
    CHECK_EQ(aux(auxv, AT_PHDR, &f), 0x400040);
    CHECK(f);
    CHECK_EQ(aux(auxv, AT_PHENT, &f), 56);
    CHECK_EQ(aux(auxv, AT_PHNUM, &f), 9);
    CHECK_EQ(aux(auxv, AT_PAGESZ, &f), 4096);
    CHECK_EQ(aux(auxv, AT_BASE, &f), 0);
    CHECK(f);
    CHECK_EQ(aux(auxv, AT_ENTRY, &f), 0x401000);
    CHECK_EQ(aux(auxv, AT_UID, &f), 1);
    CHECK_EQ(aux(auxv, AT_EUID, &f), 2);
    CHECK_EQ(aux(auxv, AT_GID, &f), 3);
    CHECK_EQ(aux(auxv, AT_EGID, &f), 4);
    CHECK_EQ(aux(auxv, AT_SECURE, &f), 1); /* effective ids other than the real ones */
    CHECK(f);
    CHECK_EQ(aux(auxv, AT_HWCAP, &f), 0x178bfbff);
    CHECK_EQ(aux(auxv, AT_CLKTCK, &f), 100);
    uint64_t random = aux(auxv, AT_RANDOM, &f);
    CHECK(f && in_stack(random) && in_stack(random + 15));
    for (int i = 0; i < 16; i++)
        CHECK_EQ((uint8_t)string(random)[i], 0xa0 + i);
    uint64_t execfn = aux(auxv, AT_EXECFN, &f);
    CHECK(f && strcmp(string(execfn), "/bin/args") == 0);
    aux(auxv, AT_SYSINFO_EHDR, &f);
    CHECK(!f); /* no vDSO given: no entry */
    aux(auxv, 12345, &f);
    CHECK(!f); /* the vector ends in AT_NULL */
}

/* With a vDSO, AT_SYSINFO_EHDR gives its address, and the rest of the vector is unchanged. */
static void test_vdso(void)
{
    struct initstack_args a = example();
    a.sysinfo_ehdr = 0x7ffff7fc2000;
    uint64_t sp = 0;
    CHECK_EQ(initstack_build(stack, SIZE, TOP, &a, &sp), 0);
    CHECK_EQ(sp % 16, 0);
    uint64_t auxv = sp + 8 + 8 * (4 + 1) + 8 * (2 + 1);
    int f;
    CHECK_EQ(aux(auxv, AT_SYSINFO_EHDR, &f), 0x7ffff7fc2000);
    CHECK(f);
    CHECK_EQ(aux(auxv, AT_ENTRY, &f), 0x401000);
    uint64_t execfn = aux(auxv, AT_EXECFN, &f);
    CHECK(f && strcmp(string(execfn), "/bin/args") == 0);
}

/* Every combination of argument lengths keeps sp 16-byte aligned (odd and even word counts). */
static void test_alignment(void)
{
    static const char *words[] = {"a", "bb", "ccc", "dddd", "eeeee"};
    for (unsigned argc = 1; argc <= 5; argc++)
        for (unsigned envc = 0; envc <= 5; envc++) {
            struct initstack_args a = example();
            a.argc = argc;
            a.argv = words;
            a.envc = envc;
            a.envp = words;
            uint64_t sp = 1;
            CHECK_EQ(initstack_build(stack, SIZE, TOP, &a, &sp), 0);
            CHECK_EQ(sp % 16, 0);
            CHECK_EQ(word(sp), argc);
            CHECK_EQ(word(sp + 8 * (argc + 1)), 0);
            CHECK_EQ(word(sp + 8 * (argc + 2 + envc)), 0);
        }
}

/* Too much to fit: an error, never a write outside the buffer (ASan watches). */
static void test_too_big(void)
{
    static char big[6000];
    memset(big, 'x', sizeof big - 1);
    const char *args[] = {big, big};
    struct initstack_args a = example();
    a.argc = 2;
    a.argv = args;
    uint64_t sp = 0;
    CHECK_EQ(initstack_build(stack, SIZE, TOP, &a, &sp), -1);
    a.argc = 1;
    CHECK_EQ(initstack_build(stack, SIZE, TOP, &a, &sp), 0);
    CHECK_EQ(initstack_build(stack, 64, TOP, &a, &sp), -1);
    CHECK_EQ(initstack_build(stack, SIZE, TOP + 8, &a, &sp), -1); /* a misaligned top */
}

/* The server's copies of the ABI's numbers are the Linux headers' numbers. */
static void test_constants(void)
{
    CHECK_EQ(LINUX_AT_PHDR, AT_PHDR);
    CHECK_EQ(LINUX_AT_PHENT, AT_PHENT);
    CHECK_EQ(LINUX_AT_PHNUM, AT_PHNUM);
    CHECK_EQ(LINUX_AT_PAGESZ, AT_PAGESZ);
    CHECK_EQ(LINUX_AT_BASE, AT_BASE);
    CHECK_EQ(LINUX_AT_ENTRY, AT_ENTRY);
    CHECK_EQ(LINUX_AT_RANDOM, AT_RANDOM);
    CHECK_EQ(LINUX_AT_EXECFN, AT_EXECFN);
    CHECK_EQ(LINUX_AT_HWCAP, AT_HWCAP);
    CHECK_EQ(LINUX_AT_CLKTCK, AT_CLKTCK);
    CHECK_EQ(LINUX_AT_SECURE, AT_SECURE);
    CHECK_EQ(LINUX_AT_SYSINFO_EHDR, AT_SYSINFO_EHDR);
}

int main(void)
{
    unit_run("initstack", "layout", test_layout);
    unit_run("initstack", "vdso", test_vdso);
    unit_run("initstack", "alignment", test_alignment);
    unit_run("initstack", "too_big", test_too_big);
    unit_run("initstack", "constants", test_constants);
    return unit_exit_code();
}
