/*
 * pcid.c - address spaces tagged in the TLB (concepts: TLB, address-space
 * identifiers, TLB shoot-down).
 *
 * Without tags, loading CR3 empties the user part of the TLB, so every
 * switch between address spaces - every IPC between two processes - starts
 * the next program with a cold TLB.  With CR4.PCIDE, the TLB tags each entry
 * with a 12-bit process-context identifier (PCID), the low 12 bits of CR3,
 * and a CR3 load with bit 63 set keeps the entries of every PCID.  Mica gives
 * each address space its own PCID (1 to 4095; the kernel's own tables, which
 * the idle threads use, have 0), so switching back to a space finds its
 * entries still there.
 *
 * The price is that entries outlive the switch away from a space.  A TLB
 * shoot-down (arch_tlb_flush_aspace() in thread_arch.c) interrupts only the
 * CPUs that run the space *now*; a CPU that ran it before may still hold its
 * old entries under its PCID.  Mica handles this with a generation count:
 * every shoot-down of a space first increments the space's tlb_gen, and each
 * CPU remembers, in tlb_seen[cpu], the generation it last flushed the space
 * at.  Loading the space's CR3 keeps its entries only if tlb_seen[cpu] is
 * still the current generation, and otherwise flushes that PCID (bit 63
 * clear) and records the generation.  The race between a CPU switching to a
 * space and another CPU shooting it down is closed in the Dekker way: the
 * switching CPU writes its `current` thread, then (full fence) reads
 * tlb_gen; the shooting CPU increments tlb_gen (a locked instruction, a full
 * fence), then reads every CPU's `current`.  One of the two sees the other's
 * write: either the switch sees the new generation and flushes, or the
 * shoot-down sees the space running there and interrupts that CPU.
 *
 * A PCID freed with its address space may still tag stale entries on some
 * CPUs; the next space to get it starts at generation 1 with every tlb_seen
 * 0, so each CPU flushes it on first use.  Should all 4095 PCIDs be taken,
 * further spaces get PCID 0 and are flushed at every load, as without
 * PCIDs.  Flushing the running space uses INVPCID (single context) where the
 * CPU has it, else a CR3 reload.  Without CPU support for PCIDs everything
 * works as before: every CR3 load flushes.
 */
#include <stdatomic.h>
#include <mica/aspace.h>
#include <mica/log.h>
#include <mica/spinlock.h>
#include <arch/mmu.h>
#include <arch/percpu.h>
#include <arch/x86.h>

#define PCID_COUNT   4096
#define PCID_MASK    0xfffull
#define CR3_NOFLUSH  (1ull << 63)
#define INVPCID_CTX  1 /* invalidate one PCID's entries (not global ones) */
#define CPUID1_PCID  (1u << 17)
#define CPUID7_INVPC (1u << 10)

_Static_assert(MAX_CPUS <= ASPACE_MAX_CPUS, "tlb_seen[] needs a slot per CPU");

static bool probed, pcid_on, invpcid_on;
static struct spinlock pcid_lock = SPINLOCK_INIT("pcid");
static uint64_t pcid_taken[PCID_COUNT / 64] = {1}; /* PCID 0 is the kernel's */

/* Per CPU, with the kernel's page tables loaded (their PCID is 0, as CR4.PCIDE requires). */
void pcid_init_cpu(void)
{
    bool first = !probed; /* the boot CPU, before any other starts */
    if (first) {
        pcid_on = (cpuid(1, 0).ecx & CPUID1_PCID) != 0;
        invpcid_on = pcid_on && (cpuid(7, 0).ebx & CPUID7_INVPC) != 0;
        probed = true;
    }
    if (pcid_on)
        write_cr4(read_cr4() | CR4_PCIDE);
    if (first)
        pr_info("tlb: %s\n", !pcid_on     ? "no PCIDs: every address-space switch flushes"
                             : invpcid_on ? "address spaces tagged with PCIDs, INVPCID"
                                          : "address spaces tagged with PCIDs");
}

void arch_aspace_tlb_init(struct aspace *as)
{
    atomic_store(&as->tlb_gen, 1);
    as->asid = 0;
    if (!pcid_on)
        return;
    uint64_t flags = spin_lock_irqsave(&pcid_lock);
    for (unsigned w = 0; w < PCID_COUNT / 64 && !as->asid; w++) {
        if (pcid_taken[w] == ~0ull)
            continue;
        unsigned bit = (unsigned)__builtin_ctzll(~pcid_taken[w]);
        pcid_taken[w] |= 1ull << bit;
        as->asid = w * 64 + bit;
    }
    spin_unlock_irqrestore(&pcid_lock, flags);
}

void arch_aspace_tlb_free(struct aspace *as)
{
    if (!as->asid)
        return;
    uint64_t flags = spin_lock_irqsave(&pcid_lock);
    pcid_taken[as->asid / 64] &= ~(1ull << (as->asid % 64));
    spin_unlock_irqrestore(&pcid_lock, flags);
    as->asid = 0;
}

/*
 * Load the page tables of `as` (NULL: the kernel's) on this CPU, whose
 * `current` already names the thread that will use them.
 */
void pcid_load(unsigned cpu, struct aspace *as)
{
    uint64_t cr3 = as ? as->root | as->asid : mmu_kernel_root();
    if (read_cr3() == cr3)
        return;
    if (!as || !as->asid) {
        write_cr3(cr3); /* PCID 0: flushed at every load */
        return;
    }
    atomic_thread_fence(memory_order_seq_cst); /* `current` before tlb_gen: see above */
    uint64_t gen = atomic_load_explicit(&as->tlb_gen, memory_order_relaxed);
    if (as->tlb_seen[cpu] == gen) {
        write_cr3(cr3 | CR3_NOFLUSH);
        return;
    }
    write_cr3(cr3);
    as->tlb_seen[cpu] = gen;
}

static void invpcid(uint64_t type, uint64_t pcid)
{
    struct {
        uint64_t pcid, addr;
    } desc = {pcid, 0};
    __asm__ volatile("invpcid %0, %1" ::"m"(desc), "r"(type) : "memory");
}

/* Drop this CPU's entries of the address space it runs (NULL: none but global ones). */
void pcid_flush_current(unsigned cpu, struct aspace *as)
{
    if (!as || !as->asid) {
        write_cr3(read_cr3());
        return;
    }
    uint64_t gen = atomic_load(&as->tlb_gen);
    if (invpcid_on)
        invpcid(INVPCID_CTX, as->asid);
    else
        write_cr3(read_cr3()); /* bit 63 clear: flushes the PCID loaded */
    as->tlb_seen[cpu] = gen;
}

/* Before a shoot-down of `as`: CPUs that ran it before flush it when they next load it. */
void pcid_new_generation(struct aspace *as)
{
    atomic_fetch_add(&as->tlb_gen, 1);
}
