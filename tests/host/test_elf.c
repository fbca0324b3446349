/*
 * test_elf.c - host tests for kernel/core/elf.c (the ELF64 program-image
 * parser used to load the root task).
 *
 * The images are built in memory by a small builder: a file header, a table
 * of program headers right after it, and filler bytes for segment data.
 * Every parse runs on a heap copy of exactly the image's size, so that
 * AddressSanitizer catches any read past the end.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include <mica/elf.h>
#include <mica/errno.h>

/* ---- an ELF image builder ---- */

#define IMG_MAX 4096
#define PHOFF   64 /* the program-header table follows the file header */
#define PHSIZE  56

/* Field offsets in the file header and in a program header (ELF-64 spec). */
#define EH_TYPE      16
#define EH_MACHINE   18
#define EH_VERSION   20
#define EH_ENTRY     24
#define EH_PHOFF     32
#define EH_PHENTSIZE 54
#define EH_PHNUM     56
#define PH_TYPE      0
#define PH_FLAGS     4
#define PH_OFFSET    8
#define PH_VADDR     16
#define PH_FILESZ    32
#define PH_MEMSZ     40
#define PH_ALIGN     48

#define PT_LOAD      1
#define PT_INTERP    3
#define PT_NOTE      4
#define PT_PHDR      6
#define PT_TLS       7
#define PT_GNU_STACK 0x6474e551u

#define R ELF_SEG_R
#define W ELF_SEG_W
#define X ELF_SEG_X

struct builder {
    uint8_t buf[IMG_MAX];
    size_t size;
    unsigned phnum;
};

static struct builder b;

static void put(size_t off, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        b.buf[off + i] = (uint8_t)(v >> (8 * i)); /* little-endian */
}

static void grow(size_t end)
{
    if (end > b.size)
        b.size = end;
}

/* Start an image: a file header of the given type with no program headers yet. */
static void begin(uint16_t type, uint64_t entry)
{
    memset(&b, 0, sizeof(b));
    const uint8_t ident[8] = {0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* LE */, 1 /* version */};
    memcpy(b.buf, ident, sizeof(ident));
    put(EH_TYPE, type, 2);
    put(EH_MACHINE, 62, 2);
    put(EH_VERSION, 1, 4);
    put(EH_ENTRY, entry, 8);
    put(EH_PHOFF, PHOFF, 8);
    put(52, 64, 2); /* e_ehsize */
    put(EH_PHENTSIZE, PHSIZE, 2);
    grow(64);
}

static size_t ph(unsigned i)
{
    return PHOFF + (size_t)i * PHSIZE;
}

static void add_ph(uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr, uint64_t filesz,
                   uint64_t memsz, uint64_t align)
{
    size_t p = ph(b.phnum++);
    put(p + PH_TYPE, type, 4);
    put(p + PH_FLAGS, flags, 4);
    put(p + PH_OFFSET, offset, 8);
    put(p + PH_VADDR, vaddr, 8);
    put(p + 24, vaddr, 8); /* p_paddr */
    put(p + PH_FILESZ, filesz, 8);
    put(p + PH_MEMSZ, memsz, 8);
    put(p + PH_ALIGN, align, 8);
    put(EH_PHNUM, b.phnum, 2);
    grow(p + PHSIZE);
}

/* Segment bytes: a recognizable pattern, so the image is not all zeros. */
static void add_data(size_t offset, size_t len)
{
    for (size_t i = 0; i < len; i++)
        b.buf[offset + i] = (uint8_t)(0x90 + i);
    grow(offset + len);
}

/*
 * The standard valid program: text (R+X) at 0x400000 holding the headers
 * and code, data (R+W) at 0x401200 with 0x20 bytes from the file and the
 * rest of its 0x1000 bytes zero-filled (.bss).  0x220 bytes in all.
 */
#define TEXT_VADDR 0x400000ull
#define DATA_VADDR 0x401200ull
#define IMG_SIZE   0x220u

static void make_exec_at(uint16_t type, uint64_t base)
{
    begin(type, base + 0x100);
    add_ph(PT_LOAD, R | X, 0, base, 0x200, 0x200, 0x1000);
    add_ph(PT_LOAD, R | W, 0x200, base + 0x1200, 0x20, 0x1000, 0x1000);
    add_data(ph(2), 0x200 - ph(2));
    add_data(0x200, 0x20);
}

static void make_exec(void)
{
    make_exec_at(ELF_TYPE_EXEC, TEXT_VADDR);
}

/* Parse a heap copy of exactly the first size bytes of img. */
static int parse_bytes(const uint8_t *img, size_t size, struct elf_image *out, const char **why)
{
    uint8_t *copy = malloc(size ? size : 1);
    CHECK(copy != NULL);
    if (copy == NULL)
        return -ENOMEM;
    memcpy(copy, img, size);
    int r = elf_parse(copy, size, out, why);
    free(copy);
    return r;
}

static struct elf_image img;

static void expect_ok(void)
{
    const char *why = NULL;
    int r = parse_bytes(b.buf, b.size, &img, &why);
    CHECK_EQ(r, 0);
    if (r != 0)
        fprintf(stderr, "  unexpected rejection: %s\n", why ? why : "(null)");
}

static void expect_reject(const char *reason)
{
    const char *why = NULL;
    memset(&img, 0xaa, sizeof(img));
    CHECK_EQ(parse_bytes(b.buf, b.size, &img, &why), -EINVAL);
    CHECK(why != NULL && strcmp(why, reason) == 0);
    if (why != NULL && strcmp(why, reason) != 0)
        fprintf(stderr, "  expected \"%s\", got \"%s\"\n", reason, why);
    CHECK_EQ(img.nsegments, 0); /* the output is cleared on failure */
    CHECK_EQ(img.entry, 0);
}

/* ---- valid images ---- */

static void test_valid_exec(void)
{
    make_exec();
    CHECK_EQ(b.size, IMG_SIZE);
    expect_ok();
    CHECK_EQ(img.type, ELF_TYPE_EXEC);
    CHECK_EQ(img.entry, TEXT_VADDR + 0x100);
    CHECK_EQ(img.nsegments, 2);
    CHECK_EQ(img.seg[0].vaddr, TEXT_VADDR);
    CHECK_EQ(img.seg[0].memsz, 0x200);
    CHECK_EQ(img.seg[0].offset, 0);
    CHECK_EQ(img.seg[0].filesz, 0x200);
    CHECK_EQ(img.seg[0].flags, R | X);
    CHECK_EQ(img.seg[1].vaddr, DATA_VADDR);
    CHECK_EQ(img.seg[1].memsz, 0x1000);
    CHECK_EQ(img.seg[1].offset, 0x200);
    CHECK_EQ(img.seg[1].filesz, 0x20);
    CHECK_EQ(img.seg[1].flags, R | W);
    CHECK_EQ(img.phdr_vaddr, TEXT_VADDR + PHOFF); /* the text segment covers the headers */
    CHECK_EQ(img.phnum, 2);
    CHECK_EQ(img.phentsize, PHSIZE);
    CHECK(!img.has_interp);
    CHECK(!img.has_tls);
    CHECK_EQ(img.lowest, TEXT_VADDR);
    CHECK_EQ(img.highest, 0x403000); /* page_up(0x401200 + 0x1000) */
}

static void test_valid_dyn(void)
{
    make_exec_at(ELF_TYPE_DYN, 0); /* vaddr 0 is fine: the base is chosen later */
    expect_ok();
    CHECK_EQ(img.type, ELF_TYPE_DYN);
    CHECK_EQ(img.entry, 0x100);
    CHECK_EQ(img.nsegments, 2);
    CHECK_EQ(img.seg[0].vaddr, 0);
    CHECK_EQ(img.seg[1].vaddr, 0x1200);
    CHECK_EQ(img.phdr_vaddr, PHOFF);
    CHECK_EQ(img.lowest, 0);
    CHECK_EQ(img.highest, 0x3000);
}

/* PT_PHDR, PT_INTERP, PT_TLS are reported; other types such as PT_GNU_STACK are ignored. */
static void test_valid_optional_headers(void)
{
    begin(ELF_TYPE_EXEC, TEXT_VADDR + 0x1c0);
    add_ph(PT_PHDR, R, PHOFF, TEXT_VADDR + PHOFF, 6 * PHSIZE, 6 * PHSIZE, 8);
    add_ph(PT_INTERP, R, 0x1a0, TEXT_VADDR + 0x1a0, 0x10, 0x10, 1);
    add_ph(PT_LOAD, R | X, 0, TEXT_VADDR, 0x200, 0x200, 0x1000);
    add_ph(PT_LOAD, R | W, 0x200, DATA_VADDR, 0x20, 0x1000, 0x1000);
    add_ph(PT_TLS, R, 0x200, DATA_VADDR, 0x10, 0x30, 8);
    add_ph(PT_GNU_STACK, R | W | X, 0, 0, 0, 0, 16);
    add_data(ph(6), 0x200 - ph(6));
    add_data(0x200, 0x20);
    expect_ok();
    CHECK_EQ(img.nsegments, 2);
    CHECK_EQ(img.phdr_vaddr, TEXT_VADDR + PHOFF);
    CHECK_EQ(img.phnum, 6);
    CHECK(img.has_interp);
    CHECK(img.has_tls);
    CHECK_EQ(img.tls_vaddr, DATA_VADDR);
    CHECK_EQ(img.tls_filesz, 0x10);
    CHECK_EQ(img.tls_memsz, 0x30);
    CHECK_EQ(img.tls_align, 8);
}

static void test_phdrs_not_loaded(void)
{
    begin(ELF_TYPE_EXEC, TEXT_VADDR + 0x100);
    add_ph(PT_LOAD, R | X, 0x100, TEXT_VADDR + 0x100, 0x100, 0x100, 0x1000);
    add_data(ph(1), 0x200 - ph(1));
    expect_ok();
    CHECK_EQ(img.phdr_vaddr, 0); /* no PT_PHDR and no PT_LOAD holds the headers */
}

static void test_sixteen_segments(void)
{
    begin(ELF_TYPE_EXEC, TEXT_VADDR);
    for (unsigned i = 0; i < ELF_MAX_SEGMENTS; i++)
        add_ph(PT_LOAD, i == 0 ? R | X : R, 0, TEXT_VADDR + i * 0x1000ull, 0x10, 0x10, 0x1000);
    expect_ok();
    CHECK_EQ(img.nsegments, ELF_MAX_SEGMENTS);
    CHECK_EQ(img.highest, TEXT_VADDR + ELF_MAX_SEGMENTS * 0x1000ull);
}

/* Alignment 0 and 1 both mean "no constraint". */
static void test_no_alignment(void)
{
    make_exec();
    put(ph(1) + PH_VADDR, DATA_VADDR + 0x100, 8);
    put(ph(1) + PH_ALIGN, 1, 8);
    expect_ok();
    put(ph(1) + PH_ALIGN, 0, 8);
    expect_ok();
}

static void test_segment_ending_at_user_top(void)
{
    make_exec();
    put(ph(1) + PH_VADDR, ELF_USER_TOP - 0xe00, 8);
    put(ph(1) + PH_MEMSZ, 0xe00, 8);
    expect_ok();
    CHECK_EQ(img.highest, ELF_USER_TOP);
}

static void test_why_may_be_null(void)
{
    make_exec();
    put(EH_MACHINE, 3, 2);
    CHECK_EQ(parse_bytes(b.buf, b.size, &img, NULL), -EINVAL);
    make_exec();
    CHECK_EQ(parse_bytes(b.buf, b.size, &img, NULL), 0);
}

/* ---- rejections: the file header ---- */

static void test_too_small(void)
{
    const char *why = NULL;
    make_exec();
    b.size = 63;
    expect_reject("file too small for an ELF header");
    CHECK_EQ(elf_parse(NULL, 0, &img, &why), -EINVAL);
}

static void test_bad_magic(void)
{
    make_exec();
    b.buf[1] = 'X';
    expect_reject("bad ELF magic");
}

static void test_not_64_bit(void)
{
    make_exec();
    b.buf[4] = 1; /* ELFCLASS32 */
    expect_reject("not a 64-bit ELF file");
}

static void test_not_little_endian(void)
{
    make_exec();
    b.buf[5] = 2; /* ELFDATA2MSB */
    expect_reject("not little-endian");
}

static void test_wrong_version(void)
{
    make_exec();
    b.buf[6] = 0;
    expect_reject("unknown ELF version");
    make_exec();
    put(EH_VERSION, 2, 4);
    expect_reject("unknown ELF version");
}

static void test_not_x86_64(void)
{
    make_exec();
    put(EH_MACHINE, 183, 2); /* EM_AARCH64 */
    expect_reject("not an x86-64 program");
}

static void test_not_executable(void)
{
    const uint16_t types[] = {0 /* ET_NONE */, 1 /* ET_REL */, 4 /* ET_CORE */, 0xfe00};
    for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        make_exec();
        put(EH_TYPE, types[i], 2);
        expect_reject("not an executable (ET_EXEC or ET_DYN)");
    }
}

static void test_bad_phentsize(void)
{
    make_exec();
    put(EH_PHENTSIZE, 64, 2);
    expect_reject("bad program header size");
}

static void test_phdrs_past_file(void)
{
    make_exec();
    put(EH_PHOFF, IMG_SIZE - PHSIZE, 8); /* two headers, room for one */
    expect_reject("program headers run past the end of the file");
    make_exec();
    put(EH_PHOFF, UINT64_MAX - PHSIZE + 1, 8); /* phoff + size wraps to 0 */
    expect_reject("program headers run past the end of the file");
    make_exec();
    put(EH_PHNUM, 100, 2);
    expect_reject("program headers run past the end of the file");
}

static void test_extended_phnum(void)
{
    make_exec();
    put(EH_PHNUM, 0xffff, 2);
    expect_reject("extended program header numbering");
}

/* ---- rejections: the program headers ---- */

static void test_no_load(void)
{
    make_exec();
    put(ph(0) + PH_TYPE, PT_NOTE, 4);
    put(ph(1) + PH_TYPE, PT_NOTE, 4);
    expect_reject("no PT_LOAD segment");
    make_exec();
    put(EH_PHNUM, 0, 2);
    expect_reject("no PT_LOAD segment");
}

static void test_too_many_loads(void)
{
    begin(ELF_TYPE_EXEC, TEXT_VADDR);
    for (unsigned i = 0; i < ELF_MAX_SEGMENTS + 1; i++)
        add_ph(PT_LOAD, i == 0 ? R | X : R, 0, TEXT_VADDR + i * 0x1000ull, 0x10, 0x10, 0x1000);
    expect_reject("too many PT_LOAD segments");
}

static void test_filesz_over_memsz(void)
{
    make_exec();
    put(ph(1) + PH_FILESZ, 0x1001, 8);
    expect_reject("segment file size exceeds memory size");
}

static void test_empty_segment(void)
{
    make_exec();
    put(ph(1) + PH_FILESZ, 0, 8);
    put(ph(1) + PH_MEMSZ, 0, 8);
    expect_reject("empty PT_LOAD segment");
}

static void test_segment_past_file(void)
{
    make_exec();
    put(ph(1) + PH_FILESZ, 0x21, 8);
    expect_reject("segment data runs past the end of the file");
    make_exec();
    put(ph(1) + PH_OFFSET, UINT64_MAX - 0xf, 8); /* offset + filesz wraps */
    expect_reject("segment data runs past the end of the file");
    make_exec();
    put(ph(1) + PH_OFFSET, IMG_SIZE + 1, 8);
    put(ph(1) + PH_FILESZ, 0, 8);
    expect_reject("segment data runs past the end of the file");
}

static void test_segment_outside_user_space(void)
{
    make_exec();
    put(ph(1) + PH_VADDR, UINT64_MAX - 0xdff, 8); /* vaddr + memsz wraps */
    expect_reject("segment outside user space");
    make_exec();
    put(ph(1) + PH_MEMSZ, UINT64_MAX - 0x100, 8); /* so does this */
    expect_reject("segment outside user space");
    make_exec();
    put(ph(1) + PH_VADDR, ELF_USER_TOP - 0xe00, 8);
    put(ph(1) + PH_MEMSZ, 0xe01, 8); /* one byte reaches ELF_USER_TOP */
    expect_reject("segment outside user space");
    make_exec();
    put(ph(1) + PH_VADDR, 0xffffffff80001200ull, 8); /* the kernel's half */
    expect_reject("segment outside user space");
    make_exec_at(ELF_TYPE_DYN, 0);
    put(ph(1) + PH_VADDR, ELF_USER_TOP - 0xe00, 8); /* ET_DYN: checked as if based at 0 */
    expect_reject("segment outside user space");
}

static void test_null_page(void)
{
    make_exec_at(ELF_TYPE_EXEC, 0);
    expect_reject("segment maps the null page");
    make_exec();
    put(ph(1) + PH_VADDR, 0x200, 8); /* data in page 0 */
    put(ph(1) + PH_MEMSZ, 0x20, 8);
    expect_reject("segment maps the null page");
}

static void test_alignment_not_power_of_two(void)
{
    make_exec();
    put(ph(1) + PH_ALIGN, 0x1800, 8);
    expect_reject("segment alignment not a power of two");
}

static void test_alignment_mismatch(void)
{
    make_exec();
    put(ph(1) + PH_VADDR, DATA_VADDR + 0x100, 8);
    expect_reject("segment address and offset disagree modulo alignment");
}

static void test_overlap(void)
{
    make_exec();
    put(ph(0) + PH_MEMSZ, 0x2000, 8); /* text now runs over the data's bytes */
    expect_reject("overlapping PT_LOAD segments");
    make_exec();
    put(ph(1) + PH_VADDR, TEXT_VADDR + 0x200, 8); /* adjacent bytes, but the same page */
    expect_reject("overlapping PT_LOAD segments");
}

static void test_write_and_execute(void)
{
    make_exec();
    put(ph(1) + PH_FLAGS, R | W | X, 4);
    expect_reject("W+X segment");
    make_exec();
    put(ph(0) + PH_FLAGS, W | X, 4);
    expect_reject("W+X segment");
}

static void test_entry_not_executable(void)
{
    make_exec();
    put(EH_ENTRY, DATA_VADDR, 8); /* in the data segment */
    expect_reject("entry point not in an executable segment");
    make_exec();
    put(EH_ENTRY, TEXT_VADDR + 0x200, 8); /* one past the end of text */
    expect_reject("entry point not in an executable segment");
    make_exec();
    put(EH_ENTRY, 0, 8);
    expect_reject("entry point not in an executable segment");
    make_exec();
    put(EH_ENTRY, TEXT_VADDR + 0x1ff, 8); /* the last byte of text is fine */
    expect_ok();
}

/* ---- rejections: PT_PHDR and PT_TLS ---- */

static void make_with_tls(uint64_t vaddr, uint64_t filesz, uint64_t memsz, uint64_t align)
{
    make_exec();
    put(ph(1) + PH_TYPE, PT_TLS, 4); /* the data segment's header becomes PT_TLS ... */
    put(ph(1) + PH_FLAGS, R, 4);
    put(ph(1) + PH_VADDR, vaddr, 8);
    put(ph(1) + PH_FILESZ, filesz, 8);
    put(ph(1) + PH_MEMSZ, memsz, 8);
    put(ph(1) + PH_ALIGN, align, 8);
    add_ph(PT_LOAD, R | W, 0x200, DATA_VADDR, 0x20, 0x1000, 0x1000); /* ... and data moves here */
}

static void test_tls(void)
{
    make_with_tls(DATA_VADDR, 0x20, 0x40, 16);
    expect_ok();
    CHECK(img.has_tls);
    CHECK_EQ(img.tls_memsz, 0x40);
    make_with_tls(DATA_VADDR, 0x21, 0x20, 16);
    expect_reject("PT_TLS file size exceeds memory size");
    make_with_tls(DATA_VADDR, 0x20, ELF_USER_TOP, 16);
    expect_reject("PT_TLS too large");
    make_with_tls(DATA_VADDR, 0x20, 0x40, 24);
    expect_reject("PT_TLS alignment not a power of two");
    make_with_tls(DATA_VADDR + 0xff0, 0x20, 0x40, 16); /* runs past the data segment */
    expect_reject("PT_TLS template outside the loaded segments");
    make_with_tls(DATA_VADDR, 0x20, 0x40, 16);
    add_ph(PT_TLS, R, 0x200, DATA_VADDR, 0x20, 0x40, 16);
    expect_reject("more than one PT_TLS segment");
}

static void test_pt_phdr(void)
{
    make_exec();
    add_ph(PT_PHDR, R, PHOFF, TEXT_VADDR + 0x1f0, 3 * PHSIZE, 3 * PHSIZE, 8);
    expect_reject("PT_PHDR outside the loaded segments"); /* runs past the text segment */
    make_exec();
    add_ph(PT_PHDR, R, PHOFF, TEXT_VADDR + PHOFF, 4 * PHSIZE, 4 * PHSIZE, 8);
    add_ph(PT_PHDR, R, PHOFF, TEXT_VADDR + PHOFF, 4 * PHSIZE, 4 * PHSIZE, 8);
    expect_reject("more than one PT_PHDR segment");
}

/* ---- robustness ---- */

static void test_truncation(void)
{
    struct elf_image out;
    const char *why;
    make_exec();
    for (size_t len = 0; len < b.size; len++) {
        why = NULL;
        CHECK_EQ(parse_bytes(b.buf, len, &out, &why), -EINVAL);
        CHECK(why != NULL);
    }
    CHECK_EQ(parse_bytes(b.buf, b.size, &out, &why), 0);
}

static bool in_exec_segment(const struct elf_image *im, uint64_t addr)
{
    for (unsigned i = 0; i < im->nsegments; i++) {
        const struct elf_segment *s = &im->seg[i];
        if ((s->flags & X) && addr >= s->vaddr && addr - s->vaddr < s->memsz)
            return true;
    }
    return false;
}

/* What every accepted image must satisfy, whatever the bytes were. */
static void check_consistent(const struct elf_image *im, size_t size)
{
    CHECK(im->type == ELF_TYPE_EXEC || im->type == ELF_TYPE_DYN);
    CHECK(im->nsegments >= 1 && im->nsegments <= ELF_MAX_SEGMENTS);
    CHECK(in_exec_segment(im, im->entry));
    CHECK(im->lowest % 4096 == 0 && im->highest % 4096 == 0);
    CHECK(im->lowest < im->highest && im->highest <= ELF_USER_TOP);
    for (unsigned i = 0; i < im->nsegments && i < ELF_MAX_SEGMENTS; i++) {
        const struct elf_segment *s = &im->seg[i];
        CHECK(s->filesz <= s->memsz && s->memsz > 0);
        CHECK(s->vaddr < ELF_USER_TOP && s->memsz <= ELF_USER_TOP - s->vaddr);
        CHECK(s->vaddr >= im->lowest && s->vaddr + s->memsz <= im->highest);
        CHECK(s->offset <= size && s->filesz <= size - s->offset);
        CHECK(!((s->flags & W) && (s->flags & X)));
        CHECK((s->flags & ~(uint32_t)(R | W | X)) == 0);
        if (im->type == ELF_TYPE_EXEC)
            CHECK(s->vaddr >= 4096);
        for (unsigned j = 0; j < i; j++) {
            const struct elf_segment *t = &im->seg[j];
            CHECK(s->vaddr + s->memsz <= t->vaddr || t->vaddr + t->memsz <= s->vaddr);
        }
    }
    if (im->has_tls)
        CHECK(im->tls_filesz <= im->tls_memsz);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void) /* xorshift64 */
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Damage a random valid image: mostly in the headers, where the parser looks. */
static size_t mutate(uint8_t *buf, size_t size)
{
    unsigned flips = 1 + (unsigned)(rng() % 4);
    for (unsigned i = 0; i < flips; i++) {
        size_t span = (rng() % 4 != 0) ? ph(b.phnum) : size;
        size_t pos = (size_t)(rng() % span);
        if (rng() % 2)
            buf[pos] ^= (uint8_t)(1u << (rng() % 8));
        else
            buf[pos] = (uint8_t)rng();
    }
    if (rng() % 16 == 0)
        size = (size_t)(rng() % (size + 1));
    return size;
}

static void test_fuzz(void)
{
    int failed_before = unit_failed_checks;
    unsigned accepted = 0;
    for (int round = 0; round < 100000 && unit_failed_checks == failed_before; round++) {
        switch (round % 3) {
        case 0:
            make_exec();
            break;
        case 1:
            make_exec_at(ELF_TYPE_DYN, 0);
            break;
        default:
            make_with_tls(DATA_VADDR, 0x20, 0x40, 16);
            break;
        }
        size_t size = mutate(b.buf, b.size);
        struct elf_image out;
        const char *why = NULL;
        int r = parse_bytes(b.buf, size, &out, &why);
        CHECK(r == 0 || r == -EINVAL);
        if (r == 0) {
            check_consistent(&out, size);
            accepted++;
        } else {
            CHECK(why != NULL);
        }
    }
    CHECK(accepted > 0); /* some damage is harmless, e.g. inside segment data */
}

int main(void)
{
    unit_run("elf", "valid_exec", test_valid_exec);
    unit_run("elf", "valid_dyn", test_valid_dyn);
    unit_run("elf", "valid_optional_headers", test_valid_optional_headers);
    unit_run("elf", "phdrs_not_loaded", test_phdrs_not_loaded);
    unit_run("elf", "sixteen_segments", test_sixteen_segments);
    unit_run("elf", "no_alignment", test_no_alignment);
    unit_run("elf", "segment_ending_at_user_top", test_segment_ending_at_user_top);
    unit_run("elf", "why_may_be_null", test_why_may_be_null);
    unit_run("elf", "too_small", test_too_small);
    unit_run("elf", "bad_magic", test_bad_magic);
    unit_run("elf", "not_64_bit", test_not_64_bit);
    unit_run("elf", "not_little_endian", test_not_little_endian);
    unit_run("elf", "wrong_version", test_wrong_version);
    unit_run("elf", "not_x86_64", test_not_x86_64);
    unit_run("elf", "not_executable", test_not_executable);
    unit_run("elf", "bad_phentsize", test_bad_phentsize);
    unit_run("elf", "phdrs_past_file", test_phdrs_past_file);
    unit_run("elf", "extended_phnum", test_extended_phnum);
    unit_run("elf", "no_load", test_no_load);
    unit_run("elf", "too_many_loads", test_too_many_loads);
    unit_run("elf", "filesz_over_memsz", test_filesz_over_memsz);
    unit_run("elf", "empty_segment", test_empty_segment);
    unit_run("elf", "segment_past_file", test_segment_past_file);
    unit_run("elf", "segment_outside_user_space", test_segment_outside_user_space);
    unit_run("elf", "null_page", test_null_page);
    unit_run("elf", "alignment_not_power_of_two", test_alignment_not_power_of_two);
    unit_run("elf", "alignment_mismatch", test_alignment_mismatch);
    unit_run("elf", "overlap", test_overlap);
    unit_run("elf", "write_and_execute", test_write_and_execute);
    unit_run("elf", "entry_not_executable", test_entry_not_executable);
    unit_run("elf", "tls", test_tls);
    unit_run("elf", "pt_phdr", test_pt_phdr);
    unit_run("elf", "truncation", test_truncation);
    unit_run("elf", "fuzz", test_fuzz);
    return unit_exit_code();
}
