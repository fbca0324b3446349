/*
 * phys_range.c - ranges of physical addresses for device memory (concept:
 * memory-mapped I/O, protection of the physical address space).
 *
 * Drivers reach device registers and frame buffers by mapping physical
 * addresses.  A phys-range object says which addresses a holder may map;
 * the root task receives one covering all of them and hands out pieces.
 * Whatever the range, RAM is never mappable this way: the kernel's memory,
 * other processes' pages and the firmware's tables stay out of reach.
 */
#include <mica/bootinfo.h>
#include <mica/device.h>
#include <mica/kmalloc.h>

static void phys_range_destroy(struct object *o)
{
    kfree(o);
}

struct phys_range *phys_range_create(uint64_t base, uint64_t size)
{
    if (size == 0 || base >= PHYS_ADDR_LIMIT || size > PHYS_ADDR_LIMIT - base)
        return 0;
    struct phys_range *r = kzalloc(sizeof *r);
    if (!r)
        return 0;
    object_init(&r->obj, OBJ_PHYS, phys_range_destroy);
    r->base = base;
    r->size = size;
    return r;
}

static bool is_ram(uint32_t type)
{
    return type == MEM_USABLE || type == MEM_KERNEL || type == MEM_BOOT_MODULE ||
           type == MEM_ACPI_RECLAIM || type == MEM_ACPI_NVS;
}

bool phys_is_device_memory(uint64_t base, uint64_t size)
{
    const struct memmap *m = &boot_info.memmap;
    for (unsigned i = 0; i < m->count; i++) {
        const struct memmap_entry *e = &m->e[i];
        if (is_ram(e->type) && e->base < base + size && base < e->base + e->length)
            return false;
    }
    return true;
}
