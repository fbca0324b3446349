/*
 * tests_devices.c - tests of device access from user mode: I/O-port ranges
 * opened through the TSS bitmap, and interrupts delivered as notifications.
 * The device is the CMOS real-time clock: ports 0x70/0x71, ISA interrupt 8,
 * which can be made to tick periodically.
 */
#include "rt.h"

#define CMOS_INDEX     0x70
#define CMOS_DATA      0x71
#define CMOS_NMI_OFF   0x80
#define RTC_A          0x0a
#define RTC_B          0x0b
#define RTC_C          0x0c
#define RTC_B_PERIODIC 0x40
#define RTC_IRQ        8
#define STACK_SIZE     65536

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
    return inb(CMOS_DATA);
}

static void cmos_write(uint8_t reg, uint8_t v)
{
    outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
    outb(CMOS_DATA, v);
}

/* Sub-ranges must lie inside the range they come from. */
static void test_ioport_ranges(void)
{
    int64_t r = mica_ioport_create(rt_ioports, 0x70, 2);
    RT_CHECK(r > 0);
    RT_EQ(mica_ioport_create((mica_handle_t)r, 0x70, 3), -MICA_EINVAL);
    RT_EQ(mica_ioport_create((mica_handle_t)r, 0x6f, 1), -MICA_EINVAL);
    RT_EQ(mica_ioport_create((mica_handle_t)r, 0x70, 0), -MICA_EINVAL);
    RT_EQ(mica_ioport_create(rt_ioports, 0xffff, 2), -MICA_EINVAL);
    RT_EQ(mica_ioport_create(rt_self, 0x70, 1), -MICA_EINVAL); /* not a port range */
    RT_EQ(mica_ioport_allow(rt_self, rt_self), -MICA_EINVAL);
    RT_EQ(mica_ioport_allow((mica_handle_t)r, (mica_handle_t)r), -MICA_EINVAL);
    mica_handle_close((mica_handle_t)r);
}

static mica_handle_t probe_ep;

static void touch_keyboard_port(uint64_t arg)
{
    (void)arg;
    inb(0x64); /* not opened for this process */
    mica_thread_exit();
}

/* Once opened, the RTC's ports work; a port outside the range still faults. */
static void test_ports_open_exactly_the_range(void)
{
    int64_t r = mica_ioport_create(rt_ioports, CMOS_INDEX, 2);
    RT_EQ(mica_ioport_allow(rt_self, (mica_handle_t)r), 0);
    uint8_t b = cmos_read(RTC_B); /* would fault if the range were not open */
    RT_EQ(cmos_read(RTC_B), b);

    probe_ep = (mica_handle_t)mica_endpoint_create();
    int64_t vmo = mica_vmo_create(STACK_SIZE);
    int64_t stack = mica_vm_map(rt_self, (mica_handle_t)vmo, 0, 0, STACK_SIZE,
                                MICA_PROT_READ | MICA_PROT_WRITE);
    int64_t t = mica_thread_create(rt_self, touch_keyboard_port, (void *)(stack + STACK_SIZE), 0);
    mica_thread_set_fault_handler((mica_handle_t)t, probe_ep);
    mica_thread_start((mica_handle_t)t);
    struct mica_msg m = {0};
    RT_EQ(mica_recv(probe_ep, &m), 0);
    RT_EQ(m.tag >> MICA_TAG_LABEL_SHIFT, MICA_MSG_FAULT);
    RT_EQ(m.w[0], 13); /* general protection fault */
    struct mica_msg kill = {0, 0, {MICA_FAULT_KILL, 0, 0, 0}};
    RT_EQ(mica_reply(&kill), 0);
    mica_handle_close((mica_handle_t)t);
    mica_handle_close(probe_ep);
    mica_vm_unmap(rt_self, (uint64_t)stack, STACK_SIZE);
    mica_handle_close((mica_handle_t)vmo);
    mica_handle_close((mica_handle_t)r);
}

/* The RTC's periodic interrupt arrives as notification bits, once per acknowledgement. */
static void test_irq_as_notification(void)
{
    int64_t r = mica_ioport_create(rt_ioports, CMOS_INDEX, 2);
    RT_EQ(mica_ioport_allow(rt_self, (mica_handle_t)r), 0);
    mica_handle_t n = (mica_handle_t)mica_notify_create();
    int64_t irq = mica_irq_bind(rt_irq_control, RTC_IRQ, n, 1u << 5);
    RT_CHECK(irq > 0);
    RT_EQ(mica_irq_bind(rt_irq_control, RTC_IRQ, n, 1), -MICA_EBUSY);

    uint8_t a = cmos_read(RTC_A), b = cmos_read(RTC_B);
    cmos_write(RTC_A, (uint8_t)((a & 0xf0) | 0x06)); /* 1024 Hz */
    cmos_write(RTC_B, b | RTC_B_PERIODIC);
    cmos_read(RTC_C); /* clear any pending flag so the next tick interrupts */
    for (int i = 0; i < 5; i++) {
        RT_EQ(mica_notify_wait(n), 1u << 5);
        cmos_read(RTC_C); /* the device's own acknowledgement */
        RT_EQ(mica_irq_ack((mica_handle_t)irq), 0);
    }
    cmos_write(RTC_B, b);
    cmos_write(RTC_A, a);
    cmos_read(RTC_C);
    mica_handle_close((mica_handle_t)irq);
    mica_handle_close(n);
    mica_handle_close((mica_handle_t)r);
}

/* Binding checks the control object, the line, the notification and the bits. */
static void test_irq_bind_errors(void)
{
    mica_handle_t n = (mica_handle_t)mica_notify_create();
    RT_EQ(mica_irq_bind(rt_irq_control, 99, n, 1), -MICA_EINVAL);
    RT_EQ(mica_irq_bind(rt_irq_control, 5, n, 0), -MICA_EINVAL);
    RT_EQ(mica_irq_bind(rt_irq_control, 5, rt_self, 1), -MICA_EINVAL);
    RT_EQ(mica_irq_bind(n, 5, n, 1), -MICA_EINVAL);
    RT_EQ(mica_irq_bind(0, 5, n, 1), -MICA_EBADF);
    int64_t irq = mica_irq_bind(rt_irq_control, 5, n, 1);
    RT_CHECK(irq > 0);
    RT_EQ(mica_irq_bind((mica_handle_t)irq, 6, n, 1), -MICA_EACCES); /* line objects can't bind */
    RT_EQ(mica_irq_ack(rt_irq_control), -MICA_EINVAL);
    mica_handle_close((mica_handle_t)irq);
    int64_t again = mica_irq_bind(rt_irq_control, 5, n, 1); /* closing freed the line */
    RT_CHECK(again > 0);
    mica_handle_close((mica_handle_t)again);
    mica_handle_close(n);
}

const struct rt_test rt_device_tests[] = {
    {"ioport_ranges", test_ioport_ranges},
    {"ioport_open_exactly_the_range", test_ports_open_exactly_the_range},
    {"irq_as_notification", test_irq_as_notification},
    {"irq_bind_errors", test_irq_bind_errors},
};
const unsigned rt_device_test_count = sizeof rt_device_tests / sizeof rt_device_tests[0];

#define RAM_ADDR  0x100000ull   /* the first MiB above the BIOS area: always RAM */
#define HPET_BASE 0xfed00000ull /* QEMU's HPET (also listed in the ACPI HPET table) */

/* Device memory can be mapped uncached and read; RAM cannot be had this way. */
static void test_device_memory(void)
{
    RT_EQ(mica_vmo_create_phys(rt_phys, RAM_ADDR, 4096, MICA_CACHE_UC), -MICA_EACCES);
    RT_EQ(mica_vmo_create_phys(rt_phys, HPET_BASE + 1, 4096, MICA_CACHE_UC), -MICA_EINVAL);
    RT_EQ(mica_vmo_create_phys(rt_phys, HPET_BASE, 4096, 9), -MICA_EINVAL);
    RT_EQ(mica_vmo_create_phys(rt_self, HPET_BASE, 4096, MICA_CACHE_UC), -MICA_EINVAL);
    int64_t sub = mica_phys_create(rt_phys, HPET_BASE, 4096);
    RT_CHECK(sub > 0);
    RT_EQ(mica_phys_create((mica_handle_t)sub, HPET_BASE, 8192), -MICA_EINVAL);
    RT_EQ(mica_vmo_create_phys((mica_handle_t)sub, HPET_BASE + 4096, 4096, MICA_CACHE_UC),
          -MICA_EINVAL);
    int64_t vmo = mica_vmo_create_phys((mica_handle_t)sub, HPET_BASE, 4096, MICA_CACHE_UC);
    RT_CHECK(vmo > 0);
    RT_EQ(mica_vmo_phys_addr((mica_handle_t)vmo), (int64_t)HPET_BASE);
    RT_EQ(mica_vm_map(rt_self, (mica_handle_t)vmo, 0, 0, 4096, MICA_PROT_READ | MICA_PROT_EXEC),
          -MICA_EACCES); /* device memory is never executable */
    int64_t at = mica_vm_map(rt_self, (mica_handle_t)vmo, 0, 0, 4096, MICA_PROT_READ);
    RT_CHECK(at > 0);
    volatile uint64_t *hpet = (volatile uint64_t *)at;
    uint64_t period_fs = hpet[0] >> 32;
    RT_CHECK(period_fs > 0 && period_fs <= 100000000); /* the HPET's tick, at most 100 ns */
    uint64_t c0 = hpet[0xf0 / 8];
    for (int i = 0; i < 10; i++)
        mica_yield();
    RT_CHECK(hpet[0xf0 / 8] > c0); /* its main counter runs */
    mica_vm_unmap(rt_self, (uint64_t)at, 4096);
    mica_handle_close((mica_handle_t)vmo);
    mica_handle_close((mica_handle_t)sub);
}

/* DMA memory: physically contiguous, naturally aligned, and its address is known. */
static void test_contiguous_memory(void)
{
    RT_EQ(mica_vmo_create_contig(0, MICA_CACHE_WB), -MICA_EINVAL);
    RT_EQ(mica_vmo_create_contig(8ull << 20, MICA_CACHE_WB), -MICA_EINVAL);
    RT_EQ(mica_vmo_create_contig(4096, 3), -MICA_EINVAL);
    int64_t vmo = mica_vmo_create_contig(65536, MICA_CACHE_WC);
    RT_CHECK(vmo > 0);
    int64_t pa = mica_vmo_phys_addr((mica_handle_t)vmo);
    RT_CHECK(pa > 0 && pa % 65536 == 0);
    int64_t at =
        mica_vm_map(rt_self, (mica_handle_t)vmo, 0, 0, 65536, MICA_PROT_READ | MICA_PROT_WRITE);
    RT_CHECK(at > 0);
    volatile uint32_t *p = (volatile uint32_t *)at;
    RT_EQ(p[100], 0); /* handed out cleared */
    p[100] = 0xabcd;
    RT_EQ(p[100], 0xabcd);
    int64_t weak = mica_handle_dup((mica_handle_t)vmo, MICA_RIGHT_ALL & ~MICA_RIGHT_MANAGE);
    RT_EQ(mica_vmo_phys_addr((mica_handle_t)weak), -MICA_EACCES);
    int64_t anon = mica_vmo_create(4096);
    RT_EQ(mica_vmo_phys_addr((mica_handle_t)anon), -MICA_EINVAL);
    RT_EQ(mica_vmo_size((mica_handle_t)vmo), 65536);
    RT_EQ(mica_vmo_size((mica_handle_t)anon), 4096);
    RT_EQ(mica_vmo_size((mica_handle_t)weak), 65536); /* no right needed */
    RT_EQ(mica_vmo_size(rt_self), -MICA_EINVAL);      /* not a VM object */
    RT_EQ(mica_vmo_size(0x7fffffff), -MICA_EBADF);
    mica_vm_unmap(rt_self, (uint64_t)at, 65536);
    mica_handle_close((mica_handle_t)anon);
    mica_handle_close((mica_handle_t)weak);
    mica_handle_close((mica_handle_t)vmo);
}

const struct rt_test rt_device_memory_tests[] = {
    {"device_memory", test_device_memory},
    {"contiguous_memory", test_contiguous_memory},
};
const unsigned rt_device_memory_test_count =
    sizeof rt_device_memory_tests / sizeof rt_device_memory_tests[0];
