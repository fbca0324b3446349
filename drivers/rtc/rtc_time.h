/*
 * rtc_time.h - calendar arithmetic for the CMOS real-time clock driver
 * (concept: device registers hold a device's own representation of a value;
 * the driver turns it into the system's).  drivers/rtc/rtc_time.c.
 *
 * The clock chip counts seconds, minutes, hours, day, month and a two-digit
 * year, in BCD or binary, in 12- or 24-hour mode (status register B says
 * which).  rtc_decode() turns the raw register values into a struct
 * rtc_time; rtc_to_unix() turns that into seconds since the Unix epoch
 * (1970-01-01 00:00:00 UTC); rtc_from_unix() goes back, for printing.
 * Pure code without device access: the host unit tests run it
 * (tests/host/test_rtc_time.c).
 */
#ifndef RTC_TIME_H
#define RTC_TIME_H

#include <stdint.h>

/* Status register B: how the clock holds its values. */
#define RTC_B_24HOUR 0x02 /* hours 0-23 (else 1-12 with bit 7 of the hour = PM) */
#define RTC_B_BINARY 0x04 /* binary values (else binary-coded decimal) */

/* The time-keeping registers as read from the chip, before decoding. */
struct rtc_raw {
    uint8_t sec, min, hour, day, month, year; /* CMOS registers 0x00, 0x02, 0x04, 0x07-0x09 */
    uint8_t status_b;                         /* register 0x0b */
    uint8_t century;     /* the century register's value, if the FADT names one */
    uint8_t has_century; /* 0: assume the years 2000-2099 */
};

/* A calendar date and time of day in UTC. */
struct rtc_time {
    uint32_t year;                 /* e.g. 2024 */
    uint32_t month, day;           /* 1-12, 1-31 */
    uint32_t hour, minute, second; /* 0-23, 0-59, 0-59 */
};

/* Decode raw registers: 0, or -1 if a value is no valid BCD or out of its range. */
int rtc_decode(const struct rtc_raw *raw, struct rtc_time *out);

/* Seconds since the epoch: 0, or -1 for a date before 1970, after 9999 or that does not exist. */
int rtc_to_unix(const struct rtc_time *t, uint64_t *unix_seconds);

/* The calendar date of unix_seconds (up to the year 9999; later times give -1). */
int rtc_from_unix(uint64_t unix_seconds, struct rtc_time *out);

/* Is year a leap year of the Gregorian calendar? */
int rtc_is_leap(uint32_t year);

/* Days in month (1-12) of year; 0 for a month out of range. */
uint32_t rtc_days_in_month(uint32_t year, uint32_t month);

#endif
