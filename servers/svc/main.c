/*
 * svc - the supervisor's command-line tool: lists the servers init runs,
 * with their state, restart count and handles, and asks init to restart one.
 * Its command comes as its manifest args: "list", or "restart:NAME" (then it
 * lists again).  It talks to init only through the stubs generated from
 * idl/supervisor.idl.
 */
#include <mica.h>
#include <mica/string.h>
#include <server.h>
#include "supervisor_client.h"

static struct mica_ipc_buffer *ipc;

static const char *state_name(uint32_t s)
{
    switch (s) {
    case SUPERVISOR_STATE_RUNNING:
        return "running";
    case SUPERVISOR_STATE_WAITING:
        return "restarting";
    case SUPERVISOR_STATE_FAILED:
        return "failed";
    case SUPERVISOR_STATE_ENDED:
        return "ended";
    default:
        return "?";
    }
}

static int list(mica_handle_t sv)
{
    uint32_t n;
    int err = supervisor_count(sv, ipc, &n);
    if (err < 0) {
        mica_printf("svc: the supervisor does not answer (error %d)\n", err);
        return err;
    }
    mica_printf("svc: %-16s %-11s %8s %7s\n", "SERVER", "STATE", "RESTARTS", "HANDLES");
    for (uint32_t i = 0; i < n; i++) {
        char name[SUPERVISOR_NAME_MAX];
        uint32_t state, restarts, handles;
        if ((err = supervisor_info(sv, ipc, i, name, &state, &restarts, &handles)) < 0)
            return err;
        mica_printf("svc: %-16s %-11s %8u %7u\n", name, state_name(state), restarts, handles);
    }
    return 0;
}

int main(const struct mica_server_start *st)
{
    mica_handle_t sv = mica_start_handle(st, "supervisor");
    int64_t buf = mica_vmo_create(4096);
    const uint64_t at = 0x0000400000000000ull;
    if (buf < 0 || mica_vm_map(mica_start_handle(st, "self"), (mica_handle_t)buf, 0, at, 4096,
                               MICA_PROT_READ | MICA_PROT_WRITE) < 0) {
        mica_printf("svc: no memory for an IPC buffer\n");
        return 1;
    }
    ipc = (struct mica_ipc_buffer *)at;
    mica_thread_set_ipc_buffer(MICA_THREAD_SELF, ipc);
    if (strncmp(st->args, "restart:", 8) == 0) {
        int err = supervisor_restart(sv, ipc, st->args + 8);
        mica_printf("svc: restart %s: %s\n", st->args + 8,
                    err == 0              ? "done"
                    : err == -MICA_ENOENT ? "no such server"
                    : err == -MICA_EPERM  ? "not allowed"
                                          : "failed");
    }
    return list(sv) < 0 ? 1 : 0;
}
