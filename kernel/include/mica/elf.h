/*
 * elf.h - the ELF64 program-image parser (kernel/core/elf.c) (concepts:
 * program loading, executable formats, process creation).
 *
 * The kernel starts its first user program, the root task, from a boot
 * module that holds an ELF64 executable.  elf_parse() checks that the image
 * is a well-formed x86-64 program that is safe to load and describes what
 * must be mapped where; it never loads anything itself.  The loader then
 * maps each segment: memsz bytes at vaddr, the first filesz of them copied
 * from the file at offset and the rest zero-filled, with the given access.
 *
 * Rules the parser enforces beyond the ELF specification:
 *   - W^X: no segment is both writable and executable;
 *   - no two PT_LOAD segments touch the same 4 KiB page, so every page
 *     gets exactly one set of access rights;
 *   - the null page stays unmapped (ET_EXEC segments start at 4096 or
 *     higher) and everything lies below ELF_USER_TOP;
 *   - the entry point lies inside an executable segment;
 *   - PT_LOAD segments are not empty (memsz > 0).
 *
 * For ET_DYN images (static position-independent executables) every address
 * in struct elf_image, including entry, is relative to a load base chosen
 * later; the image is validated as if loaded at base 0.
 */
#ifndef MICA_ELF_H
#define MICA_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 16
#define ELF_USER_TOP     0x0000800000000000ull /* user addresses must lie below */

/* Access rights of a segment (the same bits as the ELF p_flags PF_R/PF_W/PF_X). */
#define ELF_SEG_R 4
#define ELF_SEG_W 2
#define ELF_SEG_X 1

/* The ELF file types elf_parse accepts (e_type). */
#define ELF_TYPE_EXEC 2 /* ET_EXEC: fixed addresses */
#define ELF_TYPE_DYN  3 /* ET_DYN: position independent, addresses relative to a base */

/* One PT_LOAD segment: memsz bytes at vaddr, the first filesz from the file at offset. */
struct elf_segment {
    uint64_t vaddr, memsz, offset, filesz;
    uint32_t flags; /* ELF_SEG_* */
};

struct elf_image {
    uint64_t entry;
    uint16_t type; /* 2 = ET_EXEC, 3 = ET_DYN */
    unsigned nsegments;
    struct elf_segment seg[ELF_MAX_SEGMENTS]; /* in program-header order */
    /* address of the program headers in memory if a PT_PHDR or a PT_LOAD covers them, else 0 */
    uint64_t phdr_vaddr;
    uint16_t phnum, phentsize;
    bool has_interp; /* PT_INTERP present: the program wants a dynamic linker */
    bool has_tls;    /* PT_TLS present: the tls_ fields describe the TLS template */
    uint64_t tls_vaddr, tls_filesz, tls_memsz, tls_align;
    uint64_t lowest, highest; /* page-rounded span of all PT_LOAD: [lowest, highest) */
};

/*
 * Parse and validate the ELF64 image of size bytes at image, which may be
 * unaligned and is never read outside [image, image + size).  Returns 0 and
 * fills *out, or returns -EINVAL, clears *out and sets *why (if why is not
 * NULL) to a short static string saying what is wrong.
 */
int elf_parse(const void *image, size_t size, struct elf_image *out, const char **why);

#endif
