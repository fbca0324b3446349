/*
 * thread.c - runtime threads: stacks with guard pages, thread control blocks
 * found through the FS base, join and detach (concept: threads and their
 * life cycle; who frees a thread's stack).
 *
 * One VM object holds everything a thread owns in memory:
 *
 *   map_base                                             map_base + map_size
 *   | guard page (no access) | stack, growing down ... | struct mica_thread |
 *
 * The control block's address is the thread's FS base, so mica_thread_self()
 * is one load from %fs:0.
 *
 * A thread cannot free the stack it runs on with ordinary C code: the
 * moment the memory is unmapped, the next push faults.  So the last steps of
 * a thread are a few instructions that use registers only (end_joinable()
 * and end_detached() below).  A joinable thread signals its `exited`
 * notification and ends; the joiner, woken by that signal, frees the stack.
 * A detached thread unmaps its own stack and ends, both system calls in a
 * row without touching memory between them.  Which of the two happens is
 * decided by one compare-and-swap on `state`, so a detach that races with
 * the thread's end is still freed exactly once.
 */
#include "thread.h"
#include "runtime.h"

#define PAGE 4096ull

static struct mica_thread first_thread;

static uint64_t page_round(uint64_t n)
{
    return (n + PAGE - 1) & ~(PAGE - 1);
}

/* ---- The end of a thread ---- */

static _Noreturn void end_joinable(mica_handle_t exited)
{
    __asm__ volatile("syscall\n\t"
                     "movl %[exit], %%eax\n\t"
                     "syscall\n\t"
                     "ud2"
                     :
                     : "a"((uint64_t)SYS_NOTIFY_SIGNAL), "D"((uint64_t)exited),
                       "S"(1ull), [exit] "i"(SYS_THREAD_EXIT)
                     : "rcx", "r11", "memory");
    __builtin_unreachable();
}

static _Noreturn void end_detached(mica_handle_t aspace, uint64_t base, uint64_t size)
{
    __asm__ volatile("syscall\n\t" /* SYS_VM_UNMAP: from here on, no stack */
                     "movl %[exit], %%eax\n\t"
                     "syscall\n\t"
                     "ud2"
                     :
                     : "a"((uint64_t)SYS_VM_UNMAP), "D"((uint64_t)aspace), "S"(base),
                       "d"(size), [exit] "i"(SYS_THREAD_EXIT)
                     : "rcx", "r11", "memory");
    __builtin_unreachable();
}

/* Close the thread's handles and free its IPC buffer; the stack mapping is the caller's job. */
static void release(struct mica_thread *t)
{
    mica_handle_close(t->park);
    mica_handle_close(t->exited);
    mica_handle_close(t->handle);
    if (t->ipc) /* the kernel keeps the page until the thread object is gone */
        mica_vm_unmap(mica_runtime_aspace(), (uint64_t)t->ipc, PAGE);
}

_Noreturn void mica_thread_return(void *result)
{
    struct mica_thread *t = mica_thread_self();
    t->result = result;
    if (t == &first_thread)
        mica_thread_exit(); /* nobody joins the first thread; its stack is the kernel's */
    int expected = MICA_THREAD_JOINABLE;
    if (atomic_compare_exchange_strong(&t->state, &expected, MICA_THREAD_EXITED))
        end_joinable(t->exited);
    /* Detached: nobody will look at t again. */
    uint64_t base = t->map_base, size = t->map_size;
    release(t);
    end_detached(mica_runtime_aspace(), base, size);
}

static void thread_entry(uint64_t arg)
{
    struct mica_thread *t = (struct mica_thread *)arg;
    mica_thread_return(t->fn(t->arg));
}

/* ---- Creating ---- */

/* Map guard page, stack and control block; the control block's address, or an error. */
static int64_t map_thread_memory(uint64_t stack_size, struct mica_thread **out)
{
    uint64_t size = PAGE + page_round(stack_size) + page_round(sizeof(struct mica_thread));
    int64_t vmo = mica_vmo_create(size);
    if (vmo < 0)
        return vmo;
    mica_handle_t as = mica_runtime_aspace();
    int64_t base =
        mica_vm_map(as, (mica_handle_t)vmo, 0, 0, size, MICA_PROT_READ | MICA_PROT_WRITE);
    mica_handle_close((mica_handle_t)vmo); /* the mapping keeps the object */
    if (base < 0)
        return base;
    int64_t err = mica_vm_protect(as, (uint64_t)base, PAGE, 0);
    if (err < 0) {
        mica_vm_unmap(as, (uint64_t)base, size);
        return err;
    }
    struct mica_thread *t = (struct mica_thread *)(base + size - sizeof(struct mica_thread));
    t = (struct mica_thread *)((uint64_t)t & ~15ull);
    t->map_base = (uint64_t)base;
    t->map_size = size;
    *out = t;
    return 0;
}

/* The two notifications; 0 or an error (then neither exists). */
static int64_t make_notifications(struct mica_thread *t)
{
    int64_t park = mica_notify_create();
    if (park < 0)
        return park;
    int64_t exited = mica_notify_create();
    if (exited < 0) {
        mica_handle_close((mica_handle_t)park);
        return exited;
    }
    t->park = (mica_handle_t)park;
    t->exited = (mica_handle_t)exited;
    return 0;
}

/* Create the kernel thread with its FS base set, and start it. */
static int64_t start_kernel_thread(struct mica_thread *t)
{
    /* Entered as if by a call: rsp + 8 is a multiple of 16. */
    uint64_t top = ((uint64_t)t & ~15ull) - 8;
    int64_t h = mica_thread_create(mica_runtime_aspace(), thread_entry, (void *)top, (uint64_t)t);
    if (h < 0)
        return h;
    int64_t err = mica_thread_set_tls((mica_handle_t)h, 0, (uint64_t)t);
    if (err == 0) {
        t->handle = (mica_handle_t)h;
        err = mica_thread_start((mica_handle_t)h);
    }
    if (err < 0)
        mica_handle_close((mica_handle_t)h);
    return err;
}

int64_t mica_thread_spawn(struct mica_thread **out, void *(*fn)(void *), void *arg,
                          size_t stack_size)
{
    struct mica_thread *t;
    int64_t err = map_thread_memory(stack_size ? stack_size : MICA_STACK_DEFAULT, &t);
    if (err < 0)
        return err;
    t->self = t;
    t->fn = fn;
    t->arg = arg;
    atomic_init(&t->state, MICA_THREAD_JOINABLE);
    err = make_notifications(t);
    if (err == 0) {
        err = start_kernel_thread(t);
        if (err < 0) {
            mica_handle_close(t->park);
            mica_handle_close(t->exited);
        }
    }
    if (err < 0) {
        mica_vm_unmap(mica_runtime_aspace(), t->map_base, t->map_size);
        return err;
    }
    *out = t;
    return 0;
}

/* ---- Joining and detaching ---- */

/* Wait until t has signalled its end, then free everything; its result first. */
static int64_t reap(struct mica_thread *t, void **result)
{
    int64_t r;
    while ((r = mica_notify_wait(t->exited)) == 0)
        ;
    if (r < 0)
        return r;
    if (result)
        *result = t->result;
    uint64_t base = t->map_base, size = t->map_size;
    release(t);
    return mica_vm_unmap(mica_runtime_aspace(), base, size);
}

int64_t mica_thread_join(struct mica_thread *t, void **result)
{
    if (t == &first_thread || t == mica_thread_self())
        return -MICA_EINVAL;
    if (atomic_load(&t->state) == MICA_THREAD_DETACHED)
        return -MICA_EINVAL;
    return reap(t, result);
}

int64_t mica_thread_detach(struct mica_thread *t)
{
    if (t == &first_thread)
        return -MICA_EINVAL;
    int expected = MICA_THREAD_JOINABLE;
    if (atomic_compare_exchange_strong(&t->state, &expected, MICA_THREAD_DETACHED))
        return 0; /* it frees itself when it ends */
    if (expected == MICA_THREAD_DETACHED)
        return -MICA_EINVAL;
    return reap(t, NULL); /* it has ended already: free it here */
}

/* ---- The IPC buffer ---- */

struct mica_ipc_buffer *mica_thread_ipc_buffer(void)
{
    struct mica_thread *t = mica_thread_self();
    if (t->ipc)
        return t->ipc;
    int64_t vmo = mica_vmo_create(PAGE);
    if (vmo < 0)
        return 0;
    mica_handle_t as = mica_runtime_aspace();
    int64_t at = mica_vm_map(as, (mica_handle_t)vmo, 0, 0, PAGE, MICA_PROT_READ | MICA_PROT_WRITE);
    mica_handle_close((mica_handle_t)vmo);
    if (at < 0)
        return 0;
    if (mica_thread_set_ipc_buffer(MICA_THREAD_SELF, (void *)at) < 0) {
        mica_vm_unmap(as, (uint64_t)at, PAGE);
        return 0;
    }
    t->ipc = (struct mica_ipc_buffer *)at;
    return t->ipc;
}

/* ---- The first thread ---- */

int64_t mica_thread_init_first(void)
{
    struct mica_thread *t = &first_thread;
    int64_t park = mica_notify_create();
    if (park < 0)
        return park;
    int64_t err = mica_thread_set_tls(MICA_THREAD_SELF, 0, (uint64_t)t);
    if (err < 0) {
        mica_handle_close((mica_handle_t)park);
        return err;
    }
    t->self = t;
    t->park = (mica_handle_t)park;
    t->handle = MICA_THREAD_SELF;
    atomic_init(&t->state, MICA_THREAD_DETACHED);
    return 0;
}
