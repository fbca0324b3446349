/*
 * reclock.c - POSIX record locks (concepts: advisory locking, byte-range
 * locks).  See reclock.h.  One table for all files and processes, an array
 * grown by doubling: locks are few, and a linear search is easy to follow.
 * Pure code.
 */
#include "reclock.h"
#include "linux_abi.h"
#include <stdbool.h>
#include <malloc.h> /* the server's heap; on the host, the C library's */

void (*reclock_on_change)(void);

static struct reclock *locks;
static uint32_t nlocks, cap;

static int overlap(const struct reclock *l, uint64_t start, uint64_t end)
{
    return l->start < end && start < l->end;
}

const struct reclock *reclock_conflict(const struct vnode *node, int pid, uint32_t type,
                                       uint64_t start, uint64_t end)
{
    for (uint32_t i = 0; i < nlocks; i++) {
        const struct reclock *l = &locks[i];
        if (l->node == node && l->pid != pid && overlap(l, start, end) &&
            (type == RECLOCK_WRITE || l->type == RECLOCK_WRITE))
            return l;
    }
    return 0;
}

static int reserve(uint32_t n)
{
    if (n <= cap)
        return 0;
    uint32_t want = cap ? cap * 2 : 16;
    while (want < n)
        want *= 2;
    struct reclock *l = realloc(locks, want * sizeof *l);
    if (!l)
        return -LINUX_ENOLCK;
    locks = l;
    cap = want;
    return 0;
}

static void drop(uint32_t i)
{
    locks[i] = locks[--nlocks];
}

/* Take [start, end) out of pid's locks on node: overlapping locks are cut, and one that
 * covers both sides of the range is split in two (room for which is reserved by the caller). */
static void cut(const struct vnode *node, int pid, uint64_t start, uint64_t end)
{
    for (uint32_t i = 0; i < nlocks;) {
        struct reclock *l = &locks[i];
        if (l->node != node || l->pid != pid || !overlap(l, start, end)) {
            i++;
            continue;
        }
        if (l->start < start && l->end > end) { /* split: the part after goes to the end */
            locks[nlocks] = *l;
            locks[nlocks].start = end;
            nlocks++;
            l->end = start;
            i++;
        } else if (l->start < start) {
            l->end = start;
            i++;
        } else if (l->end > end) {
            l->start = end;
            i++;
        } else {
            drop(i); /* wholly inside: gone (the last lock moved here is looked at next) */
        }
    }
}

int reclock_set(const struct vnode *node, int pid, uint32_t type, uint64_t start, uint64_t end)
{
    if (type != RECLOCK_UNLOCK && reclock_conflict(node, pid, type, start, end))
        return -LINUX_EAGAIN;
    if (reserve(nlocks + 2) < 0) /* one split and the new lock */
        return -LINUX_ENOLCK;
    cut(node, pid, start, end);
    if (type == RECLOCK_UNLOCK) {
        if (reclock_on_change)
            reclock_on_change();
        return 0;
    }
    /* Merge with pid's locks of the same type that touch the range. */
    for (uint32_t i = 0; i < nlocks;) {
        struct reclock *l = &locks[i];
        if (l->node == node && l->pid == pid && l->type == type && l->start <= end &&
            start <= l->end) {
            start = l->start < start ? l->start : start;
            end = l->end > end ? l->end : end;
            drop(i);
        } else {
            i++;
        }
    }
    locks[nlocks++] = (struct reclock){node, pid, type, start, end};
    if (reclock_on_change) /* a lock downgraded or cut: others may take what was freed */
        reclock_on_change();
    return 0;
}

void reclock_release(const struct vnode *node, int pid)
{
    bool dropped = false;
    for (uint32_t i = 0; i < nlocks;) {
        if (locks[i].pid == pid && (!node || locks[i].node == node)) {
            drop(i);
            dropped = true;
        } else {
            i++;
        }
    }
    if (dropped && reclock_on_change)
        reclock_on_change();
}

uint32_t reclock_count(void)
{
    return nlocks;
}
