/*
 * arch/percpu.h - the data each CPU keeps for itself.
 *
 * Every CPU has a struct percpu, reached through the GS segment base: the
 * first field points to the structure itself, so `mov %gs:0, reg` yields it.
 * It holds the CPU's own GDT and TSS (with the I/O permission bitmap that
 * later holds a driver process's ports), its stacks and its counters.
 */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

#define MAX_CPUS 64

#define GDT_KCODE   0x08
#define GDT_KDATA   0x10
#define GDT_UCODE32 0x18
#define GDT_UDATA   0x20
#define GDT_UCODE64 0x28
#define GDT_TSS     0x30
#define GDT_ENTRIES 8

#define IST_DOUBLE_FAULT  1
#define IST_NMI           2
#define IST_MACHINE_CHECK 3
#define IST_STACK_SIZE    8192

#define IOPB_BYTES 8192 /* one bit per I/O port, 65536 ports */

/* Offsets used by assembly (syscall.S); keep in step with struct percpu below. */
#define PERCPU_KERNEL_RSP 8
#define PERCPU_USER_RSP   16
#define PERCPU_ID         24 /* read by arch_cpu_id() in arch/cpu.h */

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stdbool.h>
#include <stdatomic.h>

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

/* The TSS followed by its I/O permission bitmap and the required all-ones byte. */
struct tss_io {
    struct tss tss;
    uint8_t iopb[IOPB_BYTES + 1];
} __attribute__((packed));

enum cpu_state {
    CPU_OFFLINE = 0,
    CPU_STARTING, /* SIPI sent, waiting for the CPU to answer */
    CPU_BOOTING,  /* answered, setting itself up */
    CPU_ONLINE,
    CPU_ABANDONED, /* never answered; if it wakes up late it halts itself */
};

typedef void (*cpu_work_fn)(void *arg);

struct thread;
struct runqueue;

struct percpu {
    struct percpu *self;          /* must be first: %gs:0 */
    uint64_t kernel_rsp;          /* %gs:8: top of the current thread's kernel stack */
    uint64_t user_rsp;            /* %gs:16: the user stack pointer during syscall entry */
    unsigned id;                  /* %gs:24: 0 = boot CPU */
    struct thread *current;       /* the thread running here */
    struct thread *idle;          /* this CPU's idle thread (its boot stack) */
    struct thread *switched_from; /* set by schedule() for finish_switch() */
    struct runqueue *rq;
    uint64_t io_owner;      /* id of the address space whose ports the TSS bitmap opens, 0 = none */
    uint64_t io_generation; /* of that address space's bitmap when it was loaded */
    uint64_t user_fs_base;  /* what MSR_FS_BASE holds (thread_arch.c, load_tls()) */
    uint64_t user_gs_base;  /* what MSR_KERNEL_GS_BASE holds in the kernel */
    uint32_t apic_id;
    _Atomic int state;
    uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
    struct tss_io tss __attribute__((aligned(16)));
    uint64_t kstack_top;
    uint64_t ist_top[4];
    /* Counters. */
    _Atomic uint64_t ticks;
    _Atomic uint64_t ipis;
    /* Work handed to this CPU by smp_run_on_all(). */
    _Atomic(cpu_work_fn) work_fn;
    void *work_arg;
};

extern struct percpu *cpu_table[MAX_CPUS];
extern unsigned cpu_count; /* CPUs described by the firmware and usable */

static inline struct percpu *this_cpu(void)
{
    struct percpu *p;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(p));
    return p;
}

void percpu_init_bsp(void);
struct percpu *percpu_alloc(unsigned id, uint32_t apic_id);
void percpu_load(struct percpu *p);
void gdt_load(struct percpu *p);
void idt_init(void);
void idt_load(void);

#endif /* __ASSEMBLER__ */
#endif
