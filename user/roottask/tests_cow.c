/*
 * tests_cow.c - copy-on-write cloning of address-space ranges, the memory
 * half of fork: after a clone both sides see the same data, and each side's
 * later writes stay its own; SYS_VM_SHARE maps the handle-less copy a second
 * time, as a server does to reach the memory of a process it forked.
 */
#include "rt.h"

#define AREA       0x0000300000000000ull /* where the cloned data lives, in both spaces */
#define AREA_SIZE  (16 * 4096ull)
#define SHARED     0x0000310000000000ull /* a page both spaces map for talking (not cloned) */
#define STACK      0x0000320000000000ull
#define STACK_SIZE (16 * 4096ull)

struct report {
    volatile uint64_t seen_before, seen_after, done;
    volatile uint32_t granted_type, granted_rights;
};

static int64_t map_at(mica_handle_t as, mica_handle_t vmo, uint64_t va, uint64_t size,
                      uint32_t prot)
{
    return mica_vm_map(as, vmo, 0, va, size, prot);
}

/* Runs in the clone: reads what the parent wrote, then overwrites it. */
static void child_main(uint64_t granted)
{
    volatile uint64_t *area = (volatile uint64_t *)AREA;
    struct report *r = (struct report *)SHARED;
    uint32_t type = 0, rights = 0;
    mica_syscall3(SYS_HANDLE_INFO, granted, (uint64_t)&type, (uint64_t)&rights);
    r->granted_type = type; /* a handle given to this process by its creator */
    r->granted_rights = rights;
    r->seen_before = area[0] + area[4096 / 8 * 5];
    area[0] = 1111; /* must not reach the parent */
    r->seen_after = area[0];
    r->done = 1;
    for (;;)
        mica_yield();
}

static void test_clone_is_copy_on_write(void)
{
    /* The parent's data. */
    int64_t data = mica_vmo_create(AREA_SIZE);
    RT_EQ(map_at(rt_self, (mica_handle_t)data, AREA, AREA_SIZE, MICA_PROT_READ | MICA_PROT_WRITE),
          (int64_t)AREA);
    volatile uint64_t *area = (volatile uint64_t *)AREA;
    area[0] = 40;
    area[4096 / 8 * 5] = 2; /* pages 0 and 5 touched, the others never */

    /* A new address space with a copy of the area, the code, and a page to report in. */
    int64_t child = mica_syscall0(SYS_ASPACE_CREATE);
    RT_CHECK(child > 0);
    RT_EQ(mica_vm_clone(rt_self, (mica_handle_t)child, AREA, AREA_SIZE), 0);
    RT_EQ(mica_vm_clone(rt_self, (mica_handle_t)child, 0x400000, 0x100000), 0); /* our program */
    RT_EQ(mica_vm_clone(rt_self, (mica_handle_t)child, AREA, AREA_SIZE), -MICA_EEXIST);
    RT_EQ(mica_vm_clone(rt_self, rt_self, AREA, AREA_SIZE), -MICA_EINVAL);
    RT_EQ(mica_vm_clone(rt_self, (mica_handle_t)child, AREA + 1, AREA_SIZE), -MICA_EINVAL);
    int64_t shared = mica_vmo_create(4096);
    RT_EQ(map_at((mica_handle_t)child, (mica_handle_t)shared, SHARED, 4096,
                 MICA_PROT_READ | MICA_PROT_WRITE),
          (int64_t)SHARED);
    int64_t here =
        mica_vm_map(rt_self, (mica_handle_t)shared, 0, 0, 4096, MICA_PROT_READ | MICA_PROT_WRITE);
    struct report *r = (struct report *)here;
    int64_t stack = mica_vmo_create(STACK_SIZE);
    RT_EQ(map_at((mica_handle_t)child, (mica_handle_t)stack, STACK, STACK_SIZE,
                 MICA_PROT_READ | MICA_PROT_WRITE),
          (int64_t)STACK);

    /* The parent writes after the clone: the child must still see the old value. */
    area[4096 / 8 * 5] = 3;
    int64_t n = mica_notify_create();
    int64_t granted = mica_handle_grant((mica_handle_t)child, (mica_handle_t)n,
                                        MICA_RIGHT_SIGNAL | MICA_RIGHT_DUP);
    RT_CHECK(granted > 0);
    RT_EQ(mica_handle_grant((mica_handle_t)n, (mica_handle_t)n, MICA_RIGHT_ALL), -MICA_EINVAL);
    RT_EQ(mica_handle_grant((mica_handle_t)child, 0x7777, MICA_RIGHT_ALL), -MICA_EBADF);
    int64_t no_transfer = mica_handle_dup((mica_handle_t)n, MICA_RIGHT_ALL & ~MICA_RIGHT_TRANSFER);
    RT_EQ(mica_handle_grant((mica_handle_t)child, (mica_handle_t)no_transfer, MICA_RIGHT_ALL),
          -MICA_EACCES);
    mica_handle_close((mica_handle_t)no_transfer);
    int64_t t = mica_thread_create((mica_handle_t)child, child_main, (void *)(STACK + STACK_SIZE),
                                   (uint64_t)granted);
    RT_EQ(mica_thread_start((mica_handle_t)t), 0);
    while (!r->done)
        mica_yield();
    RT_EQ(r->seen_before, 42);  /* 40 + 2: the data as it was at the clone */
    RT_EQ(r->seen_after, 1111); /* its own write, in its own copy */
    RT_EQ(area[0], 40);         /* the parent's copy untouched */
    RT_EQ(r->granted_type, 5);  /* the granted handle works there: a notification */
    RT_EQ(r->granted_rights, MICA_RIGHT_SIGNAL | MICA_RIGHT_DUP);
    mica_handle_close((mica_handle_t)n);
    RT_EQ(area[4096 / 8 * 5], 3);

    /* SYS_VM_SHARE: the child's copy, which has no handle, seen from here too. */
    int64_t view = mica_vm_share((mica_handle_t)child, AREA, AREA_SIZE, rt_self, 0,
                                 MICA_PROT_READ | MICA_PROT_WRITE);
    RT_CHECK(view > 0);
    volatile uint64_t *v = (volatile uint64_t *)view;
    RT_EQ(v[0], 1111);            /* the child's own write */
    RT_EQ(v[4096 / 8 * 5], 2);    /* its copy of page 5, not the parent's 3 */
    v[4096 / 8 * 5] = 7;          /* a write through the view goes to the child's copy */
    RT_EQ(area[4096 / 8 * 5], 3); /* not to the parent's */
    int64_t again =
        mica_vm_share((mica_handle_t)child, AREA + 5 * 4096, 4096, rt_self, 0, MICA_PROT_READ);
    RT_CHECK(again > 0);
    RT_EQ(((volatile uint64_t *)again)[0], 7); /* the same page, from an offset in the object */
    mica_vm_unmap(rt_self, (uint64_t)again, 4096);
    RT_EQ(mica_vm_share((mica_handle_t)child, AREA + 1, 4096, rt_self, 0, MICA_PROT_READ),
          -MICA_EINVAL);
    RT_EQ(mica_vm_share((mica_handle_t)child, AREA, AREA_SIZE + 4096, rt_self, 0, MICA_PROT_READ),
          -MICA_ENOENT); /* reaches past the mapping */
    RT_EQ(mica_vm_share((mica_handle_t)child, AREA - 4096, 4096, rt_self, 0, MICA_PROT_READ),
          -MICA_ENOENT); /* nothing mapped there */
    RT_EQ(mica_vm_share((mica_handle_t)child, AREA, 4096, rt_self, 0,
                        MICA_PROT_WRITE | MICA_PROT_EXEC),
          -MICA_EINVAL); /* W^X */
    RT_EQ(mica_vm_share((mica_handle_t)child, AREA, 4096, rt_self, AREA, MICA_PROT_READ),
          -MICA_EEXIST); /* taken here */
    RT_EQ(mica_vm_share((mica_handle_t)child, AREA, 4096, 0x7777, 0, MICA_PROT_READ), -MICA_EBADF);
    mica_vm_unmap(rt_self, (uint64_t)view, AREA_SIZE);

    RT_EQ(mica_thread_suspend((mica_handle_t)t), 0);
    mica_handle_close((mica_handle_t)t);
    mica_handle_close((mica_handle_t)child);
    mica_vm_unmap(rt_self, (uint64_t)here, 4096);
    mica_vm_unmap(rt_self, AREA, AREA_SIZE);
    mica_handle_close((mica_handle_t)shared);
    mica_handle_close((mica_handle_t)stack);
    mica_handle_close((mica_handle_t)data);
}

const struct rt_test rt_cow_tests[] = {
    {"vm_clone_copy_on_write_and_grant", test_clone_is_copy_on_write},
};
const unsigned rt_cow_test_count = sizeof rt_cow_tests / sizeof rt_cow_tests[0];
