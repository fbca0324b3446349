/*
 * memops.S - memcpy and memset with x86's string instructions.
 *
 * `rep movsb` and `rep stosb` copy and fill whole runs of bytes in one
 * instruction; on CPUs with "enhanced rep movsb" (and in QEMU) they are the
 * fastest way to clear or copy a page.  Used by the kernel and by native
 * user programs alike.
 */
    .text
/* void *memcpy(void *dst, const void *src, size_t n) */
    .globl memcpy
memcpy:
    movq %rdi, %rax
    movq %rdx, %rcx
    rep movsb
    ret

/* void *memset(void *dst, int c, size_t n) */
    .globl memset
memset:
    movq %rdi, %r9
    movl %esi, %eax
    movq %rdx, %rcx
    rep stosb
    movq %r9, %rax
    ret
