/*
 * main.c - init: the root task of a running Mica system and its supervisor
 * (concepts: process creation, supervision trees, micro-reboot).
 *
 * The kernel starts init from the initial ramdisk with every initial
 * handle.  Init reads the boot manifest (etc/manifest), starts each server
 * in its own address space with exactly the handles the manifest gives it
 * (spawn.c), and then supervises them: a server's faults come to init as
 * messages (badged with the server's number) and its end as a bit of a
 * notification (SYS_ASPACE_WATCH).  A server that ends is restarted from its
 * image with the same handles - the same endpoints, so its clients' handles
 * keep working - after a back-off that doubles with every restart, until its
 * restart limit; then init gives up on it and says so.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <mica.h>
#include <mica/cpio.h>
#include <mica/format.h>
#include <mica/string.h>
#include "supervisor.h"
#include "supervisor_server.h"
#include "devmgr_client.h"

#define MS            1000000ull
#define BACKOFF_FIRST (50 * MS)
#define BACKOFF_MAX   (2000 * MS)
#define STABLE_NS     (10000 * MS) /* a server that ran this long starts afresh with back-off */
#define INITRD_AT     0x0000500000000000ull
#define IPC_BUF_AT    0x00004ffffffff000ull
#define BADGE_FAULT   0x1000ull /* | server number: its faults */
#define BADGE_CLIENT  0x2000ull /* | server number: its requests */

mica_handle_t spawn_self;

static struct {
    const struct mica_boot_handles *boot;
    const uint8_t *initrd;
    uint64_t initrd_size;
    mica_handle_t ep;     /* faults and requests arrive here */
    mica_handle_t deaths; /* bit i: server i ended (bound to our thread) */
    struct manifest manifest;
    struct server server[MANIFEST_SERVERS];
    unsigned nservers;
    struct {
        const char *name;
        mica_handle_t handle;
    } eps[MANIFEST_SERVERS * MANIFEST_EPS];
    unsigned neps;
    struct mica_ipc_buffer *ipc; /* init's IPC buffer: long replies of the supervisor service */
} init;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    mica_printf("init: %s\n", n >= 0 ? buf : fmt);
}

/* Copy a string into a buffer of size bytes, cut short if needed, always NUL-terminated. */
static void copy_str(char *dst, const char *src, uint64_t size)
{
    uint64_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = 0;
}

static mica_handle_t endpoint_named(const char *name)
{
    for (unsigned i = 0; i < init.neps; i++)
        if (strcmp(init.eps[i].name, name) == 0)
            return init.eps[i].handle;
    return 0;
}

/* ---- Giving a server its handles ---- */

static int add_handle(struct server *s, struct mica_server_start *st, const char *name,
                      mica_handle_t h, uint32_t rights)
{
    if (st->nhandles == MICA_START_HANDLES)
        return -MICA_ENOSPC;
    int64_t g = mica_handle_grant(s->proc.as, h, rights);
    if (g < 0)
        return (int)g;
    struct mica_start_handle *e = &st->handles[st->nhandles++];
    copy_str(e->name, name, sizeof e->name);
    e->handle = (mica_handle_t)g;
    return 0;
}

/* The endpoint of the device manager: the first provides= of the server with `devices`. */
static mica_handle_t device_manager(void)
{
    for (unsigned i = 0; i < init.nservers; i++)
        if (init.manifest.server[i].devices)
            return endpoint_named(init.manifest.server[i].provides[0]);
    return 0;
}

static int make_irq_note(struct server *s)
{
    if (s->irq_note)
        return 0;
    int64_t n = mica_notify_create();
    if (n < 0)
        return (int)n;
    s->irq_note = (mica_handle_t)n;
    return 0;
}

/* device=: claim the PCI function from the device manager and take its handles. */
static int claim_device(struct server *s)
{
    const struct manifest_server *m = s->m;
    int err = make_irq_note(s);
    if (err < 0)
        return err;
    int64_t note = mica_handle_dup(s->irq_note, MICA_RIGHT_SIGNAL | MICA_RIGHT_TRANSFER);
    if (note < 0)
        return (int)note;
    uint32_t id, count;
    mica_handle_t dm = device_manager();
    err = devmgr_claim(dm, init.ipc, m->vendor, m->device, m->device_index, m->name,
                       (mica_handle_t)note, m->dma_size, &id, &count);
    if (err < 0)
        return err;
    for (uint32_t k = 0; k < count && err == 0; k++) {
        if (s->ndev == SERVER_DEV_HANDLES)
            return -MICA_ENOSPC;
        err = devmgr_handle(dm, init.ipc, id, k, s->dev_name[s->ndev], &s->dev[s->ndev]);
        if (err == 0)
            s->ndev++;
    }
    s->claimed = err == 0;
    return err;
}

/*
 * The framebuffer the boot loader set up (struct mica_platform), whole pages
 * of it: a phys handle for a server with `framebuffer` in its manifest line.
 * 0 if there is none: the server then finds its screen another way.
 */
static int64_t make_framebuffer(void)
{
    const struct mica_platform *p = &init.boot->platform;
    if (p->fb_bpp == 0 || p->fb_addr == 0 || p->fb_pitch == 0 || p->fb_height == 0)
        return 0;
    uint64_t base = p->fb_addr & ~0xfffull;
    uint64_t end = (p->fb_addr + (uint64_t)p->fb_pitch * p->fb_height + 0xfff) & ~0xfffull;
    return mica_phys_create(init.boot->phys, base, end - base);
}

/* device=...? and no such device: the server starts without its handles. */
static void without_device(struct server *s)
{
    const struct manifest_server *m = s->m;
    say("%s: no PCI device %04x:%04x; starting it without one", m->name, m->vendor, m->device);
    s->device_absent = true;
    if (s->irq_note && m->nirqs == 0) { /* made for the device's interrupts only */
        mica_handle_close(s->irq_note);
        s->irq_note = 0;
    }
}

/* The device resources are made once, at the first start, and kept across restarts. */
static int make_devices(struct server *s)
{
    const struct manifest_server *m = s->m;
    if (m->has_device && !s->claimed && !s->device_absent) {
        int err = claim_device(s);
        if (err == -MICA_ENOENT && m->device_optional && s->ndev == 0)
            without_device(s);
        else if (err < 0)
            return err;
    }
    for (unsigned k = 0; k < m->nports; k++) {
        if (s->ports[k])
            continue;
        int64_t r = mica_ioport_create(init.boot->ioports, m->ports[k].base, m->ports[k].count);
        if (r < 0)
            return (int)r;
        s->ports[k] = (mica_handle_t)r;
    }
    if (m->framebuffer && !s->fb) {
        int64_t r = make_framebuffer();
        if (r < 0)
            return (int)r;
        s->fb = (mica_handle_t)r;
    }
    if (m->phys_size && !s->phys) {
        int64_t r = mica_phys_create(init.boot->phys, m->phys_base, m->phys_size);
        if (r < 0)
            return (int)r;
        s->phys = (mica_handle_t)r;
    }
    if (m->nirqs && !s->irq[0]) {
        int err = make_irq_note(s);
        if (err < 0)
            return err;
        for (unsigned k = 0; k < m->nirqs; k++) {
            int64_t irq = mica_irq_bind(init.boot->irq_control, m->irq[k], s->irq_note, 1ull << k);
            if (irq < 0)
                return (int)irq;
            s->irq[k] = (mica_handle_t)irq;
        }
    }
    return 0;
}

/* What a driver may do with each kind of device handle. */
static uint32_t device_rights(const char *name, uint32_t type)
{
    if (type == MICA_OBJ_IOPORT)
        return MICA_RIGHT_MAP;
    if (type == MICA_OBJ_IRQ)
        return MICA_RIGHT_WRITE;
    if (strcmp(name, "cfg") == 0)
        return MICA_RIGHT_READ | MICA_RIGHT_MAP;
    if (strcmp(name, "dma") == 0)
        return MICA_RIGHT_READ | MICA_RIGHT_WRITE | MICA_RIGHT_MAP | MICA_RIGHT_MANAGE |
               MICA_RIGHT_DUP | MICA_RIGHT_TRANSFER;
    return MICA_RIGHT_READ | MICA_RIGHT_WRITE | MICA_RIGHT_MAP; /* a BAR's registers */
}

static int give_device(struct server *s, struct mica_server_start *st)
{
    for (unsigned k = 0; k < s->ndev; k++) {
        uint32_t type = 0, rights = 0;
        int err = (int)mica_handle_info(s->dev[k], &type, &rights);
        if (err == 0)
            err = add_handle(s, st, s->dev_name[k], s->dev[k], device_rights(s->dev_name[k], type));
        if (err == 0 && type == MICA_OBJ_IOPORT)
            err = (int)mica_ioport_allow(s->proc.as, s->dev[k]);
        if (err < 0)
            return err;
    }
    return 0;
}

/* `devices`: the device manager gets the keys to all hardware. */
static int give_hardware(struct server *s, struct mica_server_start *st)
{
    int err = add_handle(s, st, "phys_all", init.boot->phys, MICA_RIGHT_ALL);
    if (err == 0)
        err = add_handle(s, st, "ioports_all", init.boot->ioports, MICA_RIGHT_ALL);
    if (err == 0)
        err = add_handle(s, st, "irq_control", init.boot->irq_control, MICA_RIGHT_ALL);
    return err;
}

static int give_handles(struct server *s, struct mica_server_start *st)
{
    const struct manifest_server *m = s->m;
    const uint32_t serve = MICA_RIGHT_RECV | MICA_RIGHT_SEND | MICA_RIGHT_DUP | MICA_RIGHT_TRANSFER;
    const uint32_t use = MICA_RIGHT_SEND | MICA_RIGHT_DUP | MICA_RIGHT_TRANSFER;
    int err = 0;
    for (unsigned k = 0; k < m->nprovides && err == 0; k++)
        err = add_handle(s, st, m->provides[k], endpoint_named(m->provides[k]), serve);
    for (unsigned k = 0; k < m->nuses && err == 0; k++)
        err = add_handle(s, st, m->uses[k], endpoint_named(m->uses[k]), use);
    if (err == 0 && s->irq_note)
        err = add_handle(s, st, "irq_note", s->irq_note, MICA_RIGHT_WAIT | MICA_RIGHT_SIGNAL);
    for (unsigned k = 0; k < m->nirqs && err == 0; k++)
        err = add_handle(s, st, k == 0 ? "irq" : "irq1", s->irq[k], MICA_RIGHT_WRITE);
    if (err == 0 && s->phys)
        err = add_handle(s, st, "phys", s->phys, MICA_RIGHT_MAP | MICA_RIGHT_DUP);
    if (err == 0 && s->fb)
        err = add_handle(s, st, "fb", s->fb, MICA_RIGHT_MAP | MICA_RIGHT_DUP);
    if (err == 0 && m->initrd) /* read-only: a server cannot change what others start from */
        err = add_handle(s, st, "initrd", init.boot->initrd, MICA_RIGHT_READ | MICA_RIGHT_MAP);
    if (err == 0)
        err = add_handle(s, st, "supervisor", s->client_ep, MICA_RIGHT_SEND);
    if (err == 0) /* its own address space, to map memory and start threads in */
        err = add_handle(s, st, "self", s->proc.as,
                         MICA_RIGHT_MANAGE | MICA_RIGHT_MAP | MICA_RIGHT_READ | MICA_RIGHT_WRITE);
    for (unsigned k = 0; k < m->nports && err == 0; k++)
        err = (int)mica_ioport_allow(s->proc.as, s->ports[k]);
    if (err == 0 && m->nports) /* the first range, as proof of owning a device (SYS_CONSOLE_TAKE) */
        err = add_handle(s, st, "ioports", s->ports[0], MICA_RIGHT_MAP);
    if (err == 0 && s->ndev)
        err = give_device(s, st);
    if (err == 0 && m->devices)
        err = give_hardware(s, st);
    return err;
}

/* ---- Starting, ending, restarting ---- */

static void fail(struct server *s, const char *what, const char *why, int err)
{
    say("%s: %s: %s (error %d); it stays stopped", s->m->name, what, why, err);
    s->state = SERVER_FAILED;
}

static void start(unsigned i)
{
    struct server *s = &init.server[i];
    const struct manifest_server *m = s->m;
    const char *why = "";
    struct cpio_entry image;
    int err = cpio_find(init.initrd, init.initrd_size, m->image, &image, &why);
    if (err < 0)
        return fail(s, "no image", err == -MICA_ENOENT ? m->image : why, err);
    if ((err = make_devices(s)) < 0)
        return fail(s, "cannot get its devices",
                    err == -MICA_ENOENT ? "no such device" : "the device manager refused", err);
    if ((err = spawn_prepare(&s->proc, &why)) < 0)
        return fail(s, "cannot start", why, err);
    static struct mica_server_start st;
    memset(&st, 0, sizeof st);
    st.magic = MICA_START_MAGIC;
    copy_str(st.name, m->name, sizeof st.name);
    copy_str(st.args, m->args, sizeof st.args);
    st.restarts = s->restarts;
    st.platform = init.boot->platform;
    if ((err = give_handles(s, &st)) < 0) {
        spawn_discard(&s->proc);
        return fail(s, "cannot give it its handles", "", err);
    }
    if ((err = spawn_load(&s->proc, image.data, image.size, &st, &why)) < 0 ||
        (err = (int)mica_thread_set_fault_handler(s->proc.thread, s->fault_ep)) < 0 ||
        (err = (int)mica_aspace_watch(s->proc.as, init.deaths, 1ull << i)) < 0 ||
        (err = (int)mica_thread_start(s->proc.thread)) < 0) {
        spawn_discard(&s->proc);
        return fail(s, "cannot start", why, err);
    }
    s->state = SERVER_RUNNING;
    s->handles = st.nhandles;
    s->started_at = mica_clock_ns();
    s->why[0] = 0;
    if (s->on_request)
        say("%s restarted on request", m->name);
    else if (s->restarts)
        say("%s restarted (restart %u of at most %u)", m->name, s->crash_restarts,
            m->restart_limit);
    s->on_request = false;
}

/* Server i has ended: restart it later, or give up. */
static void ended(unsigned i)
{
    struct server *s = &init.server[i];
    if (s->state != SERVER_RUNNING)
        return;
    spawn_discard(&s->proc);
    uint64_t now = mica_clock_ns();
    if (s->restart_asked) { /* on request: at once, and not counted against its limit */
        say("%s ended: %s", s->m->name, s->why);
        s->restart_asked = false;
        s->on_request = true;
        s->state = SERVER_WAITING;
        s->restart_at = now;
        return;
    }
    if (!s->why[0]) {
        say("%s exited", s->m->name); /* its own decision: not restarted */
        s->state = SERVER_ENDED;
        return;
    }
    say("%s ended: %s", s->m->name, s->why);
    if (now - s->started_at > STABLE_NS)
        s->backoff_ns = BACKOFF_FIRST;
    if (s->crash_restarts >= s->m->restart_limit) {
        say("%s: restarted %u times after a crash; giving up on it", s->m->name, s->crash_restarts);
        s->state = SERVER_FAILED;
        return;
    }
    s->crash_restarts++;
    s->state = SERVER_WAITING;
    s->restart_at = now + s->backoff_ns;
    s->backoff_ns = s->backoff_ns * 2 > BACKOFF_MAX ? BACKOFF_MAX : s->backoff_ns * 2;
}

static void restart_due(void)
{
    uint64_t now = mica_clock_ns();
    for (unsigned i = 0; i < init.nservers; i++) {
        struct server *s = &init.server[i];
        if (s->state == SERVER_WAITING && now >= s->restart_at) {
            s->restarts++;
            start(i);
        }
    }
}

/* How long until the next restart is due (TIMEOUT forever if none). */
static uint64_t next_timeout(void)
{
    uint64_t now = mica_clock_ns(), best = UINT64_MAX;
    for (unsigned i = 0; i < init.nservers; i++) {
        const struct server *s = &init.server[i];
        if (s->state == SERVER_WAITING) {
            uint64_t left = s->restart_at > now ? s->restart_at - now : 0;
            if (left < best)
                best = left;
        }
    }
    return best;
}

/* ---- Messages ---- */

/* A thread of a server faulted: note why, end the thread and the whole server. */
static void on_fault(const struct mica_msg *m)
{
    unsigned i = (unsigned)(m->badge & 0xff);
    struct mica_msg answer = {0, 0, {MICA_FAULT_KILL, 0, 0, 0}};
    if (i < init.nservers && init.server[i].state == SERVER_RUNNING) {
        struct server *s = &init.server[i];
        ksnprintf(s->why, sizeof s->why, "%s (vector %lu) at rip %#lx, address %#lx",
                  mica_vector_name(m->w[0]), m->w[0], m->w[3], m->w[2]);
        mica_aspace_kill(s->proc.as);
    }
    mica_reply(&answer);
}

static void on_deaths(uint64_t bits)
{
    for (unsigned i = 0; i < init.nservers; i++)
        if (bits & (1ull << i))
            ended(i);
}

/* True when no server runs or waits for its restart: init has nothing left to do. */
static bool nothing_left(void)
{
    for (unsigned i = 0; i < init.nservers; i++)
        if (init.server[i].state != SERVER_FAILED && init.server[i].state != SERVER_ENDED)
            return false;
    return true;
}

/* ---- The supervisor service (idl/supervisor.idl) ---- */

static int sv_count(void *ctx, struct supervisor_count_out *out)
{
    (void)ctx;
    out->servers = init.nservers;
    return 0;
}

static int sv_info(void *ctx, const struct supervisor_info_in *in, struct supervisor_info_out *out)
{
    (void)ctx;
    if (in->index >= init.nservers)
        return -MICA_ENOENT;
    const struct server *s = &init.server[in->index];
    copy_str(out->name, s->m->name, sizeof out->name);
    out->state = (uint32_t)s->state;
    out->restarts = s->restarts;
    out->handles = s->handles;
    return 0;
}

/* ctx: the server that asks (its badge says which). */
static int sv_restart(void *ctx, const struct supervisor_restart_in *in)
{
    const struct server *asker = ctx;
    if (!asker || !asker->m->may_restart)
        return -MICA_EPERM;
    for (unsigned i = 0; i < init.nservers; i++) {
        struct server *s = &init.server[i];
        if (strcmp(s->m->name, in->name) != 0)
            continue;
        say("%s asks to restart %s", asker->m->name, s->m->name);
        if (s->state == SERVER_RUNNING) {
            s->restart_asked = true;
            copy_str(s->why, "restart requested", sizeof s->why);
            mica_aspace_kill(s->proc.as); /* its end comes as a notification, then the restart */
        } else {
            s->state = SERVER_WAITING;
            s->restart_at = mica_clock_ns();
        }
        return 0;
    }
    return -MICA_ENOENT;
}

static const struct supervisor_server service = {sv_count, sv_info, sv_restart};

/* A request from server number badge & 0xff: answer it through the generated dispatcher. */
static void on_request(struct mica_msg *m)
{
    unsigned i = (unsigned)(m->badge & 0xff);
    struct server *asker = i < init.nservers ? &init.server[i] : 0;
    supervisor_dispatch(&service, asker, m, init.ipc);
    mica_reply(m);
}

static void serve(void)
{
    for (;;) {
        struct mica_msg m;
        uint64_t timeout = next_timeout();
        int64_t r = timeout == UINT64_MAX ? mica_recv(init.ep, &m)
                                          : mica_recv_timed(init.ep, &m, timeout ? timeout : 1);
        if (r == -MICA_ETIMEDOUT) {
            restart_due();
            continue;
        }
        if (r < 0) {
            say("receiving failed (error %ld); supervision stops", r);
            return;
        }
        uint64_t label = m.tag >> MICA_TAG_LABEL_SHIFT;
        if (label == MICA_MSG_NOTIFY)
            on_deaths(m.w[0]);
        else if (label == MICA_MSG_FAULT && (m.badge & ~0xffull) == BADGE_FAULT)
            on_fault(&m);
        else if ((m.badge & ~0xffull) == BADGE_CLIENT)
            on_request(&m);
        restart_due();
        if (nothing_left())
            return;
    }
}

/* ---- Start-up ---- */

static int read_manifest(void)
{
    struct cpio_entry e;
    const char *why = "";
    int err = cpio_find(init.initrd, init.initrd_size, "etc/manifest", &e, &why);
    if (err < 0) {
        say("no boot manifest (etc/manifest) in the initial ramdisk: %s",
            err == -MICA_ENOENT ? "missing" : why);
        return err;
    }
    unsigned line;
    if (manifest_parse((const char *)e.data, e.size, &init.manifest, &line, &why) < 0) {
        say("etc/manifest line %u: %s; no server started", line, why);
        return -MICA_EINVAL;
    }
    return 0;
}

static int setup(const struct mica_boot_handles *bh)
{
    init.boot = bh;
    spawn_self = bh->self;
    uint64_t size = (bh->initrd_size + 4095) & ~4095ull;
    if (mica_vm_map(bh->self, bh->initrd, 0, INITRD_AT, size, MICA_PROT_READ) < 0) {
        say("cannot map the initial ramdisk");
        return -MICA_ENOMEM;
    }
    init.initrd = (const uint8_t *)INITRD_AT;
    init.initrd_size = bh->initrd_size;
    int64_t ep = mica_endpoint_create(), n = mica_notify_create();
    if (ep < 0 || n < 0 || mica_notify_bind((mica_handle_t)n, MICA_THREAD_SELF) < 0)
        return -MICA_ENOMEM;
    init.ep = (mica_handle_t)ep;
    init.deaths = (mica_handle_t)n;
    int64_t buf = mica_vmo_create(4096);
    if (buf < 0 ||
        mica_vm_map(bh->self, (mica_handle_t)buf, 0, IPC_BUF_AT, 4096,
                    MICA_PROT_READ | MICA_PROT_WRITE) < 0 ||
        mica_thread_set_ipc_buffer(MICA_THREAD_SELF, (void *)IPC_BUF_AT) < 0)
        return -MICA_ENOMEM;
    init.ipc = (struct mica_ipc_buffer *)IPC_BUF_AT;
    return 0;
}

/* Each server's record, its badged handles to us, and the endpoints it provides. */
static int prepare_servers(void)
{
    for (unsigned i = 0; i < init.manifest.count; i++) {
        struct server *s = &init.server[i];
        s->m = &init.manifest.server[i];
        s->backoff_ns = BACKOFF_FIRST;
        int64_t f = mica_endpoint_mint(init.ep, BADGE_FAULT | i, MICA_RIGHT_SEND);
        int64_t c = mica_endpoint_mint(init.ep, BADGE_CLIENT | i,
                                       MICA_RIGHT_SEND | MICA_RIGHT_DUP | MICA_RIGHT_TRANSFER);
        if (f < 0 || c < 0)
            return -MICA_ENOMEM;
        s->fault_ep = (mica_handle_t)f;
        s->client_ep = (mica_handle_t)c;
        for (unsigned k = 0; k < s->m->nprovides; k++) {
            int64_t e = mica_endpoint_create();
            if (e < 0)
                return (int)e;
            init.eps[init.neps].name = s->m->provides[k];
            init.eps[init.neps++].handle = (mica_handle_t)e;
        }
    }
    init.nservers = init.manifest.count;
    return 0;
}

int main(const struct mica_boot_handles *bh)
{
    if (setup(bh) < 0 || read_manifest() < 0 || prepare_servers() < 0) {
        say("cannot supervise; the system stops");
        mica_system_halt(1);
    }
    say("starting %u servers from etc/manifest", init.nservers);
    for (unsigned i = 0; i < init.nservers; i++)
        start(i);
    if (!nothing_left())
        serve();
    unsigned failed = 0;
    for (unsigned i = 0; i < init.nservers; i++)
        failed += init.server[i].state == SERVER_FAILED;
    say("no server left to supervise (%u of %u failed); the system stops", failed, init.nservers);
    mica_system_halt(failed ? 1 : 0);
}
