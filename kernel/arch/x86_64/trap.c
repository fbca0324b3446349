/*
 * trap.c - what happens when the CPU is interrupted (concepts: TRAP,
 * exceptions, interrupt service routines, the inline-procedure interrupt model).
 *
 * trap_dispatch() receives every vector.  Exceptions (0-31) in the kernel are
 * bugs, except faults at instructions listed in the exception table, which
 * resume at their fixup code: those are the deliberate probes of memory that
 * may be absent.  For a real bug the CPU state is printed - vector, error
 * code, registers, CR2, a symbolized backtrace - and the machine stops.
 * Vectors 32 and up are interrupts: they go to the handler installed for the
 * vector, and the local APIC is told when they are done.
 */
#include <mica/aspace.h>
#include <mica/bkl.h>
#include <mica/ksyms.h>
#include <mica/sched.h>
#include <mica/thread.h>
#include <mica/trace.h>
#include <mica/log.h>
#include <mica/panic.h>
#include <arch/apic.h>
#include <arch/arch.h>
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/layout.h>
#include <arch/percpu.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define BACKTRACE_MAX 24

struct extable_entry {
    uint64_t insn, fixup;
};

extern const struct extable_entry __extable_start[], __extable_end[];

static irq_handler_fn handlers[256];

static const char *const exception_names[32] = {"divide error",
                                                "debug",
                                                "non-maskable interrupt",
                                                "breakpoint",
                                                "overflow",
                                                "bound range exceeded",
                                                "invalid opcode",
                                                "device not available",
                                                "double fault",
                                                "coprocessor segment overrun",
                                                "invalid TSS",
                                                "segment not present",
                                                "stack-segment fault",
                                                "general protection fault",
                                                "page fault",
                                                "reserved",
                                                "x87 floating-point error",
                                                "alignment check",
                                                "machine check",
                                                "SIMD floating-point error",
                                                "virtualization exception",
                                                "control protection fault",
                                                "reserved",
                                                "reserved",
                                                "reserved",
                                                "reserved",
                                                "reserved",
                                                "reserved",
                                                "hypervisor injection",
                                                "VMM communication",
                                                "security exception",
                                                "reserved"};

void irq_set_handler(unsigned vector, irq_handler_fn fn)
{
    handlers[vector & 255] = fn;
}

static bool try_fixup(struct trap_frame *f)
{
    for (const struct extable_entry *e = __extable_start; e < __extable_end; e++) {
        if (e->insn == f->rip) {
            f->rip = e->fixup;
            return true;
        }
    }
    return false;
}

static void print_symbol_line(unsigned n, uint64_t addr)
{
    uint64_t off;
    const char *name = ksym_lookup(addr, &off);
    if (name)
        kprintf("  #%-2u 0x%016lx %s+%#lx\n", n, addr, name, off);
    else
        kprintf("  #%-2u 0x%016lx ?\n", n, addr);
}

/* Follow the chain of saved frame pointers; every read is a probe, so garbage stops it safely. */
static void backtrace_from(unsigned first, uint64_t fp)
{
    for (unsigned n = first; n < BACKTRACE_MAX && fp; n++) {
        uint64_t next, ret;
        if ((fp & 7) || fp < DIRECT_MAP)
            break;
        if (probe_read_u64((void *)fp, &next) < 0 || probe_read_u64((void *)(fp + 8), &ret) < 0)
            break;
        if (!ret)
            break;
        print_symbol_line(n, ret);
        if (next <= fp)
            break;
        fp = next;
    }
}

void arch_backtrace(uint64_t fp)
{
    kprintf("backtrace:\n");
    backtrace_from(0, fp);
}

static void print_page_fault_cause(uint64_t error)
{
    kprintf("  page fault: %s %s in %s mode%s%s\n",
            error & 1 ? "protection violation on" : "no page for",
            error & 16  ? "instruction fetch"
            : error & 2 ? "write"
                        : "read",
            error & 4 ? "user" : "kernel", error & 8 ? ", reserved bit set" : "",
            error & 32 ? ", protection key" : "");
}

static void report_exception(struct trap_frame *f)
{
    uint64_t off;
    const char *fn = ksym_lookup(f->rip, &off);
    kprintf("\nEXCEPTION %lu (%s) on cpu %u, error code %#lx\n", f->vector,
            exception_names[f->vector], arch_cpu_id(), f->error);
    kprintf("  rip 0x%016lx <%s+%#lx>  cs %#lx  rflags %#lx\n", f->rip, fn ? fn : "?", fn ? off : 0,
            f->cs, f->rflags);
    kprintf("  rsp 0x%016lx  ss %#lx\n", f->rsp, f->ss);
    kprintf("  rax 0x%016lx  rbx 0x%016lx  rcx 0x%016lx\n", f->rax, f->rbx, f->rcx);
    kprintf("  rdx 0x%016lx  rsi 0x%016lx  rdi 0x%016lx\n", f->rdx, f->rsi, f->rdi);
    kprintf("  rbp 0x%016lx  r8  0x%016lx  r9  0x%016lx\n", f->rbp, f->r8, f->r9);
    kprintf("  r10 0x%016lx  r11 0x%016lx  r12 0x%016lx\n", f->r10, f->r11, f->r12);
    kprintf("  r13 0x%016lx  r14 0x%016lx  r15 0x%016lx\n", f->r13, f->r14, f->r15);
    kprintf("  cr2 0x%016lx  cr3 0x%016lx  cr4 %#lx\n", read_cr2(), read_cr3(), read_cr4());
    if (f->vector == 14)
        print_page_fault_cause(f->error);
    kprintf("backtrace:\n");
    print_symbol_line(0, f->rip);
    backtrace_from(1, f->rbp);
}

static bool from_user(const struct trap_frame *f)
{
    return (f->cs & 3) == 3;
}

/* A page fault in the kernel on a user address, inside a user-copy routine. */
static bool user_copy_fault(struct trap_frame *f)
{
    uint64_t addr = read_cr2();
    struct thread *t = thread_current();
    if (addr >= ASPACE_USER_TOP || !t || !t->aspace || !bkl_held_by_me())
        return false;
    if (aspace_fault(t->aspace, addr, (f->error & 2) != 0, false) == 0)
        return true; /* page now present: retry the access */
    return try_fixup(f);
}

static void handle_exception(struct trap_frame *f)
{
    if (f->vector == 2 && (panic_in_progress() || arch_cpus_stopping()))
        arch_halt_forever(); /* another CPU panicked or halted the machine and stopped us */
    if (f->vector == 7 && from_user(f) && fpu_first_use())
        return; /* the thread's first floating-point instruction: retry it */
    if (from_user(f) && f->vector != 2 && f->vector != 8 && f->vector != 18) {
        user_exception(f);
        return;
    }
    if (f->vector == 14 && user_copy_fault(f))
        return;
    if ((f->vector == 14 || f->vector == 13) && try_fixup(f))
        return;
    log_enter_panic_mode();
    report_exception(f);
    uint64_t off;
    const char *fn = ksym_lookup(f->rip, &off);
    panic_nobacktrace("unhandled exception %lu (%s) in kernel mode at %s+%#lx", f->vector,
                      exception_names[f->vector], fn ? fn : "?", fn ? off : 0);
}

/* Leaving the kernel for user mode: switch threads first if the scheduler asks. */
static void return_to_user_work(void)
{
    irq_enable(); /* it may take the kernel lock: keep answering shoot-down IPIs */
    thread_return_to_user();
    irq_disable();
}

void trap_dispatch(struct trap_frame *f)
{
    if (f->vector < 32) {
        handle_exception(f);
        if (from_user(f))
            return_to_user_work();
        return;
    }
    if (f->vector == VEC_SPURIOUS)
        return; /* no EOI for spurious interrupts */
    trace(MICA_EV_INTERRUPT, f->vector, 0);
    irq_handler_fn fn = handlers[f->vector];
    if (fn)
        fn(f);
    else if (f->vector >= VEC_PIC_BASE && f->vector < VEC_PIC_BASE + 16)
        return; /* a spurious interrupt from the masked legacy PIC: it gets no EOI */
    else
        pr_warn("interrupt on unexpected vector %lu on cpu %u\n", f->vector, arch_cpu_id());
    lapic_eoi();
    if (from_user(f))
        return_to_user_work();
}
