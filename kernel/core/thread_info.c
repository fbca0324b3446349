/*
 * thread_info.c - per-thread accounting, as user space sees it (concepts:
 * CPU time, waiting time, the states of a thread; the figures behind
 * scheduling metrics such as response and waiting time).
 *
 * From the moment it is started, a thread's time falls into three parts:
 * running on a CPU, ready in a run queue, and blocked (waiting for a
 * message, a signal, a timeout or to be resumed).  The scheduler measures
 * two of them with the time stamp counter where they begin and end anyway:
 * the CPU time in switch_to() (run_tsc), the time in run queues where threads
 * are queued and picked (ready_tsc, under the run queue's lock).  The third
 * is what remains, so blocking and waking - the IPC paths - pay nothing for
 * it.  The figures are read without stopping the thread: for a thread
 * running on another CPU they are a snapshot that may lag by one switch.
 */
#include <mica/thread.h>
#include <abi/mica/syscall.h>
#include <arch/arch.h>

_Static_assert(THREAD_NEW == MICA_THREAD_STATE_NEW && THREAD_READY == MICA_THREAD_STATE_READY &&
                   THREAD_RUNNING == MICA_THREAD_STATE_RUNNING &&
                   THREAD_BLOCKED == MICA_THREAD_STATE_BLOCKED &&
                   THREAD_DEAD == MICA_THREAD_STATE_DEAD,
               "the states user space sees are the kernel's");

static uint64_t since(uint64_t now, uint64_t then)
{
    return now > then ? now - then : 0;
}

void thread_get_info(struct thread *t, struct mica_thread_info *out)
{
    enum thread_state state = t->state;
    uint64_t now = arch_timestamp();
    uint64_t end = state == THREAD_DEAD ? t->exit_tsc : now;
    uint64_t run = t->run_tsc, ready = t->ready_tsc;
    if (state == THREAD_RUNNING)
        run += since(now, t->ran_since); /* the slice it is in */
    if (state == THREAD_READY)
        ready += since(now, t->ready_since);
    uint64_t total = t->start_tsc ? since(end, t->start_tsc) : 0;
    out->id = t->id;
    out->state = (uint64_t)state;
    out->cpu = t->cpu;
    out->run_ns = arch_timestamp_to_ns(run);
    out->ready_ns = arch_timestamp_to_ns(ready);
    out->blocked_ns = arch_timestamp_to_ns(since(total, run + ready));
    out->switches = t->switches;
    out->stopped =
        (t->suspended ? MICA_THREAD_SUSPENDED : 0) | (t->in_fault ? MICA_THREAD_IN_HANDLER : 0);
}
