/*
 * mica.h - the native user-space runtime: system-call wrappers, console
 * output and small helpers for programs that run directly on the Mica kernel
 * (servers and the root task).  The runtime's other modules - strings, the
 * clock, malloc, threads and locks - have their own headers beside this one
 * (docs/runtime.md).
 */
#ifndef MICA_USER_H
#define MICA_USER_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <abi/mica/syscall.h>

/* Raw system calls: number and up to six arguments; the result in rax. */
int64_t mica_syscall0(uint64_t nr);
int64_t mica_syscall1(uint64_t nr, uint64_t a0);
int64_t mica_syscall2(uint64_t nr, uint64_t a0, uint64_t a1);
int64_t mica_syscall3(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2);
int64_t mica_syscall4(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t mica_syscall6(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                      uint64_t a5);

/* A message as IPC carries it: a tag and four words in registers. */
struct mica_msg {
    uint64_t badge;
    uint64_t tag;
    uint64_t w[4];
};

/* IPC: the message in *m goes out; a received or reply message comes back in *m. */
int64_t mica_call(mica_handle_t ep, struct mica_msg *m);
int64_t mica_send(mica_handle_t ep, const struct mica_msg *m);
int64_t mica_recv(mica_handle_t ep, struct mica_msg *m);
int64_t mica_reply(const struct mica_msg *m);
int64_t mica_reply_recv(mica_handle_t ep, struct mica_msg *m);
int64_t mica_recv_timed_msg(mica_handle_t ep, struct mica_msg *m, uint64_t timeout_ns);

static inline int64_t mica_handle_close(mica_handle_t h)
{
    return mica_syscall1(SYS_HANDLE_CLOSE, h);
}

/* The type (MICA_OBJ_*) of the object h names, and the rights h carries. */
static inline int64_t mica_handle_info(mica_handle_t h, uint32_t *type, uint32_t *rights)
{
    return mica_syscall3(SYS_HANDLE_INFO, h, (uint64_t)type, (uint64_t)rights);
}

/* The console driver takes the kernel log (it owns the UART: ports proves it); bits on n say
 * that there is log text to read with mica_console_read(). */
static inline int64_t mica_console_take(mica_handle_t ports, mica_handle_t n, uint64_t bits)
{
    return mica_syscall3(SYS_CONSOLE_TAKE, ports, n, bits);
}

static inline int64_t mica_console_read(char *buf, uint64_t max)
{
    return mica_syscall2(SYS_CONSOLE_READ, (uint64_t)buf, max);
}

static inline int64_t mica_handle_dup(mica_handle_t h, uint32_t rights)
{
    return mica_syscall2(SYS_HANDLE_DUP, h, rights);
}

static inline int64_t mica_thread_create(mica_handle_t as, void (*entry)(uint64_t), void *stack_top,
                                         uint64_t arg)
{
    return mica_syscall4(SYS_THREAD_CREATE, as, (uint64_t)entry, (uint64_t)stack_top, arg);
}

static inline int64_t mica_thread_start(mica_handle_t t)
{
    return mica_syscall1(SYS_THREAD_START, t);
}

_Noreturn void mica_thread_exit(void);

static inline int64_t mica_thread_set_cpu(mica_handle_t t, unsigned cpu)
{
    return mica_syscall2(SYS_THREAD_SET_CPU, t, cpu);
}

static inline int64_t mica_thread_suspend(mica_handle_t t)
{
    return mica_syscall1(SYS_THREAD_SUSPEND, t);
}

static inline int64_t mica_thread_resume(mica_handle_t t)
{
    return mica_syscall1(SYS_THREAD_RESUME, t);
}

static inline int64_t mica_thread_info(mica_handle_t t, struct mica_thread_info *info)
{
    return mica_syscall2(SYS_THREAD_INFO, t, (uint64_t)info);
}

static inline int64_t mica_thread_read_regs(mica_handle_t t, struct mica_regs *r)
{
    return mica_syscall2(SYS_THREAD_READ_REGS, t, (uint64_t)r);
}

static inline int64_t mica_thread_write_regs(mica_handle_t t, const struct mica_regs *r)
{
    return mica_syscall2(SYS_THREAD_WRITE_REGS, t, (uint64_t)r);
}

/* The FPU registers of a stopped thread: size MICA_FPU_AREA_SIZE for the x87/SSE part (FXSAVE
 * layout), mica_kernel_stats.fpu_size for the whole XSAVE area. */
static inline int64_t mica_thread_read_fpu(mica_handle_t t, void *area, uint64_t size)
{
    return mica_syscall3(SYS_THREAD_READ_FPU, t, (uint64_t)area, size);
}

static inline int64_t mica_thread_write_fpu(mica_handle_t t, const void *area, uint64_t size)
{
    return mica_syscall3(SYS_THREAD_WRITE_FPU, t, (uint64_t)area, size);
}

static inline int64_t mica_thread_set_tls(mica_handle_t t, unsigned which, uint64_t base)
{
    return mica_syscall3(SYS_THREAD_SET_TLS, t, which, base);
}

static inline int64_t mica_thread_set_fault_handler(mica_handle_t t, mica_handle_t ep)
{
    return mica_syscall2(SYS_THREAD_SET_FAULT_HANDLER, t, ep);
}

/* Forward every `syscall` of thread t to ep as MICA_MSG_SYSCALL calls; ep 0: native again. */
static inline int64_t mica_thread_set_syscall_handler(mica_handle_t t, mica_handle_t ep)
{
    return mica_syscall2(SYS_THREAD_SET_SYSCALL_HANDLER, t, ep);
}

static inline int64_t mica_ioport_create(mica_handle_t range, uint32_t base, uint32_t count)
{
    return mica_syscall3(SYS_IOPORT_CREATE, range, base, count);
}

static inline int64_t mica_ioport_allow(mica_handle_t as, mica_handle_t range)
{
    return mica_syscall2(SYS_IOPORT_ALLOW, as, range);
}

static inline int64_t mica_irq_bind(mica_handle_t ctl, uint32_t line, mica_handle_t n,
                                    uint64_t bits)
{
    return mica_syscall4(SYS_IRQ_BIND, ctl, line, n, bits);
}

static inline int64_t mica_irq_bind_msi(mica_handle_t ctl, mica_handle_t n, uint64_t bits,
                                        struct mica_msi *out)
{
    return mica_syscall4(SYS_IRQ_BIND_MSI, ctl, n, bits, (uint64_t)out);
}

/* A timer object: bits signalled on n at a deadline (ns since boot, mica_clock_ns()),
 * then every period_ns if that is not 0.  Deadline 0 disarms it. */
static inline int64_t mica_timer_create(mica_handle_t n, uint64_t bits)
{
    return mica_syscall2(SYS_TIMER_CREATE, n, bits);
}

static inline int64_t mica_timer_set(mica_handle_t t, uint64_t deadline_ns, uint64_t period_ns)
{
    return mica_syscall3(SYS_TIMER_SET, t, deadline_ns, period_ns);
}

static inline int64_t mica_irq_ack(mica_handle_t irq)
{
    return mica_syscall1(SYS_IRQ_ACK, irq);
}

static inline int64_t mica_phys_create(mica_handle_t range, uint64_t base, uint64_t size)
{
    return mica_syscall3(SYS_PHYS_CREATE, range, base, size);
}

static inline int64_t mica_vmo_create_phys(mica_handle_t range, uint64_t base, uint64_t size,
                                           uint32_t cache)
{
    return mica_syscall4(SYS_VMO_CREATE_PHYS, range, base, size, cache);
}

static inline int64_t mica_vmo_create_contig(uint64_t size, uint32_t cache)
{
    return mica_syscall2(SYS_VMO_CREATE_CONTIG, size, cache);
}

static inline int64_t mica_vmo_phys_addr(mica_handle_t vmo)
{
    return mica_syscall1(SYS_VMO_PHYS_ADDR, vmo);
}

/* The size of a VM object in bytes (a multiple of the page size); any handle to it will do. */
static inline int64_t mica_vmo_size(mica_handle_t vmo)
{
    return mica_syscall1(SYS_VMO_SIZE, vmo);
}

/* Mix len (at most 256) bytes into the kernel's entropy pool; returns the bytes user space
 * has added so far, or -MICA_EINVAL / -MICA_EFAULT. */
static inline int64_t mica_entropy_add(const void *buf, uint64_t len)
{
    return mica_syscall2(SYS_ENTROPY_ADD, (uint64_t)buf, len);
}

/* len (at most 256) random bytes from the kernel's pool into buf; returns len or an error. */
static inline int64_t mica_random_get(void *buf, uint64_t len)
{
    return mica_syscall2(SYS_RANDOM_GET, (uint64_t)buf, len);
}

/* A message tag: label, extra words and handles in the IPC buffer. */
static inline uint64_t mica_tag(uint32_t label, unsigned words, unsigned handles)
{
    return ((uint64_t)label << MICA_TAG_LABEL_SHIFT) |
           ((uint64_t)handles << MICA_TAG_HANDLES_SHIFT) |
           ((uint64_t)words << MICA_TAG_WORDS_SHIFT);
}

/* The parts of a received tag: its label, extra words and handles. */
static inline uint32_t mica_tag_label(uint64_t tag)
{
    return (uint32_t)(tag >> MICA_TAG_LABEL_SHIFT);
}

static inline unsigned mica_tag_words(uint64_t tag)
{
    return (unsigned)(tag >> MICA_TAG_WORDS_SHIFT) & MICA_TAG_WORDS_MASK;
}

static inline unsigned mica_tag_handles(uint64_t tag)
{
    return (unsigned)(tag >> MICA_TAG_HANDLES_SHIFT) & MICA_TAG_HANDLES_MASK;
}

static inline int64_t mica_thread_set_ipc_buffer(mica_handle_t t, void *page)
{
    return mica_syscall2(SYS_THREAD_SET_IPC_BUFFER, t, (uint64_t)page);
}

static inline int64_t mica_reply_take(void)
{
    return mica_syscall0(SYS_REPLY_TAKE);
}

/* Answer a caller through a reply handle taken (maybe by another thread) with mica_reply_take. */
int64_t mica_reply_send(mica_handle_t reply, const struct mica_msg *m);

static inline int64_t mica_trace_control(mica_handle_t trace, unsigned cmd)
{
    return mica_syscall2(SYS_TRACE_CONTROL, trace, cmd);
}

static inline int64_t mica_trace_read(mica_handle_t trace, unsigned cpu,
                                      struct mica_trace_event *buf, uint64_t max)
{
    return mica_syscall4(SYS_TRACE_READ, trace, cpu, (uint64_t)buf, max);
}

static inline int64_t mica_vm_clone(mica_handle_t src, mica_handle_t dst, uint64_t vaddr,
                                    uint64_t size)
{
    return mica_syscall4(SYS_VM_CLONE, src, dst, vaddr, size);
}

/* Map what src maps at [vaddr, vaddr+size) (one mapping) into dst too: the address there. */
static inline int64_t mica_vm_share(mica_handle_t src, uint64_t vaddr, uint64_t size,
                                    mica_handle_t dst, uint64_t dst_vaddr, uint32_t prot)
{
    return mica_syscall6(SYS_VM_SHARE, src, vaddr, size, dst, dst_vaddr, prot);
}

static inline int64_t mica_recv_timed(mica_handle_t ep, struct mica_msg *m, uint64_t timeout_ns)
{
    /* The message comes back in registers like mica_recv's; see mica_recv_timed_msg. */
    return mica_recv_timed_msg(ep, m, timeout_ns);
}

static inline int64_t mica_notify_wait_timed(mica_handle_t n, uint64_t timeout_ns)
{
    return mica_syscall2(SYS_NOTIFY_WAIT_TIMED, n, timeout_ns);
}

static inline int64_t mica_sleep(uint64_t ns)
{
    return mica_syscall1(SYS_THREAD_SLEEP, ns);
}

static inline int64_t mica_notify_bind(mica_handle_t n, mica_handle_t thread)
{
    return mica_syscall2(SYS_NOTIFY_BIND, n, thread);
}

/* A copy of endpoint handle ep whose messages carry `badge` (non-zero): the receiver's
 * struct mica_msg.badge tells it which client sent. */
/* Nanoseconds since boot: a monotonic clock. */
static inline uint64_t mica_clock_ns(void)
{
    return (uint64_t)mica_syscall0(SYS_CLOCK_NS);
}

/* End a thread, or every thread of a process; be told when a process has ended. */
static inline int64_t mica_thread_kill(mica_handle_t t)
{
    return mica_syscall1(SYS_THREAD_KILL, t);
}

static inline int64_t mica_aspace_kill(mica_handle_t as)
{
    return mica_syscall1(SYS_ASPACE_KILL, as);
}

static inline int64_t mica_aspace_watch(mica_handle_t as, mica_handle_t n, uint64_t bits)
{
    return mica_syscall3(SYS_ASPACE_WATCH, as, n, bits);
}

static inline int64_t mica_aspace_create(void)
{
    return mica_syscall0(SYS_ASPACE_CREATE);
}

static inline int64_t mica_endpoint_mint(mica_handle_t ep, uint64_t badge, uint32_t rights)
{
    return mica_syscall3(SYS_ENDPOINT_MINT, ep, badge, rights);
}

static inline int64_t mica_handle_grant(mica_handle_t as, mica_handle_t h, uint32_t rights)
{
    return mica_syscall3(SYS_HANDLE_GRANT, as, h, rights);
}

static inline uint64_t mica_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline int64_t mica_yield(void)
{
    return mica_syscall0(SYS_THREAD_YIELD);
}

static inline int64_t mica_vmo_create(uint64_t size)
{
    return mica_syscall1(SYS_VMO_CREATE, size);
}

static inline int64_t mica_vm_map(mica_handle_t as, mica_handle_t vmo, uint64_t offset,
                                  uint64_t vaddr, uint64_t size, uint32_t prot)
{
    return mica_syscall6(SYS_VM_MAP, as, vmo, offset, vaddr, size, prot);
}

static inline int64_t mica_vm_unmap(mica_handle_t as, uint64_t vaddr, uint64_t size)
{
    return mica_syscall3(SYS_VM_UNMAP, as, vaddr, size);
}

static inline int64_t mica_vm_protect(mica_handle_t as, uint64_t vaddr, uint64_t size,
                                      uint32_t prot)
{
    return mica_syscall4(SYS_VM_PROTECT, as, vaddr, size, prot);
}

static inline int64_t mica_endpoint_create(void)
{
    return mica_syscall0(SYS_ENDPOINT_CREATE);
}

static inline int64_t mica_notify_create(void)
{
    return mica_syscall0(SYS_NOTIFY_CREATE);
}

static inline int64_t mica_notify_signal(mica_handle_t n, uint64_t bits)
{
    return mica_syscall2(SYS_NOTIFY_SIGNAL, n, bits);
}

static inline int64_t mica_notify_wait(mica_handle_t n)
{
    return mica_syscall1(SYS_NOTIFY_WAIT, n);
}

static inline int64_t mica_notify_poll(mica_handle_t n)
{
    return mica_syscall1(SYS_NOTIFY_POLL, n);
}

static inline int64_t mica_kernel_stats(struct mica_kernel_stats *s)
{
    return mica_syscall1(SYS_KERNEL_STATS, (uint64_t)s);
}

_Noreturn void mica_system_halt(int verdict);

/* Console output through the kernel's debug channel. */
#include "print.h"

#endif
