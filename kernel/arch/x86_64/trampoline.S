/*
 * trampoline.S - the first instructions of an application processor (AP).
 *
 * An AP wakes from a STARTUP IPI in 16-bit real mode at physical address
 * vector * 4096; smp.c copies this code to AP_TRAMPOLINE_PHYS (0x8000) and
 * fills in the parameter block at its end.  The code climbs through 32-bit
 * protected mode into long mode using the boot page tables (which map this
 * low page one to one), then jumps to ap_start64 in the higher half with the
 * CPU index, the stack top and the kernel's page-table root.
 */
#include <arch/layout.h>

#define TR(x) ((x) - ap_trampoline + AP_TRAMPOLINE_PHYS)

    .section .ap_trampoline, "a"
    .code16
    .globl ap_trampoline
ap_trampoline:
    cli
    cld
    xorw %ax, %ax
    movw %ax, %ds
    lgdtl TR(tr_gdt_desc)
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl $0x08, $TR(tr_protected)

    .code32
tr_protected:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl %cr4, %eax
    orl $(1 << 5), %eax             /* PAE */
    movl %eax, %cr4
    movl TR(tr_boot_cr3), %eax
    movl %eax, %cr3
    movl $0xc0000080, %ecx          /* EFER: long mode, no-execute */
    rdmsr
    orl $((1 << 8) | (1 << 11)), %eax
    wrmsr
    movl %cr0, %eax
    orl $0x80010001, %eax           /* paging, write protect, protected mode */
    movl %eax, %cr0
    ljmpl $0x18, $TR(tr_long)

    .code64
tr_long:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movq TR(tr_cpu), %rdi
    movq TR(tr_stack), %rsi
    movq TR(tr_kernel_cr3), %rdx
    movq TR(tr_entry), %rax
    jmp *%rax

    .balign 8
tr_gdt:
    .quad 0
    .quad 0x00cf9a000000ffff        /* 0x08: 32-bit code */
    .quad 0x00cf92000000ffff        /* 0x10: data */
    .quad 0x00af9a000000ffff        /* 0x18: 64-bit code */
tr_gdt_desc:
    .short tr_gdt_desc - tr_gdt - 1
    .long TR(tr_gdt)

/* Parameter block, filled in by smp.c (struct ap_params). */
    .balign 8
    .globl ap_trampoline_params
ap_trampoline_params:
tr_boot_cr3:   .quad 0
tr_kernel_cr3: .quad 0
tr_stack:      .quad 0
tr_cpu:        .quad 0
tr_entry:      .quad 0
    .globl ap_trampoline_end
ap_trampoline_end:

/* Higher half: switch to the kernel's page tables and stack, then enter C. */
    .text
    .globl ap_start64
ap_start64:
    movq %rdx, %cr3
    movq %rsi, %rsp
    xorl %ebp, %ebp
    call ap_main
1:  cli
    hlt
    jmp 1b
