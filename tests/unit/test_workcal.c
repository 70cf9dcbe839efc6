/*
 * test_workcal.c — the working-time calendar (workcal.h): loading the
 * holiday files, working days with 调休, deadlines in working days, working
 * hours and clock hours, working minutes between two instants. The real data
 * is read from data/holidays (the tests run from the repository root).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "buf.h"
#include "workcal.h"
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#define DATA_DIR "data/holidays"

struct fixture {
	struct workcal w;
	struct buf err;
	char dir[PATH_MAX];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	workcal_init_default(&f->w);
	buf_init(&f->err, 4096);
	if (workcal_load_dir(&f->w, DATA_DIR, &f->err)) {
		print_error("workcal_load_dir: %s\n", buf_cstr(&f->err));
		buf_release(&f->err);
		free(f);
		return -1;
	}
	tu_mkdtemp(f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	workcal_release(&f->w);
	buf_release(&f->err);
	tu_rmtree(f->dir);
	free(f);
	return 0;
}

/* ms since the epoch of y-m-d h:mi in Asia/Shanghai. */
static int64_t at(int y, int m, int d, int h, int mi)
{
	return (workcal_epoch_day(y, m, d) * 86400 + h * 3600 + mi * 60) * 1000 - WORKCAL_UTC_OFFSET_MS;
}

static int64_t add_ok(const struct workcal *w, int64_t start, int amount, enum workcal_unit unit)
{
	int64_t out = 0;
	assert_int_equal(workcal_add(w, start, amount, unit, &out), 0);
	return out;
}

/* Writes text to dir/name; returns the path in a static buffer. */
static const char *write_file(const char *dir, const char *name, const char *text)
{
	static char path[PATH_MAX + 64];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static void test_workcal_repo_data_covers_2023_to_2026_only(void **state)
{
	struct fixture *f = *state;
	for (int y = 2023; y <= 2026; y++)
		assert_int_equal(workcal_covers_year(&f->w, y), 1);
	assert_int_equal(workcal_covers_year(&f->w, 2022), 0); /* only 2022-12-31 is listed, in 2023.json */
	assert_int_equal(workcal_covers_year(&f->w, 2027), 0);
	assert_int_equal(workcal_is_provisional_year(&f->w, 2027), 1); /* the year after the last file */
	assert_int_equal(workcal_provisional_year(&f->w), 2027);
	assert_int_equal(workcal_is_provisional_year(&f->w, 2028), 0);
	assert_int_equal(workcal_is_provisional_year(&f->w, 2026), 0);
	assert_int_equal(workcal_first_uncovered_year(&f->w, at(2024, 6, 1, 12, 0)), 2028);
	assert_int_equal(workcal_first_uncovered_year(&f->w, at(2022, 6, 1, 12, 0)), 2022);
}

static void test_workcal_is_workday_listed_days_then_weekdays(void **state)
{
	struct fixture *f = *state;
	const struct workcal *w = &f->w;
	assert_int_equal(workcal_is_workday(w, 2025, 10, 1), 0);  /* 国庆, Wednesday */
	assert_int_equal(workcal_is_workday(w, 2025, 1, 29), 0);  /* 春节 */
	assert_int_equal(workcal_is_workday(w, 2025, 9, 28), 1);  /* make-up Sunday */
	assert_int_equal(workcal_is_workday(w, 2025, 10, 11), 1); /* make-up Saturday */
	assert_int_equal(workcal_is_workday(w, 2025, 9, 27), 0);  /* ordinary Saturday */
	assert_int_equal(workcal_is_workday(w, 2025, 9, 21), 0);  /* ordinary Sunday */
	assert_int_equal(workcal_is_workday(w, 2025, 9, 22), 1);  /* ordinary Monday */
	assert_int_equal(workcal_is_workday(w, 2024, 2, 29), 1);  /* leap day, Thursday */
	assert_int_equal(workcal_is_workday(w, 2025, 2, 29), -1); /* no such date */
	assert_int_equal(workcal_is_workday(w, 2025, 13, 1), -1);
	assert_int_equal(workcal_is_workday(w, 2027, 1, 4), 1);  /* 2027 provisional: a Monday works */
	assert_int_equal(workcal_is_workday(w, 2027, 1, 1), 0);  /* 元旦, a Friday */
	assert_int_equal(workcal_is_workday(w, 2027, 1, 9), 0);  /* a Saturday */
	assert_int_equal(workcal_is_workday(w, 2028, 1, 4), -1); /* 2028 not covered */
	assert_int_equal(workcal_is_workday(w, 2022, 12, 30), -1);
}

static void test_workcal_make_up_saturday_counts_as_workday(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(workcal_is_workday(&f->w, 2026, 2, 14), 1);
	/* Friday 17:00 + 1 working hour: 30 minutes on Friday, 30 on the make-up Saturday. */
	assert_int_equal(add_ok(&f->w, at(2026, 2, 13, 17, 0), 1, WORKCAL_WORK_HOURS), at(2026, 2, 14, 9, 0));
}

static void test_workcal_work_days_match_cn_standards_examples(void **state)
{
	struct fixture *f = *state;
	const struct workcal *w = &f->w;
	assert_int_equal(add_ok(w, at(2025, 9, 26, 10, 0), 5, WORKCAL_WORK_DAYS), at(2025, 10, 10, 17, 30));
	assert_int_equal(add_ok(w, at(2025, 1, 24, 10, 0), 3, WORKCAL_WORK_DAYS), at(2025, 2, 5, 17, 30));
	assert_int_equal(add_ok(w, at(2026, 2, 13, 10, 0), 1, WORKCAL_WORK_DAYS), at(2026, 2, 14, 17, 30));
}

static void test_workcal_work_days_start_day_never_counts(void **state)
{
	struct fixture *f = *state;
	const struct workcal *w = &f->w;
	/* Whatever the hour of the start day, day 1 is the next working day. */
	assert_int_equal(add_ok(w, at(2025, 9, 22, 0, 0), 1, WORKCAL_WORK_DAYS), at(2025, 9, 23, 17, 30));
	assert_int_equal(add_ok(w, at(2025, 9, 22, 23, 59), 1, WORKCAL_WORK_DAYS), at(2025, 9, 23, 17, 30));
	/* A start on a rest day: the next working day is day 1. */
	assert_int_equal(add_ok(w, at(2025, 9, 20, 10, 0), 1, WORKCAL_WORK_DAYS), at(2025, 9, 22, 17, 30));
	/* Friday + 1 = Monday; amount 0 = the start itself. */
	assert_int_equal(add_ok(w, at(2025, 9, 19, 16, 0), 1, WORKCAL_WORK_DAYS), at(2025, 9, 22, 17, 30));
	assert_int_equal(add_ok(w, at(2025, 9, 19, 16, 0), 0, WORKCAL_WORK_DAYS), at(2025, 9, 19, 16, 0));
}

static void test_workcal_deadline_skips_national_day_week(void **state)
{
	struct fixture *f = *state;
	/* 2025-10-01..10-08 are off; 10-09 is the first working day after 09-30. */
	assert_int_equal(add_ok(&f->w, at(2025, 9, 30, 9, 0), 1, WORKCAL_WORK_DAYS), at(2025, 10, 9, 17, 30));
	/* 2024: 10-01..10-07 off, 09-29 (Sunday) and 10-12 (Saturday) are make-up days. */
	assert_int_equal(add_ok(&f->w, at(2024, 9, 27, 9, 0), 1, WORKCAL_WORK_DAYS), at(2024, 9, 29, 17, 30));
	assert_int_equal(add_ok(&f->w, at(2024, 9, 30, 9, 0), 1, WORKCAL_WORK_DAYS), at(2024, 10, 8, 17, 30));
	assert_int_equal(add_ok(&f->w, at(2024, 10, 11, 9, 0), 1, WORKCAL_WORK_DAYS), at(2024, 10, 12, 17, 30));
}

static void test_workcal_deadline_skips_spring_festival(void **state)
{
	struct fixture *f = *state;
	/* 2026: 02-14 make-up Saturday, 02-15..02-23 off. */
	assert_int_equal(add_ok(&f->w, at(2026, 2, 13, 9, 0), 2, WORKCAL_WORK_DAYS), at(2026, 2, 24, 17, 30));
}

static void test_workcal_work_hours_across_lunch(void **state)
{
	struct fixture *f = *state;
	/* Monday 2025-09-22 11:00 + 2 h: 11:00-12:00, then 13:30-14:30. */
	assert_int_equal(add_ok(&f->w, at(2025, 9, 22, 11, 0), 2, WORKCAL_WORK_HOURS), at(2025, 9, 22, 14, 30));
	/* Ending on the end of a period gives that end, not the next start. */
	assert_int_equal(add_ok(&f->w, at(2025, 9, 22, 10, 0), 2, WORKCAL_WORK_HOURS), at(2025, 9, 22, 12, 0));
	/* A full working day is 7.5 h: 08:30 + 8 h = next day 09:00. */
	assert_int_equal(add_ok(&f->w, at(2025, 9, 22, 8, 30), 8, WORKCAL_WORK_HOURS), at(2025, 9, 23, 9, 0));
}

static void test_workcal_work_hours_across_evening(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(add_ok(&f->w, at(2025, 9, 22, 16, 30), 2, WORKCAL_WORK_HOURS), at(2025, 9, 23, 9, 30));
}

static void test_workcal_work_hours_across_weekend(void **state)
{
	struct fixture *f = *state;
	/* Friday 2025-09-19 17:00 + 2 h: 30 minutes Friday, 90 minutes Monday. */
	assert_int_equal(add_ok(&f->w, at(2025, 9, 19, 17, 0), 2, WORKCAL_WORK_HOURS), at(2025, 9, 22, 10, 0));
	/* Seconds and milliseconds of the start carry through. */
	assert_int_equal(add_ok(&f->w, at(2025, 9, 19, 17, 0) + 12345, 2, WORKCAL_WORK_HOURS),
	                 at(2025, 9, 22, 10, 0) + 12345);
}

static void test_workcal_work_hours_across_holiday_week(void **state)
{
	struct fixture *f = *state;
	/* Tuesday 2025-09-30 16:30 + 3 h: 1 h on 09-30, 10-01..10-08 off, 2 h on 10-09. */
	assert_int_equal(add_ok(&f->w, at(2025, 9, 30, 16, 30), 3, WORKCAL_WORK_HOURS), at(2025, 10, 9, 10, 30));
	/* Friday 2025-09-26 17:00 + 2 h: the make-up Sunday 09-28 comes first. */
	assert_int_equal(add_ok(&f->w, at(2025, 9, 26, 17, 0), 2, WORKCAL_WORK_HOURS), at(2025, 9, 28, 10, 0));
}

static void test_workcal_work_hours_start_outside_office_hours(void **state)
{
	struct fixture *f = *state;
	const struct workcal *w = &f->w;
	assert_int_equal(add_ok(w, at(2025, 9, 22, 7, 0), 1, WORKCAL_WORK_HOURS), at(2025, 9, 22, 9, 30));
	assert_int_equal(add_ok(w, at(2025, 9, 22, 12, 30), 1, WORKCAL_WORK_HOURS), at(2025, 9, 22, 14, 30));
	assert_int_equal(add_ok(w, at(2025, 9, 22, 20, 0), 1, WORKCAL_WORK_HOURS), at(2025, 9, 23, 9, 30));
	assert_int_equal(add_ok(w, at(2025, 9, 21, 10, 0), 1, WORKCAL_WORK_HOURS), at(2025, 9, 22, 9, 30));
	assert_int_equal(add_ok(w, at(2025, 10, 3, 10, 0), 1, WORKCAL_WORK_HOURS), at(2025, 10, 9, 9, 30));
}

static void test_workcal_clock_hours_ignore_the_calendar(void **state)
{
	struct fixture *f = *state;
	const struct workcal *w = &f->w;
	assert_int_equal(add_ok(w, at(2025, 9, 30, 16, 30), 24, WORKCAL_HOURS), at(2025, 10, 1, 16, 30));
	assert_int_equal(add_ok(w, at(2030, 1, 1, 0, 0), 48, WORKCAL_HOURS), at(2030, 1, 3, 0, 0));
	struct workcal empty;
	workcal_init_default(&empty);
	assert_int_equal(add_ok(&empty, at(2025, 9, 30, 16, 30), 1, WORKCAL_HOURS), at(2025, 9, 30, 17, 30));
	workcal_release(&empty);
}

static void test_workcal_deadline_into_uncovered_year_fails(void **state)
{
	struct fixture *f = *state;
	const struct workcal *w = &f->w;
	int64_t out = 42;
	/* 2027 is provisional (Monday–Friday, 1 January off): Mon 12-28 + 5 working days =
	 * 12-29, 12-30, 12-31, (Fri 01-01 off, weekend) Mon 01-04, Tue 01-05. */
	assert_int_equal(add_ok(w, at(2026, 12, 28, 9, 0), 5, WORKCAL_WORK_DAYS), at(2027, 1, 5, 17, 30));
	assert_int_equal(add_ok(w, at(2026, 12, 31, 17, 0), 1, WORKCAL_WORK_HOURS), at(2027, 1, 4, 9, 0));
	/* 2028 is not: a walk that needs it fails and names it. */
	assert_int_equal(workcal_add(w, at(2027, 12, 28, 9, 0), 5, WORKCAL_WORK_DAYS, &out), WORKCAL_NOT_COVERED);
	assert_int_equal(out, 42);
	assert_int_equal(workcal_first_uncovered_year(w, at(2026, 12, 28, 9, 0)), 2028);
	assert_int_equal(workcal_add(w, at(2027, 12, 31, 17, 0), 1, WORKCAL_WORK_HOURS, &out), WORKCAL_NOT_COVERED);
	assert_int_equal(out, 42);
	/* A deadline that stays inside 2026 needs no 2027. */
	assert_int_equal(add_ok(w, at(2026, 12, 31, 16, 0), 1, WORKCAL_WORK_HOURS), at(2026, 12, 31, 17, 0));
	assert_int_equal(add_ok(w, at(2026, 12, 30, 9, 0), 1, WORKCAL_WORK_DAYS), at(2026, 12, 31, 17, 30));
	/* A start in an uncovered year, and an empty calendar. */
	assert_int_equal(workcal_add(w, at(2022, 12, 30, 9, 0), 1, WORKCAL_WORK_DAYS, &out), WORKCAL_NOT_COVERED);
	struct workcal empty;
	workcal_init_default(&empty);
	assert_int_equal(workcal_add(&empty, at(2025, 9, 22, 9, 0), 1, WORKCAL_WORK_HOURS, &out), WORKCAL_NOT_COVERED);
	assert_int_equal(workcal_first_uncovered_year(&empty, at(2025, 9, 22, 9, 0)), 2025);
	workcal_release(&empty);
	/* Instants far outside any calendar. */
	assert_int_equal(workcal_add(w, INT64_MAX, 1, WORKCAL_WORK_DAYS, &out), WORKCAL_NOT_COVERED);
	assert_int_equal(workcal_add(w, INT64_MIN, 1, WORKCAL_WORK_HOURS, &out), WORKCAL_NOT_COVERED);
	assert_int_equal(out, 42);
}

static void test_workcal_add_refuses_bad_arguments(void **state)
{
	struct fixture *f = *state;
	int64_t out = 42;
	assert_int_equal(workcal_add(&f->w, at(2025, 9, 22, 9, 0), -1, WORKCAL_WORK_DAYS, &out), WORKCAL_BAD_ARGUMENT);
	assert_int_equal(workcal_add(&f->w, at(2025, 9, 22, 9, 0), 1, (enum workcal_unit)7, &out),
	                 WORKCAL_BAD_ARGUMENT);
	assert_int_equal(workcal_add(&f->w, INT64_MAX - 1000, 1, WORKCAL_HOURS, &out), WORKCAL_BAD_ARGUMENT);
	assert_int_equal(out, 42);
	assert_int_equal(add_ok(&f->w, at(2025, 9, 21, 3, 0), 0, WORKCAL_WORK_HOURS), at(2025, 9, 21, 3, 0));
}

static void test_workcal_work_minutes_between_counts_office_time(void **state)
{
	struct fixture *f = *state;
	const struct workcal *w = &f->w;
	assert_int_equal(workcal_work_minutes_between(w, at(2025, 9, 22, 9, 0), at(2025, 9, 22, 11, 0)), 120);
	assert_int_equal(workcal_work_minutes_between(w, at(2025, 9, 22, 11, 0), at(2025, 9, 22, 14, 0)), 90);
	assert_int_equal(workcal_work_minutes_between(w, at(2025, 9, 22, 0, 0), at(2025, 9, 23, 0, 0)), 450);
	assert_int_equal(workcal_work_minutes_between(w, at(2025, 9, 19, 17, 0), at(2025, 9, 22, 9, 0)), 60);
	assert_int_equal(workcal_work_minutes_between(w, at(2025, 9, 30, 17, 0), at(2025, 10, 9, 9, 0)), 60);
	/* The make-up Sunday counts, the holiday does not. */
	assert_int_equal(workcal_work_minutes_between(w, at(2025, 9, 28, 0, 0), at(2025, 9, 29, 0, 0)), 450);
	assert_int_equal(workcal_work_minutes_between(w, at(2025, 10, 1, 0, 0), at(2025, 10, 2, 0, 0)), 0);
	/* Rounded down to whole minutes; empty and reversed ranges give 0. */
	assert_int_equal(workcal_work_minutes_between(w, at(2025, 9, 22, 9, 0), at(2025, 9, 22, 9, 0) + 59999), 0);
	assert_int_equal(workcal_work_minutes_between(w, at(2025, 9, 22, 11, 0), at(2025, 9, 22, 9, 0)), 0);
	/* The inverse of workcal_add in working hours. */
	int64_t start = at(2025, 9, 26, 15, 10);
	assert_int_equal(workcal_work_minutes_between(w, start, add_ok(w, start, 20, WORKCAL_WORK_HOURS)), 20 * 60);
	/* Uncovered days. */
	/* 2026-12-31 09:00-17:30 (420 minutes; 2027-01-01 and the weekend rest in the provisional
	 * 2027) and 2027-01-04 08:30-09:00 (30). */
	assert_int_equal(workcal_work_minutes_between(w, at(2026, 12, 31, 9, 0), at(2027, 1, 4, 9, 0)), 450);
	assert_int_equal(workcal_work_minutes_between(w, at(2027, 12, 31, 9, 0), at(2028, 1, 4, 9, 0)), -1);
	assert_int_equal(workcal_work_minutes_between(w, at(2022, 12, 30, 9, 0), at(2023, 1, 4, 9, 0)), -1);
	/* An end at midnight does not need the day it begins. */
	assert_int_equal(workcal_work_minutes_between(w, at(2027, 12, 31, 9, 0), at(2028, 1, 1, 0, 0)), 420);
}

static void test_workcal_malformed_json_names_file_line_and_column(void **state)
{
	struct fixture *f = *state;
	struct workcal w;
	workcal_init_default(&w);
	const char *path = write_file(f->dir, "2030.json", "{\"year\": 2030,\n \"days\": [ {\"date\": ]}\n");
	assert_int_equal(workcal_load_file(&w, path, &f->err), -1);
	char want[PATH_MAX + 80];
	snprintf(want, sizeof want, "%s:2:", path);
	assert_non_null(strstr(buf_cstr(&f->err), want));
	assert_non_null(strstr(buf_cstr(&f->err), "malformed JSON"));
	assert_int_equal(workcal_covers_year(&w, 2030), 0);
	assert_null(w.years);
	workcal_release(&w);

	/* Through load_dir: the file is named and the calendar stays as it was. */
	buf_reset(&f->err);
	write_file(f->dir, "2029.json",
	           "{\"year\": 2029, \"days\": [{\"name\": \"元旦\", \"date\": \"2029-01-01\", "
	           "\"isOffDay\": true}]}");
	assert_int_equal(workcal_load_dir(&f->w, f->dir, &f->err), -1);
	assert_non_null(strstr(buf_cstr(&f->err), "2030.json:2:"));
	assert_int_equal(workcal_covers_year(&f->w, 2029), 0);
	assert_int_equal(workcal_covers_year(&f->w, 2025), 1);
	assert_int_equal(workcal_is_workday(&f->w, 2025, 10, 1), 0);
}

static void test_workcal_bad_entries_are_refused_with_file_and_reason(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *name, *text, *why;
	} cases[] = {
	        {"2030.json", "[]", "expected a JSON object"},
	        {"2030.json", "{\"year\": \"2030\", \"days\": []}", "\"year\" must be an integer"},
	        {"2030.json", "{\"year\": 2031, \"days\": []}", "file is named for 2030"},
	        {"2030.json", "{\"year\": 2030}", "\"days\" must be an array"},
	        {"2030.json", "{\"year\": 2030, \"days\": [1]}", "days[0]: expected an object"},
	        {"2030.json", "{\"year\": 2030, \"days\": [{\"date\": \"2030-01-01\", \"isOffDay\": true}]}",
	         "days[0]: \"name\" must be a string"},
	        {"2030.json",
	         "{\"year\": 2030, \"days\": [{\"name\": \"x\", \"date\": \"2030-02-30\", \"isOffDay\": true}]}",
	         "days[0]: \"date\" must be a valid date"},
	        {"2030.json",
	         "{\"year\": 2030, \"days\": [{\"name\": \"x\", \"date\": \"2030-1-01\", \"isOffDay\": true}]}",
	         "days[0]: \"date\" must be a valid date"},
	        {"2030.json",
	         "{\"year\": 2030, \"days\": [{\"name\": \"x\", \"date\": \"2032-01-01\", \"isOffDay\": true}]}",
	         "days[0]: date 2032-01-01 lies outside 2030"},
	        {"2030.json",
	         "{\"year\": 2030, \"days\": [{\"name\": \"x\", \"date\": \"2030-01-01\", \"isOffDay\": 1}]}",
	         "days[0]: \"isOffDay\" must be true or false"},
	        {"2030.json",
	         "{\"year\": 2030, \"days\": [{\"name\": \"x\", \"date\": \"2030-01-01\", \"isOffDay\": true},"
	         "{\"name\": \"x\", \"date\": \"2030-01-01\", \"isOffDay\": false}]}",
	         "days[1]: date 2030-01-01 is listed twice"},
	        {"2030.json", "{\"year\": 2030, \"year\": 2030, \"days\": []}", "malformed JSON"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct workcal w;
		workcal_init_default(&w);
		buf_reset(&f->err);
		const char *path = write_file(f->dir, cases[i].name, cases[i].text);
		assert_int_equal(workcal_load_file(&w, path, &f->err), -1);
		if (strncmp(buf_cstr(&f->err), path, strlen(path)) != 0 || !strstr(buf_cstr(&f->err), cases[i].why))
			fail_msg("case %zu: got '%s', want '%s' after the path", i, buf_cstr(&f->err), cases[i].why);
		assert_null(w.years);
		workcal_release(&w);
	}
}

static void test_workcal_load_dir_needs_a_readable_folder_with_year_files(void **state)
{
	struct fixture *f = *state;
	struct workcal w;
	workcal_init_default(&w);
	assert_int_equal(workcal_load_dir(&w, f->dir, &f->err), -1);
	assert_non_null(strstr(buf_cstr(&f->err), "no holiday files"));
	buf_reset(&f->err);
	assert_int_equal(workcal_load_dir(&w, "/nonexistent/holidays", &f->err), -1);
	assert_non_null(strstr(buf_cstr(&f->err), "/nonexistent/holidays: cannot open"));
	/* Other files are ignored. */
	write_file(f->dir, "README.md", "not json");
	write_file(f->dir, "2030.json.bak", "not json");
	write_file(f->dir, "2030.json",
	           "{\"year\": 2030, \"days\": [{\"name\": \"元旦\", \"date\": \"2030-01-01\", "
	           "\"isOffDay\": true}]}");
	buf_reset(&f->err);
	assert_int_equal(workcal_load_dir(&w, f->dir, &f->err), 0);
	assert_int_equal(workcal_covers_year(&w, 2030), 1);
	assert_int_equal(workcal_is_workday(&w, 2030, 1, 1), 0);
	assert_int_equal(workcal_is_workday(&w, 2030, 1, 2), 1);
	workcal_release(&w);
}

static void test_workcal_empty_year_file_is_loaded_but_not_covered(void **state)
{
	struct fixture *f = *state;
	const char *path = write_file(f->dir, "2027.json", "{\"year\": 2027, \"papers\": [], \"days\": []}");
	assert_int_equal(workcal_load_file(&f->w, path, &f->err), 0);
	assert_int_equal(workcal_covers_year(&f->w, 2027), 0);
	/* Not covered, so 2027 stays provisional (weekdays; 1 January off) and 2028 refused. */
	assert_int_equal(workcal_is_provisional_year(&f->w, 2027), 1);
	assert_int_equal(workcal_is_workday(&f->w, 2027, 1, 4), 1);
	assert_int_equal(add_ok(&f->w, at(2026, 12, 31, 9, 0), 1, WORKCAL_WORK_DAYS), at(2027, 1, 4, 17, 30));
	int64_t out;
	assert_int_equal(workcal_add(&f->w, at(2027, 12, 31, 9, 0), 1, WORKCAL_WORK_DAYS, &out), WORKCAL_NOT_COVERED);
}

static void test_workcal_neighbour_year_entries_apply_own_file_wins(void **state)
{
	struct fixture *f = *state;
	/* 2030.json lists 2031-01-04 (Saturday) as a make-up day and 2030-12-31 (Tuesday) as a working day;
	 * 2031.json lists 2030-12-31 as off. The own file (2030) wins for 2030-12-31, in either load order. */
	const char *y30 =
	        "{\"year\": 2030, \"days\": [{\"name\": \"元旦\", \"date\": \"2030-01-01\", \"isOffDay\": true},"
	        "{\"name\": \"元旦\", \"date\": \"2030-12-31\", \"isOffDay\": false},"
	        "{\"name\": \"元旦\", \"date\": \"2031-01-04\", \"isOffDay\": false}]}";
	const char *y31 =
	        "{\"year\": 2031, \"days\": [{\"name\": \"元旦\", \"date\": \"2031-01-01\", \"isOffDay\": true},"
	        "{\"name\": \"元旦\", \"date\": \"2030-12-31\", \"isOffDay\": true}]}";
	char p30[PATH_MAX + 64], p31[PATH_MAX + 64];
	snprintf(p30, sizeof p30, "%s", write_file(f->dir, "2030.json", y30));
	snprintf(p31, sizeof p31, "%s", write_file(f->dir, "2031.json", y31));
	for (int order = 0; order < 2; order++) {
		struct workcal w;
		workcal_init_default(&w);
		assert_int_equal(workcal_load_file(&w, order ? p31 : p30, &f->err), 0);
		if (order) {
			/* 2030 is not covered yet: its date from 2031.json is stored but not answered. */
			assert_int_equal(workcal_is_workday(&w, 2030, 12, 31), -1);
		} else {
			/* 2031 is provisional until its file comes: the Saturday rests. */
			assert_int_equal(workcal_is_workday(&w, 2031, 1, 4), 0);
		}
		assert_int_equal(workcal_load_file(&w, order ? p30 : p31, &f->err), 0);
		assert_int_equal(workcal_is_workday(&w, 2030, 12, 31), 1);
		assert_int_equal(workcal_is_workday(&w, 2031, 1, 4), 1);
		assert_int_equal(workcal_is_workday(&w, 2031, 1, 1), 0);
		assert_int_equal(workcal_is_workday(&w, 2031, 1, 5), 0);
		workcal_release(&w);
	}
	/* The real data: 2023.json lists 2022-12-31, which counts once 2022 is covered. */
	const char *y22 =
	        "{\"year\": 2022, \"days\": [{\"name\": \"元旦\", \"date\": \"2022-01-03\", \"isOffDay\": true}]}";
	assert_int_equal(workcal_load_file(&f->w, write_file(f->dir, "2022.json", y22), &f->err), 0);
	assert_int_equal(workcal_is_workday(&f->w, 2022, 12, 31), 0);
	assert_int_equal(workcal_is_workday(&f->w, 2022, 1, 3), 0);
	assert_int_equal(workcal_is_workday(&f->w, 2022, 1, 4), 1);
}

static void test_workcal_office_hours_are_configurable(void **state)
{
	struct fixture *f = *state;
	struct workcal *w = &f->w;
	const int one[][2] = {{9 * 60, 17 * 60}};
	assert_int_equal(workcal_set_office_hours(w, one, 1, &f->err), 0);
	assert_int_equal(add_ok(w, at(2025, 9, 22, 16, 0), 2, WORKCAL_WORK_HOURS), at(2025, 9, 23, 10, 0));
	assert_int_equal(add_ok(w, at(2025, 9, 22, 16, 0), 1, WORKCAL_WORK_DAYS), at(2025, 9, 23, 17, 0));
	assert_int_equal(workcal_work_minutes_between(w, at(2025, 9, 22, 0, 0), at(2025, 9, 23, 0, 0)), 480);

	assert_int_equal(workcal_parse_office_hours(w, "08:00-12:00, 14:00-18:00", &f->err), 0);
	assert_int_equal(w->nperiods, 2);
	assert_int_equal(add_ok(w, at(2025, 9, 22, 11, 0), 2, WORKCAL_WORK_HOURS), at(2025, 9, 22, 15, 0));
	assert_int_equal(add_ok(w, at(2025, 9, 22, 11, 0), 1, WORKCAL_WORK_DAYS), at(2025, 9, 23, 18, 0));

	static const char *bad[] = {"",
	                            "8:00-12:00",
	                            "12:00-08:00",
	                            "08:00-12:00,11:00-13:00",
	                            "08:00-24:30",
	                            "08:00-12:00;13:00-17:00",
	                            "00:00-01:00,02:00-03:00,04:00-05:00,06:00-07:00,"
	                            "08:00-09:00"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		buf_reset(&f->err);
		assert_int_equal(workcal_parse_office_hours(w, bad[i], &f->err), -1);
		assert_non_null(strstr(buf_cstr(&f->err), "office hours"));
	}
	const int overlap[][2] = {{600, 700}, {650, 800}};
	assert_int_equal(workcal_set_office_hours(w, overlap, 2, &f->err), -1);
	assert_int_equal(workcal_set_office_hours(w, overlap, 0, &f->err), -1);
	/* Unchanged by the refusals. */
	assert_int_equal(w->period_min[0][0], 8 * 60);
	assert_int_equal(w->period_min[1][1], 18 * 60);
	assert_int_equal(workcal_parse_office_hours(w, "00:00-24:00", &f->err), 0);
	assert_int_equal(add_ok(w, at(2025, 9, 19, 23, 0), 2, WORKCAL_WORK_HOURS), at(2025, 9, 22, 1, 0));
}

static void test_workcal_units_parse_and_name_round_trip(void **state)
{
	(void)state;
	static const char *names[] = {"hours", "work_hours", "work_days"};
	for (size_t i = 0; i < 3; i++) {
		enum workcal_unit u = WORKCAL_HOURS;
		assert_int_equal(workcal_unit_parse(names[i], &u), 0);
		assert_string_equal(workcal_unit_name(u), names[i]);
	}
	enum workcal_unit u = WORKCAL_WORK_DAYS;
	assert_int_equal(workcal_unit_parse("days", &u), -1);
	assert_int_equal(workcal_unit_parse("Work_Days", &u), -1);
	assert_int_equal(workcal_unit_parse(NULL, &u), -1);
	assert_int_equal(u, WORKCAL_WORK_DAYS);
	assert_string_equal(workcal_unit_name((enum workcal_unit)9), "?");
}

static void test_workcal_civil_dates_round_trip(void **state)
{
	(void)state;
	assert_int_equal(workcal_epoch_day(1970, 1, 1), 0);
	assert_int_equal(workcal_epoch_day(2000, 3, 1), 11017);
	assert_int_equal(workcal_epoch_day(1969, 12, 31), -1);
	int64_t day = workcal_epoch_day(1900, 1, 1);
	for (int y = 1900; y < 2100; y++) {
		for (int m = 1; m <= 12; m++) {
			for (int d = 1; workcal_valid_date(y, m, d); d++, day++) {
				int yy, mm, dd;
				assert_int_equal(workcal_epoch_day(y, m, d), day);
				workcal_civil(day, &yy, &mm, &dd);
				assert_true(yy == y && mm == m && dd == d);
			}
		}
	}
}

/* The shared ISO-8601 reader: bare dates take the caller's time of day. */
static void test_workcal_parse_time_offsets_and_bare_dates(void **state)
{
	(void)state;
	int64_t ms;
	const int64_t day = workcal_epoch_day(2025, 10, 10) * 86400000LL;
	assert_int_equal(workcal_parse_time("2025-10-10", 0, &ms), 0);
	assert_int_equal(ms, day - WORKCAL_UTC_OFFSET_MS);
	assert_int_equal(workcal_parse_time("2025-10-10", 17 * 60 + 30, &ms), 0);
	assert_int_equal(ms, day + (17 * 60 + 30) * 60000LL - WORKCAL_UTC_OFFSET_MS);
	assert_int_equal(workcal_parse_time("2025-10-10T17:30:00+08:00", 0, &ms), 0);
	assert_int_equal(ms, day + (17 * 60 + 30) * 60000LL - WORKCAL_UTC_OFFSET_MS);
	assert_int_equal(workcal_parse_time("2025-10-10T09:30:00.250Z", 0, &ms), 0);
	assert_int_equal(ms, day + (9 * 60 + 30) * 60000LL + 250);
	static const char *const bad[] = {
	        "2025-1-05", "2025-02-30", "2025-10-10T24:00", "2025-10-10T09:30+8", "2025-10-10 junk", "next week",
	        ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(workcal_parse_time(bad[i], 0, &ms), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_workcal_repo_data_covers_2023_to_2026_only, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_is_workday_listed_days_then_weekdays, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_make_up_saturday_counts_as_workday, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_work_days_match_cn_standards_examples, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_work_days_start_day_never_counts, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_deadline_skips_national_day_week, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_deadline_skips_spring_festival, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_work_hours_across_lunch, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_work_hours_across_evening, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_work_hours_across_weekend, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_work_hours_across_holiday_week, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_work_hours_start_outside_office_hours, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_clock_hours_ignore_the_calendar, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_deadline_into_uncovered_year_fails, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_add_refuses_bad_arguments, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_work_minutes_between_counts_office_time, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_malformed_json_names_file_line_and_column, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_bad_entries_are_refused_with_file_and_reason, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_load_dir_needs_a_readable_folder_with_year_files, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_empty_year_file_is_loaded_but_not_covered, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_neighbour_year_entries_apply_own_file_wins, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_workcal_office_hours_are_configurable, setup, teardown),
	        cmocka_unit_test(test_workcal_units_parse_and_name_round_trip),
	        cmocka_unit_test(test_workcal_civil_dates_round_trip),
	        cmocka_unit_test(test_workcal_parse_time_offsets_and_bare_dates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
