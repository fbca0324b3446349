/*
 * task.c - the table of Linux threads (concepts: threads, the thread
 * control block).  See task.h.  Pure code: no system calls.
 */
#include "task.h"
#include <malloc.h> /* the server's heap; on the host, the C library's */

static struct task *table[TASK_MAX];
static unsigned used; /* slots at or above this one are all empty: the walks stop here */
static struct task *current;

struct task *task_new(struct process *p, int tid)
{
    for (unsigned i = 0; i < TASK_MAX; i++) {
        if (table[i])
            continue;
        struct task *t = calloc(1, sizeof *t);
        if (!t)
            return 0;
        t->tid = tid;
        t->proc = p;
        table[i] = t;
        if (i + 1 > used)
            used = i + 1;
        return t;
    }
    return 0;
}

struct task *task_find(int tid)
{
    for (unsigned i = 0; i < used; i++)
        if (table[i] && table[i]->tid == tid)
            return table[i];
    return 0;
}

struct task *task_at(unsigned n)
{
    return n < used ? table[n] : 0;
}

void task_free(struct task *t)
{
    for (unsigned i = 0; i < used; i++)
        if (table[i] == t)
            table[i] = 0;
    while (used > 0 && !table[used - 1])
        used--;
    if (current == t)
        current = 0;
    free(t);
}

struct task *task_next(const struct process *p, const struct task *prev)
{
    unsigned i = 0;
    if (prev) {
        while (i < used && table[i] != prev)
            i++;
        i++; /* the slot after prev's */
    }
    for (; i < used; i++)
        if (table[i] && table[i]->proc == p)
            return table[i];
    return 0;
}

unsigned task_count(const struct process *p)
{
    unsigned n = 0;
    for (unsigned i = 0; i < used; i++)
        n += table[i] && table[i]->proc == p;
    return n;
}

unsigned task_slots(void)
{
    return used;
}

struct task *task_current(void)
{
    return current;
}

void task_set_current(struct task *t)
{
    current = t;
}
