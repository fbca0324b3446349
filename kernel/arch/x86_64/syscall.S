/*
 * syscall.S - entering and leaving the kernel for system calls (concept:
 * system calls, fast entry with SYSCALL/SYSRET), and the paths back to user mode.
 *
 * SYSCALL jumps here at CPL 0 with the user RIP in RCX and RFLAGS in R11, on
 * the user's stack, with interrupts off (FMASK).  The entry swaps GS to the
 * per-CPU data, switches to the thread's kernel stack and saves the user
 * state as a struct trap_frame, exactly as an interrupt from user mode would.
 * So the user state of a thread is always the trap frame at the top of its
 * kernel stack, whichever way it entered.
 *
 * Back to user: SYSRET is fast but would fault in kernel mode on a
 * non-canonical RIP (the known SYSRET hazard: the #GP would run on the user
 * stack), so a frame whose RIP is not a canonical user address, or whose
 * CS/SS are not the standard user selectors, leaves through IRETQ instead.
 */
#include <arch/gprs.inc>
#include <arch/percpu.h>

#define TF_RIP    (17 * 8)
#define TF_CS     (18 * 8)
#define TF_RFLAGS (19 * 8)
#define TF_RSP    (20 * 8)
#define TF_SS     (21 * 8)
#define SYSCALL_VECTOR 0x100

    .text
    .globl syscall_entry
syscall_entry:
    swapgs
    movq %rsp, %gs:PERCPU_USER_RSP
    movq %gs:PERCPU_KERNEL_RSP, %rsp
    pushq $(GDT_UDATA | 3)          /* ss */
    pushq %gs:PERCPU_USER_RSP       /* rsp */
    pushq %r11                      /* rflags */
    pushq $(GDT_UCODE64 | 3)        /* cs */
    pushq %rcx                      /* rip */
    pushq $0                        /* error code */
    pushq $SYSCALL_VECTOR
    PUSH_GPRS
    xorl %ebp, %ebp                 /* backtraces stop here */
    movq %rsp, %rdi
    call syscall_dispatch           /* enables interrupts where it needs them */
    jmp return_to_user

/*
 * return_to_user: %rsp points at the current thread's trap frame; interrupts off.
 * Also the first code a new thread runs after its first context switch.
 */
    .globl return_to_user
return_to_user:
    movq TF_RIP(%rsp), %rcx
    movq %rcx, %r11
    shrq $47, %r11                  /* canonical user addresses have bits 63..47 clear */
    jnz iret_to_user
    cmpq $(GDT_UCODE64 | 3), TF_CS(%rsp)
    jne iret_to_user
    cmpq $(GDT_UDATA | 3), TF_SS(%rsp)
    jne iret_to_user
    POP_GPRS                        /* rcx and r11 are overwritten below */
    addq $16, %rsp                  /* vector, error code */
    popq %rcx                       /* rip */
    addq $8, %rsp                   /* cs */
    popq %r11                       /* rflags */
    popq %rsp                       /* the user's stack; ss is implied */
    swapgs
    sysretq

iret_to_user:
    POP_GPRS
    addq $16, %rsp
    swapgs
    iretq

/*
 * void syscall_exit_exact(struct trap_frame *f): back to user mode with every
 * register exactly as the frame holds it (a forwarded system call answered
 * with MICA_SYSCALL_REGS, syscall_arch.c): through IRETQ, since SYSRET would
 * take rcx and r11 for rip and rflags.  f is the trap frame at the top of the
 * kernel stack; what lies below it is not needed any more.  Interrupts off.
 */
    .globl syscall_exit_exact
syscall_exit_exact:
    movq %rdi, %rsp
    jmp iret_to_user

/*
 * void switch_context(uint64_t *save_rsp, uint64_t next_rsp)
 * Save the callee-saved registers on this kernel stack, remember the stack
 * pointer, continue on the next thread's kernel stack where it left off.
 */
    .globl switch_context
switch_context:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

/*
 * A new thread's first switch returns here: finish the switch, stop if it was
 * suspended before it ever ran, then enter user mode.
 */
    .globl thread_first_entry
thread_first_entry:
    call finish_switch
    sti
    call thread_return_to_user
    cli
    jmp return_to_user
