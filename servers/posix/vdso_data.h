/*
 * vdso_data.h - the vDSO's data page: what the posix server tells every
 * Linux process about the clock (concepts: the vDSO, clocks read without
 * a system call).
 *
 * One page, shared read-only by all processes (servers/posix/vdso.c maps
 * it just below the vDSO's code), written only by the server.  The vDSO's
 * functions (servers/posix/vdso/vdso.c) turn the time stamp counter into
 * the kernel's clock exactly as the kernel does (kernel/arch/x86_64/tsc.c):
 *
 *     mica_clock_ns() = (rdtsc - tsc_at_boot) * 10^9 / tsc_hz
 *
 * computed in two steps so that no product overflows.  CLOCK_REALTIME is
 * realtime_at_boot_ns plus that, as the server's own clock_gettime gives it
 * (sys_time.c).  The server fills the page once at start; should it ever
 * change the page (a settimeofday), it makes seq odd, writes, and makes seq
 * even again, and a reader that saw an odd seq, or a seq that changed while
 * it read, reads again (a sequence lock).  tsc_hz 0: the vDSO cannot
 * compute the time and makes the real system call.
 */
#ifndef POSIX_VDSO_DATA_H
#define POSIX_VDSO_DATA_H

#include <stdint.h>

struct vdso_data {
    uint32_t seq;                 /* odd while the server writes */
    uint32_t reserved;            /* zero */
    uint64_t tsc_hz;              /* the kernel's calibration (SYS_KERNEL_STATS) */
    uint64_t tsc_at_boot;         /* the TSC when mica_clock_ns() was 0 */
    uint64_t realtime_at_boot_ns; /* CLOCK_REALTIME at mica_clock_ns() == 0 */
};

#endif
