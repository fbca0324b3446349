/*
 * arch/platform.h - what the kernel learned about the PC from its firmware.
 */
#ifndef ARCH_PLATFORM_H
#define ARCH_PLATFORM_H

#include <mica/acpi.h>
#include <mica/bootinfo.h>
#include <abi/mica/syscall.h>

extern struct acpi_info platform_acpi;

/* Find and parse the ACPI tables; panics with a one-line reason if Mica cannot run without them. */
void platform_acpi_init(const struct boot_info *bi);

/* What servers may learn about the machine: the PCI Express window, the framebuffer. */
void platform_facts(struct mica_platform *out);

#endif
