/*
 * arch/platform.h - what the kernel learned about the PC from its firmware.
 */
#ifndef ARCH_PLATFORM_H
#define ARCH_PLATFORM_H

#include <mica/acpi.h>
#include <mica/bootinfo.h>

extern struct acpi_info platform_acpi;

/* Find and parse the ACPI tables; panics with a one-line reason if Mica cannot run without them. */
void platform_acpi_init(const struct boot_info *bi);

#endif
