/*
 * rtcclient.c - a test client of the CMOS clock driver (drivers/rtc, system
 * test "rtc"): it asks for the wall-clock time twice, a second apart, checks
 * that the answers agree with each other and with its own monotonic clock,
 * prints the wall-clock time it computes, then sends malformed requests,
 * each of which must get its error while the driver keeps answering.
 */
#include <mica.h>
#include <runtime.h>
#include <server.h>
#include <thread.h>
#include "../../drivers/rtc/rtc_time.h"
#include "rawcall.h"
#include "rtc_client.h"

#define SEC 1000000000ull

static void print_wall(uint64_t unix_seconds, uint64_t at_ns)
{
    uint64_t now = unix_seconds + (mica_clock_ns() - at_ns) / SEC;
    struct rtc_time t;
    if (rtc_from_unix(now, &t) == 0)
        mica_printf("rtcclient: wall clock %04u-%02u-%02u %02u:%02u:%02u UTC\n", t.year, t.month,
                    t.day, t.hour, t.minute, t.second);
}

static unsigned malformed(mica_handle_t ep, struct mica_ipc_buffer *ipc)
{
    const uint64_t w[4] = {1, 2, 3, 4};
    unsigned bad = 0;
    raw_expect("rtcclient", "label past the interface", raw_call(ep, ipc, RTC_LABEL_END, 0, 0, w),
               MICA_ENOSYS, &bad);
    raw_expect("rtcclient", "label of another interface", raw_call(ep, ipc, 0x0300, 0, 0, w),
               MICA_ENOSYS, &bad);
    raw_expect("rtcclient", "now with a buffer word", raw_call(ep, ipc, RTC_LABEL_NOW, 1, 0, w),
               MICA_EINVAL, &bad);
    raw_expect("rtcclient", "now with a handle", raw_call(ep, ipc, RTC_LABEL_NOW, 0, 1, w),
               MICA_EINVAL, &bad);
    raw_expect("rtcclient", "now with 120 words and 4 handles",
               raw_call(ep, ipc, RTC_LABEL_NOW, 120, 4, w), MICA_EINVAL, &bad);
    return bad;
}

int main(const struct mica_server_start *st)
{
    mica_handle_t ep = mica_start_handle(st, "rtc");
    if (mica_runtime_init(mica_start_handle(st, "self")) < 0)
        return 1;
    struct mica_ipc_buffer *ipc = mica_thread_ipc_buffer();
    uint64_t u1, at1, u2, at2;
    int err = rtc_now(ep, ipc, &u1, &at1);
    if (err < 0) {
        mica_printf("rtcclient: now failed: %d\n", err);
        return 1;
    }
    unsigned wrong = at1 > mica_clock_ns();
    print_wall(u1, at1);
    mica_sleep(SEC);
    unsigned bad = malformed(ep, ipc);
    err = rtc_now(ep, ipc, &u2, &at2);
    /* the same reading, so the same pair: the wall clock advances with the monotonic one */
    if (err < 0 || u2 != u1 || at2 != at1)
        wrong++;
    print_wall(u2, at2);
    mica_printf("rtcclient: %s, %u malformed requests answered wrongly\n",
                wrong ? "inconsistent answers" : "consistent answers", bad);
    return wrong || bad ? 1 : 0;
}
