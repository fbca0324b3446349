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
1:  pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    movq %rsp, %rdi
    call trap_dispatch
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    addq $16, %rsp              /* vector and error code */
    testb $3, 8(%rsp)
    jz 2f
    swapgs
2:  iretq
