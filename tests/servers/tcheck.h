/*
 * tcheck.h - counting checks in the driver test clients (tests/servers):
 * CHECK(cond) and CHECK_EQ(a, b) count a check, and print a failed one as
 * "NAME: FAILED line L: ..." with the client's name from tc_init().
 */
#ifndef TESTS_TCHECK_H
#define TESTS_TCHECK_H

#include <stdbool.h>
#include <stdint.h>

extern unsigned tc_checks, tc_failures;

void tc_init(const char *name);
void tc_check(bool ok, const char *what, int line);
void tc_check_eq(int64_t a, int64_t b, const char *what, int line);

#define CHECK(cond)    tc_check((cond), #cond, __LINE__)
#define CHECK_EQ(a, b) tc_check_eq((int64_t)(a), (int64_t)(b), #a, __LINE__)

#endif
