/* arch/fpu.h - x87/SSE/AVX state of user threads (kernel/arch/x86_64/fpu.c). */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include <stdbool.h>
#include <stdint.h>

void fpu_init_bsp(void);
void fpu_init_cpu(void);
void *fpu_state_alloc(void); /* a clean state (default control words); NULL if out of memory */
void fpu_state_free(void *area);
void fpu_save(void *area);
void fpu_restore(const void *area);
struct thread;
void fpu_switch(struct thread *prev, struct thread *next); /* at every thread switch */
bool fpu_first_use(void);
/* A stopped thread's x87/SSE registers in the 512-byte FXSAVE layout, from and into its area. */
void fpu_get_legacy(const void *area, uint8_t out[512]);
int fpu_set_legacy(void *area, const uint8_t in[512]); /* -EINVAL: MXCSR bits the CPU refuses */
/* The whole area in the standard XSAVE format (fpu_area_size() bytes), out and in; setting it
 * is -EINVAL for a header or MXCSR that XRSTOR would fault on. */
void fpu_get_all(const void *area, uint8_t *out);
int fpu_set_all(void *area, const uint8_t *in);
uint32_t fpu_area_size(void); /* bytes of a thread's area: 512 with FXSAVE, more with XSAVE */
uint64_t fpu_features(void);  /* the state components it holds (XCR0's bits) */

#endif
