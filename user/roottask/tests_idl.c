/*
 * tests_idl.c - the stubs generated from idl/blk.idl (docs/idl.md) over real
 * IPC: a server thread serves a small read-only RAM disk through
 * blk_dispatch(), and the test calls it with the client stubs.  Long replies
 * travel through the IPC buffers, VM-object handles move to the server and
 * are checked with SYS_HANDLE_INFO, and requests the server refuses leave no
 * handle behind in the table.
 */
#include "rt.h"
#include "blk_client.h"
#include "blk_server.h"
#include "idl.h"

#define SECTOR      512u
#define DISK_SIZE   (64 * SECTOR)
#define LABEL_NONE  (BLK_LABEL_BASE + 0xff) /* no method of blk */
#define BUFFER_SIZE RT_PAGE

/* What the disk holds at byte i: a pattern that differs from sector to sector. */
static uint8_t disk_byte(uint64_t i)
{
    return (uint8_t)(i * 7 + i / SECTOR);
}

static struct {
    mica_handle_t ep, note;
    struct mica_ipc_buffer *client_buf, *server_buf;
    mica_handle_t client_vmo, server_vmo;
    volatile int stop; /* the server ends after the next request */
    int64_t result;    /* the server's last IPC result */
} idl;

/* ---- the server: a read-only RAM disk behind the blk interface ---- */

static int disk_info(void *ctx, struct blk_info_out *out)
{
    (void)ctx;
    out->sectors = DISK_SIZE / SECTOR;
    out->sector_size = SECTOR;
    out->max_sectors = BUFFER_SIZE / SECTOR;
    out->read_only = true;
    return mica_idl_copy_str(out->model, sizeof out->model, "mica ramdisk");
}

/* Copy sectors into the VM object: map it, fill it, unmap it. */
static int fill_buffer(const struct blk_read_in *in)
{
    uint64_t bytes = (uint64_t)in->count * SECTOR;
    if (in->sector + in->count > DISK_SIZE / SECTOR || in->offset > BUFFER_SIZE ||
        bytes > BUFFER_SIZE - in->offset)
        return -MICA_EINVAL;
    int64_t at = mica_vm_map(rt_self, in->buf, 0, 0, BUFFER_SIZE, RT_RW);
    if (at < 0)
        return -MICA_EIO;
    uint8_t *dst = (uint8_t *)at + in->offset;
    for (uint64_t i = 0; i < bytes; i++)
        dst[i] = disk_byte(in->sector * SECTOR + i);
    mica_vm_unmap(rt_self, (uint64_t)at, BUFFER_SIZE);
    return 0;
}

static int disk_read(void *ctx, const struct blk_read_in *in, struct blk_read_out *out)
{
    (void)ctx;
    int err = fill_buffer(in);
    mica_handle_close(in->buf); /* the callback owns the handle, whatever happens */
    if (err < 0)
        return err;
    out->done = in->count;
    return 0;
}

static int disk_write(void *ctx, const struct blk_write_in *in, struct blk_write_out *out)
{
    (void)ctx;
    (void)out;
    mica_handle_close(in->buf);
    return -MICA_EPERM; /* a read-only disk */
}

static const struct blk_server ramdisk = {
    .info = disk_info,
    .read = disk_read,
    .write = disk_write,
    .flush = NULL, /* not offered: ENOSYS */
};

static void server_thread(uint64_t arg)
{
    (void)arg;
    struct mica_msg m = {0};
    int64_t r = mica_thread_set_ipc_buffer(MICA_THREAD_SELF, idl.server_buf);
    if (r == 0)
        r = mica_recv(idl.ep, &m);
    while (r == 0) {
        blk_dispatch(&ramdisk, NULL, &m, idl.server_buf);
        if (idl.stop)
            break;
        r = mica_reply_recv(idl.ep, &m);
    }
    if (r == 0)
        r = mica_reply(&m);
    idl.result = r;
    rt_signal_exit(idl.note, 1);
}

/* ---- the client side ---- */

static uint64_t handles_now(void)
{
    struct mica_kernel_stats s;
    rt_stats(&s);
    return s.handles;
}

/* A duplicate of h with these rights (and TRANSFER), to pass to the server. */
static mica_handle_t dup_for_server(mica_handle_t h, uint32_t rights)
{
    int64_t d = mica_handle_dup(h, rights | MICA_RIGHT_TRANSFER);
    RT_CHECK(d > 0);
    return (mica_handle_t)d;
}

static void check_info(void)
{
    uint64_t sectors = 0;
    uint32_t sector_size = 0, max_sectors = 0;
    bool read_only = false;
    char model[32] = "";
    RT_EQ(blk_info(idl.ep, idl.client_buf, &sectors, &sector_size, &max_sectors, &read_only, model),
          0);
    RT_EQ(sectors, DISK_SIZE / SECTOR);
    RT_EQ(sector_size, SECTOR);
    RT_EQ(max_sectors, BUFFER_SIZE / SECTOR);
    RT_EQ(read_only, true);
    RT_EQ(strcmp(model, "mica ramdisk"), 0);
}

/* Two sectors land in the buffer at its offset; the passed handle has left us. */
static void check_read(const uint8_t *buffer, mica_handle_t vmo)
{
    uint32_t done = 0;
    mica_handle_t passed = dup_for_server(vmo, MICA_RIGHT_ALL);
    RT_EQ(blk_read(idl.ep, idl.client_buf, 3, 2, passed, SECTOR, &done), 0);
    RT_EQ(done, 2);
    unsigned wrong = 0;
    for (uint64_t i = 0; i < 2 * SECTOR; i++)
        wrong += buffer[SECTOR + i] != disk_byte(3 * SECTOR + i);
    RT_EQ(wrong, 0);
    RT_EQ(buffer[0], 0); /* before the offset: untouched */
    RT_EQ(mica_handle_close(passed), -MICA_EBADF);
}

/* What the server refuses: each time no handle stays behind. */
static void check_refusals(mica_handle_t vmo)
{
    uint64_t handles = handles_now();
    uint32_t done = 0;
    mica_handle_t note = dup_for_server(idl.note, MICA_RIGHT_SIGNAL);
    RT_EQ(blk_read(idl.ep, idl.client_buf, 0, 1, note, 0, &done), -MICA_EBADF); /* not a vmo */
    mica_handle_t weak = dup_for_server(vmo, MICA_RIGHT_READ | MICA_RIGHT_WRITE | MICA_RIGHT_MAP);
    RT_EQ(blk_read(idl.ep, idl.client_buf, 0, 1, weak, 0, &done), -MICA_EACCES); /* no MANAGE */
    mica_handle_t far = dup_for_server(vmo, MICA_RIGHT_ALL);
    RT_EQ(blk_read(idl.ep, idl.client_buf, 63, 2, far, 0, &done), -MICA_EINVAL); /* past the end */
    mica_handle_t src = dup_for_server(vmo, MICA_RIGHT_ALL);
    RT_EQ(blk_write(idl.ep, idl.client_buf, 0, 1, src, 0, &done), -MICA_EPERM);
    RT_EQ(blk_flush(idl.ep, idl.client_buf), -MICA_ENOSYS);
    RT_EQ(done, 0);
    RT_EQ(handles_now(), handles);
}

/* Messages no stub would send: an error reply with the error as its label. */
static void check_raw_messages(void)
{
    uint64_t handles = handles_now();
    struct mica_msg m = {0, mica_tag(BLK_LABEL_READ, 0, 0), {1, 1, 0, 0}}; /* no handle */
    RT_EQ(mica_call(idl.ep, &m), 0);
    RT_EQ(m.tag, mica_tag(MICA_EINVAL, 0, 0));
    idl.client_buf->handles[0] = dup_for_server(idl.note, MICA_RIGHT_SIGNAL);
    m = (struct mica_msg){0, mica_tag(LABEL_NONE, 0, 1), {0}};
    RT_EQ(mica_call(idl.ep, &m), 0);
    RT_EQ(m.tag, mica_tag(MICA_ENOSYS, 0, 0));
    RT_EQ(handles_now(), handles); /* the server closed the handle it got */
}

/* The blk stubs over real IPC: info, a zero-copy read, refusals, raw messages. */
static void test_idl_blk_over_ipc(void)
{
    mica_handle_t vmo;
    struct rt_thread t;
    uint8_t *buffer = rt_map_new(BUFFER_SIZE, RT_RW, &vmo);
    idl.client_buf = rt_map_new(RT_PAGE, RT_RW, &idl.client_vmo);
    idl.server_buf = rt_map_new(RT_PAGE, RT_RW, &idl.server_vmo);
    idl.ep = (mica_handle_t)mica_endpoint_create();
    idl.note = (mica_handle_t)mica_notify_create();
    idl.stop = 0;
    RT_EQ(mica_thread_set_ipc_buffer(MICA_THREAD_SELF, idl.client_buf), 0);
    RT_EQ(rt_spawn(&t, server_thread, 0), 0);

    check_info();
    check_read(buffer, vmo);
    check_refusals(vmo);
    check_raw_messages();

    idl.stop = 1;
    check_info(); /* the last request */
    RT_EQ(rt_wait_bits(idl.note, 1), 1);
    RT_EQ(idl.result, 0);
    rt_reap(&t, 1);
    RT_EQ(mica_thread_set_ipc_buffer(MICA_THREAD_SELF, 0), 0);
    mica_handle_close(idl.ep);
    mica_handle_close(idl.note);
    rt_unmap_close(idl.server_buf, RT_PAGE, idl.server_vmo);
    rt_unmap_close(idl.client_buf, RT_PAGE, idl.client_vmo);
    rt_unmap_close(buffer, BUFFER_SIZE, vmo);
}

const struct rt_test rt_idl_tests[] = {
    {"idl_blk_over_ipc", test_idl_blk_over_ipc},
};
const unsigned rt_idl_test_count = sizeof rt_idl_tests / sizeof rt_idl_tests[0];
