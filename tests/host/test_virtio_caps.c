/*
 * test_virtio_caps.c - host tests of the virtio PCI capability walk
 * (drivers/virtio/pci_caps.c) on hand-made configuration spaces: one laid
 * out like QEMU's virtio-blk-pci, duplicates, short or bad entries, a
 * missing structure, no list, and lists that loop or point outside.
 */
#include <stdint.h>
#include <string.h>
#include "unit.h"
#include <abi/mica/syscall.h>
#include "../../drivers/virtio/pci_caps.h"

static uint8_t cfg[4096];

static void put32(unsigned at, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        cfg[at + i] = (uint8_t)(v >> (8 * i));
}

/* A vendor capability at `at` linking to next. */
static void vcap(unsigned at, unsigned next, uint8_t type, uint8_t bar, uint32_t off, uint32_t len,
                 uint8_t cap_len)
{
    cfg[at] = 0x09;
    cfg[at + 1] = (uint8_t)next;
    cfg[at + 2] = cap_len;
    cfg[at + 3] = type;
    cfg[at + 4] = bar;
    put32(at + 8, off);
    put32(at + 12, len);
}

/* Like QEMU: MSI-X at 0x98, then the five virtio capabilities, BAR 4. */
static void qemu_like(void)
{
    memset(cfg, 0, sizeof cfg);
    cfg[0x06] = 0x10; /* status: capability list */
    cfg[0x34] = 0x98;
    cfg[0x98] = 0x11;
    cfg[0x99] = 0x84;
    cfg[0x9a] = 0x01;                 /* 2 vectors */
    cfg[0x9b] = 0x80;                 /* enabled */
    vcap(0x84, 0x70, 5, 0, 0, 0, 20); /* PCI configuration access: ignored */
    vcap(0x70, 0x60, 2, 4, 0x3000, 0x1000, 20);
    put32(0x70 + 16, 4); /* notify_off_multiplier */
    vcap(0x60, 0x50, 4, 4, 0x2000, 0x1000, 16);
    vcap(0x50, 0x40, 3, 4, 0x1000, 0x1000, 16);
    vcap(0x40, 0x00, 1, 4, 0x0000, 0x1000, 16);
}

static void test_qemu_layout(void)
{
    qemu_like();
    struct virtio_pci_caps c;
    const char *why = "x";
    CHECK_EQ(virtio_pci_find_caps(cfg, sizeof cfg, &c, &why), 0);
    CHECK(c.common.present && c.common.bar == 4 && c.common.offset == 0);
    CHECK(c.isr.present && c.isr.offset == 0x1000);
    CHECK(c.device.present && c.device.offset == 0x2000 && c.device.length == 0x1000);
    CHECK(c.notify.present && c.notify.offset == 0x3000);
    CHECK_EQ(c.notify_off_multiplier, 4);
    CHECK(c.msix_present && c.msix_enabled);
    CHECK_EQ(c.msix_vectors, 2);
}

static void test_first_of_a_type_wins(void)
{
    qemu_like();
    /* A second common structure in BAR 2, after the first: ignored. */
    vcap(0x40, 0xb0, 1, 4, 0x0000, 0x1000, 16);
    vcap(0xb0, 0x00, 1, 2, 0x8000, 0x1000, 16);
    /* A bad BAR number and a short notify capability first: skipped. */
    cfg[0x34] = 0xc0;
    vcap(0xc0, 0xd0, 3, 7, 0x5000, 0x10, 16);
    vcap(0xd0, 0x98, 2, 4, 0x6000, 0x10, 16);
    struct virtio_pci_caps c;
    const char *why;
    CHECK_EQ(virtio_pci_find_caps(cfg, sizeof cfg, &c, &why), 0);
    CHECK(c.common.bar == 4 && c.common.offset == 0);
    CHECK(c.isr.offset == 0x1000);
    CHECK(c.notify.offset == 0x3000);
}

static void test_missing_structure(void)
{
    qemu_like();
    cfg[0x51] = 0x00; /* the list ends after ISR: no common configuration */
    struct virtio_pci_caps c;
    const char *why;
    CHECK_EQ(virtio_pci_find_caps(cfg, sizeof cfg, &c, &why), -MICA_ENOENT);
    CHECK(strstr(why, "common") != NULL);
}

static void test_broken_lists(void)
{
    struct virtio_pci_caps c;
    const char *why;
    qemu_like();
    cfg[0x06] = 0; /* no capability list */
    CHECK_EQ(virtio_pci_find_caps(cfg, sizeof cfg, &c, &why), -MICA_EINVAL);
    qemu_like();
    cfg[0x41] = 0x98; /* loops back to the start */
    CHECK_EQ(virtio_pci_find_caps(cfg, sizeof cfg, &c, &why), -MICA_EINVAL);
    CHECK(strstr(why, "loop") != NULL);
    qemu_like();
    cfg[0x41] = 0x20; /* into the header */
    CHECK_EQ(virtio_pci_find_caps(cfg, sizeof cfg, &c, &why), -MICA_EINVAL);
    qemu_like();
    cfg[0x41] = 0xfe; /* rounded down to 0xfc: the header would cross 256 */
    cfg[0xfc] = 0x09;
    cfg[0xfd] = 0x00;
    cfg[0xfe] = 16; /* its body would run past 256: skipped, the list ends */
    CHECK_EQ(virtio_pci_find_caps(cfg, sizeof cfg, &c, &why), 0);
    CHECK_EQ(virtio_pci_find_caps(cfg, 128, &c, &why), -MICA_EINVAL);
}

int main(void)
{
    unit_run("virtio_caps", "qemu_layout", test_qemu_layout);
    unit_run("virtio_caps", "first_of_a_type_wins", test_first_of_a_type_wins);
    unit_run("virtio_caps", "missing_structure", test_missing_structure);
    unit_run("virtio_caps", "broken_lists", test_broken_lists);
    return unit_exit_code();
}
