/*
 * object.h - kernel objects and the rights to use them (concepts:
 * capabilities, reference counting, protection).
 *
 * Everything a process can name through a handle - threads, address spaces,
 * memory objects, IPC endpoints, interrupts... - is a kernel object.  Each one
 * begins with a `struct object` header holding its type and a reference
 * count.  A reference is held by every handle that names the object and by
 * every piece of kernel code using it at the moment; when the last reference
 * goes away, the object's destroy() function frees it.
 *
 * A handle also carries rights: a bit mask saying what its holder may do with
 * the object.  Rights can be dropped when a handle is duplicated or passed on,
 * never added, so a process can only hand out less power than it has.
 */
#ifndef MICA_OBJECT_H
#define MICA_OBJECT_H

#include <stdatomic.h>
#include <stdint.h>

enum obj_type {
    OBJ_NONE = 0, /* no object; in handle_lookup(): "any type" */
    OBJ_THREAD,
    OBJ_ASPACE,
    OBJ_VMO,
    OBJ_ENDPOINT,
    OBJ_NOTIFICATION,
    OBJ_REPLY,
    OBJ_IRQ,
    OBJ_IOPORT,
    OBJ_PHYS,
    OBJ_TIMER,
    OBJ_TRACE,
    OBJ_TYPE_COUNT
};

/* Rights a handle may carry. */
#define RIGHT_READ     (1u << 0)
#define RIGHT_WRITE    (1u << 1)
#define RIGHT_EXEC     (1u << 2)
#define RIGHT_MAP      (1u << 3) /* map it into an address space */
#define RIGHT_DUP      (1u << 4) /* make another handle to it */
#define RIGHT_TRANSFER (1u << 5) /* pass the handle to another process */
#define RIGHT_SIGNAL   (1u << 6)
#define RIGHT_WAIT     (1u << 7)
#define RIGHT_SEND     (1u << 8)
#define RIGHT_RECV     (1u << 9)
#define RIGHT_MANAGE   (1u << 10) /* create threads/mappings in, start/stop, registers */
#define RIGHT_ALL      ((1u << 11) - 1)

/* The header at the start of every kernel object. */
struct object {
    _Atomic uint32_t refs;             /* references held; freed at 0 */
    uint16_t type;                     /* an enum obj_type */
    uint16_t reserved;                 /* zero */
    void (*destroy)(struct object *o); /* frees the object; NULL if nothing to free */
};

/* Set up the header of a new object; the caller holds its one reference. */
void object_init(struct object *o, enum obj_type type, void (*destroy)(struct object *o));

/* Take another reference.  The caller must already hold one. */
void object_get(struct object *o);

/* Drop a reference; the last one calls destroy().  Do not hold locks that
 * destroy() might need. */
void object_put(struct object *o);

/* "thread", "vmo", ... ; "invalid" for a value outside the enum. */
const char *object_type_name(enum obj_type t);

/* Objects of type t initialised and not yet destroyed (for leak checks). */
uint64_t object_live_count(enum obj_type t);

#endif
