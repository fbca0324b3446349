/*
 * rt.h - the root task's small test framework.
 */
#ifndef ROOTTASK_RT_H
#define ROOTTASK_RT_H

#include <mica.h>

extern unsigned rt_failed_checks;
extern mica_handle_t rt_self;        /* the root task's own address space */
extern mica_handle_t rt_ioports;     /* every I/O port */
extern mica_handle_t rt_irq_control; /* may bind interrupt lines */
extern mica_handle_t rt_phys;        /* all device memory */
extern mica_handle_t rt_trace;       /* the kernel trace buffer */
extern mica_handle_t rt_initrd;      /* the boot module, read-only */
extern uint64_t rt_initrd_size;

#define RT_CHECK(cond)                                                                             \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            mica_printf("  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                 \
            rt_failed_checks++;                                                                    \
        }                                                                                          \
    } while (0)

#define RT_EQ(a, b)                                                                                \
    do {                                                                                           \
        int64_t rt_a_ = (int64_t)(a), rt_b_ = (int64_t)(b);                                        \
        if (rt_a_ != rt_b_) {                                                                      \
            mica_printf("  %s:%d: check failed: %s == %s (%ld != %ld)\n", __FILE__, __LINE__, #a,  \
                        #b, rt_a_, rt_b_);                                                         \
            rt_failed_checks++;                                                                    \
        }                                                                                          \
    } while (0)

struct rt_test {
    const char *name;
    void (*fn)(void);
};

unsigned rt_run_all(mica_handle_t self);

/* ---- Helpers for the tests (util.c) ---- */

#define RT_PAGE       4096ull
#define RT_STACK_SIZE (16 * 1024ull) /* of every thread a test starts */
#define RT_USER_TOP   0x0000800000000000ull
#define RT_KERNEL     0xffff800000000000ull /* the kernel's direct map: always mapped, never ours */
#define RT_SCRATCH    0x0000500000000000ull /* tests map at fixed addresses from here */
#define RT_RW         (MICA_PROT_READ | MICA_PROT_WRITE)
#define RT_RX         (MICA_PROT_READ | MICA_PROT_EXEC)

/* Kernel object types, as mica_kernel_stats counts them and SYS_HANDLE_INFO reports them. */
enum {
    RT_OBJ_THREAD = 1,
    RT_OBJ_ASPACE = 2,
    RT_OBJ_VMO = 3,
    RT_OBJ_ENDPOINT = 4,
    RT_OBJ_NOTIFICATION = 5,
};

/* Calls that lib/mica/mica.h has no wrapper for. */
static inline int64_t rt_handle_info(mica_handle_t h, uint32_t *type, uint32_t *rights)
{
    return mica_syscall3(SYS_HANDLE_INFO, h, (uint64_t)type, (uint64_t)rights);
}

static inline int64_t rt_aspace_create(void)
{
    return mica_syscall0(SYS_ASPACE_CREATE);
}

/* The rights of handle h, or 0xffffffff if SYS_HANDLE_INFO fails. */
uint32_t rt_rights(mica_handle_t h);

/* A new VM object of `size` bytes mapped with `prot` at an address the kernel
 * chooses; its handle goes to *vmo.  NULL (and a failed check) on error. */
void *rt_map_new(uint64_t size, uint32_t prot, mica_handle_t *vmo);
/* Undo rt_map_new(). */
void rt_unmap_close(void *addr, uint64_t size, mica_handle_t vmo);

/* A thread of the root task, with its own stack (and an unmapped guard page below). */
struct rt_thread {
    mica_handle_t handle;
    mica_handle_t stack_vmo;
    uint64_t stack_base; /* the guard page; the stack is above it */
};

/* Create and start a thread running fn(arg); 0 or an error (then nothing is left behind).
 * fn must end with mica_thread_exit() or rt_signal_exit(), never return. */
int64_t rt_spawn(struct rt_thread *t, void (*fn)(uint64_t), uint64_t arg);

/* For threads that have ended or are about to: close their handles, wait until
 * the kernel has freed them, then free their stacks.  A failed check if some
 * thread does not end. */
void rt_reap(struct rt_thread *t, unsigned n);

/* Signal `bits` on notification n and end the thread, without touching the
 * stack in between (so the parent may free the stack as soon as it sees the bits). */
_Noreturn void rt_signal_exit(mica_handle_t n, uint64_t bits);

/* Wait on n until every bit of `bits` has come; returns all bits seen
 * (or a negative error). */
int64_t rt_wait_bits(mica_handle_t n, uint64_t bits);

/* Yield a few times, to let threads on this CPU run. */
void rt_yield_n(unsigned n);

/* Wait until thread t is blocked (in the wait it was heading for); false if that
 * does not happen soon.  Sturdier than yielding: t may be on another CPU. */
int rt_wait_blocked(mica_handle_t t);

/* Wait until at most `count` thread objects exist; false if that does not happen soon. */
int rt_wait_threads(uint64_t count);
/* The same for objects of any type (RT_OBJ_*): a dying thread drops what it holds after it is
 * counted gone, so its fault endpoint, say, may outlive it by a moment. */
int rt_wait_objects(unsigned type, uint64_t count);

/* mica_kernel_stats() that must succeed. */
void rt_stats(struct mica_kernel_stats *s);

/* After a test closed everything it created: no object count above and the
 * handle count as in `before`, free pages within `slack_pages`. */
void rt_check_leaks(const struct mica_kernel_stats *before, uint64_t slack_pages);

#endif
