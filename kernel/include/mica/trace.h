/*
 * trace.h - the kernel trace buffer (concept: observability; what the system
 * does, recorded as it happens).
 *
 * Each CPU records events into its own ring buffer, stamped with the time
 * stamp counter.  Recording is off by default; when off, each trace point
 * costs one load and one branch.
 */
#ifndef MICA_TRACE_H
#define MICA_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <abi/mica/syscall.h>

extern volatile bool trace_on;

void trace_record(uint32_t type, uint64_t a, uint64_t b);

/* The trace point: near-free while tracing is off. */
static inline void trace(uint32_t type, uint64_t a, uint64_t b)
{
    if (__builtin_expect(trace_on, 0))
        trace_record(type, a, b);
}

/* The object whose handle allows controlling and reading the trace. */
struct object *trace_object_create(void);

int trace_enable(bool on);
void trace_reset(void);
/* Take up to max events of one CPU's buffer, oldest first; returns how many. */
int trace_take(unsigned cpu, struct mica_trace_event *out, unsigned max);

#endif
