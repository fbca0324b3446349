/*
 * boot_info.c - the parts of reading boot information that both boot
 * protocols share: firmware (e820) memory types and test-only fault injection.
 */
#include <mica/bootinfo.h>
#include <mica/cmdline.h>
#include <arch/boot.h>

struct boot_info boot_info;

static uint32_t e820_to_memmap_type(uint32_t e820_type)
{
    switch (e820_type) {
    case 1:
        return MEM_USABLE;
    case 3:
        return MEM_ACPI_RECLAIM;
    case 4:
        return MEM_ACPI_NVS;
    case 5:
        return MEM_BAD;
    default:
        return MEM_RESERVED;
    }
}

const char *boot_add_memory(struct boot_info *bi, uint64_t base, uint64_t len, uint32_t e820_type)
{
    const char *why = 0;
    if (memmap_add(&bi->memmap, base, len, e820_to_memmap_type(e820_type), &why) < 0)
        return why;
    return 0;
}

int boot_inject(const struct boot_info *bi, const char *what)
{
    return cmdline_has_value(bi->cmdline, "mica.inject", what);
}
