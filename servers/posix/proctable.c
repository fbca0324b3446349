/*
 * proctable.c - the process table: pids, parents, zombies to be reaped
 * (concepts: process identifiers, the process tree, orphans).  See
 * proctable.h.  Pure code: no system calls.
 */
#include "proctable.h"
#include <malloc.h> /* the server's heap; on the host, the C library's */

static struct process *table[PROC_MAX];
static int next_pid = 1;

struct process *proc_new(int ppid)
{
    for (unsigned i = 0; i < PROC_MAX; i++) {
        if (table[i])
            continue;
        struct process *p = calloc(1, sizeof *p);
        if (!p)
            return 0;
        p->pid = next_pid++;
        p->ppid = ppid;
        p->state = PROC_RUNNING;
        table[i] = p;
        return p;
    }
    return 0;
}

int proc_new_id(void)
{
    return next_pid++;
}

struct process *proc_find(int pid)
{
    for (unsigned i = 0; i < PROC_MAX; i++)
        if (table[i] && table[i]->pid == pid)
            return table[i];
    return 0;
}

struct process *proc_at(unsigned n)
{
    return n < PROC_MAX ? table[n] : 0;
}

void proc_free(struct process *p)
{
    for (unsigned i = 0; i < PROC_MAX; i++)
        if (table[i] == p)
            table[i] = 0;
    free(p);
}

void proc_reparent_children(const struct process *p, int reaper)
{
    for (unsigned i = 0; i < PROC_MAX; i++)
        if (table[i] && table[i]->ppid == p->pid)
            table[i]->ppid = reaper;
}

bool proc_wait_means(const struct process *c, int parent, int64_t pid)
{
    const struct process *caller = proc_find(parent);
    int group = caller ? caller->pgid : 0; /* pid 0: the caller's own process group */
    return c->ppid == parent && (pid <= 0 || c->pid == pid) && (pid >= -1 || c->pgid == -pid) &&
           (pid != 0 || c->pgid == group);
}

int proc_wait_match(int parent, int64_t pid, struct process **zombie)
{
    bool any = false;
    *zombie = 0;
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct process *c = table[i];
        if (!c || !proc_wait_means(c, parent, pid))
            continue;
        any = true;
        if (c->state == PROC_ZOMBIE && !*zombie)
            *zombie = c;
    }
    return any ? 0 : -LINUX_ECHILD;
}
