/*
 * server.h - how a server started by the supervisor (servers/init) finds its
 * name, its arguments and its handles.
 *
 * The supervisor builds a struct mica_server_start at the top of the new
 * server's stack and enters it with rdi pointing there, so main() receives
 * it as its argument.  Every handle is listed under the name the boot
 * manifest gave it: "console" for the endpoint of a service the server
 * provides or uses, "irq" and "irq_note" for its interrupt line, "phys" for
 * its device memory, "supervisor" for the supervisor's own service.
 */
#ifndef MICA_SERVER_H
#define MICA_SERVER_H

#include <stdint.h>
#include <abi/mica/syscall.h>

#define MICA_START_MAGIC    0x7472617473616369ull /* "icastart" */
#define MICA_START_HANDLES  24
#define MICA_START_NAME_MAX 24
#define MICA_START_ARGS_MAX 200

struct mica_start_handle {
    char name[MICA_START_NAME_MAX]; /* NUL-terminated */
    mica_handle_t handle;           /* in the server's own handle table */
    uint32_t pad;
};

struct mica_server_start {
    uint64_t magic; /* MICA_START_MAGIC */
    char name[MICA_START_NAME_MAX];
    uint32_t restarts; /* how many times this server was started before */
    uint32_t nhandles;
    struct mica_start_handle handles[MICA_START_HANDLES];
    char args[MICA_START_ARGS_MAX]; /* the manifest's args=..., NUL-terminated */
    struct mica_platform platform;  /* facts about the machine (PCI window, framebuffer) */
};

/* The handle listed under name, or 0 if there is none. */
mica_handle_t mica_start_handle(const struct mica_server_start *s, const char *name);

#endif
