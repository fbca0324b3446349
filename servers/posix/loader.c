/*
 * loader.c - loading a static Linux ELF program (concepts: program loading,
 * executable formats, the load bias of position-independent executables).
 *
 * The checks are the kernel's own ELF parser (kernel/core/elf.c, linked into
 * the server as it is into the supervisor), and the approach is the
 * supervisor's (servers/init/spawn.c): one new VM object per PT_LOAD
 * segment, filled through the server's own mapping and mapped into the
 * process with the segment's rights.  Here the server keeps its mapping
 * (procmem.h), because it serves the program's system calls afterwards.
 *
 * An ET_EXEC program is loaded at the addresses it names.  A static-pie
 * program (ET_DYN without PT_INTERP: musl's rcrt1.o relocates itself) is
 * loaded at LOADER_PIE_BASE: every address in it is shifted by that bias.
 * A program that wants a dynamic linker (PT_INTERP) is refused: ENOEXEC.
 * Every program also gets the vDSO (vdso.h), whose address goes into the
 * auxiliary vector as AT_SYSINFO_EHDR.
 */
#include <page.h>
#include "loader.h"
#include "posix.h"
#include "procmem.h"
#include "vdso.h"
#include <mica/elf.h>
#include <mica/string.h>

#define PAGE          4096ull
#define INITSTACK_MAX (128 * 1024ull) /* room for arguments, environment and pointers */

static uint32_t linux_prot(uint32_t flags)
{
    uint32_t prot = 0;
    if (flags & ELF_SEG_R)
        prot |= LINUX_PROT_READ;
    if (flags & ELF_SEG_W)
        prot |= LINUX_PROT_WRITE;
    if (flags & ELF_SEG_X)
        prot |= LINUX_PROT_EXEC;
    return prot;
}

static int load_segments(struct process *p, const uint8_t *image, const struct elf_image *elf,
                         uint64_t bias)
{
    for (unsigned i = 0; i < elf->nsegments; i++) {
        const struct elf_segment *s = &elf->seg[i];
        uint64_t start = page_down(s->vaddr + bias);
        uint64_t size = page_up(s->vaddr + bias + s->memsz) - start;
        uint8_t *shadow;
        int err = procmem_map(p, start, size, linux_prot(s->flags), &shadow);
        if (err < 0)
            return err;
        memcpy(shadow + (s->vaddr + bias - start), image + s->offset, s->filesz);
    }
    return 0;
}

static int load_stack(struct process *p, struct initstack_args *args, uint64_t *sp)
{
    uint64_t base = LOADER_STACK_TOP - LOADER_STACK_SIZE;
    uint8_t *shadow;
    int err = procmem_map(p, base, LOADER_STACK_SIZE, LINUX_PROT_READ | LINUX_PROT_WRITE, &shadow);
    if (err < 0)
        return err;
    uint8_t *top_part = shadow + LOADER_STACK_SIZE - INITSTACK_MAX;
    if (initstack_build(top_part, INITSTACK_MAX, LOADER_STACK_TOP, args, sp) < 0)
        return -LINUX_E2BIG;
    return 0;
}

int loader_load(struct process *p, const uint8_t *image, uint64_t size, struct initstack_args *args,
                struct loaded *out, const char **why)
{
    struct elf_image elf;
    if (elf_parse(image, size, &elf, why) < 0)
        return -LINUX_ENOEXEC;
    if (elf.has_interp) {
        *why = "a dynamically linked program (PT_INTERP): not supported";
        return -LINUX_ENOEXEC;
    }
    uint64_t bias = elf.type == ELF_TYPE_DYN ? LOADER_PIE_BASE : 0;
    int err = load_segments(p, image, &elf, bias);
    if (err < 0) {
        *why = "cannot map its segments";
        return err;
    }
    args->phdr = elf.phdr_vaddr ? elf.phdr_vaddr + bias : 0;
    args->phent = elf.phentsize;
    args->phnum = elf.phnum;
    args->entry = elf.entry + bias;
    int64_t vdso = vdso_map(p);
    if (vdso < 0) {
        *why = "cannot map the vDSO";
        return (int)vdso;
    }
    args->sysinfo_ehdr = (uint64_t)vdso;
    if ((err = load_stack(p, args, &out->sp)) < 0) {
        *why = err == -LINUX_E2BIG ? "arguments too long" : "cannot map its stack";
        return err;
    }
    out->entry = elf.entry + bias;
    p->brk_start = p->brk = p->brk_mapped = elf.highest + bias;
    return 0;
}
