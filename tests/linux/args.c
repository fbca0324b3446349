/*
 * args.c - the initial stack as a program sees it: arguments, environment
 * and the auxiliary vector's stable facts; exits with status argc.
 */
#include <stdio.h>
#include <sys/auxv.h>

extern char **environ;

int main(int argc, char **argv)
{
    printf("argc %d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d] \"%s\"\n", i, argv[i]);
    if (argv[argc] != NULL)
        printf("argv is not NULL-terminated\n");
    int n = 0;
    for (char **e = environ; *e; e++)
        printf("env[%d] \"%s\"\n", n++, *e);
    printf("page size %lu\n", getauxval(AT_PAGESZ));
    printf("program headers: %s\n", getauxval(AT_PHDR) && getauxval(AT_PHNUM) ? "yes" : "no");
    printf("entry point given: %s\n", getauxval(AT_ENTRY) ? "yes" : "no");
    printf("random bytes given: %s\n", getauxval(AT_RANDOM) ? "yes" : "no");
    printf("secure mode: %lu\n", getauxval(AT_SECURE));
    printf("clock ticks: %lu\n", getauxval(AT_CLKTCK));
    const char *fn = (const char *)getauxval(AT_EXECFN);
    printf("execfn given: %s\n", fn && fn[0] == '/' ? "yes" : "no"); /* the path, not argv[0] */
    printf("stack aligned: %s\n",
           ((unsigned long)__builtin_frame_address(0) & 15) == 0 ? "yes" : "no");
    return argc;
}
