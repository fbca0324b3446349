/*
 * client.h - a client's connection to a server that the supervisor may
 * restart under it (concepts: micro-reboot, RPC with at-least-once
 * semantics).
 *
 * A server that dies while it holds a request leaves its caller with
 * -MICA_EPIPE, the distinct error for "the server went away with your
 * request".  The supervisor restarts the server on the same endpoint, so the
 * client's handle stays good: a request sent again waits in the endpoint's
 * queue until the new instance receives it.  The recovering stubs that
 * tools/idlgen.py generates next to the plain ones, IFACE_METHOD_r(client,
 * ...), do exactly that through mica_client_reissue(), after calling the
 * client's reconnect function if it has one (for protocols with state to
 * set up again, such as an open session).
 *
 * Handles given to an _r stub stay the caller's: each attempt sends a
 * duplicate.  A request may thus reach the server more than once - when
 * the first instance had done the work but died before answering - so
 * methods called through _r stubs must be harmless to repeat (reading and
 * writing a block, taking random bytes) or their repetition acceptable
 * (console output printed twice).
 */
#ifndef MICA_CLIENT_H
#define MICA_CLIENT_H

#include <stdbool.h>
#include <stdint.h>
#include "mica.h"

#define MICA_CLIENT_REISSUE_MAX 16 /* attempts per request when max_reissue is 0 */

struct mica_client {
    mica_handle_t ep;            /* the server's endpoint */
    struct mica_ipc_buffer *ipc; /* the calling thread's IPC buffer */
    uint32_t max_reissue;        /* re-issues of one request before giving up (0: the default) */
    uint64_t reissued;           /* requests sent again because the server died holding them */
    /* Called before a request is re-issued; non-zero stops the re-issue with that error. */
    int (*reconnect)(struct mica_client *c);
};

/*
 * After attempt number `attempt` (0, 1, ...) of a request ended with err:
 * true if the request should be sent again (err is -MICA_EPIPE, the limit is
 * not reached, and reconnecting worked), and then it is counted.
 */
bool mica_client_reissue(struct mica_client *c, int *err, unsigned attempt);

#endif
