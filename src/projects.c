/*
 * projects.c — the key projects ledger; see projects.h and docs/PROJECTS.md.
 */
#include "projects.h"
#include "db.h"
#include "text.h"
#include "timeutil.h"
#include "workcal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the credit code (GB 32100-2015) --------------------------------------- */

static const char CREDIT_CHARSET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

int credit_code_valid(const char *s)
{
	static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
	if (!s || strlen(s) != 18)
		return 0;
	int sum = 0;
	for (int i = 0; i < 18; i++) {
		const char *p = strchr(CREDIT_CHARSET, s[i]);
		if (!p || !s[i])
			return 0;
		if (i < 17)
			sum += (int)(p - CREDIT_CHARSET) * w[i];
	}
	return s[17] == CREDIT_CHARSET[(31 - sum % 31) % 31];
}

/* ---- money and percentages as printed ---------------------------------------- */

void money_yi(int64_t yuan, char *out, size_t outlen)
{
	int64_t h = (yuan + 500000) / 1000000; /* hundredths of 亿, half up */
	int64_t whole = h / 100, frac = h % 100;
	if (frac == 0)
		snprintf(out, outlen, "%lld", (long long)whole);
	else if (frac % 10 == 0)
		snprintf(out, outlen, "%lld.%lld", (long long)whole, (long long)(frac / 10));
	else
		snprintf(out, outlen, "%lld.%02lld", (long long)whole, (long long)frac);
}

void percent_tenths(int64_t part, int64_t whole, char *out, size_t outlen)
{
	if (whole <= 0) {
		snprintf(out, outlen, "%s", "");
		return;
	}
	int64_t t = (part * 1000 + whole / 2) / whole;
	snprintf(out, outlen, "%lld.%lld", (long long)(t / 10), (long long)(t % 10));
}

/* ---- fields ----------------------------------------------------------------- */

static int money_field(json_t *body, const char *key, int required, int64_t *out, struct zerr *err)
{
	json_t *v = json_object_get(body, key);
	if (!v || json_is_null(v)) {
		if (required)
			return zerr_set(err, ZE_MISSING_FIELD, key, "缺少金额(元,整数)",
			                "an amount in yuan is required");
		*out = 0;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > PROJECT_MONEY_MAX)
		return zerr_set(err, ZE_INVALID_FIELD, key, "金额须为不小于0的整数(元)",
		                "the amount must be a whole number of yuan, 0 or more");
	*out = json_integer_value(v);
	return 0;
}

static int text_field(json_t *body, const char *key, int required, size_t max_chars, const char **out, struct zerr *err)
{
	json_t *v = json_object_get(body, key);
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return zerr_set(err, ZE_MISSING_FIELD, key, "缺少必填项", "this field is required");
		return 0;
	}
	const char *s = json_string_value(v);
	if (!s)
		return zerr_set(err, ZE_INVALID_FIELD, key, "须为文本", "must be text");
	size_t n = utf8_chars(s);
	if ((required && (n == 0 || !s[strspn(s, " ")])) || n > max_chars) {
		char zh[96], en[96];
		snprintf(zh, sizeof zh, "长度须为1至%zu个字符", max_chars);
		snprintf(en, sizeof en, "must be 1 to %zu characters", max_chars);
		return zerr_set(err, ZE_INVALID_FIELD, key, zh, en);
	}
	if (text_has_control(s))
		return zerr_set(err, ZE_INVALID_FIELD, key, "含有控制字符", "contains control characters");
	*out = s;
	return 0;
}

/* "YYYY-MM-DD", a real date. */
static int date_field(json_t *body, const char *key, int required, const char **out, struct zerr *err)
{
	if (text_field(body, key, required, 10, out, err))
		return -1;
	if (!*out)
		return 0;
	int64_t ms;
	if (strlen(*out) != 10 || workcal_parse_time(*out, 0, &ms))
		return zerr_set(err, ZE_INVALID_FIELD, key, "日期须为 YYYY-MM-DD", "dates are YYYY-MM-DD");
	return 0;
}

static int enum_value(const char *s, const char *const *names, int n)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static const char *const LEVELS[] = {"province", "city", "district", "other"};
static const char *const STAGES[] = {"planning", "signed", "started", "building", "production", "effective"};
static const char *const BATCH_KINDS[] = {"signed", "started", "production"};

/* ---- writing ---------------------------------------------------------------- */

static const char SQL_PROJECT_INSERT[] =
        "INSERT INTO projects (code, name, level, industry, owner_credit_code, owner_name, total_investment,"
        " planned_start, planned_completion, leader, department_id, new_economy, strategic_emerging, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_BATCH_INSERT[] = "INSERT INTO project_batches (project_id, batch, kind) VALUES (?, ?, ?)";
static const char SQL_DEPT_EXISTS[] = "SELECT 1 FROM departments WHERE id = ?";

static int code_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

static int bool_field(json_t *body, const char *key, int *out, struct zerr *err)
{
	json_t *v = json_object_get(body, key);
	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return zerr_set(err, ZE_INVALID_FIELD, key, "须为 true 或 false", "must be true or false");
	*out = json_is_true(v);
	return 0;
}

int project_create(struct db *db, json_t *body, int64_t *id, struct zerr *err)
{
	const char *code, *name, *level, *industry, *credit, *owner, *start, *completion, *leader;
	int64_t total, dept = 0;
	int new_economy, strategic;
	if (text_field(body, "code", 1, 32, &code, err))
		return -1;
	if (!code_valid(code))
		return zerr_set(err, ZE_INVALID_FIELD, "code", "项目编号须为1至32位大写字母、数字或连字符",
		                "code: 1 to 32 of A-Z, 0-9 and -");
	if (text_field(body, "name", 1, 100, &name, err) || text_field(body, "level", 1, 16, &level, err))
		return -1;
	if (enum_value(level, LEVELS, 4) < 0)
		return zerr_set(err, ZE_INVALID_FIELD, "level", "级别须为 province、city、district 或 other",
		                "level must be province, city, district or other");
	if (text_field(body, "industry", 1, 32, &industry, err) ||
	    money_field(body, "total_investment", 1, &total, err) ||
	    text_field(body, "owner_credit_code", 0, 18, &credit, err) ||
	    text_field(body, "owner_name", 0, 100, &owner, err) || date_field(body, "planned_start", 0, &start, err) ||
	    date_field(body, "planned_completion", 0, &completion, err) ||
	    text_field(body, "leader", 0, 32, &leader, err) || bool_field(body, "new_economy", &new_economy, err) ||
	    bool_field(body, "strategic_emerging", &strategic, err))
		return -1;
	if (credit && !credit_code_valid(credit))
		return zerr_set(err, ZE_INVALID_FIELD, "owner_credit_code", "统一社会信用代码无效(校验位不符)",
		                "not a valid unified social credit code (check character)");
	if (start && completion && strcmp(completion, start) < 0)
		return zerr_set(err, ZE_INVALID_FIELD, "planned_completion", "计划竣工日期早于计划开工日期",
		                "planned completion before the planned start");
	json_t *jd = json_object_get(body, "department");
	if (jd && !json_is_null(jd)) {
		if (!json_is_integer(jd) || json_integer_value(jd) < 1)
			return zerr_set(err, ZE_INVALID_FIELD, "department", "部门须为编号",
			                "department must be an id");
		dept = json_integer_value(jd);
	}
	json_t *batches = json_object_get(body, "batches");
	if (batches && !json_is_null(batches) && (!json_is_array(batches) || json_array_size(batches) > 50))
		return zerr_set(err, ZE_INVALID_FIELD, "batches", "批次须为数组", "batches must be an array");
	size_t i;
	json_t *b;
	json_array_foreach (batches, i, b) {
		json_t *n = json_object_get(b, "batch");
		if (!json_is_integer(n) || json_integer_value(n) < 1 || json_integer_value(n) > 1000 ||
		    enum_value(json_string_value(json_object_get(b, "kind")), BATCH_KINDS, 3) < 0)
			return zerr_set(err, ZE_INVALID_FIELD, "batches",
			                "批次须为 {batch: 期次, kind: signed|started|production}",
			                "each batch is {batch: number, kind: signed|started|production}");
	}

	if (db_begin(db) != DB_OK)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	struct db_stmt *st;
	if (dept) {
		st = db_prepare(db, SQL_DEPT_EXISTS);
		if (!st)
			goto store_error;
		db_bind_i64(st, 1, dept);
		int rc = db_step(st);
		db_stmt_done(st);
		if (rc == DB_DONE) {
			db_rollback(db);
			return zerr_set(err, ZE_INVALID_FIELD, "department", "部门不存在", "no such department");
		}
		if (rc != DB_ROW)
			goto store_error;
	}
	st = db_prepare(db, SQL_PROJECT_INSERT);
	if (!st)
		goto store_error;
	int64_t now = time_now_ms();
	db_bind_text(st, 1, code);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, level);
	db_bind_text(st, 4, industry);
	db_bind_text(st, 5, credit);
	db_bind_text(st, 6, owner);
	db_bind_i64(st, 7, total);
	db_bind_text(st, 8, start);
	db_bind_text(st, 9, completion);
	db_bind_text(st, 10, leader);
	if (dept)
		db_bind_i64(st, 11, dept);
	else
		db_bind_null(st, 11);
	db_bind_i64(st, 12, new_economy);
	db_bind_i64(st, 13, strategic);
	db_bind_i64(st, 14, now);
	db_bind_i64(st, 15, now);
	int rc = db_step(st);
	*id = rc == DB_ROW ? db_col_i64(st, 0) : 0;
	if (rc == DB_ROW)
		rc = db_step(st);
	db_stmt_done(st);
	if (rc == DB_CONSTRAINT) {
		db_rollback(db);
		return zerr_set(err, ZE_CONFLICT, "code", "项目编号已存在", "a project with this code exists");
	}
	if (rc != DB_DONE || *id <= 0)
		goto store_error;
	json_array_foreach (batches, i, b) {
		st = db_prepare(db, SQL_BATCH_INSERT);
		if (!st)
			goto store_error;
		db_bind_i64(st, 1, *id);
		db_bind_i64(st, 2, json_integer_value(json_object_get(b, "batch")));
		db_bind_text(st, 3, json_string_value(json_object_get(b, "kind")));
		rc = db_step(st);
		db_stmt_done(st);
		if (rc == DB_CONSTRAINT) {
			db_rollback(db);
			return zerr_set(err, ZE_INVALID_FIELD, "batches", "同一批次重复", "the same batch twice");
		}
		if (rc != DB_DONE)
			goto store_error;
	}
	if (db_commit(db) != DB_OK)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	return 0;
store_error:
	db_rollback(db);
	return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
}

static const char SQL_PROJECT_EXISTS[] = "SELECT 1 FROM projects WHERE id = ?";
static const char SQL_STARTED_ON[] = "SELECT date FROM project_stages WHERE project_id = ? AND stage = 'started'";

/* 0 when the project exists, else -1 with err. */
static int project_exists(struct db *db, int64_t id, struct zerr *err)
{
	struct db_stmt *st = db_prepare(db, SQL_PROJECT_EXISTS);
	if (!st)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	db_bind_i64(st, 1, id);
	int rc = db_step(st);
	db_stmt_done(st);
	if (rc == DB_ROW)
		return 0;
	return rc == DB_DONE ? zerr_set(err, ZE_NOT_FOUND, NULL, "项目不存在", "no such project")
	                     : zerr_set(err, ZE_STORE, NULL, NULL, NULL);
}

static int year_valid(long year)
{
	return year >= 2000 && year <= 2100;
}

static const char SQL_PLAN_PUT[] = "INSERT INTO project_plans (project_id, year, planned_investment) VALUES (?, ?, ?)"
                                   " ON CONFLICT (project_id, year) DO UPDATE SET planned_investment = "
                                   "excluded.planned_investment";

int project_set_plan(struct db *db, int64_t id, long year, json_t *body, struct zerr *err)
{
	int64_t amount;
	if (!year_valid(year))
		return zerr_set(err, ZE_INVALID_FIELD, "year", "年份须在2000至2100之间", "year must be 2000 to 2100");
	if (money_field(body, "planned_investment", 1, &amount, err) || project_exists(db, id, err))
		return -1;
	struct db_stmt *st = db_prepare(db, SQL_PLAN_PUT);
	if (!st)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	db_bind_i64(st, 1, id);
	db_bind_i64(st, 2, year);
	db_bind_i64(st, 3, amount);
	int rc = db_step(st);
	db_stmt_done(st);
	return rc == DB_DONE ? 0 : zerr_set(err, ZE_STORE, NULL, NULL, NULL);
}

static const char SQL_PROGRESS_PUT[] =
        "INSERT INTO project_progress (project_id, year, month, completed_investment, note, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, year, month) DO UPDATE SET"
        " completed_investment = excluded.completed_investment, note = excluded.note, updated_at = excluded.updated_at";

int project_set_progress(struct db *db, int64_t id, long year, long month, json_t *body, struct zerr *err)
{
	int64_t amount;
	const char *note;
	if (!year_valid(year))
		return zerr_set(err, ZE_INVALID_FIELD, "year", "年份须在2000至2100之间", "year must be 2000 to 2100");
	if (month < 1 || month > 12)
		return zerr_set(err, ZE_INVALID_FIELD, "month", "月份须为1至12", "month must be 1 to 12");
	if (money_field(body, "completed_investment", 1, &amount, err) ||
	    text_field(body, "note", 0, 500, &note, err) || project_exists(db, id, err))
		return -1;
	/* No completion in a month before the project started. */
	struct db_stmt *st = db_prepare(db, SQL_STARTED_ON);
	if (!st)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	db_bind_i64(st, 1, id);
	int rc = db_step(st);
	char started[16] = "";
	if (rc == DB_ROW)
		snprintf(started, sizeof started, "%s", db_col_text(st, 0));
	db_stmt_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	char ym[16];
	snprintf(ym, sizeof ym, "%04ld-%02ld", year, month);
	if (amount > 0 && (!started[0] || strncmp(ym, started, 7) < 0))
		return zerr_set(err, ZE_INVALID_FIELD, "month",
		                started[0] ? "完成投资的月份早于项目开工" : "项目尚未开工,不能填报完成投资",
		                started[0] ? "a completion dated before the project started"
		                           : "the project has not started: no completion yet");
	st = db_prepare(db, SQL_PROGRESS_PUT);
	if (!st)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	db_bind_i64(st, 1, id);
	db_bind_i64(st, 2, year);
	db_bind_i64(st, 3, month);
	db_bind_i64(st, 4, amount);
	db_bind_text(st, 5, note);
	db_bind_i64(st, 6, time_now_ms());
	rc = db_step(st);
	db_stmt_done(st);
	return rc == DB_DONE ? 0 : zerr_set(err, ZE_STORE, NULL, NULL, NULL);
}

static const char SQL_STAGES_OF[] = "SELECT stage, date FROM project_stages WHERE project_id = ?";
static const char SQL_STAGE_PUT[] = "INSERT INTO project_stages (project_id, stage, date) VALUES (?, ?, ?)"
                                    " ON CONFLICT (project_id, stage) DO UPDATE SET date = excluded.date";
static const char SQL_PROJECT_STAGE[] =
        "UPDATE projects SET stage = (SELECT stage FROM project_stages WHERE project_id = ? ORDER BY CASE stage"
        " WHEN 'planning' THEN 0 WHEN 'signed' THEN 1 WHEN 'started' THEN 2 WHEN 'building' THEN 3 WHEN"
        " 'production' THEN 4 ELSE 5 END DESC LIMIT 1), version = version + 1, updated_at = ? WHERE id = ?";

int project_set_stage(struct db *db, int64_t id, json_t *body, struct zerr *err)
{
	const char *stage, *date;
	if (text_field(body, "stage", 1, 16, &stage, err) || date_field(body, "date", 1, &date, err))
		return -1;
	int k = enum_value(stage, STAGES, 6);
	if (k < 0)
		return zerr_set(err, ZE_INVALID_FIELD, "stage",
		                "阶段须为 planning、signed、started、building、production 或 effective",
		                "stage must be planning, signed, started, building, production or effective");
	if (db_begin(db) != DB_OK)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	if (project_exists(db, id, err)) {
		db_rollback(db);
		return -1;
	}
	/* Stages in order: no stage dated before an earlier one or after a later one. */
	struct db_stmt *st = db_prepare(db, SQL_STAGES_OF);
	if (!st)
		goto store_error;
	db_bind_i64(st, 1, id);
	int rc, bad = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		int other = enum_value(db_col_text(st, 0), STAGES, 6);
		const char *d = db_col_text(st, 1);
		if ((other < k && strcmp(d, date) > 0) || (other > k && strcmp(d, date) < 0))
			bad = 1;
	}
	db_stmt_done(st);
	if (rc != DB_DONE)
		goto store_error;
	if (bad) {
		db_rollback(db);
		return zerr_set(err, ZE_INVALID_FIELD, "date", "阶段日期与其他阶段的先后顺序不符",
		                "the date is out of order with the project's other stages");
	}
	st = db_prepare(db, SQL_STAGE_PUT);
	if (!st)
		goto store_error;
	db_bind_i64(st, 1, id);
	db_bind_text(st, 2, stage);
	db_bind_text(st, 3, date);
	rc = db_step(st);
	db_stmt_done(st);
	if (rc != DB_DONE)
		goto store_error;
	st = db_prepare(db, SQL_PROJECT_STAGE);
	if (!st)
		goto store_error;
	db_bind_i64(st, 1, id);
	db_bind_i64(st, 2, time_now_ms());
	db_bind_i64(st, 3, id);
	rc = db_step(st);
	db_stmt_done(st);
	if (rc != DB_DONE)
		goto store_error;
	if (db_commit(db) != DB_OK)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	return 0;
store_error:
	db_rollback(db);
	return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
}

/* ---- figures ------------------------------------------------------------------ */

/* The projects a filter selects: p's level among the chosen, and batch membership. */
#define PROJECT_FILTER                                                                                                 \
	" (? = 0 OR (? & (CASE p.level WHEN 'province' THEN 1 WHEN 'city' THEN 2 WHEN 'district' THEN 4 ELSE 8 END))"  \
	" <> 0) AND (? = 0 OR EXISTS (SELECT 1 FROM project_batches b WHERE b.project_id = p.id AND b.batch = ?))"

static const char SQL_SUM_PROJECTS[] =
        "SELECT count(*), coalesce(sum(p.total_investment), 0) FROM projects p WHERE" PROJECT_FILTER;
static const char SQL_SUM_PLAN[] =
        "SELECT coalesce(sum(pl.planned_investment), 0) FROM project_plans pl JOIN projects p"
        " ON p.id = pl.project_id WHERE pl.year = ? AND" PROJECT_FILTER;
static const char SQL_SUM_DONE[] =
        "SELECT coalesce(sum(pr.completed_investment), 0) FROM project_progress pr JOIN"
        " projects p ON p.id = pr.project_id WHERE pr.year = ? AND pr.month <= ? AND" PROJECT_FILTER;
static const char SQL_IN_PRODUCTION[] =
        "SELECT count(DISTINCT s.project_id) FROM project_stages s JOIN projects p ON p.id = s.project_id"
        " WHERE s.stage IN ('production', 'effective') AND s.date <= ? AND" PROJECT_FILTER;

static int bind_filter(struct db_stmt *st, int at, const struct project_filter *f)
{
	db_bind_i64(st, at++, f->levels);
	db_bind_i64(st, at++, f->levels);
	db_bind_i64(st, at++, f->batch);
	db_bind_i64(st, at++, f->batch);
	return at;
}

/* Runs a one-row sum statement whose leading binds are lead[0..nlead). */
static int sum_of(struct db *db, const char *sql, const int64_t *lead, int nlead, const struct project_filter *f,
                  int64_t *a, int64_t *b)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	for (int i = 0; i < nlead; i++)
		db_bind_i64(st, i + 1, lead[i]);
	bind_filter(st, nlead + 1, f);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*a = db_col_i64(st, 0);
		if (b)
			*b = db_col_i64(st, 1);
	}
	db_stmt_done(st);
	return rc == DB_ROW ? 0 : -1;
}

static const char *levels_zh(unsigned levels, char *out, size_t outlen)
{
	static const char *const zh[] = {"省", "市", "区"};
	out[0] = '\0';
	size_t n = 0;
	for (int i = 0; i < 3; i++)
		if (levels & (1u << i))
			n += (size_t)snprintf(out + n, outlen - n, "%s", zh[i]);
	return out;
}

json_t *project_summary(struct db *db, const struct project_filter *f, struct zerr *err)
{
	int64_t count = 0, total = 0, plan = 0, done = 0, in_production = 0;
	int64_t year = f->year, month = f->month;
	char end_of_month[16];
	snprintf(end_of_month, sizeof end_of_month, "%04d-%02d-31", f->year, f->month);
	struct db_stmt *st;
	int tx = db_read_begin(db) == DB_OK;
	int rc = sum_of(db, SQL_SUM_PROJECTS, NULL, 0, f, &count, &total) ||
	         sum_of(db, SQL_SUM_PLAN, &year, 1, f, &plan, NULL);
	int64_t ym[2] = {year, month};
	rc = rc || sum_of(db, SQL_SUM_DONE, ym, 2, f, &done, NULL);
	if (!rc) {
		st = db_prepare(db, SQL_IN_PRODUCTION);
		rc = !st;
		if (st) {
			db_bind_text(st, 1, end_of_month);
			bind_filter(st, 2, f);
			rc = db_step(st) != DB_ROW;
			if (!rc)
				in_production = db_col_i64(st, 0);
			db_stmt_done(st);
		}
	}
	if (tx)
		db_read_end(db);
	if (rc) {
		zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		return NULL;
	}
	char pct[32], t_total[32], t_plan[32], t_done[32], lv[32], text[512];
	percent_tenths(done, plan, pct, sizeof pct);
	money_yi(total, t_total, sizeof t_total);
	money_yi(plan, t_plan, sizeof t_plan);
	money_yi(done, t_done, sizeof t_done);
	/* The seeds' sentence (seed 000), with their half-width commas. */
	snprintf(text, sizeof text,
	         "%d年,经开区实施%s重点项目%lld个,概算总投资%s亿元,年度计划投资%s亿元,截至%d年%d月底已实际完成投资%"
	         "s亿元,"
	         "占年度计划的%s%%。其中,%lld个项目建成投产。",
	         f->year, levels_zh(f->levels, lv, sizeof lv), (long long)count, t_total, t_plan, f->year, f->month,
	         t_done, pct[0] ? pct : "-", (long long)in_production);
	return json_pack("{s:I,s:I,s:I,s:I,s:s?,s:I,s:s}", "count", (json_int_t)count, "total_investment",
	                 (json_int_t)total, "annual_plan", (json_int_t)plan, "completed", (json_int_t)done,
	                 "completion_pct", pct[0] ? pct : NULL, "in_production", (json_int_t)in_production, "text",
	                 text);
}
