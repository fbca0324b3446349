/*
 * handle.h - per-process handle tables (concepts: capabilities, protection).
 *
 * A process never sees kernel pointers.  It names kernel objects by handles:
 * small numbers that index its own handle table.  Each table entry holds a
 * reference to an object plus the rights this process has to it, so a handle
 * is a capability - holding it is both the name and the permission.  Every
 * system call that takes a handle goes through handle_lookup(), which checks
 * the object's type and the rights the call needs in one place.
 *
 * A handle value contains the slot index and the slot's generation, which
 * changes whenever the slot is freed.  A handle kept after close therefore
 * stops working even when the slot is reused for another object.
 */
#ifndef MICA_HANDLE_H
#define MICA_HANDLE_H

#include <stdint.h>
#include <mica/object.h>
#include <mica/spinlock.h>

typedef uint32_t handle_t;

#define HANDLE_INVALID   0    /* never a valid handle */
#define HANDLE_TABLE_MAX 4096 /* hard limit on the slots of one table */

/* One slot of a table.  A free slot has obj == NULL and sits on the free list. */
struct handle_entry {
    struct object *obj;  /* the object, holding one reference; NULL if free */
    uint32_t rights;     /* RIGHT_* bits */
    uint32_t generation; /* part of the handle value; changes when freed */
    uint32_t next_free;  /* free list link (slot index), when free */
    uint64_t badge;      /* what messages sent through this handle carry; 0: none */
};

struct handle_table {
    struct spinlock lock;         /* protects everything below */
    struct handle_entry *entries; /* `size` slots, from kmalloc; NULL while size is 0 */
    uint32_t size;                /* slots allocated so far; grows 16, 32, ... */
    uint32_t capacity;            /* most slots this table may ever have */
    uint32_t free_head;           /* first free slot, or HANDLE_NO_SLOT */
    uint32_t count;               /* handles in use */
};

#define HANDLE_NO_SLOT UINT32_MAX /* end of the free list */

/* Start an empty table holding at most `capacity` handles (1..HANDLE_TABLE_MAX,
 * else -EINVAL).  Memory is allocated only when handles are installed. */
int handle_table_init(struct handle_table *t, uint32_t capacity);

/* Close every handle (dropping its reference) and free the slots.  For a
 * process being torn down: nobody else may use the table any more, and it
 * must be initialised again before reuse. */
void handle_table_destroy(struct handle_table *t);

/* Make a new handle to o with the given rights; takes a new reference.
 * -EINVAL bad object or rights, -ENOSPC table full, -ENOMEM growing failed. */
int handle_install(struct handle_table *t, struct object *o, uint32_t rights, handle_t *out);

/* handle_install() for a handle that carries a badge (badge 0: none). */
int handle_install_badged(struct handle_table *t, struct object *o, uint32_t rights, uint64_t badge,
                          handle_t *out);

/* Find h's object and check it has type `type` (OBJ_NONE: any) and every right
 * in `need`.  On success *out holds a new reference the caller must
 * object_put().  -EBADF no such handle, -EINVAL wrong type, -EACCES missing
 * right.  rights_out may be NULL. */
int handle_lookup(struct handle_table *t, handle_t h, enum obj_type type, uint32_t need,
                  struct object **out, uint32_t *rights_out);

/* handle_lookup() that also gives the handle's badge. */
int handle_lookup_badged(struct handle_table *t, handle_t h, enum obj_type type, uint32_t need,
                         struct object **out, uint32_t *rights_out, uint64_t *badge_out);

/* A second handle to h's endpoint that carries `badge` (non-zero), with rights
 * (h's rights & rights_mask).  h needs RIGHT_DUP and must carry no badge
 * itself (-EINVAL): a badge, once given, cannot be changed. */
int handle_mint(struct handle_table *t, handle_t h, uint64_t badge, uint32_t rights_mask,
                handle_t *out);

/* Like handle_lookup(), but without taking a reference and without the
 * table's lock: only for a caller that holds the big kernel lock.  Every
 * change to a handle table is made under that lock (system calls, and the
 * root task's first handles before any user thread runs), so the slot
 * cannot change, and the object cannot lose its handle's reference, until
 * the caller drops it.  *badge_out gets the handle's badge.  For the IPC fast path, which must not
 * pay for a second lock and two atomic reference-count updates. */
int handle_peek(struct handle_table *t, handle_t h, enum obj_type type, uint32_t need,
                struct object **out, uint64_t *badge_out);

/* Make a second handle to h's object with rights (h's rights & rights_mask):
 * rights can only shrink.  h needs RIGHT_DUP (-EACCES). */
int handle_dup(struct handle_table *t, handle_t h, uint32_t rights_mask, handle_t *out);

/* Close h, dropping its reference.  -EBADF if h is not an open handle. */
int handle_close(struct handle_table *t, handle_t h);

/* Take h out of the table, handing its reference to the caller (to pass it to
 * another process).  h needs RIGHT_TRANSFER and every right in `need`.
 * rights_out may be NULL. */
int handle_remove(struct handle_table *t, handle_t h, uint32_t need, struct object **out,
                  uint32_t *rights_out);

/* Handles open in the table. */
uint32_t handle_count(struct handle_table *t);

#endif
