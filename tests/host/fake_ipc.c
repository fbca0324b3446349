/* fake_ipc.c - a fake kernel for host tests of IPC stubs (see fake_ipc.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fake_ipc.h"

#define MAX_HANDLES 64

struct fake_handle {
    bool open;
    enum fake_side owner;
    uint32_t type, rights;
};

/* Handle value h is table[h]; 0 stays MICA_HANDLE_INVALID. */
static struct fake_handle table[MAX_HANDLES];
static enum fake_side current = FAKE_CLIENT; /* whose system call is running */
static mica_handle_t next_handle = 1;        /* where the search for a free slot starts */

struct mica_ipc_buffer fake_client_buf, fake_server_buf;
int (*fake_server)(struct mica_msg *msg, struct mica_ipc_buffer *ipc);
void (*fake_tamper_request)(struct mica_msg *msg, struct mica_ipc_buffer *ipc);
void (*fake_tamper_reply)(struct mica_msg *msg, struct mica_ipc_buffer *ipc);
int fake_calls;
int fake_last_status;
int fake_deaths;

void fake_reset(void)
{
    memset(table, 0, sizeof table);
    next_handle = 1;
    memset(&fake_client_buf, 0xa5, sizeof fake_client_buf); /* stale bytes, not zeros */
    memset(&fake_server_buf, 0x5a, sizeof fake_server_buf);
    current = FAKE_CLIENT;
    fake_tamper_request = NULL;
    fake_tamper_reply = NULL;
    fake_calls = 0;
    fake_last_status = 0;
    fake_deaths = 0;
}

void fake_become(enum fake_side side)
{
    current = side;
}

/*
 * Free slots are taken round-robin, so that a closed handle's value is not
 * given out again at once: the kernel's handle generations guarantee that a
 * stale value never names a new object, and the recovering stubs rely on it.
 */
mica_handle_t fake_handle(enum fake_side side, uint32_t type, uint32_t rights)
{
    for (int n = 0; n < MAX_HANDLES; n++) {
        mica_handle_t h = next_handle;
        next_handle = next_handle + 1 < MAX_HANDLES ? next_handle + 1 : 1;
        if (!table[h].open) {
            table[h] = (struct fake_handle){true, side, type, rights};
            return h;
        }
    }
    fprintf(stderr, "fake_ipc: handle table full\n");
    abort();
}

int fake_open_handles(enum fake_side side)
{
    int n = 0;
    for (int h = 1; h < MAX_HANDLES; h++)
        n += table[h].open && table[h].owner == side;
    return n;
}

int fake_owns(enum fake_side side, mica_handle_t h)
{
    return h > 0 && h < MAX_HANDLES && table[h].open && table[h].owner == side;
}

/* The handle of the calling side, or NULL. */
static struct fake_handle *lookup(mica_handle_t h)
{
    return fake_owns(current, h) ? &table[h] : NULL;
}

/* SYS_HANDLE_CLOSE is the only one-argument call the stubs make. */
int64_t mica_syscall1(uint64_t nr, uint64_t a0)
{
    struct fake_handle *e = lookup((mica_handle_t)a0);
    if (nr != SYS_HANDLE_CLOSE) {
        fprintf(stderr, "fake_ipc: unexpected system call %lu\n", (unsigned long)nr);
        abort();
    }
    if (e == NULL)
        return -MICA_EBADF;
    e->open = false;
    return 0;
}

/* SYS_HANDLE_DUP is the only two-argument call (the recovering stubs make it). */
int64_t mica_syscall2(uint64_t nr, uint64_t a0, uint64_t a1)
{
    struct fake_handle *e = lookup((mica_handle_t)a0);
    if (nr != SYS_HANDLE_DUP) {
        fprintf(stderr, "fake_ipc: unexpected system call %lu\n", (unsigned long)nr);
        abort();
    }
    if (e == NULL)
        return -MICA_EBADF;
    if (!(e->rights & MICA_RIGHT_DUP))
        return -MICA_EACCES;
    return fake_handle(current, e->type, e->rights & (uint32_t)a1);
}

/* SYS_HANDLE_INFO is the only three-argument call the stubs make. */
int64_t mica_syscall3(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    struct fake_handle *e = lookup((mica_handle_t)a0);
    if (nr != SYS_HANDLE_INFO) {
        fprintf(stderr, "fake_ipc: unexpected system call %lu\n", (unsigned long)nr);
        abort();
    }
    if (e == NULL)
        return -MICA_EBADF;
    *(uint32_t *)(uintptr_t)a1 = e->type;
    *(uint32_t *)(uintptr_t)a2 = e->rights;
    return 0;
}

/* The rendezvous: check the tag, move the handles (all or nothing), copy the words. */
static int transfer(const struct mica_msg *msg, const struct mica_ipc_buffer *from,
                    enum fake_side from_side, struct mica_ipc_buffer *to, enum fake_side to_side)
{
    unsigned words = mica_tag_words(msg->tag), handles = mica_tag_handles(msg->tag);
    if ((msg->tag & 0xfffff000u) != 0 || words > MICA_IPC_WORDS || handles > MICA_IPC_HANDLES)
        return -MICA_EINVAL;
    for (unsigned i = 0; i < handles; i++) {
        mica_handle_t h = from->handles[i];
        if (!fake_owns(from_side, h))
            return -MICA_EBADF;
        if (!(table[h].rights & MICA_RIGHT_TRANSFER))
            return -MICA_EACCES;
    }
    for (unsigned i = 0; i < handles; i++) {
        table[from->handles[i]].owner = to_side;
        to->handles[i] = from->handles[i]; /* the fake keeps handle values */
    }
    memcpy(to->words, from->words, words * sizeof(uint64_t));
    return 0;
}

int64_t mica_call(mica_handle_t ep, struct mica_msg *m)
{
    if (ep != FAKE_EP || current != FAKE_CLIENT)
        return -MICA_EBADF;
    if (fake_tamper_request)
        fake_tamper_request(m, &fake_client_buf);
    int err = transfer(m, &fake_client_buf, FAKE_CLIENT, &fake_server_buf, FAKE_SERVER);
    if (err < 0)
        return err;
    fake_calls++;
    if (fake_deaths > 0) { /* the server dies holding the request: its handles go with it */
        fake_deaths--;
        for (unsigned i = 0; i < mica_tag_handles(m->tag); i++)
            table[fake_server_buf.handles[i]].open = false;
        return -MICA_EPIPE;
    }
    current = FAKE_SERVER;
    m->badge = 0;
    fake_last_status = fake_server(m, &fake_server_buf);
    if (fake_tamper_reply)
        fake_tamper_reply(m, &fake_server_buf);
    current = FAKE_CLIENT;
    return transfer(m, &fake_server_buf, FAKE_SERVER, &fake_client_buf, FAKE_CLIENT);
}
