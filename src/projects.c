/*
 * projects.c — the key projects ledger; see projects.h and docs/PROJECTS.md.
 */
#include "projects.h"
#include "buf.h"
#include "db.h"
#include "photos.h"
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
        " updated_at, unit_code, lat, lon) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_UNIT_EXISTS[] = "SELECT 1 FROM units WHERE code = ?";

/* The optional location of a body: "unit" (a unit code, which must exist: the
 * API sets it from the point) and "lat"/"lon" (WGS-84, both or neither).
 * *has is 0 when none is given. Returns 0 or -1 with err. */
static int location_fields(struct db *db, json_t *body, int *has, const char **unit, double *lat, double *lon,
                           struct zerr *err)
{
	json_t *jl = json_object_get(body, "lat"), *jo = json_object_get(body, "lon"),
	       *ju = json_object_get(body, "unit");
	*has = 0;
	*unit = NULL;
	if ((!jl || json_is_null(jl)) && (!jo || json_is_null(jo)) && (!ju || json_is_null(ju)))
		return 0;
	if (!json_is_number(jl) || !json_is_number(jo) || json_number_value(jl) < -90 || json_number_value(jl) > 90 ||
	    json_number_value(jo) < -180 || json_number_value(jo) > 180)
		return zerr_set(err, ZE_INVALID_FIELD, "lat", "项目位置须为经纬度(lat 与 lon)",
		                "the location needs lat and lon (WGS-84)");
	*lat = json_number_value(jl);
	*lon = json_number_value(jo);
	*has = 1;
	if (ju && !json_is_null(ju)) {
		if (!json_is_string(ju) || json_string_length(ju) > 40)
			return zerr_set(err, ZE_INVALID_FIELD, "unit", "单元编码无效", "not a unit code");
		struct db_stmt *st = db_prepare(db, SQL_UNIT_EXISTS);
		if (!st)
			return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		db_bind_text(st, 1, json_string_value(ju));
		int rc = db_step(st);
		db_stmt_done(st);
		if (rc == DB_DONE)
			return zerr_set(err, ZE_INVALID_FIELD, "unit", "单元不存在", "no such unit");
		if (rc != DB_ROW)
			return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		*unit = json_string_value(ju);
	}
	return 0;
}
static const char SQL_BATCH_INSERT[] = "INSERT INTO project_batches (project_id, batch, kind) VALUES (?, ?, ?)";
static const char SQL_DEPT_EXISTS[] = "SELECT 1 FROM departments WHERE id = ?";

/* 0 when department dept exists; -1 with err (invalid_field "department", or
 * the store's error). Call inside the caller's transaction. */
static int department_known(struct db *db, int64_t dept, struct zerr *err)
{
	struct db_stmt *st = db_prepare(db, SQL_DEPT_EXISTS);
	if (!st)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	db_bind_i64(st, 1, dept);
	int rc = db_step(st);
	db_stmt_done(st);
	if (rc == DB_DONE)
		return zerr_set(err, ZE_INVALID_FIELD, "department", "部门不存在", "no such department");
	return rc == DB_ROW ? 0 : zerr_set(err, ZE_STORE, NULL, NULL, NULL);
}

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
	int has_location;
	const char *unit;
	double lat = 0, lon = 0;
	if (location_fields(db, body, &has_location, &unit, &lat, &lon, err))
		return -1;
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
	if (dept && department_known(db, dept, err)) {
		db_rollback(db);
		return -1;
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
	db_bind_text(st, 16, unit);
	if (has_location) {
		db_bind_double(st, 17, lat);
		db_bind_double(st, 18, lon);
	} else {
		db_bind_null(st, 17);
		db_bind_null(st, 18);
	}
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

static const char SQL_PROGRESS_PHOTOS_CLEAR[] =
        "DELETE FROM project_progress_photos WHERE project_id = ? AND year = ? AND month = ?";
static const char SQL_PHOTO_KNOWN[] = "SELECT 1 FROM photos WHERE sha256 = ?";
static const char SQL_PROGRESS_PHOTO_ADD[] =
        "INSERT INTO project_progress_photos (project_id, year, month, sha256, seq) VALUES (?, ?, ?, ?, ?)";

/* The month's photos become exactly ids (inside the caller's transaction). */
static int progress_photos_put(struct db *db, int64_t id, long year, long month, const char *const *ids, int n,
                               struct zerr *err)
{
	struct db_stmt *st = db_prepare(db, SQL_PROGRESS_PHOTOS_CLEAR);
	if (!st)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	db_bind_i64(st, 1, id);
	db_bind_i64(st, 2, year);
	db_bind_i64(st, 3, month);
	int rc = db_step(st);
	db_stmt_done(st);
	for (int i = 0; rc == DB_DONE && i < n; i++) {
		st = db_prepare(db, SQL_PHOTO_KNOWN);
		if (!st)
			return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		db_bind_text(st, 1, ids[i]);
		rc = db_step(st);
		db_stmt_done(st);
		if (rc == DB_DONE)
			return zerr_set(err, ZE_INVALID_FIELD, "photos", "照片尚未上传",
			                "a photo that was never uploaded");
		if (rc != DB_ROW)
			break;
		st = db_prepare(db, SQL_PROGRESS_PHOTO_ADD);
		if (!st)
			return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		db_bind_i64(st, 1, id);
		db_bind_i64(st, 2, year);
		db_bind_i64(st, 3, month);
		db_bind_text(st, 4, ids[i]);
		db_bind_i64(st, 5, i + 1);
		rc = db_step(st);
		db_stmt_done(st);
	}
	return rc == DB_DONE ? 0 : zerr_set(err, ZE_STORE, NULL, NULL, NULL);
}

int project_set_progress(struct db *db, int64_t id, long year, long month, json_t *body, struct zerr *err)
{
	int64_t amount;
	const char *note;
	const char *photos[PHOTO_MAX_PER_CASE];
	int nphotos = 0;
	int with_photos = json_object_get(body, "photos") != NULL;
	if (photo_ids_from_json(body, photos, &nphotos, err))
		return -1;
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
	/* The month and its photos together, or nothing (a transaction of its own unless the caller has one). */
	int own_tx = !db->in_tx;
	if (own_tx && db_begin(db) != DB_OK)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	st = db_prepare(db, SQL_PROGRESS_PUT);
	if (!st) {
		if (own_tx)
			db_rollback(db);
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	}
	db_bind_i64(st, 1, id);
	db_bind_i64(st, 2, year);
	db_bind_i64(st, 3, month);
	db_bind_i64(st, 4, amount);
	db_bind_text(st, 5, note);
	db_bind_i64(st, 6, time_now_ms());
	rc = db_step(st);
	db_stmt_done(st);
	int bad = rc != DB_DONE ? zerr_set(err, ZE_STORE, NULL, NULL, NULL) : 0;
	if (!bad && with_photos)
		bad = progress_photos_put(db, id, year, month, photos, nphotos, err);
	if (own_tx) {
		if (bad)
			db_rollback(db);
		else if (db_commit(db) != DB_OK)
			return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	}
	return bad ? -1 : 0;
}

static const char SQL_PROGRESS_PHOTOS_OF[] =
        "SELECT pp.year, pp.month, p.sha256, p.mime, p.width, p.height FROM project_progress_photos pp JOIN photos p"
        " ON p.sha256 = pp.sha256 WHERE pp.project_id = ? ORDER BY pp.year, pp.month, pp.seq";

/* Adds "photos" to each month of progress (an array of {year, month, ...}). */
static int progress_photos_json(struct db *db, int64_t id, json_t *progress)
{
	size_t i;
	json_t *m;
	json_array_foreach (progress, i, m)
		json_object_set_new(m, "photos", json_array());
	struct db_stmt *st = db_prepare(db, SQL_PROGRESS_PHOTOS_OF);
	if (!st)
		return -1;
	db_bind_i64(st, 1, id);
	int rc;
	size_t at = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		json_int_t y = db_col_i64(st, 0), mo = db_col_i64(st, 1);
		/* Both lists are in (year, month) order. */
		for (; at < json_array_size(progress); at++) {
			json_t *p = json_array_get(progress, at);
			json_int_t py = json_integer_value(json_object_get(p, "year"));
			json_int_t pm = json_integer_value(json_object_get(p, "month"));
			if (py > y || (py == y && pm >= mo))
				break;
		}
		json_t *p = json_array_get(progress, at);
		if (p && json_integer_value(json_object_get(p, "year")) == y &&
		    json_integer_value(json_object_get(p, "month")) == mo)
			json_array_append_new(json_object_get(p, "photos"),
			                      json_pack("{s:s,s:s,s:i,s:i}", "id", db_col_text(st, 2), "mime",
			                                db_col_text(st, 3), "width", (int)db_col_i64(st, 4), "height",
			                                (int)db_col_i64(st, 5)));
	}
	db_stmt_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static const char SQL_PROGRESS_PHOTO_FILE[] =
        "SELECT p.mime, p.size FROM project_progress_photos pp JOIN photos p ON p.sha256 = pp.sha256"
        " WHERE pp.project_id = ? AND pp.sha256 = ? LIMIT 1";

int project_photo_file(struct db *db, const char *dir, int64_t id, const char *photo, char *path, size_t pathlen,
                       char *mime, int64_t *size)
{
	return photo_file_linked(db, SQL_PROGRESS_PHOTO_FILE, id, dir, photo, path, pathlen, mime, size);
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

/* ---- the filter ---------------------------------------------------------------- */

int project_level_index(const char *s)
{
	return enum_value(s, LEVELS, 4);
}

int project_stage_index(const char *s)
{
	return enum_value(s, STAGES, 6);
}

/*
 * A statement built at run time from the filters present, each condition
 * appended only when its filter is given and every value bound (never
 * formatted into the SQL); prepared per request like the case list.
 */
#define PQ_MAX_BINDS 32

struct pq {
	struct buf sql;
	int n;
	struct {
		const char *s; /* text, or NULL for i */
		int64_t i;
	} b[PQ_MAX_BINDS];
	char like[512]; /* q as a LIKE pattern, alive as long as the statement */
};

static void pq_init(struct pq *q, const char *head)
{
	buf_init(&q->sql, 16384);
	q->n = 0;
	q->like[0] = '\0';
	buf_puts(&q->sql, head);
}

static void pq_text(struct pq *q, const char *s)
{
	if (q->n < PQ_MAX_BINDS)
		q->b[q->n].s = s, q->b[q->n].i = 0;
	q->n++;
}

static void pq_int(struct pq *q, int64_t v)
{
	if (q->n < PQ_MAX_BINDS)
		q->b[q->n].s = NULL, q->b[q->n].i = v;
	q->n++;
}

/* Appends " AND <condition>" on projects p for each filter present. */
static void pq_filter(struct pq *q, const struct project_filter *f)
{
	if (f->levels & 15u) {
		const char *sep = " AND p.level IN (";
		for (int i = 0; i < 4; i++) {
			if (!(f->levels & (1u << i)))
				continue;
			buf_printf(&q->sql, "%s?", sep);
			pq_text(q, LEVELS[i]);
			sep = ", ";
		}
		buf_putc(&q->sql, ')');
	}
	if (f->batch > 0) {
		buf_puts(&q->sql, " AND p.id IN (SELECT project_id FROM project_batches WHERE batch = ?)");
		pq_int(q, f->batch);
	}
	if (f->industry && *f->industry) {
		buf_puts(&q->sql, " AND p.industry = ?");
		pq_text(q, f->industry);
	}
	if (f->leader && *f->leader) {
		buf_puts(&q->sql, " AND p.leader = ?");
		pq_text(q, f->leader);
	}
	if (f->department > 0) {
		buf_puts(&q->sql, " AND p.department_id = ?");
		pq_int(q, f->department);
	}
	if (f->stage && *f->stage) {
		buf_puts(&q->sql, " AND p.stage = ?");
		pq_text(q, f->stage);
	}
	if (text_like_pattern(f->q, q->like, sizeof q->like)) {
		buf_puts(&q->sql, " AND (p.code LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\')");
		pq_text(q, q->like);
		pq_text(q, q->like);
	}
}

static struct db_stmt *pq_prepare(struct db *db, struct pq *q)
{
	if (q->n > PQ_MAX_BINDS || q->sql.err)
		return NULL;
	struct db_stmt *st = db_prepare_once(db, buf_cstr(&q->sql));
	for (int i = 0; st && i < q->n; i++) {
		if (q->b[i].s)
			db_bind_text(st, i + 1, q->b[i].s);
		else
			db_bind_i64(st, i + 1, q->b[i].i);
	}
	return st;
}

static void pq_done(struct pq *q, struct db_stmt *st)
{
	db_stmt_done(st);
	buf_release(&q->sql);
}

/* The last day of the filter's month as text ("YYYY-MM-31" compares right with any day of it). */
static void month_end(const struct project_filter *f, char out[16])
{
	snprintf(out, 16, "%04d-%02d-31", f->year % 10000, f->month % 100);
}

/* ---- figures ------------------------------------------------------------------ */

/* Project p's completed investment in year ?, months 1..? (the primary key serves it). */
#define SQL_DONE_OF_P                                                                                                  \
	"(SELECT sum(pr.completed_investment) FROM project_progress pr WHERE pr.project_id = p.id AND pr.year = ? AND" \
	" pr.month <= ?)"
/* The order of the stages, for "reached at least". */
#define SQL_STAGE_RANK(col)                                                                                            \
	"CASE " col " WHEN 'planning' THEN 0 WHEN 'signed' THEN 1 WHEN 'started' THEN 2 WHEN 'building' THEN 3 WHEN"   \
	" 'production' THEN 4 WHEN 'effective' THEN 5 END"

struct figures {
	int64_t count, total, plan, done, in_production;
};

/* 1 when f narrows the projects by something more selective than their level. */
static int few_projects(const struct project_filter *f)
{
	return f->batch > 0 || f->department > 0 || (f->leader && *f->leader) || (f->industry && *f->industry) ||
	       (f->stage && *f->stage) || (f->q && *f->q);
}

/* The year's figures over the projects f selects, one statement per group: the projects'
 * own (count, total, plan, in production: a pass over the projects with primary-key lookups),
 * then the year's progress (the year index, joined to the projects on their key). */
static int figures_of(struct db *db, const struct project_filter *f, struct figures *g)
{
	char end[16];
	month_end(f, end);
	struct pq q;
	pq_init(&q, "SELECT count(*), coalesce(sum(p.total_investment), 0), coalesce(sum(pl.planned_investment), 0),"
	            " coalesce(sum(CASE WHEN EXISTS (SELECT 1 FROM project_stages s WHERE s.project_id = p.id AND"
	            " s.stage IN ('production', 'effective') AND s.date <= ?) THEN 1 ELSE 0 END), 0) FROM projects p"
	            " LEFT JOIN project_plans pl ON pl.project_id = p.id AND pl.year = ? WHERE 1 = 1");
	pq_text(&q, end);
	pq_int(&q, f->year);
	pq_filter(&q, f);
	struct db_stmt *st = pq_prepare(db, &q);
	int rc = st ? db_step(st) : DB_ERROR;
	if (rc == DB_ROW) {
		g->count = db_col_i64(st, 0);
		g->total = db_col_i64(st, 1);
		g->plan = db_col_i64(st, 2);
		g->in_production = db_col_i64(st, 3);
	}
	pq_done(&q, st);
	if (rc != DB_ROW)
		return -1;
	/* A filter that picks few projects (an index or a short list) reads their progress by the primary
	 * key, project by project (leader: 4 ms for 250 of 10,000 projects); otherwise one pass over the
	 * year's progress beats 10,000 look-ups (30 ms against 60 ms; docs/PROJECTS.md, "Performance").
	 * Both read the covering index project_progress_amounts (migration 10), no table row: the "+"
	 * keeps the pass off project_progress_year (year, month), which would fetch every row for its
	 * amount (bench/projects: 14 → 8.5 ms for 10,000 projects, 23 → 12 ms with a level). */
	if (few_projects(f))
		pq_init(&q, "SELECT coalesce(sum(" SQL_DONE_OF_P "), 0) FROM projects p WHERE 1 = 1");
	else
		pq_init(&q, "SELECT coalesce(sum(pr.completed_investment), 0) FROM project_progress pr JOIN projects p"
		            " ON p.id = pr.project_id WHERE pr.year = ? AND +pr.month <= ?");
	pq_int(&q, f->year);
	pq_int(&q, f->month);
	pq_filter(&q, f);
	st = pq_prepare(db, &q);
	rc = st ? db_step(st) : DB_ERROR;
	if (rc == DB_ROW)
		g->done = db_col_i64(st, 0);
	pq_done(&q, st);
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

/* A percentage string or JSON null (no plan). */
static json_t *pct_json(int64_t part, int64_t whole)
{
	char pct[32];
	percent_tenths(part, whole, pct, sizeof pct);
	return pct[0] ? json_string(pct) : json_null();
}

json_t *project_summary(struct db *db, const struct project_filter *f, struct zerr *err)
{
	struct figures g = {0, 0, 0, 0, 0};
	int tx = db_read_begin(db) == DB_OK;
	int rc = figures_of(db, f, &g);
	if (tx)
		db_read_end(db);
	if (rc) {
		zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		return NULL;
	}
	char pct[32], t_total[32], t_plan[32], t_done[32], lv[32], text[512];
	percent_tenths(g.done, g.plan, pct, sizeof pct);
	money_yi(g.total, t_total, sizeof t_total);
	money_yi(g.plan, t_plan, sizeof t_plan);
	money_yi(g.done, t_done, sizeof t_done);
	/* The seeds' sentence (seed 000), with their half-width commas. */
	snprintf(text, sizeof text,
	         "%d年,经开区实施%s重点项目%lld个,概算总投资%s亿元,年度计划投资%s亿元,截至%d年%d月底已实际完成投资%"
	         "s亿元,"
	         "占年度计划的%s%%。其中,%lld个项目建成投产。",
	         f->year, levels_zh(f->levels, lv, sizeof lv), (long long)g.count, t_total, t_plan, f->year, f->month,
	         t_done, pct[0] ? pct : "-", (long long)g.in_production);
	return json_pack("{s:I,s:I,s:I,s:I,s:s?,s:I,s:s}", "count", (json_int_t)g.count, "total_investment",
	                 (json_int_t)g.total, "annual_plan", (json_int_t)g.plan, "completed", (json_int_t)g.done,
	                 "completion_pct", pct[0] ? pct : NULL, "in_production", (json_int_t)g.in_production, "text",
	                 text);
}

/* ---- the list and one project ---------------------------------------------------- */

/* The columns of P (project_row_json), with DONE the project's completion (an expression). */
#define SQL_P_COLS(DONE)                                                                                               \
	"p.id, p.code, p.name, p.level, p.industry, p.owner_name, p.owner_credit_code, p.leader, p.department_id,"     \
	" d.name, p.stage, (SELECT s.date FROM project_stages s WHERE s.project_id = p.id AND s.stage = p.stage) AS"   \
	" stage_date, p.planned_start, p.planned_completion, p.total_investment, coalesce(pl.planned_investment, 0)"   \
	" AS plan, coalesce(" DONE ", 0) AS done, p.new_economy, p.strategic_emerging, p.version, p.unit_code,"        \
	" (SELECT u.name FROM units u WHERE u.code = p.unit_code) AS unit_name, p.lat, p.lon"
/* Where they come from; binds: the plan's year. */
#define SQL_P_JOINS                                                                                                    \
	" FROM projects p LEFT JOIN project_plans pl ON pl.project_id = p.id AND pl.year = ? LEFT JOIN departments d"  \
	" ON d.id = p.department_id"

static json_t *text_or_null(struct db_stmt *st, int col)
{
	return db_col_is_null(st, col) ? json_null() : json_string(db_col_text(st, col));
}

static json_t *project_row_json(struct db_stmt *st)
{
	int64_t plan = db_col_i64(st, 15), done = db_col_i64(st, 16);
	json_t *p = json_object();
	json_object_set_new(p, "id", json_integer(db_col_i64(st, 0)));
	json_object_set_new(p, "code", json_string(db_col_text(st, 1)));
	json_object_set_new(p, "name", json_string(db_col_text(st, 2)));
	json_object_set_new(p, "level", json_string(db_col_text(st, 3)));
	json_object_set_new(p, "industry", json_string(db_col_text(st, 4)));
	json_object_set_new(p, "owner_name", text_or_null(st, 5));
	json_object_set_new(p, "owner_credit_code", text_or_null(st, 6));
	json_object_set_new(p, "leader", text_or_null(st, 7));
	json_object_set_new(p, "department",
	                    db_col_is_null(st, 8) ? json_null()
	                                          : json_pack("{s:I,s:s}", "id", (json_int_t)db_col_i64(st, 8), "name",
	                                                      db_col_text(st, 9)));
	json_object_set_new(p, "stage", json_string(db_col_text(st, 10)));
	json_object_set_new(p, "stage_date", text_or_null(st, 11));
	json_object_set_new(p, "planned_start", text_or_null(st, 12));
	json_object_set_new(p, "planned_completion", text_or_null(st, 13));
	json_object_set_new(p, "total_investment", json_integer(db_col_i64(st, 14)));
	json_object_set_new(p, "annual_plan", json_integer(plan));
	json_object_set_new(p, "completed", json_integer(done));
	json_object_set_new(p, "completion_pct", pct_json(done, plan));
	json_object_set_new(p, "new_economy", json_boolean(db_col_i64(st, 17)));
	json_object_set_new(p, "strategic_emerging", json_boolean(db_col_i64(st, 18)));
	json_object_set_new(p, "batches", json_array());
	json_object_set_new(p, "version", json_integer(db_col_i64(st, 19)));
	json_object_set_new(p, "unit",
	                    db_col_is_null(st, 20) ? json_null()
	                                           : json_pack("{s:s,s:s?}", "code", db_col_text(st, 20), "name",
	                                                       db_col_is_null(st, 21) ? NULL : db_col_text(st, 21)));
	json_object_set_new(p, "location",
	                    db_col_is_null(st, 22) ? json_null()
	                                           : json_pack("{s:f,s:f}", "lat", db_col_double(st, 22), "lon",
	                                                       db_col_double(st, 23)));
	return p;
}

static const char SQL_BATCHES_OF[] = "SELECT batch, kind FROM project_batches WHERE project_id = ? ORDER BY batch,"
                                     " CASE kind WHEN 'signed' THEN 0 WHEN 'started' THEN 1 ELSE 2 END";

/* Fills P's "batches"; -1 on a store error. */
static int fill_batches(struct db *db, json_t *p)
{
	struct db_stmt *st = db_prepare(db, SQL_BATCHES_OF);
	if (!st)
		return -1;
	json_t *arr = json_object_get(p, "batches");
	db_bind_i64(st, 1, json_integer_value(json_object_get(p, "id")));
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(arr, json_pack("{s:I,s:s}", "batch", (json_int_t)db_col_i64(st, 0), "kind",
		                                     db_col_text(st, 1)));
	db_stmt_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int project_sort_parse(const char *s)
{
	static const char *const names[] = {"code",        "name",      "total_investment",
	                                    "annual_plan", "completed", "completion_pct"};
	return enum_value(s, names, 6);
}

static json_t *totals_json(const struct figures *g)
{
	json_t *t =
	        json_pack("{s:I,s:I,s:I,s:I}", "count", (json_int_t)g->count, "total_investment", (json_int_t)g->total,
	                  "annual_plan", (json_int_t)g->plan, "completed", (json_int_t)g->done);
	json_object_set_new(t, "completion_pct", pct_json(g->done, g->plan));
	return t;
}

json_t *project_list(struct db *db, const struct project_filter *f, enum project_sort sort, int desc, int page,
                     int per_page, struct zerr *err)
{
	static const char *const order_by[] = {
	        "p.code", "p.name", "p.total_investment", "coalesce(pl.planned_investment, 0)", NULL, NULL};
	struct figures g = {0, 0, 0, 0, 0};
	json_t *items = json_array();
	int tx = db_read_begin(db) == DB_OK;
	int rc = figures_of(db, f, &g);
	if (!rc) {
		struct pq q;
		const char *dir = desc ? "DESC" : "ASC";
		if (sort == PS_PCT || sort == PS_DONE) {
			/* The order needs every match's completion: the year's progress summed once. */
			pq_init(&q, "SELECT * FROM (SELECT " SQL_P_COLS("dn.done") SQL_P_JOINS
			        " LEFT JOIN (SELECT pr.project_id, sum(pr.completed_investment) AS done FROM"
			        " project_progress pr WHERE pr.year = ? AND pr.month <= ? GROUP BY pr.project_id) dn ON"
			        " dn.project_id = p.id WHERE 1 = 1");
			pq_int(&q, f->year);
			pq_int(&q, f->year);
			pq_int(&q, f->month);
			pq_filter(&q, f);
			if (sort == PS_PCT) /* projects without a plan (no percentage) last either way */
				buf_printf(
				        &q.sql,
				        ") x ORDER BY CASE WHEN x.plan > 0 THEN 0 ELSE 1 END, CASE WHEN x.plan > 0 THEN"
				        " (x.done * 1000 + x.plan / 2) / x.plan END %s, x.id %s",
				        dir, dir);
			else
				buf_printf(&q.sql, ") x ORDER BY x.done %s, x.id %s", dir, dir);
			buf_puts(&q.sql, " LIMIT ? OFFSET ?");
			pq_int(&q, per_page);
			pq_int(&q, (int64_t)(page - 1) * per_page);
		} else {
			/* The page's projects first, then their figures (only per_page of them). */
			pq_init(&q, "SELECT " SQL_P_COLS(
			                    SQL_DONE_OF_P) " FROM (SELECT p.id AS pid FROM projects p LEFT JOIN"
			                                   " project_plans pl ON pl.project_id = p.id AND pl.year = ? "
			                                   "WHERE 1 = 1");
			pq_int(&q, f->year);
			pq_int(&q, f->month);
			pq_int(&q, f->year);
			pq_filter(&q, f);
			buf_printf(&q.sql,
			           " ORDER BY %s %s, p.id %s LIMIT ? OFFSET ?) pg JOIN projects p ON p.id = pg.pid",
			           order_by[sort], dir, dir);
			pq_int(&q, per_page);
			pq_int(&q, (int64_t)(page - 1) * per_page);
			buf_printf(&q.sql,
			           " LEFT JOIN project_plans pl ON pl.project_id = p.id AND pl.year = ? LEFT JOIN "
			           "departments d"
			           " ON d.id = p.department_id ORDER BY %s %s, p.id %s",
			           order_by[sort], dir, dir);
			pq_int(&q, f->year);
		}
		struct db_stmt *st = pq_prepare(db, &q);
		int s = st ? DB_ROW : DB_ERROR;
		while (st && (s = db_step(st)) == DB_ROW)
			json_array_append_new(items, project_row_json(st));
		pq_done(&q, st);
		rc = s != DB_DONE;
		size_t i;
		json_t *p;
		json_array_foreach (items, i, p)
			rc = rc || fill_batches(db, p);
	}
	if (tx)
		db_read_end(db);
	if (rc) {
		json_decref(items);
		zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		return NULL;
	}
	return json_pack("{s:o,s:I,s:i,s:i,s:i,s:i,s:o}", "items", items, "total", (json_int_t)g.count, "page", page,
	                 "per_page", per_page, "year", f->year, "month", f->month, "totals", totals_json(&g));
}

static const char SQL_PLANS_OF[] =
        "SELECT year, planned_investment FROM project_plans WHERE project_id = ? ORDER BY year";
static const char SQL_PROGRESS_OF[] = "SELECT year, month, completed_investment, note, updated_at FROM"
                                      " project_progress WHERE project_id = ? ORDER BY year, month";
static const char SQL_STAGES_IN_ORDER[] =
        "SELECT stage, date FROM project_stages WHERE project_id = ? ORDER BY " SQL_STAGE_RANK("stage");
static const char SQL_CASES_OF[] =
        "SELECT c.id, c.number, c.status, c.category_code, k.name, c.overdue, c.created_at FROM cases c JOIN"
        " categories k ON k.code = c.category_code WHERE c.project_id = ? ORDER BY c.id DESC LIMIT 1000";

/* Runs one of the project's detail statements and appends a JSON object per row. */
static int detail_rows(struct db *db, const char *sql, int64_t id, json_t *arr, int what)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	db_bind_i64(st, 1, id);
	int rc;
	int64_t cumulative = 0, year = 0;
	char iso[40];
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *o = NULL;
		if (what == 0) {
			o = json_pack("{s:I,s:I}", "year", (json_int_t)db_col_i64(st, 0), "planned_investment",
			              (json_int_t)db_col_i64(st, 1));
		} else if (what == 1) {
			if (db_col_i64(st, 0) != year)
				year = db_col_i64(st, 0), cumulative = 0;
			cumulative += db_col_i64(st, 2);
			time_format_iso(db_col_i64(st, 4), iso, sizeof iso);
			o = json_pack("{s:I,s:I,s:I,s:I,s:o,s:s}", "year", (json_int_t)year, "month",
			              (json_int_t)db_col_i64(st, 1), "completed_investment",
			              (json_int_t)db_col_i64(st, 2), "cumulative", (json_int_t)cumulative, "note",
			              text_or_null(st, 3), "updated_at", iso);
		} else if (what == 2) {
			o = json_pack("{s:s,s:s}", "stage", db_col_text(st, 0), "date", db_col_text(st, 1));
		} else {
			time_format_iso(db_col_i64(st, 6), iso, sizeof iso);
			o = json_pack("{s:I,s:s,s:s,s:{s:s,s:s},s:b,s:s}", "id", (json_int_t)db_col_i64(st, 0),
			              "number", db_col_text(st, 1), "status", db_col_text(st, 2), "category", "code",
			              db_col_text(st, 3), "name", db_col_text(st, 4), "overdue", (int)db_col_i64(st, 5),
			              "created_at", iso);
		}
		json_array_append_new(arr, o);
	}
	db_stmt_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* P of one project within an open read; 1 when there is none, -1 on error. */
static int project_row(struct db *db, int64_t id, int year, int month, json_t **out)
{
	struct pq q;
	pq_init(&q, "SELECT " SQL_P_COLS(SQL_DONE_OF_P) SQL_P_JOINS " WHERE p.id = ?");
	pq_int(&q, year);
	pq_int(&q, month);
	pq_int(&q, year);
	pq_int(&q, id);
	struct db_stmt *st = pq_prepare(db, &q);
	int rc = st ? db_step(st) : DB_ERROR;
	*out = rc == DB_ROW ? project_row_json(st) : NULL;
	pq_done(&q, st);
	if (rc == DB_ROW)
		return fill_batches(db, *out);
	return rc == DB_DONE ? 1 : -1;
}

json_t *project_get(struct db *db, int64_t id, int year, int month, struct zerr *err)
{
	json_t *p = NULL;
	int tx = db_read_begin(db) == DB_OK;
	int rc = project_row(db, id, year, month, &p);
	if (rc == 0) {
		static const char *const keys[] = {"plans", "progress", "stages", "cases"};
		static const char *const sqls[] = {SQL_PLANS_OF, SQL_PROGRESS_OF, SQL_STAGES_IN_ORDER, SQL_CASES_OF};
		for (int i = 0; i < 4 && rc == 0; i++) {
			json_t *arr = json_array();
			json_object_set_new(p, keys[i], arr);
			rc = detail_rows(db, sqls[i], id, arr, i);
		}
		if (rc == 0)
			rc = progress_photos_json(db, id, json_object_get(p, "progress"));
	}
	if (tx)
		db_read_end(db);
	if (rc) {
		json_decref(p);
		if (rc > 0)
			zerr_set(err, ZE_NOT_FOUND, NULL, "项目不存在", "no such project");
		else
			zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		return NULL;
	}
	return p;
}

/* ---- changing a project ------------------------------------------------------------ */

static const char SQL_PROJECT_FOR_PATCH[] =
        "SELECT version, planned_start, planned_completion FROM projects WHERE id = ?";
/* Each field: (1 when given, its value); unchanged otherwise. */
static const char SQL_PROJECT_PATCH[] = "UPDATE projects SET name = CASE WHEN ? = 1 THEN ? ELSE name END,"
                                        " level = CASE WHEN ? = 1 THEN ? ELSE level END,"
                                        " industry = CASE WHEN ? = 1 THEN ? ELSE industry END,"
                                        " total_investment = CASE WHEN ? = 1 THEN ? ELSE total_investment END,"
                                        " owner_credit_code = CASE WHEN ? = 1 THEN ? ELSE owner_credit_code END,"
                                        " owner_name = CASE WHEN ? = 1 THEN ? ELSE owner_name END,"
                                        " leader = CASE WHEN ? = 1 THEN ? ELSE leader END,"
                                        " department_id = CASE WHEN ? = 1 THEN ? ELSE department_id END,"
                                        " planned_start = CASE WHEN ? = 1 THEN ? ELSE planned_start END,"
                                        " planned_completion = CASE WHEN ? = 1 THEN ? ELSE planned_completion END,"
                                        " new_economy = CASE WHEN ? = 1 THEN ? ELSE new_economy END,"
                                        " strategic_emerging = CASE WHEN ? = 1 THEN ? ELSE strategic_emerging END,"
                                        " unit_code = CASE WHEN ? = 1 THEN ? ELSE unit_code END,"
                                        " lat = CASE WHEN ? = 1 THEN ? ELSE lat END,"
                                        " lon = CASE WHEN ? = 1 THEN ? ELSE lon END,"
                                        " version = version + 1, updated_at = ? WHERE id = ? AND version = ?";

enum {
	PF_NAME,
	PF_LEVEL,
	PF_INDUSTRY,
	PF_TOTAL,
	PF_CREDIT,
	PF_OWNER,
	PF_LEADER,
	PF_DEPT,
	PF_START,
	PF_COMPLETION,
	PF_NEW_ECONOMY,
	PF_STRATEGIC,
	PF__COUNT
};
static const char *const PATCH_KEYS[PF__COUNT] = {
        "name",   "level",      "industry",      "total_investment",   "owner_credit_code", "owner_name",
        "leader", "department", "planned_start", "planned_completion", "new_economy",       "strategic_emerging"};

int project_patch(struct db *db, int64_t id, json_t *body, struct zerr *err)
{
	json_t *jv = json_object_get(body, "version");
	if (!jv || json_is_null(jv))
		return zerr_set(err, ZE_MISSING_FIELD, "version", "缺少版本号 version", "version is required");
	if (!json_is_integer(jv) || json_integer_value(jv) < 1)
		return zerr_set(err, ZE_INVALID_FIELD, "version", "版本号须为正整数",
		                "version must be a positive integer");
	int given[PF__COUNT];
	const char *text[PF__COUNT] = {0};
	int64_t num[PF__COUNT] = {0};
	for (int i = 0; i < PF__COUNT; i++)
		given[i] = json_object_get(body, PATCH_KEYS[i]) != NULL;
	int b;
	if ((given[PF_NAME] && text_field(body, "name", 1, 100, &text[PF_NAME], err)) ||
	    (given[PF_LEVEL] && text_field(body, "level", 1, 16, &text[PF_LEVEL], err)))
		return -1;
	if (given[PF_LEVEL] && enum_value(text[PF_LEVEL], LEVELS, 4) < 0)
		return zerr_set(err, ZE_INVALID_FIELD, "level", "级别须为 province、city、district 或 other",
		                "level must be province, city, district or other");
	if ((given[PF_INDUSTRY] && text_field(body, "industry", 1, 32, &text[PF_INDUSTRY], err)) ||
	    (given[PF_TOTAL] && money_field(body, "total_investment", 1, &num[PF_TOTAL], err)) ||
	    (given[PF_CREDIT] && text_field(body, "owner_credit_code", 0, 18, &text[PF_CREDIT], err)) ||
	    (given[PF_OWNER] && text_field(body, "owner_name", 0, 100, &text[PF_OWNER], err)) ||
	    (given[PF_LEADER] && text_field(body, "leader", 0, 32, &text[PF_LEADER], err)) ||
	    (given[PF_START] && date_field(body, "planned_start", 0, &text[PF_START], err)) ||
	    (given[PF_COMPLETION] && date_field(body, "planned_completion", 0, &text[PF_COMPLETION], err)))
		return -1;
	if (text[PF_CREDIT] && !credit_code_valid(text[PF_CREDIT]))
		return zerr_set(err, ZE_INVALID_FIELD, "owner_credit_code", "统一社会信用代码无效(校验位不符)",
		                "not a valid unified social credit code (check character)");
	if (given[PF_NEW_ECONOMY]) {
		if (bool_field(body, "new_economy", &b, err))
			return -1;
		num[PF_NEW_ECONOMY] = b;
	}
	if (given[PF_STRATEGIC]) {
		if (bool_field(body, "strategic_emerging", &b, err))
			return -1;
		num[PF_STRATEGIC] = b;
	}
	json_t *jd = json_object_get(body, "department");
	if (jd && !json_is_null(jd)) {
		if (!json_is_integer(jd) || json_integer_value(jd) < 1)
			return zerr_set(err, ZE_INVALID_FIELD, "department", "部门须为编号",
			                "department must be an id");
		num[PF_DEPT] = json_integer_value(jd);
	}
	/* The location changes as a whole: lat, lon and its unit (all null clears it). */
	int loc_given = json_object_get(body, "lat") || json_object_get(body, "lon") || json_object_get(body, "unit");
	int has_location = 0;
	const char *unit = NULL;
	double lat = 0, lon = 0;
	if (loc_given && location_fields(db, body, &has_location, &unit, &lat, &lon, err))
		return -1;

	if (db_begin(db) != DB_OK)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	struct db_stmt *st = db_prepare(db, SQL_PROJECT_FOR_PATCH);
	if (!st)
		goto store_error;
	db_bind_i64(st, 1, id);
	int rc = db_step(st);
	int64_t version = rc == DB_ROW ? db_col_i64(st, 0) : 0;
	char start[16] = "", completion[16] = "";
	if (rc == DB_ROW) {
		snprintf(start, sizeof start, "%s", db_col_text(st, 1));
		snprintf(completion, sizeof completion, "%s", db_col_text(st, 2));
	}
	db_stmt_done(st);
	if (rc == DB_DONE) {
		db_rollback(db);
		return zerr_set(err, ZE_NOT_FOUND, NULL, "项目不存在", "no such project");
	}
	if (rc != DB_ROW)
		goto store_error;
	if (version != json_integer_value(jv)) {
		db_rollback(db);
		return zerr_set(err, ZE_CONFLICT, "version", "项目已被他人修改,请刷新后重试",
		                "the project was changed meanwhile (stale version): reload and retry");
	}
	const char *s = given[PF_START] ? (text[PF_START] ? text[PF_START] : "") : start;
	const char *c = given[PF_COMPLETION] ? (text[PF_COMPLETION] ? text[PF_COMPLETION] : "") : completion;
	if (*s && *c && strcmp(c, s) < 0) {
		db_rollback(db);
		return zerr_set(err, ZE_INVALID_FIELD, given[PF_COMPLETION] ? "planned_completion" : "planned_start",
		                "计划竣工日期早于计划开工日期", "planned completion before the planned start");
	}
	if (num[PF_DEPT]) {
		if (department_known(db, num[PF_DEPT], err)) {
			db_rollback(db);
			return -1;
		}
	}
	st = db_prepare(db, SQL_PROJECT_PATCH);
	if (!st)
		goto store_error;
	for (int i = 0; i < PF__COUNT; i++) {
		db_bind_i64(st, 2 * i + 1, given[i]);
		int numeric = i == PF_TOTAL || i == PF_DEPT || i == PF_NEW_ECONOMY || i == PF_STRATEGIC;
		if (!given[i] || (i == PF_DEPT && !num[i]) || (!numeric && !text[i]))
			db_bind_null(st, 2 * i + 2);
		else if (numeric)
			db_bind_i64(st, 2 * i + 2, num[i]);
		else
			db_bind_text(st, 2 * i + 2, text[i]);
	}
	int at = 2 * PF__COUNT;
	for (int k = 0; k < 3; k++)
		db_bind_i64(st, at + 2 * k + 1, loc_given);
	db_bind_text(st, at + 2, unit);
	if (has_location) {
		db_bind_double(st, at + 4, lat);
		db_bind_double(st, at + 6, lon);
	} else {
		db_bind_null(st, at + 4);
		db_bind_null(st, at + 6);
	}
	db_bind_i64(st, at + 7, time_now_ms());
	db_bind_i64(st, at + 8, id);
	db_bind_i64(st, at + 9, version);
	rc = db_step(st);
	db_stmt_done(st);
	if (rc == DB_CONSTRAINT) {
		db_rollback(db);
		return zerr_set(err, ZE_INVALID_FIELD, NULL, NULL, NULL);
	}
	if (rc != DB_DONE || db_commit(db) != DB_OK)
		goto store_error;
	return 0;
store_error:
	db_rollback(db);
	return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
}

/* ---- trend, rankings, batches ------------------------------------------------------ */

json_t *project_trend(struct db *db, const struct project_filter *f, struct zerr *err)
{
	int64_t plan = 0, done[13] = {0};
	int tx = db_read_begin(db) == DB_OK;
	struct pq q;
	pq_init(&q, "SELECT coalesce(sum(pl.planned_investment), 0) FROM project_plans pl JOIN projects p ON p.id ="
	            " pl.project_id WHERE pl.year = ?");
	pq_int(&q, f->year);
	pq_filter(&q, f);
	struct db_stmt *st = pq_prepare(db, &q);
	int rc = st ? db_step(st) : DB_ERROR;
	if (rc == DB_ROW)
		plan = db_col_i64(st, 0);
	pq_done(&q, st);
	if (rc == DB_ROW) {
		pq_init(&q, "SELECT pr.month, sum(pr.completed_investment) FROM project_progress pr JOIN projects p ON"
		            " p.id = pr.project_id WHERE pr.year = ?");
		pq_int(&q, f->year);
		pq_filter(&q, f);
		buf_puts(&q.sql, " GROUP BY pr.month");
		st = pq_prepare(db, &q);
		rc = st ? DB_ROW : DB_ERROR;
		while (st && (rc = db_step(st)) == DB_ROW) {
			int64_t m = db_col_i64(st, 0);
			if (m >= 1 && m <= 12)
				done[m] = db_col_i64(st, 1);
		}
		pq_done(&q, st);
	}
	if (tx)
		db_read_end(db);
	if (rc != DB_DONE) {
		zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		return NULL;
	}
	json_t *months = json_array();
	int64_t cumulative = 0;
	for (int m = 1; m <= 12; m++) {
		cumulative += done[m];
		if (m > f->month) /* past the month asked for: not yet reported */
			json_array_append_new(months, json_pack("{s:i,s:n,s:n,s:n}", "month", m, "completed",
			                                        "cumulative", "completion_pct"));
		else
			json_array_append_new(months,
			                      json_pack("{s:i,s:I,s:I,s:o}", "month", m, "completed",
			                                (json_int_t)done[m], "cumulative", (json_int_t)cumulative,
			                                "completion_pct", pct_json(cumulative, plan)));
	}
	return json_pack("{s:i,s:i,s:I,s:o}", "year", f->year, "month", f->month, "annual_plan", (json_int_t)plan,
	                 "months", months);
}

struct rank_row {
	int64_t id; /* department id; 0 for leaders */
	char name[256];
	int64_t count, plan, done, tenths; /* tenths -1: no plan */
};

/* Completion (no plan last), then completed, both descending; then by name. */
static int rank_cmp(const void *a, const void *b)
{
	const struct rank_row *x = a, *y = b;
	if (x->tenths != y->tenths)
		return x->tenths > y->tenths ? -1 : 1;
	if (x->done != y->done)
		return x->done > y->done ? -1 : 1;
	return strcmp(x->name, y->name);
}

json_t *project_rankings(struct db *db, const struct project_filter *f, int by_department, struct zerr *err)
{
	struct pq q;
	if (by_department)
		pq_init(&q, "SELECT p.department_id, d.name, count(*), coalesce(sum(pl.planned_investment), 0),"
		            " coalesce(sum(" SQL_DONE_OF_P "), 0) FROM projects p JOIN departments d ON d.id ="
		            " p.department_id LEFT JOIN project_plans pl ON pl.project_id = p.id AND pl.year = ? WHERE "
		            "1 = 1");
	else
		pq_init(&q, "SELECT 0, p.leader, count(*), coalesce(sum(pl.planned_investment), 0), "
		            "coalesce(sum(" SQL_DONE_OF_P
		            "), 0) FROM projects p LEFT JOIN project_plans pl ON pl.project_id = p.id AND"
		            " pl.year = ? WHERE p.leader IS NOT NULL AND p.leader <> ''");
	pq_int(&q, f->year);
	pq_int(&q, f->month);
	pq_int(&q, f->year);
	pq_filter(&q, f);
	buf_puts(&q.sql, by_department ? " GROUP BY p.department_id, d.name" : " GROUP BY p.leader");
	struct rank_row *rows = NULL;
	size_t n = 0, cap = 0;
	int tx = db_read_begin(db) == DB_OK;
	struct db_stmt *st = pq_prepare(db, &q);
	int rc = st ? DB_ROW : DB_ERROR;
	while (st && (rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			struct rank_row *more = realloc(rows, cap * sizeof *rows);
			if (!more) {
				rc = DB_ERROR;
				break;
			}
			rows = more;
		}
		struct rank_row *r = &rows[n++];
		r->id = db_col_i64(st, 0);
		snprintf(r->name, sizeof r->name, "%s", db_col_text(st, 1));
		r->count = db_col_i64(st, 2);
		r->plan = db_col_i64(st, 3);
		r->done = db_col_i64(st, 4);
		r->tenths = r->plan > 0 ? (r->done * 1000 + r->plan / 2) / r->plan : -1;
	}
	pq_done(&q, st);
	if (tx)
		db_read_end(db);
	if (rc != DB_DONE) {
		free(rows);
		zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		return NULL;
	}
	if (n > 1)
		qsort(rows, n, sizeof *rows, rank_cmp);
	json_t *items = json_array();
	int64_t rank = 1;
	for (size_t i = 0; i < n; i++) {
		struct rank_row *r = &rows[i];
		/* Equal completion and equal amounts share a rank (1, 2, 2, 4). */
		if (i > 0 && (r->tenths != rows[i - 1].tenths || r->done != rows[i - 1].done))
			rank = (int64_t)i + 1;
		json_t *o = json_pack("{s:I,s:o,s:s,s:I,s:I,s:I}", "rank", (json_int_t)rank, "key",
		                      by_department ? json_integer(r->id) : json_string(r->name), "name", r->name,
		                      "count", (json_int_t)r->count, "annual_plan", (json_int_t)r->plan, "completed",
		                      (json_int_t)r->done);
		json_object_set_new(o, "completion_pct", pct_json(r->done, r->plan));
		json_array_append_new(items, o);
	}
	free(rows);
	return json_pack("{s:s,s:i,s:i,s:o}", "by", by_department ? "department" : "leader", "year", f->year, "month",
	                 f->month, "items", items);
}

/* One batch's counts (docs/PROJECTS.md, "per batch"). */
struct batch_row {
	int64_t batch, projects, total, signed_, started, production, started_count, in_production, effective;
};

static json_t *batch_json(const struct batch_row *b, int with_batch)
{
	json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "projects", (json_int_t)b->projects, "signed",
	                      (json_int_t)b->signed_, "started", (json_int_t)b->started, "production",
	                      (json_int_t)b->production, "started_count", (json_int_t)b->started_count, "in_production",
	                      (json_int_t)b->in_production, "effective", (json_int_t)b->effective, "total_investment",
	                      (json_int_t)b->total);
	if (with_batch)
		json_object_set_new(o, "batch", json_integer(b->batch));
	json_object_set_new(o, "start_rate", pct_json(b->started_count, b->signed_));
	json_object_set_new(o, "production_rate", pct_json(b->in_production, b->started));
	json_object_set_new(o, "effectiveness_rate", pct_json(b->effective, b->production));
	return o;
}

json_t *project_batches(struct db *db, const struct project_filter *f, struct zerr *err)
{
	char end[16];
	month_end(f, end);
	/* Per batch and project: its kinds in the batch and the furthest stage it reached by the month's end. */
	struct pq q;
	pq_init(&q, "SELECT x.batch, count(*), coalesce(sum(x.total_investment), 0), sum(x.k_signed), sum(x.k_started),"
	            " sum(x.k_production), sum(CASE WHEN x.k_signed = 1 AND x.reached >= 2 THEN 1 ELSE 0 END),"
	            " sum(CASE WHEN x.k_started = 1 AND x.reached >= 4 THEN 1 ELSE 0 END),"
	            " sum(CASE WHEN x.k_production = 1 AND x.reached >= 5 THEN 1 ELSE 0 END)"
	            " FROM (SELECT b.batch, p.id, p.total_investment,"
	            " max(CASE WHEN b.kind = 'signed' THEN 1 ELSE 0 END) AS k_signed,"
	            " max(CASE WHEN b.kind = 'started' THEN 1 ELSE 0 END) AS k_started,"
	            " max(CASE WHEN b.kind = 'production' THEN 1 ELSE 0 END) AS k_production,"
	            " coalesce((SELECT max(" SQL_STAGE_RANK(
	                    "s.stage") ") FROM project_stages s WHERE s.project_id ="
	                               " p.id AND s.date <= ?), -1) AS reached"
	                               " FROM project_batches b JOIN projects p ON p.id = b.project_id WHERE 1 = 1");
	pq_text(&q, end);
	if (f->batch > 0) {
		buf_puts(&q.sql, " AND b.batch = ?");
		pq_int(&q, f->batch);
	}
	pq_filter(&q, f);
	buf_puts(&q.sql, " GROUP BY b.batch, p.id, p.total_investment) x GROUP BY x.batch ORDER BY x.batch");
	json_t *items = json_array();
	struct batch_row t = {0, 0, 0, 0, 0, 0, 0, 0, 0};
	int tx = db_read_begin(db) == DB_OK;
	struct db_stmt *st = pq_prepare(db, &q);
	int rc = st ? DB_ROW : DB_ERROR;
	while (st && (rc = db_step(st)) == DB_ROW) {
		struct batch_row b = {db_col_i64(st, 0), db_col_i64(st, 1), db_col_i64(st, 2),
		                      db_col_i64(st, 3), db_col_i64(st, 4), db_col_i64(st, 5),
		                      db_col_i64(st, 6), db_col_i64(st, 7), db_col_i64(st, 8)};
		json_array_append_new(items, batch_json(&b, 1));
		t.signed_ += b.signed_, t.started += b.started, t.production += b.production;
		t.started_count += b.started_count, t.in_production += b.in_production, t.effective += b.effective;
	}
	pq_done(&q, st);
	if (rc == DB_DONE) {
		/* A project in several batches counts once in the totals' projects and investment. */
		pq_init(&q, "SELECT count(*), coalesce(sum(p.total_investment), 0) FROM projects p WHERE p.id IN"
		            " (SELECT project_id FROM project_batches)");
		pq_filter(&q, f);
		st = pq_prepare(db, &q);
		rc = st ? db_step(st) : DB_ERROR;
		if (rc == DB_ROW) {
			t.projects = db_col_i64(st, 0);
			t.total = db_col_i64(st, 1);
			rc = DB_DONE;
		}
		pq_done(&q, st);
	}
	if (tx)
		db_read_end(db);
	if (rc != DB_DONE) {
		json_decref(items);
		zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		return NULL;
	}
	return json_pack("{s:i,s:i,s:o,s:o}", "year", f->year, "month", f->month, "items", items, "totals",
	                 batch_json(&t, 0));
}
