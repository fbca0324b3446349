/* test_object.c - host tests for kernel/core/object.c (reference-counted kernel objects). */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include <mica/object.h>

/* A test object: the header first, then something to tell objects apart. */
struct test_obj {
    struct object hdr;
    int destroyed; /* times destroy() ran on it */
};

static int destroy_calls; /* destroy() calls in this test, over all objects */

static void count_destroy(struct object *o)
{
    struct test_obj *t = (struct test_obj *)o;
    t->destroyed++;
    destroy_calls++;
}

static void free_destroy(struct object *o)
{
    destroy_calls++;
    free(o);
}

static uint32_t refs_of(struct object *o)
{
    return atomic_load(&o->refs);
}

static void check_nothing_live(void)
{
    for (int t = 0; t < OBJ_TYPE_COUNT; t++)
        CHECK_EQ(object_live_count((enum obj_type)t), 0);
}

static void test_init(void)
{
    struct test_obj a = {0};
    destroy_calls = 0;
    a.hdr.reserved = 77;
    object_init(&a.hdr, OBJ_VMO, count_destroy);
    CHECK_EQ(refs_of(&a.hdr), 1);
    CHECK_EQ(a.hdr.type, OBJ_VMO);
    CHECK_EQ(a.hdr.reserved, 0);
    CHECK(a.hdr.destroy == count_destroy);
    CHECK_EQ(object_live_count(OBJ_VMO), 1);
    object_put(&a.hdr);
    CHECK_EQ(a.destroyed, 1);
    CHECK_EQ(destroy_calls, 1);
    check_nothing_live();
}

static void test_get_put(void)
{
    struct test_obj a = {0};
    destroy_calls = 0;
    object_init(&a.hdr, OBJ_ENDPOINT, count_destroy);
    object_get(&a.hdr);
    object_get(&a.hdr);
    CHECK_EQ(refs_of(&a.hdr), 3);
    object_put(&a.hdr);
    object_put(&a.hdr);
    CHECK_EQ(refs_of(&a.hdr), 1);
    CHECK_EQ(a.destroyed, 0);
    CHECK_EQ(object_live_count(OBJ_ENDPOINT), 1);
    object_put(&a.hdr);
    CHECK_EQ(a.destroyed, 1);
    CHECK_EQ(destroy_calls, 1);
    check_nothing_live();
}

/* destroy() may free the object: object_put() must not touch it afterwards
 * (AddressSanitizer would catch that). */
static void test_destroy_frees(void)
{
    destroy_calls = 0;
    struct object *o = malloc(sizeof(*o));
    CHECK(o != NULL);
    object_init(o, OBJ_THREAD, free_destroy);
    object_get(o);
    object_put(o);
    CHECK_EQ(destroy_calls, 0);
    object_put(o);
    CHECK_EQ(destroy_calls, 1);
    check_nothing_live();
}

static void test_null_destroy(void)
{
    struct object o;
    object_init(&o, OBJ_IRQ, NULL);
    CHECK_EQ(object_live_count(OBJ_IRQ), 1);
    object_put(&o);
    CHECK_EQ(refs_of(&o), 0);
    check_nothing_live();
}

static void test_live_count_per_type(void)
{
    struct test_obj v[3], th[2];
    destroy_calls = 0;
    for (int i = 0; i < 3; i++)
        object_init(&v[i].hdr, OBJ_VMO, count_destroy);
    for (int i = 0; i < 2; i++)
        object_init(&th[i].hdr, OBJ_THREAD, count_destroy);
    CHECK_EQ(object_live_count(OBJ_VMO), 3);
    CHECK_EQ(object_live_count(OBJ_THREAD), 2);
    CHECK_EQ(object_live_count(OBJ_TIMER), 0);
    CHECK_EQ(object_live_count(OBJ_TYPE_COUNT), 0);
    CHECK_EQ(object_live_count((enum obj_type)1000), 0);
    object_put(&v[1].hdr);
    CHECK_EQ(object_live_count(OBJ_VMO), 2);
    object_put(&v[0].hdr);
    object_put(&v[2].hdr);
    object_put(&th[0].hdr);
    object_put(&th[1].hdr);
    CHECK_EQ(destroy_calls, 5);
    check_nothing_live();
}

static void test_type_names(void)
{
    CHECK(strcmp(object_type_name(OBJ_THREAD), "thread") == 0);
    CHECK(strcmp(object_type_name(OBJ_VMO), "vmo") == 0);
    CHECK(strcmp(object_type_name(OBJ_TRACE), "trace") == 0);
    CHECK(strcmp(object_type_name(OBJ_TYPE_COUNT), "invalid") == 0);
    CHECK(strcmp(object_type_name((enum obj_type) - 1), "invalid") == 0);
    /* Every type has its own, non-empty name. */
    for (int a = 0; a < OBJ_TYPE_COUNT; a++) {
        const char *na = object_type_name((enum obj_type)a);
        CHECK(na != NULL && na[0] != '\0');
        for (int b = a + 1; b < OBJ_TYPE_COUNT; b++)
            CHECK(strcmp(na, object_type_name((enum obj_type)b)) != 0);
    }
}

int main(void)
{
    unit_run("object", "init", test_init);
    unit_run("object", "get_put", test_get_put);
    unit_run("object", "destroy_frees", test_destroy_frees);
    unit_run("object", "null_destroy", test_null_destroy);
    unit_run("object", "live_count_per_type", test_live_count_per_type);
    unit_run("object", "type_names", test_type_names);
    return unit_exit_code();
}
