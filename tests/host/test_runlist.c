/*
 * test_runlist.c - the posix server's run list (servers/posix/runlist.c):
 * comments, environment words, arguments, and lines it must refuse.
 */
#include <string.h>
#include "../../servers/posix/runlist.h"
#include "unit.h"

static struct command c;

static void test_lines(void)
{
    const char *list = "# the tests\n\n   \n"
                       "/bin/hello\n"
                       "HOME=/ X=a=b  /bin/args one  two\t=three\r\n"
                       "/bin/last x=1";
    uint64_t off = 0, len = strlen(list);
    CHECK_EQ(runlist_next(list, len, &off, &c), 1);
    CHECK_EQ(c.argc, 1);
    CHECK_EQ(c.envc, 0);
    CHECK(strcmp(c.argv[0], "/bin/hello") == 0 && c.argv[1] == NULL);
    CHECK_EQ(runlist_next(list, len, &off, &c), 1);
    CHECK_EQ(c.envc, 2);
    CHECK(strcmp(c.env[0], "HOME=/") == 0 && strcmp(c.env[1], "X=a=b") == 0);
    CHECK(c.env[2] == NULL);
    CHECK_EQ(c.argc, 4);
    CHECK(strcmp(c.argv[1], "one") == 0 && strcmp(c.argv[2], "two") == 0);
    CHECK(strcmp(c.argv[3], "=three") == 0); /* after the program every word is an argument */
    CHECK_EQ(runlist_next(list, len, &off, &c), 1);
    CHECK_EQ(c.argc, 2);
    CHECK(strcmp(c.argv[1], "x=1") == 0);
    CHECK_EQ(runlist_next(list, len, &off, &c), 0);
    CHECK_EQ(runlist_next(list, len, &off, &c), 0);
}

static void test_bad(void)
{
    static char list[2000];
    memset(list, 'a', sizeof list - 1);
    uint64_t off = 0;
    CHECK_EQ(runlist_next(list, strlen(list), &off, &c), -1); /* too long */
    CHECK_EQ(runlist_next(list, strlen(list), &off, &c), 0);  /* and skipped */
    off = 0;
    CHECK_EQ(runlist_next("A=1 B=2\n/bin/x\n", 15, &off, &c), -1); /* no program */
    CHECK_EQ(runlist_next("A=1 B=2\n/bin/x\n", 15, &off, &c), 1);
    char many[RUNLIST_WORDS_MAX * 2 + 8];
    for (int i = 0; i < RUNLIST_WORDS_MAX; i++)
        memcpy(many + 2 * i, "w ", 2);
    many[2 * RUNLIST_WORDS_MAX] = 0;
    off = 0;
    CHECK_EQ(runlist_next(many, strlen(many), &off, &c), -1);
}

int main(void)
{
    unit_run("runlist", "lines", test_lines);
    unit_run("runlist", "bad", test_bad);
    return unit_exit_code();
}
