/*
 * client.c - re-issuing a request whose server died holding it (client.h;
 * concept: micro-reboot).
 */
#include "client.h"

bool mica_client_reissue(struct mica_client *c, int *err, unsigned attempt)
{
    unsigned limit = c->max_reissue ? c->max_reissue : MICA_CLIENT_REISSUE_MAX;
    if (*err != -MICA_EPIPE || attempt + 1 >= limit)
        return false;
    if (c->reconnect) {
        int r = c->reconnect(c);
        if (r != 0) {
            *err = r;
            return false;
        }
    }
    c->reissued++;
    return true;
}
