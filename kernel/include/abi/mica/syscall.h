/*
 * mica/syscall.h - Mica's native system-call interface, shared by the kernel
 * and all user-space code (concept: the system-call interface).
 *
 * A program enters the kernel with the `syscall` instruction:
 *   rax       system-call number (SYS_*)
 *   rdi, rsi, rdx, r10, r8, r9   arguments 0-5
 * and gets back
 *   rax       result: >= 0 on success, a negative MICA_E* error code on failure
 *   rdi, rsi, rdx, r10, r8, r9   further results where a call says so (IPC)
 * rcx and r11 are destroyed (the CPU keeps the return address and flags there);
 * all other registers are preserved.  docs/syscalls.md describes every call.
 *
 * Objects are named by handles (small integers in the calling process's handle
 * table); each handle carries rights (MICA_RIGHT_*).
 */
#ifndef MICA_ABI_SYSCALL_H
#define MICA_ABI_SYSCALL_H

#ifndef __ASSEMBLER__
#include <stdint.h>
typedef uint32_t mica_handle_t;
#endif
#define MICA_HANDLE_INVALID 0
#define MICA_THREAD_SELF    0xffffffffu /* in thread calls: the calling thread itself */

/* Error codes (negated in rax); the numbers are Linux's. */
#define MICA_EPERM     1
#define MICA_ENOENT    2
#define MICA_EINTR     4
#define MICA_EIO       5 /* a device failed, or a server broke its interface */
#define MICA_EBADF     9
#define MICA_EAGAIN    11
#define MICA_ENOMEM    12
#define MICA_EACCES    13
#define MICA_EFAULT    14
#define MICA_EBUSY     16
#define MICA_EEXIST    17
#define MICA_EINVAL    22
#define MICA_EPIPE     32 /* the other side of an IPC went away */
#define MICA_ENOSPC    28
#define MICA_ENOSYS    38
#define MICA_ETIMEDOUT 110

/* Rights carried by a handle. */
#define MICA_RIGHT_READ     (1u << 0)
#define MICA_RIGHT_WRITE    (1u << 1)
#define MICA_RIGHT_EXEC     (1u << 2)
#define MICA_RIGHT_MAP      (1u << 3)
#define MICA_RIGHT_DUP      (1u << 4)
#define MICA_RIGHT_TRANSFER (1u << 5)
#define MICA_RIGHT_SIGNAL   (1u << 6)
#define MICA_RIGHT_WAIT     (1u << 7)
#define MICA_RIGHT_SEND     (1u << 8)
#define MICA_RIGHT_RECV     (1u << 9)
#define MICA_RIGHT_MANAGE   (1u << 10)
#define MICA_RIGHT_ALL      ((1u << 11) - 1)

/* Object types, as SYS_HANDLE_INFO reports them (the kernel's enum obj_type). */
#define MICA_OBJ_THREAD       1
#define MICA_OBJ_ASPACE       2
#define MICA_OBJ_VMO          3
#define MICA_OBJ_ENDPOINT     4
#define MICA_OBJ_NOTIFICATION 5
#define MICA_OBJ_REPLY        6
#define MICA_OBJ_IRQ          7
#define MICA_OBJ_IOPORT       8
#define MICA_OBJ_PHYS         9
#define MICA_OBJ_TIMER        10
#define MICA_OBJ_TRACE        11

/* Caching of device and DMA memory (SYS_VMO_CREATE_PHYS, SYS_VMO_CREATE_CONTIG). */
#define MICA_CACHE_WB 0 /* write-back: normal memory */
#define MICA_CACHE_WC 1 /* write-combining: frame buffers */
#define MICA_CACHE_UC 2 /* uncached: device registers */

/* Memory protection for mappings. */
#define MICA_PROT_READ  1
#define MICA_PROT_WRITE 2
#define MICA_PROT_EXEC  4

/* System-call numbers (plain defines, so that assembly can use them too). */
#define SYS_NULL         0 /* () -> 0: the cheapest round trip into the kernel */
#define SYS_DEBUG_WRITE  1 /* (const char *buf, size_t len) -> len: text to the kernel console */
#define SYS_HANDLE_CLOSE 2 /* (handle) */
#define SYS_HANDLE_DUP   3 /* (handle, rights_mask) -> new handle */
#define SYS_HANDLE_INFO  4 /* (handle, uint32_t *type, uint32_t *rights) */
#define SYS_THREAD_CREATE                                                                          \
    5                       /* (aspace, entry, stack_top, arg) -> thread handle, not yet running   \
                             */
#define SYS_THREAD_START  6 /* (thread) */
#define SYS_THREAD_EXIT   7 /* (): end the calling thread; never returns */
#define SYS_THREAD_YIELD  8 /* () */
#define SYS_ASPACE_CREATE 9 /* () -> address-space handle */
#define SYS_VMO_CREATE                                                                             \
    10 /* (size) -> VM object handle: anonymous memory, zero-filled on demand                      \
        */
#define SYS_VM_MAP          11 /* (aspace, vmo, vmo_offset, vaddr, size, prot) -> vaddr */
#define SYS_VM_UNMAP        12 /* (aspace, vaddr, size) */
#define SYS_VM_PROTECT      13 /* (aspace, vaddr, size, prot) */
#define SYS_ENDPOINT_CREATE 14 /* () -> endpoint handle */
#define SYS_CALL            15 /* (endpoint, tag, w0, w1, w2, w3) -> reply in rsi (tag), rdx, r10, r8, r9 */
#define SYS_SEND            16 /* (endpoint, tag, w0, w1, w2, w3) */
#define SYS_RECV            17 /* (endpoint) -> message in rsi (tag), rdx, r10, r8, r9; rdi = badge */
#define SYS_REPLY           18 /* (0, tag, w0, w1, w2, w3): answer the last call received */
#define SYS_REPLY_RECV      19 /* (endpoint, tag, w0, w1, w2, w3): reply, then wait for the next */
#define SYS_NOTIFY_CREATE   20 /* () -> notification handle */
#define SYS_NOTIFY_SIGNAL   21 /* (notification, bits) */
#define SYS_NOTIFY_WAIT     22 /* (notification) -> bits (and clears them) */
#define SYS_NOTIFY_POLL     23 /* (notification) -> bits now set (and clears them), 0 if none */
#define SYS_KERNEL_STATS    24 /* (struct mica_kernel_stats *out) */
#define SYS_SYSTEM_HALT     25 /* (verdict: 0 pass, else fail): stop the machine; root task only */
#define SYS_THREAD_SET_CPU  26 /* (thread, cpu): run it on that CPU (before it starts) */
#define SYS_THREAD_SUSPEND  27 /* (thread): it stops before it next runs user code */
#define SYS_THREAD_RESUME   28 /* (thread) */
#define SYS_THREAD_READ_REGS                                                                       \
    29 /* (thread, struct mica_regs *out): thread suspended, new, or in a fault */
#define SYS_THREAD_WRITE_REGS        30 /* (thread, const struct mica_regs *in): same condition */
#define SYS_THREAD_SET_TLS           31 /* (thread, which: 0 = FS base, 1 = GS base, base address) */
#define SYS_THREAD_SET_FAULT_HANDLER 32 /* (thread, endpoint or 0): where its faults are sent */
#define SYS_IOPORT_CREATE            33 /* (ioport range, base, count) -> handle to a sub-range */
#define SYS_IOPORT_ALLOW             34 /* (aspace, ioport range): open those ports for that process */
#define SYS_IRQ_BIND                 35 /* (irq control, line, notification, bits) -> IRQ handle */
#define SYS_IRQ_ACK                  36 /* (irq): the driver has served it; unmask the line */
#define SYS_PHYS_CREATE              37 /* (phys range, base, size) -> handle to a sub-range */
#define SYS_VMO_CREATE_PHYS          38 /* (phys range, base, size, cache) -> VM object of device memory */
#define SYS_VMO_CREATE_CONTIG        39 /* (size, cache) -> physically contiguous memory for DMA */
#define SYS_VMO_PHYS_ADDR            40 /* (vmo) -> physical address (contiguous or device memory only) */
#define SYS_THREAD_SET_IPC_BUFFER    41 /* (thread, vaddr): its page for long messages */
#define SYS_REPLY_TAKE               42 /* () -> reply handle: the pending caller's answer, to pass on */
#define SYS_REPLY_SEND               43 /* (reply handle, tag, w0, w1, w2, w3): answer through it, once */
#define SYS_TRACE_CONTROL            44 /* (trace, MICA_TRACE_*) : start, stop or clear recording */
#define SYS_TRACE_READ               45 /* (trace, cpu, struct mica_trace_event *buf, max) -> events taken */
#define SYS_VM_CLONE                 46 /* (src aspace, dst aspace, vaddr, size): copy-on-write copy (fork) */
#define SYS_RECV_TIMED               47 /* (endpoint, timeout ns) -> like SYS_RECV, or -ETIMEDOUT */
#define SYS_NOTIFY_WAIT_TIMED        48 /* (notification, timeout ns) -> bits, or -ETIMEDOUT */
#define SYS_THREAD_SLEEP             49 /* (nanoseconds) */
#define SYS_NOTIFY_BIND                                                                            \
    50                      /* (notification, thread): its bits come as messages while it receives \
                             */
#define SYS_HANDLE_GRANT 51 /* (aspace, handle, rights mask) -> a copy in that process's table */
#define SYS_ENDPOINT_MINT                                                                          \
    52 /* (endpoint, badge != 0, rights mask) -> a handle whose messages carry the badge */
#define SYS_THREAD_KILL  53 /* (thread): it ends (at once, or when its call returns) */
#define SYS_ASPACE_KILL  54 /* (aspace): every thread in it ends; the process is over */
#define SYS_ASPACE_WATCH 55 /* (aspace, notification, bits): signal them when it ends */
#define SYS_CLOCK_NS     56 /* () -> nanoseconds since boot (monotonic) */
#define SYS_THREAD_INFO  57 /* (thread, struct mica_thread_info *out): its accounting */
#define SYS_IRQ_BIND_MSI 58 /* (irq control, notification, bits, struct mica_msi *out) -> IRQ */
#define SYS_TIMER_CREATE 59 /* (notification, bits) -> timer handle, disarmed */
#define SYS_TIMER_SET    60 /* (timer, deadline ns since boot or 0, period ns or 0) */
#define SYS_VMO_SIZE     61 /* (vmo) -> its size in bytes */
#define SYS_ENTROPY_ADD                                                                            \
    62 /* (buf, len <= 256): mix bytes into the kernel's pool -> bytes added so far */
#define SYS_RANDOM_GET 63 /* (buf, len <= 256): random bytes from the kernel's pool -> len */
#define SYS_THREAD_SET_SYSCALL_HANDLER                                                             \
    64 /* (thread, endpoint or 0): forward all its `syscall`s there (MICA_MSG_SYSCALL) */
#define SYS_CONSOLE_TAKE                                                                           \
    65 /* (ioport range holding the console's UART, notification or 0 to give it back, bits) */
#define SYS_CONSOLE_READ                                                                           \
    66 /* (buf, max <= 1024) -> bytes of kernel log, whole lines if they fit                       \
        */
#define SYS_VM_SHARE                                                                               \
    67 /* (src aspace, vaddr, size, dst aspace, dst vaddr or 0, prot) -> where dst maps it */
#define SYS_THREAD_READ_FPU                                                                        \
    68 /* (thread, out, size): 512: x87/SSE (FXSAVE layout); fpu_size: the whole XSAVE area */
#define SYS_THREAD_WRITE_FPU                                                                       \
    69 /* (thread, in, size): set them (bad MXCSR bits or XSAVE header: EINVAL) */
#define SYS_COUNT 70

#ifndef __ASSEMBLER__
/*
 * What the root task starts with: the kernel puts this at the top of its
 * stack and passes its address in rdi.
 */
/* What a device must write to raise a message-signalled interrupt (SYS_IRQ_BIND_MSI):
 * the 32-bit `data` to `address`, as its MSI or MSI-X capability is told to. */
struct mica_msi {
    uint64_t address;
    uint32_t data;
    uint32_t pad;
};

/*
 * Facts about the machine that servers need and cannot find out themselves:
 * where PCI Express configuration space is (the ACPI MCFG table, segment 0)
 * and the framebuffer the boot loader set up.  Only facts: using the memory
 * needs a handle (device memory through a phys handle).
 */
struct mica_platform {
    uint64_t pci_ecam; /* physical base of the ECAM window, 0 if there is none */
    uint8_t pci_bus_start, pci_bus_end;
    uint8_t fb_bpp; /* bits per pixel; 0: no framebuffer */
    uint8_t pad;
    uint32_t fb_pitch; /* bytes per line */
    uint64_t fb_addr;  /* physical */
    uint32_t fb_width, fb_height;
};

struct mica_boot_handles {
    mica_handle_t self;        /* its own address space */
    mica_handle_t ioports;     /* every I/O port */
    mica_handle_t irq_control; /* may bind interrupt lines */
    mica_handle_t phys;        /* all physical memory outside RAM (device memory) */
    mica_handle_t trace;       /* the kernel trace buffer */
    mica_handle_t initrd;      /* the boot module (initial ramdisk), a read-only VM object */
    uint64_t initrd_size;      /* its size in bytes */
    struct mica_platform platform;
};

/* The kernel trace buffer: what SYS_TRACE_READ returns, one event each. */
struct mica_trace_event {
    uint64_t tsc;  /* time stamp counter when it happened */
    uint32_t type; /* MICA_EV_* */
    uint32_t cpu;
    uint64_t a, b; /* depend on the type, see below */
};

#define MICA_TRACE_STOP  0
#define MICA_TRACE_START 1
#define MICA_TRACE_CLEAR 2

#define MICA_EV_SWITCH    1 /* a = thread id switched from, b = thread id switched to */
#define MICA_EV_SYSCALL   2 /* a = system-call number, b = thread id */
#define MICA_EV_SYSRET    3 /* a = system-call number, b = result */
#define MICA_EV_IPC_SEND  4 /* a = sender thread id, b = receiver thread id (0: queued) */
#define MICA_EV_IPC_RECV  5 /* a message delivered: a = receiver thread id, b = sender thread id */
#define MICA_EV_FAULT     6 /* a = vector, b = fault address */
#define MICA_EV_INTERRUPT 7 /* a = vector, b = 0 */
#define MICA_EV_LOST      8 /* a = events overwritten since the last read */

/*
 * What SYS_THREAD_INFO reports about a thread: where its time went since it
 * was started (all 0 before), and how often it got a CPU.  run + ready +
 * blocked is the time since it started (until it ended, for a dead thread).
 */
struct mica_thread_info {
    uint64_t id;       /* the kernel's number for it, as in trace events */
    uint64_t state;    /* MICA_THREAD_STATE_* */
    uint64_t cpu;      /* the CPU whose run queue it uses */
    uint64_t run_ns;   /* on a CPU */
    uint64_t ready_ns; /* ready, waiting in a run queue for a CPU */
    uint64_t
        blocked_ns;    /* waiting for something else: a message, a signal, a timeout, resumption */
    uint64_t switches; /* times a CPU switched to it */
    uint64_t stopped;  /* MICA_THREAD_SUSPENDED, MICA_THREAD_IN_HANDLER: why it is stopped */
};

#define MICA_THREAD_SUSPENDED  1u /* stopped by SYS_THREAD_SUSPEND on its way to user mode */
#define MICA_THREAD_IN_HANDLER 2u /* stopped in a call to its fault or system-call handler */

#define MICA_THREAD_STATE_NEW     0
#define MICA_THREAD_STATE_READY   1
#define MICA_THREAD_STATE_RUNNING 2
#define MICA_THREAD_STATE_BLOCKED 3
#define MICA_THREAD_STATE_DEAD    4

/* A thread's user registers, for debuggers and personality servers. */
struct mica_regs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags, fs_base, gs_base;
};

/*
 * The message tag: a label for the receiver (bits 32-63), and how much of the
 * message lies in the sender's IPC buffer - extra words (bits 0-7) and
 * handles (bits 8-11).  Bits 12-31 must be zero.
 */
#define MICA_TAG_WORDS_SHIFT   0
#define MICA_TAG_WORDS_MASK    0xffu
#define MICA_TAG_HANDLES_SHIFT 8
#define MICA_TAG_HANDLES_MASK  0xfu
#define MICA_TAG_LABEL_SHIFT   32
#define MICA_IPC_WORDS         120 /* extra words a message may carry */
#define MICA_IPC_HANDLES       4   /* handles a message may carry (moved to the receiver) */

/* A thread's IPC buffer: one page, registered with SYS_THREAD_SET_IPC_BUFFER. */
struct mica_ipc_buffer {
    uint64_t words[MICA_IPC_WORDS];
    mica_handle_t handles[MICA_IPC_HANDLES];
};

/*
 * A fault the kernel cannot resolve arrives at the thread's fault handler as
 * a call with label MICA_MSG_FAULT: w0 = vector, w1 = error code, w2 = fault
 * address (page faults), w3 = rip.
 * Reply with w0 = MICA_FAULT_RESUME to retry the instruction (after fixing the
 * cause) or MICA_FAULT_KILL to end the thread.
 */
#define MICA_MSG_FAULT       0xfa17u
#define MICA_MSG_NOTIFY      0xb175u               /* a bound notification's bits, in w0 */
#define MICA_NOTIFY_BITS     0x7fffffffffffffffull /* bit 63 is no signal bit: results are in rax */
#define MICA_TIMEOUT_FOREVER 0xffffffffffffffffull
#define MICA_FAULT_RESUME    0
#define MICA_FAULT_KILL      1

/*
 * Forwarded system calls (personalities such as Linux): while a thread has a
 * system-call handler (SYS_THREAD_SET_SYSCALL_HANDLER), every `syscall`
 * instruction it executes stops it and arrives at the handler as a call with
 * label MICA_MSG_SYSCALL, the badge of the handler's endpoint handle, and
 * w0 = rax (the call number), w1 = rdi, w2 = rsi, w3 = rdx.  The thread is
 * stopped as in a fault: SYS_THREAD_READ_REGS shows the rest (r10, r8, r9,
 * rip - already past the instruction - rsp...), SYS_THREAD_WRITE_REGS
 * changes them.  Reply with w0 =
 *   MICA_SYSCALL_RETURN  resume after the instruction with rax = w1; rcx = the
 *                        return rip and r11 = rflags (as Linux leaves them);
 *   MICA_SYSCALL_REGS    resume with every register exactly as the frame holds
 *                        them (as written with SYS_THREAD_WRITE_REGS; rip is
 *                        not advanced): execve, signal delivery, sigreturn;
 *   MICA_FAULT_KILL      end the thread.
 * Any other w0 ends the thread too, and so does the handler's death (-EPIPE).
 */
#define MICA_MSG_SYSCALL    0xfa5cu
#define MICA_SYSCALL_RETURN 2
#define MICA_SYSCALL_REGS   3

/* The x87 and SSE registers of a stopped thread (SYS_THREAD_READ_FPU/WRITE_FPU): the 512-byte
 * area of the FXSAVE instruction (Intel SDM vol. 1, 10.5.1), which is also the start of Linux's
 * signal frame's fpstate. */
#define MICA_FPU_AREA_SIZE 512
/* With the size the kernel reports in mica_kernel_stats.fpu_size, the same calls transfer the
 * thread's whole XSAVE area in the standard (non-compacted) format (Intel SDM vol. 1, 13.4):
 * the FXSAVE part, the 64-byte XSAVE header at byte 512 (XSTATE_BV, then zeros), and each
 * enabled component at the offset CPUID leaf 0xd gives (AVX's upper halves of YMM0-YMM15 at
 * byte 576).  fpu_size is at most MICA_FPU_XSTATE_MAX. */
#define MICA_FPU_XSTATE_MAX 1024

/* The name of an exception vector as fault messages and reports give it. */
static inline const char *mica_vector_name(uint64_t vector)
{
    switch (vector) {
    case 0:
        return "divide error";
    case 3:
        return "breakpoint";
    case 6:
        return "invalid opcode";
    case 13:
        return "general protection fault";
    case 14:
        return "page fault";
    default:
        return "exception";
    }
}

/*
 * Counters for leak checks in tests, and the kernel's clock calibration: the
 * nanoseconds since boot that timeouts use are
 * (rdtsc - tsc_at_boot) * 10^9 / tsc_hz, which user space can compute itself.
 */
struct mica_kernel_stats {
    uint64_t free_pages;
    uint64_t objects[16];  /* live objects per kernel object type */
    uint64_t handles;      /* handles in the caller's table */
    uint64_t tsc_hz;       /* time stamp counter ticks per second */
    uint64_t tsc_at_boot;  /* the counter when the kernel started */
    uint64_t total_pages;  /* pages the page allocator manages (free or used) */
    uint64_t fpu_size;     /* bytes of a thread's whole FPU area (SYS_THREAD_READ_FPU) */
    uint64_t fpu_features; /* its state components: XCR0's bits (1 x87, 2 SSE, 4 AVX) */
};
#endif

#endif
