/*
 * cred.h - a process's credentials and the rules for changing them
 * (servers/posix/cred.c) (concepts: users and groups, real / effective /
 * saved ids, the superuser).
 *
 * As on Linux, a process has four user ids and four group ids:
 *  - the real id: who started it (kill and access() look at it);
 *  - the effective id: whose rights it uses (the "am I root?" of the
 *    set*id calls is "is the effective uid 0?");
 *  - the saved id: what a set-user-ID program was run with, so that it
 *    may drop its rights and take them back later;
 *  - the file-system id: whose rights file accesses use; it follows the
 *    effective id unless setfsuid/setfsgid set it apart.
 * Supplementary groups complete the group ids a file's group is compared
 * with.  Linux's capabilities are not modelled: a process is privileged
 * (CAP_SETUID, CAP_SETGID, CAP_KILL) while its effective uid is 0, and its
 * file accesses are privileged (CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_CHOWN,
 * ...) while its file-system uid is 0 - which is what the capability
 * rules of Linux come to for programs that do not use capabilities.
 * Pure code: the host tests run it (tests/host/test_cred.c).
 */
#ifndef POSIX_CRED_H
#define POSIX_CRED_H

#include <stdbool.h>
#include <stdint.h>

#define CRED_GROUPS_MAX 64          /* supplementary groups (Linux's NGROUPS_MAX is 65536) */
#define CRED_NONE       0xffffffffu /* (uid_t)-1: "leave this id as it is" */

struct cred {
    uint32_t ruid, euid, suid, fsuid;
    uint32_t rgid, egid, sgid, fsgid;
    uint32_t ngroups;
    uint32_t groups[CRED_GROUPS_MAX]; /* sorted, as Linux keeps them */
};

/* Everything 0: root, as the run-list programs start. */
void cred_root(struct cred *c);

/* Is gid the file-system gid or one of the supplementary groups? */
bool cred_in_group(const struct cred *c, uint32_t gid);

/* setuid, setgid: root sets all of real, effective, saved (and fs); others may set the
 * effective (and fs) id to the real or saved one.  0, -EINVAL (-1), -EPERM. */
int cred_setuid(struct cred *c, uint32_t uid);
int cred_setgid(struct cred *c, uint32_t gid);

/* setreuid, setregid (CRED_NONE: unchanged): the real id may become the real or effective
 * one, the effective id the real, effective or saved one; if the real id is set, or the
 * effective one becomes other than the old real one, the saved id becomes the new
 * effective one.  0 or -EPERM (nothing changed). */
int cred_setreuid(struct cred *c, uint32_t r, uint32_t e);
int cred_setregid(struct cred *c, uint32_t r, uint32_t e);

/* setresuid, setresgid: each id given may become any of the three old ones (root: any
 * value).  0 or -EPERM. */
int cred_setresuid(struct cred *c, uint32_t r, uint32_t e, uint32_t s);
int cred_setresgid(struct cred *c, uint32_t r, uint32_t e, uint32_t s);

/* setfsuid, setfsgid: the old file-system id, always; the new one is taken if root or one
 * of the real, effective, saved or current file-system ids. */
uint32_t cred_setfsuid(struct cred *c, uint32_t uid);
uint32_t cred_setfsgid(struct cred *c, uint32_t gid);

/* setgroups: only root (-EPERM); at most CRED_GROUPS_MAX (-EINVAL). */
int cred_setgroups(struct cred *c, uint32_t n, const uint32_t *groups);

/* execve of a file with mode, owned by uid:gid: a set-user-ID file makes its owner the
 * effective uid, a set-group-ID file with group execute its group the effective gid; then
 * the saved and fs ids are the effective ones.  True if the effective ids now differ from
 * the real ones (the program runs with rights its caller lacks: AT_SECURE). */
bool cred_exec(struct cred *c, uint32_t mode, uint32_t uid, uint32_t gid);

/* May a process with credentials from send a signal to one with to?  Root (effective uid 0)
 * may signal anyone; others need their real or effective uid to be the target's real or
 * saved uid. */
bool cred_may_signal(const struct cred *from, const struct cred *to);

#endif
