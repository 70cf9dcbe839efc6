/*
 * case_act.c — applying a workflow action to a case.
 *
 * One transaction per action: read the case, work out how the user stands
 * to it, check the version (optimistic concurrency: a stale version is a
 * 409 with the current case), find the row of case_flow's table (409 when
 * the action does not apply in this status, 403 when it does but not for
 * this user), check the row's required fields, then update the case and
 * append the event(s). On any failure nothing is written.
 */
#include "case_act.h"
#include "case_flow.h"
#include "categories.h"
#include "db.h"
#include "roles.h"
#include "text.h"
#include "timeutil.h"
#include "users.h"
#include "workcal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct case_row {
	int64_t id;
	int status;
	int route;
	int64_t department_id;
	char category[20];
	char codes[5][40]; /* unit, grid, community, street, zone */
	int version;
	int rework;
	int64_t deadline, extension_deadline;
	int has_extension;
	int overdue;
	int64_t closed_at; /* 0 when never closed */
	char rating[16];   /* "" when not rated since the last closing */
	char stage[12];
};

static const char SQL_ACT_LOAD[] =
        "SELECT id, status, route, department_id, category_code, unit_code, grid_code, community_code, street_code,"
        " zone_code, version, rework, deadline, extension_deadline, stage, overdue, closed_at, rating FROM cases WHERE "
        "id = ?";

static int load(struct db *db, int64_t id, struct case_row *c)
{
	struct db_stmt *st = db_prepare(db, SQL_ACT_LOAD);
	if (!st)
		return -1;
	db_bind_i64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		memset(c, 0, sizeof *c);
		c->id = db_col_i64(st, 0);
		c->status = case_status_parse(db_col_text(st, 1));
		c->route = strcmp(db_col_text(st, 2), "grid") == 0 ? ROUTE_GRID : ROUTE_DEPARTMENT;
		c->department_id = db_col_is_null(st, 3) ? 0 : db_col_i64(st, 3);
		snprintf(c->category, sizeof c->category, "%s", db_col_text(st, 4));
		for (int i = 0; i < 5; i++)
			snprintf(c->codes[i], sizeof c->codes[i], "%s", db_col_text(st, 5 + i));
		c->version = (int)db_col_i64(st, 10);
		c->rework = (int)db_col_i64(st, 11);
		c->deadline = db_col_is_null(st, 12) ? 0 : db_col_i64(st, 12);
		c->has_extension = !db_col_is_null(st, 13);
		c->extension_deadline = c->has_extension ? db_col_i64(st, 13) : 0;
		snprintf(c->stage, sizeof c->stage, "%s", db_col_text(st, 14));
		c->overdue = (int)db_col_i64(st, 15);
		c->closed_at = db_col_is_null(st, 16) ? 0 : db_col_i64(st, 16);
		snprintf(c->rating, sizeof c->rating, "%s", db_col_text(st, 17));
	}
	db_stmt_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

static const char SQL_DUTIES[] = "SELECT p.duty FROM unit_people p JOIN units u ON u.id = p.unit_id WHERE p.user_id = "
                                 "? AND u.code IN (?, ?, ?, ?, ?)";

/* How a staff user stands to the case (enum case_actor bits). */
static int actors_of(struct db *db, const struct user *u, const struct case_row *c, unsigned *out)
{
	unsigned a = 0;
	if (u->roles & ROLE_DISPATCHER)
		a |= ACT_DISPATCHER;
	if (u->roles & ROLE_SUPERVISOR)
		a |= ACT_SUPERVISOR;
	if (u->roles & ROLE_LEADER)
		a |= ACT_LEADER;
	if ((u->roles & ROLE_DEPARTMENT_HANDLER) && u->scope_department > 0 && u->scope_department == c->department_id)
		a |= ACT_DEPT_HANDLER;
	if (u->roles & (ROLE_GRID_LEADER | ROLE_GRID_WORKER)) {
		struct db_stmt *st = db_prepare(db, SQL_DUTIES);
		if (!st)
			return -1;
		db_bind_i64(st, 1, u->id);
		for (int i = 0; i < 5; i++)
			db_bind_text(st, 2 + i, c->codes[i]);
		int rc;
		while ((rc = db_step(st)) == DB_ROW) {
			const char *duty = db_col_text(st, 0);
			if ((u->roles & ROLE_GRID_LEADER) && strcmp(duty, "grid_leader") == 0)
				a |= ACT_GRID_LEADER;
			if ((u->roles & ROLE_GRID_WORKER) &&
			    (strcmp(duty, "grid_worker") == 0 || strcmp(duty, "microgrid_worker") == 0))
				a |= ACT_GRID_WORKER;
		}
		db_stmt_done(st);
		if (rc != DB_DONE)
			return -1;
	}
	*out = a;
	return 0;
}

/* The table's actions for these actors in the case's status, less those the
 * case's own state rules out: one rating per closing, one extension request
 * at a time, and approval only of a pending request. */
static unsigned allowed_now(const struct case_row *c, unsigned actors)
{
	unsigned mask = case_flow_allowed((enum case_status)c->status, (enum case_route)c->route, actors);
	if (c->rating[0])
		mask &= ~(1u << CA_RATE);
	if (c->has_extension)
		mask &= ~(1u << CA_REQUEST_EXTENSION);
	else
		mask &= ~(1u << CA_APPROVE_EXTENSION);
	return mask;
}

int case_access(struct db *db, int64_t id, const struct user *user, int *version, unsigned *mask)
{
	struct case_row c;
	int rc = load(db, id, &c);
	if (rc)
		return rc == 1 ? 2 : -1;
	int visible = case_visible_row(db, id, user, (const char(*)[40])c.codes, c.department_id);
	unsigned actors = 0;
	if (visible < 0 || actors_of(db, user, &c, &actors) < 0)
		return -1;
	if (visible)
		actors |= ACT_VIEWER;
	*version = c.version;
	*mask = allowed_now(&c, actors);
	return visible;
}

/* ---- fields --------------------------------------------------------------- */

static int text_field(json_t *body, const char *key, int required, size_t max_chars, const char **out, struct zerr *err)
{
	json_t *v = json_object_get(body, key);
	*out = NULL;
	if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)) {
		if (!required)
			return 0;
		char zh[96], en[96];
		snprintf(zh, sizeof zh, "缺少必填字段 %s", key);
		snprintf(en, sizeof en, "%s is required", key);
		return zerr_set(err, ZE_MISSING_FIELD, key, zh, en);
	}
	if (!json_is_string(v) || utf8_chars(json_string_value(v)) > max_chars) {
		char zh[96], en[96];
		snprintf(zh, sizeof zh, "须为不超过 %zu 个字符的文本", max_chars);
		snprintf(en, sizeof en, "must be text of at most %zu characters", max_chars);
		return zerr_set(err, ZE_INVALID_FIELD, key, zh, en);
	}
	*out = json_string_value(v);
	return 0;
}

static int bool_field(json_t *body, const char *key, int *out, struct zerr *err)
{
	json_t *v = json_object_get(body, key);
	if (!v || json_is_null(v)) {
		char zh[96], en[96];
		snprintf(zh, sizeof zh, "缺少必填字段 %s", key);
		snprintf(en, sizeof en, "%s is required", key);
		return zerr_set(err, ZE_MISSING_FIELD, key, zh, en);
	}
	if (!json_is_boolean(v))
		return zerr_set(err, ZE_INVALID_FIELD, key, "必须是布尔值", "must be true or false");
	*out = json_is_true(v);
	return 0;
}

/* ---- apply ---------------------------------------------------------------- */

static const char SQL_ACT_UPDATE[] =
        "UPDATE cases SET status = ?, stage = ?, stage_started_at = COALESCE(?, stage_started_at), deadline = ?, "
        "overdue = ?, route = ?,"
        " department_id = ?, rework = ?, extension_deadline = ?, supervision = COALESCE(?, supervision),"
        " rating = ?, merged_into = COALESCE(?, merged_into), closed_at = ?, version = ?,"
        " updated_at = ?, escalate_at = CASE WHEN ? = 1 THEN escalate_at END WHERE id = ? AND version = ?";
static const char SQL_DEPT_OK[] = "SELECT 1 FROM departments WHERE id = ?";
static const char SQL_MERGE_TARGET[] = "SELECT status FROM cases WHERE id = ?";

static int exists(struct db *db, const char *sql, int64_t id, char *status, size_t len)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	db_bind_i64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW && status)
		snprintf(status, len, "%s", db_col_text(st, 0));
	db_stmt_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int case_act(const struct case_env *env, int64_t id, const struct case_actor_info *who, json_t *body,
             struct case_act_result *res, struct zerr *err)
{
	struct db *db = env->db;
	json_t *fields = NULL;
	memset(res, 0, sizeof *res);
	const char *action_s = json_string_value(json_object_get(body, "action"));
	json_t *jversion = json_object_get(body, "version");
	if (!action_s)
		return zerr_set(err, ZE_MISSING_FIELD, "action", "缺少操作 action", "action is required");
	int action = case_action_parse(action_s);
	if (action < 0)
		return zerr_set(err, ZE_INVALID_FIELD, "action", "未知的操作", "unknown action");
	if (!json_is_integer(jversion))
		return zerr_set(err, ZE_MISSING_FIELD, "version", "缺少版本号 version(整数)",
		                "version (an integer) is required");
	int version = (int)json_integer_value(jversion);

	if (db_begin(db) != DB_OK)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	struct case_row c;
	int rc = load(db, id, &c);
	if (rc) {
		db_rollback(db);
		return rc > 0 ? zerr_set(err, ZE_NOT_FOUND, NULL, "事件不存在", "no such case")
		              : zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	}
	unsigned actors = who->extra;
	if (who->user && actors_of(db, who->user, &c, &actors) < 0)
		goto store_error;
	if (who->user) {
		struct case_viewer v = {who->user, NULL};
		int vis = case_visible(db, id, &v);
		if (vis < 0)
			goto store_error;
		if (vis)
			actors |= ACT_VIEWER;
		if (!vis && !(actors & ~ACT_VIEWER)) {
			db_rollback(db);
			return zerr_set(err, ZE_FORBIDDEN, NULL, "该事件不在您的管辖范围内",
			                "this case is outside your scope");
		}
	}
	res->allowed = allowed_now(&c, actors);
	if (version != c.version) {
		db_rollback(db);
		res->conflict = 1;
		char zh[160], en[160];
		snprintf(zh, sizeof zh, "事件已被他人更新(当前版本 %d),请刷新后重试", c.version);
		snprintf(en, sizeof en, "the case changed meanwhile (now version %d); reload and try again", c.version);
		return zerr_set(err, ZE_CONFLICT, "version", zh, en);
	}
	const struct case_transition *t;
	enum case_flow_result fr = case_flow_find((enum case_status)c.status, (enum case_action)action,
	                                          (enum case_route)c.route, actors, &t);
	if (fr == FLOW_NOT_IN_STATUS) {
		db_rollback(db);
		res->conflict = 1;
		char zh[200], en[200];
		snprintf(zh, sizeof zh, "“%s”状态下不能“%s”", case_status_zh((enum case_status)c.status),
		         case_action_zh((enum case_action)action));
		snprintf(en, sizeof en, "%s is not possible while the case is %s", action_s,
		         case_status_name((enum case_status)c.status));
		return zerr_set(err, ZE_CONFLICT, "action", zh, en);
	}
	if (fr == FLOW_FORBIDDEN) {
		db_rollback(db);
		return zerr_set(err, ZE_FORBIDDEN, "action", "您无权对该事件执行此操作",
		                "you may not take this action on this case");
	}

	/* Fields of the action, validated before anything is written. */
	const char *note = NULL, *result = NULL, *rating = NULL, *level = NULL, *deadline_s = NULL;
	int passed = 0, approved = 0;
	int64_t into = 0, department = 0, ext_deadline = 0;
	fields = json_object();
	switch ((enum case_action)action) {
	case CA_REJECT:
	case CA_RETURN:
		if (text_field(body, "reason", 1, 500, &note, err))
			goto refused;
		break;
	case CA_MERGE: {
		json_t *v = json_object_get(body, "into");
		char st[16] = "";
		into = json_is_integer(v) ? json_integer_value(v) : 0;
		if (!v)
			zerr_set(err, ZE_MISSING_FIELD, "into", "缺少合并目标 into", "into is required");
		else if (into <= 0 || into == id)
			zerr_set(err, ZE_INVALID_FIELD, "into", "合并目标须为另一事件的编号",
			         "into must be another case's id");
		else if ((rc = exists(db, SQL_MERGE_TARGET, into, st, sizeof st)) < 0)
			goto store_error;
		else if (rc == 0 || strcmp(st, "rejected") == 0)
			zerr_set(err, ZE_INVALID_FIELD, "into", "合并目标不存在或已不予立案",
			         "the target case does not exist or was rejected");
		if (err->kind != ZE_OK)
			goto refused;
		json_object_set_new(fields, "into", json_integer(into));
		text_field(body, "note", 0, 500, &note, err);
		break;
	}
	case CA_DISPATCH: {
		json_t *v = json_object_get(body, "department");
		if (v && !json_is_null(v)) {
			department = json_is_integer(v) ? json_integer_value(v) : 0;
			if (department <= 0 || (rc = exists(db, SQL_DEPT_OK, department, NULL, 0)) == 0) {
				zerr_set(err, ZE_INVALID_FIELD, "department", "部门不存在", "no such department");
				goto refused;
			}
			if (rc < 0)
				goto store_error;
		} else if (c.route == ROUTE_DEPARTMENT && c.department_id <= 0) {
			zerr_set(err, ZE_MISSING_FIELD, "department", "请选择处置部门", "department is required");
			goto refused;
		}
		if (department || c.route == ROUTE_DEPARTMENT) /* the event names the department (case_visible) */
			json_object_set_new(fields, "department",
			                    json_integer(department ? department : c.department_id));
		text_field(body, "note", 0, 500, &note, err);
		break;
	}
	case CA_REQUEST_EXTENSION:
		if (text_field(body, "deadline", 1, 40, &deadline_s, err) ||
		    text_field(body, "reason", 1, 500, &note, err))
			goto refused;
		/* A bare date means the end of that office day. */
		if (workcal_parse_time(deadline_s, 17 * 60 + 30, &ext_deadline) || ext_deadline <= c.deadline) {
			zerr_set(err, ZE_INVALID_FIELD, "deadline", "延期后的期限须为晚于当前期限的时间(ISO 8601)",
			         "deadline must be an ISO 8601 time later than the current deadline");
			goto refused;
		}
		if (c.has_extension) {
			zerr_set(err, ZE_CONFLICT, "deadline", "已有待审批的延期申请",
			         "an extension request is already pending");
			goto refused;
		}
		json_object_set_new(fields, "deadline", json_string(deadline_s));
		break;
	case CA_APPROVE_EXTENSION:
		if (bool_field(body, "approved", &approved, err))
			goto refused;
		if (!c.has_extension) {
			zerr_set(err, ZE_CONFLICT, "approved", "没有待审批的延期申请",
			         "no extension request is pending");
			goto refused;
		}
		json_object_set_new(fields, "approved", json_boolean(approved));
		text_field(body, "note", 0, 500, &note, err);
		break;
	case CA_HANDLE:
		if (text_field(body, "result", 1, 2000, &result, err))
			goto refused;
		note = result;
		break;
	case CA_VERIFY:
		if (bool_field(body, "passed", &passed, err) || text_field(body, "note", !passed, 500, &note, err))
			goto refused;
		json_object_set_new(fields, "passed", json_boolean(passed));
		break;
	case CA_RATE:
		if (text_field(body, "rating", 1, 20, &rating, err))
			goto refused;
		if (strcmp(rating, "satisfied") && strcmp(rating, "basic") && strcmp(rating, "unsatisfied")) {
			zerr_set(err, ZE_INVALID_FIELD, "rating", "评价须为 satisfied、basic 或 unsatisfied",
			         "rating must be satisfied, basic or unsatisfied");
			goto refused;
		}
		if (text_field(body, "comment", 0, 500, &note, err))
			goto refused;
		if (c.rating[0]) {
			/* One rating per closing: a reopened case is rated again once it closes again. */
			zerr_set(err, ZE_CONFLICT, "rating", "该事件已评价", "this case has already been rated");
			goto refused;
		}
		json_object_set_new(fields, "rating", json_string(rating));
		break;
	case CA_SUPERVISE:
		if (text_field(body, "level", 1, 10, &level, err) || text_field(body, "note", 0, 500, &note, err))
			goto refused;
		if (strcmp(level, "yellow") && strcmp(level, "red")) {
			zerr_set(err, ZE_INVALID_FIELD, "level", "督办等级须为 yellow 或 red",
			         "level must be yellow or red");
			goto refused;
		}
		json_object_set_new(fields, "level", json_string(level));
		break;
	case CA_COMMENT:
		if (text_field(body, "note", 1, 2000, &note, err))
			goto refused;
		break;
	case CA_ACCEPT:
		text_field(body, "note", 0, 500, &note, err);
		break;
	case CA__COUNT:
		break;
	}
	if (err->kind != ZE_OK)
		goto refused;
	/* Photos go with a result, a verification or a comment (现场照片). */
	const char *photos[PHOTO_MAX_PER_CASE];
	int nphotos = 0;
	if (action == CA_HANDLE || action == CA_VERIFY || action == CA_COMMENT) {
		if (photo_ids_from_json(body, photos, &nphotos, err))
			goto refused;
		if (nphotos) {
			json_t *a = json_array();
			for (int i = 0; i < nphotos; i++)
				json_array_append_new(a, json_string(photos[i]));
			json_object_set_new(fields, "photos", a);
		}
	}

	/* The new state. */
	struct category cat;
	rc = category_get(db, c.category, &cat);
	if (rc != 0)
		goto store_error;
	int64_t now = time_now_ms();
	int next = case_flow_next(t, passed, rating && strcmp(rating, "unsatisfied") == 0);
	const char *stage = c.stage;
	int64_t deadline = c.deadline;
	int overdue = c.overdue, rework = c.rework, route = c.route;
	int64_t dept = c.department_id, extension = c.has_extension ? c.extension_deadline : 0;
	int auto_dispatch = 0;
	int stage_id = -1;
	switch (next) {
	case CS_ACCEPTED:
		/* Accepted with a known route goes straight on to the department or grid. */
		if (action == CA_ACCEPT && (c.route == ROUTE_GRID || c.department_id > 0)) {
			auto_dispatch = 1;
			next = CS_DISPATCHED;
			stage_id = CAT_HANDLE;
		} else {
			stage_id = CAT_DISPATCH;
		}
		break;
	case CS_DISPATCHED:
		if (c.status != CS_DISPATCHED)
			stage_id = CAT_HANDLE;
		if (action == CA_VERIFY || action == CA_RATE)
			rework++;
		break;
	case CS_HANDLED:
		stage_id = CAT_VERIFY;
		break;
	case CS_CLOSED:
	case CS_REJECTED:
		stage = "none";
		deadline = 0;
		overdue = 0;
		break;
	}
	static const char *const stage_names[] = {"accept", "dispatch", "handle", "verify"};
	if (stage_id >= 0) {
		stage = stage_names[stage_id];
		overdue = 0; /* a new stage starts on time */
		if (case_stage_deadline(env->cal, &cat, stage_id, now, &deadline, err))
			goto refused;
	}
	if (action == CA_DISPATCH && department) {
		dept = department;
		route = ROUTE_DEPARTMENT;
	}
	if (action == CA_REQUEST_EXTENSION)
		extension = ext_deadline;
	if (action == CA_APPROVE_EXTENSION) {
		if (approved) {
			deadline = extension;
			if (deadline > now)
				overdue = 0;
		}
		extension = 0;
	}
	/* The first closing time stays when a closed case is rated; reopening clears it. */
	int64_t closed_at = next == CS_CLOSED ? (c.closed_at ? c.closed_at : now) : 0;

	int new_version = c.version + 1 + auto_dispatch;
	struct db_stmt *st = db_prepare(db, SQL_ACT_UPDATE);
	if (!st)
		goto store_error;
	db_bind_text(st, 1, case_status_name((enum case_status)next));
	db_bind_text(st, 2, stage);
	if (strcmp(stage, c.stage) != 0 || stage_id >= 0)
		db_bind_i64(st, 3, now); /* a new stage starts now */
	else
		db_bind_null(st, 3);
	if (deadline)
		db_bind_i64(st, 4, deadline);
	else
		db_bind_null(st, 4);
	db_bind_i64(st, 5, overdue);
	db_bind_text(st, 6, route == ROUTE_GRID ? "grid" : "department");
	if (dept > 0)
		db_bind_i64(st, 7, dept);
	else
		db_bind_null(st, 7);
	db_bind_i64(st, 8, rework);
	if (extension)
		db_bind_i64(st, 9, extension);
	else
		db_bind_null(st, 9);
	db_bind_text(st, 10, level);
	/* The rating belongs to one closing: a new closing starts unrated. */
	db_bind_text(st, 11,
	             rating                                         ? rating
	             : (next == CS_CLOSED && c.status != CS_CLOSED) ? NULL
	                                                            : (c.rating[0] ? c.rating : NULL));
	if (into)
		db_bind_i64(st, 12, into);
	else
		db_bind_null(st, 12);
	if (closed_at)
		db_bind_i64(st, 13, closed_at);
	else
		db_bind_null(st, 13);
	db_bind_i64(st, 14, new_version);
	db_bind_i64(st, 15, now);
	db_bind_i64(st, 16, overdue); /* on time again: no red escalation pending */
	db_bind_i64(st, 17, id);
	db_bind_i64(st, 18, c.version);
	rc = db_step(st);
	db_stmt_done(st);
	if (rc != DB_DONE)
		goto store_error;
	char *fields_text = json_object_size(fields) ? json_dumps(fields, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	const char *actor_name = who->user ? who->user->name : who->name;
	int64_t actor_id = who->user ? who->user->id : 0;
	const char *to1 = case_status_name(auto_dispatch ? CS_ACCEPTED : (enum case_status)next);
	rc = case_event_append(db, id, c.version + 1, action_s, actor_id, actor_name,
	                       case_status_name((enum case_status)c.status), to1, note, fields_text, now);
	free(fields_text);
	if (rc)
		goto store_error;
	if (nphotos && photo_link(db, id, c.version + 1, photos, nphotos, err))
		goto refused;
	char dispatch_fields[48]; /* the department, as case_visible() reads it */
	snprintf(dispatch_fields, sizeof dispatch_fields, "{\"department\":%lld}", (long long)c.department_id);
	if (auto_dispatch &&
	    case_event_append(db, id, c.version + 2, "dispatch", 0, "system", "accepted", "dispatched",
	                      c.route == ROUTE_GRID ? "自动派遣至网格 dispatched to the grid"
	                                            : "自动派遣至责任部门 dispatched to the department",
	                      c.route == ROUTE_GRID ? NULL : dispatch_fields, now))
		goto store_error;
	if (db_commit(db) != DB_OK) {
		json_decref(fields);
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	}
	json_decref(fields);
	return 0;
refused:
	json_decref(fields);
	db_rollback(db);
	return -1;
store_error:
	json_decref(fields);
	db_rollback(db);
	return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
}
