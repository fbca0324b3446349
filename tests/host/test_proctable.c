/*
 * test_proctable.c - the posix server's process table
 * (servers/posix/proctable.c): pids in order and never reused, the table's
 * limit, which children wait4(pid) means (one, any, none: ECHILD), the
 * zombie found, orphans reparented to the reaper; and, for fork and exec,
 * the descriptor table copied with shared open files and close-on-exec
 * closing only the marked descriptors (servers/posix/fdtable.c); the
 * thread table (servers/posix/task.c).
 */
#include <errno.h>
#include "../../servers/posix/fdtable.h"
#include "../../servers/posix/proctable.h"
#include "unit.h"

static void test_pids_and_limit(void)
{
    struct process *a = proc_new(0), *b = proc_new(a->pid);
    CHECK(a && b);
    CHECK_EQ(b->pid, a->pid + 1);
    CHECK_EQ(b->ppid, a->pid);
    CHECK(a->state == PROC_RUNNING);
    CHECK(proc_find(b->pid) == b && proc_find(12345) == NULL);
    int bpid = b->pid;
    proc_free(b);
    CHECK(proc_find(bpid) == NULL);
    struct process *c = proc_new(0);
    CHECK(c->pid > bpid); /* not reused */
    struct process *all[PROC_MAX];
    unsigned n = 0;
    while (n < PROC_MAX && (all[n] = proc_new(0)) != NULL)
        n++;
    CHECK_EQ(n, PROC_MAX - 2u); /* a and c hold two slots */
    for (unsigned i = 0; i < n; i++)
        proc_free(all[i]);
    proc_free(a);
    proc_free(c);
}

static void test_wait_match(void)
{
    struct process *parent = proc_new(0), *c1 = proc_new(parent->pid), *c2 = proc_new(parent->pid);
    struct process *other = proc_new(0), *z = (struct process *)1;
    CHECK_EQ(proc_wait_match(other->pid, -1, &z), -LINUX_ECHILD);
    CHECK(z == NULL);
    CHECK_EQ(proc_wait_match(parent->pid, -1, &z), 0);
    CHECK(z == NULL); /* children, none ended */
    CHECK_EQ(proc_wait_match(parent->pid, other->pid, &z), -LINUX_ECHILD); /* not its child */
    c2->state = PROC_ZOMBIE;
    CHECK_EQ(proc_wait_match(parent->pid, -1, &z), 0);
    CHECK(z == c2);
    CHECK_EQ(proc_wait_match(parent->pid, 0, &z), 0); /* no process groups yet: any */
    CHECK(z == c2);
    CHECK_EQ(proc_wait_match(parent->pid, c1->pid, &z), 0);
    CHECK(z == NULL); /* that one runs */
    CHECK_EQ(proc_wait_match(parent->pid, c2->pid, &z), 0);
    CHECK(z == c2);
    proc_reparent_children(parent, 1); /* to pid 1, Linux's init */
    CHECK_EQ(c1->ppid, 1);
    CHECK_EQ(c2->ppid, 1);
    CHECK_EQ(proc_wait_match(1, c2->pid, &z), 0); /* init may wait for them now */
    struct process init = {.pid = 1};
    proc_reparent_children(&init, 0);
    CHECK_EQ(c1->ppid, 0); /* and when init is gone, to the server's reaper */
    CHECK_EQ(c2->ppid, 0);
    CHECK_EQ(proc_wait_match(parent->pid, -1, &z), -LINUX_ECHILD);
    CHECK_EQ(proc_status_exited(300), (300 & 0xff) << 8);
    CHECK_EQ(proc_status_signaled(11), 11);
    proc_free(parent);
    proc_free(c1);
    proc_free(c2);
    proc_free(other);
}

static struct fdtable t, u;

static void test_fork_and_exec_descriptors(void)
{
    CHECK_EQ(fdtable_init(&t, true), 0);
    CHECK_EQ(fdtable_dup(&t, 1, 0, true), 3); /* close-on-exec */
    fdtable_copy(&u, &t);
    CHECK(fdtable_get(&u, 1) == fdtable_get(&t, 1)); /* the same open file */
    CHECK_EQ(fdtable_get(&t, 1)->refs, 4u);          /* 1 and 3 in both tables */
    CHECK(u.cloexec[3] && !u.cloexec[1]);
    fdtable_exec(&u);
    CHECK(fdtable_get(&u, 3) == NULL && fdtable_get(&u, 1) != NULL);
    CHECK(fdtable_get(&t, 3) != NULL); /* the parent's stays */
    CHECK_EQ(fdtable_get(&t, 1)->refs, 3u);
    fdtable_clear(&u);
    fdtable_clear(&t); /* the last references: freed (ASan checks) */
}

/* The thread table: tasks found by tid, walked per process, counted, freed; the current one. */
static void test_tasks(void)
{
    struct process *p = proc_new(0), *q = proc_new(0);
    struct task *a = task_new(p, p->pid), *b = task_new(q, q->pid), *c = task_new(p, 1000);
    CHECK(a && b && c);
    CHECK(a->proc == p && c->proc == p && b->proc == q);
    CHECK(task_find(1000) == c && task_find(p->pid) == a && task_find(4242) == NULL);
    CHECK(task_next(p, NULL) == a);
    CHECK(task_next(p, a) == c);
    CHECK(task_next(p, c) == NULL);
    CHECK(task_next(q, NULL) == b && task_next(q, b) == NULL);
    CHECK_EQ(task_count(p), 2u);
    task_set_current(c);
    CHECK(task_current() == c);
    task_free(c); /* the current task freed: no current one is left */
    CHECK(task_current() == NULL);
    CHECK_EQ(task_count(p), 1u);
    CHECK(task_next(p, a) == NULL);
    unsigned n = 2;
    struct task *all[TASK_MAX];
    while (n - 2 < TASK_MAX && (all[n - 2] = task_new(q, (int)(2000 + n))) != NULL)
        n++;
    CHECK_EQ(n - 2, TASK_MAX - 2u); /* a and b hold two slots */
    CHECK_EQ(task_count(q), TASK_MAX - 1u);
    for (unsigned i = 0; i < n - 2; i++)
        task_free(all[i]);
    task_free(a);
    task_free(b);
    proc_free(p);
    proc_free(q);
}

int main(void)
{
    unit_run("proctable", "pids in order, not reused; the table's limit", test_pids_and_limit);
    unit_run("proctable", "which children wait4 means; reparenting", test_wait_match);
    unit_run("proctable", "descriptors at fork and exec", test_fork_and_exec_descriptors);
    unit_run("proctable", "the thread table", test_tasks);
    return unit_exit_code();
}
