/*
 * log.h - the kernel log: formatted messages with a level, written to the
 * console.  Messages above the current level (boot option `loglevel=N`) are
 * dropped.  One line from one CPU is never mixed with another CPU's line.
 */
#ifndef MICA_LOG_H
#define MICA_LOG_H

#include <stdarg.h>
#include <stdint.h>

enum log_level {
    LOG_ERR = 1,   /* something failed */
    LOG_WARN = 2,  /* something is wrong, the kernel carries on */
    LOG_INFO = 3,  /* what the kernel did (default) */
    LOG_DEBUG = 4, /* details for developers */
};

void log_set_level(int level);
int log_get_level(void);

void klog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kvlog(int level, const char *fmt, va_list ap);
void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print regardless of level (used by panic and the exception reports). */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write len bytes as they are, in one piece (user programs' console output). */
void log_write(const char *buf, unsigned long len);

/* From now on write without taking the console lock (a panicking CPU may hold it). */
void log_enter_panic_mode(void);

/* Provided by the architecture: write characters to the kernel console. */
void console_write(const char *s, unsigned long n);

/* Provided by the architecture: the I/O ports of the kernel console's device (0 ports: none). */
void console_ports(uint32_t *base, uint32_t *count);

#endif
