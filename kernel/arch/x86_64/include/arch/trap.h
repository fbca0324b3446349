/*
 * arch/trap.h - the saved state of an interrupted context, and how handlers
 * for interrupt vectors are installed.
 */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <stdint.h>

/*
 * Laid out by PUSH_GPRS (arch/gprs.inc: the general registers) and the CPU
 * (from rip on).  The first seven are the system-call registers in ABI order
 * (number, then arguments), viewed by the IPC fast path as a struct ipc_regs.
 */
struct trap_frame {
    uint64_t rax, rdi, rsi, rdx, r10, r8, r9;
    uint64_t rbx, rcx, rbp, r11, r12, r13, r14, r15;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

/* Vectors. 0-31 are the CPU's exceptions. */
#define VEC_PIC_BASE   0x20 /* legacy PIC, remapped here and masked */
#define VEC_IRQ_BASE   0x30 /* I/O APIC lines */
#define VEC_MSI_BASE   0x50 /* message-signalled interrupts: IRQ_MSI_SLOTS vectors from here */
#define VEC_BENCH_SELF 0xef /* bench_arch.c: interrupt entry cost */
#define VEC_TIMER      0xf0
#define VEC_IPI_WAKE   0xf1
#define VEC_IPI_TLB    0xf3
#define VEC_APIC_ERROR 0xfe
#define VEC_SPURIOUS   0xff

typedef void (*irq_handler_fn)(struct trap_frame *f);

void irq_set_handler(unsigned vector, irq_handler_fn fn);
void trap_dispatch(struct trap_frame *f);

void user_exception(struct trap_frame *f);

/* A `syscall` of a thread with a system-call handler (syscall_forward.c); interrupts on. */
enum forward_result {
    FORWARD_NONE,  /* no handler after all: run it as a native call */
    FORWARD_DONE,  /* answered: back to user mode as from any system call */
    FORWARD_EXACT, /* back with every register as the frame holds it (iretq, not sysretq) */
};
enum forward_result syscall_forward(struct trap_frame *f);
int probe_read_u64(const void *addr, uint64_t *out);
int probe_write_u8(void *addr, uint8_t value);

#endif
