/*
 * fault.c - a program that writes through a null pointer: Linux kills it
 * with SIGSEGV, and so must Mica's posix server.
 */
#include <stdio.h>

int main(void)
{
    printf("about to write to address 0\n");
    fflush(stdout);
    *(volatile int *)0 = 1;
    printf("still alive\n");
    return 0;
}
