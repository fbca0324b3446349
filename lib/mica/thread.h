/*
 * thread.h - threads of the runtime: created with their own stack and guard
 * page, joined for their result or detached (concept: threads; thread
 * control blocks and thread-local storage).  lib/mica/thread.c;
 * docs/runtime.md, section 5.
 *
 * The locks of the runtime (and malloc) work only in runtime threads: the
 * first thread once mica_runtime_init() has run, and threads made with
 * mica_thread_spawn().  A thread made directly with SYS_THREAD_CREATE has
 * no thread control block and must not use them.
 */
#ifndef MICA_THREAD_H
#define MICA_THREAD_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include "mica.h"

#define MICA_STACK_DEFAULT (64 * 1024) /* stack size when 0 is asked for */

/* The thread control block; it lives at the top of the thread's stack mapping. */
struct mica_thread {
    struct mica_thread *self; /* first, so that %fs:0 is the block's address */
    mica_handle_t handle;     /* the kernel thread */
    mica_handle_t park;       /* the notification it blocks on in locks (waitq.h) */
    mica_handle_t exited;     /* signalled as it ends; the joiner waits here */
    atomic_int state;         /* MICA_THREAD_JOINABLE, _DETACHED or _EXITED */
    void *(*fn)(void *);
    void *arg;
    void *result;
    uint64_t map_base; /* guard page, stack and this block: one mapping (0: first thread) */
    uint64_t map_size;
    struct mica_ipc_buffer *ipc; /* its IPC buffer page, once mica_thread_ipc_buffer() made it */
};

#define MICA_THREAD_JOINABLE 0
#define MICA_THREAD_DETACHED 1
#define MICA_THREAD_EXITED   2

/*
 * Start fn(arg) in a new thread with a stack of `stack_size` bytes (0: the
 * default) above an unmapped guard page.  0 and *out, or an error with
 * nothing left behind.
 */
int64_t mica_thread_spawn(struct mica_thread **out, void *(*fn)(void *), void *arg,
                          size_t stack_size);

/*
 * Wait for t to end, store what fn returned in *result (if not NULL), free t.
 * 0 or an error.  Only one thread may join t.  A thread that a fault has
 * killed never ends this way, and joining it waits for ever.
 */
int64_t mica_thread_join(struct mica_thread *t, void **result);

/* Let t free itself when it ends; t must not be used afterwards. 0 or an error. */
int64_t mica_thread_detach(struct mica_thread *t);

/* End the calling runtime thread as if its function had returned `result`. */
_Noreturn void mica_thread_return(void *result);

/* The calling thread's control block, through the FS base (one load). */
static inline struct mica_thread *mica_thread_self(void)
{
    struct mica_thread *t;
    __asm__("movq %%fs:0, %0" : "=r"(t));
    return t;
}

/*
 * The calling thread's IPC buffer for long messages (ipc.md, section 3):
 * made and registered on first use, freed with the thread; NULL if there
 * is no memory.  Runtime threads get their buffer here, not with
 * mica_thread_set_ipc_buffer(), so that the runtime knows about it.
 */
struct mica_ipc_buffer *mica_thread_ipc_buffer(void);

/* Make the calling thread (the program's first) a runtime thread; mica_runtime_init() calls it. */
int64_t mica_thread_init_first(void);

#endif
