/*
 * entropy.c - the kernel's entropy pool: a random-number generator built on
 * ChaCha20 (kernel/lib/chacha20.c) that any process can read and any
 * process can feed (OS concepts: entropy sources, a cryptographically secure
 * pseudo-random generator, forward secrecy).
 *
 * The whole pool is one secret 32-byte ChaCha20 key.
 *
 *   Mixing     (entropy_mix) takes the input 32 bytes at a time: XOR them
 *              into the key, then replace the key by the first 32 bytes of
 *              a ChaCha20 block under that key.  The block function is
 *              one-way (its input is added to its output), so the new key
 *              reveals nothing of the old key or the input, and someone who
 *              knows the input but not the old key - or the old key but not
 *              the input - still cannot predict the new key.  That is why
 *              anyone may add: input chosen by an attacker cannot make the
 *              pool more predictable than it was.
 *   Reading    (entropy_get) runs ChaCha20 under the key with a fresh nonce
 *              (a counter and the timestamp counter), takes the first 32
 *              bytes of key stream as the next key and hands out the rest
 *              ("fast key erasure"): once a read returns, its key is gone,
 *              so even someone who later learns the pool's state cannot
 *              reconstruct what was read before.
 *
 * Sources: at boot the CPU's RDSEED or RDRAND (arch/x86_64/hwrandom.c)
 * when it has them, and the jitter of the timestamp counter around small
 * pieces of work; later everything user space adds with SYS_ENTROPY_ADD,
 * in particular the virtio-rng driver (drivers/virtio_rng), which feeds 32
 * bytes of the host's randomness at its start and every few seconds.
 *
 * Kept simple on purpose: no entropy estimate, and reading never blocks.
 * The pool only counts the bytes user space gave it (SYS_ENTROPY_ADD
 * returns the total, so a driver can see that its feeding arrived).
 * A spinlock keeps the key consistent when several CPUs use it at once.
 */
#include <mica/chacha20.h>
#include <mica/entropy.h>
#include <mica/log.h>
#include <mica/spinlock.h>
#include <mica/string.h>
#include <arch/arch.h>

#define HW_WORDS       8  /* 64 bytes from RDSEED/RDRAND at boot */
#define JITTER_SAMPLES 64 /* timestamp-counter deltas at boot */

static struct {
    struct spinlock lock;
    uint8_t key[CHACHA20_KEY_BYTES];
    uint64_t mixes;      /* blocks computed for mixing: part of each mixing nonce */
    uint64_t reads;      /* reads so far: part of each reading nonce */
    uint64_t user_bytes; /* bytes user space added */
} pool = {.lock = SPINLOCK_INIT("entropy")};

/* A nonce of a 32-bit tag, a 64-bit counter (both little-endian); the caller holds the lock. */
static void make_nonce(uint8_t nonce[CHACHA20_NONCE_BYTES], uint32_t tag, uint64_t count)
{
    for (unsigned i = 0; i < 4; i++)
        nonce[i] = (uint8_t)(tag >> (8 * i));
    for (unsigned i = 0; i < 8; i++)
        nonce[4 + i] = (uint8_t)(count >> (8 * i));
}

static void wipe(void *p, size_t n)
{
    volatile uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        b[i] = 0;
}

/* Mix one chunk of up to 32 bytes; the caller holds the lock. */
static void mix_chunk(const uint8_t *chunk, size_t n)
{
    uint8_t nonce[CHACHA20_NONCE_BYTES], block[CHACHA20_BLOCK_BYTES];
    for (size_t i = 0; i < n; i++)
        pool.key[i] ^= chunk[i];
    make_nonce(nonce, 0x78696d /* "mix" */, pool.mixes++);
    chacha20_block(pool.key, (uint32_t)arch_timestamp(), nonce, block);
    memcpy(pool.key, block, CHACHA20_KEY_BYTES);
    wipe(block, sizeof block);
}

static void mix_locked(const void *buf, size_t len)
{
    const uint8_t *p = buf;
    for (size_t done = 0; done < len; done += CHACHA20_KEY_BYTES) {
        size_t n = len - done < CHACHA20_KEY_BYTES ? len - done : CHACHA20_KEY_BYTES;
        mix_chunk(p + done, n);
    }
}

void entropy_mix(const void *buf, size_t len)
{
    uint64_t flags = spin_lock_irqsave(&pool.lock);
    mix_locked(buf, len);
    spin_unlock_irqrestore(&pool.lock, flags);
}

uint64_t entropy_add_from_user(const void *buf, size_t len)
{
    uint64_t flags = spin_lock_irqsave(&pool.lock);
    mix_locked(buf, len);
    pool.user_bytes += len;
    uint64_t total = pool.user_bytes;
    spin_unlock_irqrestore(&pool.lock, flags);
    return total;
}

/* Up to ENTROPY_MAX_REQUEST bytes: one key's worth of stream, then a new key. */
static void get_some(uint8_t *out, size_t len)
{
    uint8_t stream[CHACHA20_KEY_BYTES + ENTROPY_MAX_REQUEST], nonce[CHACHA20_NONCE_BYTES];
    uint64_t flags = spin_lock_irqsave(&pool.lock);
    make_nonce(nonce, (uint32_t)arch_timestamp(), pool.reads++);
    chacha20_xor(pool.key, 0, nonce, NULL, stream, CHACHA20_KEY_BYTES + len);
    memcpy(pool.key, stream, CHACHA20_KEY_BYTES); /* the old key is gone */
    spin_unlock_irqrestore(&pool.lock, flags);
    memcpy(out, stream + CHACHA20_KEY_BYTES, len);
    wipe(stream, sizeof stream);
}

void entropy_get(void *buf, size_t len)
{
    uint8_t *p = buf;
    for (size_t done = 0; done < len; done += ENTROPY_MAX_REQUEST) {
        size_t n = len - done < ENTROPY_MAX_REQUEST ? len - done : ENTROPY_MAX_REQUEST;
        get_some(p + done, n);
    }
}

/* The CPU's own random numbers: how many bytes were mixed in. */
static unsigned seed_from_cpu(enum arch_random_source src)
{
    uint64_t words[HW_WORDS];
    unsigned n = 0;
    while (n < HW_WORDS && arch_random_u64(src, &words[n]))
        n++;
    entropy_mix(words, n * sizeof words[0]);
    wipe(words, sizeof words);
    return n * (unsigned)sizeof words[0];
}

/*
 * Timestamp-counter jitter: how long a few memory accesses and a mixing
 * step take varies with caches, interrupts and, under emulation, the host.
 * Only the low bits of each delta carry anything; all of them go in.
 */
static void seed_from_jitter(void)
{
    uint64_t deltas[JITTER_SAMPLES];
    uint8_t scratch[CHACHA20_KEY_BYTES] = {0};
    for (unsigned i = 0; i < JITTER_SAMPLES; i++) {
        uint64_t t0 = arch_timestamp();
        entropy_mix(scratch, sizeof scratch);
        deltas[i] = arch_timestamp() - t0;
    }
    entropy_mix(deltas, sizeof deltas);
}

void entropy_init(void)
{
    static const char *const names[] = {"no CPU source", "RDSEED", "RDRAND"};
    enum arch_random_source src = arch_random_source();
    uint64_t now = arch_timestamp();
    entropy_mix(&now, sizeof now);
    unsigned hw = src == ARCH_RANDOM_NONE ? 0 : seed_from_cpu(src);
    seed_from_jitter();
    pr_info("entropy: pool seeded from %s (%u bytes) and timestamp jitter (%u samples)\n",
            names[src], hw, JITTER_SAMPLES);
}
