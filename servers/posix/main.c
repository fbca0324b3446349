/*
 * main.c - the posix server: runs static Linux programs on Mica and serves
 * their system calls (concepts: a personality server, system-call
 * forwarding, process creation and termination).
 *
 * The server starts the programs of its run list (runlist.h) one after
 * the other, each in an address space of its own (loader.h), and serves
 * them and every process they fork at once (proctable.h): one loop
 * receives the calls of all of them.  A process's thread has two handles to the server's endpoint,
 * each with a badge naming the process and what comes through it: its system-call handler
 * (SYS_THREAD_SET_SYSCALL_HANDLER: every `syscall` instruction it executes arrives as a
 * MICA_MSG_SYSCALL call, w0 = rax, w1..w3 = rdi, rsi, rdx) and its fault handler (MICA_MSG_FAULT).
 * The server answers a system call with MICA_SYSCALL_RETURN and the value for rax, or ends the
 * thread with MICA_FAULT_KILL (exit, exit_group, a fault); a call that
 * must wait (wait4, a pipe's read or write) is answered later through a taken reply handle, and
 * execve's answer is MICA_SYSCALL_REGS, as is an answer that starts a signal handler
 * (signal_answer, sigdeliver.h); a fault a handler takes is answered MICA_FAULT_RESUME.
 * docs/posix.md describes the personality; docs/linux-abi.md the calls.
 */
#include <stdarg.h>
#include <mica.h>
#include <server.h>
#include <runtime.h>
#include <str.h>
#include <thread.h>
#include <stdbool.h>
#include <mica/cpio.h>
#include <mica/string.h>
#include "posix.h"
#include "block.h"
#include "reclock.h"
#include "loader.h"
#include "procmem.h"
#include "rootfs.h"
#include "devfs.h"
#include "procfs.h"
#include "runlist.h"
#include "proctable.h"
#include "syscalls.h"
#include "vdso.h"
#include "console_client.h"
#include "rtc_client.h"
#include "tty.h"

#define BADGE_SYSCALL 1u /* badge = pid << 8 | kind */
#define BADGE_FAULT   2u
#define BADGE_INPUT   3u /* pid 0: the terminal's input thread (tty.h) */

struct posix posix;
static mica_handle_t endpoint; /* system calls and faults of every program arrive here */

/* The last byte a program wrote: the server's reports begin on a line of their own. */
static char last_byte = '\n';

int64_t posix_console_write(const void *buf, uint64_t len)
{
    if (len)
        last_byte = ((const char *)buf)[len - 1];
    if (!posix.console.ep)
        return mica_write(buf, len);
    uint64_t done = 0;
    while (done < len) {
        uint32_t n = len - done < CONSOLE_CHUNK ? (uint32_t)(len - done) : CONSOLE_CHUNK;
        uint32_t written = 0;
        if (console_write_r(&posix.console, (const uint8_t *)buf + done, n, &written) < 0)
            return done ? (int64_t)done : -LINUX_EIO;
        done += written;
    }
    return (int64_t)done;
}

void posix_say(const char *fmt, ...)
{
    char buf[RUNLIST_LINE_MAX + 128];
    va_list ap;
    va_start(ap, fmt);
    int n = mica_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1)
        n = sizeof buf - 1;
    posix_console_write(buf, (uint64_t)n);
}

/* ---- Starting a program ---- */

static uint64_t cpu_hwcap(void)
{
    uint32_t a = 1, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return d; /* Linux's AT_HWCAP on x86: CPUID leaf 1, EDX */
}

/* t's thread's system-call and fault handlers: the server's endpoint, badged with t's tid. */
int posix_task_handlers(struct task *t)
{
    int64_t err = 0;
    int64_t sc =
        mica_endpoint_mint(endpoint, (uint64_t)t->tid << 8 | BADGE_SYSCALL, MICA_RIGHT_SEND);
    int64_t fl =
        sc < 0 ? sc
               : mica_endpoint_mint(endpoint, (uint64_t)t->tid << 8 | BADGE_FAULT, MICA_RIGHT_SEND);
    if (fl >= 0)
        err = mica_thread_set_syscall_handler(t->thread, (mica_handle_t)sc);
    if (fl >= 0 && err >= 0)
        err = mica_thread_set_fault_handler(t->thread, (mica_handle_t)fl);
    if (sc >= 0)
        mica_handle_close((mica_handle_t)sc); /* the thread holds what it needs */
    if (fl >= 0)
        mica_handle_close((mica_handle_t)fl);
    return (int)(fl < 0 ? fl : err);
}

/* t's thread, stopped, with registers r (a new program's, or a forked parent's), started. */
int posix_task_start(struct task *t, const struct mica_regs *r)
{
    int64_t th = mica_thread_create(t->proc->as, (void (*)(uint64_t))r->rip, (void *)r->rsp, 0);
    if (th < 0)
        return (int)th;
    t->thread = (mica_handle_t)th;
    int64_t err = mica_thread_write_regs(t->thread, r);
    if (err >= 0 && t->fs_base)
        err = mica_thread_set_tls(t->thread, 0, t->fs_base);
    if (err >= 0)
        err = posix_task_handlers(t);
    return (int)(err < 0 ? err : mica_thread_start(t->thread));
}

void posix_task_end(struct task *t)
{
    resource_thread_ends(t);
    block_cancel(t);
    if (t->thread) {
        mica_thread_kill(t->thread);
        mica_handle_close(t->thread);
    }
    task_free(t);
}

void posix_release(struct process *p)
{
    struct task *t = 0;
    while ((t = task_next(p, t)) != 0)
        block_cancel(t); /* before its descriptors close: that may wake other processes' calls */
    reclock_release(0, p->pid); /* its record locks, before the files they name may go */
    fdtable_clear(&p->files);
    if (p->cwd)
        vnode_put(p->cwd);
    p->cwd = 0;
    signal_release(p);
    if (p->as)
        mica_aspace_kill(p->as); /* every thread of it ends */
    procmem_release(p);
    while ((t = task_next(p, 0)) != 0) {
        if (t->thread)
            mica_handle_close(t->thread);
        task_free(t);
    }
    if (p->as)
        mica_handle_close(p->as);
    p->as = 0;
}

/* A run-list program: a new process whose parent is the reaper (0). */
static struct process *start(const struct command *c)
{
    struct process *p = proc_new(0);
    if (!p) {
        posix_say("posix: %s: the process table is full\n", c->argv[0]);
        return 0;
    }
    p->toplevel = true;
    tty_new_session(p); /* a session leader, with the terminal if it is free */
    p->umask = 022;     /* Linux's default for the first process */
    resource_defaults(p);
    p->cwd = posix.vfs.root;
    vnode_get(p->cwd);
    const char *why = "";
    const uint8_t *image = 0;
    uint64_t size = 0;
    int err = exec_find_program(p, c->argv[0], &image, &size); /* through the VFS: links too */
    int64_t as = err < 0 ? err : mica_aspace_create();
    if (err < 0 || as < 0 || fdtable_init(&p->files, true) < 0) {
        posix_say("posix: %s: %s\n", c->argv[0],
                  err == -LINUX_ENOENT ? "no such program"
                  : err < 0            ? "not a program it may run"
                                       : "no address space or no memory");
        posix_release(p);
        proc_free(p);
        return 0;
    }
    p->as = (mica_handle_t)as;
    p->start_ns = mica_clock_ns();
    procfs_exec(p, c->argv[0], c->argv[0], c->argc, c->argv);
    struct task *t = task_new(p, p->pid);
    struct initstack_args args = {
        .argc = c->argc, .envc = c->envc, .argv = c->argv, .envp = c->env, .execfn = c->argv[0]};
    struct loaded l;
    if (t)
        task_set_comm_from_path(t, c->argv[0]);
    if (!t)
        err = -LINUX_EAGAIN, why = "the thread table is full";
    else if ((err = posix_load(p, image, size, &args, &l, &why)) == 0)
        err =
            posix_task_start(t, &(struct mica_regs){.rip = l.entry, .rsp = l.sp, .rflags = 0x202});
    if (err < 0) {
        posix_say("posix: %s: cannot start: %s (error %d)\n", c->argv[0], why, err);
        posix_release(p);
        proc_free(p);
        return 0;
    }
    return p;
}

int posix_load(struct process *p, const uint8_t *image, uint64_t size, struct initstack_args *args,
               struct loaded *l, const char **why)
{
    args->hwcap = cpu_hwcap();
    mica_random_get(args->random, sizeof args->random);
    return loader_load(p, image, size, args, l, why);
}

/* ---- Serving them ---- */

/* The Linux signal a processor exception becomes (as Linux's trap handlers choose). */
static int fault_signal(uint64_t vector)
{
    switch (vector) {
    case 0:  /* divide error */
    case 16: /* x87 floating point */
    case 19: /* SIMD floating point */
        return LINUX_SIGFPE;
    case 3: /* breakpoint */
        return LINUX_SIGTRAP;
    case 6: /* invalid opcode */
        return LINUX_SIGILL;
    default: /* page fault, general protection, ... */
        return LINUX_SIGSEGV;
    }
}

static void on_fault(struct task *t, const struct mica_msg *m)
{
    struct process *p = t->proc;
    p->ended = true;
    p->signal = fault_signal(m->w[0]);
    posix_say("posix: pid %d: %s at rip %#lx, address %#lx\n", p->pid, mica_vector_name(m->w[0]),
              m->w[3], m->w[2]);
}

static int64_t on_syscall(struct task *t, const struct mica_msg *m)
{
    struct process *p = t->proc;
    uint64_t nr = m->w[0];
    const struct linux_syscall *s = syscall_lookup(nr);
    if (!s) {
        p->unknown[nr < LINUX_NR_MAX ? nr : LINUX_NR_MAX]++;
        return -LINUX_ENOSYS;
    }
    uint64_t a[6] = {m->w[1], m->w[2], m->w[3], 0, 0, 0};
    if (s->nargs > 3) {
        struct mica_regs r;
        if (mica_thread_read_regs(t->thread, &r) < 0)
            return -LINUX_EFAULT;
        a[3] = r.r10;
        a[4] = r.r8;
        a[5] = r.r9;
    }
    t->call = s->fn; /* kept for a call that waits and runs again (block.h) */
    memcpy(t->args, a, sizeof a);
    t->done = 0;
    t->timed_out = false;
    task_set_current(t);
    return s->fn(p, t->args);
}

/*
 * The unknown system calls p made (its own and its ended descendants'): printed when a run-list
 * program ends; a child's go to its parent, so that a shell's commands do not each print a line
 * on the terminal.
 */
static void report_unknown(const struct process *p)
{
    struct process *parent = p->toplevel ? 0 : proc_find(p->ppid);
    if (!p->toplevel) {
        for (unsigned nr = 0; parent && parent->state == PROC_RUNNING && nr <= LINUX_NR_MAX; nr++)
            parent->unknown[nr] += p->unknown[nr];
        return;
    }
    char line[256];
    int n = 0;
    for (unsigned nr = 0; nr <= LINUX_NR_MAX && n < (int)sizeof line - 24; nr++)
        if (p->unknown[nr])
            n += mica_snprintf(line + n, sizeof line - (uint64_t)n, " %s%u x%u",
                               nr == LINUX_NR_MAX ? ">=" : "", nr, p->unknown[nr]);
    if (n && last_byte != '\n') /* a line of its own; only then: a child's end is silent */
        posix_say("\n");
    if (n)
        posix_say("posix: pid %d: unknown system calls (number x times):%s\n", p->pid, line);
}

/*
 * p has ended (exit, exit_group, a fatal fault, kill; its thread has been
 * told to end, or is killed here with its address space): it becomes a zombie.  Its memory, thread
 * and descriptors go now; its children go to pid 1 (Linux's init) while that runs, else to the
 * server's reaper; its parent learns of it (a waiting wait4 is answered).  The reaper reaps its
 * own children at once - the run list's programs are reported by run() - and an orphan's end is
 * noted.
 */
static int orphans_reaper(const struct process *ending)
{
    const struct process *init = proc_find(1);
    return init && init != ending && init->state == PROC_RUNNING ? 1 : 0;
}

void posix_end_process(struct process *p)
{
    report_unknown(p);
    tty_process_ended(p);
    resource_process_ends(p);
    p->state = PROC_ZOMBIE;
    p->wait_status = p->signal ? proc_status_signaled(p->signal) : proc_status_exited(p->status);
    posix_release(p);
    signal_parent_ends(p); /* prctl(PR_SET_PDEATHSIG) of its children */
    int reaper = orphans_reaper(p);
    proc_reparent_children(p, reaper);
    if (reaper)
        posix_wakeup(proc_find(reaper));      /* zombies among them: init's wait4 may find them */
    for (unsigned i = 0; i < PROC_MAX; i++) { /* zombies it never reaped: the reaper's now */
        struct process *c = proc_at(i);
        if (c && c != p && c->ppid == 0 && !c->toplevel && c->state == PROC_ZOMBIE)
            proc_free(c);
    }
    posix_wakeup(p); /* a parent waiting in vfork goes on (sys_fork.c) */
    if (p->ppid != 0) {
        struct process *parent = proc_find(p->ppid);
        if (parent)
            posix_wakeup(parent);            /* its wait4 (sys_wait.c) */
        if (parent && signal_child_ended(p)) /* SIGCHLD; ignored by the parent: reaped now */
            proc_free(p);
    } else if (!p->toplevel) {
        posix_say("posix: pid %d: an orphan, ended with wait status %#x\n", p->pid, p->wait_status);
        proc_free(p);
    }
}

/* One message: answer it now (*answer, true) or not (false: answered already or later). */
static bool handle(const struct mica_msg *m, struct mica_msg *answer)
{
    uint32_t label = mica_tag_label(m->tag);
    if (m->badge == BADGE_INPUT && label == TTY_INPUT_LABEL) { /* keys typed on the terminal */
        tty_input(m);
        *answer = (struct mica_msg){0, 0, {0, 0, 0, 0}};
        return true;
    }
    struct task *t = task_find((int)(m->badge >> 8));
    struct process *p = t ? t->proc : 0;
    *answer = (struct mica_msg){0, 0, {MICA_FAULT_KILL, 0, 0, 0}};
    if (!p || p->state != PROC_RUNNING)
        return true; /* a process that has ended: its thread ends too */
    if (label == MICA_MSG_SYSCALL && (m->badge & 0xff) == BADGE_SYSCALL) {
        int64_t v = on_syscall(t, m);
        task_set_current(0);
        if (v == POSIX_DEFERRED)
            return false;
        if (t->exited && !p->ended) { /* exit of one thread (sys_thread.c) */
            mica_reply(answer);
            posix_task_end(t);
            return false;
        }
        if (!p->ended) {
            answer->w[0] = v == POSIX_EXEC ? MICA_SYSCALL_REGS : MICA_SYSCALL_RETURN;
            answer->w[1] = (uint64_t)v;
            task_set_current(t);
            signal_answer(t, answer); /* a signal to take at this return (sigdeliver.h) */
            task_set_current(0);
            if (!p->ended)
                return true;
            answer->w[0] = MICA_FAULT_KILL; /* killed by the signal */
        }
    } else if (label == MICA_MSG_FAULT && (m->badge & 0xff) == BADGE_FAULT) {
        if (signal_fault(t, m)) { /* a handler takes it: the thread resumes there */
            answer->w[0] = MICA_FAULT_RESUME;
            return true;
        }
        on_fault(t, m);
    } else {
        return true;
    }
    if (p->signal && posix.console.ep) /* the report is out before the kernel's own */
        console_drain_r(&posix.console);
    mica_reply(answer); /* the thread ends */
    posix_end_process(p);
    return false;
}

static bool proc_any(void)
{
    for (unsigned i = 0; i < PROC_MAX; i++)
        if (proc_at(i))
            return true;
    return false;
}

/*
 * Answer (if answer is not NULL) and receive the next message into m; if a call waits with a
 * deadline or a timer is armed, receive only until the earliest: then -MICA_ETIMEDOUT.
 */
static int64_t receive(struct mica_msg *m, const struct mica_msg *answer)
{
    uint64_t deadline = block_next_deadline();
    if (!deadline) {
        if (!answer)
            return mica_recv(endpoint, m);
        *m = *answer;
        return mica_reply_recv(endpoint, m);
    }
    if (answer)
        mica_reply(answer);
    uint64_t now = mica_clock_ns();
    return mica_recv_timed(endpoint, m, deadline > now ? deadline - now : 0);
}

/* Answer the calls of all processes until `until` is a zombie (NULL: until none is left). */
static void serve(const struct process *until)
{
    struct mica_msg m, answer;
    bool answering = false;
    for (;;) {
        if (until ? until->state == PROC_ZOMBIE : !proc_any()) {
            if (answering)
                mica_reply(&answer);
            return;
        }
        int64_t r = receive(&m, answering ? &answer : 0);
        answering = false;
        if (r == -MICA_ETIMEDOUT) { /* a deadline has passed */
            block_expire(mica_clock_ns());
            block_retry();
            continue;
        }
        if (r < 0) {
            posix_say("posix: receiving failed (error %ld)\n", r);
            return;
        }
        answering = handle(&m, &answer);
        block_retry(); /* calls waiting for what this message changed */
    }
}

static void finish(struct process *p)
{
    if (last_byte != '\n')
        posix_say("\n");
    if (p->signal)
        posix_say("posix: pid %d killed by signal %d\n", p->pid, p->signal);
    else
        posix_say("posix: pid %d exited with status %d\n", p->pid, p->status);
    proc_free(p);
}

/* ---- Start-up ---- */

/* The wall clock in nanoseconds: the times of files. */
static uint64_t now_ns(void)
{
    return posix.realtime_at_boot_ns + mica_clock_ns();
}

static int setup(const struct mica_server_start *st)
{
    posix.self = mica_start_handle(st, "self");
    struct mica_ipc_buffer *ipc;
    if (mica_runtime_init(posix.self) < 0 || !(ipc = mica_thread_ipc_buffer()))
        return -1;
    posix.console = (struct mica_client){.ep = mica_start_handle(st, "console"), .ipc = ipc};
    mica_handle_t rtc = mica_start_handle(st, "rtc");
    struct mica_client rc = {.ep = rtc, .ipc = ipc};
    uint64_t secs, at_boot;
    if (rtc && rtc_now_r(&rc, &secs, &at_boot) == 0)
        posix.realtime_at_boot_ns = secs * 1000000000ull - at_boot;
    if (vdso_setup(posix.realtime_at_boot_ns) < 0) /* the clocks then answer by system call */
        mica_printf("posix: no vDSO (no memory or no clock calibration)\n");
    mica_handle_t initrd = mica_start_handle(st, "initrd");
    int64_t size = initrd ? mica_vmo_size(initrd) : -1;
    int64_t at =
        size < 0 ? size : mica_vm_map(posix.self, initrd, 0, 0, (uint64_t)size, MICA_PROT_READ);
    if (at < 0) {
        mica_printf("posix: no initial ramdisk (the manifest line needs `initrd`)\n");
        return -1;
    }
    posix.initrd = (const uint8_t *)at;
    posix.initrd_size = (uint64_t)size;
    const char *why = "";
    int err = vfs_init(&posix.vfs, now_ns);
    struct mica_kernel_stats k;
    if (mica_kernel_stats(&k) == 0) /* as Linux's tmpfs: at most half of the memory */
        posix.vfs.size_max = k.total_pages * 4096 / 2;
    if (err == 0)
        err = rootfs_fill(&posix.vfs, posix.initrd, posix.initrd_size, &why);
    if (err == 0 && (err = devfs_mount(&posix.vfs)) < 0)
        why = "cannot mount /dev";
    if (err == 0 && (err = procfs_mount(&posix.vfs)) < 0)
        why = "cannot mount /proc";
    if (err < 0) {
        mica_printf("posix: cannot fill the root file system: %s (error %d)\n", why, err);
        return -1;
    }
    int64_t ep = mica_endpoint_create();
    if (ep < 0)
        return -1;
    endpoint = (mica_handle_t)ep;
    pipe_setup();
    int64_t input = mica_endpoint_mint(endpoint, BADGE_INPUT, MICA_RIGHT_SEND);
    if (input < 0 || tty_setup((mica_handle_t)input) < 0)
        return -1;
    return 0;
}

/* Run one command line; 0 if it ran (whatever its end), -1 if it could not start. */
static int run(const struct command *c)
{
    char line[RUNLIST_LINE_MAX + 8];
    int n = 0;
    for (unsigned i = 0; i < c->envc; i++)
        n += mica_snprintf(line + n, sizeof line - (uint64_t)n, "%s ", c->env[i]);
    for (unsigned i = 0; i < c->argc; i++)
        n += mica_snprintf(line + n, sizeof line - (uint64_t)n, "%s%s", i ? " " : "", c->argv[i]);
    struct process *p = start(c);
    if (!p)
        return -1;
    posix_say("posix: pid %d runs %s\n", p->pid, line);
    serve(p);
    finish(p);
    return 0;
}

int main(const struct mica_server_start *st)
{
    if (setup(st) < 0)
        return 1;
    struct cpio_entry list;
    const char *why = "";
    const char *name = st->args[0] ? st->args : "etc/linux-programs";
    if (cpio_find(posix.initrd, posix.initrd_size, name, &list, &why) < 0) {
        posix_say("posix: no run list %s in the ramdisk\n", name);
        return 1;
    }
    static struct command c;
    int programs = 0, failed = 0;
    if (list.size >= 4 && memcmp(list.data, "\177ELF", 4) == 0) { /* a program: run it alone */
        memset(&c, 0, sizeof c);
        strlcpy(c.text, name, sizeof c.text);
        c.argv[0] = c.text;
        c.argc = 1;
        failed += run(&c) < 0;
        programs++;
    } else {
        uint64_t offset = 0;
        int more;
        while ((more = runlist_next((const char *)list.data, list.size, &offset, &c)) != 0) {
            if (more < 0) {
                posix_say("posix: %s: a line too long or with too many words\n", name);
                failed++;
                continue;
            }
            failed += run(&c) < 0;
            programs++;
        }
    }
    serve(0); /* orphans still running */
    posix_say("posix: %d programs run, %d could not start\n", programs, failed);
    if (posix.console.ep) /* all of it out before init says that posix exited */
        console_drain_r(&posix.console);
    /* The terminal's input thread waits in the console service: end both threads (it goes
     * once that call returns, with the next key) so that init sees the server exit. */
    mica_aspace_kill(posix.self);
    return 0;
}
