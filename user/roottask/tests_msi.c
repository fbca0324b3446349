/*
 * tests_msi.c - message-signalled interrupts (SYS_IRQ_BIND_MSI) from a real
 * PCI device: QEMU's "edu" test device (vendor 0x1234, device 0x11e8; every
 * Mica boot under QEMU has one, see tools/qemu-args.sh), found through the
 * legacy configuration ports 0xcf8/0xcfc.  Its register at 0x60 raises an
 * interrupt on demand; with MSI enabled that interrupt is a message, which
 * must arrive as the bits of our notification.
 */
#include "rt.h"

#define CFG_ADDRESS 0xcf8
#define CFG_DATA    0xcfc
#define EDU_ID      0x11e81234u /* device << 16 | vendor */
#define EDU_RAISE   0x60        /* write: raise an interrupt with these status bits */
#define EDU_ACK     0x64        /* write: clear these status bits */
#define EDU_STATUS  0x24        /* read: the interrupt status bits */
#define PCI_CAP_MSI 0x05
#define EDU_BAR_AT  (RT_SCRATCH + 0x30000000ull)

static uint32_t cfg_addr(unsigned dev, unsigned reg)
{
    return 0x80000000u | (dev << 11) | (reg & 0xfc);
}

static uint32_t cfg_read32(unsigned dev, unsigned reg)
{
    uint32_t v;
    __asm__ volatile("outl %0, %1" ::"a"(cfg_addr(dev, reg)), "Nd"((uint16_t)CFG_ADDRESS));
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"((uint16_t)CFG_DATA));
    return v;
}

static void cfg_write32(unsigned dev, unsigned reg, uint32_t v)
{
    __asm__ volatile("outl %0, %1" ::"a"(cfg_addr(dev, reg)), "Nd"((uint16_t)CFG_ADDRESS));
    __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"((uint16_t)CFG_DATA));
}

/* The edu device's slot on bus 0, or -1. */
static int find_edu(void)
{
    for (unsigned dev = 0; dev < 32; dev++)
        if (cfg_read32(dev, 0) == EDU_ID)
            return (int)dev;
    return -1;
}

/* The offset of its MSI capability, or 0. */
static unsigned find_msi(unsigned dev)
{
    unsigned at = cfg_read32(dev, 0x34) & 0xfc;
    for (int guard = 0; at && guard < 48; guard++) {
        uint32_t head = cfg_read32(dev, at);
        if ((head & 0xff) == PCI_CAP_MSI)
            return at;
        at = (head >> 8) & 0xfc;
    }
    return 0;
}

/* Program the MSI capability at `cap` with msi and enable it. */
static void enable_msi(unsigned dev, unsigned cap, const struct mica_msi *msi)
{
    uint32_t head = cfg_read32(dev, cap);
    int wide = (head >> 16) & 0x80; /* 64-bit address capable */
    cfg_write32(dev, cap + 4, (uint32_t)msi->address);
    if (wide) {
        cfg_write32(dev, cap + 8, (uint32_t)(msi->address >> 32));
        cfg_write32(dev, cap + 12, msi->data);
    } else {
        cfg_write32(dev, cap + 8, msi->data);
    }
    cfg_write32(dev, cap, head | (1u << 16)); /* message control: MSI enable, one vector */
    uint32_t cmd = cfg_read32(dev, 4);
    cfg_write32(dev, 4, (cmd & 0xffff) | 0x2 | 0x4 | 0x400); /* memory, bus master, no INTx */
}

static void test_msi_from_edu(void)
{
    int64_t ports = mica_ioport_create(rt_ioports, CFG_ADDRESS, 8);
    RT_CHECK(ports > 0);
    RT_EQ(mica_ioport_allow(rt_self, (mica_handle_t)ports), 0);
    int dev = find_edu();
    RT_CHECK(dev >= 0); /* QEMU runs with -device edu (tools/qemu-args.sh) */
    if (dev < 0)
        return;
    unsigned cap = find_msi((unsigned)dev);
    RT_CHECK(cap != 0);
    uint64_t bar = cfg_read32((unsigned)dev, 0x10) & ~0xfull;
    int64_t n = mica_notify_create();
    struct mica_msi msi = {0};
    int64_t irq = mica_irq_bind_msi(rt_irq_control, (mica_handle_t)n, 0x20, &msi);
    RT_CHECK(irq > 0);
    RT_EQ(msi.address & 0xfff00000ull, 0xfee00000ull);
    RT_CHECK(msi.data >= 0x20 && msi.data < 0xf0);
    enable_msi((unsigned)dev, cap, &msi);
    int64_t mmio = mica_vmo_create_phys(rt_phys, bar, RT_PAGE, MICA_CACHE_UC);
    RT_CHECK(mmio > 0);
    RT_EQ(mica_vm_map(rt_self, (mica_handle_t)mmio, 0, EDU_BAR_AT, RT_PAGE, RT_RW), EDU_BAR_AT);
    volatile uint32_t *regs = (volatile uint32_t *)EDU_BAR_AT;
    for (int i = 0; i < 3; i++) {
        regs[EDU_RAISE / 4] = 1u << i;
        RT_EQ(mica_notify_wait_timed((mica_handle_t)n, 2000000000ull), 0x20); /* the message came */
        RT_EQ(regs[EDU_STATUS / 4] & (1u << i), 1u << i);
        regs[EDU_ACK / 4] = 1u << i;
        RT_EQ(mica_irq_ack((mica_handle_t)irq), 0);
    }
    /* Once the IRQ object is gone, the vector no longer reaches the notification. */
    RT_EQ(mica_handle_close((mica_handle_t)irq), 0);
    regs[EDU_RAISE / 4] = 8;
    RT_EQ(mica_notify_wait_timed((mica_handle_t)n, 50000000ull), -MICA_ETIMEDOUT);
    regs[EDU_ACK / 4] = 8;
    cfg_write32((unsigned)dev, cap, cfg_read32((unsigned)dev, cap) & ~(1u << 16)); /* MSI off */
    RT_EQ(mica_vm_unmap(rt_self, EDU_BAR_AT, RT_PAGE), 0);
    RT_EQ(mica_handle_close((mica_handle_t)mmio), 0);
    RT_EQ(mica_handle_close((mica_handle_t)n), 0);
    RT_EQ(mica_handle_close((mica_handle_t)ports), 0);
}

/* Bad inputs: not the control object, not a notification, bad bits, bad pointer, all slots. */
static void test_msi_errors(void)
{
    int64_t n = mica_notify_create();
    struct mica_msi msi;
    RT_EQ(mica_irq_bind_msi(rt_phys, (mica_handle_t)n, 1, &msi), -MICA_EINVAL);
    RT_EQ(mica_irq_bind_msi(rt_irq_control, rt_self, 1, &msi), -MICA_EINVAL);
    RT_EQ(mica_irq_bind_msi(rt_irq_control, (mica_handle_t)n, 0, &msi), -MICA_EINVAL);
    RT_EQ(mica_irq_bind_msi(rt_irq_control, (mica_handle_t)n, 1ull << 63, &msi), -MICA_EINVAL);
    RT_EQ(mica_irq_bind_msi(rt_irq_control, (mica_handle_t)n, 1, (struct mica_msi *)RT_KERNEL),
          -MICA_EFAULT);
    int64_t irqs[40];
    unsigned got = 0;
    int64_t r;
    while (got < 40 && (r = mica_irq_bind_msi(rt_irq_control, (mica_handle_t)n, 1, &msi)) > 0)
        irqs[got++] = r;
    RT_EQ(got, 32); /* IRQ_MSI_SLOTS: the EFAULT above left no slot taken */
    RT_EQ(r, -MICA_ENOSPC);
    /* An MSI IRQ object cannot bind more. */
    RT_EQ(mica_irq_bind_msi((mica_handle_t)irqs[0], (mica_handle_t)n, 1, &msi), -MICA_EACCES);
    for (unsigned i = 0; i < got; i++)
        RT_EQ(mica_handle_close((mica_handle_t)irqs[i]), 0);
    RT_CHECK(mica_irq_bind_msi(rt_irq_control, (mica_handle_t)n, 1, &msi) > 0); /* free again */
    RT_EQ(mica_handle_close((mica_handle_t)n), 0);
}

const struct rt_test rt_msi_tests[] = {
    {"msi_from_edu", test_msi_from_edu},
    {"msi_errors", test_msi_errors},
};
const unsigned rt_msi_test_count = sizeof rt_msi_tests / sizeof rt_msi_tests[0];
