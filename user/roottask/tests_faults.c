/*
 * tests_faults.c - user threads that do what user code may not: touch memory
 * that is not theirs, run privileged instructions, divide by zero...  The
 * kernel must end just that thread (with a warning on the console) and keep
 * running everything else.
 *
 * Each test runs one faulting function in a child thread.  The child signals
 * bit 1 right before the fault; had it survived, it would set `survived` and
 * signal bit 2.  The parent waits for bit 1, then for the thread object to be
 * freed (rt_reap), and checks that the child never got past the fault.
 */
#include "rt.h"
#include "tests.h"

struct fault_ctx {
    mica_handle_t note;
    void (*fault)(void);
    volatile int survived;
};
static struct fault_ctx fault_ctx;
static volatile uint64_t fault_addr; /* an address some faults use */

static void fault_child(uint64_t arg)
{
    (void)arg;
    mica_notify_signal(fault_ctx.note, 1);
    fault_ctx.fault();
    fault_ctx.survived = 1;
    rt_signal_exit(fault_ctx.note, 2);
}

/* Run fault() in a child thread; check that the child ended there and nothing leaked. */
static void expect_fault(void (*fault)(void))
{
    fault_ctx.note = (mica_handle_t)mica_notify_create();
    fault_ctx.fault = fault;
    fault_ctx.survived = 0;
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, fault_child, 0), 0);
    RT_CHECK(rt_wait_bits(fault_ctx.note, 1) > 0);
    rt_reap(&t, 1); /* fails the test if the thread does not end */
    RT_EQ(fault_ctx.survived, 0);
    RT_EQ(mica_notify_poll(fault_ctx.note) & 2, 0);
    RT_EQ(mica_handle_close(fault_ctx.note), 0);
}

/* ---- the faults ---- */

static void do_null_read(void)
{
    __asm__ volatile("movq 0, %%rax" ::: "rax", "memory");
}

static void do_null_write(void)
{
    __asm__ volatile("movq $1, 0" ::: "memory");
}

static void do_null_call(void)
{
    __asm__ volatile("xorl %%eax, %%eax\n\tcall *%%rax" ::: "rax", "memory");
}

static void do_write_fault_addr(void)
{
    __asm__ volatile("movq $1, (%0)" ::"r"(fault_addr) : "memory");
}

static void do_read_fault_addr(void)
{
    __asm__ volatile("movq (%0), %%rax" ::"r"(fault_addr) : "rax", "memory");
}

static void do_jump_fault_addr(void)
{
    __asm__ volatile("call *%0" ::"r"(fault_addr) : "memory");
}

static void do_hlt(void)
{
    __asm__ volatile("hlt");
}

static void do_cli(void)
{
    __asm__ volatile("cli");
}

static void do_inb(void)
{
    __asm__ volatile("inb $0x60, %%al" ::: "rax");
}

static void do_outb(void)
{
    __asm__ volatile("movb $0, %%al\n\toutb %%al, $0x80" ::: "rax");
}

static void do_read_cr3(void)
{
    __asm__ volatile("movq %%cr3, %%rax" ::: "rax");
}

static void do_write_cr0(void)
{
    __asm__ volatile("xorl %%eax, %%eax\n\tmovq %%rax, %%cr0" ::: "rax");
}

static void do_rdmsr(void)
{
    __asm__ volatile("movl $0xc0000082, %%ecx\n\trdmsr" ::: "rax", "rcx", "rdx"); /* LSTAR */
}

static void do_wrmsr(void)
{
    __asm__ volatile("movl $0xc0000082, %%ecx\n\txorl %%eax, %%eax\n\txorl %%edx, %%edx\n\twrmsr" ::
                         : "rax", "rcx", "rdx");
}

static void do_lidt(void)
{
    static const uint8_t zero_idtr[10];
    __asm__ volatile("lidt %0" ::"m"(zero_idtr));
}

static void do_invlpg(void)
{
    __asm__ volatile("invlpg (%%rsp)" ::: "memory");
}

static void do_swapgs(void)
{
    __asm__ volatile("swapgs");
}

static void do_divide_by_zero(void)
{
    __asm__ volatile("movl $1, %%eax\n\txorl %%edx, %%edx\n\txorl %%ecx, %%ecx\n\tdivl %%ecx" ::
                         : "rax", "rcx", "rdx");
}

static void do_divide_overflow(void)
{
    /* INT64_MIN / -1 does not fit: the same divide error. */
    __asm__ volatile(
        "movabsq $0x8000000000000000, %%rax\n\tcqto\n\tmovq $-1, %%rcx\n\tidivq %%rcx" ::
            : "rax", "rcx", "rdx");
}

static void do_ud2(void)
{
    __asm__ volatile("ud2");
}

static void do_int3(void)
{
    __asm__ volatile("int3");
}

static void do_int_0x80(void)
{
    __asm__ volatile("int $0x80");
}

static void do_int_timer_vector(void)
{
    /* Vectors 32 and up are interrupts: user code may not raise them. */
    __asm__ volatile("int $0x20");
}

static void do_kernel_read(void)
{
    __asm__ volatile("movabsq $0xffff800000000000, %%rax\n\tmovq (%%rax), %%rax" ::: "rax");
}

static void do_kernel_write(void)
{
    __asm__ volatile("movabsq $0xffff800000000000, %%rax\n\tmovq (%%rax), %%rcx\n\t"
                     "movq %%rcx, (%%rax)" ::
                         : "rax", "rcx", "memory");
}

static void do_kernel_jump(void)
{
    __asm__ volatile("movabsq $0xffffffff80100000, %%rax\n\tcall *%%rax" ::: "rax", "memory");
}

static void do_noncanonical_read(void)
{
    __asm__ volatile("movabsq $0x8000000000000000, %%rax\n\tmovq (%%rax), %%rax" ::: "rax");
}

static void do_stack_overflow(void)
{
    /* Push until the guard page below the stack is reached. */
    __asm__ volatile("1: pushq %%rax\n\tjmp 1b" ::: "memory");
}

static void do_single_step(void)
{
    /* Trap flag on: a debug exception after the next instruction. */
    __asm__ volatile("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\tnop\n\t"
                     "pushfq\n\tandq $~0x100, (%%rsp)\n\tpopfq" ::
                         : "memory", "cc");
}

static void do_iret_to_kernel(void)
{
    /* Build an interrupt frame that returns to kernel mode (CS 0x08, SS 0x10) and try it. */
    __asm__ volatile("movq %%rsp, %%rax\n\t"
                     "pushq $0x10\n\t"
                     "pushq %%rax\n\t"
                     "pushfq\n\t"
                     "pushq $0x08\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "iretq\n"
                     "1:" ::
                         : "rax", "memory");
}

static void do_load_kernel_segment(void)
{
    __asm__ volatile("movl $0x10, %%eax\n\tmovl %%eax, %%ds" ::: "rax");
}

static void do_far_jump_kernel(void)
{
    /* A far jump to kernel code selector 0x08 (memory operand: 32-bit offset, selector). */
    static struct __attribute__((packed)) {
        uint32_t offset;
        uint16_t selector;
    } target = {0x1000, 0x08};
    __asm__ volatile("ljmp *%0" ::"m"(target));
}

static void do_sysret(void)
{
    __asm__ volatile("sysretq");
}

/* ---- the tests, one fault each ---- */

/* Reading address 0. */
void test_fault_null_read(void)
{
    expect_fault(do_null_read);
}

/* Writing address 0. */
void test_fault_null_write(void)
{
    expect_fault(do_null_write);
}

/* Calling a null function pointer. */
void test_fault_null_call(void)
{
    expect_fault(do_null_call);
}

/* Writing to a read-only mapping (already present in the page table). */
void test_fault_write_readonly(void)
{
    mica_handle_t v;
    volatile uint64_t *ro = rt_map_new(RT_PAGE, MICA_PROT_READ, &v);
    RT_EQ(ro[0], 0);
    fault_addr = (uint64_t)ro;
    expect_fault(do_write_fault_addr);
    RT_EQ(ro[0], 0);
    rt_unmap_close((void *)ro, RT_PAGE, v);
}

/* Writing to the root task's own code. */
void test_fault_write_code(void)
{
    fault_addr = (uint64_t)&test_fault_write_code;
    expect_fault(do_write_fault_addr);
}

/* Reading memory that was unmapped. */
void test_fault_read_unmapped(void)
{
    mica_handle_t v;
    void *m = rt_map_new(RT_PAGE, RT_RW, &v);
    *(volatile uint64_t *)m = 1;
    rt_unmap_close(m, RT_PAGE, v);
    fault_addr = (uint64_t)m;
    expect_fault(do_read_fault_addr);
}

/* Reading memory mapped with no access at all. */
void test_fault_read_prot_none(void)
{
    mica_handle_t v;
    void *m = rt_map_new(RT_PAGE, RT_RW, &v);
    *(volatile uint64_t *)m = 1;
    RT_EQ(mica_vm_protect(rt_self, (uint64_t)m, RT_PAGE, 0), 0);
    fault_addr = (uint64_t)m;
    expect_fault(do_read_fault_addr);
    rt_unmap_close(m, RT_PAGE, v);
}

/* Running code in a readable, writable (so not executable) page. */
void test_fault_exec_data(void)
{
    mica_handle_t v;
    volatile uint8_t *m = rt_map_new(RT_PAGE, RT_RW, &v);
    m[0] = 0xc3; /* ret: would return at once if it ran */
    fault_addr = (uint64_t)m;
    expect_fault(do_jump_fault_addr);
    rt_unmap_close((void *)m, RT_PAGE, v);
}

/* Running code in a read-only page. */
void test_fault_exec_readonly(void)
{
    mica_handle_t v;
    volatile uint8_t *m = rt_map_new(RT_PAGE, RT_RW, &v);
    m[0] = 0xc3;
    RT_EQ(mica_vm_protect(rt_self, (uint64_t)m, RT_PAGE, MICA_PROT_READ), 0);
    fault_addr = (uint64_t)m;
    expect_fault(do_jump_fault_addr);
    rt_unmap_close((void *)m, RT_PAGE, v);
}

/* hlt is privileged. */
void test_fault_hlt(void)
{
    expect_fault(do_hlt);
}

/* cli is privileged (IOPL 0). */
void test_fault_cli(void)
{
    expect_fault(do_cli);
}

/* Port input (the keyboard controller) is not allowed. */
void test_fault_port_in(void)
{
    expect_fault(do_inb);
}

/* Port output is not allowed. */
void test_fault_port_out(void)
{
    expect_fault(do_outb);
}

/* Reading a control register is privileged. */
void test_fault_read_cr3(void)
{
    expect_fault(do_read_cr3);
}

/* Writing a control register is privileged. */
void test_fault_write_cr0(void)
{
    expect_fault(do_write_cr0);
}

/* Reading a model-specific register is privileged. */
void test_fault_rdmsr(void)
{
    expect_fault(do_rdmsr);
}

/* Writing a model-specific register (the system-call entry point) is privileged. */
void test_fault_wrmsr(void)
{
    expect_fault(do_wrmsr);
}

/* Loading the interrupt table is privileged. */
void test_fault_lidt(void)
{
    expect_fault(do_lidt);
}

/* invlpg is privileged. */
void test_fault_invlpg(void)
{
    expect_fault(do_invlpg);
}

/* swapgs is privileged. */
void test_fault_swapgs(void)
{
    expect_fault(do_swapgs);
}

/* sysret is privileged. */
void test_fault_sysret(void)
{
    expect_fault(do_sysret);
}

/* Division by zero. */
void test_fault_divide_by_zero(void)
{
    expect_fault(do_divide_by_zero);
}

/* A quotient too large (INT64_MIN / -1). */
void test_fault_divide_overflow(void)
{
    expect_fault(do_divide_overflow);
}

/* An invalid instruction. */
void test_fault_invalid_opcode(void)
{
    expect_fault(do_ud2);
}

/* A breakpoint: nobody debugs the thread, so it ends. */
void test_fault_breakpoint(void)
{
    expect_fault(do_int3);
}

/* A software interrupt through a gate user code may not use. */
void test_fault_int_0x80(void)
{
    expect_fault(do_int_0x80);
}

/* A software interrupt on the timer's vector. */
void test_fault_int_timer_vector(void)
{
    expect_fault(do_int_timer_vector);
}

/* Reading kernel memory (the direct map, which is mapped for the kernel). */
void test_fault_kernel_read(void)
{
    expect_fault(do_kernel_read);
}

/* Writing kernel memory. */
void test_fault_kernel_write(void)
{
    expect_fault(do_kernel_write);
}

/* Jumping into the kernel's code. */
void test_fault_kernel_jump(void)
{
    expect_fault(do_kernel_jump);
}

/* A non-canonical address (general protection fault, not a page fault). */
void test_fault_noncanonical(void)
{
    expect_fault(do_noncanonical_read);
}

/* A stack overflow into the guard page. */
void test_fault_stack_overflow(void)
{
    expect_fault(do_stack_overflow);
}

/* The trap flag: single-stepping raises a debug exception nobody handles. */
void test_fault_single_step(void)
{
    expect_fault(do_single_step);
}

/* iretq to kernel mode. */
void test_fault_iret_to_kernel(void)
{
    expect_fault(do_iret_to_kernel);
}

/* Loading the kernel's data segment. */
void test_fault_kernel_segment(void)
{
    expect_fault(do_load_kernel_segment);
}

/* A far jump to the kernel's code segment. */
void test_fault_far_jump_kernel(void)
{
    expect_fault(do_far_jump_kernel);
}

/* ---- SYSCALL as the last instruction of user space ---- */

/*
 * A `syscall` in the last two bytes below 0x800000000000 returns to a
 * non-canonical address.  The kernel must not use SYSRET there (which would
 * fault in kernel mode on Intel CPUs) nor let IRETQ fault in kernel mode:
 * the thread must simply die when it gets back.
 */
static void do_syscall_at_top(void)
{
    __asm__ volatile("xorl %%eax, %%eax\n\t" /* SYS_NULL */
                     "jmp *%0" ::"r"(RT_USER_TOP - 2)
                     : "rax", "rcx", "r11", "memory");
}

void test_fault_syscall_at_top(void)
{
    mica_handle_t v;
    volatile uint8_t *m = rt_map_new(RT_PAGE, RT_RW, &v);
    m[RT_PAGE - 2] = 0x0f; /* syscall */
    m[RT_PAGE - 1] = 0x05;
    RT_EQ(mica_vm_map(rt_self, v, 0, RT_USER_TOP - RT_PAGE, RT_PAGE, RT_RX), RT_USER_TOP - RT_PAGE);
    expect_fault(do_syscall_at_top);
    RT_EQ(mica_vm_unmap(rt_self, RT_USER_TOP - RT_PAGE, RT_PAGE), 0);
    rt_unmap_close((void *)m, RT_PAGE, v);
}

/* Many faulting threads, one after the other and side by side: nothing leaks. */
#define FAULTERS 8
static mica_handle_t many_note;

static void many_fault_child(uint64_t i)
{
    mica_notify_signal(many_note, 1ull << i);
    switch (i % 4) {
    case 0:
        do_null_write();
        break;
    case 1:
        do_hlt();
        break;
    case 2:
        do_divide_by_zero();
        break;
    default:
        do_kernel_read();
        break;
    }
    rt_signal_exit(many_note, 1ull << 32);
}

void test_fault_many(void)
{
    struct mica_kernel_stats s0;
    struct rt_thread t[FAULTERS];
    many_note = (mica_handle_t)mica_notify_create();
    rt_stats(&s0);
    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < FAULTERS; i++)
            RT_EQ(rt_spawn(&t[i], many_fault_child, (uint64_t)i), 0);
        int64_t bits = rt_wait_bits(many_note, (1u << FAULTERS) - 1);
        RT_CHECK(bits > 0 && (bits & (1ll << 32)) == 0);
        rt_reap(t, FAULTERS);
        RT_EQ(mica_notify_poll(many_note) & (1ull << 32), 0);
    }
    rt_check_leaks(&s0, 64);
    RT_EQ(mica_handle_close(many_note), 0);
}
