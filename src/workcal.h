/*
 * workcal.h — the working-time calendar: which days are working days on
 * China's official holiday calendar (with 调休 make-up working days), office
 * hours, and deadline arithmetic in clock hours, working hours and working
 * days.
 *
 * Days. The calendar is loaded from holiday-cn files (YYYY.json, one per
 * year, the State Council's notice; see data/holidays/README.md). A date is
 * a working day when it is listed with isOffDay false, a rest day when it is
 * listed with isOffDay true, and otherwise a working day Monday to Friday and
 * a rest day on Saturday and Sunday. A year is *covered* when its own file
 * was loaded and lists at least one day; a file with "days": [] (the notice
 * is not out yet) loads but leaves its year uncovered. A file may list dates
 * of the year before or after its own (the notice for 2023 lists
 * 2022-12-31); such an entry is used, but only once the neighbouring year is
 * covered by its own file, and an entry of the date's own file wins over an
 * entry from a neighbouring file.
 *
 * The year right after the last covered one, whose notice is usually
 * published only in its previous November or December, is *provisional*
 * until its file is loaded: Monday to Friday are working days, Saturday,
 * Sunday and 1 January (元旦, fixed by law) rest days, so that cases filed
 * late in a year still get deadlines. Later years are refused.
 *
 * Time. Every instant is int64 milliseconds since the Unix epoch. Dates,
 * days and office hours are in Asia/Shanghai, which is fixed UTC+08:00:
 * China has had no daylight saving time since 1991, so no tz database is
 * consulted (WORKCAL_UTC_OFFSET_MS).
 *
 * Office hours are up to WORKCAL_MAX_PERIODS periods per working day, as
 * minutes of the day [start, end), ascending and not overlapping; default
 * 08:30–12:00 and 13:30–17:30. The same hours apply to every working day,
 * make-up Saturdays and Sundays included.
 *
 * Deadlines (workcal_add), for amount > 0:
 *   - WORKCAL_HOURS: start + amount clock hours; the calendar is not used
 *     and never limits the result.
 *   - WORKCAL_WORK_HOURS: amount × 60 minutes of office time on working days
 *     are counted from the start. A start inside an office period counts
 *     from the start itself; a start outside (evening, lunch, a rest day)
 *     counts from the beginning of the next office period of a working day.
 *     The deadline is the instant the last minute is used up, so a deadline
 *     that falls on the end of a period is that end (08:30 + 3.5 h = 12:00
 *     the same day, not 13:30). Example: Friday 17:00 + 2 working hours =
 *     Monday 10:00 (30 minutes on Friday, 90 on Monday).
 *   - WORKCAL_WORK_DAYS: the start day is day 0 and is never counted,
 *     whatever the hour and whether or not it is a working day (期间开始的
 *     当日不计入, 民法典 第二百零一条). The deadline is the end of office hours
 *     (the end of the last period, 17:30 by default) of the amount-th working
 *     day after the start day (民法典 第二百零三条: 有业务时间的, 停止业务活动
 *     的时间为截止时间). Examples: 2025-09-26 (Fri) + 5 = 2025-10-10 17:30
 *     (Sun 09-28 is a make-up working day, 10-01..10-08 are off);
 *     2025-01-24 + 3 = 2025-02-05 17:30; 2026-02-13 + 1 = 2026-02-14 17:30
 *     (a make-up Saturday).
 *   - amount 0 gives the start itself, for every unit.
 * Every day the walk looks at, from the start day to the deadline day, must
 * lie in a covered or the provisional year (for WORKCAL_WORK_DAYS the start day too, so that
 * workcal_first_uncovered_year names the year that stopped it).
 *
 * A struct workcal is filled once and then only read: any number of threads
 * may use the const functions at once. No global state.
 */
#ifndef ZG_WORKCAL_H
#define ZG_WORKCAL_H

#include <stdint.h>

struct buf;

#define WORKCAL_UTC_OFFSET_MS (8 * 3600 * 1000LL) /* Asia/Shanghai: UTC+08:00, no DST */
#define WORKCAL_MAX_PERIODS 4

enum workcal_unit {
	WORKCAL_HOURS,      /* clock hours; "hours" */
	WORKCAL_WORK_HOURS, /* hours of office time on working days; "work_hours" */
	WORKCAL_WORK_DAYS,  /* working days, the start day not counted; "work_days" */
};

/* Return values of workcal_add besides 0. */
enum { WORKCAL_NOT_COVERED = -1, WORKCAL_BAD_ARGUMENT = -2 };

struct workcal_year;

struct workcal {
	int first_year;                         /* year of years[0]; meaningless while nyears is 0 */
	int nyears;                             /* consecutive years in the table */
	struct workcal_year *years;             /* owned; NULL while empty */
	int nperiods;                           /* office periods per working day, 1..WORKCAL_MAX_PERIODS */
	int period_min[WORKCAL_MAX_PERIODS][2]; /* [start, end) in minutes of the day */
};

/* Initializes an empty calendar (no year covered) with the default office
 * hours 08:30–12:00 and 13:30–17:30. Release with workcal_release. */
void workcal_init_default(struct workcal *w);

/* Frees the day table; w may be NULL. w is then empty, as after init (office hours kept). */
void workcal_release(struct workcal *w);

/*
 * Sets the office hours: n periods as minute-of-day pairs period_min[i][0]
 * (start) < period_min[i][1] (end), within 0..1440, ascending, not
 * overlapping, 1 <= n <= WORKCAL_MAX_PERIODS. Returns 0, or -1 with the
 * reason in err and w unchanged.
 */
int workcal_set_office_hours(struct workcal *w, const int period_min[][2], int n, struct buf *err);

/* Same from text "08:30-12:00,13:30-17:30" (HH:MM-HH:MM, comma separated; 24:00 allowed as an end). */
int workcal_parse_office_hours(struct workcal *w, const char *spec, struct buf *err);

/*
 * Loads one holiday-cn file. Checks: at most 1 MiB, JSON object with an
 * integer "year" (1900..2999; when the file is named YYYY.json it must be
 * that year), an array "days" of objects with a string "name", a valid
 * "YYYY-MM-DD" "date" within year - 1 .. year + 1, listed once, and a
 * boolean "isOffDay". Returns 0, or -1 with "FILE: reason" in err
 * ("FILE:LINE:COLUMN: malformed JSON: ..." when it does not parse) and w
 * unchanged. Loading the same file twice is harmless.
 */
int workcal_load_file(struct workcal *w, const char *path, struct buf *err);

/*
 * Loads every file named YYYY.json (four digits) in dir, in ascending order;
 * other files (README.md, LICENSE) are ignored. Returns 0, or -1 with
 * "FILE: reason" (or "DIR: reason" when the folder cannot be read or holds
 * no YYYY.json) in err and w unchanged (all or nothing).
 */
int workcal_load_dir(struct workcal *w, const char *dir, struct buf *err);

/* 1 when year is covered (its own file listed days), else 0. */
int workcal_covers_year(const struct workcal *w, int year);

/* 1 when year is the provisional year (the one after the last covered
 * year, its file not loaded), else 0. */
int workcal_is_provisional_year(const struct workcal *w, int year);
/* The provisional year, or 0 when no year is covered. */
int workcal_provisional_year(const struct workcal *w);

/* The first year at or after the year of from_ms (Asia/Shanghai) that is
 * neither covered nor provisional: the year a failed workcal_add or workcal_work_minutes_between from
 * there needed, for "holiday calendar for YYYY not loaded". */
int workcal_first_uncovered_year(const struct workcal *w, int64_t from_ms);

/* 1 when y-m-d is a working day, 0 when it is a rest day, -1 when the date
 * is not a valid date or its year is neither covered nor provisional. */
int workcal_is_workday(const struct workcal *w, int y, int m, int d);

/*
 * The deadline amount units after start_ms, by the rules at the top of this
 * file, into *deadline_ms. Returns 0; WORKCAL_NOT_COVERED (-1) when the
 * computation needs a day of a year that is not covered (the caller reports
 * "holiday calendar for YYYY not loaded", the year from
 * workcal_first_uncovered_year(w, start_ms)); WORKCAL_BAD_ARGUMENT (-2) for a
 * negative amount, an unknown unit or a result past int64. *deadline_ms is
 * written only on success.
 */
int workcal_add(const struct workcal *w, int64_t start_ms, int amount, enum workcal_unit unit, int64_t *deadline_ms);

/*
 * Working minutes between a_ms and b_ms: the office time on working days
 * inside [a_ms, b_ms), in whole minutes (rounded down); 0 when b_ms <= a_ms.
 * -1 when a day from a_ms's day to the day of the last millisecond before
 * b_ms lies in a year that is not covered.
 */
int64_t workcal_work_minutes_between(const struct workcal *w, int64_t a_ms, int64_t b_ms);

/* "hours", "work_hours", "work_days" → *unit; returns 0, or -1 (unit unchanged). */
int workcal_unit_parse(const char *s, enum workcal_unit *unit);
/* The name of a unit, as workcal_unit_parse reads it; "?" for an unknown value. */
const char *workcal_unit_name(enum workcal_unit unit);

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d (not checked), and back. */
int64_t workcal_epoch_day(int y, int m, int d);
void workcal_civil(int64_t epoch_day, int *y, int *m, int *d);

/*
 * Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS[.mmm]]" with an optional "Z" or
 * "+HH:MM" offset (none: Asia/Shanghai) into ms since the epoch. A bare date
 * means date_only_minute minutes after its midnight (0, or 17 * 60 + 30 for
 * the end of an office day). Exact field widths. Returns 0, or -1 when s is
 * not such a time.
 */
int workcal_parse_time(const char *s, int date_only_minute, int64_t *ms);

/* 1 when y-m-d is a valid Gregorian date (year 1..9999), else 0. */
int workcal_valid_date(int y, int m, int d);

#endif
