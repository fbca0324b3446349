/* roottask.h - starting the first user program (kernel/core/roottask.c). */
#ifndef MICA_ROOTTASK_H
#define MICA_ROOTTASK_H

#include <stdbool.h>

int roottask_start(void); /* 1 runs, 0 no module, -1 cannot run */

struct aspace;
struct aspace *roottask_aspace(void);
struct thread *roottask_main_thread(void);

#endif
