/*
 * hello.c - the smallest Linux test program: output through stdio, a
 * thread-local variable (musl sets up TLS with arch_prctl(ARCH_SET_FS) before
 * main), and exit status 0.  Built static (ET_EXEC) and static-pie (ET_DYN).
 */
#include <stdio.h>

static __thread int calls = 41;

int main(void)
{
    calls++;
    printf("hello, world\n");
    printf("thread-local variable: %d\n", calls);
    return 0;
}
