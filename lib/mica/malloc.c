/*
 * malloc.c - malloc, free and friends for native programs (concept: a
 * user-space heap on memory the kernel hands out as VM objects).
 *
 * The allocator itself is heap_core.c; this file gives it its memory and
 * its lock.  Memory comes in regions of at least HEAP_GROW bytes: each is a
 * new anonymous VM object, mapped wherever the kernel finds room.  The
 * handle is closed at once - the mapping keeps the object alive - and the
 * kernel fills pages with zeros only when they are first touched, so a
 * large region costs nothing until it is used.  Regions are never returned.
 *
 * One mutex serialises every call; the critical sections are short.
 */
#include "malloc.h"
#include "heap_core.h"
#include "mutex.h"
#include "runtime.h"
#include <mica/string.h>

#define HEAP_GROW (256 * 1024) /* smallest region asked of the kernel */

static struct heap heap;
static mica_mutex_t heap_lock = MICA_MUTEX_INIT;
static int heap_ready;

static void *grow_from_kernel(void *ctx, size_t bytes)
{
    (void)ctx;
    int64_t vmo = mica_vmo_create(bytes);
    if (vmo < 0)
        return NULL;
    int64_t at = mica_vm_map(mica_runtime_aspace(), (mica_handle_t)vmo, 0, 0, bytes,
                             MICA_PROT_READ | MICA_PROT_WRITE);
    mica_handle_close((mica_handle_t)vmo);
    return at < 0 ? NULL : (void *)at;
}

static void lock_heap(void)
{
    mica_mutex_lock(&heap_lock);
    if (!heap_ready) {
        heap_init(&heap, grow_from_kernel, NULL, HEAP_GROW);
        heap_ready = 1;
    }
}

static void unlock_heap(void)
{
    mica_mutex_unlock(&heap_lock);
}

static void check_error(const char *what, void *p, enum heap_error err)
{
    if (err != HEAP_OK)
        mica_panic("%s(%p): %s", what, p, heap_error_text(err));
}

void *malloc(size_t size)
{
    lock_heap();
    void *p = heap_alloc(&heap, size);
    unlock_heap();
    return p;
}

void *calloc(size_t n, size_t size)
{
    if (size && n > (size_t)-1 / size)
        return NULL;
    void *p = malloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void *aligned_alloc(size_t align, size_t size)
{
    lock_heap();
    void *p = heap_alloc_aligned(&heap, align, size);
    unlock_heap();
    return p;
}

void *realloc(void *p, size_t size)
{
    void *out;
    lock_heap();
    enum heap_error err = heap_realloc(&heap, p, size, &out);
    unlock_heap();
    check_error("realloc", p, err);
    return out;
}

void free(void *p)
{
    lock_heap();
    enum heap_error err = heap_free(&heap, p);
    unlock_heap();
    check_error("free", p, err);
}

size_t malloc_usable_size(void *p)
{
    lock_heap();
    size_t n = heap_usable_size(&heap, p);
    unlock_heap();
    return n;
}

void mica_heap_stats(struct mica_heap_stats *s)
{
    lock_heap();
    s->used_bytes = heap.used_bytes;
    s->free_bytes = heap.free_bytes;
    unlock_heap();
}

const char *mica_heap_check(void)
{
    lock_heap();
    const char *err = heap_check(&heap);
    unlock_heap();
    return err;
}
