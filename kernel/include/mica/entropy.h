/*
 * entropy.h - the kernel's entropy pool and random-number generator
 * (kernel/core/entropy.c): seeded at boot, fed by user space
 * (SYS_ENTROPY_ADD), read by anyone (SYS_RANDOM_GET).
 */
#ifndef MICA_ENTROPY_H
#define MICA_ENTROPY_H

#include <stddef.h>
#include <stdint.h>

/* The most bytes one SYS_RANDOM_GET or SYS_ENTROPY_ADD moves. */
#define ENTROPY_MAX_REQUEST 256

/* Seed the pool from the CPU's random instructions (if any) and TSC jitter; logs what it used. */
void entropy_init(void);

/* Mix len bytes into the pool.  Mixing never lowers what an attacker does not know. */
void entropy_mix(const void *buf, size_t len);

/* Mix bytes user space gave (SYS_ENTROPY_ADD) and count them; returns the count so far. */
uint64_t entropy_add_from_user(const void *buf, size_t len);

/* len random bytes (any length; the key changes after every call). */
void entropy_get(void *buf, size_t len);

#endif
