/*
 * commands.c - the commands of msh, the native shell (servers/shell/main.c).
 * Each asks one service through its generated stubs and prints the answer:
 * the supervisor (servers, restart), the device manager (lspci), the disk
 * (disk, read), the random-number service (random), the kernel (mem).
 */
#include <mica.h>
#include <str.h>
#include "blk_client.h"
#include "devmgr_client.h"
#include "rng_client.h"
#include "rtc_client.h"
#include "../../drivers/rtc/rtc_time.h"
#include "shell.h"
#include "supervisor_client.h"

#define SECTOR_BUF_AT 0x0000700000000000ull

static bool need(mica_handle_t h, const char *service)
{
    if (!h)
        sh_printf("no %s service: the boot manifest does not give the shell uses=%s\n", service,
                  service);
    return h != 0;
}

static void cmd_help(int argc, char **argv);

static void cmd_echo(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        sh_printf("%s%s", argv[i], i + 1 < argc ? " " : "");
    sh_printf("\n");
}

static const char *state_name(uint32_t state)
{
    static const char *const names[] = {"running", "restarting", "failed", "ended"};
    return state < 4 ? names[state] : "?";
}

static void cmd_servers(int argc, char **argv)
{
    (void)argc, (void)argv;
    uint32_t n;
    if (!need(sh.supervisor, "supervisor") || supervisor_count(sh.supervisor, sh.ipc, &n) < 0)
        return;
    sh_printf("%-12s %-10s %8s %7s\n", "server", "state", "restarts", "handles");
    for (uint32_t i = 0; i < n; i++) {
        char name[SUPERVISOR_NAME_MAX];
        uint32_t state, restarts, handles;
        if (supervisor_info(sh.supervisor, sh.ipc, i, name, &state, &restarts, &handles) == 0)
            sh_printf("%-12s %-10s %8u %7u\n", name, state_name(state), restarts, handles);
    }
}

static void cmd_restart(int argc, char **argv)
{
    if (argc != 2) {
        sh_printf("usage: restart SERVER\n");
        return;
    }
    if (!need(sh.supervisor, "supervisor"))
        return;
    int err = supervisor_restart(sh.supervisor, sh.ipc, argv[1]);
    sh_printf("restart %s: %s\n", argv[1],
              err == 0              ? "done"
              : err == -MICA_EPERM  ? "not allowed (the shell's manifest line lacks admin)"
              : err == -MICA_ENOENT ? "no such server"
                                    : "failed");
}

static void cmd_lspci(int argc, char **argv)
{
    (void)argc, (void)argv;
    uint32_t n;
    if (!need(sh.devmgr, "devmgr") || devmgr_count(sh.devmgr, sh.ipc, &n) < 0)
        return;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t bus, slot, fn, vendor, device, cls, kind, vectors;
        char holder[DEVMGR_NAME_MAX];
        if (devmgr_info(sh.devmgr, sh.ipc, i, &bus, &slot, &fn, &vendor, &device, &cls, &kind,
                        &vectors, holder) == 0)
            sh_printf("%02x:%02x.%x %04x:%04x class %06x %s\n", bus, slot, fn, vendor, device, cls,
                      holder[0] ? holder : "-");
    }
}

static void cmd_random(int argc, char **argv)
{
    uint32_t count = argc > 1 ? (uint32_t)strtoul(argv[1], 0, 0) : 16, n = 0;
    uint8_t data[256];
    if (count == 0 || count > sizeof data) {
        sh_printf("usage: random [1-256]\n");
        return;
    }
    struct mica_client rng = {.ep = sh.rng, .ipc = sh.ipc};
    if (!need(sh.rng, "rng"))
        return;
    int err = rng_get_r(&rng, count, data, &n);
    if (err < 0) {
        sh_printf("random: error %d\n", err);
        return;
    }
    for (uint32_t i = 0; i < n; i++)
        sh_printf("%02x", data[i]);
    sh_printf("\n");
}

static void cmd_disk(int argc, char **argv)
{
    (void)argc, (void)argv;
    uint64_t sectors;
    uint32_t size, max;
    bool ro;
    char model[32];
    if (!need(sh.blk, "blk"))
        return;
    struct mica_client disk = {.ep = sh.blk, .ipc = sh.ipc};
    int err = blk_info_r(&disk, &sectors, &size, &max, &ro, model);
    if (err < 0) {
        sh_printf("disk: error %d\n", err);
        return;
    }
    sh_printf("disk: %lu sectors of %u bytes (%lu MiB), at most %u per request%s, model \"%s\"\n",
              sectors, size, sectors * size >> 20, max, ro ? ", read-only" : "", model);
}

/* The shell's one page of DMA memory for sector reads, made on first use. */
static mica_handle_t sector_buffer(void)
{
    static mica_handle_t buf;
    if (buf)
        return buf;
    int64_t vmo = mica_vmo_create_contig(4096, MICA_CACHE_WB);
    if (vmo < 0 || mica_vm_map(sh.self, (mica_handle_t)vmo, 0, SECTOR_BUF_AT, 4096,
                               MICA_PROT_READ | MICA_PROT_WRITE) < 0)
        return 0;
    buf = (mica_handle_t)vmo;
    return buf;
}

static void cmd_read(int argc, char **argv)
{
    if (argc != 2) {
        sh_printf("usage: read SECTOR\n");
        return;
    }
    mica_handle_t buf = sector_buffer();
    if (!need(sh.blk, "blk") || !buf)
        return;
    struct mica_client disk = {.ep = sh.blk, .ipc = sh.ipc};
    uint32_t done = 0;
    int err = blk_read_r(&disk, strtoul(argv[1], 0, 0), 1, buf, 0, &done);
    if (err < 0) {
        sh_printf("read: error %d\n", err);
        return;
    }
    const uint8_t *p = (const uint8_t *)SECTOR_BUF_AT;
    for (unsigned row = 0; row < 4; row++) {
        sh_printf("%04x ", row * 16);
        for (unsigned i = 0; i < 16; i++)
            sh_printf(" %02x", p[row * 16 + i]);
        sh_printf("  ");
        for (unsigned i = 0; i < 16; i++) {
            char c = (char)p[row * 16 + i];
            sh_printf("%c", c >= 0x20 && c < 0x7f ? c : '.');
        }
        sh_printf("\n");
    }
}

static void cmd_date(int argc, char **argv)
{
    (void)argc, (void)argv;
    uint64_t unix_seconds, at_ns;
    struct rtc_time t;
    if (!need(sh.rtc, "rtc"))
        return;
    struct mica_client rtc = {.ep = sh.rtc, .ipc = sh.ipc};
    int err = rtc_now_r(&rtc, &unix_seconds, &at_ns);
    uint64_t now = unix_seconds + (mica_clock_ns() - at_ns) / 1000000000ull;
    if (err < 0 || rtc_from_unix(now, &t) < 0) {
        sh_printf("date: error %d\n", err);
        return;
    }
    sh_printf("%04u-%02u-%02u %02u:%02u:%02u UTC\n", t.year, t.month, t.day, t.hour, t.minute,
              t.second);
}

static void cmd_mem(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct mica_kernel_stats ks;
    if (mica_kernel_stats(&ks) < 0)
        return;
    uint64_t up = mica_clock_ns() / 1000000000ull;
    sh_printf("free memory: %lu KiB; up %lu s; %lu handles in the shell\n", ks.free_pages * 4, up,
              ks.handles);
}

struct command {
    const char *name, *help;
    void (*run)(int argc, char **argv);
};

static const struct command commands[] = {
    {"help", "this list", cmd_help},
    {"echo", "print the words", cmd_echo},
    {"servers", "the servers the supervisor runs", cmd_servers},
    {"restart", "SERVER: kill a server and start it afresh", cmd_restart},
    {"lspci", "the PCI functions and their drivers", cmd_lspci},
    {"disk", "the disk's size and model", cmd_disk},
    {"read", "SECTOR: the first 64 bytes of a sector", cmd_read},
    {"random", "[N]: N random bytes from the rng service", cmd_random},
    {"date", "the wall-clock time (from the CMOS clock)", cmd_date},
    {"mem", "free memory and uptime", cmd_mem},
};

static void cmd_help(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (unsigned i = 0; i < sizeof commands / sizeof commands[0]; i++)
        sh_printf("  %-8s %s\n", commands[i].name, commands[i].help);
}

void sh_run(int argc, char **argv)
{
    for (unsigned i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[0], commands[i].name) == 0) {
            commands[i].run(argc, argv);
            return;
        }
    }
    sh_printf("%s: unknown command (try help)\n", argv[0]);
}
