/*
 * rawcall.h - malformed requests for the driver tests (the clients in tests/servers):
 * messages that no generated stub would send, to check that a server answers
 * each with an error and keeps running (docs/idl.md, section 3.3).
 */
#ifndef TESTS_RAWCALL_H
#define TESTS_RAWCALL_H

#include <mica.h>

/*
 * Call ep with label, the four register words w, `words` zero words in the
 * IPC buffer and `handles` fresh notification handles (moved to the server).
 * The reply's label (0 or the positive error number), or the call's own
 * negative error.
 */
int64_t raw_call(mica_handle_t ep, struct mica_ipc_buffer *ipc, uint32_t label, unsigned words,
                 unsigned handles, const uint64_t w[4]);

/* Print "NAME: WHAT -> error E (expected X)" and count a mismatch in *bad. */
void raw_expect(const char *name, const char *what, int64_t got, int64_t want, unsigned *bad);

#endif
