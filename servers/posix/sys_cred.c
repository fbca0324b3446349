/*
 * sys_cred.c - the identity calls: getuid, geteuid, getgid, getegid,
 * setuid, setgid, setreuid, setregid, setresuid, setresgid, getresuid,
 * getresgid, setfsuid, setfsgid, getgroups, setgroups (concepts: users
 * and groups, real / effective / saved ids).
 *
 * The rules are cred.c's; this file moves the ids between the process's
 * credentials and the program's memory.  A uid_t or gid_t is 32 bits: the
 * upper half of the argument register is ignored, as Linux does.
 */
#include "posix.h"
#include "syscalls.h"
#include "usercopy.h"

int64_t sys_getuid(struct process *p, const uint64_t *a)
{
    (void)a;
    return p->cred.ruid;
}

int64_t sys_geteuid(struct process *p, const uint64_t *a)
{
    (void)a;
    return p->cred.euid;
}

int64_t sys_getgid(struct process *p, const uint64_t *a)
{
    (void)a;
    return p->cred.rgid;
}

int64_t sys_getegid(struct process *p, const uint64_t *a)
{
    (void)a;
    return p->cred.egid;
}

int64_t sys_setuid(struct process *p, const uint64_t *a)
{
    return cred_setuid(&p->cred, (uint32_t)a[0]);
}

int64_t sys_setgid(struct process *p, const uint64_t *a)
{
    return cred_setgid(&p->cred, (uint32_t)a[0]);
}

int64_t sys_setreuid(struct process *p, const uint64_t *a)
{
    return cred_setreuid(&p->cred, (uint32_t)a[0], (uint32_t)a[1]);
}

int64_t sys_setregid(struct process *p, const uint64_t *a)
{
    return cred_setregid(&p->cred, (uint32_t)a[0], (uint32_t)a[1]);
}

int64_t sys_setresuid(struct process *p, const uint64_t *a)
{
    return cred_setresuid(&p->cred, (uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2]);
}

int64_t sys_setresgid(struct process *p, const uint64_t *a)
{
    return cred_setresgid(&p->cred, (uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2]);
}

/* Write the three ids to the three addresses (Linux writes them one by one: an early
 * bad address leaves the later ones unwritten). */
static int64_t put_three(struct process *p, const uint64_t *a, uint32_t r, uint32_t e, uint32_t s)
{
    const uint32_t ids[3] = {r, e, s};
    for (int i = 0; i < 3; i++)
        if (user_write(&p->mem, a[i], &ids[i], sizeof ids[i]) < 0)
            return -LINUX_EFAULT;
    return 0;
}

int64_t sys_getresuid(struct process *p, const uint64_t *a)
{
    return put_three(p, a, p->cred.ruid, p->cred.euid, p->cred.suid);
}

int64_t sys_getresgid(struct process *p, const uint64_t *a)
{
    return put_three(p, a, p->cred.rgid, p->cred.egid, p->cred.sgid);
}

int64_t sys_setfsuid(struct process *p, const uint64_t *a)
{
    return cred_setfsuid(&p->cred, (uint32_t)a[0]);
}

int64_t sys_setfsgid(struct process *p, const uint64_t *a)
{
    return cred_setfsgid(&p->cred, (uint32_t)a[0]);
}

/* getgroups(size, list): the number of groups; with size > 0 also the list (-EINVAL if it
 * does not fit). */
int64_t sys_getgroups(struct process *p, const uint64_t *a)
{
    int32_t size = (int32_t)a[0];
    uint32_t n = p->cred.ngroups;
    if (size < 0)
        return -LINUX_EINVAL;
    if (size == 0)
        return n;
    if ((uint32_t)size < n)
        return -LINUX_EINVAL;
    if (n && user_write(&p->mem, a[1], p->cred.groups, n * sizeof p->cred.groups[0]) < 0)
        return -LINUX_EFAULT;
    return n;
}

/* setgroups(size, list): root only. */
int64_t sys_setgroups(struct process *p, const uint64_t *a)
{
    int32_t size = (int32_t)a[0];
    uint32_t groups[CRED_GROUPS_MAX];
    if (p->cred.euid != 0)
        return -LINUX_EPERM;
    if (size < 0 || size > CRED_GROUPS_MAX)
        return -LINUX_EINVAL;
    if (size && user_read(&p->mem, groups, a[1], (uint64_t)size * sizeof groups[0]) < 0)
        return -LINUX_EFAULT;
    return cred_setgroups(&p->cred, (uint32_t)size, groups);
}
