/*
 * ioport.c - I/O-port ranges and their opening for a process (concept:
 * protection of the I/O address space).
 *
 * x86 has a separate space of 65536 I/O ports.  User code may use in/out
 * only on ports whose bit is clear in the I/O permission bitmap of the TSS.
 * Each address space keeps its own bitmap (all ports closed at first); the
 * context switch puts the bitmap of the running process into the CPU's TSS.
 */
#include <mica/aspace.h>
#include <mica/device.h>
#include <mica/errno.h>
#include <mica/kmalloc.h>
#include <mica/string.h>

static void ioport_destroy(struct object *o)
{
    kfree(o);
}

struct ioport_range *ioport_range_create(uint32_t base, uint32_t count)
{
    if (count == 0 || base >= IOPORT_COUNT || count > IOPORT_COUNT - base)
        return 0;
    struct ioport_range *r = kzalloc(sizeof *r);
    if (!r)
        return 0;
    object_init(&r->obj, OBJ_IOPORT, ioport_destroy);
    r->base = base;
    r->count = count;
    return r;
}

int aspace_allow_ports(struct aspace *as, const struct ioport_range *r)
{
    if (!as->io_bitmap) {
        as->io_bitmap = kmalloc(IOPORT_COUNT / 8);
        if (!as->io_bitmap)
            return -ENOMEM;
        memset(as->io_bitmap, 0xff, IOPORT_COUNT / 8);
    }
    for (uint32_t port = r->base; port < r->base + r->count; port++)
        as->io_bitmap[port / 8] &= (uint8_t) ~(1u << (port % 8));
    as->io_generation++;
    return 0;
}
