/*
 * sqlite_anchor.c — the raw SQLite anchor of bench/cases/run.sh: what the
 * store alone can do for durable case creation on this machine.
 *
 * Writes the rows one `POST /api/v1/cases` writes (src/cases.c,
 * case_create), with the same statements, from one connection opened as
 * the server opens its own (src/db_sqlite.c: WAL, synchronous=FULL,
 * foreign_keys=ON, temp_store=MEMORY, busy timeout 5 s), BATCH cases per
 * transaction (BEGIN IMMEDIATE … COMMIT, as db_begin):
 *
 *   the day's number   INSERT INTO case_numbers … ON CONFLICT DO UPDATE … RETURNING last
 *   the case           INSERT INTO cases (…24 columns…) RETURNING id
 *   its events         report; + accept and dispatch when the category is
 *                      auto_accept (the source is grid_patrol: trusted)
 *
 * Points are the demo micro-grids' label points ± ~1 m with their unit
 * chain, categories the comma-separated CATEGORIES, taken in turn — the
 * same inputs as the HTTP run. Nothing else: no HTTP, no JSON, no reading
 * the case back, no locating the point (the unit chain is known). The
 * store DB needs the migrations plus the departments, users, categories
 * and units of a demo store (run.sh copies them).
 *
 * Runs SECONDS seconds (the transaction in progress finishes), then prints
 * "RESULT rows=… tx=… seconds=… rows_s=… tx_p50_ms=… tx_p99_ms=…
 * synchronous=… journal_mode=…"; the latencies are those of whole
 * transactions, BEGIN to COMMIT; wal_pages_per_tx is how many pages each
 * commit appended to the WAL (what the disk must take per transaction).
 *
 * usage: sqlite_anchor DB SECONDS BATCH CATEGORIES
 */
#include <sqlite3.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_UNITS 20000
#define MAX_CATS 256

struct unit {
	char code[24], grid[24], community[24], street[24], zone[24];
	double lat, lon;
};

struct cat {
	char code[24];
	int64_t department_id; /* 0: handled in the grid */
	int auto_accept;
};

static sqlite3 *db;
static struct unit units[MAX_UNITS];
static int nunits;
static struct cat cats[MAX_CATS];
static int ncats;

static void die(const char *what)
{
	fprintf(stderr, "sqlite_anchor: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
	exit(1);
}

static void exec(const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die(sql);
}

static sqlite3_stmt *prep(const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		die(sql);
	return st;
}

static void copy(char *dst, size_t n, const unsigned char *src)
{
	snprintf(dst, n, "%s", src ? (const char *)src : "");
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double mono_s(void)
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

static const char *pragma_text(const char *sql, char *out, size_t n)
{
	sqlite3_stmt *st = prep(sql);
	if (sqlite3_step(st) == SQLITE_ROW)
		copy(out, n, sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

/* The statements of src/cases.c. */
static const char SQL_NEXT_NUMBER[] = "INSERT INTO case_numbers (day, last) VALUES (?, 1)"
                                      " ON CONFLICT (day) DO UPDATE SET last = case_numbers.last + 1 RETURNING last";
static const char SQL_CASE_INSERT[] =
        "INSERT INTO cases (number, source, category_code, description, lat, lon, input_crs, unit_code, grid_code,"
        " community_code, street_code, zone_code, route, department_id, status, stage, stage_started_at, deadline,"
        " reporter_phone, anonymous, reporter_id, version, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_EVENT_INSERT[] =
        "INSERT INTO case_events (case_id, seq, action, actor_id, actor, from_status, to_status, note, fields, at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

static sqlite3_stmt *st_number, *st_case, *st_event;

/* WAL pages written, counted from the WAL hook; the hook replaces SQLite's
 * automatic checkpoint, so it runs the same one (PASSIVE at 1000 pages, the
 * default wal_autocheckpoint). */
static long long wal_pages, checkpoints;
static int wal_last;

static int on_wal(void *arg, sqlite3 *h, const char *name, int frames)
{
	(void)arg;
	wal_pages += frames > wal_last ? frames - wal_last : frames;
	wal_last = frames;
	if (frames >= 1000) {
		sqlite3_wal_checkpoint_v2(h, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		checkpoints++;
		wal_last = 0; /* the next writer starts the log over once the checkpoint is complete */
	}
	return SQLITE_OK;
}

static void event(int64_t case_id, int seq, const char *action, int64_t actor_id, const char *actor, const char *from,
                  const char *to, const char *note, const char *fields, int64_t at)
{
	sqlite3_stmt *st = st_event;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int(st, 2, seq);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
	if (actor_id > 0)
		sqlite3_bind_int64(st, 4, actor_id);
	else
		sqlite3_bind_null(st, 4);
	sqlite3_bind_text(st, 5, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, from, -1, SQLITE_STATIC); /* NULL binds NULL */
	sqlite3_bind_text(st, 7, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, note, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, fields, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 10, at);
	if (sqlite3_step(st) != SQLITE_DONE)
		die("insert event");
	sqlite3_reset(st);
}

/* One case as case_create writes it, inside the open transaction. */
static void one_case(long long k, int64_t reporter_id, const char *reporter)
{
	const struct unit *u = &units[(k * 7919) % nunits];
	const struct cat *c = &cats[k % ncats];
	int64_t now = now_ms();
	char day[40], number[80], desc[128];
	time_t secs = (time_t)(now / 1000) + 8 * 3600;
	struct tm tm;
	gmtime_r(&secs, &tm);
	snprintf(day, sizeof day, "%04d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);

	sqlite3_bind_text(st_number, 1, day, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st_number) != SQLITE_ROW)
		die("case number");
	long long seq = sqlite3_column_int64(st_number, 0);
	if (sqlite3_step(st_number) != SQLITE_DONE)
		die("case number");
	sqlite3_reset(st_number);
	snprintf(number, sizeof number, "%s-%04lld", day, seq);

	int by_grid = c->department_id == 0, auto_go = c->auto_accept; /* grid_patrol is trusted */
	int64_t deadline = now + 4 * 3600000;
	snprintf(desc, sizeof desc, "bench 道路不洁 %lld", k);
	double jitter = (double)(k % 17 - 8) * 1e-6;
	sqlite3_stmt *st = st_case;
	int i = 1;
	sqlite3_bind_text(st, i++, number, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, i++, "grid_patrol", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, c->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, desc, -1, SQLITE_TRANSIENT);
	sqlite3_bind_double(st, i++, u->lat + jitter);
	sqlite3_bind_double(st, i++, u->lon - jitter);
	sqlite3_bind_text(st, i++, "wgs84", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, u->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, u->grid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, u->community, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, u->street, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, u->zone, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, by_grid ? "grid" : "department", -1, SQLITE_STATIC);
	if (by_grid)
		sqlite3_bind_null(st, i++);
	else
		sqlite3_bind_int64(st, i++, c->department_id);
	sqlite3_bind_text(st, i++, auto_go ? "dispatched" : "reported", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, auto_go ? "handle" : "accept", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, i++, now);
	sqlite3_bind_int64(st, i++, deadline);
	sqlite3_bind_null(st, i++);
	sqlite3_bind_int(st, i++, 0);
	if (reporter_id > 0)
		sqlite3_bind_int64(st, i++, reporter_id);
	else
		sqlite3_bind_null(st, i++);
	sqlite3_bind_int(st, i++, auto_go ? 3 : 1);
	sqlite3_bind_int64(st, i++, now);
	sqlite3_bind_int64(st, i++, now);
	if (sqlite3_step(st) != SQLITE_ROW)
		die("insert case");
	int64_t id = sqlite3_column_int64(st, 0);
	if (sqlite3_step(st) != SQLITE_DONE)
		die("insert case");
	sqlite3_reset(st);

	char fields[48];
	snprintf(fields, sizeof fields, "{\"department\":%lld}", (long long)c->department_id);
	event(id, 1, "report", reporter_id, reporter, NULL, "reported", NULL, NULL, now);
	if (auto_go) {
		event(id, 2, "accept", 0, "system", "reported", "accepted", "自动立案 auto-accepted", NULL, now);
		event(id, 3, "dispatch", 0, "system", "accepted", "dispatched",
		      by_grid ? "自动派遣至网格 dispatched to the grid"
		              : "自动派遣至责任部门 dispatched to the department",
		      by_grid ? NULL : fields, now);
	}
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: sqlite_anchor DB SECONDS BATCH CATEGORIES\n");
		return 2;
	}
	double seconds = strtod(argv[2], NULL);
	long batch = strtol(argv[3], NULL, 10);
	if (!(seconds > 0 && seconds <= 3600) || batch < 1 || batch > 100000) {
		fprintf(stderr, "sqlite_anchor: SECONDS must be 0-3600 and BATCH 1-100000\n");
		return 2;
	}
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		die(argv[1]);
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, 5000);
	exec("PRAGMA journal_mode=WAL");
	exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY;");

	sqlite3_stmt *st = prep("SELECT m.code, g.code, c.code, s.code, z.code, m.label_lat, m.label_lon FROM units m"
	                        " JOIN units g ON g.id = m.parent_id JOIN units c ON c.id = g.parent_id"
	                        " JOIN units s ON s.id = c.parent_id JOIN units z ON z.id = s.parent_id"
	                        " WHERE m.level = 'microgrid' AND m.label_lat IS NOT NULL ORDER BY m.code");
	while (sqlite3_step(st) == SQLITE_ROW && nunits < MAX_UNITS) {
		struct unit *u = &units[nunits++];
		copy(u->code, sizeof u->code, sqlite3_column_text(st, 0));
		copy(u->grid, sizeof u->grid, sqlite3_column_text(st, 1));
		copy(u->community, sizeof u->community, sqlite3_column_text(st, 2));
		copy(u->street, sizeof u->street, sqlite3_column_text(st, 3));
		copy(u->zone, sizeof u->zone, sqlite3_column_text(st, 4));
		u->lat = sqlite3_column_double(st, 5);
		u->lon = sqlite3_column_double(st, 6);
	}
	sqlite3_finalize(st);
	st = prep("SELECT COALESCE(department_id, 0), auto_accept FROM categories WHERE code = ? AND active = 1");
	char *list = argv[4], *save = NULL;
	for (char *code = strtok_r(list, ",", &save); code && ncats < MAX_CATS; code = strtok_r(NULL, ",", &save)) {
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW) {
			fprintf(stderr, "sqlite_anchor: no active category %s in %s\n", code, argv[1]);
			return 1;
		}
		struct cat *c = &cats[ncats++];
		snprintf(c->code, sizeof c->code, "%s", code);
		c->department_id = sqlite3_column_int64(st, 0);
		c->auto_accept = sqlite3_column_int(st, 1);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (nunits == 0 || ncats == 0) {
		fprintf(stderr, "sqlite_anchor: no micro-grids or no categories in %s\n", argv[1]);
		return 1;
	}
	int64_t reporter_id = 0;
	char reporter[64] = "系统管理员";
	st = prep("SELECT id, name FROM users WHERE username = 'admin'");
	if (sqlite3_step(st) == SQLITE_ROW) {
		reporter_id = sqlite3_column_int64(st, 0);
		copy(reporter, sizeof reporter, sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	char sync[16] = "?", journal[16] = "?";
	pragma_text("PRAGMA synchronous", sync, sizeof sync);
	pragma_text("PRAGMA journal_mode", journal, sizeof journal);

	st_number = prep(SQL_NEXT_NUMBER);
	st_case = prep(SQL_CASE_INSERT);
	st_event = prep(SQL_EVENT_INSERT);
	sqlite3_stmt *begin = prep("BEGIN IMMEDIATE"), *commit = prep("COMMIT");
	sqlite3_wal_hook(db, on_wal, NULL);

	size_t cap = 1 << 16, ntx = 0;
	double *lat = malloc(cap * sizeof *lat);
	if (!lat)
		die("out of memory");
	long long rows = 0;
	double t0 = mono_s(), t;
	do {
		double a = mono_s();
		if (sqlite3_step(begin) != SQLITE_DONE)
			die("BEGIN IMMEDIATE");
		sqlite3_reset(begin);
		for (long b = 0; b < batch; b++)
			one_case(rows++, reporter_id, reporter);
		if (sqlite3_step(commit) != SQLITE_DONE)
			die("COMMIT");
		sqlite3_reset(commit);
		t = mono_s();
		if (ntx == cap) {
			double *more = realloc(lat, 2 * cap * sizeof *lat);
			if (!more)
				die("out of memory");
			lat = more;
			cap *= 2;
		}
		lat[ntx++] = (t - a) * 1000;
	} while (t - t0 < seconds);
	qsort(lat, ntx, sizeof *lat, cmp_double);
	printf("RESULT rows=%lld tx=%zu seconds=%.3f rows_s=%.1f tx_p50_ms=%.3f tx_p99_ms=%.3f synchronous=%s "
	       "journal_mode=%s batch=%ld wal_pages_per_tx=%.1f checkpoints=%lld\n",
	       rows, ntx, t - t0, rows / (t - t0), lat[ntx / 2], lat[(size_t)(ntx * 0.99)], sync, journal, batch,
	       (double)wal_pages / (double)ntx, checkpoints);
	free(lat);
	sqlite3_finalize(st_number);
	sqlite3_finalize(st_case);
	sqlite3_finalize(st_event);
	sqlite3_finalize(begin);
	sqlite3_finalize(commit);
	sqlite3_close(db);
	return 0;
}
