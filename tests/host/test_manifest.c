/*
 * test_manifest.c - the supervisor's boot-manifest parser (servers/init/manifest.c).
 */
#include <string.h>
#include "../../servers/init/manifest.h"
#include "unit.h"

static struct manifest m;

static int parse(const char *text, unsigned *line, const char **why)
{
    return manifest_parse(text, strlen(text), &m, line, why);
}

static void test_good(void)
{
    unsigned line;
    const char *why = 0;
    const char *text =
        "# the boot manifest\n"
        "\n"
        "server console bin/console provides=console ioports=0x3f8:8 irq=4\n"
        "  server  rng\tbin/rng uses=console phys=0xfebf0000:0x1000 restart=0 "
        "args=fast\r\n"
        "server blk bin/blk provides=blk provides=blk2 uses=console irq=10 irq=11 admin";
    CHECK_EQ(parse(text, &line, &why), 0);
    CHECK_EQ(line, 0);
    CHECK_EQ(m.count, 3);
    const struct manifest_server *c = &m.server[0], *r = &m.server[1], *b = &m.server[2];
    CHECK(strcmp(c->name, "console") == 0 && strcmp(c->image, "bin/console") == 0);
    CHECK_EQ(c->nprovides, 1);
    CHECK(strcmp(c->provides[0], "console") == 0);
    CHECK_EQ(c->nports, 1);
    CHECK_EQ(c->ports[0].base, 0x3f8);
    CHECK_EQ(c->ports[0].count, 8);
    CHECK_EQ(r->nports, 0);
    CHECK(!c->framebuffer);
    CHECK_EQ(c->nirqs, 1);
    CHECK_EQ(c->irq[0], 4);
    CHECK_EQ(c->restart_limit, 5);
    CHECK_EQ(r->nuses, 1);
    CHECK(strcmp(r->uses[0], "console") == 0);
    CHECK_EQ(r->phys_base, 0xfebf0000ull);
    CHECK_EQ(r->phys_size, 0x1000);
    CHECK_EQ(r->restart_limit, 0);
    CHECK(strcmp(r->args, "fast") == 0);
    CHECK_EQ(b->nprovides, 2);
    CHECK_EQ(b->nirqs, 2);
    CHECK_EQ(b->irq[1], 11);
    CHECK(b->may_restart && !c->may_restart && !r->may_restart);
    CHECK(!c->initrd && !r->initrd && !b->initrd);
}

/* initrd: the posix server gets the ramdisk; the option takes no value. */
static void test_initrd(void)
{
    unsigned line;
    const char *why = 0;
    CHECK_EQ(parse("server console bin/serial provides=console\n"
                   "server posix bin/posix initrd uses=console args=etc/linux-tests\n",
                   &line, &why),
             0);
    CHECK_EQ(m.count, 2);
    CHECK(m.server[1].initrd && !m.server[0].initrd);
    CHECK(strcmp(m.server[1].args, "etc/linux-tests") == 0);
    CHECK_EQ(parse("server posix bin/posix initrd=1\n", &line, &why), -1);
    CHECK(why && strstr(why, "unknown option"));
    CHECK_EQ(parse("server posix bin/posix initrds\n", &line, &why), -1);
    CHECK(why && strstr(why, "unknown option"));
}

/* Several port ranges (the keyboard's two ports without those between), and the framebuffer. */
static void test_ports(void)
{
    unsigned line;
    const char *why = 0;
    const char *text = "server kbd bin/ps2kbd ioports=0x60:1 ioports=0x64:1 irq=1\n"
                       "server fb bin/fbcon framebuffer ioports=0x1ce:2 ioports=0x61:3 "
                       "ioports=0x65:1 ioports=0xfffe:2\n";
    CHECK_EQ(parse(text, &line, &why), 0);
    CHECK_EQ(m.count, 2);
    const struct manifest_server *k = &m.server[0], *f = &m.server[1];
    CHECK_EQ(k->nports, 2);
    CHECK_EQ(k->ports[0].base, 0x60);
    CHECK_EQ(k->ports[0].count, 1);
    CHECK_EQ(k->ports[1].base, 0x64);
    CHECK_EQ(k->ports[1].count, 1);
    CHECK(!k->framebuffer && f->framebuffer);
    CHECK_EQ(f->nports, MANIFEST_PORT_RANGES);
    CHECK_EQ(f->ports[1].base, 0x61);
    CHECK_EQ(f->ports[1].count, 3);
    CHECK_EQ(f->ports[3].base, 0xfffe);
    CHECK_EQ(f->ports[3].count, 2);
}

static void test_devices(void)
{
    unsigned line;
    const char *why = 0;
    const char *text = "server devmgr bin/devmgr provides=devmgr devices\n"
                       "server blk bin/virtio-blk provides=blk device=1af4:1042 dma=0x10000\n"
                       "server blk2 bin/virtio-blk device=1AF4:1042/1\n"
                       "server screen bin/fbcon framebuffer device=1234:1111?\n"
                       "server blk3 bin/virtio-blk device=1af4:1042/2?\n";
    CHECK_EQ(parse(text, &line, &why), 0);
    CHECK_EQ(m.count, 5);
    CHECK(!m.server[1].device_optional && !m.server[2].device_optional);
    CHECK(m.server[3].has_device && m.server[3].device_optional && m.server[3].framebuffer);
    CHECK_EQ(m.server[3].vendor, 0x1234);
    CHECK_EQ(m.server[3].device, 0x1111);
    CHECK_EQ(m.server[3].device_index, 0);
    CHECK(m.server[4].device_optional);
    CHECK_EQ(m.server[4].device_index, 2);
    CHECK(m.server[0].devices && !m.server[0].has_device);
    CHECK(m.server[1].has_device && !m.server[1].devices);
    CHECK_EQ(m.server[1].vendor, 0x1af4);
    CHECK_EQ(m.server[1].device, 0x1042);
    CHECK_EQ(m.server[1].device_index, 0);
    CHECK_EQ(m.server[1].dma_size, 0x10000);
    CHECK_EQ(m.server[2].device_index, 1);
    CHECK_EQ(m.server[2].dma_size, 256 * 1024);
}

static void test_empty(void)
{
    unsigned line;
    const char *why = 0;
    CHECK_EQ(parse("", &line, &why), 0);
    CHECK_EQ(m.count, 0);
    CHECK_EQ(parse("# nothing\n\n   \n", &line, &why), 0);
    CHECK_EQ(m.count, 0);
}

/* Each bad line is refused with its line number and a reason naming the problem. */
static void bad(const char *text, unsigned want_line, const char *want_why)
{
    unsigned line = 99;
    const char *why = 0;
    CHECK_EQ(parse(text, &line, &why), -1);
    CHECK_EQ(line, want_line);
    CHECK(why != 0 && strstr(why, want_why) != 0);
    if (why && !strstr(why, want_why))
        printf("  got \"%s\", wanted \"%s\"\n", why, want_why);
}

static void test_errors(void)
{
    bad("serve a b\n", 1, "must start");
    bad("\nserver\n", 2, "name missing");
    bad("server a\n", 1, "image path missing");
    bad("server a b\nserver a c\n", 2, "same name");
    bad("server a b frob=1\n", 1, "unknown option");
    bad("server a b uses=x\n", 1, "no earlier server");
    bad("server a b uses=x\nserver x y provides=x\n", 1, "no earlier server");
    bad("server a b provides=x\nserver c d provides=x\n", 2, "provided already");
    bad("server a b ioports=0x3f8\n", 1, "ioports=");
    bad("server a b ioports=0xffff:2\n", 1, "ioports=");
    bad("server a b ioports=1:0\n", 1, "ioports=");
    bad("server a b ioports=0x60:1 ioports=0x64:1 ioports=0x70:2 ioports=0x80:1 "
        "ioports=0x90:1\n",
        1, "too many ioports=");
    bad("server a b ioports=0x60:5 ioports=0x64:1\n", 1, "overlap");
    bad("server a b ioports=0x64:1 ioports=0x60:5\n", 1, "overlap");
    bad("server a b ioports=0x60:1 ioports=0x60:1\n", 1, "overlap");
    bad("server a b ioports=0x60:1 ioports=:1\n", 1, "ioports=");
    bad("server a b ioports=0x60:1 ioports=0x10000:1\n", 1, "ioports=");
    bad("server a b framebuffer=1\n", 1, "unknown option");
    bad("server a b irq=256\n", 1, "irq=");
    bad("server a b irq=4x\n", 1, "irq=");
    bad("server a b irq=1 irq=2 irq=3\n", 1, "too many irq");
    bad("server a b phys=0x1000:0\n", 1, "phys=");
    bad("server a b phys=0xffffffffffffffff:2\n", 1, "phys=");
    bad("server a b phys=99999999999999999999999:1\n", 1, "phys=");
    bad("server a b restart=-1\n", 1, "restart=");
    bad("server a b args=\n", 1, "args=");
    bad("server a b device=1af4:1042\n", 1, "needs a server with `devices`");
    bad("server d e devices\nserver a b device=1af4:1042\n", 2, "needs a server");
    const char *dm = "server d e provides=d devices\n";
    char t[128];
    const char *ids[] = {"1af4:104",    "1af4-1042",  "1af4:1042/",  "1af4:1042/256",
                         "1ag4:1042",   "01af4:1042", "1af4:1042:1", "?",
                         "1af4:1042??", "1af4?:1042", "1af4:1042/?"};
    for (unsigned i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        snprintf(t, sizeof t, "%sserver a b device=%s\n", dm, ids[i]);
        bad(t, 2, "device= wants");
    }
    bad("server a b dma=0\n", 1, "dma=");
    bad("server a b dma=0x4000001\n", 1, "dma=");
    bad("server abcdefghijklmnopqrstuvwxyz b\n", 1, "too long");
    char many[256] = "server a b"; /* one provides= more than MANIFEST_EPS */
    for (unsigned i = 0; i <= MANIFEST_EPS; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), " provides=%u", i);
    strcat(many, "\n");
    bad(many, 1, "too many");
    char big[700];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    bad(big, 1, "too long");
    unsigned line;
    const char *why;
    CHECK_EQ(manifest_parse("server a b\0c", 12, &m, &line, &why), -1);
    CHECK(strstr(why, "NUL") != 0);
}

static void test_too_many(void)
{
    static char text[8192];
    size_t n = 0;
    for (int i = 0; i < MANIFEST_SERVERS + 1; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "server s%d img\n", i);
    unsigned line;
    const char *why = 0;
    CHECK_EQ(manifest_parse(text, n, &m, &line, &why), -1);
    CHECK_EQ(line, MANIFEST_SERVERS + 1);
    CHECK(strstr(why, "too many servers") != 0);
}

int main(void)
{
    unit_run("manifest", "good", test_good);
    unit_run("manifest", "ports", test_ports);
    unit_run("manifest", "initrd", test_initrd);
    unit_run("manifest", "empty", test_empty);
    unit_run("manifest", "devices", test_devices);
    unit_run("manifest", "errors", test_errors);
    unit_run("manifest", "too_many", test_too_many);
    return unit_exit_code();
}
