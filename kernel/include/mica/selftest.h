/*
 * selftest.h - in-kernel self-tests, run at boot with the option `mica.selftest`.
 *
 * Each test returns 0 on success or prints why it failed (pr_err) and returns
 * non-zero.  Tests that matter on several CPUs run on all of them at once.
 */
#ifndef MICA_SELFTEST_H
#define MICA_SELFTEST_H

struct selftest {
    const char *name;
    int (*run)(void);
};

/* Runs every test, prints one line per test and a summary; returns the number failed. */
unsigned selftest_run_all(void);

/* The architecture's own tests (kernel/arch/.../selftest_arch.c). */
extern const struct selftest arch_selftests[];
extern const unsigned arch_selftest_count;

#endif
