/*
 * handle.c - per-process handle tables (concepts: capabilities, protection,
 * a small trusted computing base).
 *
 * A table is an array of slots, each empty or holding (object reference,
 * rights).  Free slots are chained on a free list, so installing a handle
 * takes constant time.  The array starts with no slots and grows 16, 32, 64
 * ... up to the table's capacity.
 *
 * A handle value is (generation << 12) | slot index.  Every slot has its own
 * generation, 1 when the slot is created and bumped each time the slot is
 * freed (wrapping from the largest value back to 1, never to 0).  A handle is
 * valid only while its slot is in use *and* has the generation written in the
 * handle, so closed and stale handles are caught, and no handle is ever 0.
 *
 * Locking: one spinlock per table, taken with interrupts off.  Two things are
 * never done while holding it: calling kmalloc()/kfree(), and dropping an
 * object reference (object_put() may run a destroy function that takes other
 * locks).  Both are done after unlocking.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mica/errno.h>
#include <mica/handle.h>
#include <mica/kmalloc.h>
#include <mica/object.h>
#include <mica/spinlock.h>

#define INDEX_BITS     12
#define INDEX_MASK     ((1u << INDEX_BITS) - 1)
#define GENERATION_MAX (UINT32_MAX >> INDEX_BITS)
#define FIRST_SIZE     16 /* slots allocated by the first install */

_Static_assert(HANDLE_TABLE_MAX <= (1u << INDEX_BITS), "slot index must fit in a handle");

/* ---- handle values ---- */

static handle_t make_handle(uint32_t index, uint32_t generation)
{
    return (generation << INDEX_BITS) | index;
}

static uint32_t next_generation(uint32_t generation)
{
    if (generation >= GENERATION_MAX)
        return 1;
    return generation + 1;
}

/* The in-use slot that h names, or NULL.  Any 32-bit value is safe to pass. */
static struct handle_entry *find_entry(struct handle_table *t, handle_t h)
{
    uint32_t index = h & INDEX_MASK;
    uint32_t generation = h >> INDEX_BITS;

    if (generation == 0 || index >= t->size)
        return NULL;
    struct handle_entry *e = &t->entries[index];
    if (e->obj == NULL || e->generation != generation)
        return NULL;
    return e;
}

/* Check a slot found by find_entry() against what the caller wants. */
static int check_entry(const struct handle_entry *e, enum obj_type type, uint32_t need)
{
    if (e == NULL)
        return -EBADF;
    if (type != OBJ_NONE && e->obj->type != type)
        return -EINVAL;
    if ((e->rights & need) != need)
        return -EACCES;
    return 0;
}

/* ---- slots (all called with the table locked) ---- */

/* Put o in the first free slot; the caller has made sure there is one. */
static handle_t fill_free_slot(struct handle_table *t, struct object *o, uint32_t rights,
                               uint64_t badge)
{
    uint32_t index = t->free_head;
    struct handle_entry *e = &t->entries[index];

    t->free_head = e->next_free;
    e->obj = o;
    e->rights = rights;
    e->badge = badge;
    e->next_free = HANDLE_NO_SLOT;
    t->count++;
    return make_handle(index, e->generation);
}

/* Empty a slot, invalidating every handle to it, and return it to the free list. */
static void free_slot(struct handle_table *t, struct handle_entry *e)
{
    uint32_t index = (uint32_t)(e - t->entries);

    e->obj = NULL;
    e->rights = 0;
    e->badge = 0;
    e->generation = next_generation(e->generation);
    e->next_free = t->free_head;
    t->free_head = index;
    t->count--;
}

/* ---- growing the array ---- */

static uint32_t next_size(uint32_t size, uint32_t capacity)
{
    uint32_t want = size == 0 ? FIRST_SIZE : size * 2;
    return want < capacity ? want : capacity;
}

/* Copy the old slots into `bigger`, chain the new ones onto the free list,
 * and switch the table over.  Returns the old array for the caller to free. */
static struct handle_entry *switch_array(struct handle_table *t, struct handle_entry *bigger,
                                         uint32_t new_size)
{
    struct handle_entry *old = t->entries;

    for (uint32_t i = 0; i < t->size; i++)
        bigger[i] = old[i];
    for (uint32_t i = t->size; i < new_size; i++) {
        bigger[i].obj = NULL;
        bigger[i].rights = 0;
        bigger[i].badge = 0;
        bigger[i].generation = 1;
        bigger[i].next_free = i + 1 < new_size ? i + 1 : t->free_head;
    }
    t->free_head = t->size;
    t->entries = bigger;
    t->size = new_size;
    return old;
}

/*
 * Grow the table from `seen_size` slots to the next size.  The allocation is
 * made with the lock dropped, so another CPU may have grown the table in the
 * meantime; then our array is not needed and is freed again.  Either way the
 * caller simply retries.
 */
static int grow(struct handle_table *t, uint32_t seen_size)
{
    uint32_t new_size = next_size(seen_size, t->capacity);
    struct handle_entry *bigger = kmalloc(new_size * sizeof(*bigger));
    struct handle_entry *unused;

    if (bigger == NULL)
        return -ENOMEM;

    uint64_t flags = spin_lock_irqsave(&t->lock);
    if (t->size == seen_size)
        unused = switch_array(t, bigger, new_size);
    else
        unused = bigger;
    spin_unlock_irqrestore(&t->lock, flags);

    kfree(unused);
    return 0;
}

/* ---- the table ---- */

int handle_table_init(struct handle_table *t, uint32_t capacity)
{
    if (capacity == 0 || capacity > HANDLE_TABLE_MAX)
        return -EINVAL;
    spin_init(&t->lock, "handle_table");
    t->entries = NULL;
    t->size = 0;
    t->capacity = capacity;
    t->free_head = HANDLE_NO_SLOT;
    t->count = 0;
    return 0;
}

void handle_table_destroy(struct handle_table *t)
{
    uint64_t flags = spin_lock_irqsave(&t->lock);
    struct handle_entry *entries = t->entries;
    uint32_t size = t->size;
    t->entries = NULL;
    t->size = 0;
    t->free_head = HANDLE_NO_SLOT;
    t->count = 0;
    spin_unlock_irqrestore(&t->lock, flags);

    for (uint32_t i = 0; i < size; i++) {
        if (entries[i].obj != NULL)
            object_put(entries[i].obj);
    }
    kfree(entries);
}

static bool object_is_valid(const struct object *o)
{
    return o != NULL && o->type != OBJ_NONE && o->type < OBJ_TYPE_COUNT;
}

int handle_install(struct handle_table *t, struct object *o, uint32_t rights, handle_t *out)
{
    return handle_install_badged(t, o, rights, 0, out);
}

int handle_install_badged(struct handle_table *t, struct object *o, uint32_t rights, uint64_t badge,
                          handle_t *out)
{
    if (!object_is_valid(o) || (rights & ~RIGHT_ALL) != 0)
        return -EINVAL;

    for (;;) {
        uint64_t flags = spin_lock_irqsave(&t->lock);
        if (t->free_head != HANDLE_NO_SLOT) {
            object_get(o);
            *out = fill_free_slot(t, o, rights, badge);
            spin_unlock_irqrestore(&t->lock, flags);
            return 0;
        }
        uint32_t size = t->size;
        spin_unlock_irqrestore(&t->lock, flags);

        if (size >= t->capacity)
            return -ENOSPC;
        int err = grow(t, size);
        if (err != 0)
            return err;
    }
}

int handle_lookup(struct handle_table *t, handle_t h, enum obj_type type, uint32_t need,
                  struct object **out, uint32_t *rights_out)
{
    return handle_lookup_badged(t, h, type, need, out, rights_out, NULL);
}

int handle_lookup_badged(struct handle_table *t, handle_t h, enum obj_type type, uint32_t need,
                         struct object **out, uint32_t *rights_out, uint64_t *badge_out)
{
    uint64_t flags = spin_lock_irqsave(&t->lock);
    struct handle_entry *e = find_entry(t, h);
    int err = check_entry(e, type, need);
    if (err == 0) {
        object_get(e->obj);
        *out = e->obj;
        if (rights_out != NULL)
            *rights_out = e->rights;
        if (badge_out != NULL)
            *badge_out = e->badge;
    }
    spin_unlock_irqrestore(&t->lock, flags);
    return err;
}

/* No lock: every change to a table is made under the big kernel lock, which the caller holds. */
int handle_peek(struct handle_table *t, handle_t h, enum obj_type type, uint32_t need,
                struct object **out, uint64_t *badge_out)
{
    struct handle_entry *e = find_entry(t, h);
    int err = check_entry(e, type, need);
    if (err == 0) {
        *out = e->obj;
        *badge_out = e->badge;
    }
    return err;
}

int handle_dup(struct handle_table *t, handle_t h, uint32_t rights_mask, handle_t *out)
{
    struct object *o;
    uint32_t rights;
    uint64_t badge;

    int err = handle_lookup_badged(t, h, OBJ_NONE, RIGHT_DUP, &o, &rights, &badge);
    if (err != 0)
        return err;
    err = handle_install_badged(t, o, rights & rights_mask, badge, out);
    object_put(o); /* the lookup's reference; the new handle holds its own */
    return err;
}

int handle_mint(struct handle_table *t, handle_t h, uint64_t badge, uint32_t rights_mask,
                handle_t *out)
{
    struct object *o;
    uint32_t rights;
    uint64_t old_badge;

    if (badge == 0)
        return -EINVAL;
    int err = handle_lookup_badged(t, h, OBJ_ENDPOINT, RIGHT_DUP, &o, &rights, &old_badge);
    if (err != 0)
        return err;
    if (old_badge != 0)
        err = -EINVAL;
    else
        err = handle_install_badged(t, o, rights & rights_mask, badge, out);
    object_put(o);
    return err;
}

int handle_close(struct handle_table *t, handle_t h)
{
    uint64_t flags = spin_lock_irqsave(&t->lock);
    struct handle_entry *e = find_entry(t, h);
    if (e == NULL) {
        spin_unlock_irqrestore(&t->lock, flags);
        return -EBADF;
    }
    struct object *o = e->obj;
    free_slot(t, e);
    spin_unlock_irqrestore(&t->lock, flags);

    object_put(o);
    return 0;
}

int handle_remove(struct handle_table *t, handle_t h, uint32_t need, struct object **out,
                  uint32_t *rights_out)
{
    uint64_t flags = spin_lock_irqsave(&t->lock);
    struct handle_entry *e = find_entry(t, h);
    int err = check_entry(e, OBJ_NONE, need | RIGHT_TRANSFER);
    if (err == 0) {
        *out = e->obj; /* the table's reference passes to the caller */
        if (rights_out != NULL)
            *rights_out = e->rights;
        free_slot(t, e);
    }
    spin_unlock_irqrestore(&t->lock, flags);
    return err;
}

uint32_t handle_count(struct handle_table *t)
{
    uint64_t flags = spin_lock_irqsave(&t->lock);
    uint32_t count = t->count;
    spin_unlock_irqrestore(&t->lock, flags);
    return count;
}
