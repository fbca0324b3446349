/*
 * cmdline.h - the kernel command line (kernel/core/cmdline.c).
 *
 * The boot loader hands the kernel a string of options separated by spaces,
 * in the Linux style: "loglevel=4 mica.selftest mica.inject=acpi-hpet-checksum,ap-no-sipi".
 * Each option is a key alone (a flag) or key=value.  Keys are matched as
 * whole words: "mica.testx" is not "mica.test".  If a key appears more than
 * once, cmdline_get and cmdline_get_u64 use the last occurrence (a later
 * option overrides an earlier one); cmdline_has_value looks at them all.
 * A NULL command line is treated as empty.  Values cannot contain spaces.
 */
#ifndef MICA_CMDLINE_H
#define MICA_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Is key present, with or without a value? */
bool cmdline_has(const char *cmdline, const char *key);

/*
 * Copy key's value (the text after '=') into val as a NUL-terminated string.
 * Returns false, with val set to "" when valsize > 0, if the key is absent,
 * has no '=', or its value does not fit in valsize bytes.
 */
bool cmdline_get(const char *cmdline, const char *key, char *val, size_t valsize);

/* Read key's value as a decimal or 0x-prefixed hex number; false if absent or malformed. */
bool cmdline_get_u64(const char *cmdline, const char *key, uint64_t *val);

/* Is key=value present, or is value one item of a comma-separated list key=a,value,b? */
bool cmdline_has_value(const char *cmdline, const char *key, const char *value);

#endif
