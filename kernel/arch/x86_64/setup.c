/*
 * setup.c - bringing up a PC, in order (concept: the boot process).
 *
 * boot.S enters kmain() in long mode on the boot stack.  From there:
 *   1. per-CPU data, the serial console, GDT/TSS/IDT: from now on any fault
 *      is reported instead of resetting the machine;
 *   2. the boot loader's information: command line, memory map, modules;
 *   3. memory: the kernel's page tables and the physical page allocator;
 *   4. ACPI tables: CPUs, interrupt controllers, timers;
 *   5. interrupt controllers, the calibrated clock and the timer interrupt;
 *   6. system-call entry, FPU state, TLB shoot-down and the scheduler;
 *   7. the other CPUs;
 * and finally the generic kernel_main().
 */
#include <mica/cmdline.h>
#include <mica/kernel.h>
#include <mica/kmalloc.h>
#include <mica/log.h>
#include <mica/panic.h>
#include <mica/pmm.h>
#include <mica/sched.h>
#include <mica/thread.h>
#include <mica/testexit.h>
#include <arch/apic.h>
#include <arch/arch.h>
#include <arch/boot.h>
#include <arch/clock.h>
#include <arch/fpu.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/percpu.h>
#include <arch/platform.h>
#include <arch/smp.h>
#include <arch/x86.h>

#define MIB (1024ul * 1024)

extern char __kernel_phys_start[], __kernel_phys_end[];
void uart_init(void);
void syscall_init_cpu(void);
void tlb_init(void);

_Noreturn void arch_halt_forever(void)
{
    for (;;) {
        irq_disable();
        halt();
    }
}

void arch_qemu_exit(uint32_t code)
{
    outl(0xf4, code); /* QEMU's isa-debug-exit device; nothing on a real PC */
}

static void apply_cmdline(const char *cmdline)
{
    uint64_t level;
    if (cmdline_get_u64(cmdline, "loglevel", &level))
        log_set_level((int)level);
    if (cmdline_has(cmdline, "mica.exit"))
        test_exit_enable();
}

static void read_boot_info(uint32_t proto, uint32_t info_phys)
{
    memmap_init(&boot_info.memmap);
    const char *why;
    if (proto == BOOT_PROTO_MB2)
        why = boot_parse_mb2(info_phys, &boot_info);
    else
        why = boot_parse_pvh(info_phys, &boot_info);
    apply_cmdline(boot_info.cmdline);
    if (why)
        panic("boot: bad boot information: %s", why);
}

/* Check the memory map and keep the kernel image and boot modules out of the free memory. */
static uint64_t check_memory(struct memmap *m)
{
    const char *why;
    if (memmap_sanitize(m, &why) < 0)
        panic("boot: unusable memory map from the boot loader: %s", why);
    uint64_t usable = memmap_total(m, MEM_USABLE);
    if (usable < PMM_MIN_USABLE_MIB * MIB)
        panic("boot: not enough memory: %lu KiB usable, Mica needs at least %u MiB", usable / 1024,
              PMM_MIN_USABLE_MIB);
    uint64_t kstart = (uint64_t)__kernel_phys_start, kend = (uint64_t)__kernel_phys_end;
    if (memmap_carve(m, kstart, kend - kstart, MEM_KERNEL, &why) < 0)
        panic("boot: cannot reserve the kernel image: %s", why);
    for (unsigned i = 0; i < boot_info.nmodules; i++) {
        const struct boot_module *mod = &boot_info.modules[i];
        if (memmap_carve(m, mod->start, mod->end - mod->start, MEM_BOOT_MODULE, &why) < 0)
            panic("boot: cannot reserve boot module %s: %s", mod->name, why);
    }
    return usable;
}

static void print_memory_map(const struct memmap *m)
{
    for (unsigned i = 0; i < m->count; i++)
        pr_debug("  %#014lx-%#014lx %s\n", m->e[i].base, m->e[i].base + m->e[i].length,
                 memmap_type_name(m->e[i].type));
}

static void init_clock(void)
{
    bool hpet = platform_acpi.has_hpet && hpet_init(platform_acpi.hpet_phys);
    if (platform_acpi.has_hpet && !hpet)
        pr_warn("hpet: the HPET reports an invalid tick period; using the PIT\n");
    tsc_calibrate(hpet);
}

void kmain(uint32_t proto, uint32_t info_phys)
{
    percpu_init_bsp();
    uart_init();
    idt_init();
    gdt_load(cpu_table[0]);
    idt_load();

    read_boot_info(proto, info_phys);
    pr_info("Mica microkernel (x86-64), booted via %s; command line \"%s\"\n", boot_info.protocol,
            boot_info.cmdline);
    uint64_t usable = check_memory(&boot_info.memmap);
    print_memory_map(&boot_info.memmap);

    pmm_early_init(&boot_info.memmap);
    mmu_init(&boot_info.memmap);
    pmm_init(&boot_info.memmap);
    kmalloc_init();
    pr_info("memory: %lu MiB usable, %lu MiB free for allocation\n", usable / MIB,
            pmm_usable_bytes() / MIB);

    platform_acpi_init(&boot_info);
    pic_disable();
    lapic_init_bsp(platform_acpi.lapic_phys);
    ioapic_init();
    init_clock();
    timer_init_bsp();

    syscall_init_cpu();
    fpu_init_bsp();
    tlb_init();
    timeout_init();
    sched_init_cpu(0);
    smp_init();
    smp_boot_aps();
    irq_enable();
    kernel_main(usable);
}
