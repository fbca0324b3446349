/*
 * boot_pvh.c - reading QEMU's PVH boot information (the x86/HVM direct boot
 * ABI used by `qemu -kernel` for ELF kernels with a PVH note).
 *
 * EBX at pvh_entry points to an hvm_start_info block: magic, the command
 * line, a list of modules (QEMU's -initrd), the ACPI RSDP and, from version
 * 1 on, the e820 memory map.  Layouts as in Xen's public start_info.h.
 */
#include <stdint.h>
#include <mica/bootinfo.h>
#include <mica/string.h>
#include <arch/boot.h>
#include <arch/layout.h>

#define HVM_START_MAGIC 0x336ec578

struct hvm_start_info {
    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    uint64_t memmap_paddr;   /* version >= 1 */
    uint32_t memmap_entries; /* version >= 1 */
    uint32_t reserved;
};

struct hvm_modlist_entry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};

struct hvm_memmap_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
    uint32_t reserved;
};

static void copy_string(char *dst, uint64_t src_phys, size_t max)
{
    dst[0] = 0;
    if (!src_phys)
        return;
    const char *src = phys_to_virt(src_phys);
    size_t n = strnlen(src, max - 1);
    memcpy(dst, src, n);
    dst[n] = 0;
}

static void read_modules(const struct hvm_start_info *si, struct boot_info *bi)
{
    const struct hvm_modlist_entry *mods = phys_to_virt(si->modlist_paddr);
    for (uint32_t i = 0; i < si->nr_modules && bi->nmodules < BOOT_MAX_MODULES; i++) {
        struct boot_module *m = &bi->modules[bi->nmodules++];
        m->start = mods[i].paddr;
        m->end = mods[i].paddr + mods[i].size;
        copy_string(m->name, mods[i].cmdline_paddr, sizeof m->name);
    }
}

static const char *read_memmap(struct hvm_start_info *si, struct boot_info *bi)
{
    if (si->version < 1 || !si->memmap_paddr || boot_inject(bi, "memmap-missing"))
        return "the boot loader gave no memory map";
    struct hvm_memmap_entry *e = phys_to_virt(si->memmap_paddr);
    if (boot_inject(bi, "memmap-corrupt") && si->memmap_entries > 1)
        e[1].size = ~e[1].addr + 0x2000; /* makes entry 1 run past 2^64 */
    for (uint32_t i = 0; i < si->memmap_entries; i++) {
        const char *why = boot_add_memory(bi, e[i].addr, e[i].size, e[i].type);
        if (why)
            return why;
    }
    return 0;
}

const char *boot_parse_pvh(uint64_t start_info_phys, struct boot_info *bi)
{
    struct hvm_start_info *si = phys_to_virt(start_info_phys);
    if (si->magic != HVM_START_MAGIC)
        return "PVH start info has a bad magic number";
    bi->protocol = "pvh";
    copy_string(bi->cmdline, si->cmdline_paddr, sizeof bi->cmdline);
    bi->rsdp_phys = si->rsdp_paddr;
    read_modules(si, bi);
    return read_memmap(si, bi);
}
