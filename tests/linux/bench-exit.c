/*
 * bench-exit.c - the tiny static program that bench.c's fork+execve
 * benchmark executes (concept: the cost of loading a program): it exits
 * at once with status 0.
 */
int main(void)
{
    return 0;
}
