/*
 * counter.c - a test server that crashes on purpose (tests/system, case
 * "supervisor-restart").
 *
 * It answers calls on its endpoint "counter": w0 = n comes back as n + 1.
 * After answering `args` calls in one life it takes the next call and then
 * dereferences a null pointer - with the caller still waiting for its reply.
 * The supervisor restarts it with the same endpoint; the client must see
 * every request answered.  A call labelled 2 makes it exit cleanly.
 * With args=port it reads a keyboard port it was never given, at once:
 * the CPU refuses (a general protection fault), as for any driver that
 * strays outside its ports.
 */
#include <mica.h>
#include <server.h>
#include <str.h>

int main(const struct mica_server_start *st)
{
    mica_handle_t ep = mica_start_handle(st, "counter");
    if (st->args[0] == 'p') {
        mica_printf("counter: reading port 0x60, which is not mine\n");
        uint8_t v;
        __asm__ volatile("inb $0x60, %0" : "=a"(v));
        mica_printf("counter: read %u from port 0x60 - that must not happen\n", v);
    }
    uint64_t life = strtoul(st->args, 0, 10), served = 0;
    mica_printf("counter: started (life %u), answering %lu calls before it crashes\n", st->restarts,
                life);
    struct mica_msg m;
    if (mica_recv(ep, &m) < 0)
        return 1;
    for (;;) {
        if ((m.tag >> MICA_TAG_LABEL_SHIFT) == 2) {
            struct mica_msg bye = {0, 0, {0, 0, 0, 0}};
            mica_reply(&bye);
            mica_printf("counter: asked to stop\n");
            return 0;
        }
        if (served == life)
            *(volatile int *)0 = 1; /* the crash, with a caller waiting */
        served++;
        m.w[0] += 1;
        m.tag = 0;
        if (mica_reply_recv(ep, &m) < 0)
            return 1;
    }
}
