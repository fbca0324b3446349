/*
 * tests_console.c - the kernel log handed to a console driver
 * (SYS_CONSOLE_TAKE, SYS_CONSOLE_READ; kernel/core/console_handover.c): the
 * root task plays the driver - it proves it owns the UART with its port
 * range, reads back what is logged meanwhile, and gives the console back.
 */
#include <print.h>
#include <mica/string.h>
#include "rt.h"
#include "tests.h"

#define LOG_BIT 0x100u

static int contains(const char *hay, int64_t n, const char *needle)
{
    for (int64_t i = 0; i + (int64_t)strlen(needle) <= n; i++)
        if (memcmp(hay + i, needle, strlen(needle)) == 0)
            return 1;
    return 0;
}

/* Taken: a logged line comes to us whole (and so not to the UART), the bit is signalled. */
static void console_take_and_read(void)
{
    int64_t n = mica_notify_create();
    RT_CHECK(n > 0);
    RT_EQ(mica_console_take(rt_ioports, (mica_handle_t)n, LOG_BIT), 0);
    const char line[] = "console test: this line goes to the driver\n";
    RT_EQ(mica_write(line, sizeof line - 1), (int)sizeof line - 1);
    RT_EQ(mica_notify_wait_timed((mica_handle_t)n, 1000000000ull), (int64_t)LOG_BIT);
    static char buf[1024];
    int64_t got = mica_console_read(buf, sizeof buf);
    RT_CHECK(got >= (int64_t)sizeof line - 1);
    RT_CHECK(contains(buf, got, line));
    RT_EQ(mica_console_read(buf, sizeof buf), 0); /* nothing more */
    /* A small buffer: whole lines only while one fits, else a piece. */
    RT_EQ(mica_write("ab\ncdefgh\n", 10), 10);
    RT_EQ(mica_console_read(buf, 5), 3); /* "ab\n": "cd" would cut a line */
    RT_CHECK(memcmp(buf, "ab\n", 3) == 0);
    RT_EQ(mica_console_read(buf, 4), 4); /* a line longer than the buffer: in pieces */
    RT_EQ(mica_console_read(buf, 100), 3);
    RT_CHECK(memcmp(buf, "gh\n", 3) == 0);
    RT_EQ(mica_console_take(rt_ioports, 0, 0), 0); /* given back */
    RT_EQ(mica_console_read(buf, sizeof buf), -MICA_EPERM);
    mica_printf("console test: and this one to the UART again\n");
    RT_EQ(mica_handle_close((mica_handle_t)n), 0);
}

/* Refused: ports that do not hold the UART, a wrong handle, no bits, too much, not ours. */
static void console_take_errors(void)
{
    int64_t n = mica_notify_create(), other = mica_ioport_create(rt_ioports, 0x2f8, 8);
    RT_CHECK(n > 0 && other > 0);
    char buf[8];
    RT_EQ(mica_console_read(buf, sizeof buf), -MICA_EPERM); /* not taken by us */
    RT_EQ(mica_console_take((mica_handle_t)other, (mica_handle_t)n, LOG_BIT), -MICA_EACCES);
    RT_EQ(mica_console_take((mica_handle_t)n, (mica_handle_t)n, LOG_BIT),
          -MICA_EINVAL); /* wrong type */
    RT_EQ(mica_console_take(rt_ioports, rt_ioports, LOG_BIT), -MICA_EINVAL);
    RT_EQ(mica_console_take(0x7fffffff, (mica_handle_t)n, LOG_BIT), -MICA_EBADF);
    RT_EQ(mica_console_take(rt_ioports, (mica_handle_t)n, 0), -MICA_EINVAL);
    RT_EQ(mica_console_take(rt_ioports, (mica_handle_t)n, LOG_BIT), 0);
    RT_EQ(mica_console_read(buf, 1025), -MICA_EINVAL);
    RT_EQ(mica_console_read((char *)8, 1), 0); /* nothing to copy: a bad pointer is not touched */
    RT_EQ(mica_console_take(rt_ioports, 0, 0), 0);
    RT_EQ(mica_handle_close((mica_handle_t)other), 0);
    RT_EQ(mica_handle_close((mica_handle_t)n), 0);
}

const struct rt_test rt_console_tests[] = {
    {"console_take_and_read", console_take_and_read},
    {"console_take_errors", console_take_errors},
};
const unsigned rt_console_test_count = sizeof rt_console_tests / sizeof rt_console_tests[0];
