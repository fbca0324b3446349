/*
 * kernel.h - the generic kernel's entry, called once the architecture has
 * brought the machine up.
 */
#ifndef MICA_KERNEL_H
#define MICA_KERNEL_H

#include <stdint.h>

/* usable_bytes: RAM the firmware reported as usable. */
_Noreturn void kernel_main(uint64_t usable_bytes);

#endif
