/* test_chacha20.c - host tests for kernel/lib/chacha20.c against the test vectors of RFC 8439. */
#include <stdint.h>
#include <string.h>
#include "unit.h"
#include <mica/chacha20.h>

/* Parse a string of hex digits (spaces and colons ignored) into out; returns the byte count. */
static size_t hex(const char *s, uint8_t *out)
{
    size_t n = 0;
    int half = -1;
    for (; *s; s++) {
        int v = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;
        if (v < 0)
            continue;
        if (half < 0) {
            half = v;
        } else {
            out[n++] = (uint8_t)(half << 4 | v);
            half = -1;
        }
    }
    return n;
}

/* The key 00 01 02 ... 1f that sections 2.3.2 and 2.4.2 use. */
static void counting_key(uint8_t key[32])
{
    for (unsigned i = 0; i < 32; i++)
        key[i] = (uint8_t)i;
}

/* RFC 8439, 2.1.1: the quarter round on four given words. */
static void test_quarter_round(void)
{
    uint32_t a = 0x11111111, b = 0x01020304, c = 0x9b8d6f43, d = 0x01234567;
    chacha20_quarter_round(&a, &b, &c, &d);
    CHECK(a == 0xea2a92f4);
    CHECK(b == 0xcb1cf8ce);
    CHECK(c == 0x4581472e);
    CHECK(d == 0x5881c4bb);
}

/* RFC 8439, 2.3.2: one block, counter 1. */
static void test_block_2_3_2(void)
{
    uint8_t key[32], nonce[12], want[64], got[64];
    counting_key(key);
    hex("00 00 00 09 00 00 00 4a 00 00 00 00", nonce);
    CHECK_EQ(hex("10 f1 e7 e4 d1 3b 59 15 50 0f dd 1f a3 20 71 c4"
                 "c7 d1 f4 c7 33 c0 68 03 04 22 aa 9a c3 d4 6c 4e"
                 "d2 82 64 46 07 9f aa 09 14 c2 d7 05 d9 8b 02 a2"
                 "b5 12 9c d1 de 16 4e b9 cb d0 83 e8 a2 50 3c 4e",
                 want),
             64);
    chacha20_block(key, 1, nonce, got);
    CHECK(memcmp(got, want, 64) == 0);
}

/* RFC 8439, appendix A.1, test vector 1: all-zero key and nonce, counter 0. */
static void test_block_zero_key(void)
{
    uint8_t key[32] = {0}, nonce[12] = {0}, want[64], got[64];
    hex("76 b8 e0 ad a0 f1 3d 90 40 5d 6a e5 53 86 bd 28"
        "bd d2 19 b8 a0 8d ed 1a a8 36 ef cc 8b 77 0d c7"
        "da 41 59 7c 51 57 48 8d 77 24 e0 3f b8 d8 4a 37"
        "6a 43 b8 f4 15 18 a1 1c c3 87 b6 69 b2 ee 65 86",
        want);
    chacha20_block(key, 0, nonce, got);
    CHECK(memcmp(got, want, 64) == 0);
}

static const char sunscreen[] = "Ladies and Gentlemen of the class of '99: If I could offer you "
                                "only one tip for the future, sunscreen would be it.";

/* RFC 8439, 2.4.2: 114 bytes encrypted from counter 1 on (two whole blocks and a part). */
static void test_encrypt_2_4_2(void)
{
    uint8_t key[32], nonce[12], want[114], got[114], back[114];
    size_t len = sizeof sunscreen - 1;
    CHECK_EQ(len, 114);
    counting_key(key);
    hex("00 00 00 00 00 00 00 4a 00 00 00 00", nonce);
    CHECK_EQ(hex("6e 2e 35 9a 25 68 f9 80 41 ba 07 28 dd 0d 69 81"
                 "e9 7e 7a ec 1d 43 60 c2 0a 27 af cc fd 9f ae 0b"
                 "f9 1b 65 c5 52 47 33 ab 8f 59 3d ab cd 62 b3 57"
                 "16 39 d6 24 e6 51 52 ab 8f 53 0c 35 9f 08 61 d8"
                 "07 ca 0d bf 50 0d 6a 61 56 a3 8e 08 8a 22 b6 5e"
                 "52 bc 51 4d 16 cc f8 06 81 8c e9 1a b7 79 37 36"
                 "5a f9 0b bf 74 a3 5b e6 b4 0b 8e ed f2 78 5e 42"
                 "87 4d",
                 want),
             114);
    chacha20_xor(key, 1, nonce, (const uint8_t *)sunscreen, got, len);
    CHECK(memcmp(got, want, len) == 0);
    /* Decryption is the same operation, and works in place. */
    memcpy(back, got, len);
    chacha20_xor(key, 1, nonce, back, back, len);
    CHECK(memcmp(back, sunscreen, len) == 0);
}

/* The bare key stream (in == NULL) is block after block, the counter counting up. */
static void test_stream_is_blocks(void)
{
    uint8_t key[32], nonce[12] = {1, 2, 3}, stream[150], block[64];
    counting_key(key);
    chacha20_xor(key, 7, nonce, NULL, stream, sizeof stream);
    for (uint32_t b = 0; b < 3; b++) {
        chacha20_block(key, 7 + b, nonce, block);
        size_t n = b < 2 ? 64 : sizeof stream - 128;
        CHECK(memcmp(stream + 64 * b, block, n) == 0);
    }
    /* Nothing is written past len. */
    uint8_t small[10];
    memset(small, 0xaa, sizeof small);
    chacha20_xor(key, 0, nonce, NULL, small, 5);
    for (unsigned i = 5; i < 10; i++)
        CHECK_EQ(small[i], 0xaa);
}

/* One changed key bit or nonce bit changes the block (about half its bits). */
static void test_one_bit_changes(void)
{
    uint8_t key[32] = {0}, nonce[12] = {0}, a[64], b[64];
    chacha20_block(key, 0, nonce, a);
    key[31] ^= 0x80;
    chacha20_block(key, 0, nonce, b);
    unsigned differ = 0;
    for (unsigned i = 0; i < 64; i++)
        differ += (unsigned)__builtin_popcount(a[i] ^ b[i]);
    CHECK(differ > 192 && differ < 320); /* of 512 bits; a broken round function fails this */
    key[31] ^= 0x80;
    nonce[0] ^= 1;
    chacha20_block(key, 0, nonce, b);
    CHECK(memcmp(a, b, 64) != 0);
}

int main(void)
{
    unit_run("chacha20", "quarter_round", test_quarter_round);
    unit_run("chacha20", "block_2_3_2", test_block_2_3_2);
    unit_run("chacha20", "block_zero_key", test_block_zero_key);
    unit_run("chacha20", "encrypt_2_4_2", test_encrypt_2_4_2);
    unit_run("chacha20", "stream_is_blocks", test_stream_is_blocks);
    unit_run("chacha20", "one_bit_changes", test_one_bit_changes);
    return unit_exit_code();
}
