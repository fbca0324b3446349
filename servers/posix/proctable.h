/*
 * proctable.h - the posix server's process table (servers/posix/proctable.c)
 * (concepts: process identifiers, the process tree, zombies and reaping,
 * orphans).
 *
 * Every process has a pid, unique while the server runs (pids are not
 * reused: 1, 2, 3, ... in the order processes are made, run-list programs
 * and forked children alike), and a parent: another process, or 0 - the
 * server's reaper, which is the parent of the run list's programs and the
 * new parent of every orphan.  Pure code: the host tests run it.
 */
#ifndef POSIX_PROCTABLE_H
#define POSIX_PROCTABLE_H

#include "process.h"

#define PROC_MAX 64 /* processes (running or zombie) at once */

/* A new running process with the next pid and parent ppid (zeroed otherwise), or NULL if the
 * table is full or there is no memory. */
struct process *proc_new(int ppid);

/* The next number from the pid counter, for a thread (its tid is never another's pid). */
int proc_new_id(void);

/* The process with this pid, or NULL. */
struct process *proc_find(int pid);

/* Take p out of the table and free it (its resources must be released already). */
void proc_free(struct process *p);

/* The n-th slot of the table (n < PROC_MAX): a process or NULL, to walk all of them. */
struct process *proc_at(unsigned n);

/* Every child of p gets reaper as its parent (pid 1, or 0: the server's reaper): p is ending. */
void proc_reparent_children(const struct process *p, int reaper);

/*
 * The children of parent that wait4(pid) means (pid > 0: that one; -1: any;
 * 0: any in the parent's process group; below -1: any in process group
 * -pid): a zombie among them in *zombie (or NULL); 0 if there is at least
 * one such child, -ECHILD if there is none.
 */
int proc_wait_match(int parent, int64_t pid, struct process **zombie);

/* Does wait4(pid) by parent mean its child c (as proc_wait_match counts them)? */
bool proc_wait_means(const struct process *c, int parent, int64_t pid);

/* Wait statuses as Linux encodes them (W_EXITCODE, and a killing signal). */
static inline int proc_status_exited(int code)
{
    return (code & 0xff) << 8;
}

static inline int proc_status_signaled(int sig)
{
    return sig & 0x7f;
}

#endif
