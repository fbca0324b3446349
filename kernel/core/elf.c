/*
 * elf.c - parsing and validating ELF64 program images (concepts: program
 * loading, executable formats, process creation).
 *
 * An ELF executable starts with a file header that says what kind of file
 * it is and where its table of program headers lies.  Each program header
 * describes one segment; the PT_LOAD ones say which bytes of the file go
 * where in the new address space.  Nothing in the file is trusted: the
 * image comes from a boot module, so every field is checked before it is
 * used, every sum is checked for overflow, and every read goes through
 * read_bytes(), which refuses to look outside [image, image + size).
 *
 * elf_parse() works in three steps: check the file header, walk the program
 * headers (checking each PT_LOAD on its own), then check what only the
 * whole set can show: overlaps, the entry point, the program headers' and
 * the TLS template's place in memory.  See mica/elf.h for the rules.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mica/elf.h>
#include <mica/errno.h>
#include <mica/string.h>

/*
 * The on-disk structures, as the ELF-64 specification lays them out.  All
 * fields are naturally aligned, so the structs have no padding.  Mica runs
 * on little-endian x86-64 and elf_parse rejects big-endian files, so the
 * fields can be copied from the file as they are.
 */
struct elf64_ehdr { /* the file header, at offset 0 */
    uint8_t e_ident[16];
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint64_t e_entry;
    uint64_t e_phoff; /* file offset of the program-header table */
    uint64_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize; /* size of one program header */
    uint16_t e_phnum;     /* number of program headers */
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
};

struct elf64_phdr { /* one program header */
    uint32_t p_type;
    uint32_t p_flags;
    uint64_t p_offset;
    uint64_t p_vaddr;
    uint64_t p_paddr;
    uint64_t p_filesz;
    uint64_t p_memsz;
    uint64_t p_align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 file header is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header is 56 bytes");

/* Indexes into e_ident and the values Mica accepts there. */
#define EI_CLASS      4
#define EI_DATA       5
#define EI_VERSION    6
#define ELFCLASS64    2
#define ELFDATA2LSB   1 /* little-endian */
#define EV_CURRENT    1
#define EM_X86_64     62
#define PN_XNUM       0xffff /* "the real e_phnum is in section header 0" */
#define ELF_PHDR_SIZE 56

/* Program-header types elf_parse looks at; the others are ignored. */
#define PT_LOAD   1
#define PT_INTERP 3
#define PT_PHDR   6
#define PT_TLS    7

#define USER_PAGE_SIZE 4096ull

static const uint8_t elf_magic[4] = {0x7f, 'E', 'L', 'F'};

/* ---- small helpers ---- */

static int fail(const char **why, const char *reason)
{
    if (why != NULL)
        *why = reason;
    return -EINVAL;
}

/* Copy n bytes at file offset off into dst; false if they are not all inside the file. */
static bool read_bytes(const void *image, size_t size, uint64_t off, void *dst, size_t n)
{
    if (off > size || n > size - off)
        return false;
    memcpy(dst, (const uint8_t *)image + off, n);
    return true;
}

/* Is [start, start + len) inside [outer, outer + outer_len)?  Overflow-safe. */
static bool range_inside(uint64_t start, uint64_t len, uint64_t outer, uint64_t outer_len)
{
    if (start < outer || start - outer > outer_len)
        return false;
    return len <= outer_len - (start - outer);
}

static bool is_power_of_two(uint64_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

/* Page rounding; callers only pass addresses at or below ELF_USER_TOP, so no overflow. */
static uint64_t page_down(uint64_t addr)
{
    return addr & ~(USER_PAGE_SIZE - 1);
}

static uint64_t page_up(uint64_t addr)
{
    return page_down(addr + USER_PAGE_SIZE - 1);
}

/* ---- step 1: the file header ---- */

static int check_ident(const struct elf64_ehdr *eh, const char **why)
{
    if (memcmp(eh->e_ident, elf_magic, sizeof(elf_magic)) != 0)
        return fail(why, "bad ELF magic");
    if (eh->e_ident[EI_CLASS] != ELFCLASS64)
        return fail(why, "not a 64-bit ELF file");
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return fail(why, "not little-endian");
    if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
        return fail(why, "unknown ELF version");
    return 0;
}

static int check_header(const struct elf64_ehdr *eh, size_t size, const char **why)
{
    int err = check_ident(eh, why);
    if (err != 0)
        return err;
    if (eh->e_machine != EM_X86_64)
        return fail(why, "not an x86-64 program");
    if (eh->e_type != ELF_TYPE_EXEC && eh->e_type != ELF_TYPE_DYN)
        return fail(why, "not an executable (ET_EXEC or ET_DYN)");
    if (eh->e_phentsize != ELF_PHDR_SIZE)
        return fail(why, "bad program header size");
    if (eh->e_phnum == PN_XNUM)
        return fail(why, "extended program header numbering");

    uint64_t table_size = (uint64_t)eh->e_phnum * ELF_PHDR_SIZE; /* at most 65535 * 56 */
    if (eh->e_phoff > size || table_size > size - eh->e_phoff)
        return fail(why, "program headers run past the end of the file");
    return 0;
}

/* ---- step 2: the program headers ---- */

/* Checks on one PT_LOAD that need no other segment. */
static int check_load(const struct elf64_phdr *ph, uint16_t type, size_t size, const char **why)
{
    if (ph->p_filesz > ph->p_memsz)
        return fail(why, "segment file size exceeds memory size");
    if (ph->p_memsz == 0)
        return fail(why, "empty PT_LOAD segment");
    if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
        return fail(why, "segment data runs past the end of the file");
    if (ph->p_vaddr > ELF_USER_TOP || ph->p_memsz > ELF_USER_TOP - ph->p_vaddr)
        return fail(why, "segment outside user space");
    if (type == ELF_TYPE_EXEC && ph->p_vaddr < USER_PAGE_SIZE)
        return fail(why, "segment maps the null page");
    if (ph->p_align > 1 && !is_power_of_two(ph->p_align))
        return fail(why, "segment alignment not a power of two");
    if (ph->p_align > 1 && ph->p_vaddr % ph->p_align != ph->p_offset % ph->p_align)
        return fail(why, "segment address and offset disagree modulo alignment");
    if ((ph->p_flags & ELF_SEG_W) && (ph->p_flags & ELF_SEG_X))
        return fail(why, "W+X segment");
    return 0;
}

static int add_load(struct elf_image *out, const struct elf64_phdr *ph, size_t size,
                    const char **why)
{
    if (out->nsegments == ELF_MAX_SEGMENTS)
        return fail(why, "too many PT_LOAD segments");
    int err = check_load(ph, out->type, size, why);
    if (err != 0)
        return err;

    struct elf_segment *seg = &out->seg[out->nsegments++];
    seg->vaddr = ph->p_vaddr;
    seg->memsz = ph->p_memsz;
    seg->offset = ph->p_offset;
    seg->filesz = ph->p_filesz;
    seg->flags = ph->p_flags & (ELF_SEG_R | ELF_SEG_W | ELF_SEG_X);
    return 0;
}

/* Record PT_TLS, the template for each thread's thread-local storage. */
static int add_tls(struct elf_image *out, const struct elf64_phdr *ph, const char **why)
{
    if (out->has_tls)
        return fail(why, "more than one PT_TLS segment");
    if (ph->p_filesz > ph->p_memsz)
        return fail(why, "PT_TLS file size exceeds memory size");
    if (ph->p_memsz >= ELF_USER_TOP || ph->p_align >= ELF_USER_TOP)
        return fail(why, "PT_TLS too large");
    if (ph->p_align > 1 && !is_power_of_two(ph->p_align))
        return fail(why, "PT_TLS alignment not a power of two");

    out->has_tls = true;
    out->tls_vaddr = ph->p_vaddr;
    out->tls_filesz = ph->p_filesz;
    out->tls_memsz = ph->p_memsz;
    out->tls_align = ph->p_align;
    return 0;
}

/* What the walk over the program headers finds besides the segments. */
struct phdr_walk {
    bool has_pt_phdr;
    uint64_t pt_phdr_vaddr;
};

static int add_header(struct elf_image *out, struct phdr_walk *walk, const struct elf64_phdr *ph,
                      size_t size, const char **why)
{
    switch (ph->p_type) {
    case PT_LOAD:
        return add_load(out, ph, size, why);
    case PT_INTERP:
        out->has_interp = true;
        return 0;
    case PT_PHDR:
        if (walk->has_pt_phdr)
            return fail(why, "more than one PT_PHDR segment");
        walk->has_pt_phdr = true;
        walk->pt_phdr_vaddr = ph->p_vaddr;
        return 0;
    case PT_TLS:
        return add_tls(out, ph, why);
    default:
        return 0; /* PT_NOTE, PT_GNU_STACK, ...: nothing the loader needs */
    }
}

static int walk_headers(const void *image, size_t size, const struct elf64_ehdr *eh,
                        struct elf_image *out, struct phdr_walk *walk, const char **why)
{
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        struct elf64_phdr ph;
        uint64_t off = eh->e_phoff + (uint64_t)i * ELF_PHDR_SIZE;
        if (!read_bytes(image, size, off, &ph, sizeof(ph)))
            return fail(why, "program headers run past the end of the file");
        int err = add_header(out, walk, &ph, size, why);
        if (err != 0)
            return err;
    }
    if (out->nsegments == 0)
        return fail(why, "no PT_LOAD segment");
    return 0;
}

/* ---- step 3: checks over the whole set of segments ---- */

/* Two segments overlap if they share a page: a page has only one set of access rights. */
static bool segments_overlap(const struct elf_segment *a, const struct elf_segment *b)
{
    uint64_t a_start = page_down(a->vaddr), a_end = page_up(a->vaddr + a->memsz);
    uint64_t b_start = page_down(b->vaddr), b_end = page_up(b->vaddr + b->memsz);
    return a_start < b_end && b_start < a_end;
}

static int check_overlaps(const struct elf_image *out, const char **why)
{
    for (unsigned i = 0; i < out->nsegments; i++) {
        for (unsigned j = i + 1; j < out->nsegments; j++) {
            if (segments_overlap(&out->seg[i], &out->seg[j]))
                return fail(why, "overlapping PT_LOAD segments");
        }
    }
    return 0;
}

static int check_entry(const struct elf_image *out, const char **why)
{
    for (unsigned i = 0; i < out->nsegments; i++) {
        const struct elf_segment *seg = &out->seg[i];
        if ((seg->flags & ELF_SEG_X) && out->entry >= seg->vaddr &&
            out->entry - seg->vaddr < seg->memsz)
            return 0;
    }
    return fail(why, "entry point not in an executable segment");
}

/* Does one PT_LOAD segment hold all of [vaddr, vaddr + len) in memory? */
static bool loaded_in_memory(const struct elf_image *out, uint64_t vaddr, uint64_t len)
{
    for (unsigned i = 0; i < out->nsegments; i++) {
        if (range_inside(vaddr, len, out->seg[i].vaddr, out->seg[i].memsz))
            return true;
    }
    return false;
}

/*
 * Where do the program headers end up in memory?  PT_PHDR says so directly;
 * otherwise look for a PT_LOAD whose file bytes include the table.  (For an
 * ET_DYN image that puts them at relative address 0 the answer reads as
 * "unknown"; real linkers never do that, the ELF header comes first.)
 */
static int find_phdr_vaddr(struct elf_image *out, const struct elf64_ehdr *eh,
                           const struct phdr_walk *walk, const char **why)
{
    uint64_t table_size = (uint64_t)eh->e_phnum * ELF_PHDR_SIZE;

    if (walk->has_pt_phdr) {
        if (!loaded_in_memory(out, walk->pt_phdr_vaddr, table_size))
            return fail(why, "PT_PHDR outside the loaded segments");
        out->phdr_vaddr = walk->pt_phdr_vaddr;
        return 0;
    }
    for (unsigned i = 0; i < out->nsegments; i++) {
        const struct elf_segment *seg = &out->seg[i];
        if (range_inside(eh->e_phoff, table_size, seg->offset, seg->filesz)) {
            out->phdr_vaddr = seg->vaddr + (eh->e_phoff - seg->offset);
            return 0;
        }
    }
    out->phdr_vaddr = 0;
    return 0;
}

/* The TLS template (its initialized part) is copied from memory the loader has mapped. */
static int check_tls_template(const struct elf_image *out, const char **why)
{
    if (out->has_tls && !loaded_in_memory(out, out->tls_vaddr, out->tls_filesz))
        return fail(why, "PT_TLS template outside the loaded segments");
    return 0;
}

static void compute_span(struct elf_image *out)
{
    out->lowest = ELF_USER_TOP;
    out->highest = 0;
    for (unsigned i = 0; i < out->nsegments; i++) {
        const struct elf_segment *seg = &out->seg[i];
        if (page_down(seg->vaddr) < out->lowest)
            out->lowest = page_down(seg->vaddr);
        if (page_up(seg->vaddr + seg->memsz) > out->highest)
            out->highest = page_up(seg->vaddr + seg->memsz);
    }
}

static int check_whole(struct elf_image *out, const struct elf64_ehdr *eh,
                       const struct phdr_walk *walk, const char **why)
{
    int err = check_overlaps(out, why);
    if (err == 0)
        err = check_entry(out, why);
    if (err == 0)
        err = find_phdr_vaddr(out, eh, walk, why);
    if (err == 0)
        err = check_tls_template(out, why);
    if (err != 0)
        return err;
    compute_span(out);
    return 0;
}

/* ---- the public entry point ---- */

static int parse(const void *image, size_t size, struct elf_image *out, const char **why)
{
    struct elf64_ehdr eh;
    if (!read_bytes(image, size, 0, &eh, sizeof(eh)))
        return fail(why, "file too small for an ELF header");
    int err = check_header(&eh, size, why);
    if (err != 0)
        return err;

    out->type = eh.e_type;
    out->entry = eh.e_entry;
    out->phnum = eh.e_phnum;
    out->phentsize = eh.e_phentsize;

    struct phdr_walk walk = {.has_pt_phdr = false, .pt_phdr_vaddr = 0};
    err = walk_headers(image, size, &eh, out, &walk, why);
    if (err != 0)
        return err;
    return check_whole(out, &eh, &walk, why);
}

int elf_parse(const void *image, size_t size, struct elf_image *out, const char **why)
{
    memset(out, 0, sizeof(*out));
    int err = parse(image, size, out, why);
    if (err != 0)
        memset(out, 0, sizeof(*out));
    return err;
}
