/*
 * server.c - a server's view of what the supervisor started it with (see server.h).
 */
#include "server.h"
#include <mica/string.h>

mica_handle_t mica_start_handle(const struct mica_server_start *s, const char *name)
{
    if (!s || s->magic != MICA_START_MAGIC)
        return 0;
    for (uint32_t i = 0; i < s->nhandles && i < MICA_START_HANDLES; i++)
        if (strncmp(s->handles[i].name, name, MICA_START_NAME_MAX) == 0)
            return s->handles[i].handle;
    return 0;
}
