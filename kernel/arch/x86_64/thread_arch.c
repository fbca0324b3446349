/*
 * thread_arch.c - the x86-64 half of threads (concepts: context switch,
 * address-space switch, TLB).
 *
 * A thread's kernel stack holds, at its top, the user registers as a struct
 * trap_frame.  Below that, while the thread is switched out, lie the
 * callee-saved registers and the return address that switch_context() pops.
 * A new thread's stack is prepared so that its first switch "returns" into
 * thread_first_entry, which leaves for user mode through the frame.
 *
 * Switching threads also switches the kernel stack used on entry (TSS.rsp0
 * and the SYSCALL stack), the FS base, and, if the address space differs,
 * CR3.  Kernel mappings are global, so loading CR3 only drops user entries
 * from the TLB.
 */
#include <stdatomic.h>
#include <mica/aspace.h>
#include <mica/string.h>
#include <mica/thread.h>
#include <arch/apic.h>
#include <arch/layout.h>
#include <arch/percpu.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define RFLAGS_USER_DEFAULT 0x202 /* interrupts on, bit 1 always set */

void switch_context(uint64_t *save_rsp, uint64_t next_rsp);
extern char thread_first_entry[];

struct trap_frame *arch_thread_frame(struct thread *t)
{
    return (struct trap_frame *)(t->kstack_top - sizeof(struct trap_frame));
}

void arch_thread_init(struct thread *t, uint64_t entry, uint64_t stack, uint64_t arg)
{
    struct trap_frame *f = arch_thread_frame(t);
    memset(f, 0, sizeof *f);
    f->rip = entry;
    f->rsp = stack;
    f->rdi = arg;
    f->rflags = RFLAGS_USER_DEFAULT;
    f->cs = GDT_UCODE64 | 3;
    f->ss = GDT_UDATA | 3;
    /* The first switch pops six callee-saved registers and returns to thread_first_entry. */
    uint64_t *sp = (uint64_t *)f;
    *--sp = (uint64_t)thread_first_entry;
    for (int i = 0; i < 6; i++)
        *--sp = 0;
    t->saved_rsp = (uint64_t)sp;
}

void arch_switch_to(struct thread *prev, struct thread *next)
{
    struct percpu *p = this_cpu();
    if (next->kstack_top) {
        p->kernel_rsp = next->kstack_top;
        p->tss.tss.rsp[0] = next->kstack_top;
    }
    if (next->aspace && (!prev->aspace || prev->aspace->root != next->aspace->root))
        write_cr3(next->aspace->root);
    if (next->aspace)
        wrmsr(MSR_FS_BASE, next->fs_base);
    switch_context(&prev->saved_rsp, next->saved_rsp);
}

/* ---- TLB shoot-down ---- */

static _Atomic unsigned shootdown_pending;

static void tlb_interrupt(struct trap_frame *f)
{
    (void)f;
    write_cr3(read_cr3()); /* drops all non-global (user) entries */
    atomic_fetch_sub(&shootdown_pending, 1);
}

void tlb_init(void)
{
    irq_set_handler(VEC_IPI_TLB, tlb_interrupt);
}

/*
 * After user mappings of `as` changed: flush here, and on every other CPU
 * that is running a thread of `as` right now (only those can hold its entries,
 * since switching address spaces reloads CR3).
 */
void arch_tlb_flush_aspace(struct aspace *as)
{
    struct percpu *self = this_cpu();
    if (self->current && self->current->aspace == as)
        write_cr3(read_cr3());
    for (unsigned i = 0; i < MAX_CPUS; i++) {
        struct percpu *p = cpu_table[i];
        if (!p || p == self || atomic_load(&p->state) != CPU_ONLINE)
            continue;
        struct thread *t = p->current;
        if (!t || t->aspace != as)
            continue;
        atomic_fetch_add(&shootdown_pending, 1);
        lapic_send_ipi(p->apic_id, VEC_IPI_TLB);
    }
    while (atomic_load(&shootdown_pending))
        __asm__ volatile("pause");
}
