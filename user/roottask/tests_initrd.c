/*
 * tests_initrd.c - the boot module the kernel hands to the root task: a
 * read-only VM object holding exactly what the boot loader loaded (here the
 * root task's own ELF image).
 */
#include "rt.h"

#define INITRD_AT (RT_SCRATCH + 0x10000000ull)

static void test_initrd_contents(void)
{
    uint32_t type = 0, rights = 0;
    RT_EQ(rt_handle_info(rt_initrd, &type, &rights), 0);
    RT_EQ(type, RT_OBJ_VMO);
    RT_EQ(rights & MICA_RIGHT_WRITE, 0);
    RT_CHECK(rt_initrd_size > 4096);
    uint64_t size = (rt_initrd_size + RT_PAGE - 1) & ~(RT_PAGE - 1);
    RT_EQ(mica_vm_map(rt_self, rt_initrd, 0, INITRD_AT, size, MICA_PROT_READ), INITRD_AT);
    const unsigned char *p = (const unsigned char *)INITRD_AT;
    /* Booted with the bare ELF image: it starts with the ELF magic, and its
     * last byte is readable too. */
    RT_CHECK(p[0] == 0x7f && p[1] == 'E' && p[2] == 'L' && p[3] == 'F');
    volatile unsigned char last = p[rt_initrd_size - 1];
    (void)last;
    for (uint64_t i = rt_initrd_size; i < size; i++)
        RT_EQ(p[i], 0); /* the rest of the last page is zero */
    RT_EQ(mica_vm_unmap(rt_self, INITRD_AT, size), 0);
}

/* Nobody may change it: no writable mapping, no write right by dup. */
static void test_initrd_read_only(void)
{
    RT_EQ(mica_vm_map(rt_self, rt_initrd, 0, INITRD_AT, RT_PAGE, RT_RW), -MICA_EACCES);
    RT_EQ(mica_vm_map(rt_self, rt_initrd, 0, INITRD_AT, RT_PAGE, RT_RX), -MICA_EACCES);
    int64_t d = mica_handle_dup(rt_initrd, MICA_RIGHT_ALL);
    RT_CHECK(d > 0);
    RT_EQ(rt_rights((mica_handle_t)d) & MICA_RIGHT_WRITE, 0);
    RT_EQ(mica_handle_close((mica_handle_t)d), 0);
}

const struct rt_test rt_initrd_tests[] = {
    {"initrd_contents", test_initrd_contents},
    {"initrd_read_only", test_initrd_read_only},
};
const unsigned rt_initrd_test_count = sizeof rt_initrd_tests / sizeof rt_initrd_tests[0];
