/*
 * boot_mb2.c - reading Multiboot2 boot information (GRUB, on BIOS and UEFI).
 *
 * The information is a list of tags, each 8-byte aligned: the command line,
 * modules, the memory map, the framebuffer, and a copy of the ACPI RSDP
 * (which on UEFI machines is nowhere else to be found).  Tag numbers and
 * layouts as in the Multiboot2 specification.
 */
#include <stdint.h>
#include <mica/bootinfo.h>
#include <mica/string.h>
#include <arch/boot.h>
#include <arch/layout.h>

#define MB2_TAG_END         0
#define MB2_TAG_CMDLINE     1
#define MB2_TAG_MODULE      3
#define MB2_TAG_MMAP        6
#define MB2_TAG_FRAMEBUFFER 8
#define MB2_TAG_ACPI_OLD    14
#define MB2_TAG_ACPI_NEW    15

#define MB2_INFO_MAX (1u << 20) /* a sanity bound on the whole information block */

struct mb2_tag {
    uint32_t type;
    uint32_t size;
};

struct mb2_mmap_entry {
    uint64_t base;
    uint64_t length;
    uint32_t type;
    uint32_t reserved;
};

/* The RSDP copy lives here, inside the kernel image, so it has a physical address. */
static uint8_t rsdp_copy[64] __attribute__((aligned(16)));

static void copy_string(char *dst, const char *src, size_t srcmax, size_t max)
{
    size_t n = strnlen(src, srcmax);
    if (n > max - 1)
        n = max - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

static void read_module(const uint8_t *tag, uint32_t size, struct boot_info *bi)
{
    if (size < 16 || bi->nmodules >= BOOT_MAX_MODULES)
        return;
    struct boot_module *m = &bi->modules[bi->nmodules++];
    uint32_t start, end;
    memcpy(&start, tag + 8, 4);
    memcpy(&end, tag + 12, 4);
    m->start = start;
    m->end = end;
    copy_string(m->name, (const char *)tag + 16, size - 16, sizeof m->name);
}

static const char *read_mmap(uint8_t *tag, uint32_t size, struct boot_info *bi)
{
    uint32_t entry_size;
    memcpy(&entry_size, tag + 8, 4);
    if (entry_size < sizeof(struct mb2_mmap_entry) || size < 16)
        return "the Multiboot2 memory map has a bad entry size";
    uint32_t count = (size - 16) / entry_size;
    if (boot_inject(bi, "memmap-corrupt") && count > 1) {
        struct mb2_mmap_entry *e1 = (struct mb2_mmap_entry *)(tag + 16 + entry_size);
        e1->length = ~e1->base + 0x2000; /* makes entry 1 run past 2^64 */
    }
    for (uint32_t i = 0; i < count; i++) {
        struct mb2_mmap_entry e;
        memcpy(&e, tag + 16 + (uint64_t)i * entry_size, sizeof e);
        const char *why = boot_add_memory(bi, e.base, e.length, e.type);
        if (why)
            return why;
    }
    return 0;
}

static void read_framebuffer(const uint8_t *tag, uint32_t size, struct boot_info *bi)
{
    if (size < 31)
        return;
    memcpy(&bi->fb.addr, tag + 8, 8);
    memcpy(&bi->fb.pitch, tag + 16, 4);
    memcpy(&bi->fb.width, tag + 20, 4);
    memcpy(&bi->fb.height, tag + 24, 4);
    bi->fb.bpp = tag[28];
    bi->fb.present = true;
}

static void read_rsdp(const uint8_t *tag, uint32_t size, struct boot_info *bi)
{
    uint32_t n = size - 8;
    if (size <= 8)
        return;
    if (n > sizeof rsdp_copy)
        n = sizeof rsdp_copy;
    memcpy(rsdp_copy, tag + 8, n);
    bi->rsdp_phys = virt_to_phys(rsdp_copy);
}

/* The command line first: fault injection for the memory map depends on it. */
static void find_cmdline(uint8_t *p, uint8_t *end, struct boot_info *bi)
{
    while (p + 8 <= end) {
        struct mb2_tag t;
        memcpy(&t, p, sizeof t);
        if (t.type == MB2_TAG_END || t.size < 8)
            return;
        if (t.type == MB2_TAG_CMDLINE)
            copy_string(bi->cmdline, (const char *)p + 8, t.size - 8, sizeof bi->cmdline);
        p += (t.size + 7) & ~7u;
    }
}

const char *boot_parse_mb2(uint64_t mbi_phys, struct boot_info *bi)
{
    uint8_t *info = phys_to_virt(mbi_phys);
    uint32_t total;
    memcpy(&total, info, 4);
    if (total < 16 || total > MB2_INFO_MAX)
        return "the Multiboot2 information block has a bad size";
    bi->protocol = "multiboot2";
    uint8_t *end = info + total;
    find_cmdline(info + 8, end, bi);
    bool have_mmap = false;
    for (uint8_t *p = info + 8; p + 8 <= end;) {
        struct mb2_tag t;
        memcpy(&t, p, sizeof t);
        if (t.type == MB2_TAG_END)
            break;
        if (t.size < 8 || p + t.size > end)
            return "the Multiboot2 information has a malformed tag";
        if (t.type == MB2_TAG_MODULE)
            read_module(p, t.size, bi);
        else if (t.type == MB2_TAG_MMAP && !boot_inject(bi, "memmap-missing")) {
            const char *why = read_mmap(p, t.size, bi);
            if (why)
                return why;
            have_mmap = true;
        } else if (t.type == MB2_TAG_FRAMEBUFFER)
            read_framebuffer(p, t.size, bi);
        else if (t.type == MB2_TAG_ACPI_NEW || (t.type == MB2_TAG_ACPI_OLD && !bi->rsdp_phys))
            read_rsdp(p, t.size, bi);
        p += (t.size + 7) & ~7u;
    }
    if (!have_mmap)
        return "the boot loader gave no memory map";
    return 0;
}
