/*
 * parked.c - the serial driver's list of requests that wait (concept: a wait
 * queue of reply capabilities in a user-space server; see parked.h).
 */
#include <mica/string.h> /* memcpy */
#include "parked.h"

struct parked *park_reserve(struct park_list *l, const struct mica_msg *msg,
                            const struct mica_ipc_buffer *ipc)
{
    if (l->n == PARK_MAX)
        return NULL;
    struct parked *p = &l->slot[l->n];
    p->kind = PARK_NONE;
    p->queued = false;
    p->target = 0;
    p->reply = 0;
    p->msg = *msg;
    memcpy(p->words, ipc->words, mica_tag_words(msg->tag) * sizeof(uint64_t));
    return p;
}

void park_commit(struct park_list *l, mica_handle_t reply)
{
    l->slot[l->n].reply = reply;
    l->n++;
}

void park_restore(const struct park_list *l, unsigned i, struct mica_msg *msg,
                  struct mica_ipc_buffer *ipc)
{
    const struct parked *p = &l->slot[i];
    *msg = p->msg;
    memcpy(ipc->words, p->words, mica_tag_words(p->msg.tag) * sizeof(uint64_t));
}

void park_remove(struct park_list *l, unsigned i)
{
    for (unsigned k = i; k + 1 < l->n; k++)
        l->slot[k] = l->slot[k + 1];
    l->n--;
}

bool park_waits_for_room(const struct parked *p)
{
    return p->kind == PARK_WRITE || (p->kind == PARK_SYNC && !p->queued);
}

bool park_any_for_room(const struct park_list *l)
{
    for (unsigned i = 0; i < l->n; i++)
        if (park_waits_for_room(&l->slot[i]))
            return true;
    return false;
}

bool park_any_reader(const struct park_list *l)
{
    for (unsigned i = 0; i < l->n; i++)
        if (l->slot[i].kind == PARK_READ)
            return true;
    return false;
}
