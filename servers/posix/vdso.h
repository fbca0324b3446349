/*
 * vdso.h - the vDSO the posix server maps into every Linux process
 * (servers/posix/vdso.c) (concepts: the vDSO, a page shared by all
 * processes, clocks read without a system call).
 *
 * Two parts, one VM object: a data page (vdso_data.h) and the shared
 * object built from servers/posix/vdso/vdso.c right above it.  Every
 * process has both at the same addresses - where Linux puts them when
 * address-space randomisation is off - the data page readable, the code
 * readable and executable, neither ever writable by the process (they are
 * mapped through a handle without the write right).  AT_SYSINFO_EHDR in the
 * auxiliary vector gives the program VDSO_ADDR.
 */
#ifndef POSIX_VDSO_H
#define POSIX_VDSO_H

#include <stdint.h>
#include "process.h"

#define VDSO_DATA_ADDR 0x00007ffff7fc1000ull   /* the data page */
#define VDSO_ADDR      (VDSO_DATA_ADDR + 4096) /* the ELF header of the shared object */

/* Make the VM object: copy the shared object in, fill the data page from the kernel's clock
 * calibration and realtime_at_boot_ns.  0, or -1 (the server then runs without a vDSO). */
int vdso_setup(uint64_t realtime_at_boot_ns);

/* Map the vDSO into p (the program's image is being loaded): VDSO_ADDR, or 0 without a vDSO
 * (no AT_SYSINFO_EHDR then), or a negative Linux error. */
int64_t vdso_map(struct process *p);

/* fork: map the shared region r of the parent into child (its same pages, not a copy).
 * 0 or -ENOMEM. */
int vdso_map_region(struct process *child, const struct region *r);

#endif
