/*
 * supervisor.h - the supervisor's view of the servers it runs
 * (servers/init/supervisor.c).
 */
#ifndef INIT_SUPERVISOR_H
#define INIT_SUPERVISOR_H

#include <stdbool.h>
#include <stdint.h>
#include "manifest.h"
#include "spawn.h"

#define SERVER_DEV_HANDLES 14 /* cfg, 6 BARs, 4 vectors, dma, and spare */

enum server_state {
    SERVER_RUNNING,
    SERVER_WAITING, /* dead; restarted at restart_at */
    SERVER_FAILED,  /* dead for good: could not be loaded, or restarted too often */
    SERVER_ENDED,   /* exited by itself: done */
};

struct server {
    const struct manifest_server *m;
    enum server_state state;
    struct process proc;
    unsigned restarts;       /* starts after the first */
    unsigned crash_restarts; /* of them, after a crash: these count against the limit */
    uint64_t started_at;     /* ns since boot */
    uint64_t restart_at;     /* when waiting */
    uint64_t backoff_ns;     /* the wait before the next restart */
    mica_handle_t fault_ep;  /* badged: its threads' faults reach us */
    mica_handle_t client_ep; /* badged: its requests to us */
    mica_handle_t irq[MANIFEST_IRQS], irq_note;
    mica_handle_t ports[MANIFEST_PORT_RANGES], phys, fb;
    /* device=: what the device manager handed over for its PCI function */
    bool claimed;
    bool device_absent; /* an optional device that is not there: not asked for again */
    unsigned ndev;
    char dev_name[SERVER_DEV_HANDLES][MANIFEST_NAME_MAX];
    mica_handle_t dev[SERVER_DEV_HANDLES];
    unsigned handles;   /* how many it was given at its last start */
    bool restart_asked; /* killed for a restart a client asked for */
    bool on_request;    /* waiting for that restart */
    char why[96];       /* why it last ended */
};

#endif
