/*
 * gdt.c - segments and the task state segment of each CPU (concept: privilege
 * levels, kernel mode vs user mode).
 *
 * In long mode segmentation is nearly gone, but the GDT still says which code
 * runs at privilege level 0 (kernel) and 3 (user), and the TSS gives the stack
 * the CPU switches to on entering the kernel, the separate IST stacks for
 * double faults, NMIs and machine checks, and the I/O permission bitmap.  The
 * selector order (kernel code, kernel data, user code32, user data, user
 * code64) is the one that SYSCALL/SYSRET expect.
 */
#include <stdint.h>
#include <mica/string.h>
#include <arch/percpu.h>

#define SEG_KCODE64        0x00af9a000000ffffull /* present, DPL 0, code, long mode */
#define SEG_KDATA          0x00cf92000000ffffull /* present, DPL 0, data, writable */
#define SEG_UCODE32        0x00cffa000000ffffull /* present, DPL 3, code, 32-bit */
#define SEG_UDATA          0x00cff2000000ffffull /* present, DPL 3, data, writable */
#define SEG_UCODE64        0x00affa000000ffffull /* present, DPL 3, code, long mode */
#define TSS_TYPE_AVAILABLE 0x89ull               /* present, 64-bit TSS, not busy */

struct descriptor_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static void set_tss_descriptor(uint64_t *gdt, const struct tss_io *tss)
{
    uint64_t base = (uint64_t)tss;
    uint64_t limit = sizeof(struct tss_io) - 1;
    gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (TSS_TYPE_AVAILABLE << 40) |
                       (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[GDT_TSS / 8 + 1] = base >> 32;
}

static void tss_init(struct percpu *p)
{
    memset(&p->tss, 0, sizeof p->tss);
    p->tss.tss.rsp[0] = p->kstack_top;
    p->tss.tss.ist[IST_DOUBLE_FAULT - 1] = p->ist_top[IST_DOUBLE_FAULT];
    p->tss.tss.ist[IST_NMI - 1] = p->ist_top[IST_NMI];
    p->tss.tss.ist[IST_MACHINE_CHECK - 1] = p->ist_top[IST_MACHINE_CHECK];
    /* Every port denied until a driver process is given some (and the final byte must be ones). */
    p->tss.tss.iomap_base = (uint16_t)sizeof(struct tss);
    memset(p->tss.iopb, 0xff, sizeof p->tss.iopb);
}

/* Build this CPU's GDT and TSS and load them, with flat kernel segments. */
void gdt_load(struct percpu *p)
{
    p->gdt[0] = 0;
    p->gdt[GDT_KCODE / 8] = SEG_KCODE64;
    p->gdt[GDT_KDATA / 8] = SEG_KDATA;
    p->gdt[GDT_UCODE32 / 8] = SEG_UCODE32;
    p->gdt[GDT_UDATA / 8] = SEG_UDATA;
    p->gdt[GDT_UCODE64 / 8] = SEG_UCODE64;
    tss_init(p);
    set_tss_descriptor(p->gdt, &p->tss);

    struct descriptor_pointer gdtr = {sizeof p->gdt - 1, (uint64_t)p->gdt};
    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw %w2, %%ds\n\t"
                     "movw %w2, %%es\n\t"
                     "movw %w2, %%ss\n\t"
                     "ltr %w3"
                     :
                     : "m"(gdtr), "i"(GDT_KCODE), "r"(GDT_KDATA), "r"(GDT_TSS)
                     : "rax", "memory");
}
