/*
 * crt0.S - where a native Mica program starts.  The kernel enters _start with
 * the stack pointer near the top of the stack and, for the root task, the
 * address of its struct mica_boot_handles in rdi; main(rdi) runs, and its
 * return ends the thread.
 */
    .text
    .globl _start
_start:
    xorl %ebp, %ebp
    andq $-16, %rsp
    call main
    movq %rax, %rdi
    call mica_thread_exit
1:  jmp 1b
