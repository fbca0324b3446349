/*
 * procmem.h - making, unmapping and protecting a Linux process's memory
 * (servers/posix/procmem.c) (concepts: memory mapping on top of VM objects).
 */
#ifndef POSIX_PROCMEM_H
#define POSIX_PROCMEM_H

#include <stdint.h>
#include "process.h"

/*
 * New zero-filled memory at [start, start + size) in the process with the
 * Linux protection prot, also mapped into the server at *shadow.  0, or a
 * negative Linux error: -EINVAL (writable and executable: Mica's W^X),
 * -ENOMEM (no memory, the region table is full, or the range is taken).
 */
int procmem_map(struct process *p, uint64_t start, uint64_t size, uint32_t prot, uint8_t **shadow);

/* Unmap [start, end) (page-aligned) wherever it is mapped: 0 or -ENOMEM (table full). */
int procmem_unmap(struct process *p, uint64_t start, uint64_t end);

/* Change the protection of [start, end): 0, -ENOMEM (not all mapped), -EINVAL (W^X). */
int procmem_protect(struct process *p, uint64_t start, uint64_t end, uint32_t prot);

/*
 * fork's memory: give child (a new address space, no memory yet) a
 * copy-on-write copy of every region of parent (SYS_VM_CLONE), and the
 * server a shadow of each copy (SYS_VM_SHARE), so that the server reads
 * and writes the child's own pages.  0 or -ENOMEM.
 */
int procmem_clone(struct process *child, const struct process *parent);

/* Move the memory of [from, from + size) to [to, to + size) (free) without copying it: 0 or
 * -ENOMEM. */
int procmem_move(struct process *p, uint64_t from, uint64_t to, uint64_t size);

/* Unmap every shadow mapping of the process from the server (the process has ended). */
void procmem_release(struct process *p);

#endif
