/*
 * test_rtc_time.c - the CMOS clock driver's register decoding and its
 * calendar arithmetic (drivers/rtc/rtc_time.c), checked against the host C
 * library's timegm() and gmtime_r() and against known dates.
 */
#include <string.h>
#include <time.h>
#include "../../drivers/rtc/rtc_time.h"
#include "unit.h"

static struct rtc_time date(uint32_t y, uint32_t mo, uint32_t d, uint32_t h, uint32_t mi,
                            uint32_t s)
{
    return (struct rtc_time){y, mo, d, h, mi, s};
}

static uint64_t to_unix(struct rtc_time t)
{
    uint64_t u = 0;
    CHECK_EQ(rtc_to_unix(&t, &u), 0);
    return u;
}

static void test_known_dates(void)
{
    CHECK_EQ(to_unix(date(1970, 1, 1, 0, 0, 0)), 0);
    CHECK_EQ(to_unix(date(1970, 1, 1, 0, 0, 1)), 1);
    CHECK_EQ(to_unix(date(2000, 1, 1, 0, 0, 0)), 946684800);
    CHECK_EQ(to_unix(date(2000, 2, 29, 0, 0, 0)), 951782400);
    CHECK_EQ(to_unix(date(2024, 2, 29, 12, 34, 56)), 1709210096);
    CHECK_EQ(to_unix(date(2038, 1, 19, 3, 14, 8)), 2147483648ll); /* past 32-bit time_t */
    CHECK_EQ(to_unix(date(2099, 12, 31, 23, 59, 59)), 4102444799ll);
    CHECK_EQ(to_unix(date(2100, 3, 1, 0, 0, 0)), 4107542400ll); /* 2100 has no 29 February */
}

static void test_leap_years(void)
{
    CHECK(rtc_is_leap(2024) && rtc_is_leap(2000) && rtc_is_leap(2400));
    CHECK(!rtc_is_leap(2023) && !rtc_is_leap(1900) && !rtc_is_leap(2100));
    CHECK_EQ(rtc_days_in_month(2024, 2), 29);
    CHECK_EQ(rtc_days_in_month(2023, 2), 28);
    CHECK_EQ(rtc_days_in_month(2100, 2), 28);
    CHECK_EQ(rtc_days_in_month(2023, 4), 30);
    CHECK_EQ(rtc_days_in_month(2023, 12), 31);
    CHECK_EQ(rtc_days_in_month(2023, 0), 0);
    CHECK_EQ(rtc_days_in_month(2023, 13), 0);
}

/* Every 7th hour-and-a-bit from 1970 to 2200, against the host's timegm and gmtime_r. */
static void test_against_libc(void)
{
    int bad = 0;
    for (int64_t u = 0; u < 7258118400ll && bad < 5; u += 25307) {
        time_t tt = (time_t)u;
        struct tm tm;
        gmtime_r(&tt, &tm);
        struct rtc_time t =
            date((uint32_t)tm.tm_year + 1900, (uint32_t)tm.tm_mon + 1, (uint32_t)tm.tm_mday,
                 (uint32_t)tm.tm_hour, (uint32_t)tm.tm_min, (uint32_t)tm.tm_sec);
        uint64_t got = 0;
        struct rtc_time back;
        if (rtc_to_unix(&t, &got) != 0 || got != (uint64_t)u || rtc_from_unix(got, &back) != 0 ||
            memcmp(&back, &t, sizeof t) != 0) {
            fprintf(stderr, "  %lld: %u-%u-%u %u:%u:%u gives %llu\n", (long long)u, t.year, t.month,
                    t.day, t.hour, t.minute, t.second, (unsigned long long)got);
            bad++;
        }
    }
    CHECK_EQ(bad, 0);
    struct rtc_time t;
    CHECK_EQ(rtc_from_unix(253402300799ull, &t), 0); /* 9999-12-31 23:59:59 */
    CHECK(t.year == 9999 && t.month == 12 && t.day == 31 && t.second == 59);
    CHECK_EQ(rtc_from_unix(253402300800ull, &t), -1);
    CHECK_EQ(rtc_from_unix(UINT64_MAX, &t), -1);
}

/* Dates that do not exist and values out of range are refused. */
static void test_bad_dates(void)
{
    const struct rtc_time bad[] = {
        date(1969, 12, 31, 23, 59, 59), date(2023, 2, 29, 0, 0, 0), date(2100, 2, 29, 0, 0, 0),
        date(2024, 2, 30, 0, 0, 0),     date(2024, 4, 31, 0, 0, 0), date(2024, 0, 1, 0, 0, 0),
        date(2024, 13, 1, 0, 0, 0),     date(2024, 1, 0, 0, 0, 0),  date(2024, 1, 32, 0, 0, 0),
        date(2024, 1, 1, 24, 0, 0),     date(2024, 1, 1, 0, 60, 0), date(2024, 1, 1, 0, 0, 60),
        date(10000, 1, 1, 0, 0, 0),
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t u = 12345;
        CHECK_EQ(rtc_to_unix(&bad[i], &u), -1);
        CHECK_EQ(u, 12345); /* left alone */
    }
}

static struct rtc_raw raw(uint8_t y, uint8_t mo, uint8_t d, uint8_t h, uint8_t mi, uint8_t s,
                          uint8_t b)
{
    return (struct rtc_raw){
        .sec = s, .min = mi, .hour = h, .day = d, .month = mo, .year = y, .status_b = b};
}

static int decodes_to(struct rtc_raw r, struct rtc_time want)
{
    struct rtc_time t;
    if (rtc_decode(&r, &t) != 0)
        return 0;
    return memcmp(&t, &want, sizeof t) == 0;
}

/* BCD and binary, 24- and 12-hour mode, the century register. */
static void test_decode(void)
{
    const uint8_t h24 = RTC_B_24HOUR, bin = RTC_B_BINARY;
    CHECK(decodes_to(raw(0x24, 0x02, 0x29, 0x12, 0x34, 0x56, h24), date(2024, 2, 29, 12, 34, 56)));
    CHECK(decodes_to(raw(24, 2, 29, 12, 34, 56, h24 | bin), date(2024, 2, 29, 12, 34, 56)));
    CHECK(decodes_to(raw(0x99, 0x12, 0x31, 0x23, 0x59, 0x59, h24), date(2099, 12, 31, 23, 59, 59)));
    /* 12-hour mode: 12 AM is midnight, 12 PM noon, bit 7 is PM */
    CHECK(decodes_to(raw(0x24, 1, 1, 0x12, 0, 0, 0), date(2024, 1, 1, 0, 0, 0)));
    CHECK(decodes_to(raw(0x24, 1, 1, 0x92, 0, 0, 0), date(2024, 1, 1, 12, 0, 0)));
    CHECK(decodes_to(raw(0x24, 1, 1, 0x81, 0, 0, 0), date(2024, 1, 1, 13, 0, 0)));
    CHECK(decodes_to(raw(0x24, 1, 1, 0x11, 0, 0, 0), date(2024, 1, 1, 11, 0, 0)));
    CHECK(decodes_to(raw(24, 1, 1, 0x80 | 11, 0, 0, bin), date(2024, 1, 1, 23, 0, 0)));
    struct rtc_raw c = raw(0x05, 0x07, 0x04, 0x10, 0, 0, h24);
    c.century = 0x19;
    c.has_century = 1;
    CHECK(decodes_to(c, date(1905, 7, 4, 10, 0, 0)));
}

static void test_decode_bad(void)
{
    const uint8_t h24 = RTC_B_24HOUR, bin = RTC_B_BINARY;
    const struct rtc_raw bad[] = {
        raw(0x24, 0x02, 0x29, 0x12, 0x34, 0x5a, h24), /* a nibble above 9 */
        raw(0x2f, 0x02, 0x28, 0x12, 0x34, 0x56, h24), raw(0x23, 0x02, 0x29, 0, 0, 0, h24),
        raw(0x24, 0x13, 0x01, 0, 0, 0, h24),          raw(0x24, 0x00, 0x01, 0, 0, 0, h24),
        raw(0x24, 0x01, 0x00, 0, 0, 0, h24),          raw(0x24, 0x01, 0x01, 0x24, 0, 0, h24),
        raw(0x24, 0x01, 0x01, 0x00, 0x60, 0, h24),    raw(0x24, 0x01, 0x01, 0x00, 0, 0x60, h24),
        raw(0x24, 0x01, 0x01, 0x00, 0, 0, 0), /* 12-hour mode has no hour 0 */
        raw(0x24, 0x01, 0x01, 0x13, 0, 0, 0),         raw(100, 1, 1, 0, 0, 0, h24 | bin),
        raw(24, 1, 1, 0, 0, 0xff, h24 | bin),
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rtc_time t = date(1, 2, 3, 4, 5, 6), was = t;
        CHECK_EQ(rtc_decode(&bad[i], &t), -1);
        CHECK(memcmp(&t, &was, sizeof t) == 0);
    }
    struct rtc_raw c = raw(0x05, 0x07, 0x04, 0x10, 0, 0, h24);
    c.century = 0x1a;
    c.has_century = 1;
    struct rtc_time t;
    CHECK_EQ(rtc_decode(&c, &t), -1);
}

int main(void)
{
    unit_run("rtc_time", "known_dates", test_known_dates);
    unit_run("rtc_time", "leap_years", test_leap_years);
    unit_run("rtc_time", "against_libc", test_against_libc);
    unit_run("rtc_time", "bad_dates", test_bad_dates);
    unit_run("rtc_time", "decode", test_decode);
    unit_run("rtc_time", "decode_bad", test_decode_bad);
    return unit_exit_code();
}
