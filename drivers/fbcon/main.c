/*
 * main.c - the framebuffer console (concepts: memory-mapped I/O, a
 * framebuffer, a terminal; a driver that is a client of another driver).
 *
 * It serves idl/console.idl - the same interface as the serial console -
 * on a PC's screen: `write` draws the text into a character grid
 * (term.c: control characters, a few ANSI escape sequences, scrolling) and
 * redraws the changed rows into the framebuffer (render.c, with the font
 * tools/psf2c.py generated from a Debian console font); `read` forwards to
 * the keyboard service (idl/kbd.idl, the handle "kbd" from uses=kbd).
 *
 * The framebuffer comes from one of two places:
 *   - the boot loader's (GRUB's Multiboot2 framebuffer tag, UEFI's GOP):
 *     the manifest option `framebuffer` makes the supervisor give the
 *     driver a phys handle "fb" for exactly that memory, and st->platform
 *     says its address, size, pitch and depth.  The driver maps it
 *     write-combining (MICA_CACHE_WC): the CPU collects the stores to
 *     consecutive pixels into bursts instead of one bus transaction each.
 *   - otherwise QEMU's standard VGA (PCI 1234:1111, `device=1234:1111?` in
 *     the manifest: "bar0" and "bar2"), on which bochs_vga.c sets a mode
 *     itself - what a direct boot (QEMU -kernel) needs, as it hands over
 *     no framebuffer.  The boot loader's wins: under GRUB in QEMU it is the
 *     same device, already in the mode the firmware chose.
 *
 * Two threads serve the endpoint, so that a client waiting in `read` for a
 * key does not hold up other clients' output; a mutex keeps the grid and
 * the screen consistent between them.
 */
#include <mica.h>
#include <mutex.h>
#include <runtime.h>
#include <server.h>
#include <thread.h>
#include "bochs_vga.h"
#include "console_server.h"
#include "font.h"
#include "kbd_client.h"
#include "render.h"
#include "term.h"

static struct {
    mica_handle_t ep, kbd;
    struct framebuffer fb;
    struct term term;
    mica_mutex_t lock;
    char source[128]; /* where the framebuffer came from, for the start-up line */
} con = {.lock = MICA_MUTEX_INIT};

/* The mode set on QEMU's standard VGA when the boot loader set up no framebuffer. */
#define VGA_WIDTH  1024
#define VGA_HEIGHT 768

static int con_write(void *ctx, const struct console_write_in *in, struct console_write_out *out)
{
    (void)ctx;
    mica_mutex_lock(&con.lock);
    term_write(&con.term, in->data, in->data_len);
    render_dirty(&con.fb, &fbcon_font, &con.term);
    mica_mutex_unlock(&con.lock);
    out->written = in->data_len;
    return 0;
}

static int con_read(void *ctx, const struct console_read_in *in, struct console_read_out *out)
{
    struct mica_ipc_buffer *ipc = ctx;
    if (in->max == 0 || in->max > CONSOLE_CHUNK)
        return -MICA_EINVAL;
    if (!con.kbd)
        return -MICA_EIO; /* no keyboard: a console for output only */
    uint32_t max = in->max < KBD_CHUNK ? in->max : KBD_CHUNK;
    int err = kbd_read(con.kbd, ipc, max, in->wait, out->data, &out->data_len);
    if (err == -MICA_EAGAIN)
        return err;
    return err < 0 ? -MICA_EIO : 0;
}

static const struct console_server ops = {.write = con_write, .read = con_read};

/* One serving thread: receive, dispatch, reply, for ever. */
static void *serve(void *arg)
{
    (void)arg;
    struct mica_ipc_buffer *ipc = mica_thread_ipc_buffer();
    struct mica_msg msg;
    if (!ipc || mica_recv(con.ep, &msg) < 0)
        return 0;
    for (;;) {
        console_dispatch(&ops, ipc, &msg, ipc);
        if (mica_reply_recv(con.ep, &msg) < 0)
            return 0;
    }
}

/* Map the boot loader's framebuffer, the handle "fb": 0, or -1 with the reason printed. */
static int map_boot_framebuffer(const struct mica_server_start *st, mica_handle_t phys)
{
    const struct mica_platform *p = &st->platform;
    if (p->fb_bpp != 32 || p->fb_width < fbcon_font.width || p->fb_height < fbcon_font.height ||
        p->fb_pitch < p->fb_width * 4) {
        mica_printf("fbcon: a framebuffer of %ux%u, %u bits per pixel: not supported\n",
                    p->fb_width, p->fb_height, p->fb_bpp);
        return -1;
    }
    uint64_t base = p->fb_addr & ~0xfffull;
    uint64_t size =
        ((p->fb_addr + (uint64_t)p->fb_pitch * p->fb_height + 0xfff) & ~0xfffull) - base;
    int64_t vmo = mica_vmo_create_phys(phys, base, size, MICA_CACHE_WC);
    if (vmo < 0) {
        mica_printf("fbcon: cannot make a VM object of the framebuffer: %ld\n", (long)vmo);
        return -1;
    }
    int64_t va = mica_vm_map(mica_runtime_aspace(), (mica_handle_t)vmo, 0, 0, size,
                             MICA_PROT_READ | MICA_PROT_WRITE);
    mica_handle_close((mica_handle_t)vmo); /* the mapping keeps it */
    if (va < 0) {
        mica_printf("fbcon: cannot map the framebuffer: %ld\n", (long)va);
        return -1;
    }
    con.fb.base = (volatile uint8_t *)va + (p->fb_addr - base);
    con.fb.pitch = p->fb_pitch;
    con.fb.width = p->fb_width;
    con.fb.height = p->fb_height;
    mica_snprintf(con.source, sizeof con.source, "%ux%u framebuffer at %#lx, %u bits per pixel",
                  con.fb.width, con.fb.height, (unsigned long)p->fb_addr, p->fb_bpp);
    return 0;
}

/* Map a whole memory BAR (uncached, as devmgr made it); its address, or 0. */
static volatile uint8_t *map_bar(mica_handle_t bar, int64_t size)
{
    int64_t va = mica_vm_map(mica_runtime_aspace(), bar, 0, 0, (uint64_t)size,
                             MICA_PROT_READ | MICA_PROT_WRITE);
    return va < 0 ? 0 : (volatile uint8_t *)va;
}

/* Set a mode on QEMU's standard VGA, "bar0" and "bar2": 0, or -1 with the reason printed. */
static int map_vga(const struct mica_server_start *st)
{
    mica_handle_t bar0 = mica_start_handle(st, "bar0"), bar2 = mica_start_handle(st, "bar2");
    int64_t vram_size = bar0 ? mica_vmo_size(bar0) : -MICA_ENOENT;
    int64_t regs_size = bar2 ? mica_vmo_size(bar2) : -MICA_ENOENT;
    const char *why = "";
    if (bochs_vga_check_bars(vram_size, regs_size, &why) < 0) {
        mica_printf("fbcon: VGA: %s\n", why);
        return -1;
    }
    struct bochs_vga vga = {.vram = map_bar(bar0, vram_size),
                            .vram_size = (uint64_t)vram_size,
                            .regs = map_bar(bar2, regs_size),
                            .regs_size = (uint64_t)regs_size};
    if (!vga.vram || !vga.regs) {
        mica_printf("fbcon: VGA: cannot map its BARs\n");
        return -1;
    }
    uint16_t id = bochs_vga_id(&vga);
    if (bochs_vga_set_mode(&vga, VGA_WIDTH, VGA_HEIGHT, &con.fb, &why) < 0) {
        mica_printf("fbcon: VGA (dispi ID %#x): %s\n", id, why);
        return -1;
    }
    mica_snprintf(con.source, sizeof con.source,
                  "%ux%u framebuffer of the VGA (Bochs VBE, dispi ID %#x), 32 bits per pixel",
                  con.fb.width, con.fb.height, id);
    return 0;
}

/* The boot loader's framebuffer if there is one, else the VGA device if there is one. */
static int map_framebuffer(const struct mica_server_start *st)
{
    mica_handle_t fb = mica_start_handle(st, "fb");
    if (fb && st->platform.fb_bpp != 0)
        return map_boot_framebuffer(st, fb);
    if (mica_start_handle(st, "bar0") || mica_start_handle(st, "bar2"))
        return map_vga(st);
    mica_printf("fbcon: no framebuffer (the boot loader set up none) and no VGA device; "
                "nothing to drive\n");
    return -1;
}

int main(const struct mica_server_start *st)
{
    /* args= names the endpoint it serves when "console" is the serial driver's. */
    const char *name = st->args[0] ? st->args : "console";
    con.ep = mica_start_handle(st, name);
    con.kbd = mica_start_handle(st, "kbd");
    if (mica_runtime_init(mica_start_handle(st, "self")) < 0 || !con.ep) {
        mica_printf("fbcon: no endpoint \"%s\" or no address space; stopping\n", name);
        return 1;
    }
    if (map_framebuffer(st) < 0)
        return 1;
    unsigned cols = con.fb.width / fbcon_font.width, rows = con.fb.height / fbcon_font.height;
    cols = cols > TERM_MAX_COLS ? TERM_MAX_COLS : cols;
    rows = rows > TERM_MAX_ROWS ? TERM_MAX_ROWS : rows;
    term_init(&con.term, cols, rows);
    render_clear(&con.fb);
    render_dirty(&con.fb, &fbcon_font, &con.term);
    mica_printf("fbcon: %s: %ux%u characters of %ux%u pixels%s\n", con.source, cols, rows,
                fbcon_font.width, fbcon_font.height,
                con.kbd ? "; input from the keyboard service" : "");
    struct mica_thread *second;
    if (mica_thread_spawn(&second, serve, 0, 0) < 0)
        mica_printf("fbcon: no second thread; serving with one\n");
    serve(0);
    return 1;
}
