/*
 * cli_projects.c — `zonegov projects export` and `zonegov projects import`:
 * the key projects ledger as .xlsx, CSV or OC4IDS, and its all-or-nothing
 * import, as over HTTP (docs/PROJECTS.md, "Excel, CSV and OC4IDS").
 *
 * import prints each problem as "FILE:ROW: CELL FIELD: message" and exits 2
 * with the store unchanged.
 */
#include "cli.h"
#include "db.h"
#include "projects_io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
        "usage: zonegov projects export --year Y [--month M] [--level a,b] [--batch N] [--industry T] [--leader T]\n"
        "                               [--department ID] [--stage S] [--q T] [--format xlsx|csv|oc4ids]\n"
        "                               --out FILE [--db FILE] [--config FILE]\n"
        "       zonegov projects import FILE.xlsx|FILE.csv [--dry-run] [--db FILE] [--config FILE]\n"
        "export: the ledger of year Y up to month M (default 12), levels province, city, district, other;\n"
        ".xlsx money in 万元, CSV in integer 元 (--out - writes to standard output).\n"
        "import: the export's columns (data/projects-template.csv); projects are added or updated by code\n"
        "with the year's plan and months, all or nothing: with any problem nothing is written and every\n"
        "problem is printed as FILE:ROW: CELL FIELD: message (exit 2). --dry-run checks only.\n";

static int do_import(const struct config *cfg, const char *file, int dry_run)
{
	char *data;
	size_t len;
	if (cli_read_file("projects", file, cfg->import_limit, &data, &len))
		return EXIT_USAGE;
	struct sheet s;
	struct zerr err;
	zerr_clear(&err);
	int rc = len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0 ? sheet_read_xlsx(data, len, &s, &err)
	                                                        : sheet_read_csv(data, len, &s, &err);
	free(data);
	if (rc) {
		fprintf(stderr, "zonegov projects: %s: %s\n", file, err.en[0] ? err.en : zg_error_en(err.kind));
		return EXIT_USAGE;
	}
	struct db *db = cli_open_store(cfg);
	if (!db) {
		sheet_release(&s);
		return EXIT_RUNTIME;
	}
	struct projects_import_result res;
	rc = projects_import(db, &s, dry_run, &res, &err);
	sheet_release(&s);
	if (rc < 0) {
		fprintf(stderr, "zonegov projects: %s: %s\n", file, err.en[0] ? err.en : zg_error_en(err.kind));
		rc = EXIT_RUNTIME;
	} else if (rc == 1) {
		size_t i;
		json_t *p;
		json_array_foreach (res.report, i, p) {
			const char *cell = json_string_value(json_object_get(p, "cell"));
			const char *field = json_string_value(json_object_get(p, "field"));
			fprintf(stderr, "%s:%lld: %s%s%s: %s\n", file,
			        (long long)json_integer_value(json_object_get(p, "row")), cell ? cell : "",
			        cell && field ? " " : "", field ? field : "",
			        json_string_value(json_object_get(p, "message")));
		}
		fprintf(stderr, "zonegov projects: %s: %d problem(s); nothing imported\n", file, res.problems);
		rc = EXIT_USAGE;
	} else {
		printf("%s: %d row(s): %d added, %d updated%s\n", file, res.rows, res.added, res.updated,
		       dry_run ? " (dry run: nothing written)" : "");
		rc = EXIT_OK;
	}
	json_decref(res.report);
	db_close(db);
	return rc;
}

static int whole(const char *s, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int do_export(const struct config *cfg, const char *year, const char *month, const char *level,
                     const char *batch, const char *department, struct project_filter *f, const char *format,
                     const char *out)
{
	long y, m = 12, b = 0, d = 0;
	unsigned levels = 0;
	static const char *const stages[] = {"planning", "signed", "started", "building", "production", "effective"};
	int stage_ok = !f->stage;
	for (int i = 0; i < 6 && !stage_ok; i++)
		stage_ok = strcmp(f->stage, stages[i]) == 0;
	if (!year || whole(year, 2000, 2100, &y) || (month && whole(month, 1, 12, &m)) ||
	    (batch && whole(batch, 0, 1000, &b)) || (department && whole(department, 1, 2000000000, &d)) ||
	    (level && project_levels_parse(level, &levels)) || !stage_ok || !out) {
		fprintf(stderr,
		        "zonegov projects: export needs --year 2000..2100 and --out FILE; --month 1..12, --batch N, "
		        "--department ID, --level province,city,district,other, --stage planning|signed|started|"
		        "building|production|effective\n%s",
		        usage);
		return EXIT_USAGE;
	}
	if (!format)
		format = "xlsx";
	if (strcmp(format, "xlsx") && strcmp(format, "csv") && strcmp(format, "oc4ids")) {
		fprintf(stderr, "zonegov projects: --format is xlsx, csv or oc4ids\n");
		return EXIT_USAGE;
	}
	struct db *db = cli_open_store(cfg);
	if (!db)
		return EXIT_RUNTIME;
	f->year = (int)y;
	f->month = (int)m;
	f->levels = levels;
	f->batch = (int)b;
	f->department = d;
	struct zerr err;
	zerr_clear(&err);
	char *data = NULL;
	size_t len = 0;
	int rc;
	if (strcmp(format, "oc4ids") == 0) {
		json_t *pkg = projects_export_oc4ids(db, f, &err);
		data = pkg ? json_dumps(pkg, JSON_INDENT(2)) : NULL;
		len = data ? strlen(data) : 0;
		json_decref(pkg);
		rc = data ? 0 : -1;
	} else if (strcmp(format, "csv") == 0)
		rc = projects_export_csv(db, f, &data, &len, &err);
	else
		rc = projects_export_xlsx(db, f, &data, &len, &err);
	db_close(db);
	if (rc) {
		fprintf(stderr, "zonegov projects: export: %s\n", err.en[0] ? err.en : zg_error_en(err.kind));
		free(data);
		return EXIT_RUNTIME;
	}
	FILE *fp = strcmp(out, "-") == 0 ? stdout : fopen(out, "wb");
	if (!fp || fwrite(data, 1, len, fp) != len || (fp != stdout ? fclose(fp) : fflush(fp)) != 0) {
		fprintf(stderr, "zonegov projects: %s: %s\n", out, strerror(errno));
		free(data);
		return EXIT_RUNTIME;
	}
	free(data);
	if (fp != stdout)
		fprintf(stderr, "%s: %zu bytes\n", out, len);
	return EXIT_OK;
}

int cli_projects(int argc, char **argv)
{
	const char *dry = NULL, *year = NULL, *month = NULL, *level = NULL, *batch = NULL, *format = NULL, *out = NULL,
	           *department = NULL;
	struct project_filter f = {0};
	const struct cli_opt opts[] = {
	        {"dry-run", 0, &dry},     {"year", 1, &year},     {"month", 1, &month}, {"level", 1, &level},
	        {"batch", 1, &batch},     {"format", 1, &format}, {"out", 1, &out},     {"industry", 1, &f.industry},
	        {"leader", 1, &f.leader}, {"stage", 1, &f.stage}, {"q", 1, &f.q},       {"department", 1, &department},
	        {NULL, 0, NULL},
	};
	struct config cfg;
	const char *pos[2];
	int npos;
	config_defaults(&cfg, argv[0]);
	int rc = cli_parse(argc, argv, opts, &cfg, pos, 2, &npos, usage);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (npos == 2 && strcmp(pos[0], "import") == 0 && !year && !out)
		return do_import(&cfg, pos[1], dry != NULL);
	if (npos == 1 && strcmp(pos[0], "export") == 0 && !dry)
		return do_export(&cfg, year, month, level, batch, department, &f, format, out);
	fprintf(stderr, "zonegov projects: expected 'export --year Y --out FILE' or 'import FILE'\n%s", usage);
	return EXIT_USAGE;
}
