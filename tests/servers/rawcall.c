/*
 * rawcall.c - hand-made requests that break an interface (see rawcall.h).
 */
#include "rawcall.h"
#include <mica/string.h>

int64_t raw_call(mica_handle_t ep, struct mica_ipc_buffer *ipc, uint32_t label, unsigned words,
                 unsigned handles, const uint64_t w[4])
{
    for (unsigned i = 0; i < words; i++)
        ipc->words[i] = 0;
    for (unsigned i = 0; i < handles; i++) {
        int64_t n = mica_notify_create();
        if (n < 0)
            return n;
        ipc->handles[i] = (mica_handle_t)n;
    }
    struct mica_msg m = {0, mica_tag(label, words, handles), {w[0], w[1], w[2], w[3]}};
    int64_t r = mica_call(ep, &m);
    if (r < 0)
        return r;
    return mica_tag_label(m.tag);
}

void raw_expect(const char *name, const char *what, int64_t got, int64_t want, unsigned *bad)
{
    mica_printf("%s: %s -> error %ld (expected %ld)\n", name, what, (long)got, (long)want);
    if (got != want)
        (*bad)++;
}
