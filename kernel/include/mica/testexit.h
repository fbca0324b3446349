/*
 * testexit.h - how a test boot ends QEMU with a verdict.
 *
 * When the kernel command line has `mica.exit`, the kernel leaves QEMU through
 * its isa-debug-exit device once it is done (ready, self-tests run) or when it
 * panics.  QEMU's exit status is (code << 1) | 1, so the test harness sees
 * 33 for pass, 35 for fail and 37 for panic.
 */
#ifndef MICA_TESTEXIT_H
#define MICA_TESTEXIT_H

#include <stdint.h>

#define TEST_EXIT_PASS  0x10
#define TEST_EXIT_FAIL  0x11
#define TEST_EXIT_PANIC 0x12

void test_exit_enable(void);
void test_exit_if_requested(uint32_t code);

#endif
