/*
 * unit.h - a minimal unit-test framework for host tests of generic kernel code.
 *
 * A test file defines test functions and calls unit_run() on each from main().
 * Every failed CHECK prints its place and condition; unit_run() then prints
 * one line per test, "PASS: suite/name" or "FAIL: suite/name", which
 * `make check` counts.  main() returns unit_exit_code().
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>

extern int unit_failed_checks;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);             \
            unit_failed_checks++;                                                                  \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        long long unit_a_ = (long long)(a), unit_b_ = (long long)(b);                              \
        if (unit_a_ != unit_b_) {                                                                  \
            fprintf(stderr, "  %s:%d: check failed: %s == %s (%lld != %lld)\n", __FILE__,          \
                    __LINE__, #a, #b, unit_a_, unit_b_);                                           \
            unit_failed_checks++;                                                                  \
        }                                                                                          \
    } while (0)

void unit_run(const char *suite, const char *name, void (*fn)(void));
int unit_exit_code(void);

#endif
