/*
 * timeutil.h — wall-clock and monotonic time in integer milliseconds, and
 * ISO-8601 formatting in China Standard Time (UTC+08:00, no DST), which is
 * how every time in zonegov is shown.
 */
#ifndef ZG_TIMEUTIL_H
#define ZG_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

int64_t time_now_ms(void);  /* wall clock, ms since the Unix epoch */
int64_t time_mono_ns(void); /* monotonic clock, ns */
/* Writes e.g. "2026-11-22T10:00:00.123+08:00"; out needs 30 bytes. */
void time_format_iso(int64_t ms, char *out, size_t outlen);

#endif
