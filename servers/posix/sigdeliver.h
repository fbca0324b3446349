/*
 * sigdeliver.h - sending and delivering Linux signals (servers/posix/sigdeliver.c)
 * (concepts: signals, signal delivery, default actions, job control stop and
 * continue, interrupted system calls, SIGCHLD).
 *
 * A signal is sent to a process (kill, the alarm, SIGCHLD) or to one of its
 * threads (tkill, tgkill, SIGPIPE, a fault).  What happens then follows its
 * action: ignored signals are dropped; SIGKILL, and a signal whose default
 * action terminates, stops or continues, act on the whole process at once;
 * a signal with a handler becomes pending until a thread that does not block
 * it takes it.  That thread takes it at the earliest point the server can
 * change its registers: at the answer of its system call (signal_answer), at
 * once if a call of it waits (the call ends with EINTR or is restarted), or,
 * if it runs user code, by stopping it (SYS_THREAD_SUSPEND) and rewriting
 * its registers.  Taking it means a signal frame on its stack (sigframe.h)
 * and its registers set to start the handler; rt_sigreturn undoes that.
 */
#ifndef POSIX_SIGDELIVER_H
#define POSIX_SIGDELIVER_H

#include <stdbool.h>
#include <stdint.h>
#include <mica.h>
#include "block.h"
#include "sigstate.h"

struct process;
struct task;

/* What a process has of signals besides its actions (process.h). */
struct proc_signals {
    struct sig_pending pending; /* sent to the process: any thread not blocking it takes it */
    bool stopped;               /* by SIGSTOP, SIGTSTP, ...: its threads are suspended */
    int report;         /* a stop or continue its parent has not collected with wait4: the status */
    struct timer alarm; /* ITIMER_REAL (alarm, setitimer) */
    uint64_t alarm_interval; /* ... its period in ns, 0: once */
};

/* Send sig (1..64) to process p, or to thread t only, with what its siginfo says. */
void signal_send(struct process *p, int sig, const struct sig_info *info);
void signal_send_task(struct task *t, int sig, const struct sig_info *info);

/*
 * The answer to a call of t is about to go (MICA_SYSCALL_RETURN with the result in w1, or
 * MICA_SYSCALL_REGS with registers written): if a signal is to be taken now, the answer becomes
 * MICA_SYSCALL_REGS with the handler's frame and registers, or the process ends or stops.
 */
void signal_answer(struct task *t, struct mica_msg *answer);

/* A fault of t (a MICA_MSG_FAULT message): true if a handler takes it (answer: resume), false
 * if it ends the process (no handler, or the signal blocked: as Linux, the default action). */
bool signal_fault(struct task *t, const struct mica_msg *m);

/* t's woken call ran again and waits on: a signal that came meanwhile interrupts it now. */
void signal_still_waiting(struct task *t);

/* Is a signal pending for t that t does not block? */
bool signal_deliverable(const struct task *t);

/* A child of its parent has ended (a zombie now): SIGCHLD to the parent; true if the parent
 * reaps it at once (SIGCHLD ignored or SA_NOCLDWAIT), as Linux does. */
bool signal_child_ended(struct process *child);

/* The stop or continue of a child that wait4(pid, options) of parent collects: its pid with the
 * status written at status_addr, 0 if none, or -EFAULT. */
int64_t signal_wait_report(struct process *parent, int64_t pid, uint64_t options,
                           uint64_t status_addr);

/* p is ending: each child that asked for it (prctl PR_SET_PDEATHSIG) gets its signal. */
void signal_parent_ends(struct process *p);

/* rt_sigaction set sig's action: drop it where it is pending if it is ignored now. */
void signal_action_changed(struct process *p, int sig);

/* p is going: its timer is disarmed. */
void signal_release(struct process *p);

/* The kernel's FPU area of a thread: its size and components (asked once). */
const struct sigframe_fpu *signal_fpu(void);

#endif
