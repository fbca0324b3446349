/*
 * vmo.h - VM objects: memory that can be mapped into address spaces.
 */
#ifndef MICA_VMO_H
#define MICA_VMO_H

#include <stdint.h>
#include <mica/object.h>

#define VMO_MAX_SIZE (1ull << 32) /* 4 GiB per object */

struct vmo {
    struct object obj;
    uint64_t size; /* bytes, a multiple of the page size */
    uint64_t npages;
    uint64_t *pages; /* physical address of each page, 0 until first touched */
};

struct vmo *vmo_create_anon(uint64_t size, int *err);
/* The page at index, allocated and zeroed on first use; 0 when out of memory. */
uint64_t vmo_page(struct vmo *v, uint64_t index);

#endif
