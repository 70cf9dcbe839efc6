/*
 * cli_import.c — `zonegov import units FILE.geojson [--dry-run]`.
 *
 * Reads the whole file (at most import_limit bytes), parses it, and runs
 * the same import as POST /api/v1/units/import. Problems are printed one a
 * line as "FILE: feature N (code C) [kind] message" and the command exits 2
 * with the store unchanged. Malformed JSON is reported as FILE:LINE:COLUMN.
 */
#include "cli.h"
#include "db.h"
#include "unit_import.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
        "usage: zonegov import units FILE.geojson [--dry-run] [--db FILE] [--config FILE]\n"
        "       [--outside-tolerance SHARE] [--overlap-tolerance M2] [--gap-tolerance SHARE]\n"
        "Imports the zone's units from a GeoJSON FeatureCollection (properties code, name,\n"
        "level = zone|street|community|grid|microgrid, parent_code; Polygon or MultiPolygon in WGS-84).\n"
        "All or nothing: with any problem nothing is written and the report is printed (exit 2).\n"
        "--dry-run checks only. Tolerances: share of a child outside its parent (default 0.001),\n"
        "overlap between siblings in m² (default 1), share of a parent left uncovered (default 0.001).\n";

static int parse_share(const char *v, const char *what, double max, double *out)
{
	if (!v)
		return 0;
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (errno || *end || !(d >= 0) || d > max) {
		fprintf(stderr, "zonegov import: --%s: expected a number from 0 to %g, got '%s'\n", what, max, v);
		return -1;
	}
	*out = d;
	return 0;
}

int cli_import(int argc, char **argv)
{
	const char *dry = NULL, *outside = NULL, *overlap = NULL, *gap = NULL;
	const struct cli_opt opts[] = {
	        {"dry-run", 0, &dry},
	        {"outside-tolerance", 1, &outside},
	        {"overlap-tolerance", 1, &overlap},
	        {"gap-tolerance", 1, &gap},
	        {NULL, 0, NULL},
	};
	struct config cfg;
	const char *pos[2];
	int npos;
	config_defaults(&cfg, argv[0]);
	int rc = cli_parse(argc, argv, opts, &cfg, pos, 2, &npos, usage);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (npos != 2 || strcmp(pos[0], "units") != 0) {
		fprintf(stderr, "zonegov import: expected 'units FILE'\n%s", usage);
		return EXIT_USAGE;
	}
	struct import_options o;
	import_options_init(&o);
	if (parse_share(outside, "outside-tolerance", 1, &o.outside_tolerance) ||
	    parse_share(overlap, "overlap-tolerance", 1e12, &o.overlap_tolerance_m2) ||
	    parse_share(gap, "gap-tolerance", 1, &o.gap_tolerance))
		return EXIT_USAGE;
	const char *file = pos[1];
	if (cli_check_file("import", file, cfg.import_limit))
		return EXIT_USAGE;
	json_error_t jerr;
	json_t *fc = json_load_file(file, JSON_REJECT_DUPLICATES, &jerr);
	if (!fc) {
		fprintf(stderr, "zonegov import: %s:%d:%d: malformed JSON: %s\n", file, jerr.line, jerr.column,
		        jerr.text);
		return EXIT_USAGE;
	}
	struct db *db = cli_open_store(&cfg);
	if (!db) {
		json_decref(fc);
		return EXIT_RUNTIME;
	}
	struct passwd *pw = getpwuid(getuid());
	char actor[64];
	snprintf(actor, sizeof actor, "cli:%s", pw ? pw->pw_name : "?");
	o.actor = actor;
	o.source = file;
	o.dry_run = dry != NULL;
	struct import_result res;
	struct zerr err;
	zerr_clear(&err);
	rc = unit_import(db, fc, &o, &res, &err);
	if (rc < 0) {
		fprintf(stderr, "zonegov import: %s: %s\n", file, err.en[0] ? err.en : zg_error_en(err.kind));
		rc = EXIT_RUNTIME;
	} else if (rc == 1) {
		unit_import_print(&res, file, stderr);
		fprintf(stderr, "zonegov import: %s: %zu problem(s); nothing imported\n", file,
		        json_array_size(res.problems));
		rc = EXIT_USAGE;
	} else {
		printf("%s: %d feature(s): %d added, %d updated, %d unchanged%s\n", file, res.features, res.added,
		       res.updated, res.unchanged, o.dry_run ? " (dry run: nothing written)" : "");
		rc = EXIT_OK;
	}
	json_decref(res.problems);
	json_decref(fc);
	db_close(db);
	return rc;
}
