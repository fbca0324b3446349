/*
 * probe.S - memory accesses that may fault without harming the kernel.
 *
 * Each access instruction has an entry in the exception table (.extable):
 * if it faults, trap_dispatch() resumes at the paired fixup address, which
 * returns -EFAULT.  The same mechanism will carry copies from and to user
 * memory.  Used by backtraces (frame pointers may be garbage) and self-tests.
 */
#define EFAULT 14

    .text
/* int probe_read_u64(const void *addr, uint64_t *out) */
    .globl probe_read_u64
probe_read_u64:
1:  movq (%rdi), %rax
    movq %rax, (%rsi)
    xorl %eax, %eax
    ret
2:  movl $-EFAULT, %eax
    ret

/* int probe_write_u8(void *addr, uint8_t value) */
    .globl probe_write_u8
probe_write_u8:
3:  movb %sil, (%rdi)
    xorl %eax, %eax
    ret
4:  movl $-EFAULT, %eax
    ret

    .section .extable, "a"
    .balign 8
    .quad 1b, 2b
    .quad 3b, 4b
