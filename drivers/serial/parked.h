/*
 * parked.h - requests the serial driver cannot answer yet: a reader waiting
 * for input, a writer waiting for room in the transmit buffer, a client
 * waiting until its bytes have left the driver.
 *
 * Concept: a wait queue in a user-space server.  A kernel blocks a thread
 * that must wait; a server that blocked in one client's request would stop
 * serving all the others.  So it *parks* the request instead: it takes the
 * right to answer the caller out of its thread (SYS_REPLY_TAKE, a reply
 * handle, docs/ipc.md section 5), keeps a copy of the request, and goes on
 * receiving.  Whenever the state a parked request waits for may have
 * changed (input arrived, the transmitter took bytes), the driver hands
 * the copy to the generated dispatcher again; if the request can complete
 * now, the reply the dispatcher produces goes out through the reply handle.
 * The list keeps the requests in the order they arrived, so that waiting
 * readers get input, and waiting writers get room, first come first served.
 */
#ifndef SERIAL_PARKED_H
#define SERIAL_PARKED_H

#include <stdbool.h>
#include <stdint.h>
#include <mica.h>

/* At most this many requests wait at once; one more gets EAGAIN. */
#define PARK_MAX 16

enum park_kind {
    PARK_NONE,  /* not parked: answer it now */
    PARK_WRITE, /* write: waits for room in the transmit buffer */
    PARK_SYNC,  /* write_sync: waits for room, then for its bytes to leave */
    PARK_DRAIN, /* drain: waits for earlier bytes to leave */
    PARK_READ,  /* read with wait: waits for input */
};

struct parked {
    enum park_kind kind;
    bool queued;         /* write_sync: its bytes are in the transmit buffer */
    uint64_t target;     /* write_sync, drain: done when this many bytes have left */
    mica_handle_t reply; /* the right to answer the caller */
    struct mica_msg msg; /* the request as it arrived */
    uint64_t words[MICA_IPC_WORDS];
};

struct park_list {
    struct parked slot[PARK_MAX]; /* slot[0 .. n-1], oldest first */
    unsigned n;
};

/*
 * The slot a new request would take if it must wait, holding a copy of the
 * request (msg and its long part in ipc); NULL if the list is full.  The
 * slot joins the list only through park_commit().
 */
struct parked *park_reserve(struct park_list *l, const struct mica_msg *msg,
                            const struct mica_ipc_buffer *ipc);

/* Add the reserved slot, whose caller's reply handle is `reply`, at the end. */
void park_commit(struct park_list *l, mica_handle_t reply);

/* Put request i's copy back into msg and ipc, to dispatch it again. */
void park_restore(const struct park_list *l, unsigned i, struct mica_msg *msg,
                  struct mica_ipc_buffer *ipc);

/* Take request i out of the list (its reply handle is the caller's to close). */
void park_remove(struct park_list *l, unsigned i);

/* Does a parked request wait for room in the transmit buffer? */
bool park_waits_for_room(const struct parked *p);

/* Does any parked request wait for room, or any for input? */
bool park_any_for_room(const struct park_list *l);
bool park_any_reader(const struct park_list *l);

#endif
