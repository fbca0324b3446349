/*
 * manifest.h - the boot manifest: which servers the supervisor starts, in
 * which order, with which handles (servers/init/manifest.c).
 *
 * The manifest is a text file, etc/manifest in the initial ramdisk.  Each
 * non-empty line that does not start with '#' describes one server:
 *
 *     server NAME IMAGE [OPTION ...]
 *
 * IMAGE is the path of its ELF image inside the ramdisk.  Options:
 *
 *     provides=EP      the supervisor makes endpoint EP; the server gets a
 *                      handle "EP" to receive on (and keeps it when restarted:
 *                      clients' handles stay valid across restarts)
 *     uses=EP          a send-only handle "EP" to an endpoint an earlier
 *                      server provides
 *     ioports=BASE:N   I/O ports BASE .. BASE+N-1 are opened for it; up to
 *                      MANIFEST_PORT_RANGES of these, which must not overlap
 *                      (the keyboard gets 0x60 and 0x64, not 0x61..0x63)
 *     irq=LINE         interrupt line LINE, bound to a notification:
 *                      handles "irq" (to acknowledge) and "irq_note" (to wait)
 *     phys=BASE:SIZE   device memory it may map: handle "phys"
 *     framebuffer      the framebuffer the boot loader set up, if there is
 *                      one (struct mica_platform): device memory it may map,
 *                      handle "fb"
 *     initrd           the initial ramdisk (the boot module) as a read-only
 *                      VM object it may map: handle "initrd" (the posix
 *                      server finds Linux programs in it)
 *     restart=N        restarts allowed before the supervisor gives up (default 5)
 *     args=TEXT        a word for the server (no spaces)
 *     admin            it may restart servers through the supervisor service
 *     devices          it is the device manager: it gets all device memory
 *                      ("phys_all"), all I/O ports ("ioports_all") and the
 *                      IRQ control ("irq_control"); its first provides= is
 *                      the endpoint the supervisor claims devices through
 *     device=VVVV:DDDD[/N]  the N-th (default 0th) PCI function with these
 *                      hexadecimal vendor and device ids: the supervisor
 *                      claims it from the device manager and gives the
 *                      server its handles ("cfg", "bar0".., "irq0".., "dma";
 *                      docs/drivers.md); needs a `devices` server above.
 *                      Without such a function the server is not started
 *                      ("no such device") - unless the ids end in '?'
 *                      (device=1234:1111?): then it starts without device
 *                      handles, for a driver that can do without
 *     dma=SIZE         bytes of DMA memory with device= (default 256 KiB)
 *
 * Numbers are decimal or 0x-hexadecimal.  A line that cannot be understood
 * makes the whole manifest invalid, with the line number and the reason.
 */
#ifndef INIT_MANIFEST_H
#define INIT_MANIFEST_H

#include <stdbool.h>
#include <stdint.h>

#define MANIFEST_SERVERS     32
#define MANIFEST_NAME_MAX    24
#define MANIFEST_PATH_MAX    64
#define MANIFEST_ARGS_MAX    200
#define MANIFEST_EPS         8 /* provides= or uses= per server */
#define MANIFEST_IRQS        2
#define MANIFEST_PORT_RANGES 4 /* ioports= per server */

struct manifest_ports {
    uint32_t base, count;
};

struct manifest_server {
    char name[MANIFEST_NAME_MAX];
    char image[MANIFEST_PATH_MAX];
    char args[MANIFEST_ARGS_MAX];
    char provides[MANIFEST_EPS][MANIFEST_NAME_MAX];
    unsigned nprovides;
    char uses[MANIFEST_EPS][MANIFEST_NAME_MAX];
    unsigned nuses;
    uint32_t irq[MANIFEST_IRQS];
    unsigned nirqs;
    struct manifest_ports ports[MANIFEST_PORT_RANGES];
    unsigned nports;
    uint64_t phys_base, phys_size; /* size 0: none */
    unsigned restart_limit;
    bool may_restart;     /* admin */
    bool framebuffer;     /* gets the boot loader's framebuffer */
    bool initrd;          /* gets the initial ramdisk, read-only */
    bool devices;         /* the device manager */
    bool has_device;      /* device= */
    bool device_optional; /* device=...?: start without it if it is not there */
    uint16_t vendor, device;
    uint32_t device_index;
    uint64_t dma_size;
};

struct manifest {
    struct manifest_server server[MANIFEST_SERVERS];
    unsigned count;
};

/* Parse len bytes of text.  0, or -1 with *line and *why saying what is wrong. */
int manifest_parse(const char *text, uint64_t len, struct manifest *m, unsigned *line,
                   const char **why);

#endif
