/*
 * bootinfo.h - what the boot loader told the kernel, in one form whatever
 * the boot protocol (Multiboot2 from GRUB, or PVH from QEMU's -kernel).
 */
#ifndef MICA_BOOTINFO_H
#define MICA_BOOTINFO_H

#include <stdint.h>
#include <stdbool.h>
#include <mica/memmap.h>

#define BOOT_CMDLINE_MAX 512
#define BOOT_MAX_MODULES 16

struct boot_module {
    uint64_t start, end; /* physical, end exclusive */
    char name[64];
};

struct boot_framebuffer {
    bool present;
    uint64_t addr;
    uint32_t pitch, width, height;
    uint8_t bpp;
};

struct boot_info {
    const char *protocol; /* "multiboot2" or "pvh" */
    char cmdline[BOOT_CMDLINE_MAX];
    struct memmap memmap; /* as the firmware reported it, sanitized */
    uint64_t rsdp_phys;   /* 0 if the loader did not say */
    unsigned nmodules;
    struct boot_module modules[BOOT_MAX_MODULES];
    struct boot_framebuffer fb;
};

extern struct boot_info boot_info;

#endif
