/*
 * isr.S - the entry stubs of the interrupt vector table (concepts: TRAP,
 * interrupt vector table, interrupt service routines).
 *
 * The CPU reaches one 16-byte stub per vector.  Each stub makes the stack look
 * the same for every vector (it pushes a zero where the CPU pushed no error
 * code, then the vector number) and jumps to isr_common, which saves the
 * general registers as a struct trap_frame (arch/trap.h), calls
 * trap_dispatch(frame) and returns with iretq.  Coming from user mode (CPL 3)
 * it switches GS to the kernel's per-CPU base with swapgs, and back on return.
 */
#include <arch/gprs.inc>

#define ISR_STUB_SIZE 16

    .text
    .balign ISR_STUB_SIZE
    .globl isr_stubs
isr_stubs:
    .set vector, 0
    .rept 256
    .balign ISR_STUB_SIZE
    /* Vectors 8, 10-14, 17, 21, 29, 30: the CPU pushed an error code. */
    .if (vector == 8) || (vector >= 10 && vector <= 14) || (vector == 17) || (vector == 21) || (vector == 29) || (vector == 30)
    pushq $vector
    .else
    pushq $0
    pushq $vector
    .endif
    jmp isr_common
    .set vector, vector + 1
    .endr

isr_common:
    testb $3, 24(%rsp)          /* CS of the interrupted code: user mode? */
    jz 1f
    swapgs
1:  PUSH_GPRS
    cld
    movq %rsp, %rdi
    call trap_dispatch
    POP_GPRS
    addq $16, %rsp              /* vector and error code */
    testb $3, 8(%rsp)
    jz 2f
    swapgs
2:  iretq
