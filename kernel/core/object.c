/*
 * object.c - the header shared by all kernel objects (concepts: reference
 * counting, object lifetime).
 *
 * An object stays alive while anyone holds a reference to it.  The count is
 * changed with atomic instructions so that no lock is needed: object_get()
 * adds one, object_put() subtracts one, and whoever takes the count from 1 to
 * 0 is the only one left and calls destroy().
 *
 * For leak checks the file also counts, per type, the objects that have been
 * initialised and not yet destroyed.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mica/object.h>

static const char *const type_names[OBJ_TYPE_COUNT] = {
    [OBJ_NONE] = "none",   [OBJ_THREAD] = "thread",     [OBJ_ASPACE] = "aspace",
    [OBJ_VMO] = "vmo",     [OBJ_ENDPOINT] = "endpoint", [OBJ_NOTIFICATION] = "notification",
    [OBJ_REPLY] = "reply", [OBJ_IRQ] = "irq",           [OBJ_IOPORT] = "ioport",
    [OBJ_PHYS] = "phys",   [OBJ_TIMER] = "timer",       [OBJ_TRACE] = "trace",
};

static _Atomic uint64_t live_objects[OBJ_TYPE_COUNT];

static bool type_is_valid(unsigned t)
{
    return t < OBJ_TYPE_COUNT;
}

void object_init(struct object *o, enum obj_type type, void (*destroy)(struct object *o))
{
    atomic_store_explicit(&o->refs, 1, memory_order_relaxed);
    o->type = (uint16_t)type;
    o->reserved = 0;
    o->destroy = destroy;
    if (type_is_valid(type))
        atomic_fetch_add_explicit(&live_objects[type], 1, memory_order_relaxed);
}

void object_get(struct object *o)
{
    /* The caller already holds a reference, so the object cannot go away
     * under us and no ordering with other memory is needed. */
    atomic_fetch_add_explicit(&o->refs, 1, memory_order_relaxed);
}

void object_put(struct object *o)
{
    /* Release: our earlier writes to the object happen before its destruction. */
    uint32_t old = atomic_fetch_sub_explicit(&o->refs, 1, memory_order_release);
    if (old != 1)
        return;

    /* Acquire: see every other holder's writes before tearing it down. */
    atomic_thread_fence(memory_order_acquire);

    /* Count it gone first: destroy() may free the memory holding o->type. */
    if (type_is_valid(o->type))
        atomic_fetch_sub_explicit(&live_objects[o->type], 1, memory_order_relaxed);
    if (o->destroy != NULL)
        o->destroy(o);
}

const char *object_type_name(enum obj_type t)
{
    if (!type_is_valid(t))
        return "invalid";
    return type_names[t];
}

uint64_t object_live_count(enum obj_type t)
{
    if (!type_is_valid(t))
        return 0;
    return atomic_load_explicit(&live_objects[t], memory_order_relaxed);
}
