/*
 * cli_demo.c — `zonegov demo`: fill a new store with demo data.
 *
 * Deterministic: the same data on every run (except password hashes and
 * times). Refuses a store that already has accounts, so it never mixes demo
 * data into a real zone. Later modules add the demo zone, cases and projects
 * here.
 */
#include "buf.h"
#include "cli.h"
#include "db.h"
#include "demo.h"
#include "users.h"
#include "workcal.h"

#include <stdio.h>
#include <string.h>

#define DEMO_DEFAULT_PASSWORD "zonegov-demo-2026"

static const char usage[] = "usage: zonegov demo [--db FILE] [--password PW] [--samples] [--config FILE]\n"
                            "Fills a new store with the demo zone and the demo users admin, leader,\n"
                            "dispatcher, handler, gridleader, gridworker and supervisor.\n"
                            "--samples adds sample cases in every state of the workflow and a key\n"
                            "projects ledger (seed 000's 29 projects of 2022 and this year's progress).\n"
                            "Default password: " DEMO_DEFAULT_PASSWORD "\n";

static const char SQL_COUNT_USERS[] = "SELECT COUNT(*) FROM users";

int cli_demo(int argc, char **argv)
{
	const char *password = NULL, *with_samples = NULL;
	const struct cli_opt opts[] = {{"password", 1, &password}, {"samples", 0, &with_samples}, {NULL, 0, NULL}};
	struct config cfg;
	const char *pos[1];
	int npos;
	config_defaults(&cfg, argv[0]);
	int rc = cli_parse(argc, argv, opts, &cfg, pos, 0, &npos, usage);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (!password)
		password = DEMO_DEFAULT_PASSWORD;
	if (strlen(password) < 10) {
		fprintf(stderr, "zonegov demo: --password: at least 10 characters\n");
		return EXIT_USAGE;
	}
	struct db *db = cli_open_store(&cfg);
	if (!db)
		return EXIT_RUNTIME;
	struct db_stmt *st = db_prepare(db, SQL_COUNT_USERS);
	int64_t users = st && db_step(st) == DB_ROW ? db_col_i64(st, 0) : -1;
	db_stmt_done(st);
	if (users != 0) {
		fprintf(stderr, "zonegov demo: %s %s\n", cfg.db,
		        users < 0 ? "cannot be read" : "already has accounts; the demo fills only a new store");
		db_close(db);
		return users < 0 ? EXIT_RUNTIME : EXIT_USAGE;
	}
	struct zerr err;
	zerr_clear(&err);
	if (demo_fill(db, password, &err)) {
		fprintf(stderr, "zonegov demo: %s\n", err.en[0] ? err.en : zg_error_en(err.kind));
		db_close(db);
		return EXIT_RUNTIME;
	}
	if (with_samples) {
		struct workcal cal;
		struct buf berr;
		buf_init(&berr, 1024);
		workcal_init_default(&cal);
		int bad = workcal_load_dir(&cal, cfg.holidays_dir, &berr);
		if (bad)
			fprintf(stderr, "zonegov demo: %s\n", buf_cstr(&berr));
		else if (demo_samples_fill(db, &cal, &err)) {
			fprintf(stderr, "zonegov demo: sample cases: %s\n", err.en[0] ? err.en : zg_error_en(err.kind));
			bad = 1;
		} else if (demo_projects_fill(db, &err)) {
			fprintf(stderr, "zonegov demo: key projects: %s\n", err.en[0] ? err.en : zg_error_en(err.kind));
			bad = 1;
		}
		workcal_release(&cal);
		buf_release(&berr);
		if (bad) {
			db_close(db);
			return EXIT_RUNTIME;
		}
		printf("samples: cases in every state of the workflow, the key projects ledger of 2022 and this "
		       "year\n");
	}
	db_close(db);
	printf("demo data written to %s\n", cfg.db);
	printf("log in as admin, leader, dispatcher, handler, gridleader, gridworker or supervisor\n");
	printf("password: %s\n", password);
	return EXIT_OK;
}
