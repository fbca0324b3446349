/*
 * timer.h - timer objects: a notification signalled at a deadline, once or
 * periodically (kernel/core/timer.c).
 */
#ifndef MICA_TIMER_H
#define MICA_TIMER_H

#include <stdbool.h>
#include <stdint.h>
#include <mica/object.h>

#define TIMER_MIN_PERIOD_NS 1000000ull /* 1 ms: a period must not flood the tick */

struct notification;

struct ktimer {
    struct object obj;
    struct notification *notification; /* holds a reference */
    uint64_t bits;
    uint64_t deadline_ns; /* next firing, in ns since boot; 0: disarmed */
    uint64_t period_ns;   /* 0: one-shot */
    uint64_t fired;       /* how many times it fired */
    bool armed;
    struct ktimer *next; /* in the list of armed timers */
};

/* A disarmed timer that will signal bits on n.  -EINVAL for bits 0 or with bit 63. */
int timer_create(struct notification *n, uint64_t bits, struct ktimer **out);
/* Arm for deadline_ns (ns since boot; 0 disarms), then every period_ns (0: once). */
int timer_set(struct ktimer *t, uint64_t deadline_ns, uint64_t period_ns);
/* From the boot CPU's clock interrupt. */
void timer_tick(void);

#endif
