/* testexit.c - leaving QEMU with a verdict in test runs (see testexit.h). */
#include <stdbool.h>
#include <mica/testexit.h>
#include <arch/arch.h>

static bool exit_requested;

void test_exit_enable(void)
{
    exit_requested = true;
}

void test_exit_if_requested(uint32_t code)
{
    if (exit_requested)
        arch_qemu_exit(code);
}
