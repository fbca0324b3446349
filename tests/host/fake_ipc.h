/*
 * fake_ipc.h - a fake kernel for host tests of IPC stubs: just enough of
 * mica_call(), SYS_HANDLE_INFO and SYS_HANDLE_CLOSE to run a generated client
 * and server in one process.
 *
 * There are two sides, the client and the server, each with its own IPC
 * buffer; one handle table records which side owns each handle.  mica_call()
 * does what the kernel's rendezvous does (docs/ipc.md, section 3): it checks
 * the tag, moves the handles (all or nothing, MICA_RIGHT_TRANSFER needed),
 * copies the extra words into the other side's buffer, runs the server's
 * handler as the server, and moves the reply back the same way.  Hooks may
 * spoil a request or a reply before it moves, to test the checks.
 */
#ifndef FAKE_IPC_H
#define FAKE_IPC_H

#include <stdint.h>
#include "mica.h"

enum fake_side { FAKE_CLIENT, FAKE_SERVER };

/* The endpoint mica_call() accepts (outside the table); any other gives -MICA_EBADF. */
#define FAKE_EP 0x7e7e

extern struct mica_ipc_buffer fake_client_buf, fake_server_buf;

/* The server: serves *msg (long part in fake_server_buf) and leaves the reply there. */
extern int (*fake_server)(struct mica_msg *msg, struct mica_ipc_buffer *ipc);
/* Optional: spoil a request or reply (and the sender's buffer) before it moves. */
extern void (*fake_tamper_request)(struct mica_msg *msg, struct mica_ipc_buffer *ipc);
extern void (*fake_tamper_reply)(struct mica_msg *msg, struct mica_ipc_buffer *ipc);

extern int fake_calls;       /* mica_call()s that reached the server */
extern int fake_last_status; /* what the server's handler returned last */
extern int fake_deaths;      /* the next this many calls reach a server that dies: -MICA_EPIPE */

/* Make the following system calls those of `side` (mica_call() switches by itself). */
void fake_become(enum fake_side side);
/* Forget all handles, hooks and counters. */
void fake_reset(void);
/* A new handle owned by `side` to an object of `type` (MICA_OBJ_*) with `rights`. */
mica_handle_t fake_handle(enum fake_side side, uint32_t type, uint32_t rights);
/* Handles that `side` holds open. */
int fake_open_handles(enum fake_side side);
/* Does `side` own the open handle h? */
int fake_owns(enum fake_side side, mica_handle_t h);

#endif
