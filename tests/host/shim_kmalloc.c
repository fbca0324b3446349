/*
 * shim_kmalloc.c - kmalloc()/kzalloc()/kfree() for host unit tests, on top of
 * the C library's malloc, so that kernel code using <mica/kmalloc.h> can be
 * tested (and checked by AddressSanitizer) on the host.
 *
 * Two knobs for tests, declared by the test itself:
 *
 *   extern long shim_kmalloc_live;       allocations made and not yet freed;
 *                                        back to its old value = no leak.
 *   extern int shim_kmalloc_fail_after;  -1 (the default): never fail.
 *                                        N >= 0: the next N allocations
 *                                        succeed, every later one returns
 *                                        NULL until the test sets -1 again.
 *                                        So 0 makes the very next one fail.
 */
#include <stdlib.h>
#include <mica/kmalloc.h>

long shim_kmalloc_live;
int shim_kmalloc_fail_after = -1;

/* Decide whether this allocation is to fail, counting down the budget. */
static int should_fail(void)
{
    if (shim_kmalloc_fail_after < 0)
        return 0;
    if (shim_kmalloc_fail_after == 0)
        return 1;
    shim_kmalloc_fail_after--;
    return 0;
}

void *kmalloc(size_t size)
{
    if (should_fail())
        return NULL;
    void *p = malloc(size == 0 ? 1 : size);
    if (p != NULL)
        shim_kmalloc_live++;
    return p;
}

void *kzalloc(size_t size)
{
    if (should_fail())
        return NULL;
    void *p = calloc(1, size == 0 ? 1 : size);
    if (p != NULL)
        shim_kmalloc_live++;
    return p;
}

void kfree(void *p)
{
    if (p == NULL)
        return;
    shim_kmalloc_live--;
    free(p);
}
