/*
 * i8042.h - the PC's keyboard controller, the Intel 8042 and its successors
 * (concept: a device controller between the CPU and a device).
 * drivers/ps2kbd/i8042.c.
 *
 * The controller has two I/O ports: 0x60 (data: bytes from and to the
 * keyboard, and a command's argument or answer) and 0x64 (reading: the
 * status register; writing: a command to the controller itself).  Every
 * byte waits in a one-byte buffer - the status register says whether the
 * output buffer is full (a byte for us) and whether the input buffer is
 * still full (the controller has not taken our last byte yet) - so every
 * transfer polls the status first, with a time limit.
 */
#ifndef PS2KBD_I8042_H
#define PS2KBD_I8042_H

#include <stdint.h>

#define I8042_DATA          0x60
#define I8042_STATUS        0x64 /* read */
#define I8042_COMMAND       0x64 /* write */
#define I8042_STATUS_OUTPUT 0x01 /* a byte waits in the output buffer (port 0x60) */
#define I8042_STATUS_INPUT  0x02 /* the controller has not taken our last byte yet */
#define I8042_STATUS_AUX    0x20 /* the waiting byte came from port 2 (the mouse) */

/*
 * Bring the controller and the keyboard into a known state: both ports
 * disabled, buffers emptied, the controller's self-test, then port 1 enabled
 * with scan-code translation (so set 1 arrives) and its interrupt (IRQ 1)
 * on, port 2 off, and the keyboard reset and scanning.
 * 0, or -1 with *why saying which step failed.
 */
int i8042_init(const char **why);

#endif
