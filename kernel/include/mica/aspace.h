/*
 * aspace.h - address spaces: the page tables and memory mappings of a
 * process, and its handle table (concepts: virtual address spaces, isolation,
 * segments as regions with their own protection).
 */
#ifndef MICA_ASPACE_H
#define MICA_ASPACE_H

#include <stdbool.h>
#include <stdint.h>
#include <mica/handle.h>
#include <mica/object.h>

#define ASPACE_USER_BASE 0x1000ull /* page 0 stays unmapped */
#define ASPACE_USER_TOP  0x0000800000000000ull
#define ASPACE_HANDLES   1024

struct vmo;

struct vm_mapping {
    uint64_t start, end; /* [start, end), page aligned */
    struct vmo *vmo;     /* holds a reference */
    uint64_t offset;     /* of start within the object */
    uint32_t prot;       /* MICA_PROT_* */
    uint32_t max_prot;   /* what the VM object handle allowed when it was mapped */
    struct vm_mapping *next;
    struct aspace *as;           /* the address space it belongs to */
    struct vm_mapping *vmo_next; /* the VM object's other mappings */
};

#define ASPACE_MAX_CPUS 64

struct aspace {
    struct object obj;
    uint64_t root;           /* physical address of the PML4 */
    struct vm_mapping *maps; /* sorted by address */
    struct handle_table handles;
    uint64_t faults;        /* page faults resolved */
    uint64_t id;            /* unique for the life of the system */
    uint8_t *io_bitmap;     /* I/O ports opened for this process (a clear bit = open), or NULL */
    uint64_t io_generation; /* changes whenever io_bitmap does */
    /* The process (kill.c), all under the big kernel lock. */
    struct thread *threads;     /* started and not ended, linked by as_next */
    bool ending;                /* killed: no thread may start in it */
    bool ended;                 /* its last thread ended; its handles are closed */
    struct notification *watch; /* signalled when it ends (holds a reference), or NULL */
    uint64_t watch_bits;
    /* Its tag in the TLB (the architecture's; x86-64: pcid.c). */
    uint32_t asid;                      /* 0: untagged, flushed at every switch to it */
    _Atomic uint64_t tlb_gen;           /* incremented by every shoot-down */
    uint64_t tlb_seen[ASPACE_MAX_CPUS]; /* per CPU: the generation it last flushed at */
};

struct notification;
struct thread;
/* Kill every thread of as, and let none start in it again. */
void aspace_kill(struct aspace *as);
/* Signal bits on n when as ends (n NULL: nothing); -EPIPE if it has already ended. */
int aspace_watch(struct aspace *as, struct notification *n, uint64_t bits);
/* Bookkeeping of thread_start() and thread_exit(). */
int aspace_thread_started(struct aspace *as, struct thread *t);
void aspace_thread_ended(struct aspace *as, struct thread *t);

struct aspace *aspace_create(int *err);
int aspace_map(struct aspace *as, struct vmo *v, uint64_t offset, uint64_t va, uint64_t size,
               uint32_t prot, uint32_t max_prot, uint64_t *mapped_at);
int aspace_unmap(struct aspace *as, uint64_t va, uint64_t size);
int aspace_protect(struct aspace *as, uint64_t va, uint64_t size, uint32_t prot);
/* Resolve a fault at va: 0 if the page is now mapped, -EFAULT if the access is not allowed. */
int aspace_fault(struct aspace *as, uint64_t va, bool write, bool exec);
/* The VM object and page index behind va in a read/write mapping (with a reference). */
int aspace_pin_page(struct aspace *as, uint64_t va, struct vmo **vmo, uint64_t *index);
/* Copy from/to user memory of the current address space: 0 or -EFAULT. */
int copy_from_user(void *dst, uint64_t src, uint64_t len);
int copy_to_user(uint64_t dst, const void *src, uint64_t len);

/* Copy-on-write copy of the mappings in [va, va+size) of src into dst (the basis of fork). */
int aspace_clone_range(struct aspace *src, struct aspace *dst, uint64_t va, uint64_t size);
int aspace_share_range(struct aspace *src, uint64_t va, uint64_t size, struct aspace *dst,
                       uint64_t dva, uint32_t prot, uint64_t *mapped_at);
/* After a VM object's pages became shared: make every mapping of it read-only. */
void aspace_write_protect_vmo(struct vmo *v);
/* After page `index` of v was replaced by a copy: drop every mapping's entry for it. */
void aspace_vmo_page_moved(struct vmo *v, uint64_t index);

/* TLB maintenance after changing mappings (architecture). */
void arch_tlb_flush_aspace(struct aspace *as);

#endif
