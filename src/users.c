/*
 * users.c — staff accounts; see users.h for the rules and the contract.
 */
#include "users.h"
#include "auth.h"
#include "db.h"
#include "roles.h"
#include "text.h"
#include "timeutil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void user_input_init(struct user_input *in)
{
	memset(in, 0, sizeof *in);
	in->scope_department = -1;
	in->disabled = -1;
}

static int get_string(json_t *obj, const char *key, const char **out, struct zerr *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return zerr_set(err, ZE_INVALID_FIELD, key, "必须是字符串", "must be a string");
	*out = json_string_value(v);
	return 0;
}

int user_input_from_json(json_t *obj, struct user_input *in, struct zerr *err)
{
	static const char *const fields[] = {"username", "name", "password", "phone", NULL};
	const char **targets[] = {&in->username, &in->name, &in->password, &in->phone};
	for (int i = 0; fields[i]; i++)
		if (get_string(obj, fields[i], targets[i], err))
			return -1;

	json_t *roles = json_object_get(obj, "roles");
	if (roles && !json_is_null(roles)) {
		if (!json_is_array(roles) || json_array_size(roles) == 0)
			return zerr_set(err, ZE_INVALID_FIELD, "roles", "角色须为非空数组",
			                "roles must be a non-empty array");
		size_t i;
		json_t *r;
		json_array_foreach (roles, i, r) {
			unsigned bit = json_is_string(r) ? role_parse(json_string_value(r)) : 0;
			if (!bit)
				return zerr_set(err, ZE_INVALID_FIELD, "roles", "包含未知角色",
				                "contains an unknown role");
			in->roles |= bit;
		}
	}

	json_t *disabled = json_object_get(obj, "disabled");
	if (disabled && !json_is_null(disabled)) {
		if (!json_is_boolean(disabled))
			return zerr_set(err, ZE_INVALID_FIELD, "disabled", "必须是布尔值", "must be true or false");
		in->disabled = json_is_true(disabled);
	}

	json_t *scope = json_object_get(obj, "scope");
	if (scope && !json_is_null(scope)) {
		if (!json_is_object(scope))
			return zerr_set(err, ZE_INVALID_FIELD, "scope", "必须是对象", "must be an object");
		json_t *unit = json_object_get(scope, "unit");
		if (unit && !json_is_null(unit)) {
			if (!json_is_string(unit))
				return zerr_set(err, ZE_INVALID_FIELD, "scope.unit", "必须是单元编码字符串",
				                "must be a unit code string");
			in->scope_unit = json_string_value(unit);
		} else if (unit) {
			in->scope_unit = "";
		}
		json_t *dep = json_object_get(scope, "department");
		if (dep && !json_is_null(dep)) {
			if (!json_is_integer(dep) || json_integer_value(dep) <= 0)
				return zerr_set(err, ZE_INVALID_FIELD, "scope.department", "必须是部门编号",
				                "must be a department id");
			in->scope_department = json_integer_value(dep);
		} else if (dep) {
			in->scope_department = 0;
		}
	}
	return 0;
}

static int validate_username(const char *s, struct zerr *err)
{
	size_t n = strlen(s);
	int ok = n >= 3 && n <= 32 && (islower((unsigned char)s[0]) || isdigit((unsigned char)s[0]));
	for (size_t i = 0; ok && i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		ok = islower(c) || isdigit(c) || c == '_' || c == '.' || c == '-';
	}
	if (!ok)
		return zerr_set(err, ZE_INVALID_FIELD, "username",
		                "用户名须为3至32位小写字母、数字或 _ . -,以字母或数字开头",
		                "username must be 3-32 of a-z 0-9 _ . - starting with a letter or digit");
	return 0;
}

static int validate_name(const char *s, struct zerr *err)
{
	size_t chars = utf8_valid(s, strlen(s)) ? utf8_chars(s) : 0;
	if (chars < 1 || chars > 64 || text_has_control(s))
		return zerr_set(err, ZE_INVALID_FIELD, "name", "姓名须为1至64个字符", "name must be 1-64 characters");
	return 0;
}

static int validate_password(const char *s, struct zerr *err)
{
	size_t n = strlen(s);
	if (n < 10 || n > 128)
		return zerr_set(err, ZE_INVALID_FIELD, "password", "密码长度须为10至128个字符",
		                "password must be 10-128 characters");
	return 0;
}

int phone_valid(const char *p)
{
	if (strlen(p) != 11 || p[0] != '1')
		return 0;
	for (int i = 0; i < 11; i++)
		if (!isdigit((unsigned char)p[i]))
			return 0;
	return 1;
}

static int validate_phone(const char *s, struct zerr *err)
{
	if (*s && !phone_valid(s))
		return zerr_set(err, ZE_INVALID_FIELD, "phone", "手机号须为以1开头的11位数字",
		                "phone must be 11 digits starting with 1");
	return 0;
}

static int validate_unit(const char *s, struct zerr *err)
{
	size_t n = strlen(s);
	int ok = n <= 32;
	for (size_t i = 0; ok && i < n; i++)
		ok = isdigit((unsigned char)s[i]);
	if (!ok)
		return zerr_set(err, ZE_INVALID_FIELD, "scope.unit", "单元编码须为1至32位数字",
		                "unit code must be 1-32 digits");
	return 0;
}

static const char SQL_DEPT_EXISTS[] = "SELECT 1 FROM departments WHERE id = ?";

static int validate_department(struct db *db, int64_t id, struct zerr *err)
{
	if (id <= 0)
		return 0;
	struct db_stmt *st = db_prepare(db, SQL_DEPT_EXISTS);
	if (!st)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	db_bind_i64(st, 1, id);
	int rc = db_step(st);
	db_stmt_done(st);
	if (rc == DB_DONE)
		return zerr_set(err, ZE_INVALID_FIELD, "scope.department", "部门不存在", "no such department");
	return rc == DB_ROW ? 0 : zerr_set(err, ZE_STORE, NULL, NULL, NULL);
}

/* Field checks shared by create and update; only given fields are checked. */
static int validate_input(struct db *db, const struct user_input *in, struct zerr *err)
{
	if (in->username && validate_username(in->username, err))
		return -1;
	if (in->name && validate_name(in->name, err))
		return -1;
	if (in->password && validate_password(in->password, err))
		return -1;
	if (in->phone && validate_phone(in->phone, err))
		return -1;
	if (in->scope_unit && validate_unit(in->scope_unit, err))
		return -1;
	return validate_department(db, in->scope_department, err);
}

void user_from_row(struct db_stmt *st, struct user *u)
{
	memset(u, 0, sizeof *u);
	u->id = db_col_i64(st, 0);
	snprintf(u->username, sizeof u->username, "%s", db_col_text(st, 1));
	snprintf(u->name, sizeof u->name, "%s", db_col_text(st, 2));
	u->roles = (unsigned)db_col_i64(st, 3);
	snprintf(u->phone, sizeof u->phone, "%s", db_col_text(st, 4));
	snprintf(u->scope_unit, sizeof u->scope_unit, "%s", db_col_text(st, 5));
	u->scope_department = db_col_i64(st, 6);
	u->disabled = (int)db_col_i64(st, 7);
	u->created_at = db_col_i64(st, 8);
}

static const char SQL_USER_BY_ID[] = "SELECT id, username, name, roles, phone, scope_unit, scope_department, disabled,"
                                     " created_at FROM users WHERE id = ?";
static const char SQL_USER_BY_NAME[] = "SELECT id, username, name, roles, phone, scope_unit, scope_department,"
                                       " disabled, created_at FROM users WHERE username = ?";

int user_get(struct db *db, int64_t id, struct user *out)
{
	struct db_stmt *st = db_prepare(db, SQL_USER_BY_ID);
	if (!st)
		return -1;
	db_bind_i64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		user_from_row(st, out);
	db_stmt_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int user_get_by_name(struct db *db, const char *username, struct user *out)
{
	struct db_stmt *st = db_prepare(db, SQL_USER_BY_NAME);
	if (!st)
		return -1;
	db_bind_text(st, 1, username);
	int rc = db_step(st);
	if (rc == DB_ROW)
		user_from_row(st, out);
	db_stmt_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

static const char SQL_AUDIT[] = "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)";

int audit_write(struct db *db, const char *actor, const char *action, const char *target, const char *detail)
{
	struct db_stmt *st = db_prepare(db, SQL_AUDIT);
	if (!st)
		return -1;
	db_bind_i64(st, 1, time_now_ms());
	db_bind_text(st, 2, actor);
	db_bind_text(st, 3, action);
	db_bind_text(st, 4, target);
	db_bind_text(st, 5, detail);
	int rc = db_step(st);
	db_stmt_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static const char SQL_USER_INSERT[] =
        "INSERT INTO users (username, name, password_hash, roles, phone, scope_unit, scope_department, disabled,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING id";

int user_create(struct db *db, const struct user_input *in, const char *actor, struct user *out, struct zerr *err)
{
	if (!in->username)
		return zerr_set(err, ZE_MISSING_FIELD, "username", "缺少用户名", "username is required");
	if (!in->name)
		return zerr_set(err, ZE_MISSING_FIELD, "name", "缺少姓名", "name is required");
	if (!in->password)
		return zerr_set(err, ZE_MISSING_FIELD, "password", "缺少密码", "password is required");
	if (!in->roles)
		return zerr_set(err, ZE_MISSING_FIELD, "roles", "至少需要一个角色", "at least one role is required");
	if (validate_input(db, in, err))
		return -1;

	char hash[AUTH_HASH_MAX];
	if (auth_hash_password(in->password, hash))
		return zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);

	int64_t now = time_now_ms(), id = 0;
	if (db_begin(db) != DB_OK)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	struct db_stmt *st = db_prepare(db, SQL_USER_INSERT);
	if (!st)
		goto store_error;
	db_bind_text(st, 1, in->username);
	db_bind_text(st, 2, in->name);
	db_bind_text(st, 3, hash);
	db_bind_i64(st, 4, in->roles);
	db_bind_text(st, 5, in->phone && *in->phone ? in->phone : NULL);
	db_bind_text(st, 6, in->scope_unit && *in->scope_unit ? in->scope_unit : NULL);
	if (in->scope_department > 0)
		db_bind_i64(st, 7, in->scope_department);
	else
		db_bind_null(st, 7);
	db_bind_i64(st, 8, now);
	db_bind_i64(st, 9, now);
	int rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_i64(st, 0);
	if (rc == DB_ROW)
		rc = db_step(st);
	db_stmt_done(st);
	if (rc == DB_CONSTRAINT) {
		db_rollback(db);
		return zerr_set(err, ZE_CONFLICT, "username", "用户名已存在", "username is already taken");
	}
	if (rc != DB_DONE || id <= 0)
		goto store_error;
	if (audit_write(db, actor, "user.create", in->username, NULL))
		goto store_error;
	if (db_commit(db) != DB_OK)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	return user_get(db, id, out) == 0 ? 0 : zerr_set(err, ZE_STORE, NULL, NULL, NULL);
store_error:
	db_rollback(db);
	return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
}

static const char SQL_USER_UPDATE[] =
        "UPDATE users SET name = ?, roles = ?, phone = ?, scope_unit = ?, scope_department = ?, disabled = ?,"
        " password_hash = COALESCE(?, password_hash), updated_at = ? WHERE id = ?";

int user_update(struct db *db, int64_t id, const struct user_input *in, const char *actor, struct user *out,
                struct zerr *err)
{
	struct user cur;
	if (in->username)
		return zerr_set(err, ZE_INVALID_FIELD, "username", "用户名不可修改", "username cannot be changed");
	if (validate_input(db, in, err))
		return -1;
	char hash[AUTH_HASH_MAX];
	if (in->password && auth_hash_password(in->password, hash))
		return zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);

	if (db_begin(db) != DB_OK)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	int found = user_get(db, id, &cur);
	if (found == 1) {
		db_rollback(db);
		return zerr_set(err, ZE_NOT_FOUND, NULL, "用户不存在", "no such user");
	}
	if (found < 0)
		goto store_error;

	int disabled = in->disabled >= 0 ? in->disabled : cur.disabled;
	int64_t dept = in->scope_department >= 0 ? in->scope_department : cur.scope_department;
	const char *phone = in->phone ? in->phone : cur.phone;
	const char *unit = in->scope_unit ? in->scope_unit : cur.scope_unit;
	struct db_stmt *st = db_prepare(db, SQL_USER_UPDATE);
	if (!st)
		goto store_error;
	db_bind_text(st, 1, in->name ? in->name : cur.name);
	db_bind_i64(st, 2, in->roles ? in->roles : cur.roles);
	db_bind_text(st, 3, *phone ? phone : NULL);
	db_bind_text(st, 4, *unit ? unit : NULL);
	if (dept > 0)
		db_bind_i64(st, 5, dept);
	else
		db_bind_null(st, 5);
	db_bind_i64(st, 6, disabled);
	db_bind_text(st, 7, in->password ? hash : NULL);
	db_bind_i64(st, 8, time_now_ms());
	db_bind_i64(st, 9, id);
	int rc = db_step(st);
	db_stmt_done(st);
	if (rc != DB_DONE)
		goto store_error;
	/* A disabled account or a new password ends every open session. */
	if ((disabled && !cur.disabled) || in->password) {
		if (auth_session_revoke_user(db, id))
			goto store_error;
	}
	char detail[128];
	snprintf(detail, sizeof detail, "%s%s%s%s%s", in->name ? "name " : "", in->roles ? "roles " : "",
	         in->password ? "password " : "", in->disabled >= 0 ? (disabled ? "disabled " : "enabled ") : "",
	         in->phone || in->scope_unit || in->scope_department >= 0 ? "contact/scope" : "");
	if (audit_write(db, actor, "user.update", cur.username, detail))
		goto store_error;
	if (db_commit(db) != DB_OK)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	return user_get(db, id, out) == 0 ? 0 : zerr_set(err, ZE_STORE, NULL, NULL, NULL);
store_error:
	db_rollback(db);
	return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
}

static const char SQL_USER_COUNT[] =
        "SELECT COUNT(*) FROM users WHERE (? IS NULL OR username LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')";
static const char SQL_USER_PAGE[] =
        "SELECT id, username, name, roles, phone, scope_unit, scope_department, disabled, created_at FROM users"
        " WHERE (? IS NULL OR username LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\') ORDER BY id LIMIT ? OFFSET ?";

static void bind_search(struct db_stmt *st, const char *q, const char *pattern)
{
	db_bind_text(st, 1, q);
	db_bind_text(st, 2, pattern);
	db_bind_text(st, 3, pattern);
}

int user_list(struct db *db, const char *q, int page, int per_page, json_t **items, int64_t *total)
{
	char pattern[200];
	*items = NULL;
	if (!text_like_pattern(q, pattern, sizeof pattern))
		q = NULL; /* no search */
	struct db_stmt *st = db_prepare(db, SQL_USER_COUNT);
	if (!st)
		return -1;
	bind_search(st, q, pattern);
	int rc = db_step(st);
	*total = rc == DB_ROW ? db_col_i64(st, 0) : 0;
	db_stmt_done(st);
	if (rc != DB_ROW)
		return -1;

	st = db_prepare(db, SQL_USER_PAGE);
	if (!st)
		return -1;
	bind_search(st, q, pattern);
	db_bind_i64(st, 4, per_page);
	db_bind_i64(st, 5, (int64_t)(page - 1) * per_page);
	json_t *arr = json_array();
	struct user u;
	while ((rc = db_step(st)) == DB_ROW) {
		user_from_row(st, &u);
		json_array_append_new(arr, user_to_json(&u, 0));
	}
	db_stmt_done(st);
	if (rc != DB_DONE) {
		json_decref(arr);
		return -1;
	}
	*items = arr;
	return 0;
}

void phone_mask(const char *phone, char *out, size_t outlen)
{
	size_t n = strlen(phone);
	if (n == 0)
		snprintf(out, outlen, "%s", "");
	else if (n >= 7)
		snprintf(out, outlen, "%.3s****%s", phone, phone + n - 4);
	else
		snprintf(out, outlen, "****");
}

json_t *user_to_json(const struct user *u, int show_phone)
{
	char phone[32], created[40];
	if (show_phone)
		snprintf(phone, sizeof phone, "%s", u->phone);
	else
		phone_mask(u->phone, phone, sizeof phone);
	time_format_iso(u->created_at, created, sizeof created);
	json_t *scope = json_object();
	json_object_set_new(scope, "unit", u->scope_unit[0] ? json_string(u->scope_unit) : json_null());
	json_object_set_new(scope, "department",
	                    u->scope_department > 0 ? json_integer(u->scope_department) : json_null());
	return json_pack("{s:I,s:s,s:s,s:o,s:o,s:o,s:b,s:s}", "id", (json_int_t)u->id, "username", u->username, "name",
	                 u->name, "roles", roles_to_json(u->roles), "scope", scope, "phone",
	                 phone[0] ? json_string(phone) : json_null(), "disabled", u->disabled, "created_at", created);
}

static const char SQL_DEPT_BY_CODE[] = "SELECT id FROM departments WHERE code = ?";
static const char SQL_DEPT_INSERT[] = "INSERT INTO departments (code, name, created_at) VALUES (?, ?, ?) RETURNING id";

int64_t department_ensure(struct db *db, const char *code, const char *name)
{
	struct db_stmt *st = db_prepare(db, SQL_DEPT_BY_CODE);
	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_i64(st, 0) : -1;
	db_stmt_done(st);
	if (rc == DB_ROW)
		return id;
	st = db_prepare(db, SQL_DEPT_INSERT);
	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	db_bind_text(st, 2, name);
	db_bind_i64(st, 3, time_now_ms());
	rc = db_step(st);
	id = rc == DB_ROW ? db_col_i64(st, 0) : -1;
	if (rc == DB_ROW)
		db_step(st);
	db_stmt_done(st);
	return id;
}
