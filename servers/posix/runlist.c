/*
 * runlist.c - reading the posix server's list of command lines (see
 * runlist.h).  Pure code: the host unit tests run it.
 */
#include "runlist.h"
#include <stdbool.h>
#include <mica/string.h>

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Split c->text into words, environment first; -1 if there are too many or no program. */
static int split(struct command *c)
{
    char *p = c->text;
    c->envc = c->argc = 0;
    for (;;) {
        while (is_space(*p))
            p++;
        if (!*p)
            break;
        const char *w = p;
        while (*p && !is_space(*p))
            p++;
        if (*p)
            *p++ = 0; /* the word ends here */
        const char *eq = strchr(w, '=');
        bool is_env = c->argc == 0 && eq && eq != w;
        if ((is_env ? c->envc : c->argc) == RUNLIST_WORDS_MAX - 1)
            return -1;
        if (is_env)
            c->env[c->envc++] = w;
        else
            c->argv[c->argc++] = w;
    }
    c->env[c->envc] = 0;
    c->argv[c->argc] = 0;
    return c->argc ? 0 : -1;
}

int runlist_next(const char *list, uint64_t len, uint64_t *offset, struct command *c)
{
    while (*offset < len) {
        const char *line = list + *offset;
        uint64_t n = 0;
        while (*offset + n < len && line[n] != '\n')
            n++;
        *offset += n + (*offset + n < len);
        uint64_t skip = 0;
        while (skip < n && is_space(line[skip]))
            skip++;
        if (skip == n || line[skip] == '#')
            continue;
        if (n >= sizeof c->text)
            return -1;
        memcpy(c->text, line, n);
        c->text[n] = 0;
        return split(c) < 0 ? -1 : 1;
    }
    return 0;
}
