/*
 * fill_projects.c — fills a zonegov store with N key projects, their stages,
 * "三个一批" batches, YEARS annual plans each and YEARS × 12 months of
 * progress each, for bench/projects/run.sh (10,000 projects: 100,000 plans,
 * 1,200,000 progress rows, in a few seconds).
 *
 * The store must be a fresh `zonegov demo` store (migrated, with its
 * departments) without projects. Every row satisfies the constraints and
 * foreign keys of migration 8 (the program runs with foreign_keys=ON) and the
 * rules of src/projects.c: stages are dated in order (planning ≤ signed ≤
 * started ≤ building ≤ production ≤ effective), projects.stage is the latest
 * stage reached, no month before the start month has a completed amount
 * above 0, credit codes carry their check character.
 *
 * Spread: levels province 12 %, city 28 %, district 50 %, other 10 %;
 * 12 industries, 24 leaders, the store's departments; total investment
 * log-uniform from 5,000万 to 50亿 (whole 万元); signing spread over the
 * YEARS years and the three before them, so that every stage occurs in every
 * year; about 10 % never start; construction 12 to 42 months. Batches: one
 * 期次 per quarter from three years before FIRST_YEAR (batch 1), a project in
 * the batch of the quarter it was signed, started or put into production
 * (kind signed/started/production), each with probability 0.7. Plans: one
 * row per project and year, the construction years sharing the total
 * investment, 0 in the others. Progress: one row per project and month, 0
 * before the start and after production, around the year's plan / 12 in
 * between, a note on some.
 *
 * Order as a live store would have it: projects, then per year the plans,
 * then per month the progress of every project (row ids ascending with
 * time). The secondary indexes of the project tables are dropped during the
 * fill and re-created from their own SQL in sqlite_master, so they are
 * exactly the migrations' indexes; no ANALYZE (the server's stores have none).
 *
 * usage: fill_projects DB N [YEARS [FIRST_YEAR [SEED]]]   (YEARS 10, FIRST_YEAR this year - YEARS + 1)
 * Prints one "RESULT key=value ..." line.
 */
#include <sqlite3.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_DEPTS 256
#define MAX_INDEXES 64
#define MAX_YEARS 50
#define NONE (-1000000) /* month index of a stage never reached */

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

static int irand(int lo, int hi)
{
	return lo + (int)(urand() * (double)(hi - lo + 1));
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
	fprintf(stderr, "fill_projects: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
	exit(1);
}

static void exec(const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "fill_projects: %s: %s\n", sql, msg ? msg : "?");
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

static void step_done(sqlite3_stmt *st, const char *what)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		die(what);
	sqlite3_reset(st);
}

static void text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* A valid unified social credit code (GB 32100-2015) from a number. */
static void credit_code(uint64_t seed, char out[19])
{
	static const char cs[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
	int sum = 0;
	out[0] = '9';
	out[1] = '1';
	memcpy(out + 2, "410100", 6); /* 郑州 */
	for (int i = 8; i < 17; i++) {
		out[i] = cs[seed % 31];
		seed /= 31;
	}
	for (int i = 0; i < 17; i++)
		sum += (int)(strchr(cs, out[i]) - cs) * w[i];
	out[17] = cs[(31 - sum % 31) % 31];
	out[18] = '\0';
}

enum { S_PLANNING, S_SIGNED, S_STARTED, S_BUILDING, S_PRODUCTION, S_EFFECTIVE, S__N };
static const char *const stage_names[S__N] = {"planning", "signed", "started", "building", "production", "effective"};

struct project {
	int month[S__N]; /* month index (months since January of FIRST_YEAR - 3) each stage was reached, or NONE */
	int day[S__N];
	int64_t total;
	int64_t plan[MAX_YEARS];
};

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 6) {
		fprintf(stderr, "usage: fill_projects DB N [YEARS [FIRST_YEAR [SEED]]]\n");
		return 2;
	}
	char *end;
	long n = strtol(argv[2], &end, 10);
	if (*end || n < 1 || n > 10000000) {
		fprintf(stderr, "fill_projects: N must be 1 to 10000000\n");
		return 2;
	}
	long years = argc > 3 ? strtol(argv[3], &end, 10) : 10;
	if (argc > 3 && (*end || years < 1 || years > MAX_YEARS)) {
		fprintf(stderr, "fill_projects: YEARS must be 1 to %d\n", MAX_YEARS);
		return 2;
	}
	time_t tnow = time(NULL);
	struct tm tm_now;
	gmtime_r(&tnow, &tm_now);
	long first = argc > 4 ? strtol(argv[4], &end, 10) : tm_now.tm_year + 1900 - years + 1;
	if (argc > 4 && (*end || first < 2003 || first + years - 1 > 2100)) {
		fprintf(stderr, "fill_projects: FIRST_YEAR must be 2003 to 2100 - YEARS + 1\n");
		return 2;
	}
	if (argc > 5) {
		rng_state ^= (uint64_t)strtoull(argv[5], &end, 10) * 0x9e3779b97f4a7c15ull;
		if (!rng_state)
			rng_state = 1;
	}

	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		die("open");
	exec("PRAGMA foreign_keys=ON; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;"
	     " PRAGMA temp_store=MEMORY;");
	sqlite3_stmt *st = prep("SELECT count(*) FROM projects");
	if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int64(st, 0) != 0) {
		fprintf(stderr, "fill_projects: %s already has projects; start from a fresh demo store\n", argv[1]);
		return 1;
	}
	sqlite3_finalize(st);
	static int64_t depts[MAX_DEPTS];
	int ndepts = 0;
	st = prep("SELECT id FROM departments ORDER BY id");
	while (sqlite3_step(st) == SQLITE_ROW && ndepts < MAX_DEPTS)
		depts[ndepts++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (ndepts == 0) {
		fprintf(stderr, "fill_projects: the store has no departments (run zonegov demo first)\n");
		return 1;
	}

	static const char *const industries[] = {"装备制造",     "电子信息",   "新材料",   "生物医药",
	                                         "汽车及零部件", "现代物流",   "食品加工", "新能源",
	                                         "节能环保",     "现代服务业", "基础设施", "数字经济"};
	static const char *const leaders[] = {"王建国", "李明", "张伟", "刘洋",   "陈静", "杨帆", "赵磊",   "黄海",
	                                      "周晓光", "吴刚", "徐丽", "孙建华", "马超", "朱红", "胡军",   "郭亮",
	                                      "何平",   "高峰", "林涛", "罗斌",   "郑华", "梁勇", "谢东升", "宋晓红"};
	static const char *const kinds[] = {"厂房及配套", "产业园", "研发中心", "生产线", "物流园", "总部基地"};
	static const char *const notes[] = {"主体结构施工中", "设备安装调试", "完成土方工程", "钢结构吊装完成",
	                                    "办理施工许可",   "室外管网施工", "竣工验收准备"};
	const int nind = (int)(sizeof industries / sizeof industries[0]);
	const int nlead = (int)(sizeof leaders / sizeof leaders[0]);
	/* Months are indexed from January of first - 3; the ledger covers first .. first + years - 1. */
	const int m_first = 36, m_last = 36 + (int)years * 12 - 1, base_year = (int)first - 3;

	struct project *pj = calloc((size_t)n, sizeof *pj);
	if (!pj) {
		fprintf(stderr, "fill_projects: out of memory\n");
		return 1;
	}

	double t0 = now_s();
	static char index_sql[MAX_INDEXES][1024], index_name[MAX_INDEXES][128];
	int nidx = 0;
	st = prep("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('projects',"
	          " 'project_stages', 'project_batches', 'project_plans', 'project_progress') AND sql IS NOT NULL");
	while (sqlite3_step(st) == SQLITE_ROW && nidx < MAX_INDEXES) {
		snprintf(index_name[nidx], sizeof index_name[nidx], "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(index_sql[nidx], sizeof index_sql[nidx], "%s", (const char *)sqlite3_column_text(st, 1));
		nidx++;
	}
	sqlite3_finalize(st);
	for (int i = 0; i < nidx; i++) {
		char sql[200];
		snprintf(sql, sizeof sql, "DROP INDEX \"%.127s\"", index_name[i]);
		exec(sql);
	}

	sqlite3_stmt *ins = prep(
	        "INSERT INTO projects (id, code, name, level, industry, owner_credit_code, owner_name, "
	        "total_investment,"
	        " planned_start, planned_completion, stage, leader, department_id, new_economy, strategic_emerging,"
	        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_stmt *ins_stage = prep("INSERT INTO project_stages (project_id, stage, date) VALUES (?, ?, ?)");
	sqlite3_stmt *ins_batch = prep("INSERT INTO project_batches (project_id, batch, kind) VALUES (?, ?, ?)");
	sqlite3_stmt *ins_plan =
	        prep("INSERT INTO project_plans (project_id, year, planned_investment) VALUES (?, ?, ?)");
	sqlite3_stmt *ins_prog = prep("INSERT INTO project_progress (project_id, year, month, completed_investment,"
	                              " note, updated_at) VALUES (?, ?, ?, ?, ?, ?)");

	int64_t per_level[4] = {0}, per_stage[S__N] = {0}, nstages = 0, nbatches = 0, nplans = 0, nprog = 0;
	int max_batch = 0;
	const int64_t created_ms = (int64_t)tnow * 1000;
	exec("BEGIN");
	for (long i = 0; i < n; i++) {
		struct project *p = &pj[i];
		for (int s = 0; s < S__N; s++) {
			p->month[s] = NONE;
			p->day[s] = irand(1, 28);
		}
		/* signed in the ledger's years or the three before; planning 1-6 months earlier */
		int sign = irand(0, m_last);
		p->month[S_PLANNING] = sign - irand(1, 6);
		if (p->month[S_PLANNING] < 0)
			p->month[S_PLANNING] = 0;
		int last = S_PLANNING;
		if (irand(0, 99) < 92) {
			p->month[S_SIGNED] = sign;
			last = S_SIGNED;
			int start = sign + irand(1, 9);
			if (start <= m_last && irand(0, 99) < 90) {
				p->month[S_STARTED] = start;
				last = S_STARTED;
				int building = start + irand(1, 3);
				if (building <= m_last) {
					p->month[S_BUILDING] = building;
					last = S_BUILDING;
				}
				int prod = start + irand(12, 42);
				if (prod <= m_last) {
					p->month[S_PRODUCTION] = prod;
					last = S_PRODUCTION;
					int eff = prod + irand(6, 18);
					if (eff <= m_last) {
						p->month[S_EFFECTIVE] = eff;
						last = S_EFFECTIVE;
					}
				}
			}
		}
		per_stage[last]++;
		/* same month, same stage order: keep the days in order */
		for (int s = 1; s < S__N; s++)
			if (p->month[s] != NONE && p->month[s] == p->month[s - 1] && p->day[s] < p->day[s - 1])
				p->day[s] = p->day[s - 1];
		/* 5,000万 .. 50亿, whole 万元 */
		p->total = (int64_t)(pow(10.0, 7.7 + 2.0 * urand()) / 10000.0) * 10000;

		int r = irand(0, 99), level = r < 12 ? 0 : r < 40 ? 1 : r < 90 ? 2 : 3;
		static const char *const level_names[] = {"province", "city", "district", "other"};
		per_level[level]++;
		char code[32], name[160], credit[19], owner[128], pstart[16], pdone[16], date[16];
		snprintf(code, sizeof code, "BP-%06ld", i + 1);
		const char *ind = industries[irand(0, nind - 1)];
		snprintf(name, sizeof name, "%s%s项目%ld号", ind, kinds[irand(0, 5)], i + 1);
		credit_code(rng(), credit);
		snprintf(owner, sizeof owner, "河南%s%s有限公司", ind, irand(0, 1) ? "科技" : "实业");
		int ps = p->month[S_STARTED] != NONE ? p->month[S_STARTED] : sign + 3;
		int pc = ps + irand(24, 48);
		snprintf(pstart, sizeof pstart, "%04d-%02d-01", base_year + ps / 12, ps % 12 + 1);
		snprintf(pdone, sizeof pdone, "%04d-%02d-28", base_year + pc / 12, pc % 12 + 1);
		int k = 1;
		sqlite3_bind_int64(ins, k++, i + 1);
		text(ins, k++, code);
		text(ins, k++, name);
		text(ins, k++, level_names[level]);
		text(ins, k++, ind);
		int has_owner = irand(0, 99) < 70;
		text(ins, k++, has_owner ? credit : NULL);
		text(ins, k++, has_owner ? owner : NULL);
		sqlite3_bind_int64(ins, k++, p->total);
		text(ins, k++, pstart);
		text(ins, k++, pdone);
		text(ins, k++, stage_names[last]);
		text(ins, k++, leaders[irand(0, nlead - 1)]);
		sqlite3_bind_int64(ins, k++, depts[irand(0, ndepts - 1)]);
		sqlite3_bind_int(ins, k++, irand(0, 99) < 20);
		sqlite3_bind_int(ins, k++, irand(0, 99) < 25);
		sqlite3_bind_int64(ins, k++, created_ms);
		sqlite3_bind_int64(ins, k++, created_ms);
		step_done(ins, "insert project");

		for (int s = 0; s < S__N; s++) {
			if (p->month[s] == NONE)
				continue;
			snprintf(date, sizeof date, "%04d-%02d-%02d", base_year + p->month[s] / 12,
			         p->month[s] % 12 + 1, p->day[s]);
			sqlite3_bind_int64(ins_stage, 1, i + 1);
			text(ins_stage, 2, stage_names[s]);
			text(ins_stage, 3, date);
			step_done(ins_stage, "insert stage");
			nstages++;
		}
		/* 三个一批: one 期次 per quarter, batch 1 = the first quarter of first - 3 */
		static const int batch_stage[3] = {S_SIGNED, S_STARTED, S_PRODUCTION};
		static const char *const batch_kind[3] = {"signed", "started", "production"};
		for (int b = 0; b < 3; b++) {
			int m = p->month[batch_stage[b]];
			if (m == NONE || irand(0, 99) >= 70)
				continue;
			int batch = m / 3 + 1;
			if (batch > max_batch)
				max_batch = batch;
			sqlite3_bind_int64(ins_batch, 1, i + 1);
			sqlite3_bind_int(ins_batch, 2, batch);
			text(ins_batch, 3, batch_kind[b]);
			step_done(ins_batch, "insert batch");
			nbatches++;
		}
		/* Plans: the construction years (start .. production, or start + 42 months) share the total. */
		if (p->month[S_STARTED] != NONE) {
			int pm = p->month[S_PRODUCTION] != NONE ? p->month[S_PRODUCTION] : p->month[S_STARTED] + 42;
			int ys = p->month[S_STARTED] / 12 - 3, ye = pm / 12 - 3;
			for (int y = ys < 0 ? 0 : ys; y < years && y <= ye; y++)
				p->plan[y] =
				        (int64_t)((double)p->total / (ye - ys + 1) * (0.6 + 0.7 * urand()) / 10000) *
				        10000;
		}
	}

	/* Plans per year, then progress per month, every project each time (as a live ledger grows). */
	for (int y = 0; y < years; y++) {
		for (long i = 0; i < n; i++) {
			sqlite3_bind_int64(ins_plan, 1, i + 1);
			sqlite3_bind_int(ins_plan, 2, (int)first + y);
			sqlite3_bind_int64(ins_plan, 3, pj[i].plan[y]);
			step_done(ins_plan, "insert plan");
			nplans++;
		}
		for (int mo = 1; mo <= 12; mo++) {
			int m = m_first + y * 12 + mo - 1;
			/* entered on the 3rd of the next month, 09:00 +08:00 */
			struct tm tm = {.tm_year = (int)first + y - 1900, .tm_mon = mo, .tm_mday = 3, .tm_hour = 1};
			int64_t at = (int64_t)timegm(&tm) * 1000;
			for (long i = 0; i < n; i++) {
				const struct project *p = &pj[i];
				int64_t amount = 0;
				const char *note = NULL;
				int started = p->month[S_STARTED] != NONE && m >= p->month[S_STARTED];
				int produced = p->month[S_PRODUCTION] != NONE && m > p->month[S_PRODUCTION];
				if (started && !produced && p->plan[y] > 0) {
					amount = (int64_t)((double)p->plan[y] / 12 * (0.3 + 1.6 * urand()) / 10000) *
					         10000;
					if (irand(0, 99) < 8)
						note = notes[irand(0, 6)];
				}
				sqlite3_bind_int64(ins_prog, 1, i + 1);
				sqlite3_bind_int(ins_prog, 2, (int)first + y);
				sqlite3_bind_int(ins_prog, 3, mo);
				sqlite3_bind_int64(ins_prog, 4, amount);
				text(ins_prog, 5, note);
				sqlite3_bind_int64(ins_prog, 6, at);
				step_done(ins_prog, "insert progress");
				nprog++;
			}
		}
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(ins_stage);
	sqlite3_finalize(ins_batch);
	sqlite3_finalize(ins_plan);
	sqlite3_finalize(ins_prog);
	exec("COMMIT");
	double t_rows = now_s() - t0;
	for (int i = 0; i < nidx; i++)
		exec(index_sql[i]);
	double t_idx = now_s() - t0 - t_rows;
	exec("PRAGMA journal_mode=WAL");
	sqlite3_close(db);
	free(pj);
	printf("RESULT projects=%ld plans=%lld progress=%lld stages=%lld batches=%lld max_batch=%d first_year=%ld"
	       " last_year=%ld province=%lld city=%lld district=%lld other=%lld",
	       n, (long long)nplans, (long long)nprog, (long long)nstages, (long long)nbatches, max_batch, first,
	       first + years - 1, (long long)per_level[0], (long long)per_level[1], (long long)per_level[2],
	       (long long)per_level[3]);
	for (int s = 0; s < S__N; s++)
		printf(" %s=%lld", stage_names[s], (long long)per_stage[s]);
	printf(" indexes=%d rows_s=%.1f index_s=%.1f\n", nidx, t_rows, t_idx);
	return 0;
}
