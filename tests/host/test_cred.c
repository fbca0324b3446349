/*
 * test_cred.c - the rules of the set*id calls (servers/posix/cred.c): what
 * root may do, what an ordinary process may do (switch between its real,
 * effective and saved ids) and may not (EPERM, nothing changed), the saved
 * id of setreuid, setfsuid's answer, setgroups' order and limits, the
 * set-user-ID and set-group-ID bits at execve, and who may signal whom.
 */
#include <errno.h>
#include "../../servers/posix/cred.h"
#include "unit.h"

#define NONE CRED_NONE

static struct cred user(uint32_t r, uint32_t e, uint32_t s)
{
    struct cred c;
    cred_root(&c);
    c.ruid = c.rgid = r;
    c.euid = c.fsuid = c.egid = c.fsgid = e;
    c.suid = c.sgid = s;
    return c;
}

static void check_uids(const struct cred *c, uint32_t r, uint32_t e, uint32_t s, uint32_t fs)
{
    CHECK_EQ(c->ruid, r);
    CHECK_EQ(c->euid, e);
    CHECK_EQ(c->suid, s);
    CHECK_EQ(c->fsuid, fs);
}

static void test_setuid(void)
{
    struct cred c;
    cred_root(&c);
    CHECK_EQ(cred_setuid(&c, NONE), -EINVAL);
    CHECK_EQ(cred_setuid(&c, 1000), 0); /* root: all of them, for good */
    check_uids(&c, 1000, 1000, 1000, 1000);
    CHECK_EQ(cred_setuid(&c, 0), -EPERM);
    check_uids(&c, 1000, 1000, 1000, 1000);

    c = user(1000, 0, 0); /* a set-user-ID root program run by 1000 */
    CHECK_EQ(cred_setuid(&c, 5), 0);
    check_uids(&c, 5, 5, 5, 5);
    c = user(1000, 2000, 3000);
    CHECK_EQ(cred_setuid(&c, 3000), 0); /* to the saved id: only the effective one changes */
    check_uids(&c, 1000, 3000, 3000, 3000);
    CHECK_EQ(cred_setuid(&c, 1000), 0);
    check_uids(&c, 1000, 1000, 3000, 1000);
    CHECK_EQ(cred_setuid(&c, 2000), -EPERM);

    c = user(1000, 1000, 1000);
    CHECK_EQ(cred_setgid(&c, 1000), 0);
    CHECK_EQ(cred_setgid(&c, 0), -EPERM);
    CHECK_EQ(c.egid, 1000u);
    cred_root(&c);
    CHECK_EQ(cred_setgid(&c, 50), 0);
    CHECK_EQ(c.rgid, 50u);
    CHECK_EQ(c.sgid, 50u);
    CHECK_EQ(c.fsgid, 50u);
    CHECK_EQ(c.euid, 0u); /* the uids stay */
}

static void test_setreuid(void)
{
    struct cred c = user(1000, 0, 0);
    /* Drop root temporarily: the effective id to the real one; saved stays 0. */
    CHECK_EQ(cred_setreuid(&c, NONE, 1000), 0);
    check_uids(&c, 1000, 1000, 0, 1000);
    CHECK_EQ(cred_setreuid(&c, NONE, 0), 0); /* and back, from the saved id */
    check_uids(&c, 1000, 0, 0, 0);
    /* Swap real and effective: the real id is set, so saved = new effective. */
    c = user(1000, 2000, 2000);
    CHECK_EQ(cred_setreuid(&c, 2000, 1000), 0);
    check_uids(&c, 2000, 1000, 1000, 1000);
    CHECK_EQ(cred_setreuid(&c, 3000, NONE), -EPERM);
    CHECK_EQ(cred_setreuid(&c, NONE, 3000), -EPERM);
    CHECK_EQ(cred_setreuid(&c, 1000, 3000), -EPERM); /* all or nothing */
    check_uids(&c, 2000, 1000, 1000, 1000);
    CHECK_EQ(cred_setreuid(&c, NONE, NONE), 0);
    c = user(0, 0, 0);
    CHECK_EQ(cred_setregid(&c, 7, 8), 0);
    CHECK_EQ(c.rgid, 7u);
    CHECK_EQ(c.egid, 8u);
    CHECK_EQ(c.sgid, 8u);
    CHECK_EQ(c.fsgid, 8u);
}

static void test_setresuid(void)
{
    struct cred c = user(1, 2, 3);
    CHECK_EQ(cred_setresuid(&c, 3, 1, 2), 0);
    check_uids(&c, 3, 1, 2, 1);
    CHECK_EQ(cred_setresuid(&c, NONE, NONE, 4), -EPERM);
    CHECK_EQ(cred_setresuid(&c, 4, NONE, NONE), -EPERM);
    check_uids(&c, 3, 1, 2, 1);
    CHECK_EQ(cred_setresuid(&c, NONE, NONE, NONE), 0);
    c = user(0, 0, 0);
    CHECK_EQ(cred_setresuid(&c, 10, 20, 30), 0);
    check_uids(&c, 10, 20, 30, 20);
    c = user(1, 0, 1); /* effective root may set any group ids */
    CHECK_EQ(cred_setresgid(&c, 40, 50, 60), 0);
    CHECK_EQ(c.rgid, 40u);
    CHECK_EQ(c.fsgid, 50u);
    c = user(1, 1, 1);
    CHECK_EQ(cred_setresgid(&c, 1, 1, 0), -EPERM);
}

static void test_setfsuid(void)
{
    struct cred c = user(1000, 1000, 1000);
    CHECK_EQ(cred_setfsuid(&c, 0), 1000u); /* refused: the old value all the same */
    CHECK_EQ(c.fsuid, 1000u);
    CHECK_EQ(cred_setfsuid(&c, NONE), 1000u);
    c = user(1000, 0, 0);
    CHECK_EQ(cred_setfsuid(&c, 1000), 0u);
    CHECK_EQ(cred_setfsuid(&c, 4242), 1000u); /* effective root: anything */
    CHECK_EQ(c.fsuid, 4242u);
    c = user(5, 5, 6);
    CHECK_EQ(cred_setfsgid(&c, 6), 5u);
    CHECK_EQ(cred_setfsgid(&c, 7), 6u);
    CHECK_EQ(c.fsgid, 6u);
}

static void test_groups(void)
{
    struct cred c;
    cred_root(&c);
    uint32_t g[CRED_GROUPS_MAX + 1] = {30, 10, 20, 10};
    CHECK_EQ(cred_setgroups(&c, 4, g), 0);
    CHECK_EQ(c.ngroups, 4u);
    CHECK_EQ(c.groups[0], 10u);
    CHECK_EQ(c.groups[1], 10u);
    CHECK_EQ(c.groups[2], 20u);
    CHECK_EQ(c.groups[3], 30u);
    CHECK(cred_in_group(&c, 20));
    CHECK(cred_in_group(&c, 0)); /* the fs gid */
    CHECK(!cred_in_group(&c, 25));
    CHECK_EQ(cred_setgroups(&c, CRED_GROUPS_MAX + 1, g), -EINVAL);
    CHECK_EQ(c.ngroups, 4u);
    CHECK_EQ(cred_setgroups(&c, 0, g), 0);
    CHECK_EQ(c.ngroups, 0u);
    c = user(1, 1, 1);
    CHECK_EQ(cred_setgroups(&c, 1, g), -EPERM);
}

static void test_exec(void)
{
    struct cred c = user(1000, 1000, 1000);
    CHECK(!cred_exec(&c, 0100755, 0, 0));
    check_uids(&c, 1000, 1000, 1000, 1000);
    CHECK(cred_exec(&c, 0104755, 0, 0)); /* set-user-ID root */
    check_uids(&c, 1000, 0, 0, 0);
    CHECK_EQ(c.egid, 1000u);
    c = user(1000, 1000, 1000);
    CHECK(!cred_exec(&c, 0102745, 0, 50)); /* set-group-ID without group execute: ignored */
    CHECK_EQ(c.egid, 1000u);
    CHECK(cred_exec(&c, 0102755, 0, 50));
    CHECK_EQ(c.egid, 50u);
    CHECK_EQ(c.sgid, 50u);
    CHECK_EQ(c.fsgid, 50u);
    CHECK_EQ(c.euid, 1000u);
    c = user(1000, 2000, 3000); /* the saved id becomes the effective one */
    cred_exec(&c, 0100755, 0, 0);
    check_uids(&c, 1000, 2000, 2000, 2000);
}

static void test_signal(void)
{
    struct cred root, a = user(1000, 1000, 1000), b = user(1001, 1001, 1001);
    cred_root(&root);
    CHECK(cred_may_signal(&root, &a));
    CHECK(cred_may_signal(&a, &a));
    CHECK(!cred_may_signal(&a, &b));
    CHECK(!cred_may_signal(&a, &root));
    struct cred suid = user(1000, 0, 0); /* a set-user-ID root program 1000 started */
    CHECK(cred_may_signal(&a, &suid));   /* by its real uid */
    struct cred e = user(1001, 1000, 1001);
    CHECK(!cred_may_signal(&a, &e)); /* the target's effective uid does not count */
    CHECK(cred_may_signal(&e, &a));  /* the sender's effective uid does */
}

int main(void)
{
    unit_run("cred", "setuid and setgid", test_setuid);
    unit_run("cred", "setreuid and setregid", test_setreuid);
    unit_run("cred", "setresuid and setresgid", test_setresuid);
    unit_run("cred", "setfsuid and setfsgid", test_setfsuid);
    unit_run("cred", "supplementary groups", test_groups);
    unit_run("cred", "set-user-ID and set-group-ID at execve", test_exec);
    unit_run("cred", "who may signal whom", test_signal);
    return unit_exit_code();
}
