/*
 * cases.c — case intake and reading; see cases.h.
 */
#include "cases.h"
#include "case_flow.h"
#include "categories.h"
#include "db.h"
#include "photos.h"
#include "gcj.h"
#include "geom.h"
#include "roles.h"
#include "text.h"
#include "timeutil.h"
#include "units.h"
#include "users.h"
#include "workcal.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sources[] = {"resident",   "grid_patrol", "hotline", "supervisor",
                                      "inspection", "enterprise",  "project", "consultation"};

int case_source_valid(const char *s)
{
	for (size_t i = 0; s && i < sizeof sources / sizeof sources[0]; i++)
		if (strcmp(s, sources[i]) == 0)
			return 1;
	return 0;
}

static int trusted_source(const char *s)
{
	return strcmp(s, "grid_patrol") == 0 || strcmp(s, "supervisor") == 0 || strcmp(s, "inspection") == 0;
}

/* ---- input ---------------------------------------------------------------- */

static int number_field(json_t *body, const char *key, double min, double max, double *out, struct zerr *err)
{
	json_t *v = json_object_get(body, key);
	char zh[128], en[128];
	if (!v || json_is_null(v)) {
		snprintf(zh, sizeof zh, "缺少坐标 %s", key);
		snprintf(en, sizeof en, "%s is required", key);
		return zerr_set(err, ZE_MISSING_FIELD, key, zh, en);
	}
	double d = json_is_number(v) ? json_number_value(v) : NAN;
	if (!isfinite(d) || d < min || d > max) {
		snprintf(zh, sizeof zh, "%s 须为 %g 至 %g 之间的数值", key, min, max);
		snprintf(en, sizeof en, "%s must be a number from %g to %g", key, min, max);
		return zerr_set(err, ZE_INVALID_FIELD, key, zh, en);
	}
	*out = d;
	return 0;
}

static int string_field(json_t *body, const char *key, const char **out, struct zerr *err)
{
	json_t *v = json_object_get(body, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return zerr_set(err, ZE_INVALID_FIELD, key, "必须是字符串", "must be a string");
	*out = json_string_value(v);
	return 0;
}

int case_input_from_json(json_t *body, int public_intake, struct case_input *in, struct zerr *err)
{
	memset(in, 0, sizeof *in);
	if (string_field(body, "category", &in->category, err) ||
	    string_field(body, "description", &in->description, err) || string_field(body, "crs", &in->crs, err) ||
	    string_field(body, "phone", &in->phone, err) || string_field(body, "source", &in->source, err))
		return -1;
	if (!in->category || !*in->category)
		return zerr_set(err, ZE_MISSING_FIELD, "category", "请选择问题类别", "category is required");
	if (!in->description || !in->description[strspn(in->description, " \t\r\n")])
		return zerr_set(err, ZE_MISSING_FIELD, "description", "请描述问题", "description is required");
	size_t chars = utf8_chars(in->description);
	if (chars > CASE_DESCRIPTION_MAX)
		return zerr_set(err, ZE_INVALID_FIELD, "description", "问题描述不能超过2000个字符",
		                "description must be at most 2000 characters");
	for (const char *p = in->description; *p; p++)
		if (((unsigned char)*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') || *p == 0x7f)
			return zerr_set(err, ZE_INVALID_FIELD, "description", "问题描述含有控制字符",
			                "description contains control characters");
	if (number_field(body, "lat", -90, 90, &in->lat, err) || number_field(body, "lon", -180, 180, &in->lon, err))
		return -1;
	if (!in->crs)
		in->crs = "wgs84";
	if (strcmp(in->crs, "wgs84") != 0 && strcmp(in->crs, "gcj02") != 0)
		return zerr_set(err, ZE_INVALID_FIELD, "crs", "坐标系须为 wgs84 或 gcj02",
		                "crs must be wgs84 or gcj02");
	json_t *anon = json_object_get(body, "anonymous");
	if (anon && !json_is_null(anon) && !json_is_boolean(anon))
		return zerr_set(err, ZE_INVALID_FIELD, "anonymous", "必须是布尔值", "must be true or false");
	in->anonymous = json_is_true(anon);
	if (photo_ids_from_json(body, in->photos, &in->nphotos, err))
		return -1;
	/* The body's fingerprint, for idempotent retries (keys sorted: the same report hashes alike). */
	char *canon = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	if (!canon)
		return zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)canon, strlen(canon), NULL, 0);
	sodium_bin2hex(in->request_hash, sizeof in->request_hash, h, sizeof h);
	free(canon);
	if (in->phone && *in->phone && !phone_valid(in->phone))
		return zerr_set(err, ZE_INVALID_FIELD, "phone", "手机号须为以1开头的11位数字",
		                "phone must be 11 digits starting with 1");
	if (public_intake) {
		if (in->source && strcmp(in->source, "resident") != 0)
			return zerr_set(err, ZE_INVALID_FIELD, "source", "群众上报的来源只能是 resident",
			                "public reports are always source resident");
		in->source = "resident";
		if (!in->phone || !*in->phone)
			return zerr_set(err, ZE_MISSING_FIELD, "phone", "请填写手机号,用于查询进度和评价",
			                "phone is required to follow and rate the case");
	} else {
		if (!in->source)
			return zerr_set(err, ZE_MISSING_FIELD, "source", "请指定来源", "source is required");
		if (!case_source_valid(in->source))
			return zerr_set(
			        err, ZE_INVALID_FIELD, "source",
			        "来源须为 resident、grid_patrol、hotline、supervisor、inspection、enterprise、project "
			        "或 consultation",
			        "source must be resident, grid_patrol, hotline, supervisor, inspection, enterprise, "
			        "project "
			        "or consultation");
	}
	/* A project's problem names its project (docs/PROJECTS.md); no other source does. */
	json_t *project = json_object_get(body, "project");
	if (project && !json_is_null(project)) {
		if (!json_is_integer(project) || json_integer_value(project) < 1)
			return zerr_set(err, ZE_INVALID_FIELD, "project", "项目须为编号", "project must be an id");
		if (strcmp(in->source, "project") != 0)
			return zerr_set(err, ZE_INVALID_FIELD, "project", "只有来源为 project 的事件可关联项目",
			                "only a case of source project names a project");
		in->project_id = json_integer_value(project);
	} else if (strcmp(in->source, "project") == 0) {
		return zerr_set(err, ZE_INVALID_FIELD, "project", "来源为 project 时须指定项目",
		                "a case of source project names its project");
	}
	return 0;
}

/* ---- intake --------------------------------------------------------------- */

static const char SQL_IDEMPOTENT[] = "SELECT case_id, request_hash FROM idempotency_keys WHERE scope = ? AND key = ?";
static const char SQL_NEXT_NUMBER[] = "INSERT INTO case_numbers (day, last) VALUES (?, 1)"
                                      " ON CONFLICT (day) DO UPDATE SET last = case_numbers.last + 1 RETURNING last";
static const char SQL_CASE_INSERT[] =
        "INSERT INTO cases (number, source, category_code, description, lat, lon, input_crs, unit_code, grid_code,"
        " community_code, street_code, zone_code, route, department_id, status, stage, stage_started_at, deadline,"
        " reporter_phone, anonymous, reporter_id, version, created_at, updated_at, project_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_EVENT_INSERT[] =
        "INSERT INTO case_events (case_id, seq, action, actor_id, actor, from_status, to_status, note, fields, at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_IDEMPOTENT_INSERT[] =
        "INSERT INTO idempotency_keys (scope, key, case_id, created_at, request_hash) VALUES (?, ?, ?, ?, ?)";

/* The case of in's idempotency key: its id, 0 when none, -1 on error; *other
 * = 1 when the key was used for another request body. */
static int64_t find_idempotent(struct db *db, const struct case_input *in, int *other)
{
	*other = 0;
	if (!in->idempotency_key)
		return 0;
	struct db_stmt *st = db_prepare(db, SQL_IDEMPOTENT);
	if (!st)
		return -1;
	db_bind_text(st, 1, in->idempotency_scope);
	db_bind_text(st, 2, in->idempotency_key);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_i64(st, 0) : rc == DB_DONE ? 0 : -1;
	if (rc == DB_ROW && !db_col_is_null(st, 1))
		*other = strcmp(db_col_text(st, 1), in->request_hash) != 0;
	db_stmt_done(st);
	return id;
}

int case_event_append(struct db *db, int64_t case_id, int seq, const char *action, int64_t actor_id, const char *actor,
                      const char *from, const char *to, const char *note, const char *fields, int64_t at)
{
	struct db_stmt *st = db_prepare(db, SQL_EVENT_INSERT);
	if (!st)
		return -1;
	db_bind_i64(st, 1, case_id);
	db_bind_i64(st, 2, seq);
	db_bind_text(st, 3, action);
	if (actor_id > 0)
		db_bind_i64(st, 4, actor_id);
	else
		db_bind_null(st, 4);
	db_bind_text(st, 5, actor);
	db_bind_text(st, 6, from);
	db_bind_text(st, 7, to);
	db_bind_text(st, 8, note);
	db_bind_text(st, 9, fields);
	db_bind_i64(st, 10, at);
	int rc = db_step(st);
	db_stmt_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Deadline of a category's stage from start; fills err when the calendar
 * does not reach. */
int case_stage_deadline(const struct workcal *cal, const struct category *c, int stage, int64_t start,
                        int64_t *deadline, struct zerr *err)
{
	enum workcal_unit unit;
	if (workcal_unit_parse(c->limits[stage].unit, &unit))
		return zerr_set(err, ZE_INTERNAL, NULL, NULL, "category has an unknown time-limit unit");
	int rc = workcal_add(cal, start, c->limits[stage].amount, unit, deadline);
	if (rc == 0)
		return 0;
	char zh[160], en[160];
	int year = workcal_first_uncovered_year(cal, start);
	snprintf(zh, sizeof zh, "未加载 %d 年的节假日安排,无法计算期限", year);
	snprintf(en, sizeof en, "holiday calendar for %d not loaded; cannot compute the deadline", year);
	return zerr_set(err, ZE_STORE, NULL, zh, en);
}

static const char SQL_PROJECT_KNOWN[] = "SELECT 1 FROM projects WHERE id = ?";

int case_plan_make(const struct case_env *env, const struct case_input *in, struct case_plan *p, struct zerr *err)
{
	memset(p, 0, sizeof *p);
	if (in->project_id > 0) {
		struct db_stmt *st = db_prepare(env->db, SQL_PROJECT_KNOWN);
		int rc = st ? (db_bind_i64(st, 1, in->project_id), db_step(st)) : DB_ERROR;
		db_stmt_done(st);
		if (rc == DB_DONE)
			return zerr_set(err, ZE_INVALID_FIELD, "project", "项目不存在", "no such project");
		if (rc != DB_ROW)
			return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	}
	int found = category_get(env->db, in->category, &p->cat);
	if (found < 0)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	if (found > 0 || !p->cat.active)
		return zerr_set(err, ZE_INVALID_FIELD, "category", "问题类别不存在或已停用",
		                "no such category, or it is no longer in use");

	p->lat = in->lat;
	p->lon = in->lon;
	if (strcmp(in->crs, "gcj02") == 0)
		gcj_to_wgs(in->lat, in->lon, &p->lat, &p->lon);
	int32_t at = unit_dir_locate(env->units, p->lat, p->lon);
	if (at < 0)
		return zerr_set(err, ZE_INVALID_FIELD, "lat", "该位置不在本区网格范围内,无法受理",
		                "the point lies outside the zone's grid");
	for (int32_t i = at; i >= 0; i = env->units->e[i].parent)
		if (env->units->e[i].level >= 0 && env->units->e[i].level < UL__COUNT)
			p->chain[env->units->e[i].level] = env->units->e[i].code;
	p->unit_code = env->units->e[at].code;
	p->at = at;
	if (!p->chain[UL_ZONE])
		return zerr_set(err, ZE_INTERNAL, NULL, NULL, "the unit is not under a zone");

	p->now = time_now_ms();
	p->by_grid = strcmp(p->cat.handled_by, "grid") == 0;
	p->auto_go = p->cat.auto_accept && trusted_source(in->source);
	if (case_stage_deadline(env->cal, &p->cat, p->auto_go ? CAT_HANDLE : CAT_ACCEPT, p->now, &p->deadline, err))
		return -1;
	time_t secs = (time_t)(p->now / 1000) + 8 * 3600;
	struct tm tm;
	gmtime_r(&secs, &tm);
	snprintf(p->day, sizeof p->day, "%04d%02d%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
	         tm.tm_mday % 100);
	return 0;
}

int case_insert(struct db *db, const struct case_input *in, const struct case_plan *p, int64_t *id, char number[32],
                struct zerr *err)
{
	*id = 0;
	struct db_stmt *st = db_prepare(db, SQL_NEXT_NUMBER);
	if (!st)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	db_bind_text(st, 1, p->day);
	int rc = db_step(st);
	int64_t seq = rc == DB_ROW ? db_col_i64(st, 0) : 0;
	if (rc == DB_ROW)
		rc = db_step(st);
	db_stmt_done(st);
	if (rc != DB_DONE || seq <= 0)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	snprintf(number, 32, "%.8s-%04lld", p->day, (long long)(seq % 100000000));

	int64_t now = p->now;
	const char *status = p->auto_go ? "dispatched" : "reported";
	st = db_prepare(db, SQL_CASE_INSERT);
	if (!st)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	db_bind_text(st, 1, number);
	db_bind_text(st, 2, in->source);
	db_bind_text(st, 3, p->cat.code);
	db_bind_text(st, 4, in->description);
	db_bind_double(st, 5, p->lat);
	db_bind_double(st, 6, p->lon);
	db_bind_text(st, 7, in->crs);
	db_bind_text(st, 8, p->unit_code);
	db_bind_text(st, 9, p->chain[UL_GRID]);
	db_bind_text(st, 10, p->chain[UL_COMMUNITY]);
	db_bind_text(st, 11, p->chain[UL_STREET]);
	db_bind_text(st, 12, p->chain[UL_ZONE]);
	db_bind_text(st, 13, p->by_grid ? "grid" : "department");
	if (p->by_grid)
		db_bind_null(st, 14);
	else
		db_bind_i64(st, 14, p->cat.department_id);
	db_bind_text(st, 15, status);
	db_bind_text(st, 16, p->auto_go ? "handle" : "accept");
	db_bind_i64(st, 17, now);
	db_bind_i64(st, 18, p->deadline);
	db_bind_text(st, 19, in->phone && *in->phone ? in->phone : NULL);
	db_bind_i64(st, 20, in->anonymous);
	if (in->reporter_id > 0)
		db_bind_i64(st, 21, in->reporter_id);
	else
		db_bind_null(st, 21);
	db_bind_i64(st, 22, p->auto_go ? 3 : 1);
	db_bind_i64(st, 23, now);
	db_bind_i64(st, 24, now);
	if (in->project_id > 0)
		db_bind_i64(st, 25, in->project_id);
	else
		db_bind_null(st, 25);
	rc = db_step(st);
	int64_t case_id = rc == DB_ROW ? db_col_i64(st, 0) : 0;
	if (rc == DB_ROW)
		rc = db_step(st);
	db_stmt_done(st);
	if (rc != DB_DONE || case_id <= 0)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);

	const char *actor = in->actor ? in->actor : "public";
	/* The dispatch event names the department, as case_visible() reads it. */
	char dispatch_fields[48];
	snprintf(dispatch_fields, sizeof dispatch_fields, "{\"department\":%lld}", (long long)p->cat.department_id);
	if (case_event_append(db, case_id, 1, "report", in->reporter_id, actor, NULL, "reported", NULL, NULL, now))
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	if (in->nphotos && photo_link(db, case_id, 1, in->photos, in->nphotos, err))
		return -1;
	if (p->auto_go && (case_event_append(db, case_id, 2, "accept", 0, "system", "reported", "accepted",
	                                     "自动立案 auto-accepted", NULL, now) ||
	                   case_event_append(db, case_id, 3, "dispatch", 0, "system", "accepted", "dispatched",
	                                     p->by_grid ? "自动派遣至网格 dispatched to the grid"
	                                                : "自动派遣至责任部门 dispatched to the department",
	                                     p->by_grid ? NULL : dispatch_fields, now)))
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	if (in->idempotency_key) {
		st = db_prepare(db, SQL_IDEMPOTENT_INSERT);
		if (!st)
			return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		db_bind_text(st, 1, in->idempotency_scope);
		db_bind_text(st, 2, in->idempotency_key);
		db_bind_i64(st, 3, case_id);
		db_bind_i64(st, 4, now);
		db_bind_text(st, 5, in->request_hash[0] ? in->request_hash : NULL);
		rc = db_step(st);
		db_stmt_done(st);
		if (rc == DB_CONSTRAINT)
			return 1; /* the same key was filed meanwhile: the caller rolls back and replays */
		if (rc != DB_DONE)
			return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	}
	*id = case_id;
	return 0;
}

int case_replay_lookup(struct db *db, const struct case_input *in, int64_t *id)
{
	int other;
	int64_t existing = find_idempotent(db, in, &other);
	if (existing < 0)
		return -1;
	*id = existing;
	return existing > 0 ? (other ? 2 : 1) : 0;
}

int case_replay_error(int rc, struct zerr *err)
{
	if (rc == 2)
		return zerr_set(err, ZE_INVALID_FIELD, "Idempotency-Key", "该幂等键已用于内容不同的另一份上报",
		                "this Idempotency-Key was used for a different report");
	return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
}

int case_create(const struct case_env *env, const struct case_input *in, int64_t *id, int *replayed, struct zerr *err)
{
	struct db *db = env->db;
	*id = 0;
	*replayed = 0;
	int rc = case_replay_lookup(db, in, id);
	if (rc == 1) {
		*replayed = 1;
		return 0;
	}
	if (rc != 0)
		return case_replay_error(rc, err);
	struct case_plan p;
	if (case_plan_make(env, in, &p, err))
		return -1;
	if (db_begin(db) != DB_OK)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	char number[32];
	rc = case_insert(db, in, &p, id, number, err);
	if (rc != 0)
		db_rollback(db);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		/* The same key committed by a concurrent retry: answer with that case. */
		rc = case_replay_lookup(db, in, id);
		if (rc != 1)
			return case_replay_error(rc, err);
		*replayed = 1;
		return 0;
	}
	if (db_commit(db) != DB_OK)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	return 0;
}

json_t *case_intake_json(const struct case_plan *p, const struct unit_dir *d, int64_t id, const char *number)
{
	json_t *units = json_array();
	for (int32_t i = p->at; i >= 0; i = d->e[i].parent)
		json_array_append_new(units, json_pack("{s:s,s:s,s:s}", "code", d->e[i].code, "name", d->e[i].name,
		                                       "level", unit_level_name(d->e[i].level)));
	char deadline[40];
	time_format_iso(p->deadline, deadline, sizeof deadline);
	json_t *dept = p->by_grid ? json_null()
	                          : json_pack("{s:I,s:s,s:s}", "id", (json_int_t)p->cat.department_id, "code",
	                                      p->cat.department_code, "name", p->cat.department_name);
	return json_pack("{s:I,s:s,s:s,s:i,s:o,s:o,s:s}", "id", (json_int_t)id, "number", number, "status",
	                 p->auto_go ? "dispatched" : "reported", "version", p->auto_go ? 3 : 1, "units", units,
	                 "department", dept, "deadline", deadline);
}

/* ---- reading -------------------------------------------------------------- */

static const char SQL_CASE_GET[] =
        "SELECT c.id, c.number, c.source, c.category_code, k.name, c.description, c.lat, c.lon, c.input_crs,"
        " c.unit_code, c.grid_code, c.community_code, c.street_code, c.zone_code, c.route, c.department_id, d.code,"
        " d.name, c.status, c.stage, c.deadline, c.overdue, c.supervision, c.rating, c.rework, c.extension_deadline,"
        " c.merged_into, c.reporter_phone, c.anonymous, c.version, c.created_at, c.updated_at, c.closed_at,"
        " c.project_id"
        " FROM cases c JOIN categories k ON k.code = c.category_code LEFT JOIN departments d ON d.id = c.department_id"
        " WHERE c.id = ?";
static const char SQL_CASE_EVENTS[] =
        "SELECT seq, action, actor, from_status, to_status, note, fields, at FROM case_events WHERE case_id = ?"
        " ORDER BY seq";
static const char SQL_UNIT_BRIEF[] = "SELECT name, level FROM units WHERE code = ?";

static json_t *iso_or_null(struct db_stmt *st, int col)
{
	if (db_col_is_null(st, col))
		return json_null();
	char buf[40];
	time_format_iso(db_col_i64(st, col), buf, sizeof buf);
	return json_string(buf);
}

static json_t *text_or_null(struct db_stmt *st, int col)
{
	return db_col_is_null(st, col) ? json_null() : json_string(db_col_text(st, col));
}

static json_t *units_json(struct db *db, const struct unit_dir *d, const char *const codes[], int n)
{
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		if (!codes[i] || !*codes[i])
			continue;
		int32_t at = unit_dir_find(d, codes[i]);
		if (at >= 0) {
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "code", codes[i], "name", d->e[at].name,
			                                     "level", unit_level_name(d->e[at].level)));
			continue;
		}
		struct db_stmt *st = db_prepare(db, SQL_UNIT_BRIEF);
		if (!st)
			continue;
		db_bind_text(st, 1, codes[i]);
		if (db_step(st) == DB_ROW)
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "code", codes[i], "name",
			                                     db_col_text(st, 0), "level", db_col_text(st, 1)));
		db_stmt_done(st);
	}
	return arr;
}

static int sees_phone(const struct case_viewer *v)
{
	return v->user && (v->user->roles & ROLE_DISPATCHER);
}

int case_viewer_variant(const struct case_viewer *v)
{
	return sees_phone(v);
}

json_t *case_get_json(struct db *db, int64_t id, const struct case_viewer *v, int with_events, struct zerr *err)
{
	struct db_stmt *st = db_prepare(db, SQL_CASE_GET);
	if (!st) {
		zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		return NULL;
	}
	db_bind_i64(st, 1, id);
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_stmt_done(st);
		zerr_set(err, rc == DB_DONE ? ZE_NOT_FOUND : ZE_STORE, NULL, rc == DB_DONE ? "事件不存在" : NULL,
		         rc == DB_DONE ? "no such case" : NULL);
		return NULL;
	}
	char codes[5][40];
	const char *codes_p[5];
	for (int i = 0; i < 5; i++) {
		snprintf(codes[i], sizeof codes[i], "%s", db_col_text(st, 9 + i));
		codes_p[i] = codes[i];
	}
	json_t *reporter;
	int anonymous = (int)db_col_i64(st, 28);
	if (anonymous || db_col_is_null(st, 27)) {
		reporter = json_pack("{s:n,s:b}", "phone", "anonymous", anonymous);
	} else {
		char phone[32];
		if (sees_phone(v))
			snprintf(phone, sizeof phone, "%s", db_col_text(st, 27));
		else
			phone_mask(db_col_text(st, 27), phone, sizeof phone);
		reporter = json_pack("{s:s,s:b}", "phone", phone, "anonymous", 0);
	}
	json_t *dept = db_col_is_null(st, 15) ? json_null()
	                                      : json_pack("{s:I,s:s,s:s}", "id", (json_int_t)db_col_i64(st, 15), "code",
	                                                  db_col_text(st, 16), "name", db_col_text(st, 17));
	json_t *c =
	        json_pack("{s:I,s:s,s:s,s:{s:s,s:s},s:s,s:f,s:f,s:s,s:s,s:o,s:s,s:s,s:o,s:b,s:o,s:o,s:I,s:o,s:o,s:o,s:"
	                  "I,s:o,s:o,s:o}",
	                  "id", (json_int_t)db_col_i64(st, 0), "number", db_col_text(st, 1), "source",
	                  db_col_text(st, 2), "category", "code", db_col_text(st, 3), "name", db_col_text(st, 4),
	                  "description", db_col_text(st, 5), "lat", db_col_double(st, 6), "lon", db_col_double(st, 7),
	                  "crs", db_col_text(st, 8), "route", db_col_text(st, 14), "department", dept, "status",
	                  db_col_text(st, 18), "stage", db_col_text(st, 19), "deadline", iso_or_null(st, 20), "overdue",
	                  (int)db_col_i64(st, 21), "supervision", text_or_null(st, 22), "rating", text_or_null(st, 23),
	                  "rework", (json_int_t)db_col_i64(st, 24), "extension_deadline", iso_or_null(st, 25),
	                  "merged_into", db_col_is_null(st, 26) ? json_null() : json_integer(db_col_i64(st, 26)),
	                  "reporter", reporter, "version", (json_int_t)db_col_i64(st, 29), "created_at",
	                  iso_or_null(st, 30), "updated_at", iso_or_null(st, 31), "closed_at", iso_or_null(st, 32));
	if (c)
		json_object_set_new(c, "project",
		                    db_col_is_null(st, 33) ? json_null() : json_integer(db_col_i64(st, 33)));
	db_stmt_done(st);
	if (!c) {
		zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);
		return NULL;
	}
	/* Finest unit first, the zone last, as /locate answers. */
	const char *order[5] = {codes_p[0], codes_p[1], codes_p[2], codes_p[3], codes_p[4]};
	if (strcmp(order[0], order[1]) == 0)
		order[1] = NULL; /* the finest unit is the grid itself */
	json_object_set_new(c, "units", units_json(db, v->units, order, 5));
	json_t *photos = photo_list_json(db, id);
	if (!photos) {
		json_decref(c);
		zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		return NULL;
	}
	json_object_set_new(c, "photos", photos);
	if (with_events) {
		json_t *events = json_array();
		st = db_prepare(db, SQL_CASE_EVENTS);
		if (!st) {
			json_decref(events);
			json_decref(c);
			zerr_set(err, ZE_STORE, NULL, NULL, NULL);
			return NULL;
		}
		db_bind_i64(st, 1, id);
		while ((rc = db_step(st)) == DB_ROW) {
			json_t *fields = db_col_is_null(st, 6) ? json_null() : json_loads(db_col_text(st, 6), 0, NULL);
			json_array_append_new(events,
			                      json_pack("{s:I,s:s,s:s,s:o,s:s,s:o,s:o,s:o}", "seq",
			                                (json_int_t)db_col_i64(st, 0), "action", db_col_text(st, 1),
			                                "actor", db_col_text(st, 2), "from", text_or_null(st, 3), "to",
			                                db_col_text(st, 4), "note", text_or_null(st, 5), "fields",
			                                fields ? fields : json_null(), "at", iso_or_null(st, 7)));
		}
		db_stmt_done(st);
		json_object_set_new(c, "events", events);
	}
	return c;
}

static const char SQL_CASE_SCOPE[] = "SELECT grid_code, unit_code, community_code, street_code, zone_code,"
                                     " department_id FROM cases WHERE id = ?";
static const char SQL_PERSON_IN_UNIT[] = "SELECT 1 FROM unit_people p JOIN units u ON u.id = p.unit_id WHERE p.user_id "
                                         "= ? AND u.code IN (?, ?, ?, ?, ?)";
static const char SQL_DEPT_HANDLED[] =
        "SELECT 1 FROM case_events WHERE case_id = ? AND action = 'dispatch' AND fields = ?";

int case_visible(struct db *db, int64_t id, const struct case_viewer *v)
{
	const struct user *u = v->user;
	if (!u)
		return 0;
	struct db_stmt *st = db_prepare(db, SQL_CASE_SCOPE);
	if (!st)
		return -1;
	db_bind_i64(st, 1, id);
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_stmt_done(st);
		return rc == DB_DONE ? 0 : -1;
	}
	char codes[5][40];
	for (int i = 0; i < 5; i++)
		snprintf(codes[i], sizeof codes[i], "%s", db_col_text(st, i));
	int64_t dept = db_col_is_null(st, 5) ? 0 : db_col_i64(st, 5);
	db_stmt_done(st);
	return case_visible_row(db, id, u, (const char(*)[40])codes, dept);
}

int case_visible_row(struct db *db, int64_t id, const struct user *u, const char (*codes)[40], int64_t dept)
{
	if (!u)
		return 0;
	if (u->roles & (ROLE_ADMIN | ROLE_DISPATCHER | ROLE_LEADER | ROLE_SUPERVISOR))
		return 1;
	struct db_stmt *st;
	int rc;
	if ((u->roles & ROLE_DEPARTMENT_HANDLER) && u->scope_department > 0) {
		if (dept == u->scope_department)
			return 1;
		/* Cases once dispatched to the department stay visible to it (the
		 * dispatch event's fields are exactly {"department":ID}). */
		char pattern[64];
		snprintf(pattern, sizeof pattern, "{\"department\":%lld}", (long long)u->scope_department);
		st = db_prepare(db, SQL_DEPT_HANDLED);
		if (!st)
			return -1;
		db_bind_i64(st, 1, id);
		db_bind_text(st, 2, pattern);
		rc = db_step(st);
		db_stmt_done(st);
		if (rc == DB_ROW)
			return 1;
		if (rc != DB_DONE)
			return -1;
	}
	if (u->roles & (ROLE_GRID_LEADER | ROLE_GRID_WORKER)) {
		st = db_prepare(db, SQL_PERSON_IN_UNIT);
		if (!st)
			return -1;
		db_bind_i64(st, 1, u->id);
		for (int i = 0; i < 5; i++)
			db_bind_text(st, 2 + i, codes[i]);
		rc = db_step(st);
		db_stmt_done(st);
		if (rc == DB_ROW)
			return 1;
		if (rc != DB_DONE)
			return -1;
	}
	return 0;
}

/* ---- likely duplicates ---------------------------------------------------- */

static const char SQL_DUP_SELF[] = "SELECT category_code, lat, lon, created_at FROM cases WHERE id = ?";
static const char SQL_DUP[] = "SELECT id, number, status, lat, lon, created_at FROM cases"
                              " WHERE category_code = ? AND created_at BETWEEN ? AND ? AND id <> ?"
                              " AND status <> 'rejected' AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?"
                              /* On a hot spot, the newest 64 (the category/time index stops there). */
                              " ORDER BY created_at DESC LIMIT 64";

static const char SQL_DUP_ROW[] = "SELECT number, status, created_at FROM cases WHERE id = ?";

struct dup {
	int64_t id;
	double d;
};

static int dup_cmp(const void *a, const void *b)
{
	const struct dup *x = a, *y = b;
	return x->d < y->d ? -1 : x->d > y->d ? 1 : (x->id > y->id) - (x->id < y->id);
}

json_t *case_duplicates_json(struct db *db, int64_t id, const struct case_viewer *v)
{
	struct db_stmt *st = db_prepare(db, SQL_DUP_SELF);
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	if (db_step(st) != DB_ROW) {
		db_stmt_done(st);
		return NULL;
	}
	char category[20];
	snprintf(category, sizeof category, "%s", db_col_text(st, 0));
	double lat = db_col_double(st, 1), lon = db_col_double(st, 2);
	int64_t at = db_col_i64(st, 3);
	db_stmt_done(st);

	/* A box a little larger than the circle, then the exact distance. */
	double dlat = CASE_DUP_METRES * 1.01 / 111194.9;
	double c = cos(lat * M_PI / 180.0);
	double dlon = c > 0.01 ? dlat / c : 180.0;
	int64_t window = (int64_t)CASE_DUP_HOURS * 3600 * 1000;
	st = db_prepare(db, SQL_DUP);
	if (!st)
		return NULL;
	db_bind_text(st, 1, category);
	db_bind_i64(st, 2, at - window);
	db_bind_i64(st, 3, at + window);
	db_bind_i64(st, 4, id);
	db_bind_double(st, 5, lat - dlat);
	db_bind_double(st, 6, lat + dlat);
	db_bind_double(st, 7, lon - dlon);
	db_bind_double(st, 8, lon + dlon);
	struct dup found[64];
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		double d = geom_distance_m(lat, lon, db_col_double(st, 3), db_col_double(st, 4));
		if (d > CASE_DUP_METRES)
			continue;
		if (n < (int)(sizeof found / sizeof found[0]))
			found[n++] = (struct dup){db_col_i64(st, 0), d};
	}
	db_stmt_done(st);
	if (rc != DB_DONE)
		return NULL;
	qsort(found, (size_t)n, sizeof found[0], dup_cmp);
	json_t *out = json_array();
	for (int i = 0; i < n && json_array_size(out) < CASE_DUP_MAX; i++) {
		int vis = v->user ? case_visible(db, found[i].id, v) : 0;
		if (vis < 0) {
			json_decref(out);
			return NULL;
		}
		if (!vis)
			continue;
		st = db_prepare(db, SQL_DUP_ROW);
		if (!st) {
			json_decref(out);
			return NULL;
		}
		db_bind_i64(st, 1, found[i].id);
		if (db_step(st) == DB_ROW) {
			char created[40];
			time_format_iso(db_col_i64(st, 2), created, sizeof created);
			json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:f,s:s}", "id", (json_int_t)found[i].id,
			                                     "number", db_col_text(st, 0), "status", db_col_text(st, 1),
			                                     "distance_m", round(found[i].d * 10) / 10, "created_at",
			                                     created));
		}
		db_stmt_done(st);
	}
	return out;
}
