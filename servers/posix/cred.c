/*
 * cred.c - the rules of the set*id calls (concepts: real, effective and
 * saved ids, the superuser).  See cred.h.  They follow Linux's
 * kernel/sys.c with "has CAP_SETUID / CAP_SETGID" read as "the effective
 * uid is 0".  Pure code.
 */
#include "cred.h"
#include "linux_abi.h"

void cred_root(struct cred *c)
{
    *c = (struct cred){0};
}

bool cred_in_group(const struct cred *c, uint32_t gid)
{
    if (c->fsgid == gid)
        return true;
    for (uint32_t i = 0; i < c->ngroups; i++)
        if (c->groups[i] == gid)
            return true;
    return false;
}

static bool privileged(const struct cred *c)
{
    return c->euid == 0;
}

/* Is id one of the three (the ids an unprivileged process may switch between)? */
static bool one_of(uint32_t id, uint32_t r, uint32_t e, uint32_t s)
{
    return id == r || id == e || id == s;
}

int cred_setuid(struct cred *c, uint32_t uid)
{
    if (uid == CRED_NONE)
        return -LINUX_EINVAL;
    if (privileged(c)) {
        c->ruid = c->suid = uid;
    } else if (uid != c->ruid && uid != c->suid) {
        return -LINUX_EPERM;
    }
    c->euid = c->fsuid = uid;
    return 0;
}

int cred_setgid(struct cred *c, uint32_t gid)
{
    if (gid == CRED_NONE)
        return -LINUX_EINVAL;
    if (privileged(c)) {
        c->rgid = c->sgid = gid;
    } else if (gid != c->rgid && gid != c->sgid) {
        return -LINUX_EPERM;
    }
    c->egid = c->fsgid = gid;
    return 0;
}

/* setreuid's rule on one set of ids (user or group); priv: the caller is root. */
static int set_re(bool priv, uint32_t *rid, uint32_t *eid, uint32_t *sid, uint32_t *fsid,
                  uint32_t r, uint32_t e)
{
    uint32_t new_r = *rid, new_e = *eid;
    if (r != CRED_NONE) {
        if (!priv && r != *rid && r != *eid)
            return -LINUX_EPERM;
        new_r = r;
    }
    if (e != CRED_NONE) {
        if (!priv && !one_of(e, *rid, *eid, *sid))
            return -LINUX_EPERM;
        new_e = e;
    }
    if (r != CRED_NONE || (e != CRED_NONE && e != *rid))
        *sid = new_e;
    *rid = new_r;
    *eid = *fsid = new_e;
    return 0;
}

int cred_setreuid(struct cred *c, uint32_t r, uint32_t e)
{
    return set_re(privileged(c), &c->ruid, &c->euid, &c->suid, &c->fsuid, r, e);
}

int cred_setregid(struct cred *c, uint32_t r, uint32_t e)
{
    return set_re(privileged(c), &c->rgid, &c->egid, &c->sgid, &c->fsgid, r, e);
}

/* setresuid's rule on one set of ids. */
static int set_res(bool priv, uint32_t *rid, uint32_t *eid, uint32_t *sid, uint32_t *fsid,
                   uint32_t r, uint32_t e, uint32_t s)
{
    if (!priv && ((r != CRED_NONE && !one_of(r, *rid, *eid, *sid)) ||
                  (e != CRED_NONE && !one_of(e, *rid, *eid, *sid)) ||
                  (s != CRED_NONE && !one_of(s, *rid, *eid, *sid))))
        return -LINUX_EPERM;
    if (r != CRED_NONE)
        *rid = r;
    if (e != CRED_NONE)
        *eid = e;
    if (s != CRED_NONE)
        *sid = s;
    *fsid = *eid;
    return 0;
}

int cred_setresuid(struct cred *c, uint32_t r, uint32_t e, uint32_t s)
{
    return set_res(privileged(c), &c->ruid, &c->euid, &c->suid, &c->fsuid, r, e, s);
}

int cred_setresgid(struct cred *c, uint32_t r, uint32_t e, uint32_t s)
{
    return set_res(privileged(c), &c->rgid, &c->egid, &c->sgid, &c->fsgid, r, e, s);
}

uint32_t cred_setfsuid(struct cred *c, uint32_t uid)
{
    uint32_t old = c->fsuid;
    if (uid != CRED_NONE &&
        (privileged(c) || one_of(uid, c->ruid, c->euid, c->suid) || uid == c->fsuid))
        c->fsuid = uid;
    return old;
}

uint32_t cred_setfsgid(struct cred *c, uint32_t gid)
{
    uint32_t old = c->fsgid;
    if (gid != CRED_NONE &&
        (privileged(c) || one_of(gid, c->rgid, c->egid, c->sgid) || gid == c->fsgid))
        c->fsgid = gid;
    return old;
}

int cred_setgroups(struct cred *c, uint32_t n, const uint32_t *groups)
{
    if (!privileged(c))
        return -LINUX_EPERM;
    if (n > CRED_GROUPS_MAX)
        return -LINUX_EINVAL;
    /* Sorted by insertion, as Linux sorts them (getgroups gives them in that order). */
    for (uint32_t i = 0; i < n; i++) {
        uint32_t g = groups[i], j = i;
        for (; j > 0 && c->groups[j - 1] > g; j--)
            c->groups[j] = c->groups[j - 1];
        c->groups[j] = g;
    }
    c->ngroups = n;
    return 0;
}

bool cred_exec(struct cred *c, uint32_t mode, uint32_t uid, uint32_t gid)
{
    if (mode & 04000) /* S_ISUID */
        c->euid = uid;
    if ((mode & 02010) == 02010) /* S_ISGID with S_IXGRP (without it: a locking mark) */
        c->egid = gid;
    c->suid = c->fsuid = c->euid;
    c->sgid = c->fsgid = c->egid;
    return c->euid != c->ruid || c->egid != c->rgid;
}

bool cred_may_signal(const struct cred *from, const struct cred *to)
{
    return from->euid == 0 || from->euid == to->suid || from->euid == to->ruid ||
           from->ruid == to->suid || from->ruid == to->ruid;
}
