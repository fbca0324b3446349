/*
 * log.c - the kernel log (concept: kernel diagnostics).
 *
 * Each message is formatted into a per-call buffer first and then written to
 * the console under one lock, so lines from different CPUs never interleave.
 * After a panic the lock is no longer taken: the CPU that held it may have
 * been stopped while holding it.
 */
#include <stdbool.h>
#include <mica/console_handover.h>
#include <mica/format.h>
#include <mica/log.h>
#include <mica/spinlock.h>

#define LOG_LINE_MAX 512

static int current_level = LOG_INFO;
static struct spinlock console_lock = SPINLOCK_INIT("console");
static volatile bool panic_mode;

static const char *const level_prefix[] = {
    [LOG_ERR] = "error: ",
    [LOG_WARN] = "warning: ",
    [LOG_INFO] = "",
    [LOG_DEBUG] = "debug: ",
};

void log_set_level(int level)
{
    if (level < LOG_ERR)
        level = LOG_ERR;
    if (level > LOG_DEBUG)
        level = LOG_DEBUG;
    current_level = level;
}

int log_get_level(void)
{
    return current_level;
}

void log_enter_panic_mode(void)
{
    panic_mode = true;
    handover_reclaim(); /* a driver holding the console: its report comes out now, ours after */
}

static void write_locked(const char *buf, unsigned long len)
{
    if (!panic_mode && handover_append(buf, len))
        return; /* the console driver writes it, between its clients' lines */
    if (panic_mode) {
        console_write(buf, (unsigned long)len);
        return;
    }
    uint64_t flags = spin_lock_irqsave(&console_lock);
    console_write(buf, (unsigned long)len);
    spin_unlock_irqrestore(&console_lock, flags);
}

static void emit(const char *prefix, const char *fmt, va_list ap)
{
    char buf[LOG_LINE_MAX];
    int n = ksnprintf(buf, sizeof buf, "%s", prefix);
    n += kvsnprintf(buf + n, sizeof buf - (unsigned long)n, fmt, ap);
    if (n > LOG_LINE_MAX - 1)
        n = LOG_LINE_MAX - 1; /* kvsnprintf counts what did not fit */
    write_locked(buf, (unsigned long)n);
}

void log_write(const char *buf, unsigned long len)
{
    write_locked(buf, len);
}

void kvlog(int level, const char *fmt, va_list ap)
{
    if (level > current_level)
        return;
    emit(level_prefix[level], fmt, ap);
}

void klog(int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvlog(level, fmt, ap);
    va_end(ap);
}

void pr_err(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvlog(LOG_ERR, fmt, ap);
    va_end(ap);
}

void pr_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvlog(LOG_WARN, fmt, ap);
    va_end(ap);
}

void pr_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvlog(LOG_INFO, fmt, ap);
    va_end(ap);
}

void pr_debug(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvlog(LOG_DEBUG, fmt, ap);
    va_end(ap);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit("", fmt, ap);
    va_end(ap);
}
