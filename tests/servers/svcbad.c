/*
 * svcbad.c - malformed requests to the supervisor itself (tests/system, case
 * "supervisor-service"): init must answer each with an error and go on
 * supervising - a client that could crash or confuse the supervisor would
 * take the whole system with it.
 */
#include <mica.h>
#include <runtime.h>
#include <server.h>
#include <thread.h>
#include "rawcall.h"
#include "supervisor_client.h"

int main(const struct mica_server_start *st)
{
    mica_handle_t sv = mica_start_handle(st, "supervisor");
    mica_runtime_init(mica_start_handle(st, "self"));
    struct mica_ipc_buffer *ipc = mica_thread_ipc_buffer();
    unsigned bad = 0;
    const uint64_t zero[4] = {0, 0, 0, 0}, big[4] = {1ull << 40, 0, 0, 0};
    const uint64_t long_name[4] = {SUPERVISOR_NAME_MAX + 1, 0, 0, 0}, past[4] = {999, 0, 0, 0};
    const uint64_t nuls[4] = {8, 0, 0, 0};
    raw_expect("svcbad", "an unknown label",
               raw_call(sv, ipc, SUPERVISOR_LABEL_BASE + 99, 0, 0, zero), MICA_ENOSYS, &bad);
    raw_expect("svcbad", "a kernel label", raw_call(sv, ipc, 0, 0, 0, zero), MICA_ENOSYS, &bad);
    raw_expect("svcbad", "count with a buffer word",
               raw_call(sv, ipc, SUPERVISOR_LABEL_COUNT, 1, 0, zero), MICA_EINVAL, &bad);
    raw_expect("svcbad", "count with a handle",
               raw_call(sv, ipc, SUPERVISOR_LABEL_COUNT, 0, 1, zero), MICA_EINVAL, &bad);
    raw_expect("svcbad", "info with an index beyond 32 bits",
               raw_call(sv, ipc, SUPERVISOR_LABEL_INFO, 0, 0, big), MICA_EINVAL, &bad);
    raw_expect("svcbad", "info past the end", raw_call(sv, ipc, SUPERVISOR_LABEL_INFO, 0, 0, past),
               MICA_ENOENT, &bad);
    raw_expect("svcbad", "restart with a name longer than its bound",
               raw_call(sv, ipc, SUPERVISOR_LABEL_RESTART, 4, 0, long_name), MICA_EINVAL, &bad);
    raw_expect("svcbad", "restart with a name of eight NUL bytes",
               raw_call(sv, ipc, SUPERVISOR_LABEL_RESTART, 1, 0, nuls), MICA_EINVAL, &bad);
    raw_expect("svcbad", "restart without the admin right", supervisor_restart(sv, ipc, "counter"),
               -MICA_EPERM, &bad);
    uint32_t n = 0;
    raw_expect("svcbad", "and the supervisor still answers", supervisor_count(sv, ipc, &n), 0,
               &bad);
    mica_printf("svcbad: %u wrong answers\n", bad);
    return bad ? 1 : 0;
}
