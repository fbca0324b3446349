/*
 * sys_process.c - getpid, getppid, arch_prctl, set_tid_address,
 * set_robust_list and uname (concepts: processes, thread-local storage, system
 * identification).  The identity calls are sys_cred.c's.
 *
 * A run-list program's parent is the server's reaper, which has no Linux
 * pid: getppid answers 0, as it does for Linux's pid 1; so does an orphan's
 * (proctable.h).
 */
#include "posix.h"
#include "syscalls.h"
#include "usercopy.h"
#include <str.h>

int64_t sys_getpid(struct process *p, const uint64_t *a)
{
    (void)a;
    return p->pid;
}

int64_t sys_getppid(struct process *p, const uint64_t *a)
{
    (void)a;
    return p->ppid;
}

/* Recorded for the thread-exit wake-up that comes with threads; the answer is the tid. */
int64_t sys_set_tid_address(struct process *p, const uint64_t *a)
{
    (void)p;
    struct task *t = task_current();
    t->clear_tid = a[0];
    return t->tid;
}

/* Accepted (the robust-futex list matters once a thread can die holding a lock). */
int64_t sys_set_robust_list(struct process *p, const uint64_t *a)
{
    (void)p;
    if (a[1] != 24) /* sizeof(struct robust_list_head) on x86-64 */
        return -LINUX_EINVAL;
    return 0;
}

static bool canonical(uint64_t addr)
{
    return addr < 0x0000800000000000ull; /* user half of the 48-bit space */
}

int64_t sys_arch_prctl(struct process *p, const uint64_t *a)
{
    struct task *t = task_current();
    switch (a[0]) {
    case LINUX_ARCH_SET_FS:
        if (!canonical(a[1]))
            return -LINUX_EPERM;
        if (mica_thread_set_tls(t->thread, 0, a[1]) < 0)
            return -LINUX_EPERM;
        t->fs_base = a[1];
        return 0;
    case LINUX_ARCH_GET_FS:
        return user_write(&p->mem, a[1], &t->fs_base, sizeof t->fs_base);
    default:
        return -LINUX_EINVAL;
    }
}

/* struct new_utsname (linux/utsname.h): six fields of 65 bytes. */
struct linux_utsname {
    char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

/*
 * uname: programs and C libraries compare these with what Linux says (glibc
 * refuses kernels older than it was built for), so the system name is
 * "Linux" and the release is the Linux version whose ABI the server follows,
 * marked as Mica's; the version string says what really answers.
 */
int64_t sys_uname(struct process *p, const uint64_t *a)
{
    struct linux_utsname u;
    memset(&u, 0, sizeof u);
    strlcpy(u.sysname, "Linux", sizeof u.sysname);
    strlcpy(u.nodename, "mica", sizeof u.nodename);
    strlcpy(u.release, "6.1.0-mica", sizeof u.release);
    strlcpy(u.version, "#1 Mica posix server", sizeof u.version);
    strlcpy(u.machine, "x86_64", sizeof u.machine);
    strlcpy(u.domainname, "(none)", sizeof u.domainname);
    return user_write(&p->mem, a[0], &u, sizeof u);
}
