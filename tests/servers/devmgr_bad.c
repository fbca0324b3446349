/*
 * devmgr_bad.c - malformed and refused requests to the device manager
 * (tests/system, case "devmgr-edu"): each gets its error reply, and devmgr
 * keeps serving.
 */
#include <mica.h>
#include <runtime.h>
#include <server.h>
#include <thread.h>
#include "devmgr_client.h"

static unsigned failures;

static void expect(int64_t got, int64_t want, const char *what)
{
    mica_printf("devmgr_bad: %s: %ld%s\n", what, got, got == want ? "" : " - WRONG");
    failures += got != want;
}

/* A raw request: label, w0 (and three more register words of zeros), buffer words, no handles. */
static int64_t raw(mica_handle_t ep, uint64_t label, unsigned buffer_words, uint64_t w0)
{
    struct mica_msg m = {0, mica_tag(label, buffer_words, 0), {w0, 0, 0, 0}};
    int64_t r = mica_call(ep, &m);
    return r < 0 ? r : -(int64_t)(m.tag >> MICA_TAG_LABEL_SHIFT);
}

int main(const struct mica_server_start *st)
{
    mica_handle_t dm = mica_start_handle(st, "devmgr");
    mica_runtime_init(mica_start_handle(st, "self"));
    struct mica_ipc_buffer *ipc = mica_thread_ipc_buffer();
    uint32_t id, count, n;
    char name[DEVMGR_NAME_MAX];
    mica_handle_t h;
    int64_t note = mica_notify_create(), vmo = mica_vmo_create(4096);
    expect(devmgr_claim(dm, ipc, 0xdead, 0xbeef, 0, "x", (mica_handle_t)note, 0, &id, &count),
           -MICA_ENOENT, "claiming a device that is not there");
    note = mica_notify_create();
    expect(devmgr_claim(dm, ipc, 0x1234, 0x11e8, 0, "x", (mica_handle_t)note, 0, &id, &count),
           -MICA_EBUSY, "claiming the device the edu driver holds");
    note = mica_notify_create();
    expect(devmgr_claim(dm, ipc, 0x1234, 0x11e8, 1, "x", (mica_handle_t)note, 0, &id, &count),
           -MICA_ENOENT, "claiming a second edu");
    expect(devmgr_claim(dm, ipc, 0x1234, 0x11e8, 0, "x", (mica_handle_t)vmo, 0, &id, &count),
           -MICA_EBADF, "a VM object where the notification belongs");
    expect(devmgr_handle(dm, ipc, 9999, 0, name, &h), -MICA_ENOENT, "a handle of no device");
    expect(devmgr_handle(dm, ipc, 0, 0, name, &h), -MICA_ENOENT, "a handle of an unclaimed device");
    expect(devmgr_info(dm, ipc, 9999, &n, &n, &n, &n, &n, &n, &n, &n, name), -MICA_ENOENT,
           "info past the end");
    expect(raw(dm, DEVMGR_LABEL_BASE + 77, 0, 0), -MICA_ENOSYS, "an unknown label");
    expect(raw(dm, DEVMGR_LABEL_INFO, 1, 0), -MICA_EINVAL, "info with a word too many");
    expect(raw(dm, DEVMGR_LABEL_INFO, 0, 1ull << 40), -MICA_EINVAL, "an index beyond 32 bits");
    expect(raw(dm, DEVMGR_LABEL_INFO, 0, 0), 0, "a well-formed raw info request");
    expect(raw(dm, DEVMGR_LABEL_CLAIM, 2, 0x1234), -MICA_EINVAL, "claim without its handle");
    expect(devmgr_count(dm, ipc, &n), 0, "devmgr still answers");
    mica_printf("devmgr_bad: %u wrong answers\n", failures);
    return failures ? 1 : 0;
}
