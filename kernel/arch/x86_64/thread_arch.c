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
 * and the SYSCALL stack), the FS and GS bases, the FPU state, the I/O
 * bitmap when the process changes, and CR3 when the page-table root differs
 * (the idle thread uses the kernel's own tables).  Kernel mappings are
 * global, so loading CR3 only drops user entries from the TLB.
 */
#include <stdatomic.h>
#include <mica/aspace.h>
#include <mica/errno.h>
#include <mica/string.h>
#include <mica/thread.h>
#include <abi/mica/syscall.h>
#include <arch/apic.h>
#include <arch/fpu.h>
#include <arch/layout.h>
#include <arch/mmu.h>
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

int arch_thread_init(struct thread *t, uint64_t entry, uint64_t stack, uint64_t arg)
{
    t->fpu = fpu_state_alloc();
    if (!t->fpu)
        return -ENOMEM;
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
    return 0;
}

void arch_thread_free(struct thread *t)
{
    fpu_state_free(t->fpu);
    t->fpu = 0;
}

/* Put the I/O permission bitmap of `as` into this CPU's TSS, if it is not there already. */
static void load_io_bitmap(struct percpu *p, const struct aspace *as)
{
    bool has_ports = as && as->io_bitmap;
    if (has_ports && p->io_owner == as->id && p->io_generation == as->io_generation)
        return;
    if (has_ports) {
        memcpy(p->tss.iopb, as->io_bitmap, IOPB_BYTES);
        p->io_owner = as->id;
        p->io_generation = as->io_generation;
    } else if (p->io_owner) {
        memset(p->tss.iopb, 0xff, IOPB_BYTES); /* close every port again */
        p->io_owner = 0;
    }
}

void arch_io_bitmap_reload(void)
{
    load_io_bitmap(this_cpu(), this_cpu()->current->aspace);
}

/*
 * The thread's FS and GS bases into their registers; GS goes to
 * MSR_KERNEL_GS_BASE, where swapgs finds it on the way to user mode.  A
 * write to these registers is slow, and user mode cannot change them (Mica
 * leaves CR4.FSGSBASE off), so each CPU remembers what they hold and skips
 * writing the same value again - threads of one program mostly share them.
 */
static void load_tls(struct percpu *p, const struct thread *t)
{
    if (p->user_fs_base != t->fs_base) {
        wrmsr(MSR_FS_BASE, t->fs_base);
        p->user_fs_base = t->fs_base;
    }
    if (p->user_gs_base != t->gs_base) {
        wrmsr(MSR_KERNEL_GS_BASE, t->gs_base);
        p->user_gs_base = t->gs_base;
    }
}

void arch_switch_to(struct thread *prev, struct thread *next)
{
    struct percpu *p = this_cpu();
    if (next->kstack_top) {
        p->kernel_rsp = next->kstack_top;
        p->tss.tss.rsp[0] = next->kstack_top;
    }
    /* The idle thread runs on the kernel's own tables, so that an address space can be
       freed as soon as none of its threads runs.  Within one space CR3 stays. */
    if (next->aspace != prev->aspace) {
        pcid_load(p->id, next->aspace);
        load_io_bitmap(p, next->aspace);
    }
    fpu_switch(prev, next);
    if (next->aspace)
        load_tls(p, next);
    switch_context(&prev->saved_rsp, next->saved_rsp);
}

/* Flags a user program may set: CF PF AF ZF SF TF DF OF and AC; IF always on. */
#define RFLAGS_USER_MASK 0x40dd5ull

void arch_thread_get_regs(struct thread *t, struct mica_regs *r)
{
    const struct trap_frame *f = arch_thread_frame(t);
    r->rax = f->rax;
    r->rbx = f->rbx;
    r->rcx = f->rcx;
    r->rdx = f->rdx;
    r->rsi = f->rsi;
    r->rdi = f->rdi;
    r->rbp = f->rbp;
    r->rsp = f->rsp;
    r->r8 = f->r8;
    r->r9 = f->r9;
    r->r10 = f->r10;
    r->r11 = f->r11;
    r->r12 = f->r12;
    r->r13 = f->r13;
    r->r14 = f->r14;
    r->r15 = f->r15;
    r->rip = f->rip;
    r->rflags = f->rflags;
    r->fs_base = t->fs_base;
    r->gs_base = t->gs_base;
}

/* Segment selectors stay the kernel's business; privileged flags cannot be set. */
void arch_thread_set_regs(struct thread *t, const struct mica_regs *r)
{
    struct trap_frame *f = arch_thread_frame(t);
    f->rax = r->rax;
    f->rbx = r->rbx;
    f->rcx = r->rcx;
    f->rdx = r->rdx;
    f->rsi = r->rsi;
    f->rdi = r->rdi;
    f->rbp = r->rbp;
    f->rsp = r->rsp;
    f->r8 = r->r8;
    f->r9 = r->r9;
    f->r10 = r->r10;
    f->r11 = r->r11;
    f->r12 = r->r12;
    f->r13 = r->r13;
    f->r14 = r->r14;
    f->r15 = r->r15;
    f->rip = r->rip;
    f->rflags = (r->rflags & RFLAGS_USER_MASK) | RFLAGS_USER_DEFAULT;
    f->cs = GDT_UCODE64 | 3;
    f->ss = GDT_UDATA | 3;
}

/*
 * A stopped thread's saved FPU area is complete only once its CPU has finished switching away
 * from it (fpu_switch saves it there): a thread that has just blocked may still be on its way.
 * A new thread has never run: its area holds its initial state.
 */
static void wait_switched_out(struct thread *t)
{
    if (t->state == THREAD_NEW)
        return;
    while (atomic_load_explicit(&t->on_cpu, memory_order_acquire))
        __asm__ volatile("pause");
}

void arch_thread_get_fpu(struct thread *t, uint8_t *area, uint32_t size)
{
    wait_switched_out(t);
    if (size == fpu_area_size())
        fpu_get_all(t->fpu, area);
    else
        fpu_get_legacy(t->fpu, area);
}

int arch_thread_set_fpu(struct thread *t, const uint8_t *area, uint32_t size)
{
    wait_switched_out(t);
    if (size == fpu_area_size())
        return fpu_set_all(t->fpu, area);
    return fpu_set_legacy(t->fpu, area);
}

uint32_t arch_fpu_area_size(void)
{
    return fpu_area_size();
}

uint64_t arch_fpu_features(void)
{
    return fpu_features();
}

void arch_thread_load_tls(struct thread *t)
{
    load_tls(this_cpu(), t);
}

/* ---- TLB shoot-down ---- */

static _Atomic unsigned shootdown_pending;

static void tlb_interrupt(struct trap_frame *f)
{
    (void)f;
    struct percpu *p = this_cpu();
    pcid_flush_current(p->id, p->current->aspace); /* drops the user entries */
    atomic_fetch_sub(&shootdown_pending, 1);
}

void tlb_init(void)
{
    irq_set_handler(VEC_IPI_TLB, tlb_interrupt);
}

/*
 * After user mappings of `as` changed: flush here, and on every other CPU
 * that is running a thread of `as` right now.  CPUs that ran it before may
 * still hold its entries under its PCID; the new generation makes them flush
 * when they next load it (pcid.c explains why no CPU slips through).
 */
void arch_tlb_flush_aspace(struct aspace *as)
{
    struct percpu *self = this_cpu();
    pcid_new_generation(as);
    if (self->current && self->current->aspace == as)
        pcid_flush_current(self->id, as);
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
