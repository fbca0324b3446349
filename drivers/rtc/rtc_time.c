/*
 * rtc_time.c - decoding the CMOS clock's registers and converting a
 * calendar date to Unix time and back (see rtc_time.h).  Pure code: the
 * host unit tests run it.
 */
#include "rtc_time.h"

#define SECS_PER_DAY 86400ull
#define MAX_YEAR     9999

int rtc_is_leap(uint32_t year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

uint32_t rtc_days_in_month(uint32_t year, uint32_t month)
{
    static const uint8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && rtc_is_leap(year))
        return 29;
    return days[month - 1];
}

static uint32_t days_in_year(uint32_t year)
{
    return rtc_is_leap(year) ? 366 : 365;
}

/* One register value as a number: BCD (two decimal digits, one per nibble) or binary. */
static int decode_value(uint8_t v, int binary, uint32_t *out)
{
    if (binary) {
        *out = v;
        return 0;
    }
    if ((v >> 4) > 9 || (v & 0xf) > 9)
        return -1; /* not a BCD number */
    *out = (uint32_t)(v >> 4) * 10 + (v & 0xf);
    return 0;
}

/* The hour register: in 12-hour mode 1-12 with bit 7 for PM; 12 AM is midnight. */
static int decode_hour(uint8_t v, uint8_t status_b, uint32_t *out)
{
    int binary = (status_b & RTC_B_BINARY) != 0;
    if (status_b & RTC_B_24HOUR)
        return decode_value(v, binary, out);
    int pm = (v & 0x80) != 0;
    uint32_t h;
    if (decode_value(v & 0x7f, binary, &h) < 0 || h < 1 || h > 12)
        return -1;
    *out = (h % 12) + (pm ? 12 : 0);
    return 0;
}

int rtc_decode(const struct rtc_raw *raw, struct rtc_time *out)
{
    int binary = (raw->status_b & RTC_B_BINARY) != 0;
    uint32_t year2, century = 20;
    struct rtc_time t;
    if (decode_value(raw->sec, binary, &t.second) < 0 ||
        decode_value(raw->min, binary, &t.minute) < 0 ||
        decode_hour(raw->hour, raw->status_b, &t.hour) < 0 ||
        decode_value(raw->day, binary, &t.day) < 0 ||
        decode_value(raw->month, binary, &t.month) < 0 ||
        decode_value(raw->year, binary, &year2) < 0 || year2 > 99)
        return -1;
    if (raw->has_century && decode_value(raw->century, binary, &century) < 0)
        return -1;
    t.year = century * 100 + year2;
    if (t.second > 59 || t.minute > 59 || t.hour > 23 || t.month < 1 || t.month > 12 || t.day < 1 ||
        t.day > rtc_days_in_month(t.year, t.month))
        return -1;
    *out = t;
    return 0;
}

int rtc_to_unix(const struct rtc_time *t, uint64_t *unix_seconds)
{
    if (t->year < 1970 || t->year > MAX_YEAR || t->month < 1 || t->month > 12 || t->day < 1 ||
        t->day > rtc_days_in_month(t->year, t->month) || t->hour > 23 || t->minute > 59 ||
        t->second > 59)
        return -1;
    uint64_t days = 0;
    for (uint32_t y = 1970; y < t->year; y++)
        days += days_in_year(y);
    for (uint32_t m = 1; m < t->month; m++)
        days += rtc_days_in_month(t->year, m);
    days += t->day - 1;
    *unix_seconds = days * SECS_PER_DAY + t->hour * 3600ull + t->minute * 60ull + t->second;
    return 0;
}

int rtc_from_unix(uint64_t unix_seconds, struct rtc_time *out)
{
    uint64_t days = unix_seconds / SECS_PER_DAY, rest = unix_seconds % SECS_PER_DAY;
    struct rtc_time t = {.year = 1970, .month = 1};
    while (days >= days_in_year(t.year)) {
        days -= days_in_year(t.year);
        if (++t.year > MAX_YEAR)
            return -1;
    }
    while (days >= rtc_days_in_month(t.year, t.month)) {
        days -= rtc_days_in_month(t.year, t.month);
        t.month++;
    }
    t.day = (uint32_t)days + 1;
    t.hour = (uint32_t)(rest / 3600);
    t.minute = (uint32_t)(rest / 60 % 60);
    t.second = (uint32_t)(rest % 60);
    *out = t;
    return 0;
}
