/*
 * tty.c - the terminal on the serial console: its input thread, reads
 * that wait, writes, the termios and job-control ioctls (concepts: the
 * terminal as a file, controlling terminal, foreground process group, job
 * control).  tty.h describes the design; tty_ldisc.c is the line
 * discipline.
 */
#include "tty.h"
#include "block.h"
#include "posix.h"
#include "proctable.h"
#include "usercopy.h"
#include "poll.h"
#include "console_client.h"
#include <thread.h>
#include <mica/string.h>

#define SIG_IGN 1

struct tty tty;

/* The input thread's buffer: filled by it, read by the serve loop while the thread waits in
 * its call (so the two never touch it at once). */
static uint8_t input_buf[CONSOLE_CHUNK];

/* The input thread: read the console service (waiting there, not in the serve loop) and hand
 * each piece to the serve loop with a call, answered once the piece has been taken. */
static void *input_thread(void *arg)
{
    mica_handle_t to_loop = (mica_handle_t)(uintptr_t)arg;
    struct mica_client console = {.ep = posix.console.ep, .ipc = mica_thread_ipc_buffer()};
    if (!console.ipc) { /* (not posix_say: that uses the serve loop's IPC buffer) */
        mica_printf("posix: no memory for the terminal's input thread: no input\n");
        return 0;
    }
    for (;;) {
        uint32_t n = 0;
        if (console_read_r(&console, CONSOLE_CHUNK, true, input_buf, &n) < 0) {
            mica_sleep(100000000); /* the console is gone for now: try again later */
            continue;
        }
        struct mica_msg m = {0, mica_tag(TTY_INPUT_LABEL, 1, 0), {n, 0, 0, 0}};
        if (n)
            mica_call(to_loop, &m);
    }
    return 0;
}

static uint32_t tty_poll(const struct ofile *f);

int tty_setup(mica_handle_t input)
{
    ldisc_init(&tty.ld);
    console_poll = tty_poll;
    if (!posix.console.ep)
        return 0; /* no console: reads see end of file */
    struct mica_thread *t;
    int64_t err = mica_thread_spawn(&t, input_thread, (void *)(uintptr_t)input, 0);
    if (err == 0)
        mica_thread_detach(t);
    return (int)err;
}

/* ---- Sessions and process groups ---- */

/* The terminal is p's controlling terminal. */
static bool is_ctty(const struct process *p)
{
    return p->ctty && tty.sid != 0 && tty.sid == p->sid;
}

void tty_new_session(struct process *p)
{
    p->sid = p->pgid = p->pid;
    struct process *owner = tty.sid ? proc_find(tty.sid) : 0;
    if (owner && owner->state == PROC_RUNNING)
        return; /* another session has it */
    tty.sid = p->sid;
    tty.pgrp = p->pgid;
    p->ctty = true;
}

void tty_process_ended(const struct process *p)
{
    if (p->pid == tty.sid) /* its session lost its leader: the terminal is free */
        tty.sid = tty.pgrp = 0;
}

int tty_opened(struct process *p, uint32_t flags, bool dev_tty)
{
    if (dev_tty) /* "the controlling terminal": there must be one */
        return is_ctty(p) ? 0 : -LINUX_ENXIO;
    if ((flags & LINUX_O_NOCTTY) || p->sid != p->pid || is_ctty(p) || tty.sid)
        return 0;
    tty.sid = p->sid;
    tty.pgrp = p->pgid;
    p->ctty = true;
    return 0;
}

/* No member of group pgid has a parent in another group of the same session: nobody would
 * continue it if it stopped (POSIX's orphaned process group). */
static bool orphaned(int pgid)
{
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct process *q = proc_at(i);
        if (!q || q->pgid != pgid || q->state != PROC_RUNNING)
            continue;
        struct process *parent = proc_find(q->ppid);
        if (parent && parent->pgid != pgid && parent->sid == q->sid)
            return false;
    }
    return true;
}

/* sig (SIGTTIN, SIGTTOU) is ignored or blocked in the calling thread. */
static bool ignored(const struct process *p, int sig)
{
    struct task *t = task_current();
    return p->sigaction[sig].handler == SIG_IGN || (t && (t->sigmask & (1ull << (sig - 1))) != 0);
}

/*
 * Job control's check before a read (SIGTTIN) or a write or settings
 * change (SIGTTOU) of the controlling terminal: 0 if p may go on (it is
 * in the foreground, or the terminal is not its controlling terminal);
 * else the signal goes to p's process group, which it stops, and the call
 * waits on the terminal: it runs again (and checks again) when the
 * foreground group changes or input comes - as Linux restarts it once the
 * stopped group is continued.
 */
static int64_t job_control(struct process *p, int sig)
{
    if (!is_ctty(p) || tty.pgrp == 0 || p->pgid == tty.pgrp)
        return 0;
    if (ignored(p, sig))
        return sig == LINUX_SIGTTOU ? 0 : -LINUX_EIO;
    if (orphaned(p->pgid))
        return -LINUX_EIO;
    posix_signal_group(p, p->pgid, sig);
    return posix_block(p, &tty, 0);
}

/* ---- Input ---- */

static void signal_foreground(int sig)
{
    if (tty.sid && tty.pgrp)
        posix_signal_group(0, tty.pgrp, sig);
}

void tty_input(const struct mica_msg *m)
{
    static struct tty_effect e; /* large: an erased line's echo */
    uint32_t n = m->w[0] < CONSOLE_CHUNK ? (uint32_t)m->w[0] : CONSOLE_CHUNK;
    for (uint32_t i = 0; i < n; i++) {
        ldisc_input(&tty.ld, input_buf[i], &e);
        if (e.echo_len)
            posix_console_write(e.echo, e.echo_len);
        if (e.signal)
            signal_foreground(e.signal);
    }
    posix_wakeup(&tty); /* and every waiting poll (BLOCK_ANY) */
}

/* poll's answer for the terminal (poll.h): readable when a read would not wait - a line or an
 * end of file in canonical mode, a byte in raw mode; always writable. */
static uint32_t tty_poll(const struct ofile *f)
{
    (void)f;
    uint32_t out = LINUX_POLLOUT | LINUX_POLLWRNORM;
    return tty.ld.ready ? out | LINUX_POLLIN | LINUX_POLLRDNORM : out;
}

int64_t tty_read(struct process *p, struct ofile *f, uint64_t buf, uint64_t len)
{
    if (len == 0)
        return 0;
    int64_t err = job_control(p, LINUX_SIGTTIN);
    if (err < 0)
        return err;
    if (!posix.console.ep)
        return 0; /* no console: end of file */
    uint64_t max = len < TTY_QUEUE ? len : TTY_QUEUE;
    if (!regions_cover(&p->mem, buf, buf + max, LINUX_PROT_WRITE))
        return -LINUX_EFAULT;
    static uint8_t data[TTY_QUEUE];
    uint32_t timeout_ds;
    int64_t n = ldisc_read(&tty.ld, data, max, posix_timed_out(p), &timeout_ds);
    if (n == LDISC_WAIT) {
        if (f->flags & LINUX_O_NONBLOCK)
            return -LINUX_EAGAIN;
        uint64_t deadline = timeout_ds ? mica_clock_ns() + timeout_ds * 100000000ull : 0;
        return posix_block(p, &tty, deadline);
    }
    if (user_write(&p->mem, buf, data, (uint64_t)n) < 0)
        return -LINUX_EFAULT;
    return n;
}

/* ---- Output ---- */

/*
 * The bytes go to the console service as they are: OPOST's ONLCR ("\n" as
 * "\r\n") is what the serial driver does for every client, so it is always
 * on.
 */
int64_t tty_write(struct process *p, uint64_t buf, uint64_t len)
{
    if (tty.ld.tio.lflag & LINUX_TOSTOP) {
        int64_t err = job_control(p, LINUX_SIGTTOU);
        if (err < 0)
            return err;
    }
    uint8_t chunk[CONSOLE_CHUNK];
    uint64_t done = 0;
    while (done < len) {
        uint64_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        if (user_read(&p->mem, chunk, buf + done, n) < 0)
            return done ? (int64_t)done : -LINUX_EFAULT;
        int64_t w = posix_console_write(chunk, n);
        if (w < 0)
            return done ? (int64_t)done : w;
        done += (uint64_t)w;
    }
    return (int64_t)done;
}

/* ---- ioctl ---- */

static int64_t set_termios(struct process *p, uint32_t cmd, uint64_t arg)
{
    struct linux_termios t;
    if (user_read(&p->mem, &t, arg, sizeof t) < 0)
        return -LINUX_EFAULT;
    int64_t err = job_control(p, LINUX_SIGTTOU);
    if (err < 0)
        return err;
    if (cmd != LINUX_TCSETS && posix.console.ep) /* TCSETSW, TCSETSF: after the output */
        console_drain_r(&posix.console);
    if (cmd == LINUX_TCSETSF)
        ldisc_flush(&tty.ld);
    ldisc_set(&tty.ld, &t);
    posix_wakeup(&tty); /* leaving canonical mode may make input readable */
    return 0;
}

/* tcsetpgrp: pgrp must be a group of the caller's session. */
static int64_t set_foreground(struct process *p, uint64_t arg)
{
    int32_t pgrp;
    if (!is_ctty(p))
        return -LINUX_ENOTTY;
    int64_t err = job_control(p, LINUX_SIGTTOU);
    if (err == -LINUX_EIO)
        return -LINUX_ENOTTY; /* an orphaned group: Linux says ENOTTY here */
    if (err < 0)
        return err;
    if (user_read(&p->mem, &pgrp, arg, sizeof pgrp) < 0)
        return -LINUX_EFAULT;
    if (pgrp < 0)
        return -LINUX_EINVAL;
    bool exists = false;
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct process *q = proc_at(i);
        if (q && (q->pid == pgrp || q->pgid == pgrp))
            exists = true;
        if (q && q->pgid == pgrp && q->sid == p->sid) {
            tty.pgrp = pgrp;
            posix_wakeup(&tty); /* background calls waiting to be in the foreground look again */
            return 0;
        }
    }
    return exists ? -LINUX_EPERM : -LINUX_ESRCH;
}

/* TIOCSCTTY: a session leader without a controlling terminal takes this one (steal: from
 * another session, which root may). */
static int64_t set_ctty(struct process *p, uint64_t steal)
{
    if (is_ctty(p) && p->sid == p->pid)
        return 0;
    if (p->sid != p->pid || is_ctty(p))
        return -LINUX_EPERM;
    if (tty.sid && tty.sid != p->sid) {
        struct process *owner = proc_find(tty.sid);
        if (owner && owner->state == PROC_RUNNING && steal != 1)
            return -LINUX_EPERM;
    }
    tty.sid = p->sid;
    tty.pgrp = p->pgid;
    p->ctty = true;
    return 0;
}

/* TIOCNOTTY: give the controlling terminal up; a session leader frees it, and its foreground
 * group gets SIGHUP and SIGCONT. */
static int64_t drop_ctty(struct process *p)
{
    if (!is_ctty(p))
        return -LINUX_ENOTTY;
    p->ctty = false;
    if (p->sid == p->pid) {
        int fg = tty.pgrp;
        tty.sid = tty.pgrp = 0;
        if (fg) {
            posix_signal_group(p, fg, LINUX_SIGHUP);
            posix_signal_group(p, fg, LINUX_SIGCONT);
        }
    }
    return 0;
}

static int64_t put_int(struct process *p, uint64_t arg, int32_t v)
{
    return user_write(&p->mem, arg, &v, sizeof v);
}

static int64_t window_size(struct process *p, uint32_t cmd, uint64_t arg)
{
    if (cmd == LINUX_TIOCGWINSZ)
        return user_write(&p->mem, arg, &tty.ld.ws, sizeof tty.ld.ws);
    struct linux_winsize w;
    if (user_read(&p->mem, &w, arg, sizeof w) < 0)
        return -LINUX_EFAULT;
    bool changed = memcmp(&w, &tty.ld.ws, sizeof w) != 0;
    tty.ld.ws = w;
    if (changed)
        signal_foreground(LINUX_SIGWINCH);
    return 0;
}

int64_t tty_ioctl(struct process *p, uint32_t cmd, uint64_t arg)
{
    switch (cmd) {
    case LINUX_TCGETS:
        return user_write(&p->mem, arg, &tty.ld.tio, sizeof tty.ld.tio);
    case LINUX_TCSETS:
    case LINUX_TCSETSW:
    case LINUX_TCSETSF:
        return set_termios(p, cmd, arg);
    case LINUX_TIOCGWINSZ:
    case LINUX_TIOCSWINSZ:
        return window_size(p, cmd, arg);
    case LINUX_TIOCGPGRP:
        return is_ctty(p) ? put_int(p, arg, tty.pgrp) : -LINUX_ENOTTY;
    case LINUX_TIOCSPGRP:
        return set_foreground(p, arg);
    case LINUX_TIOCGSID:
        return is_ctty(p) ? put_int(p, arg, tty.sid) : -LINUX_ENOTTY;
    case LINUX_TIOCSCTTY:
        return set_ctty(p, arg);
    case LINUX_TIOCNOTTY:
        return drop_ctty(p);
    case LINUX_FIONREAD:
        return put_int(p, arg, (int32_t)ldisc_readable(&tty.ld));
    case LINUX_TIOCOUTQ:
        return put_int(p, arg, 0); /* what is written is with the console service at once */
    case LINUX_TCFLSH:
        if (arg > LINUX_TCIOFLUSH)
            return -LINUX_EINVAL;
        if (arg != LINUX_TCOFLUSH)
            ldisc_flush(&tty.ld);
        return 0;
    default:
        return -LINUX_ENOTTY;
    }
}
