/*
 * client.c - a test client of tests/servers/counter.c: it makes `args`
 * numbered calls and checks that each is answered correctly, calling again
 * when the server died while holding its call (-EPIPE).  Then it asks the
 * counter to stop and reports.
 */
#include <mica.h>
#include <server.h>
#include <str.h>

int main(const struct mica_server_start *st)
{
    mica_handle_t ep = mica_start_handle(st, "counter");
    uint64_t calls = strtoul(st->args, 0, 10), retried = 0, wrong = 0;
    for (uint64_t i = 0; i < calls; i++) {
        struct mica_msg m = {0, mica_tag(1, 0, 0), {i * 7, 0, 0, 0}};
        int64_t r;
        while ((r = mica_call(ep, &m)) == -MICA_EPIPE) {
            retried++; /* the server died with our call: ask its successor */
            m = (struct mica_msg){0, mica_tag(1, 0, 0), {i * 7, 0, 0, 0}};
        }
        if (r < 0 || m.w[0] != i * 7 + 1)
            wrong++;
    }
    struct mica_msg stop = {0, mica_tag(2, 0, 0), {0, 0, 0, 0}};
    mica_call(ep, &stop);
    mica_printf("client: %lu calls, %lu answered wrongly, %lu repeated after a server crash\n",
                calls, wrong, retried);
    return wrong ? 1 : 0;
}
