/*
 * probe.S - memory accesses that may fault without harming the kernel.
 *
 * Each access instruction has an entry in the exception table (.extable):
 * if it faults, trap_dispatch() resumes at the paired fixup address, which
 * returns -EFAULT.  The same mechanism carries copies from and to user
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

/*
 * int copy_user_bytes(void *dst, const void *src, uint64_t len)
 * Copy to or from user memory.  A page the user has not touched yet faults
 * and is filled in by the page-fault handler, which then resumes the copy;
 * an address the user may not access ends the copy with -EFAULT.
 */
    .text
    .globl copy_user_bytes
copy_user_bytes:
    movq %rdx, %rcx
5:  rep movsb
    xorl %eax, %eax
    ret
6:  movl $-EFAULT, %eax
    ret

    .section .extable, "a"
    .quad 5b, 6b
