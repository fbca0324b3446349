/*
 * boot.S - the first instructions of Mica: from a boot loader's 32-bit
 * protected mode into 64-bit long mode in the higher half.
 *
 * Two boot protocols arrive here, both in 32-bit protected mode with paging off:
 *   - Multiboot2 (GRUB, on BIOS and UEFI PCs): the ELF entry point, boot_entry,
 *     with EAX = 0x36d76289 and EBX = the physical address of the boot information;
 *   - PVH (QEMU's direct `-kernel` boot): the address in the Xen ELF note,
 *     pvh_entry, with EBX = the physical address of the hvm_start_info block.
 *
 * Both record which protocol it was, build boot page tables that map the first
 * 4 GiB twice (identity, and the direct map at DIRECT_MAP) and the first 2 GiB
 * once more at KERNEL_VBASE for the kernel image, switch on long mode with no-execute support, and call kmain()
 * in the higher half.  kmain() replaces these tables with the real ones.
 */
#include <arch/layout.h>

#define MB2_HEADER_MAGIC   0xe85250d6
#define MB2_ARCH_I386      0
#define MB2_LOADER_MAGIC   0x36d76289
#define XEN_ELFNOTE_PHYS32_ENTRY 18

#define BOOT_PROTO_MB2 1
#define BOOT_PROTO_PVH 2

#define V2P(x) ((x) - KERNEL_VBASE)

#define COM1 0x3f8

/* ---- Multiboot2 header: must lie in the first 32 KiB of the file. ---- */
    .section .multiboot2, "a"
    .balign 8
mb2_header:
    .long MB2_HEADER_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long 0x100000000 - (MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    /* framebuffer tag: we would like a linear framebuffer, 1024x768 at 32 bits per pixel if
     * possible (flags 1: optional), for the framebuffer console drivers/fbcon; without it GRUB
     * under UEFI hands over no screen at all */
    .balign 8
    .short 5
    .short 1
    .long 20
    .long 1024
    .long 768
    .long 32
    /* end tag */
    .balign 8
    .short 0
    .short 0
    .long 8
mb2_header_end:

/* ---- PVH entry note read by QEMU's ELF loader. ---- */
    .section .note.Xen, "a", @note
    .balign 4
    .long 4                       /* name size */
    .long 4                       /* descriptor size */
    .long XEN_ELFNOTE_PHYS32_ENTRY
    .asciz "Xen"
    .long pvh_entry

/* ---- 32-bit code, linked at its physical address. ---- */
    .section .boot.text, "ax"
    .code32
    .globl boot_entry
boot_entry:
    cli
    cld
    cmpl $MB2_LOADER_MAGIC, %eax
    jne unknown_loader
    movl $BOOT_PROTO_MB2, %edi
    movl %ebx, %esi
    jmp common32

    .globl pvh_entry
pvh_entry:
    cli
    cld
    movl $BOOT_PROTO_PVH, %edi
    movl %ebx, %esi

common32:
    movl $V2P(boot_stack_top), %esp
    movl %edi, V2P(boot_proto)
    movl %esi, V2P(boot_info_phys)
    rdtsc
    movl %eax, V2P(boot_tsc)
    movl %edx, V2P(boot_tsc) + 4

    /* The CPU must have long mode and the no-execute bit. */
    movl $0x80000000, %eax
    cpuid
    cmpl $0x80000001, %eax
    jb no_long_mode
    movl $0x80000001, %eax
    cpuid
    testl $(1 << 29), %edx
    jz no_long_mode
    testl $(1 << 20), %edx
    jz no_nx

    /* Clear the boot page tables. */
    movl $V2P(boot_pml4), %edi
    movl $(7 * 4096 / 4), %ecx
    xorl %eax, %eax
    rep stosl

    /* Four page directories of 2 MiB pages: physical 0 .. 4 GiB. */
    movl $V2P(boot_pd), %edi
    movl $0x83, %eax               /* present, writable, 2 MiB page */
    movl $2048, %ecx
1:  movl %eax, (%edi)
    addl $0x200000, %eax
    addl $8, %edi
    loop 1b

    /* The low PDPT points at all four directories. */
    movl $V2P(boot_pdpt_low), %edi
    movl $(V2P(boot_pd) + 3), %eax
    movl $4, %ecx
2:  movl %eax, (%edi)
    addl $4096, %eax
    addl $8, %edi
    loop 2b

    /* The high PDPT maps the top 2 GiB (KERNEL_VBASE) onto physical 0 .. 2 GiB. */
    movl $(V2P(boot_pd) + 3), V2P(boot_pdpt_high) + 510 * 8
    movl $(V2P(boot_pd) + 4096 + 3), V2P(boot_pdpt_high) + 511 * 8

    /* PML4: identity (slot 0), direct map (slot 256), kernel image (slot 511). */
    movl $(V2P(boot_pdpt_low) + 3), V2P(boot_pml4)
    movl $(V2P(boot_pdpt_low) + 3), V2P(boot_pml4) + 256 * 8
    movl $(V2P(boot_pdpt_high) + 3), V2P(boot_pml4) + 511 * 8

    movl %cr4, %eax
    orl $(1 << 5), %eax            /* PAE */
    movl %eax, %cr4
    movl $V2P(boot_pml4), %eax
    movl %eax, %cr3
    movl $0xc0000080, %ecx         /* EFER */
    rdmsr
    orl $((1 << 8) | (1 << 11)), %eax  /* long mode enable, no-execute enable */
    wrmsr
    movl %cr0, %eax
    orl $0x80010001, %eax          /* paging, write protect, protected mode */
    movl %eax, %cr0

    lgdt boot_gdt_desc
    ljmpl $0x08, $long_mode_entry

unknown_loader:
    movl $msg_unknown_loader, %esi
    jmp die32
no_long_mode:
    movl $msg_no_long_mode, %esi
    jmp die32
no_nx:
    movl $msg_no_nx, %esi
die32:
    call early_puts32
3:  hlt
    jmp 3b

/* Print the NUL-terminated string at %esi on COM1, polling the transmitter. */
early_puts32:
    movw $(COM1 + 1), %dx
    xorb %al, %al
    outb %al, %dx                  /* no interrupts */
    movw $(COM1 + 3), %dx
    movb $0x03, %al
    outb %al, %dx                  /* 8 data bits, no parity, 1 stop bit */
4:  lodsb
    testb %al, %al
    jz 6f
    movb %al, %ah
    movw $(COM1 + 5), %dx
5:  inb %dx, %al
    testb $0x20, %al               /* transmitter holding register empty? */
    jz 5b
    movw $COM1, %dx
    movb %ah, %al
    outb %al, %dx
    jmp 4b
6:  ret

    .code64
long_mode_entry:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movabsq $start64, %rax
    jmp *%rax

    .section .boot.data, "a"
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff       /* 0x08: 64-bit kernel code */
    .quad 0x00cf92000000ffff       /* 0x10: kernel data */
boot_gdt_desc:
    .short boot_gdt_desc - boot_gdt - 1
    .long boot_gdt
msg_unknown_loader:
    .asciz "mica: not started by a Multiboot2 or PVH boot loader; cannot boot\r\n"
msg_no_long_mode:
    .asciz "mica: this CPU has no 64-bit long mode; Mica needs an x86-64 CPU\r\n"
msg_no_nx:
    .asciz "mica: this CPU has no no-execute (NX) bit; Mica needs it\r\n"

/* ---- 64-bit code in the higher half. ---- */
    .text
    .code64
start64:
    movabsq $boot_stack_top, %rsp
    xorl %ebp, %ebp
    /* Clear .bss (the boot tables and stack sit before it and stay intact). */
    movabsq $__bss_start, %rdi
    movabsq $__bss_end, %rcx
    subq %rdi, %rcx
    xorl %eax, %eax
    rep stosb
    movl boot_proto(%rip), %edi
    movl boot_info_phys(%rip), %esi
    call kmain
7:  cli
    hlt
    jmp 7b

    .data
    .balign 8
    .globl boot_proto, boot_info_phys, boot_tsc
boot_proto:
    .long 0
boot_info_phys:
    .long 0
boot_tsc:
    .quad 0

    .section .bss.boot, "aw", @nobits
    .balign 4096
    .globl boot_pml4
boot_pml4:
    .skip 4096
boot_pdpt_low:
    .skip 4096
boot_pdpt_high:
    .skip 4096
boot_pd:
    .skip 4 * 4096
    .globl boot_stack_top
boot_stack:
    .skip BOOT_STACK_SIZE
boot_stack_top:
