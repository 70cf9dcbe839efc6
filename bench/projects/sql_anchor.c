/*
 * sql_anchor.c — the anchor of bench/projects/run.sh: the figures of
 * GET /api/v1/projects/summary (count, total investment, annual plan,
 * completed to the month, projects in production) from ONE plain SQL query
 * with a GROUP BY, run by the sqlite3 library over the same store, timed the
 * same way (one query after the other, for SECONDS).
 *
 * The query is written here independently of src/projects.c: the level
 * filter as `level IN ('province', 'city')`, the batch as
 * `id IN (SELECT project_id FROM project_batches WHERE batch = ?)`, one row
 * per project (GROUP BY p.id) with its plan, its completed months and
 * whether it reached production by the end of the month, summed outside.
 * The connection is set up as src/db_sqlite.c sets up the server's (cache,
 * mmap, temp store) and opened read-only.
 *
 * usage: sql_anchor DB YEAR MONTH LEVELS BATCH SECONDS
 *   LEVELS: "-" for all, else a comma list of province, city, district, other; BATCH: 0 for any.
 * Prints the SQL on stderr with -v as a 7th argument, and one line
 *   RESULT count=… total_investment=… annual_plan=… completed=… in_production=… runs=… p50_ms=… p99_ms=…
 *          mean_ms=… per_s=…
 */
#include <sqlite3.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static sqlite3 *db;

static void die(const char *what)
{
	fprintf(stderr, "sql_anchor: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
	exit(1);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 7 || argc > 8) {
		fprintf(stderr, "usage: sql_anchor DB YEAR MONTH LEVELS BATCH SECONDS [-v]\n");
		return 2;
	}
	char *end;
	long year = strtol(argv[2], &end, 10);
	long month = *end ? -1 : strtol(argv[3], &end, 10);
	long batch = *end ? -1 : strtol(argv[5], &end, 10);
	double secs = *end ? -1 : strtod(argv[6], &end);
	if (*end || year < 2000 || year > 2100 || month < 1 || month > 12 || batch < 0 || secs <= 0) {
		fprintf(stderr, "sql_anchor: bad YEAR, MONTH, BATCH or SECONDS\n");
		return 2;
	}
	/* level IN (...) from the list, names checked */
	char levels[160] = "";
	if (strcmp(argv[4], "-") != 0) {
		static const char *const names[] = {"province", "city", "district", "other"};
		size_t used = 0;
		for (const char *p = argv[4]; *p;) {
			size_t n = strcspn(p, ",");
			int found = 0;
			for (int i = 0; i < 4; i++)
				if (strlen(names[i]) == n && strncmp(p, names[i], n) == 0) {
					used += (size_t)snprintf(levels + used, sizeof levels - used, "%s'%s'",
					                         used ? ", " : "", names[i]);
					found = 1;
				}
			if (!found) {
				fprintf(stderr, "sql_anchor: unknown level in %s\n", argv[4]);
				return 2;
			}
			p += n + (p[n] == ',');
		}
	}
	char sql[2048];
	snprintf(sql, sizeof sql,
	         "SELECT count(*), coalesce(sum(total), 0), coalesce(sum(plan), 0), coalesce(sum(done), 0),"
	         " coalesce(sum(prod), 0) FROM ("
	         "SELECT p.total_investment AS total,"
	         " coalesce(max(pl.planned_investment), 0) AS plan,"
	         " coalesce(sum(pr.completed_investment), 0) AS done,"
	         " EXISTS (SELECT 1 FROM project_stages s WHERE s.project_id = p.id"
	         " AND s.stage IN ('production', 'effective') AND s.date <= ?3) AS prod"
	         " FROM projects p"
	         " LEFT JOIN project_plans pl ON pl.project_id = p.id AND pl.year = ?1"
	         " LEFT JOIN project_progress pr ON pr.project_id = p.id AND pr.year = ?1 AND pr.month <= ?2"
	         " WHERE 1%s%s%s%s"
	         " GROUP BY p.id)",
	         levels[0] ? " AND p.level IN (" : "", levels, levels[0] ? ")" : "",
	         batch ? " AND p.id IN (SELECT project_id FROM project_batches WHERE batch = ?4)" : "");
	if (argc == 8)
		fprintf(stderr, "%s\n", sql);

	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("open");
	if (sqlite3_exec(db, "PRAGMA temp_store=MEMORY; PRAGMA mmap_size=268435456; PRAGMA cache_size=-16384;", NULL,
	                 NULL, NULL) != SQLITE_OK)
		die("pragmas");
	sqlite3_busy_timeout(db, 5000);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		die("prepare");
	char eom[16];
	snprintf(eom, sizeof eom, "%04ld-%02ld-31", year, month); /* stage dates are YYYY-MM-DD: ≤ the month's end */
	sqlite3_bind_int64(st, 1, year);
	sqlite3_bind_int64(st, 2, month);
	sqlite3_bind_text(st, 3, eom, -1, SQLITE_TRANSIENT);
	if (batch)
		sqlite3_bind_int64(st, 4, batch);

	size_t cap = 1024, runs = 0;
	double *t = malloc(cap * sizeof *t);
	int64_t fig[5] = {0}, first[5] = {0};
	double t_start = now_s();
	while (!runs || runs < 5 || now_s() - t_start < secs) {
		double a = now_s();
		if (sqlite3_step(st) != SQLITE_ROW)
			die("step");
		for (int i = 0; i < 5; i++)
			fig[i] = sqlite3_column_int64(st, i);
		sqlite3_reset(st);
		double b = now_s();
		if (runs == cap) {
			cap *= 2;
			t = realloc(t, cap * sizeof *t);
		}
		if (!t)
			die("out of memory");
		if (!runs)
			memcpy(first, fig, sizeof fig);
		else if (memcmp(first, fig, sizeof fig) != 0)
			die("the figures changed between runs (is something writing to the store?)");
		t[runs++] = (b - a) * 1000;
	}
	double total_s = now_s() - t_start, sum = 0;
	for (size_t i = 0; i < runs; i++)
		sum += t[i];
	qsort(t, runs, sizeof *t, cmp_double);
	size_t i99 = (size_t)((double)runs * 0.99 + 0.999999);
	if (i99 < 1)
		i99 = 1;
	double p50 = runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
	printf("RESULT count=%lld total_investment=%lld annual_plan=%lld completed=%lld in_production=%lld runs=%zu"
	       " p50_ms=%.2f p99_ms=%.2f mean_ms=%.2f per_s=%.1f\n",
	       (long long)fig[0], (long long)fig[1], (long long)fig[2], (long long)fig[3], (long long)fig[4], runs, p50,
	       t[i99 - 1], sum / (double)runs, (double)runs / total_s);
	free(t);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
}
