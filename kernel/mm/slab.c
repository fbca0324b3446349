/*
 * slab.c - the slab allocator (concept: kernel memory allocation, Bonwick's
 * slab allocator).
 *
 * A slab is a naturally aligned block of 2^order pages:
 *
 *   +-------------+-------+-------+-----+-------+--------+
 *   | struct slab | obj 0 | obj 1 | ... | obj n | unused |
 *   +-------------+-------+-------+-----+-------+--------+
 *
 * The header records the owning cache and, in a bitmap, which objects are
 * handed out.  Because the slab is aligned to its own size, masking an
 * object's address finds its header, so freeing needs no search.  A cache
 * keeps its slabs on three lists (partial, full, empty), takes objects from
 * partial slabs first, and keeps at most one empty slab around; other empty
 * slabs go straight back to the backend.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <mica/slab.h>
#include <mica/bitmap.h>
#include <mica/errno.h>

#define SLAB_MAGIC      0x534c4142u /* "SLAB" */
#define SLAB_MAP_WORDS  4
#define SLAB_MAX_OBJS   (SLAB_MAP_WORDS * 64) /* objects one bitmap can track */
#define SLAB_MIN_ALIGN  8
#define SLAB_SMALL      1024 /* objects up to this size use single-page slabs */
#define SLAB_MIN_OBJS   8    /* bigger objects: at least this many per slab */
#define SLAB_MAX_ORDER  10
#define SLAB_KEEP_EMPTY 1 /* empty slabs a cache keeps for later */

struct slab {
    uint32_t magic;                /* SLAB_MAGIC while the slab belongs to a cache */
    uint32_t inuse;                /* objects handed out */
    struct kmem_cache *cache;      /* owner */
    struct slab *next, *prev;      /* links in one of the cache's lists */
    uint64_t used[SLAB_MAP_WORDS]; /* bit i set: object i is handed out */
};

/* ---- sizes and layout ---- */

static size_t round_up(size_t x, size_t align)
{
    return (x + align - 1) & ~(align - 1);
}

static bool is_power_of_two(size_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

static size_t slab_bytes(unsigned order)
{
    return (size_t)SLAB_PAGE_SIZE << order;
}

/* How many objects fit into a slab of this order after the header. */
static unsigned objects_fit(const struct kmem_cache *c, unsigned order)
{
    size_t room = slab_bytes(order);
    if (room <= c->first)
        return 0;
    size_t n = (room - c->first) / c->stride;
    return n > SLAB_MAX_OBJS ? SLAB_MAX_OBJS : (unsigned)n;
}

/* Small objects use one page; bigger ones the smallest order holding 8. */
static int choose_order(struct kmem_cache *c)
{
    if (c->stride <= SLAB_SMALL && objects_fit(c, 0) >= 1) {
        c->order = 0;
        c->objs_per_slab = objects_fit(c, 0);
        return 0;
    }
    for (unsigned order = 1; order <= SLAB_MAX_ORDER; order++) {
        if (objects_fit(c, order) >= SLAB_MIN_OBJS) {
            c->order = order;
            c->objs_per_slab = objects_fit(c, order);
            return 0;
        }
    }
    return -EINVAL;
}

int kmem_cache_init(struct kmem_cache *c, const char *name, size_t objsize, size_t align,
                    const struct slab_backend *be)
{
    if (objsize == 0 || objsize > SLAB_MAX_OBJECT)
        return -EINVAL;
    if (!is_power_of_two(align) || align > SLAB_MAX_OBJECT)
        return -EINVAL;
    if (be == NULL || be->alloc_pages == NULL || be->free_pages == NULL)
        return -EINVAL;
    if (align < SLAB_MIN_ALIGN)
        align = SLAB_MIN_ALIGN;
    c->name = name;
    c->objsize = objsize;
    c->align = align;
    c->stride = round_up(objsize, align);
    if (c->stride > SLAB_MAX_OBJECT)
        return -EINVAL;
    c->first = round_up(sizeof(struct slab), align);
    if (choose_order(c) != 0)
        return -EINVAL;
    c->partial = (struct slab_list){NULL, 0};
    c->full = (struct slab_list){NULL, 0};
    c->empty = (struct slab_list){NULL, 0};
    c->in_use = 0;
    c->allocs = 0;
    c->frees = 0;
    c->backend = be;
    spin_init(&c->lock, name);
    return 0;
}

/* ---- slab lists ---- */

static void list_add(struct slab_list *l, struct slab *s)
{
    s->prev = NULL;
    s->next = l->head;
    if (l->head != NULL)
        l->head->prev = s;
    l->head = s;
    l->count++;
}

static void list_del(struct slab_list *l, struct slab *s)
{
    if (s->prev != NULL)
        s->prev->next = s->next;
    else
        l->head = s->next;
    if (s->next != NULL)
        s->next->prev = s->prev;
    s->next = NULL;
    s->prev = NULL;
    l->count--;
}

/* The list a slab belongs on, judged by how many of its objects are used. */
static struct slab_list *list_for(struct kmem_cache *c, const struct slab *s)
{
    if (s->inuse == 0)
        return &c->empty;
    if (s->inuse == c->objs_per_slab)
        return &c->full;
    return &c->partial;
}

/* ---- getting and releasing slabs ---- */

/* Get a slab from the backend and write its header; NULL if out of memory. */
static struct slab *slab_create(struct kmem_cache *c)
{
    void *mem = c->backend->alloc_pages(c->order);
    if (mem == NULL)
        return NULL;
    if ((uintptr_t)mem % slab_bytes(c->order) != 0) {
        /* The backend broke its promise; masking would not find the header. */
        c->backend->free_pages(mem, c->order);
        return NULL;
    }
    struct slab *s = mem;
    s->magic = SLAB_MAGIC;
    s->inuse = 0;
    s->cache = c;
    s->next = NULL;
    s->prev = NULL;
    bitmap_fill_range(s->used, 0, SLAB_MAX_OBJS, false);
    return s;
}

static void slab_destroy(struct kmem_cache *c, struct slab *s)
{
    c->backend->free_pages(s, c->order);
}

/* ---- objects ---- */

static void *object_at(const struct kmem_cache *c, struct slab *s, size_t i)
{
    return (char *)s + c->first + i * c->stride;
}

/* Hand out a free object of s, moving s to the right list.  Lock held. */
static void *take_object(struct kmem_cache *c, struct slab *s, bool on_list)
{
    if (on_list)
        list_del(list_for(c, s), s);
    size_t i = bitmap_find_first_zero(s->used, c->objs_per_slab);
    bitmap_set(s->used, i);
    s->inuse++;
    list_add(list_for(c, s), s);
    c->in_use++;
    c->allocs++;
    return object_at(c, s, i);
}

void *kmem_cache_alloc(struct kmem_cache *c)
{
    void *obj = NULL;
    uint64_t flags = spin_lock_irqsave(&c->lock);
    struct slab *s = c->partial.head != NULL ? c->partial.head : c->empty.head;
    if (s != NULL)
        obj = take_object(c, s, true);
    spin_unlock_irqrestore(&c->lock, flags);
    if (obj != NULL)
        return obj;

    /* No free object: grow by one slab, without holding the lock meanwhile. */
    s = slab_create(c);
    if (s == NULL)
        return NULL;
    flags = spin_lock_irqsave(&c->lock);
    obj = take_object(c, s, false);
    spin_unlock_irqrestore(&c->lock, flags);
    return obj;
}

/* The slab holding obj if it looks like one of this cache's; else NULL. */
static struct slab *slab_of(struct kmem_cache *c, void *obj)
{
    uintptr_t addr = (uintptr_t)obj & ~(uintptr_t)(slab_bytes(c->order) - 1);
    struct slab *s = (struct slab *)addr;
    if (s->magic != SLAB_MAGIC || s->cache != c)
        return NULL;
    return s;
}

/* The index of obj in s, or objs_per_slab if obj is not an object's start. */
static size_t object_index(const struct kmem_cache *c, const struct slab *s, void *obj)
{
    size_t offset = (size_t)((uintptr_t)obj - (uintptr_t)s);
    if (offset < c->first || (offset - c->first) % c->stride != 0)
        return c->objs_per_slab;
    size_t i = (offset - c->first) / c->stride;
    return i < c->objs_per_slab ? i : c->objs_per_slab;
}

/*
 * Return object i to s and re-file s.  Returns s if it became empty and the
 * cache already keeps enough empty slabs: the caller then destroys it.
 */
static struct slab *put_object(struct kmem_cache *c, struct slab *s, size_t i)
{
    list_del(list_for(c, s), s);
    bitmap_clear(s->used, i);
    s->inuse--;
    c->in_use--;
    c->frees++;
    if (s->inuse == 0 && c->empty.count >= SLAB_KEEP_EMPTY) {
        s->magic = 0;
        return s;
    }
    list_add(list_for(c, s), s);
    return NULL;
}

int kmem_cache_free(struct kmem_cache *c, void *obj)
{
    if (obj == NULL)
        return -EINVAL;
    uint64_t flags = spin_lock_irqsave(&c->lock);
    struct slab *s = slab_of(c, obj);
    size_t i = s != NULL ? object_index(c, s, obj) : c->objs_per_slab;
    if (i == c->objs_per_slab || !bitmap_test(s->used, i)) {
        /* Not ours, not the start of an object, or already free. */
        spin_unlock_irqrestore(&c->lock, flags);
        return -EINVAL;
    }
    struct slab *victim = put_object(c, s, i);
    spin_unlock_irqrestore(&c->lock, flags);
    if (victim != NULL)
        slab_destroy(c, victim);
    return 0;
}

size_t kmem_cache_shrink(struct kmem_cache *c)
{
    uint64_t flags = spin_lock_irqsave(&c->lock);
    struct slab *s = c->empty.head;
    c->empty = (struct slab_list){NULL, 0};
    for (struct slab *t = s; t != NULL; t = t->next)
        t->magic = 0;
    spin_unlock_irqrestore(&c->lock, flags);

    size_t pages = 0;
    while (s != NULL) {
        struct slab *next = s->next;
        slab_destroy(c, s);
        pages += (size_t)1 << c->order;
        s = next;
    }
    return pages;
}

void kmem_cache_get_stats(struct kmem_cache *c, struct slab_stats *st)
{
    uint64_t flags = spin_lock_irqsave(&c->lock);
    uint64_t slabs = c->full.count + c->partial.count + c->empty.count;
    st->objects_in_use = c->in_use;
    st->objects_total = slabs * c->objs_per_slab;
    st->slabs = slabs;
    st->slabs_full = c->full.count;
    st->slabs_partial = c->partial.count;
    st->slabs_empty = c->empty.count;
    st->pages = slabs << c->order;
    st->allocs = c->allocs;
    st->frees = c->frees;
    spin_unlock_irqrestore(&c->lock, flags);
}

struct kmem_cache *slab_cache_of(void *obj)
{
    if (obj == NULL)
        return NULL;
    uintptr_t addr = (uintptr_t)obj & ~(uintptr_t)(SLAB_PAGE_SIZE - 1);
    const struct slab *s = (const struct slab *)addr;
    if (s->magic != SLAB_MAGIC)
        return NULL;
    return s->cache;
}
