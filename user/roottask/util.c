/*
 * util.c - helpers shared by the tests: memory, threads, waiting, leak checks.
 */
#include "rt.h"

#define WAIT_LIMIT 500000 /* yields before rt_wait_threads() gives up */

uint32_t rt_rights(mica_handle_t h)
{
    uint32_t type, rights;
    if (rt_handle_info(h, &type, &rights) < 0)
        return 0xffffffffu;
    return rights;
}

void *rt_map_new(uint64_t size, uint32_t prot, mica_handle_t *vmo)
{
    int64_t v = mica_vmo_create(size);
    RT_CHECK(v > 0);
    if (v <= 0)
        return 0;
    int64_t at = mica_vm_map(rt_self, (mica_handle_t)v, 0, 0, size, prot);
    RT_CHECK(at > 0);
    if (at <= 0) {
        mica_handle_close((mica_handle_t)v);
        return 0;
    }
    *vmo = (mica_handle_t)v;
    return (void *)at;
}

void rt_unmap_close(void *addr, uint64_t size, mica_handle_t vmo)
{
    RT_EQ(mica_vm_unmap(rt_self, (uint64_t)addr, size), 0);
    RT_EQ(mica_handle_close(vmo), 0);
}

int64_t rt_spawn(struct rt_thread *t, void (*fn)(uint64_t), uint64_t arg)
{
    t->handle = 0;
    void *base = rt_map_new(RT_PAGE + RT_STACK_SIZE, RT_RW, &t->stack_vmo);
    if (!base)
        return -MICA_ENOMEM;
    t->stack_base = (uint64_t)base;
    /* The lowest page becomes inaccessible: a stack overflow faults there. */
    RT_EQ(mica_vm_protect(rt_self, t->stack_base, RT_PAGE, 0), 0);
    /* Entered as if by a call: the return address slot makes rsp + 8 16-byte aligned. */
    uint64_t top = t->stack_base + RT_PAGE + RT_STACK_SIZE - 8;
    int64_t h = mica_thread_create(rt_self, fn, (void *)top, arg);
    if (h > 0) {
        int64_t err = mica_thread_start((mica_handle_t)h);
        if (err == 0) {
            t->handle = (mica_handle_t)h;
            return 0;
        }
        mica_handle_close((mica_handle_t)h);
        h = err;
    }
    rt_unmap_close(base, RT_PAGE + RT_STACK_SIZE, t->stack_vmo);
    return h;
}

void rt_reap(struct rt_thread *t, unsigned n)
{
    struct mica_kernel_stats s;
    rt_stats(&s);
    uint64_t target = s.objects[RT_OBJ_THREAD];
    for (unsigned i = 0; i < n; i++) {
        if (t[i].handle) {
            RT_EQ(mica_handle_close(t[i].handle), 0);
            target--;
        }
    }
    if (!rt_wait_threads(target)) {
        mica_printf("  rt_reap: threads did not end (their stacks stay mapped)\n");
        rt_failed_checks++;
        return;
    }
    for (unsigned i = 0; i < n; i++) {
        if (t[i].handle)
            rt_unmap_close((void *)t[i].stack_base, RT_PAGE + RT_STACK_SIZE, t[i].stack_vmo);
        t[i].handle = 0;
    }
}

_Noreturn void rt_signal_exit(mica_handle_t n, uint64_t bits)
{
    __asm__ volatile("syscall\n\t"
                     "movl %[exit], %%eax\n\t"
                     "syscall\n\t"
                     "ud2"
                     :
                     : "a"((uint64_t)SYS_NOTIFY_SIGNAL), "D"((uint64_t)n),
                       "S"(bits), [exit] "i"(SYS_THREAD_EXIT)
                     : "rcx", "r11", "memory");
    __builtin_unreachable();
}

int64_t rt_wait_bits(mica_handle_t n, uint64_t bits)
{
    uint64_t seen = 0;
    while ((seen & bits) != bits) {
        int64_t r = mica_notify_wait(n);
        if (r < 0) {
            RT_EQ(r, 0);
            return r;
        }
        seen |= (uint64_t)r;
    }
    return (int64_t)seen;
}

void rt_yield_n(unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        mica_yield();
}

int rt_wait_objects(unsigned type, uint64_t count)
{
    struct mica_kernel_stats s;
    for (unsigned i = 0; i < WAIT_LIMIT; i++) {
        rt_stats(&s);
        if (s.objects[type] <= count)
            return 1;
        mica_yield();
    }
    return 0;
}

int rt_wait_threads(uint64_t count)
{
    return rt_wait_objects(RT_OBJ_THREAD, count);
}

void rt_stats(struct mica_kernel_stats *s)
{
    RT_EQ(mica_kernel_stats(s), 0);
}

void rt_check_leaks(const struct mica_kernel_stats *before, uint64_t slack_pages)
{
    struct mica_kernel_stats after;
    /* Dying threads are counted gone before they drop what they hold: wait for both. */
    for (unsigned t = 0; t < 16; t++)
        rt_wait_objects(t, before->objects[t]);
    rt_stats(&after);
    for (unsigned t = 0; t < 16; t++) {
        /* Fewer is no leak: a thread of an earlier test (one run without this
         * check) may have ended meanwhile, freeing what it held. */
        if (after.objects[t] > before->objects[t]) {
            mica_printf("  leak: %lu objects of type %u before, %lu after\n", before->objects[t], t,
                        after.objects[t]);
            rt_failed_checks++;
        }
    }
    RT_EQ(after.handles, before->handles);
    if (before->free_pages > after.free_pages &&
        before->free_pages - after.free_pages > slack_pages) {
        mica_printf("  leak: %lu free pages before, %lu after\n", before->free_pages,
                    after.free_pages);
        rt_failed_checks++;
    }
}

int rt_wait_blocked(mica_handle_t t)
{
    for (int i = 0; i < WAIT_LIMIT; i++) {
        struct mica_thread_info info;
        if (mica_thread_info(t, &info) < 0)
            return 0;
        if (info.state == MICA_THREAD_STATE_BLOCKED)
            return 1;
        mica_yield();
    }
    return 0;
}
