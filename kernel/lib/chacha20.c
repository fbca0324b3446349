/*
 * chacha20.c - the ChaCha20 stream cipher (RFC 8439), written from the RFC's
 * description; the kernel's entropy pool draws its random bytes from it
 * (OS concept: a cryptographically secure random-number generator).
 *
 * The state is 16 32-bit words, laid out as the RFC says:
 *
 *   0-3    the constants "expa" "nd 3" "2-by" "te k" (little-endian words)
 *   4-11   the key, eight little-endian words
 *   12     the block counter
 *   13-15  the nonce, three little-endian words
 *
 * A block is 20 rounds over a copy of the state - ten "double rounds", each
 * four quarter rounds down the columns and four along the diagonals - and
 * then the original state added word by word.  The key stream is those 16
 * words written out little-endian.  Only additions, XORs and rotations:
 * nothing depends on secret data's value, so the time taken leaks nothing.
 */
#include <mica/chacha20.h>

static uint32_t rotl(uint32_t v, unsigned n)
{
    return (v << n) | (v >> (32 - n));
}

static uint32_t load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void store_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

void chacha20_quarter_round(uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    *a += *b;
    *d = rotl(*d ^ *a, 16);
    *c += *d;
    *b = rotl(*b ^ *c, 12);
    *a += *b;
    *d = rotl(*d ^ *a, 8);
    *c += *d;
    *b = rotl(*b ^ *c, 7);
}

/* The quarter round on state words i, j, k, l. */
static void qr(uint32_t x[16], unsigned i, unsigned j, unsigned k, unsigned l)
{
    chacha20_quarter_round(&x[i], &x[j], &x[k], &x[l]);
}

static void init_state(uint32_t s[16], const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
                       const uint8_t nonce[CHACHA20_NONCE_BYTES])
{
    s[0] = 0x61707865; /* "expand 32-byte k" */
    s[1] = 0x3320646e;
    s[2] = 0x79622d32;
    s[3] = 0x6b206574;
    for (unsigned i = 0; i < 8; i++)
        s[4 + i] = load_le32(key + 4 * i);
    s[12] = counter;
    for (unsigned i = 0; i < 3; i++)
        s[13 + i] = load_le32(nonce + 4 * i);
}

void chacha20_block(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
                    const uint8_t nonce[CHACHA20_NONCE_BYTES], uint8_t out[CHACHA20_BLOCK_BYTES])
{
    uint32_t s[16], x[16];
    init_state(s, key, counter, nonce);
    for (unsigned i = 0; i < 16; i++)
        x[i] = s[i];
    for (unsigned round = 0; round < 10; round++) {
        qr(x, 0, 4, 8, 12); /* the columns */
        qr(x, 1, 5, 9, 13);
        qr(x, 2, 6, 10, 14);
        qr(x, 3, 7, 11, 15);
        qr(x, 0, 5, 10, 15); /* the diagonals */
        qr(x, 1, 6, 11, 12);
        qr(x, 2, 7, 8, 13);
        qr(x, 3, 4, 9, 14);
    }
    for (unsigned i = 0; i < 16; i++)
        store_le32(out + 4 * i, x[i] + s[i]);
    /* Leave no copy of the key-dependent state on the stack. */
    for (unsigned i = 0; i < 16; i++)
        ((volatile uint32_t *)x)[i] = ((volatile uint32_t *)s)[i] = 0;
}

void chacha20_xor(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
                  const uint8_t nonce[CHACHA20_NONCE_BYTES], const uint8_t *in, uint8_t *out,
                  size_t len)
{
    uint8_t stream[CHACHA20_BLOCK_BYTES];
    for (size_t done = 0; done < len; counter++) {
        chacha20_block(key, counter, nonce, stream);
        size_t n = len - done < CHACHA20_BLOCK_BYTES ? len - done : CHACHA20_BLOCK_BYTES;
        for (size_t i = 0; i < n; i++)
            out[done + i] = (uint8_t)((in ? in[done + i] : 0) ^ stream[i]);
        done += n;
    }
    for (unsigned i = 0; i < CHACHA20_BLOCK_BYTES; i++)
        ((volatile uint8_t *)stream)[i] = 0;
}
