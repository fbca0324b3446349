/* test_handle.c - host tests for kernel/core/handle.c (per-process handle tables). */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include <mica/errno.h>
#include <mica/handle.h>
#include <mica/object.h>

/* From shim_kmalloc.c. */
extern long shim_kmalloc_live;
extern int shim_kmalloc_fail_after;

/* The handle encoding the tests rely on: (generation << 12) | slot index. */
#define SLOT_OF(h)       ((h)&0xfffu)
#define GENERATION_OF(h) ((h) >> 12)

/* ---- test objects: heap-allocated, counted when destroyed ---- */

static int destroy_calls;

static void free_destroy(struct object *o)
{
    destroy_calls++;
    free(o);
}

static struct object *new_obj(enum obj_type type)
{
    struct object *o = malloc(sizeof(*o));
    CHECK(o != NULL);
    object_init(o, type, free_destroy);
    return o;
}

static uint32_t refs_of(struct object *o)
{
    return atomic_load(&o->refs);
}

static handle_t must_install(struct handle_table *t, struct object *o, uint32_t rights)
{
    handle_t h = HANDLE_INVALID;
    CHECK_EQ(handle_install(t, o, rights, &h), 0);
    CHECK(h != HANDLE_INVALID);
    return h;
}

/* Does h name o with exactly these rights? */
static bool names(struct handle_table *t, handle_t h, struct object *o, uint32_t rights)
{
    struct object *found = NULL;
    uint32_t got = 0;
    if (handle_lookup(t, h, OBJ_NONE, 0, &found, &got) != 0)
        return false;
    object_put(found);
    return found == o && got == rights;
}

/* Every operation that takes a handle rejects h as not open. */
static void check_bad_handle(struct handle_table *t, handle_t h)
{
    struct object *o = NULL;
    uint32_t rights = 0;
    handle_t dup = HANDLE_INVALID;
    uint32_t count = handle_count(t);
    CHECK_EQ(handle_lookup(t, h, OBJ_NONE, 0, &o, &rights), -EBADF);
    CHECK_EQ(handle_dup(t, h, RIGHT_ALL, &dup), -EBADF);
    CHECK_EQ(handle_remove(t, h, 0, &o, &rights), -EBADF);
    CHECK_EQ(handle_close(t, h), -EBADF);
    CHECK_EQ(handle_count(t), count);
}

static void test_start(void)
{
    destroy_calls = 0;
    shim_kmalloc_fail_after = -1;
}

/* Every test ends with no objects and no table memory left behind. */
static void check_no_leaks(void)
{
    for (int t = 0; t < OBJ_TYPE_COUNT; t++)
        CHECK_EQ(object_live_count((enum obj_type)t), 0);
    CHECK_EQ(shim_kmalloc_live, 0);
    shim_kmalloc_fail_after = -1;
}

/* ---- tests ---- */

static void test_init_errors(void)
{
    struct handle_table t;
    test_start();
    CHECK_EQ(handle_table_init(&t, 0), -EINVAL);
    CHECK_EQ(handle_table_init(&t, HANDLE_TABLE_MAX + 1), -EINVAL);
    CHECK_EQ(handle_table_init(&t, UINT32_MAX), -EINVAL);
    CHECK_EQ(handle_table_init(&t, 1), 0);
    handle_table_destroy(&t);
    CHECK_EQ(handle_table_init(&t, HANDLE_TABLE_MAX), 0);
    CHECK_EQ(handle_count(&t), 0);
    CHECK_EQ(shim_kmalloc_live, 0); /* nothing allocated until the first install */
    handle_table_destroy(&t);
    check_no_leaks();
}

static void test_install_lookup(void)
{
    struct handle_table t;
    test_start();
    CHECK_EQ(handle_table_init(&t, 64), 0);
    struct object *vmo = new_obj(OBJ_VMO);
    struct object *ep = new_obj(OBJ_ENDPOINT);

    handle_t hv = must_install(&t, vmo, RIGHT_READ | RIGHT_MAP);
    handle_t he = must_install(&t, ep, RIGHT_SEND);
    CHECK(hv != he);
    CHECK_EQ(handle_count(&t), 2);
    CHECK_EQ(refs_of(vmo), 2);

    struct object *o = NULL;
    uint32_t rights = 0;
    CHECK_EQ(handle_lookup(&t, hv, OBJ_VMO, RIGHT_READ | RIGHT_MAP, &o, &rights), 0);
    CHECK(o == vmo);
    CHECK_EQ(rights, RIGHT_READ | RIGHT_MAP);
    CHECK_EQ(refs_of(vmo), 3); /* the lookup's reference */
    object_put(o);

    /* No rights needed, any type, rights_out not wanted. */
    CHECK_EQ(handle_lookup(&t, he, OBJ_NONE, 0, &o, NULL), 0);
    CHECK(o == ep);
    object_put(o);
    CHECK_EQ(refs_of(ep), 2);

    /* A handle with no rights at all still names the object. */
    handle_t h0 = must_install(&t, vmo, 0);
    CHECK(names(&t, h0, vmo, 0));

    handle_table_destroy(&t);
    CHECK_EQ(refs_of(vmo), 1);
    CHECK_EQ(refs_of(ep), 1);
    object_put(vmo);
    object_put(ep);
    CHECK_EQ(destroy_calls, 2);
    check_no_leaks();
}

static void test_install_errors(void)
{
    struct handle_table t;
    struct object none;
    handle_t h = HANDLE_INVALID;
    test_start();
    CHECK_EQ(handle_table_init(&t, 8), 0);
    struct object *o = new_obj(OBJ_TIMER);

    CHECK_EQ(handle_install(&t, NULL, RIGHT_READ, &h), -EINVAL);
    CHECK_EQ(handle_install(&t, o, RIGHT_ALL + 1, &h), -EINVAL);
    CHECK_EQ(handle_install(&t, o, 1u << 31, &h), -EINVAL);
    object_init(&none, OBJ_NONE, NULL);
    CHECK_EQ(handle_install(&t, &none, RIGHT_READ, &h), -EINVAL);
    object_put(&none);
    CHECK_EQ(refs_of(o), 1);
    CHECK_EQ(handle_count(&t), 0);

    CHECK_EQ(handle_install(&t, o, RIGHT_ALL, &h), 0); /* all rights is fine */
    handle_table_destroy(&t);
    object_put(o);
    check_no_leaks();
}

static void test_bad_handles(void)
{
    struct handle_table t;
    test_start();
    CHECK_EQ(handle_table_init(&t, HANDLE_TABLE_MAX), 0);
    struct object *o = new_obj(OBJ_VMO);

    check_bad_handle(&t, HANDLE_INVALID); /* before any array exists */
    check_bad_handle(&t, 0x1001);

    handle_t live[3];
    for (int i = 0; i < 3; i++)
        live[i] = must_install(&t, o, RIGHT_ALL);

    check_bad_handle(&t, HANDLE_INVALID);
    check_bad_handle(&t, UINT32_MAX);
    for (int i = 0; i < 3; i++) {
        check_bad_handle(&t, SLOT_OF(live[i]));                      /* generation 0 */
        check_bad_handle(&t, live[i] + (1u << 12));                  /* wrong generation */
        check_bad_handle(&t, live[i] ^ 0x80000000u);                 /* top bit flipped */
        check_bad_handle(&t, (GENERATION_OF(live[i]) << 12) | 4095); /* slot beyond array */
    }
    check_bad_handle(&t, (1u << 12) | 10); /* slot in the array, never used */

    /* Random values that happen not to be open handles. */
    uint32_t x = 12345;
    for (int n = 0; n < 20000; n++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        if (x == live[0] || x == live[1] || x == live[2])
            continue;
        check_bad_handle(&t, x);
    }

    /* The real handles survived all of that. */
    for (int i = 0; i < 3; i++)
        CHECK(names(&t, live[i], o, RIGHT_ALL));
    CHECK_EQ(handle_count(&t), 3);
    CHECK_EQ(refs_of(o), 4);

    handle_table_destroy(&t);
    object_put(o);
    check_no_leaks();
}

static void test_wrong_type(void)
{
    struct handle_table t;
    struct object *out = NULL;
    test_start();
    CHECK_EQ(handle_table_init(&t, 8), 0);
    struct object *o = new_obj(OBJ_THREAD);
    handle_t h = must_install(&t, o, RIGHT_READ);

    CHECK_EQ(handle_lookup(&t, h, OBJ_VMO, 0, &out, NULL), -EINVAL);
    CHECK_EQ(handle_lookup(&t, h, OBJ_TYPE_COUNT, 0, &out, NULL), -EINVAL);
    /* A wrong type is reported even when rights are missing too. */
    CHECK_EQ(handle_lookup(&t, h, OBJ_ASPACE, RIGHT_MANAGE, &out, NULL), -EINVAL);
    CHECK_EQ(refs_of(o), 2);
    CHECK_EQ(handle_lookup(&t, h, OBJ_THREAD, RIGHT_READ, &out, NULL), 0);
    object_put(out);

    handle_table_destroy(&t);
    object_put(o);
    check_no_leaks();
}

static void test_missing_right(void)
{
    struct handle_table t;
    struct object *out = NULL;
    uint32_t rights = 0;
    test_start();
    CHECK_EQ(handle_table_init(&t, 8), 0);
    struct object *o = new_obj(OBJ_VMO);
    handle_t h = must_install(&t, o, RIGHT_READ | RIGHT_MAP);

    CHECK_EQ(handle_lookup(&t, h, OBJ_VMO, RIGHT_WRITE, &out, &rights), -EACCES);
    CHECK_EQ(handle_lookup(&t, h, OBJ_VMO, RIGHT_READ | RIGHT_WRITE, &out, &rights), -EACCES);
    CHECK_EQ(handle_lookup(&t, h, OBJ_NONE, RIGHT_ALL, &out, &rights), -EACCES);
    CHECK_EQ(handle_lookup(&t, h, OBJ_VMO, 1u << 20, &out, &rights), -EACCES);
    CHECK_EQ(refs_of(o), 2);
    CHECK_EQ(handle_lookup(&t, h, OBJ_VMO, RIGHT_MAP, &out, &rights), 0);
    object_put(out);

    handle_table_destroy(&t);
    object_put(o);
    check_no_leaks();
}

static void test_closed_handle(void)
{
    struct handle_table t;
    test_start();
    CHECK_EQ(handle_table_init(&t, 8), 0);
    struct object *a = new_obj(OBJ_VMO);
    struct object *b = new_obj(OBJ_VMO);
    handle_t ha = must_install(&t, a, RIGHT_ALL);
    handle_t hb = must_install(&t, b, RIGHT_ALL);

    CHECK_EQ(handle_close(&t, ha), 0);
    CHECK_EQ(refs_of(a), 1);
    CHECK_EQ(handle_count(&t), 1);
    check_bad_handle(&t, ha); /* includes a second close */
    CHECK(names(&t, hb, b, RIGHT_ALL));

    /* Closing the last handle destroys an object nobody else holds. */
    object_put(b);
    CHECK_EQ(destroy_calls, 0);
    CHECK_EQ(handle_close(&t, hb), 0);
    CHECK_EQ(destroy_calls, 1);
    CHECK_EQ(handle_count(&t), 0);

    handle_table_destroy(&t);
    object_put(a);
    check_no_leaks();
}

/* A slot freed and used again must not bring the old handle back. */
static void test_stale_after_reuse(void)
{
    struct handle_table t;
    test_start();
    CHECK_EQ(handle_table_init(&t, 1), 0); /* one slot: reuse is certain */
    struct object *a = new_obj(OBJ_VMO);
    struct object *b = new_obj(OBJ_THREAD);

    handle_t ha = must_install(&t, a, RIGHT_ALL);
    CHECK_EQ(handle_close(&t, ha), 0);
    handle_t hb = must_install(&t, b, RIGHT_READ);
    CHECK_EQ(SLOT_OF(ha), SLOT_OF(hb));
    CHECK(ha != hb);
    check_bad_handle(&t, ha);
    CHECK(names(&t, hb, b, RIGHT_READ));
    CHECK_EQ(refs_of(a), 1);
    CHECK_EQ(refs_of(b), 2);

    /* Many rounds: every handle is new and every old one stays dead. */
    handle_t old[50];
    for (int i = 0; i < 50; i++) {
        old[i] = hb;
        CHECK_EQ(handle_close(&t, hb), 0);
        hb = must_install(&t, (i % 2) ? a : b, RIGHT_READ);
        for (int j = 0; j <= i; j++)
            CHECK(old[j] != hb);
    }
    for (int i = 0; i < 50; i++)
        CHECK_EQ(handle_close(&t, old[i]), -EBADF);
    CHECK_EQ(handle_count(&t), 1);

    handle_table_destroy(&t);
    object_put(a);
    object_put(b);
    check_no_leaks();
}

/* The generation wraps around after about a million reuses of one slot,
 * skipping the value that would make the handle 0. */
static void test_generation_wrap(void)
{
    struct handle_table t;
    test_start();
    CHECK_EQ(handle_table_init(&t, 1), 0);
    struct object *o = new_obj(OBJ_VMO);
    const uint32_t cycle = (UINT32_MAX >> 12); /* generations 1 .. 2^20 - 1 */

    handle_t first = must_install(&t, o, RIGHT_READ);
    handle_t prev = first;
    CHECK_EQ(handle_close(&t, first), 0);
    for (uint32_t i = 1; i <= cycle + 2; i++) {
        handle_t h = HANDLE_INVALID;
        if (handle_install(&t, o, RIGHT_READ, &h) != 0 || h == HANDLE_INVALID || h == prev) {
            CHECK(false);
            break;
        }
        if (i == cycle)
            CHECK_EQ(h, first); /* wrapped round to generation 1 again */
        prev = h;
        CHECK_EQ(handle_close(&t, h), 0);
    }
    CHECK_EQ(refs_of(o), 1);

    handle_table_destroy(&t);
    object_put(o);
    check_no_leaks();
}

static void test_dup(void)
{
    struct handle_table t;
    handle_t d = HANDLE_INVALID;
    test_start();
    CHECK_EQ(handle_table_init(&t, 16), 0);
    struct object *o = new_obj(OBJ_NOTIFICATION);
    handle_t h = must_install(&t, o, RIGHT_DUP | RIGHT_SIGNAL | RIGHT_WAIT);

    /* Asking for more rights than held gives only those held. */
    CHECK_EQ(handle_dup(&t, h, RIGHT_ALL, &d), 0);
    CHECK(d != h);
    CHECK(names(&t, d, o, RIGHT_DUP | RIGHT_SIGNAL | RIGHT_WAIT));

    /* Dropping rights. */
    handle_t w = HANDLE_INVALID;
    CHECK_EQ(handle_dup(&t, h, RIGHT_WAIT | RIGHT_SEND, &w), 0);
    CHECK(names(&t, w, o, RIGHT_WAIT));
    handle_t z = HANDLE_INVALID;
    CHECK_EQ(handle_dup(&t, h, 0, &z), 0);
    CHECK(names(&t, z, o, 0));
    CHECK_EQ(refs_of(o), 5);
    CHECK_EQ(handle_count(&t), 4);

    /* The original keeps its rights. */
    CHECK(names(&t, h, o, RIGHT_DUP | RIGHT_SIGNAL | RIGHT_WAIT));

    /* A dup of a dup works while RIGHT_DUP was kept. */
    handle_t dd = HANDLE_INVALID;
    CHECK_EQ(handle_dup(&t, d, RIGHT_SIGNAL | RIGHT_DUP, &dd), 0);
    CHECK(names(&t, dd, o, RIGHT_SIGNAL | RIGHT_DUP));

    handle_table_destroy(&t);
    CHECK_EQ(refs_of(o), 1);
    object_put(o);
    check_no_leaks();
}

static void test_dup_errors(void)
{
    struct handle_table t;
    handle_t d = HANDLE_INVALID;
    test_start();
    CHECK_EQ(handle_table_init(&t, 2), 0);
    struct object *o = new_obj(OBJ_VMO);
    handle_t nodup = must_install(&t, o, RIGHT_ALL & ~RIGHT_DUP);

    CHECK_EQ(handle_dup(&t, nodup, RIGHT_READ, &d), -EACCES);
    CHECK_EQ(handle_dup(&t, nodup, RIGHT_ALL, &d), -EACCES);
    CHECK_EQ(handle_count(&t), 1);
    CHECK_EQ(refs_of(o), 2);

    /* A handle with only RIGHT_DUP can be dup'ed, into a full table: -ENOSPC. */
    handle_t onlydup = must_install(&t, o, RIGHT_DUP);
    CHECK_EQ(handle_dup(&t, onlydup, RIGHT_ALL, &d), -ENOSPC);
    CHECK_EQ(refs_of(o), 3); /* the lookup's reference was given back */
    CHECK_EQ(handle_close(&t, nodup), 0);
    CHECK_EQ(handle_dup(&t, onlydup, RIGHT_ALL, &d), 0);
    CHECK(names(&t, d, o, RIGHT_DUP));

    check_bad_handle(&t, nodup);
    handle_table_destroy(&t);
    object_put(o);
    check_no_leaks();
}

static void test_remove(void)
{
    struct handle_table src, dst;
    struct object *out = NULL;
    uint32_t rights = 0;
    test_start();
    CHECK_EQ(handle_table_init(&src, 8), 0);
    CHECK_EQ(handle_table_init(&dst, 8), 0);
    struct object *o = new_obj(OBJ_ENDPOINT);
    handle_t h = must_install(&src, o, RIGHT_SEND | RIGHT_TRANSFER);
    object_put(o); /* from now on only the handle keeps it alive */

    CHECK_EQ(handle_remove(&src, h, RIGHT_SEND, &out, &rights), 0);
    CHECK(out == o);
    CHECK_EQ(rights, RIGHT_SEND | RIGHT_TRANSFER);
    CHECK_EQ(refs_of(o), 1); /* the table's reference moved to us */
    CHECK_EQ(handle_count(&src), 0);
    check_bad_handle(&src, h);

    /* "Deliver" it to another table, as IPC would. */
    handle_t h2 = must_install(&dst, out, rights);
    object_put(out);
    CHECK_EQ(refs_of(o), 1);
    CHECK(names(&dst, h2, o, RIGHT_SEND | RIGHT_TRANSFER));

    /* rights_out may be NULL. */
    CHECK_EQ(handle_remove(&dst, h2, 0, &out, NULL), 0);
    CHECK_EQ(destroy_calls, 0);
    object_put(out);
    CHECK_EQ(destroy_calls, 1);

    handle_table_destroy(&src);
    handle_table_destroy(&dst);
    check_no_leaks();
}

static void test_remove_errors(void)
{
    struct handle_table t;
    struct object *out = NULL;
    uint32_t rights = 0;
    test_start();
    CHECK_EQ(handle_table_init(&t, 8), 0);
    struct object *o = new_obj(OBJ_VMO);
    handle_t keep = must_install(&t, o, RIGHT_ALL & ~RIGHT_TRANSFER);
    handle_t xfer = must_install(&t, o, RIGHT_READ | RIGHT_TRANSFER);

    CHECK_EQ(handle_remove(&t, keep, 0, &out, &rights), -EACCES);
    CHECK_EQ(handle_remove(&t, xfer, RIGHT_WRITE, &out, &rights), -EACCES);
    CHECK_EQ(handle_count(&t), 2);
    CHECK_EQ(refs_of(o), 3);
    CHECK(names(&t, keep, o, RIGHT_ALL & ~RIGHT_TRANSFER));
    CHECK(names(&t, xfer, o, RIGHT_READ | RIGHT_TRANSFER));

    CHECK_EQ(handle_remove(&t, xfer, RIGHT_READ, &out, &rights), 0);
    object_put(out);
    CHECK_EQ(handle_remove(&t, xfer, 0, &out, &rights), -EBADF);
    CHECK_EQ(handle_remove(&t, HANDLE_INVALID, 0, &out, &rights), -EBADF);
    CHECK_EQ(refs_of(o), 2);

    handle_table_destroy(&t);
    object_put(o);
    check_no_leaks();
}

/* Fill a table of `capacity` slots; the next install must give -ENOSPC. */
static void fill_to_capacity(uint32_t capacity)
{
    struct handle_table t;
    test_start();
    CHECK_EQ(handle_table_init(&t, capacity), 0);
    struct object *o = new_obj(OBJ_PHYS);
    handle_t *h = calloc(capacity, sizeof(*h));
    bool *slot_used = calloc(HANDLE_TABLE_MAX, sizeof(*slot_used));
    CHECK(h != NULL && slot_used != NULL);

    for (uint32_t i = 0; i < capacity; i++) {
        h[i] = must_install(&t, o, RIGHT_READ);
        CHECK(!slot_used[SLOT_OF(h[i])]);
        slot_used[SLOT_OF(h[i])] = true;
    }
    CHECK_EQ(handle_count(&t), capacity);
    CHECK_EQ(refs_of(o), capacity + 1);

    handle_t extra = HANDLE_INVALID;
    CHECK_EQ(handle_install(&t, o, RIGHT_READ, &extra), -ENOSPC);
    CHECK_EQ(handle_count(&t), capacity);
    CHECK_EQ(refs_of(o), capacity + 1);
    CHECK_EQ(shim_kmalloc_live, 1); /* only the current slot array */

    /* One closed, one more fits, and then it is full again. */
    CHECK_EQ(handle_close(&t, h[capacity / 2]), 0);
    CHECK_EQ(handle_install(&t, o, RIGHT_READ, &extra), 0);
    CHECK_EQ(handle_install(&t, o, RIGHT_READ, &extra), -ENOSPC);
    for (uint32_t i = 0; i < capacity; i++) {
        if (i != capacity / 2)
            CHECK(names(&t, h[i], o, RIGHT_READ));
    }

    handle_table_destroy(&t);
    CHECK_EQ(refs_of(o), 1);
    object_put(o);
    free(h);
    free(slot_used);
    check_no_leaks();
}

static void test_table_full(void)
{
    fill_to_capacity(1);
    fill_to_capacity(16);
    fill_to_capacity(40); /* grows 16, 32, 40 */
    fill_to_capacity(HANDLE_TABLE_MAX);
}

static void test_growth_failure(void)
{
    struct handle_table t;
    handle_t h[40];
    handle_t extra = HANDLE_INVALID;
    test_start();
    CHECK_EQ(handle_table_init(&t, 100), 0);
    struct object *o = new_obj(OBJ_VMO);

    /* The very first install needs memory. */
    shim_kmalloc_fail_after = 0;
    CHECK_EQ(handle_install(&t, o, RIGHT_ALL, &extra), -ENOMEM);
    CHECK_EQ(handle_count(&t), 0);
    CHECK_EQ(refs_of(o), 1);
    shim_kmalloc_fail_after = -1;

    for (int i = 0; i < 16; i++)
        h[i] = must_install(&t, o, RIGHT_ALL);

    /* The 17th needs the array to double. */
    shim_kmalloc_fail_after = 0;
    CHECK_EQ(handle_install(&t, o, RIGHT_ALL, &extra), -ENOMEM);
    CHECK_EQ(handle_dup(&t, h[3], RIGHT_READ, &extra), -ENOMEM);
    CHECK_EQ(handle_count(&t), 16);
    CHECK_EQ(refs_of(o), 17);
    for (int i = 0; i < 16; i++)
        CHECK(names(&t, h[i], o, RIGHT_ALL));
    /* Closing and reinstalling needs no memory, so it still works. */
    CHECK_EQ(handle_close(&t, h[0]), 0);
    h[0] = must_install(&t, o, RIGHT_ALL);

    shim_kmalloc_fail_after = -1;
    for (int i = 16; i < 40; i++)
        h[i] = must_install(&t, o, RIGHT_ALL);
    for (int i = 0; i < 40; i++)
        CHECK(names(&t, h[i], o, RIGHT_ALL));
    CHECK_EQ(handle_count(&t), 40);
    CHECK_EQ(refs_of(o), 41);
    CHECK_EQ(shim_kmalloc_live, 1);

    handle_table_destroy(&t);
    object_put(o);
    check_no_leaks();
}

static void test_destroy_drops_all(void)
{
    struct handle_table t;
    struct object *objs[OBJ_TYPE_COUNT];
    test_start();
    CHECK_EQ(handle_table_init(&t, 256), 0);

    /* One object of each type, with 1 to 4 handles each. */
    for (int i = 1; i < OBJ_TYPE_COUNT; i++) {
        objs[i] = new_obj((enum obj_type)i);
        handle_t h = must_install(&t, objs[i], RIGHT_ALL);
        for (int k = 0; k < i % 4; k++) {
            handle_t d;
            CHECK_EQ(handle_dup(&t, h, RIGHT_ALL, &d), 0);
        }
        CHECK_EQ(refs_of(objs[i]), 2 + i % 4);
        object_put(objs[i]); /* now only the table holds it */
    }
    for (int i = 1; i < OBJ_TYPE_COUNT; i++)
        CHECK_EQ(object_live_count((enum obj_type)i), 1);
    CHECK_EQ(destroy_calls, 0);

    handle_table_destroy(&t);
    CHECK_EQ(destroy_calls, OBJ_TYPE_COUNT - 1);
    CHECK_EQ(handle_count(&t), 0);
    check_no_leaks();
}

static void test_refcounts(void)
{
    struct handle_table t;
    struct object *out = NULL;
    test_start();
    CHECK_EQ(handle_table_init(&t, 16), 0);
    struct object *o = new_obj(OBJ_ASPACE);
    CHECK_EQ(refs_of(o), 1);

    handle_t h = must_install(&t, o, RIGHT_ALL);
    CHECK_EQ(refs_of(o), 2);
    handle_t d1, d2;
    CHECK_EQ(handle_dup(&t, h, RIGHT_ALL, &d1), 0);
    CHECK_EQ(refs_of(o), 3);
    CHECK_EQ(handle_dup(&t, d1, RIGHT_READ, &d2), 0);
    CHECK_EQ(refs_of(o), 4);
    CHECK_EQ(handle_close(&t, h), 0);
    CHECK_EQ(refs_of(o), 3);
    CHECK_EQ(handle_lookup(&t, d2, OBJ_ASPACE, RIGHT_READ, &out, NULL), 0);
    CHECK_EQ(refs_of(o), 4);
    object_put(out);
    CHECK_EQ(refs_of(o), 3);
    CHECK_EQ(handle_close(&t, d1), 0);
    CHECK_EQ(handle_close(&t, d2), 0);
    CHECK_EQ(refs_of(o), 1);
    CHECK_EQ(destroy_calls, 0);
    object_put(o);
    CHECK_EQ(destroy_calls, 1);

    handle_table_destroy(&t);
    check_no_leaks();
}

/* ---- randomized stress test against a shadow model ---- */

#define STRESS_CAP   200
#define STRESS_OBJS  24
#define STRESS_STALE 64
#define STRESS_ROUND 40000

struct shadow_handle {
    handle_t h;
    int obj; /* index into stress.objs */
    uint32_t rights;
};

static struct {
    struct handle_table t;
    struct object *objs[STRESS_OBJS];
    uint32_t expect_refs[STRESS_OBJS];
    struct shadow_handle open[STRESS_CAP];
    uint32_t nopen;
    handle_t stale[STRESS_STALE]; /* recently closed handles */
    uint32_t nstale;
    uint32_t rng;
} stress;

static uint32_t rnd(void)
{
    stress.rng ^= stress.rng << 13;
    stress.rng ^= stress.rng >> 17;
    stress.rng ^= stress.rng << 5;
    return stress.rng;
}

static bool is_open(handle_t h)
{
    for (uint32_t i = 0; i < stress.nopen; i++) {
        if (stress.open[i].h == h)
            return true;
    }
    return false;
}

static void shadow_add(handle_t h, int obj, uint32_t rights)
{
    CHECK(!is_open(h));
    stress.open[stress.nopen].h = h;
    stress.open[stress.nopen].obj = obj;
    stress.open[stress.nopen].rights = rights;
    stress.nopen++;
    stress.expect_refs[obj]++;
}

static void shadow_drop(uint32_t i)
{
    stress.expect_refs[stress.open[i].obj]--;
    stress.stale[stress.nstale++ % STRESS_STALE] = stress.open[i].h;
    stress.open[i] = stress.open[--stress.nopen];
}

/* What handle_lookup() must return for this handle, type and need. */
static int expected_result(const struct shadow_handle *s, enum obj_type type, uint32_t need)
{
    if (type != OBJ_NONE && type != stress.objs[s->obj]->type)
        return -EINVAL;
    if ((s->rights & need) != need)
        return -EACCES;
    return 0;
}

static uint32_t random_need(const struct shadow_handle *s)
{
    if (rnd() % 2)
        return s->rights & rnd(); /* usually held */
    return 1u << (rnd() % 11);    /* often not */
}

static void stress_install(void)
{
    int obj = (int)(rnd() % STRESS_OBJS);
    uint32_t rights = rnd() & RIGHT_ALL;
    handle_t h = HANDLE_INVALID;
    int err = handle_install(&stress.t, stress.objs[obj], rights, &h);
    CHECK_EQ(err, stress.nopen == STRESS_CAP ? -ENOSPC : 0);
    if (err == 0)
        shadow_add(h, obj, rights);
}

static void stress_lookup(uint32_t i)
{
    struct shadow_handle *s = &stress.open[i];
    enum obj_type type = (enum obj_type)(rnd() % OBJ_TYPE_COUNT);
    uint32_t need = random_need(s);
    struct object *o = NULL;
    uint32_t rights = 0;
    int err = handle_lookup(&stress.t, s->h, type, need, &o, &rights);
    CHECK_EQ(err, expected_result(s, type, need));
    if (err == 0) {
        CHECK(o == stress.objs[s->obj]);
        CHECK_EQ(rights, s->rights);
        object_put(o);
    }
}

static void stress_dup(uint32_t i)
{
    struct shadow_handle s = stress.open[i];
    uint32_t mask = rnd();
    handle_t h = HANDLE_INVALID;
    int expect = expected_result(&s, OBJ_NONE, RIGHT_DUP);
    if (expect == 0 && stress.nopen == STRESS_CAP)
        expect = -ENOSPC;
    int err = handle_dup(&stress.t, s.h, mask, &h);
    CHECK_EQ(err, expect);
    if (err == 0)
        shadow_add(h, s.obj, s.rights & mask);
}

static void stress_close(uint32_t i)
{
    CHECK_EQ(handle_close(&stress.t, stress.open[i].h), 0);
    shadow_drop(i);
}

static void stress_remove(uint32_t i)
{
    struct shadow_handle s = stress.open[i];
    uint32_t need = random_need(&s);
    struct object *o = NULL;
    uint32_t rights = 0;
    int err = handle_remove(&stress.t, s.h, need, &o, &rights);
    CHECK_EQ(err, expected_result(&s, OBJ_NONE, need | RIGHT_TRANSFER));
    if (err != 0)
        return;
    CHECK(o == stress.objs[s.obj]);
    CHECK_EQ(rights, s.rights);
    object_put(o);
    shadow_drop(i);
}

/* A recently closed handle, or a random value that is not open. */
static void stress_bad_handle(void)
{
    handle_t h = rnd();
    if (stress.nstale > 0 && rnd() % 2) {
        uint32_t n = stress.nstale < STRESS_STALE ? stress.nstale : STRESS_STALE;
        h = stress.stale[rnd() % n];
    }
    if (is_open(h))
        return;
    check_bad_handle(&stress.t, h);
}

static void stress_check_model(void)
{
    CHECK_EQ(handle_count(&stress.t), stress.nopen);
    for (int k = 0; k < STRESS_OBJS; k++)
        CHECK_EQ(refs_of(stress.objs[k]), stress.expect_refs[k]);
}

/* One random step.  The first half of each 10000 rounds leans towards
 * adding handles (so the table fills up), the second half towards closing. */
static void stress_step(uint32_t round)
{
    bool filling = (round / 5000) % 2 == 0;
    uint32_t op = rnd() % 10;

    if (op < (filling ? 3u : 1u) || stress.nopen == 0) {
        stress_install();
        return;
    }
    uint32_t i = rnd() % stress.nopen;
    if (op < 4)
        stress_lookup(i);
    else if (op < 5)
        stress_dup(i);
    else if (op < (filling ? 6u : 8u) && rnd() % 2)
        stress_close(i);
    else if (op < (filling ? 6u : 8u))
        stress_remove(i);
    else
        stress_bad_handle();
}

static void test_random_stress(void)
{
    test_start();
    memset(&stress, 0, sizeof(stress));
    stress.rng = 0x2545f491;
    CHECK_EQ(handle_table_init(&stress.t, STRESS_CAP), 0);
    for (int k = 0; k < STRESS_OBJS; k++) {
        stress.objs[k] = new_obj((enum obj_type)(1 + k % (OBJ_TYPE_COUNT - 1)));
        stress.expect_refs[k] = 1;
    }

    for (uint32_t round = 0; round < STRESS_ROUND; round++) {
        stress_step(round);
        if (round % 500 == 0)
            stress_check_model();
    }
    stress_check_model();

    handle_table_destroy(&stress.t);
    for (int k = 0; k < STRESS_OBJS; k++) {
        CHECK_EQ(refs_of(stress.objs[k]), 1);
        object_put(stress.objs[k]);
    }
    CHECK_EQ(destroy_calls, STRESS_OBJS);
    check_no_leaks();
}

/* Minted handles carry a badge that dup keeps, that removal hands on, and that cannot change. */
static void test_mint(void)
{
    struct handle_table t;
    handle_t m = HANDLE_INVALID, d = HANDLE_INVALID, x = HANDLE_INVALID;
    uint64_t badge = 1;
    struct object *got;
    test_start();
    CHECK_EQ(handle_table_init(&t, 8), 0);
    struct object *ep = new_obj(OBJ_ENDPOINT);
    struct object *vmo = new_obj(OBJ_VMO);
    handle_t h = must_install(&t, ep, RIGHT_ALL);
    handle_t v = must_install(&t, vmo, RIGHT_ALL);

    CHECK_EQ(handle_lookup_badged(&t, h, OBJ_ENDPOINT, 0, &got, NULL, &badge), 0);
    CHECK_EQ(badge, 0);
    object_put(got);
    CHECK_EQ(handle_mint(&t, h, 0, RIGHT_ALL, &m), -EINVAL); /* badge 0 means none */
    CHECK_EQ(handle_mint(&t, v, 5, RIGHT_ALL, &m), -EINVAL); /* endpoints only */
    CHECK_EQ(handle_mint(&t, 12345, 5, RIGHT_ALL, &m), -EBADF);
    CHECK_EQ(handle_mint(&t, h, 42, RIGHT_SEND | RIGHT_DUP, &m), 0);
    CHECK(names(&t, m, ep, RIGHT_SEND | RIGHT_DUP));
    CHECK_EQ(handle_lookup_badged(&t, m, OBJ_ENDPOINT, RIGHT_SEND, &got, NULL, &badge), 0);
    CHECK_EQ(badge, 42);
    object_put(got);
    CHECK_EQ(handle_mint(&t, m, 43, RIGHT_ALL, &x), -EINVAL); /* no second badge */
    CHECK_EQ(handle_dup(&t, m, RIGHT_SEND, &d), 0);
    CHECK_EQ(handle_lookup_badged(&t, d, OBJ_ENDPOINT, RIGHT_SEND, &got, NULL, &badge), 0);
    CHECK_EQ(badge, 42);
    object_put(got);
    CHECK_EQ(handle_mint(&t, d, 43, RIGHT_ALL, &x), -EACCES); /* d lost RIGHT_DUP */
    /* A freed slot forgets its badge. */
    CHECK_EQ(handle_close(&t, m), 0);
    handle_t again = must_install(&t, ep, RIGHT_ALL);
    CHECK_EQ(handle_lookup_badged(&t, again, OBJ_ENDPOINT, 0, &got, NULL, &badge), 0);
    CHECK_EQ(badge, 0);
    object_put(got);
    handle_table_destroy(&t);
    object_put(ep);
    object_put(vmo);
    check_no_leaks();
}

int main(void)
{
    unit_run("handle", "init_errors", test_init_errors);
    unit_run("handle", "install_lookup", test_install_lookup);
    unit_run("handle", "install_errors", test_install_errors);
    unit_run("handle", "bad_handles", test_bad_handles);
    unit_run("handle", "wrong_type", test_wrong_type);
    unit_run("handle", "missing_right", test_missing_right);
    unit_run("handle", "closed_handle", test_closed_handle);
    unit_run("handle", "stale_after_reuse", test_stale_after_reuse);
    unit_run("handle", "generation_wrap", test_generation_wrap);
    unit_run("handle", "dup", test_dup);
    unit_run("handle", "dup_errors", test_dup_errors);
    unit_run("handle", "mint", test_mint);
    unit_run("handle", "remove", test_remove);
    unit_run("handle", "remove_errors", test_remove_errors);
    unit_run("handle", "table_full", test_table_full);
    unit_run("handle", "growth_failure", test_growth_failure);
    unit_run("handle", "destroy_drops_all", test_destroy_drops_all);
    unit_run("handle", "refcounts", test_refcounts);
    unit_run("handle", "random_stress", test_random_stress);
    return unit_exit_code();
}
