/*
 * cli_calendar.c — `zonegov calendar`: the working-time calendar of workcal.c
 * seen from the command line, for checking the holiday data and deadlines.
 *
 *   zonegov calendar --year Y
 *       one line per day of year Y: "YYYY-MM-DD work" or "YYYY-MM-DD off".
 *   zonegov calendar deadline --from TIME --amount N --unit work_days|work_hours|hours
 *       the deadline as ISO-8601 in +08:00 ("2025-10-10T17:30:00.000+08:00").
 *
 * TIME is YYYY-MM-DD (midnight) or YYYY-MM-DDTHH:MM[:SS[.mmm]] with an
 * optional Z or ±HH:MM offset; without an offset it is Asia/Shanghai time.
 * The calendar is read from holidays_dir (--holidays-dir DIR). Exit: 0; 2 for
 * bad usage, an unreadable or malformed holiday file, or a year whose
 * calendar is not loaded ("holiday calendar for YYYY not loaded").
 */
#include "cli.h"
#include "buf.h"
#include "timeutil.h"
#include "workcal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
        "usage: zonegov calendar --year YYYY [--holidays-dir DIR]\n"
        "       zonegov calendar deadline --from TIME --amount N --unit work_days|work_hours|hours\n"
        "--year prints every day of the year as \"YYYY-MM-DD work\" or \"YYYY-MM-DD off\" (official holidays\n"
        "and 调休 make-up working days from the holiday files in holidays_dir).\n"
        "deadline prints the deadline N units after TIME in +08:00. TIME: YYYY-MM-DD or\n"
        "YYYY-MM-DDTHH:MM[:SS[.mmm]] with an optional Z or +HH:MM offset (none: Asia/Shanghai).\n"
        "work_days: the start day is not counted; due at the end of office hours (17:30) of the Nth\n"
        "working day after it. work_hours: office time 08:30-12:00, 13:30-17:30 on working days.\n"
        "hours: clock hours.\n";

static int parse_int(const char *v, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long n = v ? strtol(v, &end, 10) : 0;
	if (!v || errno || end == v || *end || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

static int print_year(const struct workcal *w, const struct config *cfg, int year)
{
	if (!workcal_covers_year(w, year)) {
		fprintf(stderr,
		        "zonegov calendar: holiday calendar for %d not loaded (%s has no %d.json listing days)\n", year,
		        cfg->holidays_dir, year);
		return EXIT_USAGE;
	}
	for (int64_t day = workcal_epoch_day(year, 1, 1); day < workcal_epoch_day(year + 1, 1, 1); day++) {
		int y, m, d;
		workcal_civil(day, &y, &m, &d);
		printf("%04d-%02d-%02d %s\n", y, m, d, workcal_is_workday(w, y, m, d) == 1 ? "work" : "off");
	}
	return EXIT_OK;
}

static int print_deadline(const struct workcal *w, const struct config *cfg, const char *from, const char *amount,
                          const char *unit_name)
{
	int64_t start_ms, deadline_ms;
	long amount_n;
	enum workcal_unit unit;
	if (!from || workcal_parse_time(from, 0, &start_ms)) {
		fprintf(stderr,
		        "zonegov calendar: --from: expected YYYY-MM-DD[THH:MM[:SS[.mmm]]][Z|+HH:MM], got '%s'\n%s",
		        from ? from : "(none)", usage);
		return EXIT_USAGE;
	}
	if (parse_int(amount, 0, 1000000, &amount_n)) {
		fprintf(stderr, "zonegov calendar: --amount: expected an integer from 0 to 1000000, got '%s'\n",
		        amount ? amount : "(none)");
		return EXIT_USAGE;
	}
	if (workcal_unit_parse(unit_name, &unit)) {
		fprintf(stderr, "zonegov calendar: --unit: expected work_days, work_hours or hours, got '%s'\n",
		        unit_name ? unit_name : "(none)");
		return EXIT_USAGE;
	}
	int rc = workcal_add(w, start_ms, (int)amount_n, unit, &deadline_ms);
	if (rc == WORKCAL_NOT_COVERED) {
		fprintf(stderr, "zonegov calendar: holiday calendar for %d not loaded (%s)\n",
		        workcal_first_uncovered_year(w, start_ms), cfg->holidays_dir);
		return EXIT_USAGE;
	}
	if (rc) {
		fprintf(stderr, "zonegov calendar: the deadline lies beyond any representable time\n");
		return EXIT_USAGE;
	}
	char iso[40];
	time_format_iso(deadline_ms, iso, sizeof iso);
	printf("%s\n", iso);
	return EXIT_OK;
}

int cli_calendar(int argc, char **argv)
{
	const char *year = NULL, *from = NULL, *amount = NULL, *unit = NULL;
	const struct cli_opt opts[] = {
	        {"year", 1, &year}, {"from", 1, &from}, {"amount", 1, &amount}, {"unit", 1, &unit}, {NULL, 0, NULL},
	};
	struct config cfg;
	const char *pos[1];
	int npos;
	config_defaults(&cfg, argv[0]);
	int rc = cli_parse(argc, argv, opts, &cfg, pos, 1, &npos, usage);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	int deadline = npos == 1 && strcmp(pos[0], "deadline") == 0;
	long year_n = 0;
	if ((npos == 1 && !deadline) || (deadline && year) || (!deadline && (from || amount || unit)) ||
	    (!deadline && !year)) {
		fprintf(stderr,
		        "zonegov calendar: expected --year YYYY or 'deadline --from ... --amount ... --unit ...'\n%s",
		        usage);
		return EXIT_USAGE;
	}
	if (year && parse_int(year, 1900, 2999, &year_n)) {
		fprintf(stderr, "zonegov calendar: --year: expected a year from 1900 to 2999, got '%s'\n", year);
		return EXIT_USAGE;
	}
	struct workcal w;
	struct buf err;
	workcal_init_default(&w);
	buf_init(&err, 1024);
	if (workcal_load_dir(&w, cfg.holidays_dir, &err)) {
		fprintf(stderr, "zonegov calendar: %s\n", buf_cstr(&err));
		rc = EXIT_USAGE;
	} else if (deadline) {
		rc = print_deadline(&w, &cfg, from, amount, unit);
	} else {
		rc = print_year(&w, &cfg, (int)year_n);
	}
	buf_release(&err);
	workcal_release(&w);
	return rc;
}
