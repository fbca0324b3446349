/*
 * test_idl.c - host tests for the stubs tools/idlgen.py generates: the client
 * and server of tests/host/idl/idltest.idl, which uses every type of the
 * interface language, run against each other through a fake kernel
 * (fake_ipc.c).
 *
 * Round trips check that every type arrives as it was sent.  The malformed
 * cases spoil a request on its way (fake_tamper_request) or send what the
 * server must refuse; each then checks the client's error, that the server
 * callback never ran, and that the server holds no handle afterwards: the
 * ones the bad message carried were closed, not leaked.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "unit.h"
#include "fake_ipc.h"
#include "idltest_client.h"
#include "idltest_server.h"

#define ALL_VMO  (MICA_RIGHT_READ | MICA_RIGHT_WRITE | MICA_RIGHT_TRANSFER)
#define ALL_NOTE (MICA_RIGHT_SIGNAL | MICA_RIGHT_TRANSFER)

/* ---- the test server: callbacks that echo, count and misbehave on request ---- */

static int callbacks;           /* callbacks that ran */
static bool bad_out_string;     /* blobs: leave rname without its NUL */
static bool bad_out_handle;     /* handles: return an endpoint that cannot be moved */
static uint32_t seen_vmo_type;  /* handles: what the server saw */
static mica_handle_t made_back; /* handles: the endpoint it returned */

static int on_scalars(void *ctx, const struct idltest_scalars_in *in,
                      struct idltest_scalars_out *out)
{
    (void)ctx;
    callbacks++;
    out->ra = in->a;
    out->rb = in->b;
    out->rc = in->c;
    out->rd = in->d;
    out->re = in->e;
    out->rf = in->f;
    out->rg = in->g;
    return 0;
}

static int on_blobs(void *ctx, const struct idltest_blobs_in *in, struct idltest_blobs_out *out)
{
    (void)ctx;
    callbacks++;
    memcpy(out->rname, in->name, sizeof out->rname);
    memcpy(out->rdata, in->data, in->data_len);
    out->rdata_len = in->data_len;
    if (bad_out_string)
        memset(out->rname, 'x', sizeof out->rname);
    return 0;
}

static int on_handles(void *ctx, const struct idltest_handles_in *in,
                      struct idltest_handles_out *out)
{
    uint32_t type = 0, rights = 0;
    (void)ctx;
    callbacks++;
    CHECK_EQ(mica_handle_info(in->vmo, &type, &rights), 0);
    seen_vmo_type = type;
    out->vmo_type = type;
    CHECK_EQ(mica_handle_info(in->note, &type, &rights), 0);
    out->note_type = type;
    mica_handle_close(in->vmo);
    mica_handle_close(in->note);
    mica_handle_close(in->thing);
    uint32_t rights_back = MICA_RIGHT_SEND | (bad_out_handle ? 0 : MICA_RIGHT_TRANSFER);
    made_back = fake_handle(FAKE_SERVER, MICA_OBJ_ENDPOINT, rights_back);
    out->back = made_back;
    return 0;
}

static int on_ping(void *ctx)
{
    (void)ctx;
    callbacks++;
    return 0;
}

static int on_fail(void *ctx, const struct idltest_fail_in *in, struct idltest_fail_out *out)
{
    (void)ctx;
    callbacks++;
    out->never = 1;
    return (int)in->code; /* the test passes a negative error, or something bad */
}

static int on_big(void *ctx, const struct idltest_big_in *in, struct idltest_big_out *out)
{
    (void)ctx;
    callbacks++;
    memcpy(out->b, in->a, in->a_len);
    out->b_len = in->a_len;
    return 0;
}

static const struct idltest_server test_server = {
    .scalars = on_scalars,
    .blobs = on_blobs,
    .handles = on_handles,
    .ping = on_ping,
    .fail = on_fail,
    .big = on_big,
    .missing = NULL, /* callers get ENOSYS */
};

static int serve(struct mica_msg *msg, struct mica_ipc_buffer *ipc)
{
    return idltest_dispatch(&test_server, NULL, msg, ipc);
}

static void setup(void)
{
    fake_reset();
    fake_server = serve;
    callbacks = 0;
    bad_out_string = false;
    bad_out_handle = false;
    seen_vmo_type = 0;
    made_back = MICA_HANDLE_INVALID;
}

/* ---- helpers for the calls the tests make again and again ---- */

struct scalars {
    uint8_t a;
    uint16_t b;
    uint32_t c;
    uint64_t d;
    int32_t e;
    int64_t f;
    bool g;
};

static int call_scalars(const struct scalars *in, struct scalars *out)
{
    return idltest_scalars(FAKE_EP, &fake_client_buf, in->a, in->b, in->c, in->d, in->e, in->f,
                           in->g, &out->a, &out->b, &out->c, &out->d, &out->e, &out->f, &out->g);
}

static int call_blobs(const char *name, const void *data, uint32_t len, char rname[16],
                      uint8_t rdata[40], uint32_t *rlen)
{
    return idltest_blobs(FAKE_EP, &fake_client_buf, name, data, len, rname, rdata, rlen);
}

/* Three handles of the client: a vmo (rights given), a notification, anything. */
struct three {
    mica_handle_t vmo, note, thing;
};

static struct three three_handles(uint32_t vmo_type, uint32_t vmo_rights)
{
    struct three t;
    t.vmo = fake_handle(FAKE_CLIENT, vmo_type, vmo_rights);
    t.note = fake_handle(FAKE_CLIENT, MICA_OBJ_NOTIFICATION, ALL_NOTE);
    t.thing = fake_handle(FAKE_CLIENT, MICA_OBJ_THREAD, MICA_RIGHT_TRANSFER);
    return t;
}

static int call_handles(struct three t, uint32_t *vt, uint32_t *nt, mica_handle_t *back)
{
    return idltest_handles(FAKE_EP, &fake_client_buf, t.vmo, t.note, t.thing, vt, nt, back);
}

/* A refused request: this error, no callback, and the server holds nothing. */
static void check_refused(int got, int want)
{
    CHECK_EQ(got, want);
    CHECK_EQ(fake_last_status, want);
    CHECK_EQ(callbacks, 0);
    CHECK_EQ(fake_open_handles(FAKE_SERVER), 0);
}

/* ---- round trips ---- */

static void check_scalars_round_trip(struct scalars in)
{
    struct scalars out;
    memset(&out, 0xee, sizeof out);
    CHECK_EQ(call_scalars(&in, &out), 0);
    CHECK_EQ(out.a, in.a);
    CHECK_EQ(out.b, in.b);
    CHECK_EQ(out.c, in.c);
    CHECK(out.d == in.d);
    CHECK_EQ(out.e, in.e);
    CHECK_EQ(out.f, in.f);
    CHECK_EQ(out.g, in.g);
}

/* Every scalar type at its limits and in between; three of them go through the IPC buffer. */
static void test_round_trip_scalars(void)
{
    setup();
    check_scalars_round_trip((struct scalars){0, 0, 0, 0, 0, 0, false});
    check_scalars_round_trip((struct scalars){UINT8_MAX, UINT16_MAX, UINT32_MAX, UINT64_MAX,
                                              INT32_MAX, INT64_MAX, true});
    check_scalars_round_trip((struct scalars){1, 2, 3, 4, INT32_MIN, INT64_MIN, true});
    check_scalars_round_trip((struct scalars){7, 300, 70000, 1ull << 40, -5, -(1ll << 40), false});
    CHECK_EQ(callbacks, 4);
}

static void check_blobs_round_trip(const char *name, const uint8_t *data, uint32_t len)
{
    char rname[16];
    uint8_t rdata[40];
    uint32_t rlen = 99;
    memset(rname, 'z', sizeof rname);
    CHECK_EQ(call_blobs(name, data, len, rname, rdata, &rlen), 0);
    CHECK(strcmp(rname, name) == 0);
    CHECK_EQ(rlen, len);
    CHECK(memcmp(rdata, data, len) == 0);
}

/* Strings of every interesting length (empty, odd, the longest), byte arrays too. */
static void test_round_trip_blobs(void)
{
    uint8_t data[40], rdata[40];
    char rname[16];
    uint32_t rlen = 1;
    for (unsigned i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7 + 1);
    setup();
    check_blobs_round_trip("", data, 0);
    check_blobs_round_trip("disk0", data, 13);
    check_blobs_round_trip("fifteen chars..", data, 40);
    check_blobs_round_trip("1234567", data, 8);
    CHECK_EQ(call_blobs("no data", NULL, 0, rname, rdata, &rlen), 0); /* NULL is fine for none */
    CHECK_EQ(rlen, 0);
    CHECK_EQ(callbacks, 5);
}

/* Handles move to the server with their rights; the server's answer moves back. */
static void test_round_trip_handles(void)
{
    setup();
    struct three t = three_handles(MICA_OBJ_VMO, ALL_VMO);
    uint32_t vt = 0, nt = 0;
    mica_handle_t back = 0;
    CHECK_EQ(call_handles(t, &vt, &nt, &back), 0);
    CHECK_EQ(vt, MICA_OBJ_VMO);
    CHECK_EQ(nt, MICA_OBJ_NOTIFICATION);
    CHECK_EQ(back, made_back);
    CHECK(fake_owns(FAKE_CLIENT, back));
    CHECK_EQ(fake_open_handles(FAKE_CLIENT), 1); /* only the answer: the three moved */
    CHECK_EQ(fake_open_handles(FAKE_SERVER), 0); /* the callback closed them */
}

/* A method without values, and the longest message: 952 bytes plus a length word. */
static void test_round_trip_ping_and_big(void)
{
    static uint8_t a[952], b[952];
    uint32_t blen = 0;
    setup();
    CHECK_EQ(idltest_ping(FAKE_EP, &fake_client_buf), 0);
    for (unsigned i = 0; i < sizeof a; i++)
        a[i] = (uint8_t)(i ^ 0x5c);
    CHECK_EQ(idltest_big(FAKE_EP, &fake_client_buf, a, sizeof a, b, &blen), 0);
    CHECK_EQ(blen, sizeof a);
    CHECK(memcmp(a, b, sizeof a) == 0);
    CHECK_EQ(idltest_big(FAKE_EP, &fake_client_buf, a, 1, b, &blen), 0);
    CHECK_EQ(blen, 1);
    CHECK_EQ(callbacks, 3);
}

/* ---- recovering stubs (lib/mica/client.h) ---- */

static int reconnects, reconnect_result;

static int count_reconnect(struct mica_client *c)
{
    (void)c;
    reconnects++;
    return reconnect_result;
}

/* A server that dies twice holding the request: the third attempt is answered. */
static void test_reissue_after_death(void)
{
    setup();
    struct mica_client c = {FAKE_EP, &fake_client_buf, 0, 0, count_reconnect};
    reconnects = reconnect_result = 0;
    fake_deaths = 2;
    struct scalars in = {1, 2, 3, 4, -5, -6, true}, out;
    CHECK_EQ(idltest_scalars_r(&c, in.a, in.b, in.c, in.d, in.e, in.f, in.g, &out.a, &out.b, &out.c,
                               &out.d, &out.e, &out.f, &out.g),
             0);
    CHECK(out.d == 4 && out.f == -6);
    CHECK_EQ(fake_calls, 3);
    CHECK(c.reissued == 2);
    CHECK_EQ(reconnects, 2);
}

/* Handles given to an _r stub stay the caller's; the copies sent are not left behind. */
static void test_reissue_keeps_handles(void)
{
    setup();
    struct mica_client c = {FAKE_EP, &fake_client_buf, 0, 0, NULL};
    struct three t;
    t.vmo = fake_handle(FAKE_CLIENT, MICA_OBJ_VMO, ALL_VMO | MICA_RIGHT_DUP);
    t.note = fake_handle(FAKE_CLIENT, MICA_OBJ_NOTIFICATION, ALL_NOTE | MICA_RIGHT_DUP);
    t.thing = fake_handle(FAKE_CLIENT, MICA_OBJ_THREAD, MICA_RIGHT_TRANSFER);
    uint32_t vt = 0, nt = 0;
    mica_handle_t back = 0;
    fake_deaths = 1;
    CHECK_EQ(idltest_handles_r(&c, t.vmo, t.note, t.thing, &vt, &nt, &back), -MICA_EACCES);
    CHECK_EQ(fake_calls, 0); /* the thread handle has no DUP right: nothing was sent */
    CHECK_EQ(fake_open_handles(FAKE_CLIENT), 3);
    mica_handle_close(t.thing);
    t.thing = fake_handle(FAKE_CLIENT, MICA_OBJ_THREAD, MICA_RIGHT_TRANSFER | MICA_RIGHT_DUP);
    CHECK_EQ(idltest_handles_r(&c, t.vmo, t.note, t.thing, &vt, &nt, &back), 0);
    CHECK_EQ(fake_calls, 2);
    CHECK(c.reissued == 1);
    CHECK_EQ(vt, MICA_OBJ_VMO);
    CHECK(fake_owns(FAKE_CLIENT, t.vmo) && fake_owns(FAKE_CLIENT, t.note) &&
          fake_owns(FAKE_CLIENT, t.thing) && fake_owns(FAKE_CLIENT, back));
    CHECK_EQ(fake_open_handles(FAKE_CLIENT), 4); /* the three and the answer */
    CHECK_EQ(fake_open_handles(FAKE_SERVER), 0);
}

/* Other errors are not re-issued; nor is a request past the limit, nor when reconnecting fails. */
static void test_reissue_limits(void)
{
    setup();
    struct mica_client c = {FAKE_EP, &fake_client_buf, 3, 0, count_reconnect};
    reconnects = reconnect_result = 0;
    uint32_t never;
    CHECK_EQ(idltest_fail_r(&c, (uint32_t)-MICA_ENOENT, &never), -MICA_ENOENT);
    CHECK_EQ(fake_calls, 1);
    fake_deaths = 10;
    CHECK_EQ(idltest_ping_r(&c), -MICA_EPIPE);
    CHECK_EQ(fake_calls, 4); /* max_reissue 3: three attempts */
    CHECK(c.reissued == 2);
    reconnect_result = -MICA_EIO;
    CHECK_EQ(idltest_ping_r(&c), -MICA_EIO);
    CHECK_EQ(fake_calls, 5);
    struct mica_client wrong = {FAKE_EP + 1, &fake_client_buf, 0, 0, NULL};
    CHECK_EQ(idltest_ping_r(&wrong), -MICA_EBADF);
}

/* ---- errors the server means ---- */

/* Declared and stub errors reach the client; any other result becomes EIO. */
static void test_callback_errors(void)
{
    uint32_t never = 0;
    setup();
    CHECK_EQ(idltest_fail(FAKE_EP, &fake_client_buf, (uint32_t)-MICA_ENOENT, &never), -MICA_ENOENT);
    CHECK_EQ(idltest_fail(FAKE_EP, &fake_client_buf, (uint32_t)-MICA_EBUSY, &never), -MICA_EBUSY);
    CHECK_EQ(idltest_fail(FAKE_EP, &fake_client_buf, (uint32_t)-MICA_EINVAL, &never), -MICA_EINVAL);
    CHECK_EQ(idltest_fail(FAKE_EP, &fake_client_buf, (uint32_t)-MICA_EPERM, &never), -MICA_EIO);
    CHECK_EQ(fake_last_status, -MICA_EIO); /* the server itself replied EIO */
    CHECK_EQ(idltest_fail(FAKE_EP, &fake_client_buf, 5, &never), -MICA_EIO);
    CHECK_EQ(fake_last_status, -MICA_EIO);
    CHECK_EQ(never, 0); /* outputs are left alone on errors */
    CHECK_EQ(callbacks, 5);
}

/* A method the server leaves out, and a label of no method: ENOSYS, handles closed. */
static void tamper_label_unknown(struct mica_msg *msg, struct mica_ipc_buffer *ipc)
{
    (void)ipc;
    msg->tag =
        mica_tag(IDLTEST_LABEL_BASE + 0x50, mica_tag_words(msg->tag), mica_tag_handles(msg->tag));
}

static void tamper_label_missing(struct mica_msg *msg, struct mica_ipc_buffer *ipc)
{
    (void)ipc;
    msg->tag =
        mica_tag(IDLTEST_LABEL_MISSING, mica_tag_words(msg->tag), mica_tag_handles(msg->tag));
}

static void test_unknown_method(void)
{
    uint32_t vt, nt;
    mica_handle_t back;
    setup();
    CHECK_EQ(idltest_missing(FAKE_EP, &fake_client_buf, 1), -MICA_ENOSYS);
    fake_tamper_request = tamper_label_unknown;
    check_refused(call_handles(three_handles(MICA_OBJ_VMO, ALL_VMO), &vt, &nt, &back),
                  -MICA_ENOSYS);
    fake_tamper_request = tamper_label_missing;
    check_refused(call_handles(three_handles(MICA_OBJ_VMO, ALL_VMO), &vt, &nt, &back),
                  -MICA_ENOSYS);
    CHECK_EQ(fake_open_handles(FAKE_CLIENT), 0);
}

/* ---- malformed requests ---- */

/* The label of another method: its message has the wrong shape. */
static void tamper_label_fail(struct mica_msg *msg, struct mica_ipc_buffer *ipc)
{
    (void)ipc;
    msg->tag = mica_tag(IDLTEST_LABEL_FAIL, mica_tag_words(msg->tag), mica_tag_handles(msg->tag));
}

static void tamper_one_word_less(struct mica_msg *msg, struct mica_ipc_buffer *ipc)
{
    (void)ipc;
    msg->tag = mica_tag(mica_tag_label(msg->tag), mica_tag_words(msg->tag) - 1,
                        mica_tag_handles(msg->tag));
}

static void tamper_one_word_more(struct mica_msg *msg, struct mica_ipc_buffer *ipc)
{
    (void)ipc;
    msg->tag = mica_tag(mica_tag_label(msg->tag), mica_tag_words(msg->tag) + 1,
                        mica_tag_handles(msg->tag));
}

static void test_wrong_label_and_word_counts(void)
{
    struct scalars in = {1, 2, 3, 4, 5, 6, true}, out;
    char rname[16];
    uint8_t rdata[40];
    uint32_t rlen;
    void (*spoil[])(struct mica_msg *, struct mica_ipc_buffer *) = {
        tamper_label_fail, tamper_one_word_less, tamper_one_word_more};
    setup();
    for (unsigned i = 0; i < sizeof spoil / sizeof spoil[0]; i++) {
        fake_tamper_request = spoil[i];
        check_refused(call_scalars(&in, &out), -MICA_EINVAL);
        check_refused(call_blobs("name", "data", 4, rname, rdata, &rlen), -MICA_EINVAL);
    }
    fake_tamper_request = NULL;
    CHECK_EQ(call_scalars(&in, &out), 0); /* the server kept going */
}

/* One handle less than the method needs; then one where it needs none. */
static void tamper_one_handle_less(struct mica_msg *msg, struct mica_ipc_buffer *ipc)
{
    (void)ipc;
    msg->tag = mica_tag(mica_tag_label(msg->tag), mica_tag_words(msg->tag),
                        mica_tag_handles(msg->tag) - 1);
}

static mica_handle_t stowaway;

static void tamper_add_handle(struct mica_msg *msg, struct mica_ipc_buffer *ipc)
{
    ipc->handles[0] = stowaway;
    msg->tag = mica_tag(mica_tag_label(msg->tag), mica_tag_words(msg->tag), 1);
}

static void test_handle_counts(void)
{
    uint32_t vt, nt;
    mica_handle_t back;
    setup();
    struct three t = three_handles(MICA_OBJ_VMO, ALL_VMO);
    fake_tamper_request = tamper_one_handle_less;
    check_refused(call_handles(t, &vt, &nt, &back), -MICA_EINVAL);
    CHECK(fake_owns(FAKE_CLIENT, t.thing)); /* the one left behind never moved */
    CHECK_EQ(fake_open_handles(FAKE_CLIENT), 1);

    stowaway = fake_handle(FAKE_CLIENT, MICA_OBJ_VMO, ALL_VMO);
    fake_tamper_request = tamper_add_handle;
    check_refused(idltest_ping(FAKE_EP, &fake_client_buf), -MICA_EINVAL);
    CHECK(!fake_owns(FAKE_CLIENT, stowaway)); /* moved, then closed by the server */
}

/* Handles of the wrong type or without the rights the interface names. */
static void test_handle_types_and_rights(void)
{
    uint32_t vt, nt;
    mica_handle_t back;
    setup();
    check_refused(call_handles(three_handles(MICA_OBJ_NOTIFICATION, ALL_VMO), &vt, &nt, &back),
                  -MICA_EBADF);
    check_refused(call_handles(three_handles(MICA_OBJ_VMO, MICA_RIGHT_READ | MICA_RIGHT_TRANSFER),
                               &vt, &nt, &back),
                  -MICA_EACCES);
    CHECK_EQ(fake_open_handles(FAKE_CLIENT), 0); /* all six moved and were closed */
    CHECK_EQ(call_handles(three_handles(MICA_OBJ_VMO, ALL_VMO), &vt, &nt, &back), 0);
    CHECK_EQ(seen_vmo_type, MICA_OBJ_VMO);
}

/* Values out of their type's range, each in its own word. */
static unsigned bad_word; /* which word of the scalars request to spoil: 0..6 */
static uint64_t bad_value;

static void tamper_value(struct mica_msg *msg, struct mica_ipc_buffer *ipc)
{
    if (bad_word < 4)
        msg->w[bad_word] = bad_value;
    else
        ipc->words[bad_word - 4] = bad_value;
}

static void test_value_ranges(void)
{
    static const struct {
        unsigned word;
        uint64_t value;
    } bad[] = {
        {0, 0x100},                 /* u8 */
        {1, 0x10000},               /* u16 */
        {2, 0x100000000ull},        /* u32 */
        {4, 0x80000000ull},         /* i32 not sign-extended */
        {4, 0xffffffff00000000ull}, /* i32 with a wrong upper half */
        {6, 2},                     /* bool */
    };
    struct scalars in = {1, 2, 3, 4, -1, 6, true}, out;
    setup();
    fake_tamper_request = tamper_value;
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bad_word = bad[i].word;
        bad_value = bad[i].value;
        check_refused(call_scalars(&in, &out), -MICA_EINVAL);
    }
    /* The extremes that are in range pass. */
    bad_word = 4;
    bad_value = (uint64_t)(int64_t)INT32_MIN;
    CHECK_EQ(call_scalars(&in, &out), 0);
    CHECK_EQ(out.e, INT32_MIN);
}

/* Strings: no NUL at the end, a NUL inside, an empty length. */
static void tamper_no_nul(struct mica_msg *msg, struct mica_ipc_buffer *ipc)
{
    char *name = (char *)&ipc->words[0];
    name[msg->w[0] - 1] = 'x';
}

static void tamper_inner_nul(struct mica_msg *msg, struct mica_ipc_buffer *ipc)
{
    (void)msg;
    ((char *)&ipc->words[0])[1] = '\0';
}

static void tamper_zero_length(struct mica_msg *msg, struct mica_ipc_buffer *ipc)
{
    (void)ipc;
    msg->w[0] = 0;
}

static void test_bad_strings(void)
{
    char rname[16];
    uint8_t rdata[40];
    uint32_t rlen;
    setup();
    fake_tamper_request = tamper_no_nul;
    check_refused(call_blobs("abcdefg", "", 0, rname, rdata, &rlen), -MICA_EINVAL);
    fake_tamper_request = tamper_inner_nul;
    check_refused(call_blobs("abcdefg", "", 0, rname, rdata, &rlen), -MICA_EINVAL);
    fake_tamper_request = tamper_zero_length;
    check_refused(call_blobs("abcdefg", "", 0, rname, rdata, &rlen), -MICA_EINVAL);
}

/* Byte arrays longer than their bound, or longer than the words that came. */
static void tamper_oversize(struct mica_msg *msg, struct mica_ipc_buffer *ipc)
{
    (void)ipc;
    msg->w[1] = 41; /* data[40] */
    msg->tag = mica_tag(mica_tag_label(msg->tag), 1 + 6, 0);
}

static void tamper_past_words(struct mica_msg *msg, struct mica_ipc_buffer *ipc)
{
    (void)ipc;
    msg->w[1] = 40; /* fits the bound, but the message has one word for it */
}

static void test_bad_byte_counts(void)
{
    uint8_t data[48] = {0};
    char rname[16];
    uint8_t rdata[40];
    uint32_t rlen;
    setup();
    fake_tamper_request = tamper_oversize;
    check_refused(call_blobs("a", data, 40, rname, rdata, &rlen), -MICA_EINVAL);
    fake_tamper_request = tamper_past_words;
    check_refused(call_blobs("a", data, 8, rname, rdata, &rlen), -MICA_EINVAL);
}

/* The client refuses arguments beyond their bounds without calling. */
static void test_client_bounds(void)
{
    uint8_t data[41] = {0};
    char rname[16];
    uint8_t rdata[40];
    uint32_t rlen;
    setup();
    CHECK_EQ(call_blobs("sixteen chars...", data, 1, rname, rdata, &rlen), -MICA_EINVAL);
    CHECK_EQ(call_blobs("ok", data, 41, rname, rdata, &rlen), -MICA_EINVAL);
    CHECK_EQ(fake_calls, 0);
}

/* ---- malformed replies ---- */

/* The server's callback breaks the interface: the client gets EIO, nothing leaks. */
static void test_server_bad_outputs(void)
{
    char rname[16];
    uint8_t rdata[40];
    uint32_t rlen, vt, nt;
    mica_handle_t back;
    setup();
    bad_out_string = true;
    CHECK_EQ(call_blobs("a", "b", 1, rname, rdata, &rlen), -MICA_EIO);
    bad_out_handle = true;
    CHECK_EQ(call_handles(three_handles(MICA_OBJ_VMO, ALL_VMO), &vt, &nt, &back), -MICA_EIO);
    CHECK(!fake_owns(FAKE_SERVER, made_back)); /* the unmovable answer was closed */
    CHECK_EQ(fake_open_handles(FAKE_SERVER), 0);
    CHECK_EQ(fake_open_handles(FAKE_CLIENT), 0);
}

/* Replies spoiled on the way back: the client checks them like the server checks requests. */
static void tamper_reply_bool(struct mica_msg *msg, struct mica_ipc_buffer *ipc)
{
    (void)msg;
    ipc->words[2] = 7; /* rg */
}

static void tamper_reply_label(struct mica_msg *msg, struct mica_ipc_buffer *ipc)
{
    (void)ipc;
    msg->tag = mica_tag(MICA_EPERM, 0, 0); /* an error idltest does not declare */
}

static void tamper_reply_handle_type(struct mica_msg *msg, struct mica_ipc_buffer *ipc)
{
    (void)msg;
    mica_handle_close(ipc->handles[0]);
    ipc->handles[0] = fake_handle(FAKE_SERVER, MICA_OBJ_NOTIFICATION, ALL_NOTE);
}

static void tamper_error_with_handle(struct mica_msg *msg, struct mica_ipc_buffer *ipc)
{
    ipc->handles[0] = fake_handle(FAKE_SERVER, MICA_OBJ_VMO, ALL_VMO);
    msg->tag = mica_tag(MICA_EBUSY, 0, 1);
}

static void test_bad_replies(void)
{
    struct scalars in = {1, 2, 3, 4, 5, 6, true}, out;
    uint32_t vt, nt, never;
    mica_handle_t back = 0;
    setup();
    fake_tamper_reply = tamper_reply_bool;
    CHECK_EQ(call_scalars(&in, &out), -MICA_EIO);
    fake_tamper_reply = tamper_reply_label;
    CHECK_EQ(call_scalars(&in, &out), -MICA_EIO);
    fake_tamper_reply = tamper_reply_handle_type;
    CHECK_EQ(call_handles(three_handles(MICA_OBJ_VMO, ALL_VMO), &vt, &nt, &back), -MICA_EIO);
    CHECK_EQ(back, 0);
    fake_tamper_reply = tamper_error_with_handle;
    CHECK_EQ(idltest_fail(FAKE_EP, &fake_client_buf, 0, &never), -MICA_EBUSY);
    CHECK_EQ(fake_open_handles(FAKE_CLIENT), 0); /* the client closed what it refused */
    CHECK_EQ(fake_open_handles(FAKE_SERVER), 0);
}

/* ---- the dispatcher on its own ---- */

/* An unknown label with handles gets exactly an error reply: label ENOSYS, nothing else. */
static void test_dispatch_error_reply(void)
{
    struct mica_msg msg = {42, mica_tag(0x1234, 0, 2), {1, 2, 3, 4}};
    setup();
    fake_server_buf.handles[0] = fake_handle(FAKE_SERVER, MICA_OBJ_VMO, ALL_VMO);
    fake_server_buf.handles[1] = fake_handle(FAKE_SERVER, MICA_OBJ_THREAD, 0);
    fake_become(FAKE_SERVER);
    CHECK_EQ(idltest_dispatch(&test_server, NULL, &msg, &fake_server_buf), -MICA_ENOSYS);
    fake_become(FAKE_CLIENT);
    CHECK_EQ(fake_open_handles(FAKE_SERVER), 0);
    CHECK(msg.tag == mica_tag(MICA_ENOSYS, 0, 0));
    CHECK_EQ(msg.badge, 42);
    CHECK(msg.w[0] == 0 && msg.w[1] == 0 && msg.w[2] == 0 && msg.w[3] == 0);
}

int main(void)
{
    unit_run("idl", "round_trip_scalars", test_round_trip_scalars);
    unit_run("idl", "round_trip_blobs", test_round_trip_blobs);
    unit_run("idl", "round_trip_handles", test_round_trip_handles);
    unit_run("idl", "round_trip_ping_and_big", test_round_trip_ping_and_big);
    unit_run("idl", "callback_errors", test_callback_errors);
    unit_run("idl", "unknown_method", test_unknown_method);
    unit_run("idl", "wrong_label_and_word_counts", test_wrong_label_and_word_counts);
    unit_run("idl", "handle_counts", test_handle_counts);
    unit_run("idl", "handle_types_and_rights", test_handle_types_and_rights);
    unit_run("idl", "value_ranges", test_value_ranges);
    unit_run("idl", "bad_strings", test_bad_strings);
    unit_run("idl", "bad_byte_counts", test_bad_byte_counts);
    unit_run("idl", "client_bounds", test_client_bounds);
    unit_run("idl", "server_bad_outputs", test_server_bad_outputs);
    unit_run("idl", "bad_replies", test_bad_replies);
    unit_run("idl", "dispatch_error_reply", test_dispatch_error_reply);
    unit_run("idl", "reissue_after_death", test_reissue_after_death);
    unit_run("idl", "reissue_keeps_handles", test_reissue_keeps_handles);
    unit_run("idl", "reissue_limits", test_reissue_limits);
    return unit_exit_code();
}
