/*
 * cli_categories.c — `zonegov categories import FILE.csv [--dry-run]` and
 * `zonegov categories list [--csv]`.
 *
 * import runs the same all-or-nothing import as POST
 * /api/v1/categories/import: problems are printed one a line as
 * "FILE:LINE: column NAME: message" and the command exits 2 with the store
 * unchanged. list prints the catalog as a table, or with --csv in the
 * import format (with the active column), so that it can be edited and
 * imported again.
 */
#include "categories.h"
#include "cli.h"
#include "db.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
        "usage: zonegov categories import FILE.csv [--dry-run] [--db FILE] [--config FILE]\n"
        "       zonegov categories list [--csv] [--db FILE] [--config FILE]\n"
        "import: adds or updates the case categories of a CSV file (UTF-8, header line; columns code, name,\n"
        "parent_code, kind, handled_by, department_code, accept_limit, accept_unit, dispatch_limit,\n"
        "dispatch_unit, handle_limit, handle_unit, verify_limit, verify_unit, priority, auto_accept and\n"
        "optionally active), all or nothing: with any problem nothing is written and every problem is\n"
        "printed as FILE:LINE: column NAME: message (exit 2). --dry-run checks only.\n"
        "list: the catalog ordered by code; --csv prints it in the import format.\n";

static int do_import(const struct config *cfg, const char *file, int dry_run)
{
	char *text;
	size_t len;
	if (cli_read_file("categories", file, cfg->import_limit, &text, &len))
		return EXIT_USAGE;
	struct db *db = cli_open_store(cfg);
	if (!db) {
		free(text);
		return EXIT_RUNTIME;
	}
	struct passwd *pw = getpwuid(getuid());
	char actor[64];
	snprintf(actor, sizeof actor, "cli:%s", pw ? pw->pw_name : "?");
	struct category_import_options o = {dry_run, actor, file};
	struct category_import_result res;
	struct zerr err;
	zerr_clear(&err);
	int rc = category_import_csv(db, text, len, &o, &res, &err);
	if (rc < 0) {
		fprintf(stderr, "zonegov categories: %s: %s\n", file, err.en[0] ? err.en : zg_error_en(err.kind));
		rc = EXIT_RUNTIME;
	} else if (rc == 1) {
		category_import_print(&res, file, stderr);
		fprintf(stderr, "zonegov categories: %s: %d problem(s); nothing imported\n", file, res.problems);
		rc = EXIT_USAGE;
	} else {
		printf("%s: %d row(s): %d added, %d updated, %d unchanged%s\n", file, res.rows, res.added, res.updated,
		       res.unchanged, dry_run ? " (dry run: nothing written)" : "");
		rc = EXIT_OK;
	}
	json_decref(res.report);
	free(text);
	db_close(db);
	return rc;
}

/* Writes s as one CSV field, quoted when it holds a comma, quote or line break. */
static void csv_field(FILE *f, const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputc(last ? '\n' : ',', f);
}

static int print_csv(const struct category *c, void *arg)
{
	FILE *f = arg;
	char num[16];
	csv_field(f, c->code, 0);
	csv_field(f, c->name, 0);
	csv_field(f, c->parent_code, 0);
	csv_field(f, c->kind, 0);
	csv_field(f, c->handled_by, 0);
	csv_field(f, c->department_code, 0);
	for (int s = 0; s < CAT_NSTAGES; s++) {
		snprintf(num, sizeof num, "%d", c->limits[s].amount);
		csv_field(f, num, 0);
		csv_field(f, c->limits[s].unit, 0);
	}
	fprintf(f, "%d,%d,%d\n", c->priority, c->auto_accept, c->active);
	return ferror(f) ? -1 : 0;
}

static const char *unit_short(const char *unit)
{
	return strcmp(unit, "work_hours") == 0 ? "wh" : strcmp(unit, "work_days") == 0 ? "wd" : "h";
}

static int print_row(const struct category *c, void *arg)
{
	FILE *f = arg;
	char limits[64];
	snprintf(limits, sizeof limits, "%d%s/%d%s/%d%s/%d%s", c->limits[0].amount, unit_short(c->limits[0].unit),
	         c->limits[1].amount, unit_short(c->limits[1].unit), c->limits[2].amount, unit_short(c->limits[2].unit),
	         c->limits[3].amount, unit_short(c->limits[3].unit));
	fprintf(f, "%-8s %-8s %-9s %-10s %-6s %-20s %d %-4s %-8s %s\n", c->code,
	        c->parent_code[0] ? c->parent_code : "-", c->kind, c->handled_by,
	        c->department_code[0] ? c->department_code : "-", limits, c->priority, c->auto_accept ? "auto" : "-",
	        c->active ? "active" : "inactive", c->name);
	return ferror(f) ? -1 : 0;
}

static int do_list(const struct config *cfg, int as_csv)
{
	struct db *db = cli_open_store(cfg);
	if (!db)
		return EXIT_RUNTIME;
	if (as_csv) {
		for (int f = 0; f < CF__COUNT; f++)
			printf("%s%c", category_csv_columns[f], f + 1 < CF__COUNT ? ',' : '\n');
	} else {
		printf("%-8s %-8s %-9s %-10s %-6s %-20s %s %-4s %-8s %s\n", "code", "parent", "kind", "handled_by",
		       "dept", "accept/disp/handle/verify", "p", "auto", "active", "name");
	}
	int rc = category_each(db, as_csv ? print_csv : print_row, stdout);
	db_close(db);
	if (rc) {
		fprintf(stderr, "zonegov categories: cannot read the catalog\n");
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

int cli_categories(int argc, char **argv)
{
	const char *dry = NULL, *as_csv = NULL;
	const struct cli_opt opts[] = {
	        {"dry-run", 0, &dry},
	        {"csv", 0, &as_csv},
	        {NULL, 0, NULL},
	};
	struct config cfg;
	const char *pos[2];
	int npos;
	config_defaults(&cfg, argv[0]);
	int rc = cli_parse(argc, argv, opts, &cfg, pos, 2, &npos, usage);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (npos == 2 && strcmp(pos[0], "import") == 0 && !as_csv)
		return do_import(&cfg, pos[1], dry != NULL);
	if (npos == 1 && strcmp(pos[0], "list") == 0 && !dry)
		return do_list(&cfg, as_csv != NULL);
	fprintf(stderr, "zonegov categories: expected 'import FILE.csv [--dry-run]' or 'list [--csv]'\n%s", usage);
	return EXIT_USAGE;
}
