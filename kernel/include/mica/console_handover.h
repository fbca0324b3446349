/*
 * console_handover.h - the kernel log's console handed to a user-space
 * driver (kernel/core/console_handover.c).
 */
#ifndef MICA_CONSOLE_HANDOVER_H
#define MICA_CONSOLE_HANDOVER_H

#include <stdbool.h>
#include <stdint.h>

struct aspace;
struct notification;

#define HANDOVER_RING 32768 /* bytes of log kept for the driver */

/* If a driver holds the console: keep the message for it and return true. */
bool handover_append(const char *buf, unsigned long len);

/* The driver process as takes the console; it is told of new log text on n. */
int handover_take(struct aspace *as, struct notification *n, uint64_t bits);

/* Up to max bytes of log for the driver (ending at a line's end when one fits). */
int64_t handover_read(struct aspace *as, char *buf, uint64_t max);

/* The process as ended: if it held the console, the kernel writes again, the rest first. */
void handover_release(struct aspace *as);

/* Halting or panicking: write what the driver has not taken, and keep the console. */
void handover_reclaim(void);

/* From the boot CPU's clock tick: tell the driver of new log text. */
void handover_tick(void);

#endif
