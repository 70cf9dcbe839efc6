/*
 * fill_cases.c — fills a zonegov store with N cases and their events for the
 * list benchmark of bench/cases/run.sh, in a minute or two.
 *
 * The store must be a fresh `zonegov demo` store (migrated, with its units,
 * departments, users and categories) without cases. Every row satisfies the
 * constraints and foreign keys of migration 4 (the program runs with
 * foreign_keys=ON): categories, departments and users are the store's own,
 * points are the micro-grids' label points (± ~2 m) with their real unit
 * chain, and each case is the fold of its events as src/case_act.c would
 * have written them:
 *
 *   reported    report
 *   rejected    report, reject
 *   accepted    report, accept, dispatch, return      (sent back: mis-dispatch)
 *   dispatched  report, accept, dispatch              (+ overdue, + red overdue)
 *   handled     report, accept, dispatch, handle      (+ overdue …)
 *   closed      report, accept, dispatch, handle, verify (+ rate)
 *
 * with version = number of events, stage and deadline of the current stage
 * (terminal: stage none, no deadline), overdue = 1 with a yellow (red after a
 * week) 督办 when an open stage is past its deadline, department_id from the
 * category (route department) and the dispatch event naming it, numbers
 * YYYYMMDD-NNNN per day (+08:00) and case_numbers updated to match.
 *
 * Spread: created_at uniform over the last DAYS days (ids ascending with
 * time, as in a real store); micro-grids and categories skewed (a few hot
 * spots, a few common categories); sources mostly grid patrol, then
 * residents and the hotline; the status depends on the age (old cases are
 * mostly closed, recent ones open). Deadlines approximate the working
 * calendar (a work hour ≈ 3 h, a work day ≈ 1.4 days): they only have to be
 * plausible, and overdue is set from them.
 *
 * Speed: the secondary indexes of cases and case_events are dropped and
 * re-created afterwards from their own SQL in sqlite_master (so they are
 * exactly the migrations' indexes), journal off and synchronous OFF during
 * the fill, then WAL again. No ANALYZE: the server's stores have none.
 *
 * usage: fill_cases DB N [DAYS [SEED]]      (DAYS 730, SEED 1)
 * Prints one "RESULT key=value ..." line.
 */
#include <sqlite3.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CATS 512
#define MAX_UNITS 20000
#define MAX_INDEXES 64

struct unit {
	char code[24], grid[24], community[24], street[24], zone[24];
	double lat, lon;
};

struct cat {
	char code[24], name[64];
	int64_t department_id; /* 0: handled in the grid */
	int auto_accept;
	int64_t limit_ms[4]; /* accept, dispatch, handle, verify */
};

struct person {
	int64_t id;
	char name[64];
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static double urand(void)
{
	return (double)(rng() >> 11) / 9007199254740992.0;
}

static int64_t irand(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(urand() * (double)(hi - lo + 1));
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static sqlite3 *db;

static void die(const char *what)
{
	fprintf(stderr, "fill_cases: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
	exit(1);
}

static void exec(const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "fill_cases: %s: %s\n", sql, msg ? msg : "?");
		exit(1);
	}
}

static sqlite3_stmt *prep(const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die(sql);
	return st;
}

static void text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void i64_or_null(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static int64_t limit_ms(const char *unit, int64_t amount)
{
	if (strcmp(unit, "hours") == 0)
		return amount * 3600000;
	if (strcmp(unit, "work_hours") == 0)
		return amount * 3 * 3600000; /* 8 work hours a day */
	return amount * 120960000;           /* work_days: 1.4 calendar days each */
}

static void copy(char *dst, size_t n, const unsigned char *src)
{
	snprintf(dst, n, "%s", src ? (const char *)src : "");
}

static struct unit units[MAX_UNITS];
static int nunits;
static struct cat cats[MAX_CATS];
static int ncats;

static void load(void)
{
	sqlite3_stmt *st =
	        prep("SELECT m.code, g.code, c.code, s.code, z.code, m.label_lat, m.label_lon FROM units m"
	             " JOIN units g ON g.id = m.parent_id JOIN units c ON c.id = g.parent_id"
	             " JOIN units s ON s.id = c.parent_id JOIN units z ON z.id = s.parent_id"
	             " WHERE m.level = 'microgrid' AND g.level = 'grid' AND m.label_lat IS NOT NULL ORDER BY m.code");
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
	/* Leaf categories in use (the ones with a parent), as staff pick them. */
	st = prep(
	        "SELECT code, name, COALESCE(department_id, 0), auto_accept, accept_limit, accept_unit, dispatch_limit,"
	        " dispatch_unit, handle_limit, handle_unit, verify_limit, verify_unit FROM categories"
	        " WHERE active = 1 AND parent_code IS NOT NULL ORDER BY code");
	while (sqlite3_step(st) == SQLITE_ROW && ncats < MAX_CATS) {
		struct cat *c = &cats[ncats++];
		copy(c->code, sizeof c->code, sqlite3_column_text(st, 0));
		copy(c->name, sizeof c->name, sqlite3_column_text(st, 1));
		c->department_id = sqlite3_column_int64(st, 2);
		c->auto_accept = sqlite3_column_int(st, 3);
		for (int k = 0; k < 4; k++)
			c->limit_ms[k] = limit_ms((const char *)sqlite3_column_text(st, 5 + 2 * k),
			                          sqlite3_column_int64(st, 4 + 2 * k));
	}
	sqlite3_finalize(st);
	if (nunits == 0 || ncats == 0) {
		fprintf(stderr, "fill_cases: the store has no micro-grids or no categories (run zonegov demo first)\n");
		exit(1);
	}
}

static struct person person(const char *username)
{
	struct person p = {0, "bench"};
	sqlite3_stmt *st = prep("SELECT id, name FROM users WHERE username = ?");
	text(st, 1, username);
	if (sqlite3_step(st) == SQLITE_ROW) {
		p.id = sqlite3_column_int64(st, 0);
		copy(p.name, sizeof p.name, sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return p;
}

/* Skewed pick of 0..n-1: low indexes more often (exponent > 1). */
static int skewed(int n, double exponent)
{
	int i = (int)(n * pow(urand(), exponent));
	return i < n ? i : n - 1;
}

enum { ST_REPORTED, ST_ACCEPTED, ST_REJECTED, ST_DISPATCHED, ST_HANDLED, ST_CLOSED, ST__N };
static const char *const status_names[] = {"reported", "accepted", "rejected", "dispatched", "handled", "closed"};

/* Status by age: cumulative per-mille of reported, accepted, rejected, dispatched, handled (rest closed). */
static int pick_status(double age_days)
{
	static const int old[] = {5, 10, 100, 130, 140};      /* > 30 days */
	static const int month[] = {20, 40, 120, 320, 400};   /* 7-30 days */
	static const int week[] = {120, 160, 220, 600, 750};  /* 1-7 days */
	static const int today[] = {400, 440, 470, 920, 970}; /* < 1 day */
	const int *t = age_days > 30 ? old : age_days > 7 ? month : age_days > 1 ? week : today;
	int r = (int)irand(0, 999);
	for (int s = 0; s < 5; s++)
		if (r < t[s])
			return s; /* the enum's order */
	return ST_CLOSED;
}

static const char *pick_source(void)
{
	int r = (int)irand(0, 99);
	return r < 55   ? "grid_patrol"
	       : r < 72 ? "resident"
	       : r < 87 ? "hotline"
	       : r < 92 ? "supervisor"
	       : r < 96 ? "inspection"
	       : r < 98 ? "enterprise"
	       : r < 99 ? "project"
	                : "consultation";
}

static const char *const places[] = {"昆吾路与濮上路交叉口", "黄河路中段",    "开州路东侧", "华龙区政府西门",
                                     "经开区管委会对面",     "绿城路公交站",  "胜利路南段", "中原路与长庆路口",
                                     "挥公大道西侧",         "人民路小区门口"};
static const char *const details[] = {"影响居民出行,请尽快处理", "已持续两天,群众反映强烈", "存在安全隐患",
                                      "多次反映未解决",          "现场照片已上传",          "请相关部门核实处理"};

struct ev {
	const char *action, *from, *to, *note;
	char fields[64];
	int64_t actor_id, at;
	const char *actor;
};

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: fill_cases DB N [DAYS [SEED]]\n");
		return 2;
	}
	long long n = strtoll(argv[2], NULL, 10);
	long days = argc > 3 ? strtol(argv[3], NULL, 10) : 730;
	unsigned long long seed = argc > 4 ? strtoull(argv[4], NULL, 10) : 1;
	if (n < 1 || n > 100000000 || days < 1 || days > 36500) {
		fprintf(stderr, "fill_cases: N must be 1..1e8 and DAYS 1..36500\n");
		return 2;
	}
	rng_state = (seed + 1) * 0x9e3779b97f4a7c15ull | 1; /* xorshift: never 0 */
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		die(argv[1]);
	exec("PRAGMA foreign_keys=ON; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576;"
	     " PRAGMA temp_store=MEMORY;");
	sqlite3_stmt *st = prep("SELECT count(*) FROM cases");
	if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int64(st, 0) != 0) {
		fprintf(stderr, "fill_cases: %s already has cases; start from a fresh demo store\n", argv[1]);
		return 1;
	}
	sqlite3_finalize(st);
	load();
	struct person dispatcher = person("dispatcher"), handler = person("handler"), gridworker = person("gridworker"),
	              gridleader = person("gridleader"), supervisor = person("supervisor"), admin = person("admin");

	/* Micro-grids in a shuffled order, so that the hot spots are scattered over the zone. */
	static int perm[MAX_UNITS];
	for (int i = 0; i < nunits; i++)
		perm[i] = i;
	for (int i = nunits - 1; i > 0; i--) {
		int j = (int)irand(0, i), t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}

	double t0 = now_s();
	/* Secondary indexes: drop now, re-create from their own SQL at the end. */
	static char index_sql[MAX_INDEXES][1024], index_name[MAX_INDEXES][128];
	int nidx = 0;
	st = prep("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('cases', 'case_events')"
	          " AND sql IS NOT NULL");
	while (sqlite3_step(st) == SQLITE_ROW && nidx < MAX_INDEXES) {
		copy(index_name[nidx], sizeof index_name[nidx], sqlite3_column_text(st, 0));
		copy(index_sql[nidx], sizeof index_sql[nidx], sqlite3_column_text(st, 1));
		nidx++;
	}
	sqlite3_finalize(st);
	for (int i = 0; i < nidx; i++) {
		char sql[200];
		snprintf(sql, sizeof sql, "DROP INDEX \"%.127s\"", index_name[i]);
		exec(sql);
	}

	sqlite3_stmt *ins =
	        prep("INSERT INTO cases (number, source, category_code, description, lat, lon, input_crs, unit_code,"
	             " grid_code, community_code, street_code, zone_code, route, department_id, status, stage,"
	             " stage_started_at, deadline, overdue, supervision, rating, rework, reporter_phone, anonymous,"
	             " reporter_id, version, created_at, updated_at, closed_at)"
	             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_stmt *evs = prep("INSERT INTO case_events (case_id, seq, action, actor_id, actor, from_status,"
	                         " to_status, note, fields, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_stmt *num = prep("INSERT INTO case_numbers (day, last) VALUES (?, ?)"
	                         " ON CONFLICT (day) DO UPDATE SET last = MAX(last, excluded.last)");

	const int64_t now = (int64_t)time(NULL) * 1000;
	const int64_t span = (int64_t)days * 86400000, start = now - span;
	const int64_t hour = 3600000;
	char day[40] = "", prev_day[40] = "";
	int64_t day_seq = 0, nevents = 0, per_status[ST__N] = {0}, noverdue = 0;
	exec("BEGIN");
	for (long long i = 0; i < n; i++) {
		int64_t created = start + (int64_t)(((double)i + urand()) * (double)span / (double)n);
		if (created > now - 1000)
			created = now - 1000;
		{
			time_t secs = (time_t)(created / 1000) + 8 * 3600;
			struct tm tm;
			gmtime_r(&secs, &tm);
			snprintf(day, sizeof day, "%04d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		}
		if (strcmp(day, prev_day) != 0) {
			if (prev_day[0]) {
				text(num, 1, prev_day);
				sqlite3_bind_int64(num, 2, day_seq);
				if (sqlite3_step(num) != SQLITE_DONE)
					die("case_numbers");
				sqlite3_reset(num);
			}
			snprintf(prev_day, sizeof prev_day, "%s", day);
			day_seq = 0;
		}
		char number[80];
		snprintf(number, sizeof number, "%s-%04lld", day, (long long)++day_seq);

		const struct unit *u = &units[perm[skewed(nunits, 1.6)]];
		const struct cat *c = &cats[skewed(ncats, 1.8)];
		const char *source = pick_source();
		int resident = strcmp(source, "resident") == 0, hotline = strcmp(source, "hotline") == 0;
		int trusted = !strcmp(source, "grid_patrol") || !strcmp(source, "supervisor") ||
		              !strcmp(source, "inspection");
		int by_grid = c->department_id == 0;
		int status = pick_status((double)(now - created) / 86400000.0);
		per_status[status]++;

		/* Reporter. */
		struct person rep = {0, "public"};
		char phone[16] = "";
		int anonymous = 0;
		if (resident || hotline) {
			if (resident && irand(0, 99) < 5)
				anonymous = 1;
			else
				snprintf(phone, sizeof phone, "1%d%09lld", (int)irand(3, 9),
				         (long long)irand(0, 999999999));
			if (hotline)
				rep = dispatcher;
		} else {
			rep = !strcmp(source, "grid_patrol")  ? gridworker
			      : !strcmp(source, "supervisor") ? supervisor
			                                      : admin;
		}

		/* Events, in order, with times no later than now. */
		struct ev ev[8];
		int ne = 0;
		int auto_go = c->auto_accept && trusted;
		int64_t t = created;
#define CLAMP(x) ((x) > now - 1000 ? now - 1000 : (x))
		ev[ne++] = (struct ev){"report", NULL, "reported", NULL, "", rep.id, t, rep.name};
		int64_t stage_start = t;
		const char *stage = "accept";
		int64_t limit = c->limit_ms[0];
		if (status == ST_REJECTED) {
			t = CLAMP(t + irand(hour / 6, 6 * hour));
			ev[ne++] = (struct ev){"reject", "reported",    "rejected", "不属于受理范围 outside our remit",
			                       "",       dispatcher.id, t,          dispatcher.name};
			stage = "none";
		} else if (status != ST_REPORTED) {
			t = auto_go ? t : CLAMP(t + irand(hour / 6, 4 * hour));
			struct person who = auto_go ? (struct person){0, "system"} : by_grid ? gridleader : dispatcher;
			ev[ne++] =
			        (struct ev){"accept", "reported", "accepted", auto_go ? "自动立案 auto-accepted" : NULL,
			                    "",       who.id,     t,          who.name};
			ev[ne] = (struct ev){"dispatch",
			                     "accepted",
			                     "dispatched",
			                     by_grid ? "自动派遣至网格 dispatched to the grid"
			                             : "自动派遣至责任部门 dispatched to the department",
			                     "",
			                     0,
			                     t,
			                     "system"};
			if (!by_grid)
				snprintf(ev[ne].fields, sizeof ev[ne].fields, "{\"department\":%lld}",
				         (long long)c->department_id);
			ne++;
			stage_start = t;
			stage = "handle";
			limit = c->limit_ms[2];
			if (status == ST_ACCEPTED) {
				t = CLAMP(t + irand(hour / 2, 8 * hour));
				ev[ne++] =
				        (struct ev){"return", "dispatched", "accepted", "非本部门职责 mis-dispatched",
				                    "",       handler.id,   t,          handler.name};
				stage_start = t;
				stage = "dispatch";
				limit = c->limit_ms[1];
			} else if (status == ST_HANDLED || status == ST_CLOSED) {
				t = CLAMP(t + (int64_t)(urand() * 0.9 * (double)c->limit_ms[2]));
				struct person h = by_grid ? gridworker : handler;
				ev[ne++] = (struct ev){"handle", "dispatched", "handled", "已处置完毕 handled",
				                       "",       h.id,         t,         h.name};
				stage_start = t;
				stage = "verify";
				limit = c->limit_ms[3];
				if (status == ST_CLOSED) {
					t = CLAMP(t + irand(hour / 4, 24 * hour));
					struct person v = irand(0, 9) < 8 ? gridworker : supervisor;
					ev[ne] = (struct ev){"verify", "handled", "closed", "核查通过 verified",
					                     "",       v.id,      t,        v.name};
					snprintf(ev[ne].fields, sizeof ev[ne].fields, "{\"passed\":true}");
					ne++;
					stage = "none";
				}
			}
		}
		int64_t closed_at = status == ST_CLOSED ? t : 0;
		const char *rating = NULL;
		if (status == ST_CLOSED && (resident || hotline) && !anonymous && irand(0, 99) < 70) {
			int r = (int)irand(0, 99);
			rating = r < 85 ? "satisfied" : r < 97 ? "basic" : "unsatisfied";
			t = CLAMP(t + irand(hour, 48 * hour));
			ev[ne] = (struct ev){"rate", "closed", "closed", NULL, "", 0, t, "public"};
			snprintf(ev[ne].fields, sizeof ev[ne].fields, "{\"rating\":\"%s\"}", rating);
			ne++;
		}
		int terminal = status == ST_CLOSED || status == ST_REJECTED;
		int64_t deadline = terminal ? 0 : stage_start + limit;
		int overdue = !terminal && deadline < now;
		const char *supervision = NULL;
		if (overdue) {
			noverdue++;
			supervision = "yellow";
			const char *st_name = status_names[status];
			ev[ne++] = (struct ev){"overdue",
			                       st_name,
			                       st_name,
			                       "超期,黄牌督办 stage overdue: yellow card",
			                       "",
			                       0,
			                       CLAMP(deadline + 60000),
			                       "system"};
			if (deadline < now - 7 * 86400000LL) {
				supervision = "red";
				ev[ne++] = (struct ev){"overdue",
				                       st_name,
				                       st_name,
				                       "5个工作日仍未办结,红牌督办 still overdue: red card",
				                       "",
				                       0,
				                       CLAMP(deadline + 7 * 86400000LL),
				                       "system"};
			}
		} else if (terminal && irand(0, 99) < 2) {
			supervision = "yellow"; /* supervised once, then finished */
		}
		int64_t updated = ev[ne - 1].at;

		char desc[400];
		snprintf(desc, sizeof desc, "%s:%s,%s。", c->name, places[irand(0, 9)], details[irand(0, 5)]);
		double lat = u->lat + (urand() - 0.5) * 4e-5, lon = u->lon + (urand() - 0.5) * 4e-5;

		int k = 1;
		text(ins, k++, number);
		text(ins, k++, source);
		text(ins, k++, c->code);
		text(ins, k++, desc);
		sqlite3_bind_double(ins, k++, lat);
		sqlite3_bind_double(ins, k++, lon);
		text(ins, k++, resident && irand(0, 9) < 6 ? "gcj02" : "wgs84");
		text(ins, k++, u->code);
		text(ins, k++, u->grid);
		text(ins, k++, u->community);
		text(ins, k++, u->street);
		text(ins, k++, u->zone);
		text(ins, k++, by_grid ? "grid" : "department");
		i64_or_null(ins, k++, c->department_id);
		text(ins, k++, status_names[status]);
		text(ins, k++, stage);
		sqlite3_bind_int64(ins, k++, stage_start);
		i64_or_null(ins, k++, deadline);
		sqlite3_bind_int(ins, k++, overdue);
		text(ins, k++, supervision);
		text(ins, k++, rating);
		text(ins, k++, phone[0] ? phone : NULL);
		sqlite3_bind_int(ins, k++, anonymous);
		i64_or_null(ins, k++, rep.id);
		sqlite3_bind_int(ins, k++, ne);
		sqlite3_bind_int64(ins, k++, created);
		sqlite3_bind_int64(ins, k++, updated);
		i64_or_null(ins, k++, closed_at);
		if (sqlite3_step(ins) != SQLITE_DONE)
			die("insert case");
		sqlite3_reset(ins);
		int64_t id = sqlite3_last_insert_rowid(db);
		for (int e = 0; e < ne; e++) {
			sqlite3_bind_int64(evs, 1, id);
			sqlite3_bind_int(evs, 2, e + 1);
			text(evs, 3, ev[e].action);
			i64_or_null(evs, 4, ev[e].actor_id);
			text(evs, 5, ev[e].actor);
			text(evs, 6, ev[e].from);
			text(evs, 7, ev[e].to);
			text(evs, 8, ev[e].note);
			text(evs, 9, ev[e].fields[0] ? ev[e].fields : NULL);
			sqlite3_bind_int64(evs, 10, ev[e].at);
			if (sqlite3_step(evs) != SQLITE_DONE)
				die("insert event");
			sqlite3_reset(evs);
		}
		nevents += ne;
		if ((i + 1) % 200000 == 0) {
			exec("COMMIT; BEGIN");
			fprintf(stderr, "  %lld cases, %lld events, %.1f s\n", i + 1, (long long)nevents, now_s() - t0);
		}
	}
	text(num, 1, prev_day);
	sqlite3_bind_int64(num, 2, day_seq);
	if (sqlite3_step(num) != SQLITE_DONE)
		die("case_numbers");
	sqlite3_finalize(num);
	sqlite3_finalize(ins);
	sqlite3_finalize(evs);
	exec("COMMIT");
	double t_rows = now_s() - t0;
	for (int i = 0; i < nidx; i++)
		exec(index_sql[i]);
	double t_idx = now_s() - t0 - t_rows;
	exec("PRAGMA journal_mode=WAL");
	sqlite3_close(db);
	printf("RESULT cases=%lld events=%lld overdue=%lld", n, (long long)nevents, (long long)noverdue);
	for (int s = 0; s < ST__N; s++)
		printf(" %s=%lld", status_names[s], (long long)per_status[s]);
	printf(" indexes=%d rows_s=%.1f index_s=%.1f microgrids=%d categories=%d\n", nidx, t_rows, t_idx, nunits,
	       ncats);
	return 0;
}
