/*
 * workcal.c — the working-time calendar; see workcal.h for the rules.
 *
 * The day table holds one struct workcal_year per year from first_year on,
 * consecutive: a covered flag and one byte per day of the year (index 0 =
 * 1 January), 0 when the date is not listed, else DAY_WORK or DAY_OFF, plus
 * DAY_OWN when the entry came from the date's own year file. Weekdays are
 * worked out from the date. Loading builds the new table aside and swaps it
 * in only when every check passed, so a failed load changes nothing.
 *
 * Deadlines walk day by day from the start; every walk stops at the first
 * day of an uncovered year, and the table is finite, so every loop ends.
 */
#include "workcal.h"
#include "buf.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DAY_MS (86400 * 1000LL)
#define MIN_MS (60 * 1000LL)
#define FILE_MAX_BYTES (1024 * 1024)
#define YEAR_MIN 1900
#define YEAR_MAX 2999
/* Instants beyond ±this (about year ±8000) are refused before any arithmetic, so nothing overflows. */
#define MS_LIMIT (253402300800000LL)

enum { DAY_WORK = 1, DAY_OFF = 2, DAY_OWN = 4 };

struct workcal_year {
	unsigned char covered;
	unsigned char day[366];
};

/* One checked entry of a file. */
struct entry {
	int64_t day; /* epoch day */
	int y;
	int off;
};

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t workcal_epoch_day(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void workcal_civil(int64_t epoch_day, int *y, int *m, int *d)
{
	int64_t z = epoch_day + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int workcal_valid_date(int y, int m, int d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && is_leap(y));
}

/* 0 = Sunday .. 6 = Saturday; 1970-01-01 was a Thursday. */
static int weekday(int64_t epoch_day)
{
	return (int)(epoch_day - floor_div(epoch_day + 4, 7) * 7 + 4);
}

static const struct workcal_year *year_of(const struct workcal *w, int y)
{
	if (!w->years || y < w->first_year || y - w->first_year >= w->nyears)
		return NULL;
	return &w->years[y - w->first_year];
}

int workcal_covers_year(const struct workcal *w, int year)
{
	const struct workcal_year *yr = year_of(w, year);
	return yr && yr->covered;
}

/* The last covered year, or INT_MIN when none is. */
static int last_covered(const struct workcal *w)
{
	for (int i = w->years ? w->nyears - 1 : -1; i >= 0; i--)
		if (w->years[i].covered)
			return w->first_year + i;
	return INT_MIN;
}

int workcal_provisional_year(const struct workcal *w)
{
	int last = last_covered(w);
	return last == INT_MIN ? 0 : last + 1;
}

int workcal_is_provisional_year(const struct workcal *w, int year)
{
	int p = workcal_provisional_year(w);
	return p != 0 && year == p;
}

/* 1 working day, 0 rest day, -1 year not covered (nor provisional). */
static int day_status(const struct workcal *w, int64_t epoch_day)
{
	int y, m, d;
	workcal_civil(epoch_day, &y, &m, &d);
	const struct workcal_year *yr = year_of(w, y);
	if (!yr || !yr->covered) {
		if (!workcal_is_provisional_year(w, y))
			return -1;
		if (m == 1 && d == 1)
			return 0; /* 元旦, a holiday every year by law */
		int wd = weekday(epoch_day);
		return wd != 0 && wd != 6;
	}
	unsigned char v = yr->day[epoch_day - workcal_epoch_day(y, 1, 1)];
	if (v & DAY_WORK)
		return 1;
	if (v & DAY_OFF)
		return 0;
	int wd = weekday(epoch_day);
	return wd != 0 && wd != 6;
}

int workcal_is_workday(const struct workcal *w, int y, int m, int d)
{
	if (!workcal_valid_date(y, m, d))
		return -1;
	return day_status(w, workcal_epoch_day(y, m, d));
}

void workcal_init_default(struct workcal *w)
{
	memset(w, 0, sizeof *w);
	w->nperiods = 2;
	w->period_min[0][0] = 8 * 60 + 30;
	w->period_min[0][1] = 12 * 60;
	w->period_min[1][0] = 13 * 60 + 30;
	w->period_min[1][1] = 17 * 60 + 30;
}

void workcal_release(struct workcal *w)
{
	if (!w)
		return;
	free(w->years);
	w->years = NULL;
	w->nyears = 0;
	w->first_year = 0;
}

int workcal_set_office_hours(struct workcal *w, const int period_min[][2], int n, struct buf *err)
{
	if (n < 1 || n > WORKCAL_MAX_PERIODS) {
		buf_printf(err, "office hours: expected 1 to %d periods, got %d", WORKCAL_MAX_PERIODS, n);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		int s = period_min[i][0], e = period_min[i][1];
		if (s < 0 || e > 1440 || s >= e) {
			buf_printf(
			        err,
			        "office hours: period %d (%d-%d) must start before it ends, within 0 to 1440 minutes",
			        i + 1, s, e);
			return -1;
		}
		if (i > 0 && s < period_min[i - 1][1]) {
			buf_printf(err, "office hours: period %d must start after period %d ends", i + 1, i);
			return -1;
		}
	}
	w->nperiods = n;
	for (int i = 0; i < n; i++) {
		w->period_min[i][0] = period_min[i][0];
		w->period_min[i][1] = period_min[i][1];
	}
	return 0;
}

/* Reads "HH:MM" at *p (HH 00..24, MM 00..59, 24:00 only) into minutes; advances *p. */
static int parse_hhmm(const char **p, int *minutes)
{
	const char *s = *p;
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2] != ':' || s[3] < '0' || s[3] > '5' ||
	    s[4] < '0' || s[4] > '9')
		return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || (h == 24 && m != 0))
		return -1;
	*minutes = h * 60 + m;
	*p = s + 5;
	return 0;
}

int workcal_parse_office_hours(struct workcal *w, const char *spec, struct buf *err)
{
	int periods[WORKCAL_MAX_PERIODS][2];
	int n = 0;
	const char *p = spec;
	for (;;) {
		if (n == WORKCAL_MAX_PERIODS) {
			buf_printf(err, "office hours: at most %d periods in '%s'", WORKCAL_MAX_PERIODS, spec);
			return -1;
		}
		while (*p == ' ')
			p++;
		if (parse_hhmm(&p, &periods[n][0]) || *p++ != '-' || parse_hhmm(&p, &periods[n][1])) {
			buf_printf(err, "office hours: expected HH:MM-HH:MM[,HH:MM-HH:MM...], got '%s'", spec);
			return -1;
		}
		n++;
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		if (*p++ != ',') {
			buf_printf(err, "office hours: expected HH:MM-HH:MM[,HH:MM-HH:MM...], got '%s'", spec);
			return -1;
		}
	}
	return workcal_set_office_hours(w, (const int(*)[2])periods, n, err);
}

/* Parses exactly "YYYY-MM-DD" into a valid date. */
static int parse_date(const char *s, int *y, int *m, int *d)
{
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return -1;
		} else if (s[i] < '0' || s[i] > '9') {
			return -1;
		}
	}
	if (s[10] != '\0')
		return -1;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	return workcal_valid_date(*y, *m, *d) ? 0 : -1;
}

/* The year in a file name "YYYY.json" (after the last '/'), or 0 when the name is not of that form. */
static int name_year(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (strlen(base) != 9 || strcmp(base + 4, ".json") != 0)
		return 0;
	int y = 0;
	for (int i = 0; i < 4; i++) {
		if (base[i] < '0' || base[i] > '9')
			return 0;
		y = y * 10 + (base[i] - '0');
	}
	return y;
}

/* Makes the table span [lo, hi] (it may already); returns 0 or -1 (out of memory, w unchanged). */
static int span_years(struct workcal *w, int lo, int hi)
{
	if (w->years && lo >= w->first_year && hi < w->first_year + w->nyears)
		return 0;
	if (w->years) {
		lo = lo < w->first_year ? lo : w->first_year;
		hi = hi > w->first_year + w->nyears - 1 ? hi : w->first_year + w->nyears - 1;
	}
	struct workcal_year *years = calloc((size_t)(hi - lo + 1), sizeof *years);
	if (!years)
		return -1;
	if (w->years)
		memcpy(years + (w->first_year - lo), w->years, (size_t)w->nyears * sizeof *years);
	free(w->years);
	w->years = years;
	w->first_year = lo;
	w->nyears = hi - lo + 1;
	return 0;
}

/*
 * Checks the parsed file root and fills entries (caller frees *out, also on
 * failure). Returns 0, or -1 with "path: reason" in err.
 */
static int check_file(const char *path, json_t *root, int *year_out, struct entry **out, size_t *nout, struct buf *err)
{
	*out = NULL;
	*nout = 0;
	if (!json_is_object(root)) {
		buf_printf(err, "%s: expected a JSON object with \"year\" and \"days\"", path);
		return -1;
	}
	json_t *jy = json_object_get(root, "year"), *days = json_object_get(root, "days");
	if (!json_is_integer(jy) || json_integer_value(jy) < YEAR_MIN || json_integer_value(jy) > YEAR_MAX) {
		buf_printf(err, "%s: \"year\" must be an integer from %d to %d", path, YEAR_MIN, YEAR_MAX);
		return -1;
	}
	int year = (int)json_integer_value(jy), ny = name_year(path);
	if (ny && ny != year) {
		buf_printf(err, "%s: \"year\" is %d but the file is named for %d", path, year, ny);
		return -1;
	}
	if (!json_is_array(days)) {
		buf_printf(err, "%s: \"days\" must be an array", path);
		return -1;
	}
	size_t n = json_array_size(days);
	if (n > 3 * 366) {
		buf_printf(err, "%s: %zu days listed; a file covers at most its year and the years beside it", path, n);
		return -1;
	}
	struct entry *e = n ? calloc(n, sizeof *e) : NULL;
	if (n && !e) {
		buf_printf(err, "%s: out of memory", path);
		return -1;
	}
	*out = e;
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(days, i);
		json_t *name = json_object_get(o, "name"), *date = json_object_get(o, "date"),
		       *off = json_object_get(o, "isOffDay");
		int y, m, d;
		if (!json_is_object(o)) {
			buf_printf(err, "%s: days[%zu]: expected an object {name, date, isOffDay}", path, i);
			return -1;
		}
		if (!json_is_string(name)) {
			buf_printf(err, "%s: days[%zu]: \"name\" must be a string", path, i);
			return -1;
		}
		if (!json_is_string(date) || parse_date(json_string_value(date), &y, &m, &d)) {
			buf_printf(err, "%s: days[%zu]: \"date\" must be a valid date YYYY-MM-DD", path, i);
			return -1;
		}
		if (y < year - 1 || y > year + 1) {
			buf_printf(err, "%s: days[%zu]: date %s lies outside %d and the years beside it", path, i,
			           json_string_value(date), year);
			return -1;
		}
		if (!json_is_boolean(off)) {
			buf_printf(err, "%s: days[%zu]: \"isOffDay\" must be true or false", path, i);
			return -1;
		}
		e[i].day = workcal_epoch_day(y, m, d);
		e[i].y = y;
		e[i].off = json_is_true(off);
		for (size_t j = 0; j < i; j++) {
			if (e[j].day == e[i].day) {
				buf_printf(err, "%s: days[%zu]: date %s is listed twice", path, i,
				           json_string_value(date));
				return -1;
			}
		}
	}
	*year_out = year;
	*nout = n;
	return 0;
}

int workcal_load_file(struct workcal *w, const char *path, struct buf *err)
{
	FILE *f = fopen(path, "rb");
	json_t *root = NULL;
	struct entry *e = NULL;
	size_t n = 0;
	int year = 0, rc = -1;
	struct stat st;
	if (!f) {
		buf_printf(err, "%s: cannot open: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > FILE_MAX_BYTES) {
		buf_printf(err, "%s: not a regular file of at most %d bytes", path, FILE_MAX_BYTES);
		goto out;
	}
	json_error_t jerr;
	root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		buf_printf(err, "%s:%d:%d: malformed JSON: %s", path, jerr.line, jerr.column, jerr.text);
		goto out;
	}
	if (check_file(path, root, &year, &e, &n, err))
		goto out;
	int lo = year, hi = year;
	for (size_t i = 0; i < n; i++) {
		lo = e[i].y < lo ? e[i].y : lo;
		hi = e[i].y > hi ? e[i].y : hi;
	}
	if (span_years(w, lo, hi)) {
		buf_printf(err, "%s: out of memory", path);
		goto out;
	}
	/* Nothing can fail from here on. */
	for (size_t i = 0; i < n; i++) {
		struct workcal_year *yr = &w->years[e[i].y - w->first_year];
		unsigned char *v = &yr->day[e[i].day - workcal_epoch_day(e[i].y, 1, 1)];
		int own = e[i].y == year;
		if ((*v & DAY_OWN) && !own)
			continue; /* the date's own file has the last word */
		*v = (unsigned char)((e[i].off ? DAY_OFF : DAY_WORK) | (own ? DAY_OWN : 0));
	}
	if (n > 0)
		w->years[year - w->first_year].covered = 1;
	rc = 0;
out:
	free(e);
	json_decref(root);
	if (f)
		fclose(f);
	return rc;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int workcal_load_dir(struct workcal *w, const char *dir, struct buf *err)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct workcal tmp = *w;
	struct buf path;
	int rc = -1;
	tmp.years = NULL;
	tmp.nyears = 0;
	buf_init(&path, PATH_MAX);
	if (!d) {
		buf_printf(err, "%s: cannot open the holiday folder: %s", dir, strerror(errno));
		goto out;
	}
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		if (!name_year(de->d_name))
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **nn = realloc(names, ncap * sizeof *nn);
			if (!nn) {
				buf_printf(err, "%s: out of memory", dir);
				goto out;
			}
			names = nn;
			cap = ncap;
		}
		if (!(names[n] = strdup(de->d_name))) {
			buf_printf(err, "%s: out of memory", dir);
			goto out;
		}
		n++;
	}
	if (n == 0) {
		buf_printf(err, "%s: no holiday files (YYYY.json) in the folder", dir);
		goto out;
	}
	qsort(names, n, sizeof *names, cmp_name);
	if (w->years) {
		tmp.years = malloc((size_t)w->nyears * sizeof *tmp.years);
		if (!tmp.years) {
			buf_printf(err, "%s: out of memory", dir);
			goto out;
		}
		memcpy(tmp.years, w->years, (size_t)w->nyears * sizeof *tmp.years);
		tmp.nyears = w->nyears;
	}
	for (size_t i = 0; i < n; i++) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, names[i]);
		if (path.err) {
			buf_printf(err, "%s/%s: path too long", dir, names[i]);
			goto out;
		}
		if (workcal_load_file(&tmp, buf_cstr(&path), err))
			goto out;
	}
	free(w->years);
	*w = tmp;
	tmp.years = NULL;
	rc = 0;
out:
	free(tmp.years);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	buf_release(&path);
	if (d)
		closedir(d);
	return rc;
}

int workcal_first_uncovered_year(const struct workcal *w, int64_t from_ms)
{
	if (from_ms > MS_LIMIT)
		from_ms = MS_LIMIT;
	if (from_ms < -MS_LIMIT)
		from_ms = -MS_LIMIT;
	int y, m, d;
	workcal_civil(floor_div(from_ms + WORKCAL_UTC_OFFSET_MS, DAY_MS), &y, &m, &d);
	while (workcal_covers_year(w, y) || workcal_is_provisional_year(w, y))
		y++;
	return y;
}

/* Walks amount × 60 working minutes from the local instant t (ms). */
static int add_work_hours(const struct workcal *w, int64_t t, int amount, int64_t *deadline_local)
{
	int64_t remaining = (int64_t)amount * 60 * MIN_MS;
	int64_t day = floor_div(t, DAY_MS), tod = t - day * DAY_MS;
	for (;; day++, tod = 0) {
		int st = day_status(w, day);
		if (st < 0)
			return WORKCAL_NOT_COVERED;
		if (!st)
			continue;
		for (int i = 0; i < w->nperiods; i++) {
			int64_t ps = w->period_min[i][0] * MIN_MS, pe = w->period_min[i][1] * MIN_MS;
			int64_t from = tod > ps ? tod : ps;
			if (from >= pe)
				continue;
			if (remaining <= pe - from) {
				*deadline_local = day * DAY_MS + from + remaining;
				return 0;
			}
			remaining -= pe - from;
		}
	}
}

/* The end of office hours of the amount-th working day after the local instant t's day. */
static int add_work_days(const struct workcal *w, int64_t t, int amount, int64_t *deadline_local)
{
	int64_t day = floor_div(t, DAY_MS);
	if (day_status(w, day) < 0)
		return WORKCAL_NOT_COVERED;
	for (int counted = 0; counted < amount;) {
		int st = day_status(w, ++day);
		if (st < 0)
			return WORKCAL_NOT_COVERED;
		counted += st;
	}
	*deadline_local = day * DAY_MS + w->period_min[w->nperiods - 1][1] * MIN_MS;
	return 0;
}

int workcal_add(const struct workcal *w, int64_t start_ms, int amount, enum workcal_unit unit, int64_t *deadline_ms)
{
	if (amount < 0 || (unit != WORKCAL_HOURS && unit != WORKCAL_WORK_HOURS && unit != WORKCAL_WORK_DAYS))
		return WORKCAL_BAD_ARGUMENT;
	if (amount == 0) {
		*deadline_ms = start_ms;
		return 0;
	}
	if (unit == WORKCAL_HOURS) {
		int64_t add = (int64_t)amount * 3600 * 1000;
		if (start_ms > INT64_MAX - add)
			return WORKCAL_BAD_ARGUMENT;
		*deadline_ms = start_ms + add;
		return 0;
	}
	if (start_ms > MS_LIMIT || start_ms < -MS_LIMIT)
		return WORKCAL_NOT_COVERED;
	int64_t local = start_ms + WORKCAL_UTC_OFFSET_MS, out;
	int rc = unit == WORKCAL_WORK_HOURS ? add_work_hours(w, local, amount, &out)
	                                    : add_work_days(w, local, amount, &out);
	if (rc == 0)
		*deadline_ms = out - WORKCAL_UTC_OFFSET_MS;
	return rc;
}

int64_t workcal_work_minutes_between(const struct workcal *w, int64_t a_ms, int64_t b_ms)
{
	if (b_ms <= a_ms)
		return 0;
	if (a_ms < -MS_LIMIT || b_ms > MS_LIMIT)
		return -1;
	int64_t a = a_ms + WORKCAL_UTC_OFFSET_MS, b = b_ms + WORKCAL_UTC_OFFSET_MS, total = 0;
	int64_t last = floor_div(b - 1, DAY_MS);
	for (int64_t day = floor_div(a, DAY_MS); day <= last; day++) {
		int st = day_status(w, day);
		if (st < 0)
			return -1;
		for (int i = 0; st && i < w->nperiods; i++) {
			int64_t lo = day * DAY_MS + w->period_min[i][0] * MIN_MS;
			int64_t hi = day * DAY_MS + w->period_min[i][1] * MIN_MS;
			lo = lo > a ? lo : a;
			hi = hi < b ? hi : b;
			if (hi > lo)
				total += hi - lo;
		}
	}
	return total / MIN_MS;
}

static const char *const unit_names[] = {
        [WORKCAL_HOURS] = "hours",
        [WORKCAL_WORK_HOURS] = "work_hours",
        [WORKCAL_WORK_DAYS] = "work_days",
};

int workcal_unit_parse(const char *s, enum workcal_unit *unit)
{
	for (size_t i = 0; s && i < sizeof unit_names / sizeof unit_names[0]; i++) {
		if (strcmp(s, unit_names[i]) == 0) {
			*unit = (enum workcal_unit)i;
			return 0;
		}
	}
	return -1;
}

const char *workcal_unit_name(enum workcal_unit unit)
{
	if ((unsigned)unit >= sizeof unit_names / sizeof unit_names[0])
		return "?";
	return unit_names[unit];
}

/* Reads n digits at s into *v; returns 0 or -1. */
static int digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int workcal_parse_time(const char *s, int date_only_minute, int64_t *ms)
{
	int y, mo, d, h = date_only_minute / 60, mi = date_only_minute % 60, sec = 0, frac = 0;
	int64_t offset_ms = WORKCAL_UTC_OFFSET_MS;
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    !workcal_valid_date(y, mo, d))
		return -1;
	const char *p = s + 10;
	if (*p == 'T' || *p == ' ') {
		if (digits(p + 1, 2, &h) || p[3] != ':' || digits(p + 4, 2, &mi) || h > 23 || mi > 59)
			return -1;
		p += 6;
		if (*p == ':') {
			if (digits(p + 1, 2, &sec) || sec > 59)
				return -1;
			p += 3;
			if (*p == '.') {
				if (digits(p + 1, 3, &frac))
					return -1;
				p += 4;
			}
		}
		if (*p == 'Z') {
			offset_ms = 0;
			p++;
		} else if (*p == '+' || *p == '-') {
			int oh, om;
			if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 14 || om > 59)
				return -1;
			offset_ms = (int64_t)(oh * 60 + om) * 60000 * (*p == '-' ? -1 : 1);
			p += 6;
		}
	}
	if (*p != '\0')
		return -1;
	*ms = ((workcal_epoch_day(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) * 1000 + frac) - offset_ms;
	return 0;
}
