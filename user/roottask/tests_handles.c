/*
 * tests_handles.c - handles: looking them up, rights, duplicating, closing,
 * the limits of the handle table, and the kernel's object counters.
 *
 * The first four tests try every system call that takes a handle with bad
 * handles: invalid values, closed handles, handles to the wrong kind of
 * object and handles that lack the right the call needs.
 */
#include "rt.h"
#include "tests.h"

/* A thread entry for threads that are created but never started. */
static void never_runs(uint64_t arg)
{
    (void)arg;
    mica_thread_exit();
}

/* ---- every call that takes a handle, with otherwise harmless arguments ---- */

static mica_handle_t good_vmo; /* a VM object for the vm_map calls that vary the aspace */

static int64_t call_close(mica_handle_t h)
{
    return mica_handle_close(h);
}

static int64_t call_dup(mica_handle_t h)
{
    int64_t r = mica_handle_dup(h, MICA_RIGHT_ALL);
    if (r > 0) /* must not happen; do not leak it */
        mica_handle_close((mica_handle_t)r);
    return r;
}

static int64_t call_info(mica_handle_t h)
{
    uint32_t type, rights;
    return rt_handle_info(h, &type, &rights);
}

static int64_t call_thread_create(mica_handle_t h)
{
    int64_t r = mica_thread_create(h, never_runs, 0, 0);
    if (r > 0)
        mica_handle_close((mica_handle_t)r);
    return r;
}

static int64_t call_thread_start(mica_handle_t h)
{
    return mica_thread_start(h);
}

static int64_t call_vm_map_aspace(mica_handle_t h)
{
    int64_t r = mica_vm_map(h, good_vmo, 0, RT_SCRATCH, RT_PAGE, MICA_PROT_READ);
    if (r > 0)
        mica_vm_unmap(h, RT_SCRATCH, RT_PAGE);
    return r;
}

static int64_t call_vm_map_vmo(mica_handle_t h)
{
    int64_t r = mica_vm_map(rt_self, h, 0, RT_SCRATCH, RT_PAGE, MICA_PROT_READ);
    if (r > 0)
        mica_vm_unmap(rt_self, RT_SCRATCH, RT_PAGE);
    return r;
}

static int64_t call_vm_unmap(mica_handle_t h)
{
    return mica_vm_unmap(h, RT_SCRATCH, RT_PAGE);
}

static int64_t call_vm_protect(mica_handle_t h)
{
    return mica_vm_protect(h, RT_SCRATCH, RT_PAGE, MICA_PROT_READ);
}

static int64_t call_ipc_call(mica_handle_t h)
{
    struct mica_msg m = {0};
    return mica_call(h, &m);
}

static int64_t call_ipc_send(mica_handle_t h)
{
    struct mica_msg m = {0};
    return mica_send(h, &m);
}

static int64_t call_ipc_recv(mica_handle_t h)
{
    struct mica_msg m = {0};
    return mica_recv(h, &m);
}

static int64_t call_ipc_reply_recv(mica_handle_t h)
{
    struct mica_msg m = {0};
    return mica_reply_recv(h, &m);
}

static int64_t call_notify_signal(mica_handle_t h)
{
    return mica_notify_signal(h, 1);
}

static int64_t call_notify_wait(mica_handle_t h)
{
    return mica_notify_wait(h);
}

static int64_t call_notify_poll(mica_handle_t h)
{
    return mica_notify_poll(h);
}

struct handle_call {
    const char *name;
    int64_t (*call)(mica_handle_t h);
    int type;       /* the object type the call wants; 0: any */
    uint32_t right; /* the right it needs; 0: none */
};

static const struct handle_call handle_calls[] = {
    {"handle_close", call_close, 0, 0},
    {"handle_dup", call_dup, 0, MICA_RIGHT_DUP},
    {"handle_info", call_info, 0, 0},
    {"thread_create", call_thread_create, RT_OBJ_ASPACE, MICA_RIGHT_MANAGE},
    {"thread_start", call_thread_start, RT_OBJ_THREAD, MICA_RIGHT_MANAGE},
    {"vm_map (aspace)", call_vm_map_aspace, RT_OBJ_ASPACE, MICA_RIGHT_MANAGE},
    {"vm_map (vmo)", call_vm_map_vmo, RT_OBJ_VMO, MICA_RIGHT_MAP},
    {"vm_unmap", call_vm_unmap, RT_OBJ_ASPACE, MICA_RIGHT_MANAGE},
    {"vm_protect", call_vm_protect, RT_OBJ_ASPACE, MICA_RIGHT_MANAGE},
    {"call", call_ipc_call, RT_OBJ_ENDPOINT, MICA_RIGHT_SEND},
    {"send", call_ipc_send, RT_OBJ_ENDPOINT, MICA_RIGHT_SEND},
    {"recv", call_ipc_recv, RT_OBJ_ENDPOINT, MICA_RIGHT_RECV},
    {"reply_recv", call_ipc_reply_recv, RT_OBJ_ENDPOINT, MICA_RIGHT_RECV},
    {"notify_signal", call_notify_signal, RT_OBJ_NOTIFICATION, MICA_RIGHT_SIGNAL},
    {"notify_wait", call_notify_wait, RT_OBJ_NOTIFICATION, MICA_RIGHT_WAIT},
    {"notify_poll", call_notify_poll, RT_OBJ_NOTIFICATION, MICA_RIGHT_WAIT},
};
#define NCALLS (sizeof handle_calls / sizeof handle_calls[0])

/* Report which call got which result when it is not the expected one. */
static void expect_result(const struct handle_call *c, const char *what, int64_t got, int64_t want)
{
    if (got != want) {
        mica_printf("  %s with %s: got %ld, want %ld\n", c->name, what, got, want);
        rt_failed_checks++;
    }
}

/* A new object of the given type with all rights (a thread is created, not started). */
static mica_handle_t new_object(int type)
{
    int64_t h = -1;
    switch (type) {
    case RT_OBJ_THREAD:
        h = mica_thread_create(rt_self, never_runs, 0, 0);
        break;
    case RT_OBJ_ASPACE:
        h = rt_aspace_create();
        break;
    case RT_OBJ_VMO:
        h = mica_vmo_create(RT_PAGE);
        break;
    case RT_OBJ_ENDPOINT:
        h = mica_endpoint_create();
        break;
    case RT_OBJ_NOTIFICATION:
        h = mica_notify_create();
        break;
    }
    RT_CHECK(h > 0);
    return h > 0 ? (mica_handle_t)h : 0;
}

static void setup_good_vmo(void)
{
    int64_t v = mica_vmo_create(RT_PAGE);
    RT_CHECK(v > 0);
    good_vmo = (mica_handle_t)v;
}

/* Handle values that were never handed out are refused with EBADF by every call. */
void test_handle_bad_values(void)
{
    static const mica_handle_t bad[] = {
        0,          /* MICA_HANDLE_INVALID */
        1,          /* slot 1 with generation 0: never valid */
        0xfff,      /* the largest slot index, generation 0 */
        0xdeadbeef, /* garbage */
        0xfffff000, /* the largest generation, slot 0 */
        0xffffffff, /* all ones */
    };
    setup_good_vmo();
    for (unsigned i = 0; i < NCALLS; i++)
        for (unsigned j = 0; j < sizeof bad / sizeof bad[0]; j++)
            expect_result(&handle_calls[i], "a bad handle value", handle_calls[i].call(bad[j]),
                          -MICA_EBADF);
    RT_EQ(mica_handle_close(good_vmo), 0);
}

/* A handle travels in a 64-bit register: a valid handle with high bits set is
 * refused, not cut down to 32 bits. */
void test_handle_wide_values(void)
{
    const uint64_t high = 1ull << 32;
    mica_handle_t n = new_object(RT_OBJ_NOTIFICATION);
    mica_handle_t t = new_object(RT_OBJ_THREAD);
    RT_EQ(mica_syscall1(SYS_HANDLE_CLOSE, high | n), -MICA_EBADF);
    RT_EQ(mica_syscall2(SYS_HANDLE_DUP, high | n, MICA_RIGHT_ALL), -MICA_EBADF);
    RT_EQ(mica_syscall2(SYS_NOTIFY_SIGNAL, high | n, 1), -MICA_EBADF);
    RT_EQ(mica_syscall1(SYS_NOTIFY_POLL, high | n), -MICA_EBADF);
    RT_EQ(mica_syscall1(SYS_THREAD_START, high | t), -MICA_EBADF);
    RT_EQ(mica_syscall3(SYS_VM_UNMAP, high | rt_self, RT_SCRATCH, RT_PAGE), -MICA_EBADF);
    RT_EQ(mica_syscall1(SYS_NOTIFY_POLL, ~0ull), -MICA_EBADF);
    RT_EQ(mica_notify_poll(n), 0); /* nothing was signalled */
    RT_EQ(mica_handle_close(t), 0);
    RT_EQ(mica_handle_close(n), 0);
}

/* A closed handle is refused with EBADF by every call. */
void test_handle_closed(void)
{
    setup_good_vmo();
    for (unsigned i = 0; i < NCALLS; i++) {
        const struct handle_call *c = &handle_calls[i];
        mica_handle_t h = new_object(c->type ? c->type : RT_OBJ_ENDPOINT);
        RT_EQ(mica_handle_close(h), 0);
        expect_result(c, "a closed handle", c->call(h), -MICA_EBADF);
    }
    RT_EQ(mica_handle_close(good_vmo), 0);
}

/* A handle to the wrong kind of object is refused with EINVAL. */
void test_handle_wrong_type(void)
{
    setup_good_vmo();
    for (unsigned i = 0; i < NCALLS; i++) {
        const struct handle_call *c = &handle_calls[i];
        if (c->type == 0)
            continue; /* close, dup and info take any kind */
        for (int type = RT_OBJ_THREAD; type <= RT_OBJ_NOTIFICATION; type++) {
            if (type == c->type)
                continue;
            mica_handle_t h = new_object(type);
            expect_result(c, "a handle of the wrong type", c->call(h), -MICA_EINVAL);
            RT_EQ(mica_handle_close(h), 0);
        }
    }
    RT_EQ(mica_handle_close(good_vmo), 0);
}

/* A handle without the right a call needs is refused with EACCES. */
void test_handle_missing_right(void)
{
    setup_good_vmo();
    for (unsigned i = 0; i < NCALLS; i++) {
        const struct handle_call *c = &handle_calls[i];
        if (c->right == 0)
            continue;
        mica_handle_t h = new_object(c->type ? c->type : RT_OBJ_ENDPOINT);
        int64_t weak = mica_handle_dup(h, MICA_RIGHT_ALL & ~c->right);
        RT_CHECK(weak > 0);
        expect_result(c, "a handle lacking the right", c->call((mica_handle_t)weak), -MICA_EACCES);
        RT_EQ(mica_handle_close((mica_handle_t)weak), 0);
        RT_EQ(mica_handle_close(h), 0);
    }
    RT_EQ(mica_handle_close(good_vmo), 0);
}

/* SYS_HANDLE_INFO reports the type of each kind of object, and all rights for a new one. */
void test_handle_info_types(void)
{
    uint32_t type = 0, rights = 0;
    RT_EQ(rt_handle_info(rt_self, &type, &rights), 0);
    RT_EQ(type, RT_OBJ_ASPACE);
    RT_EQ(rights, MICA_RIGHT_ALL);
    for (int t = RT_OBJ_THREAD; t <= RT_OBJ_NOTIFICATION; t++) {
        mica_handle_t h = new_object(t);
        type = rights = 0;
        RT_EQ(rt_handle_info(h, &type, &rights), 0);
        RT_EQ(type, t);
        RT_EQ(rights, MICA_RIGHT_ALL);
        RT_EQ(mica_handle_close(h), 0);
    }
}

/* SYS_HANDLE_INFO with output pointers the kernel must not write gives EFAULT. */
void test_handle_info_bad_pointers(void)
{
    uint32_t ok;
    mica_handle_t vmo;
    uint32_t *ro = rt_map_new(RT_PAGE, MICA_PROT_READ, &vmo);
    uint64_t bad[] = {0, RT_KERNEL, 0xffffffff80000000ull, RT_SCRATCH, RT_USER_TOP, (uint64_t)ro};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        RT_EQ(mica_syscall3(SYS_HANDLE_INFO, rt_self, bad[i], (uint64_t)&ok), -MICA_EFAULT);
        RT_EQ(mica_syscall3(SYS_HANDLE_INFO, rt_self, (uint64_t)&ok, bad[i]), -MICA_EFAULT);
    }
    /* The last 2 bytes of user space: a 4-byte value does not fit. */
    RT_EQ(mica_syscall3(SYS_HANDLE_INFO, rt_self, RT_USER_TOP - 2, (uint64_t)&ok), -MICA_EFAULT);
    RT_EQ(ro[0], 0); /* the read-only page was not written */
    rt_unmap_close(ro, RT_PAGE, vmo);
}

/* Closing a handle twice: the second close fails, and the handle is dead for every call. */
void test_handle_close_twice(void)
{
    mica_handle_t n = new_object(RT_OBJ_NOTIFICATION);
    RT_EQ(mica_handle_close(n), 0);
    RT_EQ(mica_handle_close(n), -MICA_EBADF);
    RT_EQ(mica_notify_signal(n, 1), -MICA_EBADF);
}

/* A slot is reused with a new generation: the old handle value stays invalid. */
void test_handle_stale_generation(void)
{
    mica_handle_t a = new_object(RT_OBJ_ENDPOINT);
    RT_EQ(mica_handle_close(a), 0);
    mica_handle_t b = new_object(RT_OBJ_NOTIFICATION);
    RT_CHECK(a != b);
    RT_EQ(mica_notify_poll(a), -MICA_EBADF); /* a does not reach b's notification */
    RT_EQ(mica_handle_close(a), -MICA_EBADF);
    RT_EQ(mica_notify_poll(b), 0);
    /* A made-up handle with b's slot and the next generation is not valid either. */
    RT_EQ(mica_notify_poll(b + 0x1000), -MICA_EBADF);
    RT_EQ(mica_handle_close(b), 0);
}

/* handle_dup() gives rights (old & mask), never more, and needs MICA_RIGHT_DUP. */
void test_handle_dup_rights(void)
{
    mica_handle_t n = new_object(RT_OBJ_NOTIFICATION);
    uint32_t mask = MICA_RIGHT_DUP | MICA_RIGHT_SIGNAL | MICA_RIGHT_READ;
    int64_t d1 = mica_handle_dup(n, mask);
    RT_CHECK(d1 > 0 && d1 != n);
    RT_EQ(rt_rights((mica_handle_t)d1), mask);
    /* Asking for everything again gives only what d1 has. */
    int64_t d2 = mica_handle_dup((mica_handle_t)d1, MICA_RIGHT_ALL | 0xfffff800u);
    RT_EQ(rt_rights((mica_handle_t)d2), mask);
    /* A mask of 0 gives a handle with no rights at all... */
    int64_t d3 = mica_handle_dup((mica_handle_t)d1, 0);
    RT_CHECK(d3 > 0);
    RT_EQ(rt_rights((mica_handle_t)d3), 0);
    /* ...which cannot be duplicated any more, nor used to signal. */
    RT_EQ(mica_handle_dup((mica_handle_t)d3, MICA_RIGHT_ALL), -MICA_EACCES);
    RT_EQ(mica_notify_signal((mica_handle_t)d3, 1), -MICA_EACCES);
    RT_EQ(mica_handle_close((mica_handle_t)d3), 0);
    RT_EQ(mica_handle_close((mica_handle_t)d2), 0);
    RT_EQ(mica_handle_close((mica_handle_t)d1), 0);
    RT_EQ(mica_handle_close(n), 0);
}

/* A duplicate names the same object, which lives until its last handle is closed. */
void test_handle_dup_same_object(void)
{
    struct mica_kernel_stats s0, s1;
    rt_stats(&s0);
    mica_handle_t n = new_object(RT_OBJ_NOTIFICATION);
    int64_t d = mica_handle_dup(n, MICA_RIGHT_ALL);
    RT_CHECK(d > 0);
    RT_EQ(mica_notify_signal((mica_handle_t)d, 0x40), 0);
    RT_EQ(mica_notify_poll(n), 0x40); /* signalled through one, seen through the other */
    RT_EQ(mica_handle_close(n), 0);
    rt_stats(&s1);
    RT_EQ(s1.objects[RT_OBJ_NOTIFICATION], s0.objects[RT_OBJ_NOTIFICATION] + 1);
    RT_EQ(mica_notify_signal((mica_handle_t)d, 2), 0); /* still usable */
    RT_EQ(mica_notify_poll((mica_handle_t)d), 2);
    RT_EQ(mica_handle_close((mica_handle_t)d), 0);
    rt_stats(&s1);
    RT_EQ(s1.objects[RT_OBJ_NOTIFICATION], s0.objects[RT_OBJ_NOTIFICATION]);
}

/* Creating an object of each type raises its count and the handle count by one; closing undoes it.
 */
void test_kernel_stats_counts(void)
{
    struct mica_kernel_stats s0, s1, s2;
    for (int t = RT_OBJ_THREAD; t <= RT_OBJ_NOTIFICATION; t++) {
        rt_stats(&s0);
        mica_handle_t h = new_object(t);
        rt_stats(&s1);
        RT_EQ(s1.objects[t], s0.objects[t] + 1);
        RT_EQ(s1.handles, s0.handles + 1);
        RT_EQ(mica_handle_close(h), 0);
        rt_stats(&s2);
        RT_EQ(s2.objects[t], s0.objects[t]);
        RT_EQ(s2.handles, s0.handles);
    }
}

/* SYS_KERNEL_STATS with an output pointer the kernel must not write gives EFAULT. */
void test_kernel_stats_bad_pointers(void)
{
    mica_handle_t vmo;
    uint64_t *ro = rt_map_new(RT_PAGE, MICA_PROT_READ, &vmo);
    uint64_t bad[] = {
        0,                     /* null */
        RT_KERNEL,             /* kernel direct map */
        0xffffffff80000000ull, /* kernel image */
        RT_SCRATCH,            /* not mapped */
        RT_USER_TOP,           /* first non-user address */
        RT_USER_TOP - 8,       /* runs past the end of user space */
        (uint64_t)ro,          /* read-only, never touched */
        0x8000000000000000ull, /* not canonical */
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t r = mica_syscall1(SYS_KERNEL_STATS, bad[i]);
        if (r != -MICA_EFAULT) {
            mica_printf("  kernel_stats(%#lx) = %ld\n", bad[i], r);
            rt_failed_checks++;
        }
    }
    /* Read-only and already present in the page table. */
    RT_EQ(ro[0], 0);
    RT_EQ(mica_syscall1(SYS_KERNEL_STATS, (uint64_t)ro), -MICA_EFAULT);
    RT_EQ(ro[0], 0);
    RT_EQ(ro[1], 0);
    rt_unmap_close(ro, RT_PAGE, vmo);
}

/* The output may start in a writable page and run into an unmapped one: EFAULT. */
void test_kernel_stats_straddling(void)
{
    int64_t v = mica_vmo_create(RT_PAGE);
    RT_CHECK(v > 0);
    RT_EQ(mica_vm_map(rt_self, (mica_handle_t)v, 0, RT_SCRATCH, RT_PAGE, RT_RW), RT_SCRATCH);
    uint64_t near_end = RT_SCRATCH + RT_PAGE - 16;
    RT_EQ(mica_syscall1(SYS_KERNEL_STATS, near_end), -MICA_EFAULT);
    /* Entirely inside the page, never touched before: the kernel's copy faults it in. */
    RT_EQ(mica_syscall1(SYS_KERNEL_STATS, RT_SCRATCH + 64), 0);
    RT_CHECK(((struct mica_kernel_stats *)(RT_SCRATCH + 64))->free_pages > 0);
    RT_EQ(mica_vm_unmap(rt_self, RT_SCRATCH, RT_PAGE), 0);
    RT_EQ(mica_handle_close((mica_handle_t)v), 0);
}

/* A full handle table (1024 handles) refuses new handles with ENOSPC and leaks nothing. */
void test_handle_table_full(void)
{
    static mica_handle_t hs[1024];
    struct mica_kernel_stats before, full, after_refusals;
    rt_stats(&before);
    unsigned n = 0;
    int64_t h = 0;
    while (n < 1024 && (h = mica_endpoint_create()) > 0)
        hs[n++] = (mica_handle_t)h;
    RT_EQ(h, -MICA_ENOSPC);
    RT_EQ(n + before.handles, 1024);
    rt_stats(&full);
    RT_EQ(full.handles, 1024);
    RT_EQ(full.objects[RT_OBJ_ENDPOINT], before.objects[RT_OBJ_ENDPOINT] + n);

    /* Every call that makes a handle fails, and the object it made is gone again. */
    RT_EQ(mica_handle_dup(hs[0], MICA_RIGHT_ALL), -MICA_ENOSPC);
    RT_EQ(mica_endpoint_create(), -MICA_ENOSPC);
    RT_EQ(mica_notify_create(), -MICA_ENOSPC);
    RT_EQ(mica_vmo_create(RT_PAGE), -MICA_ENOSPC);
    RT_EQ(rt_aspace_create(), -MICA_ENOSPC);
    RT_EQ(mica_thread_create(rt_self, never_runs, 0, 0), -MICA_ENOSPC);
    rt_stats(&after_refusals);
    for (unsigned t = 0; t < 16; t++)
        RT_EQ(after_refusals.objects[t], full.objects[t]);
    RT_EQ(after_refusals.handles, 1024);

    /* One closed handle makes room for exactly one new one. */
    RT_EQ(mica_handle_close(hs[n - 1]), 0);
    h = mica_endpoint_create();
    RT_CHECK(h > 0);
    hs[n - 1] = (mica_handle_t)h;
    RT_EQ(mica_notify_create(), -MICA_ENOSPC);

    for (unsigned i = 0; i < n; i++)
        RT_EQ(mica_handle_close(hs[i]), 0);
    rt_check_leaks(&before, 64);
}

/* The handle table can be filled and emptied again and again. */
void test_handle_table_refill(void)
{
    static mica_handle_t hs[1024];
    struct mica_kernel_stats before;
    rt_stats(&before);
    for (int round = 0; round < 3; round++) {
        unsigned n = 0;
        int64_t h = 0;
        while (n < 1024 && (h = mica_notify_create()) > 0)
            hs[n++] = (mica_handle_t)h;
        RT_EQ(h, -MICA_ENOSPC);
        RT_EQ(n + before.handles, 1024);
        for (unsigned i = 0; i < n; i++)
            RT_EQ(mica_handle_close(hs[i]), 0);
    }
    rt_check_leaks(&before, 64);
}
