/*
 * crt0.S - where a native Mica program starts.  The kernel enters _start with
 * the stack pointer at the top of the stack and the program's first handle
 * (its own address space) in rdi; main(handle) runs, and its return ends the thread.
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
