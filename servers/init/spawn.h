/*
 * spawn.h - starting a program in a new address space from its ELF image
 * (servers/init/spawn.c) (concepts: program loading, process creation).
 */
#ifndef INIT_SPAWN_H
#define INIT_SPAWN_H

#include <stdint.h>
#include <mica.h>
#include <server.h>

struct process {
    mica_handle_t as;     /* its address space (MANAGE) */
    mica_handle_t thread; /* its first thread */
};

/*
 * Make an address space, load the ELF image (size bytes at image) into it,
 * give it a stack with *start at the top, and create its first thread
 * (not started), whose rdi points to the copy of *start.  start->handles
 * must already name handles in the new space, so the caller makes the
 * address space first: call spawn_prepare(), grant, then spawn_load().
 * Both return 0 or a negative error with *why saying what failed.
 */
int spawn_prepare(struct process *p, const char **why);
int spawn_load(struct process *p, const void *image, uint64_t size,
               const struct mica_server_start *start, const char **why);

/* Undo spawn_prepare()/spawn_load(): close the handles (the process must not run). */
void spawn_discard(struct process *p);

#endif
