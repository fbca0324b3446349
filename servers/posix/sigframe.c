/*
 * sigframe.c - building and reading the Linux x86-64 signal frame
 * (concepts: signal delivery, saving and restoring a thread's context).
 *
 * See sigframe.h for the layout.  The placement follows Linux's
 * get_sigframe(): skip the red zone (or start at the top of the alternate
 * stack), put the FPU area 64-byte aligned below, then the frame, aligned so
 * that the handler sees its stack as right after a `call`.
 */
#include "sigframe.h"
#include <mica/string.h>

#define USER_CS     0x33 /* Linux's 64-bit user code and data selectors, as the frame shows them */
#define USER_SS     0x2b
#define RFLAGS_USER 0x40dd5ull /* CF PF AF ZF SF TF DF OF AC: what sigreturn may restore */

int sigframe_on_altstack(const struct sigaltstack_state *alt, uint64_t sp)
{
    if (alt->flags & LINUX_SS_AUTODISARM)
        return 0; /* Linux: such a stack is given up while in use, so never "on" it */
    return alt->size && sp > alt->sp && sp - alt->sp <= alt->size;
}

int sigframe_altstack_flags(const struct sigaltstack_state *alt, uint64_t sp)
{
    if (!alt->size)
        return LINUX_SS_DISABLE;
    return sigframe_on_altstack(alt, sp) ? LINUX_SS_ONSTACK : 0;
}

uint64_t sigframe_place(uint64_t sp, const struct sigaltstack_state *alt, int onstack,
                        uint64_t *fpstate)
{
    if (onstack && alt->size && !sigframe_on_altstack(alt, sp))
        sp = alt->sp + alt->size; /* the alternate stack is empty: start at its top */
    else
        sp -= SIGFRAME_REDZONE;
    sp = (sp - SIGFRAME_FPU_SIZE) & ~63ull;
    *fpstate = sp;
    sp -= sizeof(struct linux_rt_sigframe);
    return (sp & ~15ull) - 8;
}

void sigframe_build(struct linux_rt_sigframe *f, const struct mica_regs *r, uint64_t mask,
                    const struct linux_siginfo *info, const struct sigaltstack_state *alt,
                    uint64_t fpstate, uint64_t restorer, uint64_t trapno, uint64_t err,
                    uint64_t cr2)
{
    memset(f, 0, sizeof *f);
    f->pretcode = restorer;
    f->uc.flags = LINUX_UC_SIGCONTEXT_SS | LINUX_UC_STRICT_RESTORE_SS;
    f->uc.stack.sp = alt->sp;
    f->uc.stack.flags = (int32_t)(alt->size ? alt->flags : LINUX_SS_DISABLE);
    f->uc.stack.size = alt->size;
    struct linux_sigcontext *c = &f->uc.mcontext;
    c->r8 = r->r8;
    c->r9 = r->r9;
    c->r10 = r->r10;
    c->r11 = r->r11;
    c->r12 = r->r12;
    c->r13 = r->r13;
    c->r14 = r->r14;
    c->r15 = r->r15;
    c->rdi = r->rdi;
    c->rsi = r->rsi;
    c->rbp = r->rbp;
    c->rbx = r->rbx;
    c->rdx = r->rdx;
    c->rax = r->rax;
    c->rcx = r->rcx;
    c->rsp = r->rsp;
    c->rip = r->rip;
    c->eflags = r->rflags;
    c->cs = USER_CS;
    c->ss = USER_SS;
    c->err = err;
    c->trapno = trapno;
    c->oldmask = mask;
    c->cr2 = cr2;
    c->fpstate = fpstate;
    f->uc.sigmask = mask;
    f->info = *info;
}

void sigframe_handler_regs(struct mica_regs *r, uint64_t at, uint64_t handler, int sig)
{
    r->rip = handler;
    r->rsp = at;
    r->rdi = (uint64_t)sig;
    r->rsi = at + offsetof(struct linux_rt_sigframe, info);
    r->rdx = at + offsetof(struct linux_rt_sigframe, uc);
    r->rax = 0; /* as Linux: for handlers declared without a prototype (varargs) */
    r->rflags &= ~(1ull << 10 | 1ull << 8); /* DF clear (the ABI), no single-step into it */
}

void sigframe_restore(const struct linux_rt_sigframe *f, struct mica_regs *r, uint64_t *mask)
{
    const struct linux_sigcontext *c = &f->uc.mcontext;
    r->r8 = c->r8;
    r->r9 = c->r9;
    r->r10 = c->r10;
    r->r11 = c->r11;
    r->r12 = c->r12;
    r->r13 = c->r13;
    r->r14 = c->r14;
    r->r15 = c->r15;
    r->rdi = c->rdi;
    r->rsi = c->rsi;
    r->rbp = c->rbp;
    r->rbx = c->rbx;
    r->rdx = c->rdx;
    r->rax = c->rax;
    r->rcx = c->rcx;
    r->rsp = c->rsp;
    r->rip = c->rip;
    r->rflags = (r->rflags & ~RFLAGS_USER) | (c->eflags & RFLAGS_USER);
    *mask = f->uc.sigmask;
}
