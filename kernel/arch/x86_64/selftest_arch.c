/*
 * selftest_arch.c - in-kernel self-tests of the x86-64 layer: page
 * protections (W^X), the exception-table fixups, guard pages, per-CPU data,
 * timer interrupts and inter-processor interrupts on every CPU.
 */
#include <stdatomic.h>
#include <mica/errno.h>
#include <mica/log.h>
#include <mica/selftest.h>
#include <arch/apic.h>
#include <arch/arch.h>
#include <arch/clock.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/percpu.h>
#include <arch/smp.h>
#include <arch/trap.h>
#include <arch/x86.h>

extern char __text_start[], __text_end[], __rodata_start[], __kernel_end[];
extern char __data_start[];
void kmain(uint32_t proto, uint32_t info_phys);

static const uint8_t some_rodata[16] = {1, 2, 3};
static uint8_t some_data[16];
static _Atomic unsigned cpu_failures;

/* No kernel page may be both writable and executable. */
static int test_wx_mappings(void)
{
    uint64_t root = mmu_kernel_root();
    for (uint64_t va = (uint64_t)__text_start; va < (uint64_t)__kernel_end; va += PAGE_SIZE) {
        uint64_t size;
        uint64_t pte = mmu_lookup(root, va, &size);
        if (!pte) {
            pr_err("wx: kernel page %#lx is not mapped\n", va);
            return 1;
        }
        bool text = va < (uint64_t)__text_end;
        if ((pte & PTE_W) && !(pte & PTE_NX)) {
            pr_err("wx: page %#lx is writable and executable\n", va);
            return 1;
        }
        if (text != !(pte & PTE_NX) || (text && (pte & PTE_W))) {
            pr_err("wx: page %#lx has the wrong rights (pte %#lx)\n", va, pte);
            return 1;
        }
    }
    uint64_t size;
    uint64_t direct = mmu_lookup(root, (uint64_t)phys_to_virt(0x100000), &size);
    if (!direct || !(direct & PTE_NX)) {
        pr_err("wx: the direct map is executable (pte %#lx)\n", direct);
        return 1;
    }
    return 0;
}

/* Writing to text or read-only data faults; the probe turns the fault into -EFAULT. */
static int test_write_protection(void)
{
    uint8_t *code = (uint8_t *)kmain;
    if (probe_write_u8(code, *code) != -EFAULT) {
        pr_err("wx: kernel text is writable\n");
        return 1;
    }
    if (probe_write_u8((void *)some_rodata, some_rodata[0]) != -EFAULT) {
        pr_err("wx: read-only data is writable\n");
        return 1;
    }
    if (probe_write_u8(some_data, 7) != 0 || some_data[0] != 7) {
        pr_err("wx: writable data cannot be written\n");
        return 1;
    }
    return 0;
}

/* Faulting accesses in probes come back as errors: unmapped, non-canonical, guard page. */
static int test_probe_faults(void)
{
    uint64_t v;
    if (probe_read_u64((void *)(KMAP_AREA + KMAP_AREA_SZ - PAGE_SIZE), &v) != -EFAULT) {
        pr_err("probe: read of an unmapped page did not fault\n");
        return 1;
    }
    if (probe_read_u64((void *)0x8000000000000000ull, &v) != -EFAULT) {
        pr_err("probe: read of a non-canonical address did not fault\n");
        return 1;
    }
    if (probe_read_u64((void *)0, &v) != -EFAULT) {
        pr_err("probe: read of address 0 did not fault\n");
        return 1;
    }
    uint64_t top = cpu_table[arch_cpus_online() > 1 ? 1 : 0]->kstack_top;
    if (arch_cpus_online() > 1 && probe_read_u64((void *)(top - KSTACK_SIZE - 8), &v) != -EFAULT) {
        pr_err("probe: the guard page below a kernel stack is mapped\n");
        return 1;
    }
    return 0;
}

static void percpu_worker(void *arg)
{
    (void)arg;
    struct percpu *p = this_cpu();
    if (p->self != p || cpu_table[p->id] != p || p->apic_id != lapic_id())
        atomic_fetch_add(&cpu_failures, 1);
}

static int test_percpu(void)
{
    atomic_store(&cpu_failures, 0);
    smp_run_on_all(percpu_worker, 0);
    if (atomic_load(&cpu_failures)) {
        pr_err("percpu: %u CPUs see wrong per-CPU data\n", atomic_load(&cpu_failures));
        return 1;
    }
    return 0;
}

/*
 * Every CPU receives its own timer interrupts: at least two within a second
 * (a hundred periods - generous, because an emulated CPU may be descheduled
 * by the host for a while; a dead timer still fails).
 */
static void ticks_worker(void *arg)
{
    (void)arg;
    uint64_t before = atomic_load(&this_cpu()->ticks);
    for (int waited_ms = 0; waited_ms < 1000; waited_ms += 10) {
        if (atomic_load(&this_cpu()->ticks) >= before + 2)
            return;
        arch_delay_us(10000);
    }
    atomic_fetch_add(&cpu_failures, 1);
}

static int test_timer_ticks(void)
{
    atomic_store(&cpu_failures, 0);
    smp_run_on_all(ticks_worker, 0);
    if (atomic_load(&cpu_failures)) {
        pr_err("timer: %u CPUs got too few timer interrupts\n", atomic_load(&cpu_failures));
        return 1;
    }
    return 0;
}

/* An IPI to each other CPU arrives. */
static int test_ipi(void)
{
    for (unsigned cpu = 1; cpu < MAX_CPUS; cpu++) {
        struct percpu *p = cpu_table[cpu];
        if (!p || atomic_load(&p->state) != CPU_ONLINE)
            continue;
        for (int round = 0; round < 100; round++) {
            uint64_t before = atomic_load(&p->ipis);
            smp_send_test_ipi(cpu);
            uint64_t waited = 0;
            while (atomic_load(&p->ipis) == before && waited < 1000000) {
                arch_delay_us(10);
                waited += 10;
            }
            if (atomic_load(&p->ipis) == before) {
                pr_err("ipi: cpu %u did not receive IPI %d\n", cpu, round);
                return 1;
            }
        }
    }
    return 0;
}

const struct selftest arch_selftests[] = {
    {"wx_mappings", test_wx_mappings},   {"write_protection", test_write_protection},
    {"probe_faults", test_probe_faults}, {"percpu", test_percpu},
    {"timer_ticks", test_timer_ticks},   {"ipi", test_ipi},
};
const unsigned arch_selftest_count = sizeof arch_selftests / sizeof arch_selftests[0];
