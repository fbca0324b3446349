/*
 * spawn.c - loading a static ELF program into a new address space (concepts:
 * program loading, process creation).
 *
 * The kernel parses no programs but the root task; every other program is
 * loaded by the supervisor, the same way the kernel loaded it: one VM object
 * per PT_LOAD segment, filled through a temporary mapping in the
 * supervisor's own space and then mapped into the new space with the
 * segment's rights, and a stack with an unmapped guard page below it.  The
 * ELF checks are the kernel's own (kernel/core/elf.c, linked in here).
 */
#include <page.h>
#include "spawn.h"
#include <mica/elf.h>
#include <mica/string.h>

#define PAGE       4096ull
#define SCRATCH    0x0000600000000000ull /* where the supervisor fills VM objects */
#define STACK_TOP  0x00007fffff000000ull
#define STACK_SIZE (64 * 1024ull)
extern mica_handle_t spawn_self; /* the supervisor's own address space (main.c) */

static uint32_t prot_of(uint32_t flags)
{
    uint32_t prot = 0;
    if (flags & ELF_SEG_R)
        prot |= MICA_PROT_READ;
    if (flags & ELF_SEG_W)
        prot |= MICA_PROT_WRITE;
    if (flags & ELF_SEG_X)
        prot |= MICA_PROT_EXEC;
    return prot;
}

/* A new VM object of size bytes holding len bytes of src at offset, mapped at va in p. */
static int place(struct process *p, uint64_t va, uint64_t size, uint64_t offset, const void *src,
                 uint64_t len, uint32_t prot)
{
    int64_t vmo = mica_vmo_create(size);
    if (vmo < 0)
        return (int)vmo;
    int64_t err = mica_vm_map(spawn_self, (mica_handle_t)vmo, 0, SCRATCH, size,
                              MICA_PROT_READ | MICA_PROT_WRITE);
    if (err >= 0) {
        memcpy((char *)SCRATCH + offset, src, len);
        mica_vm_unmap(spawn_self, SCRATCH, size);
        err = mica_vm_map(p->as, (mica_handle_t)vmo, 0, va, size, prot);
    }
    mica_handle_close((mica_handle_t)vmo); /* the mapping keeps the object */
    return err < 0 ? (int)err : 0;
}

static int load_segments(struct process *p, const uint8_t *image, const struct elf_image *elf)
{
    for (unsigned i = 0; i < elf->nsegments; i++) {
        const struct elf_segment *s = &elf->seg[i];
        uint64_t start = page_down(s->vaddr);
        uint64_t size = page_up(s->vaddr + s->memsz) - start;
        int err = place(p, start, size, s->vaddr - start, image + s->offset, s->filesz,
                        prot_of(s->flags));
        if (err < 0)
            return err;
    }
    return 0;
}

int spawn_prepare(struct process *p, const char **why)
{
    p->thread = 0;
    int64_t as = mica_aspace_create();
    if (as < 0) {
        *why = "cannot create an address space";
        return (int)as;
    }
    p->as = (mica_handle_t)as;
    return 0;
}

int spawn_load(struct process *p, const void *image, uint64_t size,
               const struct mica_server_start *start, const char **why)
{
    struct elf_image elf;
    if (elf_parse(image, size, &elf, why) < 0)
        return -MICA_EINVAL;
    if (elf.type != ELF_TYPE_EXEC || elf.has_interp) {
        *why = "not a static ET_EXEC program";
        return -MICA_EINVAL;
    }
    int err = load_segments(p, image, &elf);
    if (err < 0) {
        *why = "cannot map its segments";
        return err;
    }
    uint64_t at = STACK_SIZE - page_up(sizeof *start); /* the start block, at the very top */
    err = place(p, STACK_TOP - STACK_SIZE, STACK_SIZE, at, start, sizeof *start,
                MICA_PROT_READ | MICA_PROT_WRITE);
    if (err < 0) {
        *why = "cannot map its stack";
        return err;
    }
    uint64_t block = STACK_TOP - STACK_SIZE + at;
    int64_t t =
        mica_thread_create(p->as, (void (*)(uint64_t))elf.entry, (void *)(block - 8), block);
    if (t < 0) {
        *why = "cannot create its thread";
        return (int)t;
    }
    p->thread = (mica_handle_t)t;
    return 0;
}

void spawn_discard(struct process *p)
{
    if (p->thread)
        mica_handle_close(p->thread);
    if (p->as)
        mica_handle_close(p->as);
    p->thread = p->as = 0;
}
