/*
 * vmo.h - VM objects: memory that can be mapped into address spaces.
 */
#ifndef MICA_VMO_H
#define MICA_VMO_H

#include <stdbool.h>
#include <stdint.h>
#include <mica/object.h>

#define VMO_MAX_SIZE (1ull << 32) /* 4 GiB per object */

enum vmo_kind {
    VMO_ANON,   /* pages allocated and zeroed on first touch */
    VMO_PHYS,   /* a fixed range of device memory, never allocated or freed */
    VMO_CONTIG, /* physically contiguous RAM, allocated at once (for DMA) */
};

struct vm_mapping;

struct vmo {
    struct object obj;
    struct vm_mapping *mappings; /* everywhere it is mapped (the reverse map) */
    enum vmo_kind kind;
    uint32_t cache;     /* MICA_CACHE_* */
    uint64_t phys_base; /* VMO_PHYS and VMO_CONTIG */
    uint64_t size;      /* bytes, a multiple of the page size */
    uint64_t npages;
    uint64_t *pages; /* physical address of each page, 0 until first touched */
};

struct vmo *vmo_create_anon(uint64_t size, int *err);
struct vmo *vmo_create_phys(uint64_t base, uint64_t size, uint32_t cache, int *err);
struct vmo *vmo_create_contig(uint64_t size, uint32_t cache, int *err);
/* The page at index, allocated and zeroed on first use; 0 when out of memory. */
uint64_t vmo_page(struct vmo *v, uint64_t index);
/* The same, but private to v: a page shared with a clone is copied first. */
uint64_t vmo_page_for_write(struct vmo *v, uint64_t index, bool *copied);
bool vmo_page_shared(struct vmo *v, uint64_t index);
/* A copy-on-write clone of an anonymous object: pages are shared until written. */
struct vmo *vmo_clone(struct vmo *v, int *err);

#endif
