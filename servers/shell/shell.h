/*
 * shell.h - msh, Mica's native shell (servers/shell): what the commands
 * (commands.c) share with the line reader (main.c).
 */
#ifndef SHELL_SHELL_H
#define SHELL_SHELL_H

#include <stdint.h>
#include <client.h>
#include <mica.h>

#define SHELL_LINE_MAX 200
#define SHELL_ARGS_MAX 8

/* The services the shell may use; a service its manifest line did not give it is 0. */
struct shell {
    struct mica_client console;
    mica_handle_t supervisor, devmgr, rtc, rng, blk, self;
    struct mica_ipc_buffer *ipc;
};

extern struct shell sh;

/* Formatted output on the console (through the recovering stubs). */
void sh_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run one command (argv[0]) with its arguments; unknown commands say so. */
void sh_run(int argc, char **argv);

#endif
