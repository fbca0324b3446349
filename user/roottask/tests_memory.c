/*
 * tests_memory.c - VM objects and mappings: vmo_create, vm_map, vm_unmap,
 * vm_protect, demand paging and W^X.
 *
 * Most tests map at fixed addresses from RT_SCRATCH and unmap everything
 * they mapped.  Whether the kernel may write a page is probed with
 * SYS_KERNEL_STATS, which writes its result there or fails with EFAULT
 * (so the root task itself never faults on a page it may not touch).
 */
#include "rt.h"
#include "tests.h"

#define S RT_SCRATCH
#define P RT_PAGE

/* Code to copy into executable mappings: returns 42. */
__asm__(".pushsection .rodata\n"
        "ret42_code:\n"
        "    movl $42, %eax\n"
        "    ret\n"
        "ret42_code_end:\n"
        ".popsection");
extern const char ret42_code[], ret42_code_end[];

/* 0 if the kernel could write a struct mica_kernel_stats at addr, else an error (EFAULT). */
static int64_t probe_write(uint64_t addr)
{
    return mica_syscall1(SYS_KERNEL_STATS, addr);
}

static mica_handle_t new_vmo(uint64_t size)
{
    int64_t v = mica_vmo_create(size);
    RT_CHECK(v > 0);
    return v > 0 ? (mica_handle_t)v : 0;
}

static void copy_bytes(volatile char *dst, const char *src, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        dst[i] = src[i];
}

/* vmo_create refuses 0 bytes and absurd sizes; 1 byte is rounded up to a page. */
void test_vmo_create_sizes(void)
{
    RT_EQ(mica_vmo_create(0), -MICA_EINVAL);
    RT_EQ(mica_vmo_create(1ull << 40), -MICA_EINVAL);
    RT_EQ(mica_vmo_create(1ull << 63), -MICA_EINVAL);
    RT_EQ(mica_vmo_create(~0ull), -MICA_EINVAL);
    RT_EQ(mica_vmo_create(~0ull - P + 2), -MICA_EINVAL); /* would wrap when rounded up */
    mica_handle_t v = new_vmo(1);
    RT_EQ(mica_vm_map(rt_self, v, 0, S, P, RT_RW), S);                    /* a whole page */
    RT_EQ(mica_vm_map(rt_self, v, 0, S + P, 2 * P, RT_RW), -MICA_EINVAL); /* not two */
    *(volatile char *)(S + P - 1) = 1;
    RT_EQ(mica_vm_unmap(rt_self, S, P), 0);
    RT_EQ(mica_handle_close(v), 0);
    v = new_vmo(64 << 20); /* large objects are cheap until touched */
    RT_EQ(mica_handle_close(v), 0);
}

/* New memory reads as zeros and is writable at once. */
void test_vm_map_zero_filled(void)
{
    mica_handle_t v;
    volatile uint64_t *m = rt_map_new(4 * P, RT_RW, &v);
    uint64_t nonzero = 0;
    for (unsigned i = 0; i < 4 * P / 8; i++)
        nonzero += m[i] != 0;
    RT_EQ(nonzero, 0);
    for (unsigned i = 0; i < 4 * P / 8; i++)
        m[i] = i * 0x9e3779b97f4a7c15ull;
    uint64_t wrong = 0;
    for (unsigned i = 0; i < 4 * P / 8; i++)
        wrong += m[i] != i * 0x9e3779b97f4a7c15ull;
    RT_EQ(wrong, 0);
    rt_unmap_close((void *)m, 4 * P, v);
}

/* vm_map at a given address maps exactly there; with 0 the kernel picks distinct free ranges. */
void test_vm_map_addresses(void)
{
    mica_handle_t v = new_vmo(2 * P);
    RT_EQ(mica_vm_map(rt_self, v, 0, S + 7 * P, 2 * P, RT_RW), S + 7 * P);
    int64_t a = mica_vm_map(rt_self, v, 0, 0, 2 * P, RT_RW);
    int64_t b = mica_vm_map(rt_self, v, 0, 0, 2 * P, RT_RW);
    RT_CHECK(a > 0 && b > 0);
    RT_EQ(a & (P - 1), 0);
    RT_EQ(b & (P - 1), 0);
    RT_CHECK(a + 2 * (int64_t)P <= b || b + 2 * (int64_t)P <= a); /* no overlap */
    RT_CHECK((uint64_t)a < RT_USER_TOP && (uint64_t)b < RT_USER_TOP);
    /* All three show the same object. */
    *(volatile uint64_t *)(S + 8 * P) = 77;
    RT_EQ(*(volatile uint64_t *)(a + P), 77);
    RT_EQ(*(volatile uint64_t *)(b + P), 77);
    RT_EQ(mica_vm_unmap(rt_self, S + 7 * P, 2 * P), 0);
    RT_EQ(mica_vm_unmap(rt_self, (uint64_t)a, 2 * P), 0);
    RT_EQ(mica_vm_unmap(rt_self, (uint64_t)b, 2 * P), 0);
    RT_EQ(mica_handle_close(v), 0);
}

/* Unaligned, empty, too large and out-of-range requests are refused with EINVAL. */
void test_vm_map_bad_ranges(void)
{
    mica_handle_t v = new_vmo(2 * P);
    static const struct {
        uint64_t offset, vaddr, size;
    } bad[] = {
        {0, S + 1, P},                 /* unaligned address */
        {0, S, 100},                   /* unaligned size */
        {0, S, 0},                     /* nothing */
        {100, S, P},                   /* unaligned offset */
        {3 * P, S, P},                 /* offset beyond the object */
        {0, S, 3 * P},                 /* more than the object */
        {P, S, 2 * P},                 /* offset + size beyond the object */
        {0, RT_USER_TOP, P},           /* not user space */
        {0, RT_USER_TOP - P, 2 * P},   /* runs past the end of user space */
        {0, RT_KERNEL, P},             /* kernel */
        {0, 0xfffffffffffff000ull, P}, /* the very top */
        {0, S, 0xfffffffffffff000ull}, /* wraps around */
        {0xfffffffffffff000ull, S, P}, /* offset wraps around */
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t r = mica_vm_map(rt_self, v, bad[i].offset, bad[i].vaddr, bad[i].size, RT_RW);
        if (r != -MICA_EINVAL) {
            mica_printf("  vm_map(offset %#lx, vaddr %#lx, size %#lx) = %ld\n", bad[i].offset,
                        bad[i].vaddr, bad[i].size, r);
            rt_failed_checks++;
        }
    }
    /* Nothing was mapped by the refused calls. */
    RT_EQ(mica_vm_map(rt_self, v, 0, S, 2 * P, RT_RW), S);
    RT_EQ(mica_vm_unmap(rt_self, S, 2 * P), 0);
    /* The very last page of user space is fine. */
    RT_EQ(mica_vm_map(rt_self, v, P, RT_USER_TOP - P, P, RT_RW), RT_USER_TOP - P);
    *(volatile uint64_t *)(RT_USER_TOP - 8) = 5;
    RT_EQ(mica_vm_unmap(rt_self, RT_USER_TOP - P, P), 0);
    RT_EQ(mica_handle_close(v), 0);
}

/* Any overlap with an existing mapping is refused with EEXIST; neighbours are fine. */
void test_vm_map_overlap(void)
{
    mica_handle_t v = new_vmo(4 * P);
    RT_EQ(mica_vm_map(rt_self, v, 0, S + P, 2 * P, RT_RW), S + P);            /* [S+P, S+3P) */
    RT_EQ(mica_vm_map(rt_self, v, 0, S + P, 2 * P, RT_RW), -MICA_EEXIST);     /* the same */
    RT_EQ(mica_vm_map(rt_self, v, 0, S, 2 * P, RT_RW), -MICA_EEXIST);         /* its start */
    RT_EQ(mica_vm_map(rt_self, v, 0, S + 2 * P, 2 * P, RT_RW), -MICA_EEXIST); /* its end */
    RT_EQ(mica_vm_map(rt_self, v, 0, S, 4 * P, RT_RW), -MICA_EEXIST);         /* around it */
    RT_EQ(mica_vm_map(rt_self, v, 0, S + 2 * P, P, RT_RW), -MICA_EEXIST);     /* inside it */
    RT_EQ(mica_vm_map(rt_self, v, 0, S, P, RT_RW), S);                        /* just below */
    RT_EQ(mica_vm_map(rt_self, v, 0, S + 3 * P, P, RT_RW), S + 3 * P);        /* just above */
    /* One unmap removes all three mappings. */
    RT_EQ(mica_vm_unmap(rt_self, S, 4 * P), 0);
    RT_EQ(mica_vm_map(rt_self, v, 0, S, 4 * P, RT_RW), S);
    RT_EQ(mica_vm_unmap(rt_self, S, 4 * P), 0);
    RT_EQ(mica_handle_close(v), 0);
}

/* Writable and executable at once is refused (W^X), as are unknown protection bits. */
void test_vm_map_wx_refused(void)
{
    mica_handle_t v = new_vmo(P);
    RT_EQ(mica_vm_map(rt_self, v, 0, S, P, MICA_PROT_WRITE | MICA_PROT_EXEC), -MICA_EINVAL);
    RT_EQ(mica_vm_map(rt_self, v, 0, S, P, RT_RW | MICA_PROT_EXEC), -MICA_EINVAL);
    RT_EQ(mica_vm_map(rt_self, v, 0, S, P, 8), -MICA_EINVAL);
    RT_EQ(mica_vm_map(rt_self, v, 0, S, P, MICA_PROT_READ | 0x100), -MICA_EINVAL);
    RT_EQ(probe_write(S), -MICA_EFAULT); /* nothing got mapped */
    RT_EQ(mica_handle_close(v), 0);
}

/* vm_map needs MAP on the VM object plus READ/WRITE/EXEC as the protection asks. */
void test_vm_map_vmo_rights(void)
{
    mica_handle_t v = new_vmo(P);
    int64_t r_map = mica_handle_dup(v, MICA_RIGHT_READ | MICA_RIGHT_MAP);
    int64_t rw_nomap = mica_handle_dup(v, MICA_RIGHT_READ | MICA_RIGHT_WRITE);
    int64_t w_map = mica_handle_dup(v, MICA_RIGHT_WRITE | MICA_RIGHT_MAP);
    int64_t rx_map = mica_handle_dup(v, MICA_RIGHT_READ | MICA_RIGHT_EXEC | MICA_RIGHT_MAP);
    RT_CHECK(r_map > 0 && rw_nomap > 0 && w_map > 0 && rx_map > 0);

    RT_EQ(mica_vm_map(rt_self, r_map, 0, S, P, RT_RW), -MICA_EACCES);             /* no WRITE */
    RT_EQ(mica_vm_map(rt_self, r_map, 0, S, P, RT_RX), -MICA_EACCES);             /* no EXEC */
    RT_EQ(mica_vm_map(rt_self, rw_nomap, 0, S, P, MICA_PROT_READ), -MICA_EACCES); /* no MAP */
    RT_EQ(mica_vm_map(rt_self, w_map, 0, S, P, MICA_PROT_READ), -MICA_EACCES);    /* no READ */
    RT_EQ(mica_vm_map(rt_self, r_map, 0, S, P, MICA_PROT_READ), S);
    RT_EQ(mica_vm_map(rt_self, rx_map, 0, S + P, P, RT_RX), S + P);
    RT_EQ(mica_vm_map(rt_self, v, 0, S + 2 * P, P, RT_RW), S + 2 * P);
    RT_EQ(mica_vm_unmap(rt_self, S, 3 * P), 0);

    RT_EQ(mica_handle_close((mica_handle_t)r_map), 0);
    RT_EQ(mica_handle_close((mica_handle_t)rw_nomap), 0);
    RT_EQ(mica_handle_close((mica_handle_t)w_map), 0);
    RT_EQ(mica_handle_close((mica_handle_t)rx_map), 0);
    RT_EQ(mica_handle_close(v), 0);
}

/* Two mappings of one object share its pages; the offset selects the pages. */
void test_vm_map_shared(void)
{
    mica_handle_t v = new_vmo(3 * P);
    RT_EQ(mica_vm_map(rt_self, v, 0, S, 3 * P, RT_RW), S);
    RT_EQ(mica_vm_map(rt_self, v, 2 * P, S + 4 * P, P, RT_RW), S + 4 * P);
    RT_EQ(mica_vm_map(rt_self, v, P, S + 6 * P, 2 * P, MICA_PROT_READ), S + 6 * P);
    volatile uint64_t *all = (uint64_t *)S, *third = (uint64_t *)(S + 4 * P);
    volatile uint64_t *ro = (uint64_t *)(S + 6 * P);
    all[2 * P / 8 + 3] = 0x1234;
    RT_EQ(third[3], 0x1234);
    third[5] = 0x5678;
    RT_EQ(all[2 * P / 8 + 5], 0x5678);
    RT_EQ(ro[P / 8 + 5], 0x5678); /* object page 2 is page 1 of the read-only mapping */
    all[P / 8] = 99;
    RT_EQ(ro[0], 99);
    RT_EQ(mica_vm_unmap(rt_self, S, 8 * P), 0);
    RT_EQ(mica_handle_close(v), 0);
}

/* A mapping keeps its VM object alive after the last handle is closed. */
void test_vm_mapping_keeps_vmo(void)
{
    struct mica_kernel_stats s0, s1;
    rt_stats(&s0);
    mica_handle_t v = new_vmo(P);
    RT_EQ(mica_vm_map(rt_self, v, 0, S, P, RT_RW), S);
    *(volatile uint64_t *)S = 31;
    RT_EQ(mica_handle_close(v), 0);
    rt_stats(&s1);
    RT_EQ(s1.objects[RT_OBJ_VMO], s0.objects[RT_OBJ_VMO] + 1);
    RT_EQ(*(volatile uint64_t *)S, 31);
    *(volatile uint64_t *)(S + 8) = 32;
    RT_EQ(mica_vm_unmap(rt_self, S, P), 0);
    rt_stats(&s1);
    RT_EQ(s1.objects[RT_OBJ_VMO], s0.objects[RT_OBJ_VMO]);
}

/* Unmapping the middle of a mapping keeps the rest; the object keeps the hole's data. */
void test_vm_unmap_partial(void)
{
    mica_handle_t v = new_vmo(3 * P);
    RT_EQ(mica_vm_map(rt_self, v, 0, S, 3 * P, RT_RW), S);
    for (int i = 0; i < 3; i++)
        *(volatile uint64_t *)(S + i * P) = 100 + i;
    RT_EQ(mica_vm_unmap(rt_self, S + P, P), 0);
    RT_EQ(*(volatile uint64_t *)S, 100);
    RT_EQ(*(volatile uint64_t *)(S + 2 * P), 102);
    RT_EQ(probe_write(S + P), -MICA_EFAULT); /* the hole */
    /* The hole can take a new mapping: the object's page 1 again. */
    RT_EQ(mica_vm_map(rt_self, v, P, S + P, P, MICA_PROT_READ), S + P);
    RT_EQ(*(volatile uint64_t *)(S + P), 101);
    RT_EQ(mica_vm_unmap(rt_self, S, 3 * P), 0);
    RT_EQ(probe_write(S), -MICA_EFAULT);
    RT_EQ(probe_write(S + 2 * P), -MICA_EFAULT);
    RT_EQ(mica_handle_close(v), 0);
}

/* vm_unmap refuses unaligned, empty and out-of-range requests with EINVAL. */
void test_vm_unmap_bad_ranges(void)
{
    RT_EQ(mica_vm_unmap(rt_self, S + 1, P), -MICA_EINVAL);
    RT_EQ(mica_vm_unmap(rt_self, S, 1), -MICA_EINVAL);
    RT_EQ(mica_vm_unmap(rt_self, S, 0), -MICA_EINVAL);
    RT_EQ(mica_vm_unmap(rt_self, 0, P), -MICA_EINVAL);
    RT_EQ(mica_vm_unmap(rt_self, RT_USER_TOP, P), -MICA_EINVAL);
    RT_EQ(mica_vm_unmap(rt_self, RT_USER_TOP - P, 2 * P), -MICA_EINVAL);
    RT_EQ(mica_vm_unmap(rt_self, RT_KERNEL, P), -MICA_EINVAL);
    RT_EQ(mica_vm_unmap(rt_self, P, 0xfffffffffffff000ull), -MICA_EINVAL);
}

/* Read-only protection keeps the data and stops writes; read-write allows them again. */
void test_vm_protect_basic(void)
{
    mica_handle_t v = new_vmo(2 * P);
    RT_EQ(mica_vm_map(rt_self, v, 0, S, 2 * P, RT_RW), S);
    *(volatile uint64_t *)S = 7;
    RT_EQ(mica_vm_protect(rt_self, S, 2 * P, MICA_PROT_READ), 0);
    RT_EQ(*(volatile uint64_t *)S, 7);
    RT_EQ(probe_write(S), -MICA_EFAULT);     /* present page, now read-only */
    RT_EQ(probe_write(S + P), -MICA_EFAULT); /* never touched page */
    RT_EQ(*(volatile uint64_t *)S, 7);
    RT_EQ(mica_vm_protect(rt_self, S, 2 * P, RT_RW), 0);
    *(volatile uint64_t *)S = 8;
    RT_EQ(probe_write(S + P), 0);
    RT_EQ(mica_vm_unmap(rt_self, S, 2 * P), 0);
    RT_EQ(mica_handle_close(v), 0);
}

/* Protection "none" and back: the data is still there. */
void test_vm_protect_none_keeps_data(void)
{
    mica_handle_t v = new_vmo(P);
    RT_EQ(mica_vm_map(rt_self, v, 0, S, P, RT_RW), S);
    *(volatile uint64_t *)(S + 16) = 0xabcdef;
    RT_EQ(mica_vm_protect(rt_self, S, P, 0), 0);
    RT_EQ(probe_write(S), -MICA_EFAULT);
    RT_EQ(mica_vm_protect(rt_self, S, P, MICA_PROT_READ), 0);
    RT_EQ(*(volatile uint64_t *)(S + 16), 0xabcdef);
    RT_EQ(mica_vm_unmap(rt_self, S, P), 0);
    RT_EQ(mica_handle_close(v), 0);
}

/* Protecting the middle page of a mapping leaves its neighbours as they were. */
void test_vm_protect_split(void)
{
    mica_handle_t v = new_vmo(3 * P);
    RT_EQ(mica_vm_map(rt_self, v, 0, S, 3 * P, RT_RW), S);
    *(volatile uint64_t *)(S + P) = 55;
    RT_EQ(mica_vm_protect(rt_self, S + P, P, MICA_PROT_READ), 0);
    RT_EQ(probe_write(S), 0);
    RT_EQ(probe_write(S + 2 * P), 0);
    RT_EQ(probe_write(S + P), -MICA_EFAULT);
    RT_EQ(*(volatile uint64_t *)(S + P), 55);
    /* Unmapping across the pieces removes all of them. */
    RT_EQ(mica_vm_unmap(rt_self, S, 3 * P), 0);
    RT_EQ(mica_vm_map(rt_self, v, 0, S, 3 * P, MICA_PROT_READ), S);
    RT_EQ(*(volatile uint64_t *)(S + P), 55);
    RT_EQ(mica_vm_unmap(rt_self, S, 3 * P), 0);
    RT_EQ(mica_handle_close(v), 0);
}

/* vm_protect: unmapped ranges give ENOENT, W+X and bad ranges EINVAL, and nothing changes. */
void test_vm_protect_errors(void)
{
    RT_EQ(mica_vm_protect(rt_self, S, P, MICA_PROT_READ), -MICA_ENOENT);
    mica_handle_t v = new_vmo(P);
    RT_EQ(mica_vm_map(rt_self, v, 0, S, P, RT_RW), S);
    /* Partly mapped: refused, and the mapped page stays writable. */
    RT_EQ(mica_vm_protect(rt_self, S, 2 * P, MICA_PROT_READ), -MICA_ENOENT);
    RT_EQ(mica_vm_protect(rt_self, S - P, 2 * P, MICA_PROT_READ), -MICA_ENOENT);
    RT_EQ(probe_write(S), 0);
    RT_EQ(mica_vm_protect(rt_self, S, P, RT_RW | MICA_PROT_EXEC), -MICA_EINVAL);
    RT_EQ(mica_vm_protect(rt_self, S, P, MICA_PROT_WRITE | MICA_PROT_EXEC), -MICA_EINVAL);
    RT_EQ(mica_vm_protect(rt_self, S + 1, P, MICA_PROT_READ), -MICA_EINVAL);
    RT_EQ(mica_vm_protect(rt_self, S, 1, MICA_PROT_READ), -MICA_EINVAL);
    RT_EQ(mica_vm_protect(rt_self, S, 0, MICA_PROT_READ), -MICA_EINVAL);
    RT_EQ(mica_vm_protect(rt_self, 0, P, MICA_PROT_READ), -MICA_EINVAL);
    RT_EQ(mica_vm_protect(rt_self, RT_USER_TOP, P, MICA_PROT_READ), -MICA_EINVAL);
    RT_EQ(probe_write(S), 0);
    RT_EQ(mica_vm_unmap(rt_self, S, P), 0);
    RT_EQ(mica_handle_close(v), 0);
}

/* vm_protect refuses protection bits that do not exist, as vm_map does.
 * (Regression test: the kernel used to accept them; fixed in 260b4ba.) */
void test_vm_protect_unknown_bits(void)
{
    mica_handle_t v = new_vmo(P);
    RT_EQ(mica_vm_map(rt_self, v, 0, S, P, RT_RW), S);
    RT_EQ(mica_vm_protect(rt_self, S, P, MICA_PROT_READ | 8), -MICA_EINVAL);
    RT_EQ(mica_vm_protect(rt_self, S, P, 0x80000000u | MICA_PROT_READ), -MICA_EINVAL);
    RT_EQ(mica_vm_unmap(rt_self, S, P), 0);
    RT_EQ(mica_handle_close(v), 0);
}

/* vm_protect cannot grant more than the VM object handle used for vm_map allowed:
 * a read-only object must not become writable or executable.
 * (Regression test: vm_protect used to ignore the object's rights, so the holder
 * of a read-only handle could write to the object; fixed in 260b4ba.) */
void test_vm_protect_respects_vmo_rights(void)
{
    mica_handle_t v = new_vmo(P);
    int64_t ro = mica_handle_dup(v, MICA_RIGHT_READ | MICA_RIGHT_MAP);
    RT_CHECK(ro > 0);
    RT_EQ(mica_vm_map(rt_self, (mica_handle_t)ro, 0, S, P, MICA_PROT_READ), S);
    RT_EQ(mica_vm_protect(rt_self, S, P, RT_RW), -MICA_EACCES);
    RT_EQ(mica_vm_protect(rt_self, S, P, RT_RX), -MICA_EACCES);
    RT_EQ(probe_write(S), -MICA_EFAULT);
    RT_EQ(mica_vm_unmap(rt_self, S, P), 0);
    RT_EQ(mica_handle_close((mica_handle_t)ro), 0);
    RT_EQ(mica_handle_close(v), 0);
}

/* Code written through a writable mapping runs through an executable mapping of the object. */
void test_vm_map_exec(void)
{
    mica_handle_t v = new_vmo(P);
    RT_EQ(mica_vm_map(rt_self, v, 0, S, P, RT_RW), S);
    copy_bytes((volatile char *)S, ret42_code, (uint64_t)(ret42_code_end - ret42_code));
    RT_EQ(mica_vm_map(rt_self, v, 0, S + P, P, RT_RX), S + P);
    int (*fn)(void) = (int (*)(void))(S + P);
    RT_EQ(fn(), 42);
    RT_EQ(mica_vm_unmap(rt_self, S, 2 * P), 0);
    RT_EQ(mica_handle_close(v), 0);
}

/* The W^X way to load code: write it, then make the page read+execute with vm_protect. */
void test_vm_protect_exec(void)
{
    mica_handle_t v = new_vmo(P);
    RT_EQ(mica_vm_map(rt_self, v, 0, S, P, RT_RW), S);
    copy_bytes((volatile char *)S, ret42_code, (uint64_t)(ret42_code_end - ret42_code));
    RT_EQ(mica_vm_protect(rt_self, S, P, RT_RX), 0);
    RT_EQ(probe_write(S), -MICA_EFAULT);
    int (*fn)(void) = (int (*)(void))S;
    RT_EQ(fn(), 42);
    RT_EQ(mica_vm_unmap(rt_self, S, P), 0);
    RT_EQ(mica_handle_close(v), 0);
}

/* Pages are taken only when first touched: a 64 MiB object costs only the pages used. */
void test_vmo_demand_paging(void)
{
    const uint64_t size = 64ull << 20;
    struct mica_kernel_stats s0, s1, s2;
    mica_handle_t v = new_vmo(size);
    int64_t at = mica_vm_map(rt_self, v, 0, 0, size, RT_RW);
    RT_CHECK(at > 0);
    rt_stats(&s0);
    for (uint64_t off = 0; off < size; off += size / 4)
        *(volatile uint64_t *)(at + off) = off + 1;
    *(volatile uint64_t *)(at + size - 8) = 9;
    rt_stats(&s1);
    /* 5 pages of data, plus a few page tables. */
    RT_CHECK(s0.free_pages - s1.free_pages >= 5);
    RT_CHECK(s0.free_pages - s1.free_pages <= 5 + 16);
    for (uint64_t off = 0; off < size; off += size / 4)
        RT_EQ(*(volatile uint64_t *)(at + off), off + 1);
    RT_EQ(mica_vm_unmap(rt_self, (uint64_t)at, size), 0);
    RT_EQ(mica_handle_close(v), 0);
    rt_stats(&s2);
    RT_CHECK(s2.free_pages + 16 >= s0.free_pages); /* the 5 pages came back */
}

/* The pages of an object go back to the kernel when the object dies. */
void test_vmo_pages_freed(void)
{
    const uint64_t size = 256 * P;
    struct mica_kernel_stats s0, s1, s2;
    rt_stats(&s0);
    mica_handle_t v;
    volatile char *m = rt_map_new(size, RT_RW, &v);
    for (uint64_t off = 0; off < size; off += P)
        m[off] = 1;
    rt_stats(&s1);
    RT_CHECK(s0.free_pages - s1.free_pages >= 256);
    rt_unmap_close((void *)m, size, v);
    rt_stats(&s2);
    RT_CHECK(s2.free_pages + 16 >= s0.free_pages);
}
