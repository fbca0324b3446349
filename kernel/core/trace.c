/*
 * trace.c - per-CPU ring buffers of kernel events (see trace.h).
 *
 * The buffers are allocated when tracing first starts.  Each CPU writes only
 * its own ring, with interrupts off; the ring's lock is only ever contended
 * by a reader taking that CPU's events.  When a ring is full the
 * oldest events are overwritten and counted as lost.
 */
#include <mica/errno.h>
#include <mica/kmalloc.h>
#include <mica/object.h>
#include <mica/pmm.h>
#include <mica/spinlock.h>
#include <mica/string.h>
#include <mica/trace.h>
#include <arch/arch.h>
#include <arch/cpu.h>

#define TRACE_EVENTS   4096 /* per CPU: 128 KiB */
#define TRACE_MAX_CPUS 64

struct ring {
    struct spinlock lock;
    uint64_t head, tail; /* events written, events taken */
    uint64_t lost;
    struct mica_trace_event *ev;
};

volatile bool trace_on;
static struct ring rings[TRACE_MAX_CPUS];

void trace_record(uint32_t type, uint64_t a, uint64_t b)
{
    uint64_t flags = arch_irq_save();
    unsigned cpu = arch_cpu_id();
    struct ring *r = &rings[cpu];
    if (cpu < TRACE_MAX_CPUS && r->ev) {
        spin_lock(&r->lock);
        if (r->head - r->tail == TRACE_EVENTS) {
            r->tail++; /* full: drop the oldest */
            r->lost++;
        }
        struct mica_trace_event *e = &r->ev[r->head % TRACE_EVENTS];
        e->tsc = arch_timestamp();
        e->type = type;
        e->cpu = cpu;
        e->a = a;
        e->b = b;
        r->head++;
        spin_unlock(&r->lock);
    }
    arch_irq_restore(flags);
}

static int allocate_rings(void)
{
    for (unsigned cpu = 0; cpu < arch_cpus_online() && cpu < TRACE_MAX_CPUS; cpu++) {
        if (rings[cpu].ev)
            continue;
        spin_init(&rings[cpu].lock, "trace");
        rings[cpu].ev = pmm_alloc_bytes(TRACE_EVENTS * sizeof(struct mica_trace_event));
        if (!rings[cpu].ev)
            return -ENOMEM;
    }
    return 0;
}

static void trace_object_destroy(struct object *o)
{
    kfree(o);
}

struct object *trace_object_create(void)
{
    struct object *o = kzalloc(sizeof *o);
    if (o)
        object_init(o, OBJ_TRACE, trace_object_destroy);
    return o;
}

int trace_enable(bool on)
{
    if (on) {
        int err = allocate_rings();
        if (err < 0)
            return err;
    }
    trace_on = on;
    return 0;
}

void trace_reset(void)
{
    for (unsigned cpu = 0; cpu < TRACE_MAX_CPUS; cpu++) {
        uint64_t flags = spin_lock_irqsave(&rings[cpu].lock);
        rings[cpu].tail = rings[cpu].head;
        rings[cpu].lost = 0;
        spin_unlock_irqrestore(&rings[cpu].lock, flags);
    }
}

int trace_take(unsigned cpu, struct mica_trace_event *out, unsigned max)
{
    if (cpu >= TRACE_MAX_CPUS || cpu >= arch_cpus_online())
        return -EINVAL;
    struct ring *r = &rings[cpu];
    if (!r->ev || max == 0)
        return 0;
    unsigned n = 0;
    uint64_t flags = spin_lock_irqsave(&r->lock);
    if (r->lost) { /* tell the reader first that some events are gone */
        memset(&out[n], 0, sizeof out[n]);
        out[n].type = MICA_EV_LOST;
        out[n].cpu = cpu;
        out[n].a = r->lost;
        r->lost = 0;
        n++;
    }
    while (n < max && r->tail < r->head)
        out[n++] = r->ev[r->tail++ % TRACE_EVENTS];
    spin_unlock_irqrestore(&r->lock, flags);
    return (int)n;
}
