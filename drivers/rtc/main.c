/*
 * main.c - the CMOS real-time clock driver (concepts: device controllers,
 * port I/O, polling a device's status; the wall clock of a system).
 *
 * The PC's real-time clock keeps the date and time while the machine is
 * off, on a battery.  It sits behind two I/O ports: 0x70 selects a register
 * of the CMOS memory, 0x71 reads or writes it (the manifest gives this
 * driver exactly those, ioports=0x70:2).  The driver reads the clock once at
 * start, converts it to Unix time (rtc_time.c) and remembers the monotonic
 * time (mica_clock_ns) of that reading; then it serves idl/rtc.idl, whose
 * `now` hands out the pair, so clients compute the wall-clock time from
 * their own monotonic clock without asking again.
 *
 * Reading the clock correctly:
 *  - While the chip updates its counters (once a second) the registers may
 *    be half old, half new; bit 7 of status register A ("update in
 *    progress") is set shortly before and during that.  The driver waits
 *    until it is clear, reads all registers, and reads them again until two
 *    readings agree.
 *  - To know the time to better than a second, it waits for the seconds
 *    register to change, and takes mica_clock_ns() at that moment.
 *  - Status register B says BCD or binary and 12- or 24-hour mode.
 *  - The century: ACPI's FADT may name a CMOS register that holds it, but
 *    the driver is not given the ACPI tables, so it assumes the years
 *    2000-2099 (rtc_decode() takes a century if one is known).
 */
#include <clock.h>
#include <mica.h>
#include <portio.h>
#include <runtime.h>
#include <server.h>
#include <thread.h>
#include "rtc_server.h"
#include "rtc_time.h"

#define CMOS_INDEX   0x70
#define CMOS_DATA    0x71
#define REG_SECONDS  0x00
#define REG_MINUTES  0x02
#define REG_HOURS    0x04
#define REG_DAY      0x07
#define REG_MONTH    0x08
#define REG_YEAR     0x09
#define REG_STATUS_A 0x0a
#define REG_STATUS_B 0x0b
#define STATUS_A_UIP 0x80 /* update in progress */
#define MS           1000000ull
#define UIP_WAIT_NS  (20 * MS)   /* an update takes under 2 ms */
#define TICK_WAIT_NS (1500 * MS) /* the seconds change at least once a second */
#define STABLE_TRIES 10

static struct {
    int valid;          /* the chip held a valid date */
    uint64_t unix_secs; /* the wall-clock time ... */
    uint64_t at_ns;     /* ... when mica_clock_ns() read this */
} clock;

/* One CMOS register.  Bit 7 of the index port masks the NMI; it stays clear. */
static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, reg & 0x7f);
    return inb(CMOS_DATA);
}

/* Wait (a bounded time) until no update is in progress. */
static void wait_no_update(void)
{
    uint64_t deadline = mica_time_ns() + UIP_WAIT_NS;
    while ((cmos_read(REG_STATUS_A) & STATUS_A_UIP) && mica_time_ns() < deadline)
        mica_yield();
}

static void read_once(struct rtc_raw *r)
{
    wait_no_update();
    r->sec = cmos_read(REG_SECONDS);
    r->min = cmos_read(REG_MINUTES);
    r->hour = cmos_read(REG_HOURS);
    r->day = cmos_read(REG_DAY);
    r->month = cmos_read(REG_MONTH);
    r->year = cmos_read(REG_YEAR);
    r->status_b = cmos_read(REG_STATUS_B);
    r->has_century = 0; /* see the comment at the top */
}

static int same(const struct rtc_raw *a, const struct rtc_raw *b)
{
    return a->sec == b->sec && a->min == b->min && a->hour == b->hour && a->day == b->day &&
           a->month == b->month && a->year == b->year && a->status_b == b->status_b;
}

/* Read until two readings in a row agree: 0, or -1 if they never do. */
static int read_stable(struct rtc_raw *r)
{
    struct rtc_raw again;
    read_once(r);
    for (int i = 0; i < STABLE_TRIES; i++) {
        read_once(&again);
        if (same(r, &again))
            return 0;
        *r = again;
    }
    return -1;
}

/* Wait for the seconds register to change: then the second has just begun. 0, or -1. */
static int wait_for_tick(void)
{
    uint8_t first = cmos_read(REG_SECONDS);
    uint64_t deadline = mica_time_ns() + TICK_WAIT_NS;
    while (mica_time_ns() < deadline) {
        if (cmos_read(REG_SECONDS) != first)
            return 0;
        mica_yield();
    }
    return -1;
}

static void read_clock(void)
{
    struct rtc_raw raw;
    struct rtc_time t;
    int ticked = wait_for_tick() == 0;
    clock.at_ns = mica_clock_ns();
    if (read_stable(&raw) < 0 || rtc_decode(&raw, &t) < 0 ||
        rtc_to_unix(&t, &clock.unix_secs) < 0) {
        mica_printf("rtc: the clock holds no valid date (registers %02x %02x %02x %02x %02x %02x, "
                    "status B %02x)\n",
                    raw.year, raw.month, raw.day, raw.hour, raw.min, raw.sec, raw.status_b);
        return;
    }
    clock.valid = 1;
    mica_printf("rtc: %04u-%02u-%02u %02u:%02u:%02u UTC (unix %lu)%s\n", t.year, t.month, t.day,
                t.hour, t.minute, t.second, (unsigned long)clock.unix_secs,
                ticked ? "" : "; the clock does not tick");
}

static int rtc_now(void *ctx, struct rtc_now_out *out)
{
    (void)ctx;
    if (!clock.valid)
        return -MICA_EIO;
    out->unix_seconds = clock.unix_secs;
    out->at_boot_ns = clock.at_ns;
    return 0;
}

static const struct rtc_server ops = {.now = rtc_now};

int main(const struct mica_server_start *st)
{
    mica_handle_t ep = mica_start_handle(st, "rtc");
    if (mica_runtime_init(mica_start_handle(st, "self")) < 0 || !ep) {
        mica_printf("rtc: no endpoint \"rtc\" or no address space; stopping\n");
        return 1;
    }
    struct mica_ipc_buffer *ipc = mica_thread_ipc_buffer();
    if (!ipc)
        return 1;
    read_clock();
    struct mica_msg msg;
    if (mica_recv(ep, &msg) < 0)
        return 1;
    for (;;) {
        rtc_dispatch(&ops, 0, &msg, ipc);
        if (mica_reply_recv(ep, &msg) < 0)
            return 1;
    }
}
