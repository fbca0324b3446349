/*
 * chacha20.h - the ChaCha20 stream cipher of RFC 8439 (kernel/lib/chacha20.c),
 * the generator behind the kernel's entropy pool (kernel/core/entropy.c).
 *
 * ChaCha20 turns a 256-bit key, a 96-bit nonce and a 32-bit block counter
 * into 64 bytes of key stream per block.  Pure code: no state, no system
 * dependencies; host-tested against the RFC's test vectors
 * (tests/host/test_chacha20.c).
 */
#ifndef MICA_CHACHA20_H
#define MICA_CHACHA20_H

#include <stddef.h>
#include <stdint.h>

#define CHACHA20_KEY_BYTES   32
#define CHACHA20_NONCE_BYTES 12
#define CHACHA20_BLOCK_BYTES 64

/* The quarter round on four words of the state (RFC 8439, 2.1). */
void chacha20_quarter_round(uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d);

/* One block of key stream for key, counter and nonce (RFC 8439, 2.3). */
void chacha20_block(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
                    const uint8_t nonce[CHACHA20_NONCE_BYTES], uint8_t out[CHACHA20_BLOCK_BYTES]);

/*
 * Encrypt (or decrypt: the same operation) len bytes of in into out with the
 * key stream that starts at block `counter` (RFC 8439, 2.4).  in and out may
 * be the same buffer; in may be NULL to get the bare key stream.
 */
void chacha20_xor(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
                  const uint8_t nonce[CHACHA20_NONCE_BYTES], const uint8_t *in, uint8_t *out,
                  size_t len);

#endif
