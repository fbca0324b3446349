/*
 * bochs_vga.h - setting a graphics mode on QEMU's standard VGA (PCI
 * 1234:1111) through the Bochs VBE "dispi" registers (concepts: a device's
 * mode registers, memory-mapped I/O; where a framebuffer comes from when no
 * boot loader set one up).  drivers/fbcon/bochs_vga.c.
 *
 * The device has two memory BARs (QEMU's docs/specs/standard-vga.rst):
 *   BAR0  the video memory (16 MiB by default), the linear framebuffer;
 *   BAR2  4 KiB of registers: at 0x400-0x41f the legacy VGA I/O ports
 *         0x3c0-0x3df, at 0x500 the dispi registers, 16 bits each, register
 *         i at 0x500 + 2 * i (no index/data port pair as with port I/O).
 * A mode is set by switching the display off (ENABLE = 0), writing the
 * resolution and depth, and switching it on with the linear framebuffer;
 * the device then tells the line length in pixels (VIRT_WIDTH).
 *
 * Pure code on the mapped BARs: the host unit tests run it on ordinary
 * memory posing as the registers (tests/host/test_bochs_vga.c).
 */
#ifndef FBCON_BOCHS_VGA_H
#define FBCON_BOCHS_VGA_H

#include <stdint.h>
#include "render.h"

#define BOCHS_VGA_VENDOR 0x1234
#define BOCHS_VGA_DEVICE 0x1111

/* BAR2's layout. */
#define BOCHS_VGA_PORTS    0x400 /* VGA port 0x3c0 + k is at 0x400 + k */
#define BOCHS_VGA_DISPI    0x500 /* dispi register i is at 0x500 + 2 * i */
#define BOCHS_VGA_REGS_MIN 0x600 /* BAR2 must hold at least both blocks */

/* The dispi registers (indices) and their values, from the Bochs VBE interface. */
enum {
    DISPI_ID = 0,
    DISPI_XRES = 1,
    DISPI_YRES = 2,
    DISPI_BPP = 3,
    DISPI_ENABLE = 4,
    DISPI_BANK = 5,
    DISPI_VIRT_WIDTH = 6,
    DISPI_VIRT_HEIGHT = 7,
    DISPI_X_OFFSET = 8,
    DISPI_Y_OFFSET = 9,
};
#define DISPI_ID_MIN                                                                               \
    0xb0c2 /* the first version with 32 bits per pixel and a linear framebuffer                    \
            */
#define DISPI_ID_MAX      0xb0c5 /* the newest version (QEMU's) */
#define DISPI_ENABLED     0x01
#define DISPI_LFB_ENABLED 0x40 /* the linear framebuffer in BAR0, not 64 KiB banks */
#define DISPI_NOCLEARMEM  0x80 /* keep the video memory's contents when enabling */

/* The VGA registers the driver touches, as port numbers (their place in BAR2 follows). */
#define VGA_ATTR_INDEX   0x3c0 /* attribute controller: index and data, alternately */
#define VGA_INPUT_STATUS 0x3da /* reading it sets the attribute flip-flop to "index" */
#define VGA_ATTR_PAS     0x20  /* palette address source: the display shows the picture */

struct bochs_vga {
    volatile uint8_t *vram; /* BAR0, mapped */
    uint64_t vram_size;
    volatile uint8_t *regs; /* BAR2, mapped */
    uint64_t regs_size;
};

/*
 * Are these BARs the standard VGA's?  Sizes as mica_vmo_size() told them
 * (negative: no such handle, or not device memory).  0, or -1 with *why.
 */
int bochs_vga_check_bars(int64_t vram_size, int64_t regs_size, const char **why);

/* The dispi version (DISPI_ID); the device is usable if it is DISPI_ID_MIN..MAX. */
uint16_t bochs_vga_id(const struct bochs_vga *v);

/*
 * Set width x height at 32 bits per pixel with the linear framebuffer,
 * unblank the screen and describe the framebuffer in *fb (the first pixel
 * at the start of BAR0).  0, or -1 with *why: not a dispi device, a mode
 * the device did not take, or a framebuffer larger than the video memory.
 */
int bochs_vga_set_mode(const struct bochs_vga *v, uint32_t width, uint32_t height,
                       struct framebuffer *fb, const char **why);

#endif
