/*
 * sys_resource.c - resource limits, CPU-time accounting, system
 * information and prctl (concepts: resource limits, accounting of CPU
 * time, process names).
 *
 * Limits: every process has Linux's sixteen resource limits, a soft
 * (cur) and a hard (max) value each, inherited at fork and kept at
 * execve.  They start as Linux starts its first process.  A process may
 * lower its hard limits and move its soft limits below them; only root
 * (effective uid 0) may raise a hard limit, or touch another user's
 * process's limits.  RLIMIT_NOFILE's soft limit is enforced: no
 * descriptor is made at or above it (fdtable.h); the others are recorded
 * and reported (docs/linux-abi.md says which Linux would enforce).
 *
 * Time: Mica's kernel accounts each thread's time on a CPU
 * (SYS_THREAD_INFO).  A process's CPU time is that of its threads, the
 * living ones asked now and the ended ones summed when they ended
 * (cpu_ns); its children's is summed when each is reaped
 * (children_cpu_ns).  Mica cannot tell user from system time - the
 * server's work for a program runs in the server - so all of it counts as
 * user time.
 */
#include "posix.h"
#include "proctable.h"
#include "syscalls.h"
#include "usercopy.h"
#include <mica/string.h>
#include <str.h>

#define NS_PER_TICK 10000000ull /* USER_HZ 100: clock ticks for times() */

void resource_defaults(struct process *p)
{
    for (unsigned r = 0; r < LINUX_RLIM_NLIMITS; r++)
        p->rlimit[r] = (struct linux_rlimit){LINUX_RLIM_INFINITY, LINUX_RLIM_INFINITY};
    p->rlimit[3] = (struct linux_rlimit){8ull << 20, LINUX_RLIM_INFINITY}; /* STACK */
    p->rlimit[4] = (struct linux_rlimit){0, LINUX_RLIM_INFINITY};          /* CORE */
    p->rlimit[6] = (struct linux_rlimit){PROC_MAX, PROC_MAX};              /* NPROC */
    p->rlimit[LINUX_RLIMIT_NOFILE] = (struct linux_rlimit){FD_MAX, FD_MAX};
    p->rlimit[8] = (struct linux_rlimit){8ull << 20, 8ull << 20};        /* MEMLOCK */
    p->rlimit[11] = (struct linux_rlimit){PROC_MAX * 64, PROC_MAX * 64}; /* SIGPENDING */
    p->rlimit[12] = (struct linux_rlimit){819200, 819200};               /* MSGQUEUE */
    p->rlimit[13] = (struct linux_rlimit){0, 0};                         /* NICE */
    p->rlimit[14] = (struct linux_rlimit){0, 0};                         /* RTPRIO */
    p->files.limit = FD_MAX;
}

/* Set limit r of p to *new (already checked against the rules by the caller). */
static void set_limit(struct process *p, unsigned r, const struct linux_rlimit *new)
{
    p->rlimit[r] = *new;
    if (r == LINUX_RLIMIT_NOFILE)
        p->files.limit = new->cur < FD_MAX ? (uint32_t) new->cur : FD_MAX;
}

/* May p read and set target's limits?  Its own; another process's if p is root (Linux's
 * CAP_SYS_RESOURCE) or p's real uid and gid are all of target's uids and gids. */
static bool may_prlimit(const struct process *p, const struct process *target)
{
    const struct cred *c = &p->cred, *t = &target->cred;
    return p == target || c->euid == 0 ||
           (c->ruid == t->ruid && c->ruid == t->euid && c->ruid == t->suid && c->rgid == t->rgid &&
            c->rgid == t->egid && c->rgid == t->sgid);
}

/* prlimit64(pid, resource, new, old) */
int64_t sys_prlimit64(struct process *p, const uint64_t *a)
{
    int32_t pid = (int32_t)a[0];
    uint64_t r = a[1] & 0xffffffffu;
    struct process *target = pid == 0 ? p : proc_find(pid);
    if (!target || target->state != PROC_RUNNING)
        return -LINUX_ESRCH;
    if (!may_prlimit(p, target))
        return -LINUX_EPERM;
    if (r >= LINUX_RLIM_NLIMITS)
        return -LINUX_EINVAL;
    struct linux_rlimit new, old = target->rlimit[r];
    if (a[2]) {
        if (user_read(&p->mem, &new, a[2], sizeof new) < 0)
            return -LINUX_EFAULT;
        if (new.cur > new.max)
            return -LINUX_EINVAL;
        if (r == LINUX_RLIMIT_NOFILE && new.max > 1048576)
            return -LINUX_EPERM; /* above Linux's nr_open */
        if (new.max > old.max && p->cred.euid != 0)
            return -LINUX_EPERM; /* raising a hard limit: root only (CAP_SYS_RESOURCE) */
    }
    if (a[3] && user_write(&p->mem, a[3], &old, sizeof old) < 0)
        return -LINUX_EFAULT;
    if (a[2])
        set_limit(target, (unsigned)r, &new);
    return 0;
}

int64_t sys_getrlimit(struct process *p, const uint64_t *a)
{
    uint64_t b[6] = {0, a[0], 0, a[1], 0, 0};
    return sys_prlimit64(p, b);
}

int64_t sys_setrlimit(struct process *p, const uint64_t *a)
{
    uint64_t b[6] = {0, a[0], a[1], 0, 0, 0};
    return sys_prlimit64(p, b);
}

/* The CPU time of p's living threads, in nanoseconds. */
static uint64_t living_threads_ns(struct process *p)
{
    uint64_t ns = 0;
    struct mica_thread_info info;
    for (struct task *t = task_next(p, 0); t; t = task_next(p, t))
        if (mica_thread_info(t->thread, &info) == 0)
            ns += info.run_ns;
    return ns;
}

void resource_thread_ends(struct task *t)
{
    struct mica_thread_info info;
    if (t->thread && mica_thread_info(t->thread, &info) == 0)
        t->proc->cpu_ns += info.run_ns;
}

void resource_process_ends(struct process *p)
{
    p->cpu_ns += living_threads_ns(p);
}

void resource_reaped(struct process *parent, const struct process *child)
{
    parent->children_cpu_ns += child->cpu_ns + child->children_cpu_ns;
}

static struct linux_timeval timeval_of(uint64_t ns)
{
    return (struct linux_timeval){(int64_t)(ns / 1000000000ull),
                                  (int64_t)(ns % 1000000000ull / 1000)};
}

/* getrusage(who, usage): user time as measured; system time and the counters zero. */
int64_t sys_getrusage(struct process *p, const uint64_t *a)
{
    int64_t who = (int32_t)a[0];
    uint64_t ns;
    struct mica_thread_info info;
    if (who == LINUX_RUSAGE_SELF)
        ns = p->cpu_ns + living_threads_ns(p);
    else if (who == LINUX_RUSAGE_CHILDREN)
        ns = p->children_cpu_ns;
    else if (who == LINUX_RUSAGE_THREAD)
        ns = mica_thread_info(task_current()->thread, &info) == 0 ? info.run_ns : 0;
    else
        return -LINUX_EINVAL;
    struct linux_rusage u;
    memset(&u, 0, sizeof u);
    u.utime = timeval_of(ns);
    return user_write(&p->mem, a[1], &u, sizeof u);
}

/* times(buf): the process's and its reaped children's CPU time in clock ticks; the result is
 * the ticks since boot. */
int64_t sys_times(struct process *p, const uint64_t *a)
{
    int64_t tms[4] = {(int64_t)((p->cpu_ns + living_threads_ns(p)) / NS_PER_TICK), 0,
                      (int64_t)(p->children_cpu_ns / NS_PER_TICK), 0};
    if (a[0] && user_write(&p->mem, a[0], tms, sizeof tms) < 0)
        return -LINUX_EFAULT;
    return (int64_t)(mica_clock_ns() / NS_PER_TICK);
}

/* struct sysinfo on x86-64 (linux/sysinfo.h): 112 bytes. */
struct linux_sysinfo {
    int64_t uptime;
    uint64_t loads[3];
    uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    uint16_t procs, pad;
    uint32_t pad2;
    uint64_t totalhigh, freehigh;
    uint32_t mem_unit;
    char reserved[4];
};

int64_t sys_sysinfo(struct process *p, const uint64_t *a)
{
    struct linux_sysinfo s;
    struct mica_kernel_stats k;
    memset(&s, 0, sizeof s);
    memset(&k, 0, sizeof k);
    mica_kernel_stats(&k);
    s.uptime = (int64_t)(mica_clock_ns() / 1000000000ull);
    s.totalram = k.total_pages * 4096;
    s.freeram = k.free_pages * 4096;
    for (unsigned i = 0; i < PROC_MAX; i++)
        s.procs += proc_at(i) != 0;
    s.mem_unit = 1;
    return user_write(&p->mem, a[0], &s, sizeof s);
}

/* prctl(option, arg2, ...): the calling thread's name, and a few process flags. */
int64_t sys_prctl(struct process *p, const uint64_t *a)
{
    struct task *t = task_current();
    char name[16];
    int32_t flag;
    switch (a[0]) {
    case LINUX_PR_SET_NAME: /* at most 15 bytes are taken, as on Linux */
        memset(name, 0, sizeof name);
        for (unsigned i = 0; i < sizeof name - 1; i++) {
            if (user_read(&p->mem, &name[i], a[1] + i, 1) < 0)
                return -LINUX_EFAULT;
            if (!name[i])
                break;
        }
        memcpy(t->comm, name, sizeof name);
        return 0;
    case LINUX_PR_GET_NAME:
        return user_write(&p->mem, a[1], t->comm, sizeof t->comm);
    case LINUX_PR_SET_PDEATHSIG:
        if (a[1] > LINUX_NSIG)
            return -LINUX_EINVAL;
        p->pdeathsig = (int)a[1];
        return 0;
    case LINUX_PR_GET_PDEATHSIG:
        flag = p->pdeathsig;
        return user_write(&p->mem, a[1], &flag, sizeof flag);
    case LINUX_PR_GET_DUMPABLE:
        return p->undumpable ? 0 : 1;
    case LINUX_PR_SET_DUMPABLE:
        if (a[1] > 1)
            return -LINUX_EINVAL;
        p->undumpable = a[1] == 0;
        return 0;
    case LINUX_PR_SET_NO_NEW_PRIVS:
        if (a[1] != 1 || a[2] || a[3] || a[4])
            return -LINUX_EINVAL;
        p->no_new_privs = true;
        return 0;
    case LINUX_PR_GET_NO_NEW_PRIVS:
        if (a[1] || a[2] || a[3] || a[4])
            return -LINUX_EINVAL;
        return p->no_new_privs;
    default:
        return -LINUX_EINVAL;
    }
}

void task_set_comm_from_path(struct task *t, const char *path)
{
    const char *base = path;
    for (const char *s = path; *s; s++)
        if (*s == '/')
            base = s + 1;
    memset(t->comm, 0, sizeof t->comm);
    strlcpy(t->comm, base, sizeof t->comm);
}
