/*
 * initstack.c - building the initial stack of a Linux program (concepts:
 * program loading, the process's start-up environment).
 *
 * The layout follows what Linux's ELF loader writes (fs/binfmt_elf.c,
 * create_elf_tables) and what the x86-64 psABI specifies:
 *
 *     top ->  AT_EXECFN string, environment strings, argument strings
 *             16 random bytes (AT_RANDOM)
 *             padding to 16 bytes
 *             auxv: tag, value pairs ... AT_NULL, 0
 *             envp[0] ... envp[envc-1], NULL
 *             argv[0] ... argv[argc-1], NULL
 *     sp  ->  argc                                 (sp is a multiple of 16)
 *
 * The stack is written into a buffer that stands for the top of the
 * program's stack; every pointer written is an address in the program.
 */
#include "initstack.h"
#include "linux_abi.h"
#include <mica/string.h>

struct builder {
    uint8_t *buf;
    uint64_t size, top, pos; /* pos: the lowest address used so far */
};

static uint8_t *at(struct builder *b, uint64_t va)
{
    return b->buf + (va - (b->top - b->size));
}

/* Reserve n bytes below pos; 0 if they do not fit. */
static int reserve(struct builder *b, uint64_t n)
{
    if (n > b->pos - (b->top - b->size))
        return 0;
    b->pos -= n;
    return 1;
}

/* Copy a string below pos; its address, or 0 if it does not fit. */
static uint64_t push_string(struct builder *b, const char *s)
{
    uint64_t n = strlen(s) + 1;
    if (!reserve(b, n))
        return 0;
    memcpy(at(b, b->pos), s, n);
    return b->pos;
}

static void put_word(struct builder *b, uint64_t va, uint64_t w)
{
    memcpy(at(b, va), &w, sizeof w);
}

/* The strings, from the top down: execfn, then the environment, then the arguments. */
static int push_strings(struct builder *b, const struct initstack_args *a, uint64_t *argv_va,
                        uint64_t *envp_va, uint64_t *execfn_va)
{
    if (!(*execfn_va = push_string(b, a->execfn)))
        return -1;
    for (unsigned i = a->envc; i-- > 0;)
        if (!(envp_va[i] = push_string(b, a->envp[i])))
            return -1;
    for (unsigned i = a->argc; i-- > 0;)
        if (!(argv_va[i] = push_string(b, a->argv[i])))
            return -1;
    return 0;
}

static uint64_t fill_auxv(uint64_t *auxv, const struct initstack_args *a, uint64_t random_va,
                          uint64_t execfn_va)
{
    const uint64_t pairs[INITSTACK_AUXV - 1][2] = {
        {LINUX_AT_PHDR, a->phdr},     {LINUX_AT_PHENT, a->phent}, {LINUX_AT_PHNUM, a->phnum},
        {LINUX_AT_PAGESZ, 4096},      {LINUX_AT_BASE, 0},         {LINUX_AT_FLAGS, 0},
        {LINUX_AT_ENTRY, a->entry},   {LINUX_AT_UID, a->uid},     {LINUX_AT_EUID, a->euid},
        {LINUX_AT_GID, a->gid},       {LINUX_AT_EGID, a->egid},   {LINUX_AT_SECURE, a->secure},
        {LINUX_AT_HWCAP, a->hwcap},   {LINUX_AT_CLKTCK, 100},     {LINUX_AT_RANDOM, random_va},
        {LINUX_AT_EXECFN, execfn_va}, {LINUX_AT_NULL, 0},
    };
    uint64_t n = 0;
    for (unsigned i = 0; i < INITSTACK_AUXV - 1; i++) {
        if (pairs[i][0] == LINUX_AT_NULL && a->sysinfo_ehdr) { /* the vDSO's entry before the end */
            auxv[n++] = LINUX_AT_SYSINFO_EHDR;
            auxv[n++] = a->sysinfo_ehdr;
        }
        auxv[n++] = pairs[i][0];
        auxv[n++] = pairs[i][1];
    }
    return n;
}

/* The pointer block at sp: argc, argv, NULL, envp, NULL, auxv. */
static void write_block(struct builder *b, uint64_t sp, const struct initstack_args *a,
                        const uint64_t *argv_va, const uint64_t *envp_va, const uint64_t *auxv,
                        uint64_t nauxv)
{
    uint64_t w = sp;
    put_word(b, w, a->argc);
    w += 8;
    for (unsigned i = 0; i < a->argc; i++, w += 8)
        put_word(b, w, argv_va[i]);
    put_word(b, w, 0);
    w += 8;
    for (unsigned i = 0; i < a->envc; i++, w += 8)
        put_word(b, w, envp_va[i]);
    put_word(b, w, 0);
    w += 8;
    for (uint64_t i = 0; i < nauxv; i++, w += 8)
        put_word(b, w, auxv[i]);
}

#define INITSTACK_STRINGS_MAX 1024 /* arguments plus environment strings */

int initstack_build(uint8_t *buf, uint64_t size, uint64_t top, const struct initstack_args *a,
                    uint64_t *sp)
{
    if (a->argc + a->envc > INITSTACK_STRINGS_MAX || (top & 15) || size > top)
        return -1;
    struct builder b = {buf, size, top, top};
    uint64_t argv_va[INITSTACK_STRINGS_MAX], *envp_va = argv_va + a->argc, execfn_va;
    if (push_strings(&b, a, argv_va, envp_va, &execfn_va) < 0 || !reserve(&b, 16))
        return -1;
    uint64_t random_va = b.pos;
    memcpy(at(&b, random_va), a->random, 16);
    b.pos &= ~15ull;
    uint64_t auxv[2 * INITSTACK_AUXV];
    uint64_t nauxv = fill_auxv(auxv, a, random_va, execfn_va);
    uint64_t words = 1 + (a->argc + 1) + (a->envc + 1) + nauxv;
    if (!reserve(&b, words * 8))
        return -1;
    b.pos &= ~15ull; /* argc on a 16-byte boundary */
    if (b.pos < top - size)
        return -1;
    write_block(&b, b.pos, a, argv_va, envp_va, auxv, nauxv);
    *sp = b.pos;
    return 0;
}
