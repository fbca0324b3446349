/*
 * percpu.c - per-CPU data (see arch/percpu.h): the boot CPU's is static, the
 * others' are allocated when they are started.
 */
#include <stddef.h>
#include <mica/string.h>
#include <mica/panic.h>
#include <mica/pmm.h>
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/percpu.h>
#include <arch/x86.h>

struct percpu *cpu_table[MAX_CPUS];
unsigned cpu_count = 1;

static struct percpu bsp_percpu __attribute__((aligned(4096)));
static uint8_t bsp_ist_stacks[4][IST_STACK_SIZE] __attribute__((aligned(16)));
extern uint8_t boot_stack_top[];

_Static_assert(offsetof(struct percpu, id) == PERCPU_ID, "arch_cpu_id() reads the id at %gs:24");
_Static_assert(offsetof(struct percpu, kernel_rsp) == PERCPU_KERNEL_RSP, "syscall.S");
_Static_assert(offsetof(struct percpu, user_rsp) == PERCPU_USER_RSP, "syscall.S");

void percpu_load(struct percpu *p)
{
    p->self = p;
    wrmsr(MSR_GS_BASE, (uint64_t)p);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
}

/* The boot CPU's per-CPU data must work before any memory allocator does. */
void percpu_init_bsp(void)
{
    struct percpu *p = &bsp_percpu;
    p->id = 0;
    p->kstack_top = (uint64_t)boot_stack_top;
    for (int i = 1; i < 4; i++)
        p->ist_top[i] = (uint64_t)&bsp_ist_stacks[i][IST_STACK_SIZE];
    atomic_store(&p->state, CPU_ONLINE);
    cpu_table[0] = p;
    percpu_load(p);
}

struct percpu *percpu_alloc(unsigned id, uint32_t apic_id)
{
    struct percpu *p = pmm_alloc_bytes(sizeof *p);
    if (!p)
        panic("smp: out of memory for the data of cpu %u", id);
    memset(p, 0, sizeof *p);
    p->id = id;
    p->apic_id = apic_id;
    p->kstack_top = kstack_alloc();
    for (int i = 1; i < 4; i++)
        p->ist_top[i] = kstack_alloc();
    cpu_table[id] = p;
    return p;
}
