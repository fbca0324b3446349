/*
 * arch/boot.h - the boot protocols that bring Mica up on a PC, and the
 * early state that boot.S leaves behind.
 */
#ifndef ARCH_BOOT_H
#define ARCH_BOOT_H

#include <stdint.h>
#include <mica/bootinfo.h>

#define BOOT_PROTO_MB2 1
#define BOOT_PROTO_PVH 2

extern uint32_t boot_proto;
extern uint32_t boot_info_phys;
extern uint64_t boot_tsc;

/* Fill boot_info from the loader's structures; NULL or a one-line reason. */
const char *boot_parse_pvh(uint64_t start_info_phys, struct boot_info *bi);
const char *boot_parse_mb2(uint64_t mbi_phys, struct boot_info *bi);

/* Shared by both parsers: add one firmware memory-map entry (e820 type). */
const char *boot_add_memory(struct boot_info *bi, uint64_t base, uint64_t len, uint32_t e820_type);

/* Test-only fault injection (boot option mica.inject=...). */
int boot_inject(const struct boot_info *bi, const char *what);

#endif
