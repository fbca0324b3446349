/*
 * test_regions.c - the posix server's table of a process's memory regions
 * (servers/posix/regions.c) and the copies through it (usercopy.c): splits
 * on partial unmap and protect, free-range search, and EFAULT for every
 * pointer that is not wholly in readable (writable) memory.
 */
#include <stdlib.h>
#include <string.h>
#include "../../servers/posix/linux_abi.h"
#include "../../servers/posix/regions.h"
#include "../../servers/posix/usercopy.h"
#include "unit.h"

#define P  4096ull
#define RW (LINUX_PROT_READ | LINUX_PROT_WRITE)

static struct regions rs;
static uint8_t shadow_a[4 * P], shadow_b[2 * P];

/* Two regions: A = [0x10000, 0x14000) read-write, B = [0x14000, 0x16000) read-only. */
static void two(void)
{
    memset(&rs, 0, sizeof rs);
    for (unsigned i = 0; i < sizeof shadow_a; i++)
        shadow_a[i] = (uint8_t)i;
    memset(shadow_b, 0xbb, sizeof shadow_b);
    CHECK_EQ(regions_add(&rs, 0x14000, 0x16000, LINUX_PROT_READ, shadow_b), 0);
    CHECK_EQ(regions_add(&rs, 0x10000, 0x14000, RW, shadow_a), 0);
}

static void test_add(void)
{
    two();
    CHECK_EQ(rs.n, 2);
    CHECK_EQ(rs.r[0].start, 0x10000);                               /* kept sorted */
    CHECK_EQ(regions_add(&rs, 0x13000, 0x15000, RW, shadow_a), -1); /* overlaps */
    CHECK_EQ(regions_add(&rs, 0x20000, 0x20000, RW, shadow_a), -1); /* empty */
    CHECK(regions_find(&rs, 0x15fff) == &rs.r[1]);
    CHECK(regions_find(&rs, 0x16000) == NULL);
    CHECK(regions_cover(&rs, 0x10000, 0x16000, LINUX_PROT_READ));
    CHECK(!regions_cover(&rs, 0x10000, 0x16000, LINUX_PROT_WRITE));
    CHECK(!regions_cover(&rs, 0xf000, 0x11000, 0));
}

static void test_remove_splits(void)
{
    two();
    struct region gone[4];
    unsigned n = 9;
    CHECK_EQ(regions_remove(&rs, 0x11000, 0x12000, gone, 4, &n), 0); /* a hole in A */
    CHECK_EQ(n, 1);
    CHECK_EQ(gone[0].start, 0x11000);
    CHECK(gone[0].shadow == shadow_a + P);
    CHECK_EQ(rs.n, 3);
    CHECK_EQ(rs.r[1].start, 0x12000);
    CHECK(rs.r[1].shadow == shadow_a + 2 * P);
    CHECK_EQ(regions_remove(&rs, 0x13000, 0x15000, gone, 4, &n), 0); /* across A and B */
    CHECK_EQ(n, 2);
    CHECK_EQ(rs.n, 3);
    CHECK_EQ(rs.r[2].start, 0x15000);
    CHECK(rs.r[2].shadow == shadow_b + P);
    CHECK_EQ(regions_remove(&rs, 0x40000, 0x50000, gone, 4, &n), 0); /* nothing there */
    CHECK_EQ(n, 0);
    CHECK_EQ(regions_remove(&rs, 0, 0x100000, gone, 1, &n), -1); /* too many for gone[] */
    CHECK_EQ(rs.n, 3);
}

static void test_protect(void)
{
    two();
    CHECK_EQ(regions_protect(&rs, 0x11000, 0x15000, LINUX_PROT_READ), 0);
    CHECK_EQ(rs.n, 4);
    CHECK(regions_cover(&rs, 0x10000, 0x11000, LINUX_PROT_WRITE));
    CHECK(!regions_cover(&rs, 0x11000, 0x11001, LINUX_PROT_WRITE));
    CHECK(regions_cover(&rs, 0x14000, 0x16000, LINUX_PROT_READ));
    CHECK_EQ(regions_protect(&rs, 0x15000, 0x17000, 0), -1); /* not all mapped */
    CHECK_EQ(rs.n, 4);
}

/* A shared region marked as the vDSO's stays both in every piece a split leaves; new regions are
 * neither. */
static void test_shared_kept(void)
{
    rs.n = 0;
    CHECK_EQ(regions_add(&rs, 0x20000, 0x24000, LINUX_PROT_READ, shadow_a), 0);
    CHECK(!rs.r[0].shared && !rs.r[0].vdso);
    regions_mark_shared(&rs, 0x20000, 0x24000);
    regions_mark_vdso(&rs, 0x20000, 0x24000);
    CHECK_EQ(regions_protect(&rs, 0x21000, 0x22000, 0), 0);
    struct region gone[4];
    unsigned n;
    CHECK_EQ(regions_remove(&rs, 0x23000, 0x24000, gone, 4, &n), 0);
    CHECK_EQ(n, 1);
    CHECK(gone[0].shared && gone[0].vdso);
    CHECK_EQ(rs.n, 3);
    for (unsigned i = 0; i < rs.n; i++)
        CHECK(rs.r[i].shared && rs.r[i].vdso);
    CHECK_EQ(regions_add(&rs, 0x30000, 0x31000, LINUX_PROT_READ, shadow_a), 0);
    CHECK(!regions_find(&rs, 0x30000)->shared && !regions_find(&rs, 0x30000)->vdso);
}

static void test_full(void)
{
    memset(&rs, 0, sizeof rs);
    for (unsigned i = 0; i < REGIONS_MAX; i++)
        CHECK_EQ(regions_add(&rs, 0x100000 + 2 * P * i, 0x100000 + 2 * P * i + 2 * P, RW, shadow_a),
                 0);
    CHECK_EQ(regions_add(&rs, 0x10000000, 0x10001000, RW, shadow_a), -1);
    struct region gone[2];
    unsigned n;
    CHECK_EQ(regions_remove(&rs, 0x100000 + P, 0x100000 + 2 * P, gone, 2, &n), -1);
    CHECK_EQ(regions_protect(&rs, 0x100000 + P, 0x100000 + 2 * P, 0), -1);
    CHECK_EQ(regions_remove(&rs, 0x100000, 0x100000 + 2 * P, gone, 2, &n), 0); /* no split */
    CHECK_EQ(n, 1);
}

static void test_gap(void)
{
    two();
    uint64_t at = 0;
    CHECK_EQ(regions_gap(&rs, 0x1000, 0x100000, P, &at), 0);
    CHECK_EQ(at, 0x100000 - P); /* the highest */
    CHECK_EQ(regions_gap(&rs, 0x1000, 0x16000, 0x3000, &at), 0);
    CHECK_EQ(at, 0x10000 - 0x3000); /* below A */
    CHECK_EQ(regions_gap(&rs, 0x1000, 0x17000, 0x2000, &at), 0);
    CHECK_EQ(at, 0x10000 - 0x2000); /* not enough above B */
    CHECK_EQ(regions_gap(&rs, 0x1000, 0x18000, 0x2000, &at), 0);
    CHECK_EQ(at, 0x16000);
    CHECK_EQ(regions_gap(&rs, 0xe000, 0x16000, 0x3000, &at), -1);
    CHECK_EQ(regions_gap(&rs, 0x10000, 0x16000, P, &at), -1);
}

static void test_copy(void)
{
    two();
    uint8_t buf[3 * P];
    CHECK_EQ(user_read(&rs, buf, 0x13ff0, 32), 0); /* across A and B */
    CHECK_EQ(buf[0], (uint8_t)(3 * P + 0xff0));
    CHECK_EQ(buf[16], 0xbb);
    CHECK_EQ(user_read(&rs, buf, 0x15ff0, 32), -LINUX_EFAULT); /* past B */
    CHECK_EQ(user_read(&rs, buf, 0xfff0, 32), -LINUX_EFAULT);  /* before A */
    CHECK_EQ(user_read(&rs, buf, 0, 0), 0);
    CHECK_EQ(user_read(&rs, buf, UINT64_MAX - 4, 16), -LINUX_EFAULT); /* wraps */
    memset(buf, 7, sizeof buf);
    CHECK_EQ(user_write(&rs, 0x10ffe, buf, 4), 0);
    CHECK_EQ(shadow_a[P - 2], 7);
    CHECK_EQ(shadow_a[P + 1], 7);
    CHECK_EQ(user_write(&rs, 0x13ffe, buf, 4), -LINUX_EFAULT); /* B is read-only */
    CHECK_EQ(shadow_a[4 * P - 2], (uint8_t)(4 * P - 2));       /* nothing written */
    regions_protect(&rs, 0x10000, 0x11000, 0);
    CHECK_EQ(user_read(&rs, buf, 0x10000, 1), -LINUX_EFAULT); /* PROT_NONE */
}

static void test_string(void)
{
    two();
    char s[16];
    memcpy(shadow_a + 100, "hello", 6);
    CHECK_EQ(user_read_string(&rs, s, sizeof s, 0x10000 + 100), 5);
    CHECK(strcmp(s, "hello") == 0);
    CHECK_EQ(user_read_string(&rs, s, 4, 0x10000 + 100), -LINUX_ENAMETOOLONG);
    CHECK_EQ(user_read_string(&rs, s, sizeof s, 0x15ffe),
             -LINUX_EFAULT); /* no NUL before the end */
    CHECK_EQ(user_read_string(&rs, s, sizeof s, 0x9000), -LINUX_EFAULT);
}

int main(void)
{
    unit_run("regions", "add", test_add);
    unit_run("regions", "remove_splits", test_remove_splits);
    unit_run("regions", "protect", test_protect);
    unit_run("regions", "shared_kept", test_shared_kept);
    unit_run("regions", "full", test_full);
    unit_run("regions", "gap", test_gap);
    unit_run("regions", "copy", test_copy);
    unit_run("regions", "string", test_string);
    return unit_exit_code();
}
