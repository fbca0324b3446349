/*
 * syscall.S - the system-call instruction wrapped as C functions (the
 * native calling convention: arguments rdi, rsi, rdx, rcx, r8, r9; the kernel
 * wants the fourth in r10 because SYSCALL overwrites rcx).
 */
#include <abi/mica/syscall.h>

    .text
    .globl mica_syscall0, mica_syscall1, mica_syscall2, mica_syscall3
    .globl mica_syscall4, mica_syscall6
mica_syscall0:
    movq %rdi, %rax
    syscall
    ret
mica_syscall1:
    movq %rdi, %rax
    movq %rsi, %rdi
    syscall
    ret
mica_syscall2:
    movq %rdi, %rax
    movq %rsi, %rdi
    movq %rdx, %rsi
    syscall
    ret
mica_syscall3:
    movq %rdi, %rax
    movq %rsi, %rdi
    movq %rdx, %rsi
    movq %rcx, %rdx
    syscall
    ret
mica_syscall4:
    movq %rdi, %rax
    movq %rsi, %rdi
    movq %rdx, %rsi
    movq %rcx, %rdx
    movq %r8, %r10
    syscall
    ret
mica_syscall6:
    movq %rdi, %rax
    movq %rsi, %rdi
    movq %rdx, %rsi
    movq %rcx, %rdx
    movq %r8, %r10
    movq %r9, %r8
    movq 8(%rsp), %r9
    syscall
    ret

/*
 * IPC with the message in registers.  int64_t mica_call(handle, struct mica_msg *m):
 * tag and words from *m go out in rsi, rdx, r10, r8, r9; the answer (badge in
 * rdi, tag, words) is stored back into *m.  rbx keeps m across the call.
 */
    .macro IPC_OUT nr
    pushq %rbx
    movq %rsi, %rbx
    movq $\nr, %rax
    movq 8(%rbx), %rsi
    movq 16(%rbx), %rdx
    movq 24(%rbx), %r10
    movq 32(%rbx), %r8
    movq 40(%rbx), %r9
    syscall
    .endm

    .macro IPC_STORE
    testq %rax, %rax
    js 1f
    movq %rdi, 0(%rbx)
    movq %rsi, 8(%rbx)
    movq %rdx, 16(%rbx)
    movq %r10, 24(%rbx)
    movq %r8, 32(%rbx)
    movq %r9, 40(%rbx)
1:  popq %rbx
    ret
    .endm


    .globl mica_call, mica_send, mica_recv, mica_reply, mica_reply_recv
mica_call:
    IPC_OUT SYS_CALL
    IPC_STORE
mica_reply_recv:
    IPC_OUT SYS_REPLY_RECV
    IPC_STORE
mica_send:
    IPC_OUT SYS_SEND
    popq %rbx
    ret
mica_recv:
    pushq %rbx
    movq %rsi, %rbx
    movq $SYS_RECV, %rax
    syscall
    IPC_STORE
/* int64_t mica_recv_timed_msg(mica_handle_t ep, struct mica_msg *m, uint64_t timeout_ns) */
    .globl mica_recv_timed_msg
mica_recv_timed_msg:
    pushq %rbx
    movq %rsi, %rbx
    movq %rdx, %rsi
    movq $SYS_RECV_TIMED, %rax
    syscall
    IPC_STORE

/* int64_t mica_reply_send(mica_handle_t reply, const struct mica_msg *m) */
    .globl mica_reply_send
mica_reply_send:
    IPC_OUT SYS_REPLY_SEND
    popq %rbx
    ret

/* int64_t mica_reply(const struct mica_msg *m) */
mica_reply:
    pushq %rbx
    movq %rdi, %rbx
    movq $SYS_REPLY, %rax
    xorl %edi, %edi
    movq 8(%rbx), %rsi
    movq 16(%rbx), %rdx
    movq 24(%rbx), %r10
    movq 32(%rbx), %r8
    movq 40(%rbx), %r9
    syscall
    popq %rbx
    ret
