/*
 * test_reclock.c - POSIX record locks (servers/posix/reclock.c): shared
 * and exclusive ranges of two processes, a process's own locks replacing,
 * splitting and merging, unlocking parts, "to the end of the file", the
 * release at close and at exit.
 */
#include <errno.h>
#include "../../servers/posix/reclock.h"
#include "unit.h"

static struct vnode a, b; /* two files (only their addresses matter) */
static int changes;

static void count_change(void)
{
    changes++;
}

static void test_conflicts(void)
{
    CHECK_EQ(reclock_set(&a, 1, RECLOCK_READ, 0, 100), 0);
    CHECK_EQ(reclock_set(&a, 2, RECLOCK_READ, 50, 150), 0); /* shared with shared */
    CHECK_EQ(reclock_set(&a, 3, RECLOCK_WRITE, 90, 95), -EAGAIN);
    CHECK_EQ(reclock_set(&a, 3, RECLOCK_WRITE, 150, RECLOCK_EOF), 0); /* touching is fine */
    CHECK_EQ(reclock_set(&b, 3, RECLOCK_WRITE, 0, RECLOCK_EOF), 0);   /* another file */
    const struct reclock *c = reclock_conflict(&a, 4, RECLOCK_READ, 0, 1000);
    CHECK(c != 0 && c->pid == 3 && c->start == 150 && c->end == RECLOCK_EOF);
    CHECK(reclock_conflict(&a, 4, RECLOCK_READ, 0, 150) == 0);
    CHECK(reclock_conflict(&a, 1, RECLOCK_WRITE, 0, 50) == 0); /* its own */
    c = reclock_conflict(&a, 1, RECLOCK_WRITE, 0, 60);
    CHECK(c != 0 && c->pid == 2);
    CHECK_EQ(reclock_set(&a, 1, RECLOCK_WRITE, 0, 60), -EAGAIN);
    CHECK_EQ(reclock_set(&a, 1, RECLOCK_WRITE, 0, 50), 0); /* upgrade its own part */
    reclock_release(0, 1);
    reclock_release(0, 2);
    reclock_release(0, 3);
    CHECK_EQ(reclock_count(), 0u);
}

static void test_own_locks(void)
{
    CHECK_EQ(reclock_set(&a, 1, RECLOCK_WRITE, 0, 100), 0);
    CHECK_EQ(reclock_set(&a, 1, RECLOCK_UNLOCK, 40, 60), 0); /* split in two */
    CHECK_EQ(reclock_count(), 2u);
    CHECK(reclock_conflict(&a, 2, RECLOCK_READ, 40, 60) == 0);
    CHECK(reclock_conflict(&a, 2, RECLOCK_READ, 39, 40) != 0);
    CHECK(reclock_conflict(&a, 2, RECLOCK_READ, 60, 61) != 0);
    CHECK_EQ(reclock_set(&a, 1, RECLOCK_WRITE, 40, 60), 0); /* merged back into one */
    CHECK_EQ(reclock_count(), 1u);
    CHECK_EQ(reclock_set(&a, 1, RECLOCK_READ, 10, 20), 0); /* a read lock inside: three */
    CHECK_EQ(reclock_count(), 3u);
    CHECK_EQ(reclock_set(&a, 2, RECLOCK_READ, 10, 20), 0);
    CHECK_EQ(reclock_set(&a, 2, RECLOCK_READ, 20, 21), -EAGAIN);
    CHECK_EQ(reclock_set(&a, 1, RECLOCK_UNLOCK, 0, RECLOCK_EOF), 0);
    CHECK_EQ(reclock_count(), 1u);                         /* pid 2's */
    CHECK_EQ(reclock_set(&a, 2, RECLOCK_UNLOCK, 5, 6), 0); /* nothing there: fine */
    CHECK_EQ(reclock_set(&b, 2, RECLOCK_WRITE, 0, 1), 0);
    reclock_release(&a, 2); /* closing a descriptor of a: only a's locks go */
    CHECK_EQ(reclock_count(), 1u);
    reclock_release(0, 2);
    CHECK_EQ(reclock_count(), 0u);
}

/* A waiting F_SETLKW is woken by every change that may free bytes. */
static void test_change_notice(void)
{
    reclock_on_change = count_change;
    changes = 0;
    CHECK_EQ(reclock_set(&a, 1, RECLOCK_WRITE, 0, 10), 0);
    CHECK_EQ(changes, 1);
    CHECK_EQ(reclock_set(&a, 2, RECLOCK_WRITE, 0, 10), -EAGAIN); /* refused: nothing changed */
    CHECK_EQ(changes, 1);
    CHECK_EQ(reclock_set(&a, 1, RECLOCK_READ, 0, 10), 0); /* a downgrade */
    CHECK_EQ(changes, 2);
    CHECK_EQ(reclock_set(&a, 1, RECLOCK_UNLOCK, 0, 5), 0);
    CHECK_EQ(changes, 3);
    reclock_release(&b, 1); /* nothing held there: no notice */
    CHECK_EQ(changes, 3);
    reclock_release(0, 1);
    CHECK_EQ(changes, 4);
    reclock_on_change = 0;
}

static void test_many(void)
{
    for (int i = 0; i < 100; i++)
        CHECK_EQ(reclock_set(&a, 1, i % 2 ? RECLOCK_READ : RECLOCK_WRITE, 2 * i, 2 * i + 1), 0);
    CHECK_EQ(reclock_count(), 100u);
    CHECK_EQ(reclock_set(&a, 1, RECLOCK_WRITE, 0, 200), 0); /* all replaced by one */
    CHECK_EQ(reclock_count(), 1u);
    reclock_release(0, 1);
}

int main(void)
{
    unit_run("reclock", "conflicts between processes", test_conflicts);
    unit_run("reclock", "a process's own locks", test_own_locks);
    unit_run("reclock", "the change notice", test_change_notice);
    unit_run("reclock", "many ranges", test_many);
    return unit_exit_code();
}
