/*
 * tests_random.c - the kernel's entropy pool from user mode: SYS_RANDOM_GET
 * hands out random bytes, SYS_ENTROPY_ADD mixes bytes in (kernel/core/entropy.c).
 */
#include <stdbool.h>
#include "rt.h"
#include "tests.h"

static bool same(const uint8_t *a, const uint8_t *b, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* Two reads differ; every byte is written; 0 and 256 bytes are fine, 257 are not. */
static void random_get_basic(void)
{
    static uint8_t a[257], b[257];
    for (unsigned i = 0; i < sizeof a; i++)
        a[i] = b[i] = 0x5a;
    RT_EQ(mica_random_get(a, 256), 256);
    RT_EQ(mica_random_get(b, 256), 256);
    RT_CHECK(!same(a, b, 256));
    RT_EQ(a[256], 0x5a); /* nothing past len */
    /* Of 256 random bytes, a handful equal any one value; all 0x5a would mean not written. */
    unsigned kept = 0;
    for (unsigned i = 0; i < 256; i++)
        kept += a[i] == 0x5a;
    RT_CHECK(kept < 16);
    RT_EQ(mica_random_get(a, 0), 0);
    RT_EQ(mica_random_get(a, 257), -MICA_EINVAL);
    RT_EQ(mica_random_get(a, ~0ull), -MICA_EINVAL);
}

/* Short reads one after the other differ too (a new key after each). */
void test_random_get(void)
{
    random_get_basic();
    uint64_t x = 0, y = 0;
    RT_EQ(mica_random_get(&x, 8), 8);
    RT_EQ(mica_random_get(&y, 8), 8);
    RT_CHECK(x != y);
}

/* Output to memory the caller may not write: EFAULT, and nothing breaks. */
void test_random_get_bad_pointers(void)
{
    RT_EQ(mica_random_get(0, 16), -MICA_EFAULT);
    RT_EQ(mica_random_get((void *)RT_KERNEL, 16), -MICA_EFAULT);
    RT_EQ(mica_random_get((void *)0x8000000000000000ull, 16), -MICA_EFAULT); /* non-canonical */
    RT_EQ(mica_random_get((void *)(RT_USER_TOP - 8), 16), -MICA_EFAULT);     /* past the end */
    /* A read-only page: the bytes cannot be written there. */
    int64_t v = mica_vmo_create(RT_PAGE);
    RT_CHECK(v > 0);
    RT_EQ(mica_vm_map(rt_self, (mica_handle_t)v, 0, RT_SCRATCH, RT_PAGE, MICA_PROT_READ),
          RT_SCRATCH);
    RT_EQ(mica_random_get((void *)RT_SCRATCH, 16), -MICA_EFAULT);
    RT_EQ(mica_vm_unmap(rt_self, RT_SCRATCH, RT_PAGE), 0);
    RT_EQ(mica_handle_close((mica_handle_t)v), 0);
    uint8_t ok[16];
    RT_EQ(mica_random_get(ok, sizeof ok), 16);
}

/* Adding counts the bytes; too many are refused; bad pointers give EFAULT and count nothing. */
void test_entropy_add(void)
{
    static uint8_t buf[257];
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 7);
    int64_t before = mica_entropy_add(buf, 0);
    RT_CHECK(before >= 0);
    RT_EQ(mica_entropy_add(buf, 10), before + 10);
    RT_EQ(mica_entropy_add(buf, 256), before + 266);
    RT_EQ(mica_entropy_add(buf, 257), -MICA_EINVAL);
    RT_EQ(mica_entropy_add(buf, ~0ull), -MICA_EINVAL);
    RT_EQ(mica_entropy_add(0, 16), -MICA_EFAULT);
    RT_EQ(mica_entropy_add((const void *)RT_KERNEL, 16), -MICA_EFAULT);
    RT_EQ(mica_entropy_add((const void *)RT_SCRATCH, 16), -MICA_EFAULT); /* unmapped */
    RT_EQ(mica_entropy_add(buf, 0), before + 266);
}

/* Adding the same known bytes twice does not make the output repeat: the pool's secret stays. */
void test_entropy_add_keeps_secret(void)
{
    static const uint8_t zeros[256];
    uint8_t a[64], b[64];
    int64_t before = mica_entropy_add(zeros, 0);
    RT_EQ(mica_entropy_add(zeros, sizeof zeros), before + 256);
    RT_EQ(mica_random_get(a, sizeof a), 64);
    RT_CHECK(mica_entropy_add(zeros, sizeof zeros) > 0);
    RT_EQ(mica_random_get(b, sizeof b), 64);
    RT_CHECK(!same(a, b, sizeof a));
}
