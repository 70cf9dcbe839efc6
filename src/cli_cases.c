/*
 * cli_cases.c — `zonegov cases scan [--now TIME]`: one overdue scan
 * (case_overdue.h) against the store, as the server runs every
 * overdue_scan seconds. --now scans as of another time (e.g. to see what
 * the next working day's scan will mark); TIME as the calendar reads it
 * (YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM], Asia/Shanghai when no offset).
 */
#include "case_overdue.h"
#include "cli.h"
#include "buf.h"
#include "db.h"
#include "timeutil.h"
#include "workcal.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
        "usage: zonegov cases scan [--now TIME] [--db FILE] [--config FILE]\n"
        "scan: marks the cases whose current stage is past its deadline as overdue with a yellow 督办, and\n"
        "raises those still overdue 5 working days after the deadline to a red 督办 (the server does this\n"
        "every overdue_scan seconds). --now TIME scans as of TIME (YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM];\n"
        "Asia/Shanghai when no offset) instead of the current time.\n";

int cli_cases(int argc, char **argv)
{
	const char *now_s = NULL;
	const struct cli_opt opts[] = {
	        {"now", 1, &now_s},
	        {NULL, 0, NULL},
	};
	struct config cfg;
	const char *pos[1];
	int npos;
	config_defaults(&cfg, argv[0]);
	int rc = cli_parse(argc, argv, opts, &cfg, pos, 1, &npos, usage);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (npos != 1 || strcmp(pos[0], "scan") != 0) {
		fprintf(stderr, "zonegov cases: expected 'scan'\n%s", usage);
		return EXIT_USAGE;
	}
	int64_t now = time_now_ms();
	if (now_s && workcal_parse_time(now_s, 0, &now)) {
		fprintf(stderr, "zonegov cases: --now: expected YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM], got '%s'\n", now_s);
		return EXIT_USAGE;
	}
	struct workcal cal;
	struct buf err;
	buf_init(&err, 1024);
	workcal_init_default(&cal);
	if (workcal_load_dir(&cal, cfg.holidays_dir, &err)) {
		fprintf(stderr, "zonegov cases: %s\n", buf_cstr(&err));
		buf_release(&err);
		workcal_release(&cal);
		return EXIT_RUNTIME;
	}
	buf_release(&err);
	struct db *db = cli_open_store(&cfg);
	if (!db) {
		workcal_release(&cal);
		return EXIT_RUNTIME;
	}
	struct overdue_counts n;
	rc = case_overdue_scan(db, &cal, now, &n);
	db_close(db);
	workcal_release(&cal);
	if (rc) {
		fprintf(stderr, "zonegov cases: scan failed (store error)\n");
		return EXIT_RUNTIME;
	}
	char at[40];
	time_format_iso(now, at, sizeof at);
	printf("scan at %s: %d case(s) newly overdue (yellow 督办), %d raised to red, %d changed meanwhile (next "
	       "scan)\n",
	       at, n.marked, n.escalated, n.skipped);
	return EXIT_OK;
}
