/*
 * syscall_arch.c - connecting the SYSCALL instruction to the kernel's
 * system-call table: the model-specific registers that make SYSCALL enter
 * syscall_entry (syscall.S), and moving arguments and results between the
 * saved user registers and struct syscall_regs.
 */
#include <mica/sched.h>
#include <mica/syscall.h>
#include <mica/thread.h>
#include <arch/percpu.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define FMASK_BITS 0x47700 /* clear IF, DF, TF, AC, NT and IOPL on entry */

void syscall_entry(void);

void syscall_init_cpu(void)
{
    wrmsr(MSR_STAR, ((uint64_t)(GDT_UCODE32 | 3) << 48) | ((uint64_t)GDT_KCODE << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_FMASK, FMASK_BITS);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

void syscall_dispatch(struct trap_frame *f)
{
    struct syscall_regs r;
    r.nr = f->rax;
    r.arg[0] = f->rdi;
    r.arg[1] = f->rsi;
    r.arg[2] = f->rdx;
    r.arg[3] = f->r10;
    r.arg[4] = f->r8;
    r.arg[5] = f->r9;
    r.nout = 0;
    syscall_handle(&r);
    f->rax = r.ret;
    if (r.nout) {
        f->rdi = r.out[0];
        f->rsi = r.out[1];
        f->rdx = r.out[2];
        f->r10 = r.out[3];
        f->r8 = r.out[4];
        f->r9 = r.out[5];
    }
    thread_return_to_user();
}
