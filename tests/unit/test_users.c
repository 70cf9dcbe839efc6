/*
 * test_users.c — staff accounts (users.h): validation, creation, changes,
 * listing and the audit trail, on a real temporary SQLite store.
 *
 * The six accounts below are made once (argon2id hashing is slow) in a
 * template store; each test works on a fresh copy of it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "auth.h"
#include "db.h"
#include "roles.h"
#include "testutil.h"
#include "timeutil.h"
#include "users.h"

#include <stdio.h>
#include <string.h>

#define PASSWORD "correct-horse-42"

static const struct {
	const char *username, *name, *phone;
	unsigned roles;
} seed[] = {
        {"admin", "系统管理员", "", ROLE_ADMIN},
        {"zhang_san", "张三", "13812341234", ROLE_GRID_WORKER},
        {"zhangsan", "张三丰", "", ROLE_GRID_LEADER | ROLE_GRID_WORKER},
        {"li.si", "李四", "", ROLE_DISPATCHER},
        {"wang-wu", "王五 100%", "", ROLE_LEADER},
        {"zhao6", "赵六_组长", "", ROLE_SUPERVISOR},
};
#define NSEED ((int64_t)(sizeof seed / sizeof seed[0]))

static char template_dir[PATH_MAX];
static struct db *template_db;
static int64_t seed_id[sizeof seed / sizeof seed[0]];

static int group_setup(void **state)
{
	(void)state;
	if (auth_init() != 0)
		return -1;
	tu_mkdtemp(template_dir);
	template_db = tu_open_store(template_dir, "template.db");
	for (size_t i = 0; i < sizeof seed / sizeof seed[0]; i++) {
		struct user_input in;
		user_input_init(&in);
		in.username = seed[i].username;
		in.name = seed[i].name;
		in.password = PASSWORD;
		in.roles = seed[i].roles;
		in.phone = seed[i].phone;
		struct user u;
		struct zerr err;
		zerr_clear(&err);
		if (user_create(template_db, &in, "setup", &u, &err)) {
			print_error("seed %s: %s %s\n", seed[i].username, zg_error_code(err.kind), err.en);
			return -1;
		}
		seed_id[i] = u.id;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	db_close(template_db);
	tu_rmtree(template_dir);
	return 0;
}

struct fixture {
	char dir[PATH_MAX];
	struct db *db;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	tu_mkdtemp(f->dir);
	f->db = tu_copy_store(template_db, f->dir, "store.db");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	tu_rmtree(f->dir);
	free(f);
	return 0;
}

static int64_t count_users(struct fixture *f)
{
	return tu_query_i64(f->db, "SELECT COUNT(*) FROM users");
}

static int64_t count_audit(struct fixture *f)
{
	return tu_query_i64(f->db, "SELECT COUNT(*) FROM audit_log");
}

/* A complete, valid new account ("new.user"). */
static void valid_input(struct user_input *in)
{
	user_input_init(in);
	in->username = "new.user";
	in->name = "新用户";
	in->password = PASSWORD;
	in->roles = ROLE_GRID_WORKER;
	in->phone = "13900001111";
}

/* Asserts that user_create refuses in with (kind, field) and leaves the
 * users table and the audit log as they were. */
static void expect_create_refused(struct fixture *f, const struct user_input *in, enum zg_error kind, const char *field)
{
	int64_t users = count_users(f), audits = count_audit(f);
	struct user out;
	struct zerr err;
	zerr_clear(&err);
	int rc = user_create(f->db, in, "tester", &out, &err);
	if (rc != -1 || err.kind != kind)
		print_error("user_create: rc %d kind %s field %s (want %s %s)\n", rc, zg_error_code(err.kind),
		            err.field ? err.field : "-", zg_error_code(kind), field);
	assert_int_equal(rc, -1);
	assert_int_equal(err.kind, kind);
	assert_non_null(err.field);
	assert_string_equal(err.field, field);
	assert_true(strlen(err.en) > 0);
	assert_true(strlen(err.zh) > 0);
	assert_int_equal(count_users(f), users);
	assert_int_equal(count_audit(f), audits);
	assert_int_equal(f->db->in_tx, 0);
}

/* --- create: validation ------------------------------------------------ */

static void test_users_create_refuses_bad_username(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {
	        "ab",                                /* too short */
	        "abcdefghijklmnopqrstuvwxyz0123456", /* 33 */
	        "Zhang",                             /* upper case */
	        "_abc",                              /* must start with a letter or digit */
	        "-abc",
	        ".abc",
	        "zhang san",
	        "zhang@san",
	        "张三丰",
	        "",
	};
	struct user_input in;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		valid_input(&in);
		in.username = bad[i];
		expect_create_refused(f, &in, ZE_INVALID_FIELD, "username");
	}
	valid_input(&in);
	in.username = NULL;
	expect_create_refused(f, &in, ZE_MISSING_FIELD, "username");
}

static void test_users_create_refuses_bad_name(void **state)
{
	struct fixture *f = *state;
	char long_name[65 * 3 + 1] = "";
	for (int i = 0; i < 65; i++)
		memcpy(long_name + i * 3, "张", 3); /* 65 characters */
	long_name[65 * 3] = '\0';
	const char *bad[] = {"", long_name, "张\n三", "tab\there", "\xff\xfe", "\xe5\xbc", "del\x7f"};
	struct user_input in;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		valid_input(&in);
		in.name = bad[i];
		expect_create_refused(f, &in, ZE_INVALID_FIELD, "name");
	}
	valid_input(&in);
	in.name = NULL;
	expect_create_refused(f, &in, ZE_MISSING_FIELD, "name");
}

static void test_users_create_refuses_bad_password_length(void **state)
{
	struct fixture *f = *state;
	char long_pw[130];
	memset(long_pw, 'p', 129);
	long_pw[129] = '\0';
	struct user_input in;
	valid_input(&in);
	in.password = "123456789"; /* 9 bytes */
	expect_create_refused(f, &in, ZE_INVALID_FIELD, "password");
	in.password = long_pw; /* 129 bytes */
	expect_create_refused(f, &in, ZE_INVALID_FIELD, "password");
	in.password = "";
	expect_create_refused(f, &in, ZE_INVALID_FIELD, "password");
	in.password = NULL;
	expect_create_refused(f, &in, ZE_MISSING_FIELD, "password");
}

static void test_users_create_refuses_empty_roles(void **state)
{
	struct fixture *f = *state;
	struct user_input in;
	valid_input(&in);
	in.roles = 0;
	expect_create_refused(f, &in, ZE_MISSING_FIELD, "roles");
}

static void test_users_create_refuses_bad_phone(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {
	        "1381234123",   /* 10 digits */
	        "138123412345", /* 12 */
	        "23812341234",  /* not starting with 1 */
	        "1381234123a",  "+8613812341234", "138 1234 1234",
	};
	struct user_input in;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		valid_input(&in);
		in.phone = bad[i];
		expect_create_refused(f, &in, ZE_INVALID_FIELD, "phone");
	}
}

static void test_users_create_refuses_bad_scope_unit(void **state)
{
	struct fixture *f = *state;
	struct user_input in;
	valid_input(&in);
	in.scope_unit = "12a";
	expect_create_refused(f, &in, ZE_INVALID_FIELD, "scope.unit");
	in.scope_unit = "123456789012345678901234567890123"; /* 33 digits */
	expect_create_refused(f, &in, ZE_INVALID_FIELD, "scope.unit");
}

static void test_users_create_refuses_unknown_department(void **state)
{
	struct fixture *f = *state;
	struct user_input in;
	valid_input(&in);
	in.scope_department = 999;
	expect_create_refused(f, &in, ZE_INVALID_FIELD, "scope.department");
}

static void test_users_create_duplicate_username_conflict(void **state)
{
	struct fixture *f = *state;
	struct user_input in;
	valid_input(&in);
	in.username = "li.si";
	expect_create_refused(f, &in, ZE_CONFLICT, "username");
	/* The existing account is untouched. */
	struct user u;
	assert_int_equal(user_get_by_name(f->db, "li.si", &u), 0);
	assert_string_equal(u.name, "李四");
	assert_int_equal(u.roles, ROLE_DISPATCHER);
}

/* --- create: success and audit ----------------------------------------- */

static void test_users_create_stores_account_and_audits(void **state)
{
	struct fixture *f = *state;
	int64_t dept = department_ensure(f->db, "D01", "城市管理局");
	assert_true(dept > 0);
	char name64[64 * 3 + 1];
	for (int i = 0; i < 64; i++)
		memcpy(name64 + i * 3, "管", 3);
	name64[64 * 3] = '\0';

	struct user_input in;
	valid_input(&in);
	in.name = name64; /* 64 characters: the most allowed */
	in.roles = ROLE_DEPARTMENT_HANDLER | ROLE_GRID_WORKER;
	in.scope_unit = "0101";
	in.scope_department = dept;
	int64_t users = count_users(f), audits = count_audit(f), before = time_now_ms();
	struct user u;
	struct zerr err;
	zerr_clear(&err);
	assert_int_equal(user_create(f->db, &in, "tester", &u, &err), 0);
	assert_int_equal(err.kind, ZE_OK);
	assert_true(u.id > 0);
	assert_string_equal(u.username, "new.user");
	assert_string_equal(u.name, name64);
	assert_int_equal(u.roles, ROLE_DEPARTMENT_HANDLER | ROLE_GRID_WORKER);
	assert_string_equal(u.phone, "13900001111");
	assert_string_equal(u.scope_unit, "0101");
	assert_int_equal(u.scope_department, dept);
	assert_int_equal(u.disabled, 0);
	assert_true(u.created_at >= before);
	assert_int_equal(count_users(f), users + 1);

	/* One audit row, naming the actor, the action and the account. */
	assert_int_equal(count_audit(f), audits + 1);
	struct db_stmt *st = db_prepare(f->db, "SELECT actor, action, target FROM audit_log ORDER BY id DESC LIMIT 1");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "tester");
	assert_string_equal(db_col_text(st, 1), "user.create");
	assert_string_equal(db_col_text(st, 2), "new.user");
	db_stmt_done(st);

	/* The stored hash is argon2id and matches the password. */
	st = db_prepare(f->db, "SELECT password_hash FROM users WHERE username = 'new.user'");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(strncmp(db_col_text(st, 0), "$argon2id$", 10), 0);
	db_stmt_done(st);
}

/* --- update ------------------------------------------------------------ */

static void test_users_update_disabling_revokes_sessions(void **state)
{
	struct fixture *f = *state;
	int64_t id = seed_id[1];
	char t1[AUTH_TOKEN_LEN + 1], t2[AUTH_TOKEN_LEN + 1], other[AUTH_TOKEN_LEN + 1];
	int64_t exp;
	struct user u;
	assert_int_equal(auth_session_create(f->db, id, 3600, t1, &exp), 0);
	assert_int_equal(auth_session_create(f->db, id, 3600, t2, &exp), 0);
	assert_int_equal(auth_session_create(f->db, seed_id[3], 3600, other, &exp), 0);

	struct user_input in;
	user_input_init(&in);
	in.disabled = 1;
	struct zerr err;
	zerr_clear(&err);
	assert_int_equal(user_update(f->db, id, &in, "admin", &u, &err), 0);
	assert_int_equal(u.disabled, 1);
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL"), 1);

	/* Enabling again does not bring the sessions back. */
	user_input_init(&in);
	in.disabled = 0;
	assert_int_equal(user_update(f->db, id, &in, "admin", &u, &err), 0);
	assert_int_equal(u.disabled, 0);
	assert_int_equal(auth_session_lookup(f->db, t1, time_now_ms(), &u), 1);
	assert_int_equal(auth_session_lookup(f->db, t2, time_now_ms(), &u), 1);
	/* Another account's session is untouched. */
	assert_int_equal(auth_session_lookup(f->db, other, time_now_ms(), &u), 0);
}

static void test_users_update_password_revokes_sessions(void **state)
{
	struct fixture *f = *state;
	int64_t id = seed_id[2];
	char token[AUTH_TOKEN_LEN + 1];
	int64_t exp;
	struct user u;
	assert_int_equal(auth_session_create(f->db, id, 3600, token, &exp), 0);
	struct user_input in;
	user_input_init(&in);
	in.password = "a-new-password-1";
	struct zerr err;
	assert_int_equal(user_update(f->db, id, &in, "admin", &u, &err), 0);
	assert_int_equal(auth_session_lookup(f->db, token, time_now_ms(), &u), 1);
	struct db_stmt *st = db_prepare(f->db, "SELECT password_hash FROM users WHERE username = 'zhangsan'");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(auth_verify_password(db_col_text(st, 0), "a-new-password-1"), 1);
	db_stmt_done(st);
}

static void test_users_update_changes_given_fields_only(void **state)
{
	struct fixture *f = *state;
	int64_t id = seed_id[1], dept = department_ensure(f->db, "D02", "应急管理局");
	struct user before, u;
	assert_int_equal(user_get(f->db, id, &before), 0);
	struct user_input in;
	user_input_init(&in);
	in.name = "张三(网格员)";
	in.scope_department = dept;
	struct zerr err;
	zerr_clear(&err);
	assert_int_equal(user_update(f->db, id, &in, "admin", &u, &err), 0);
	assert_string_equal(u.name, "张三(网格员)");
	assert_int_equal(u.scope_department, dept);
	assert_string_equal(u.username, before.username);
	assert_int_equal(u.roles, before.roles);
	assert_string_equal(u.phone, "13812341234");
	assert_int_equal(u.created_at, before.created_at);

	/* "" clears the phone, 0 the department. */
	user_input_init(&in);
	in.phone = "";
	in.scope_department = 0;
	assert_int_equal(user_update(f->db, id, &in, "admin", &u, &err), 0);
	assert_string_equal(u.phone, "");
	assert_int_equal(u.scope_department, 0);
	assert_string_equal(u.name, "张三(网格员)");
}

static void test_users_update_refused_leaves_account_unchanged(void **state)
{
	struct fixture *f = *state;
	int64_t id = seed_id[1];
	struct user before, after, u;
	assert_int_equal(user_get(f->db, id, &before), 0);
	int64_t audits = count_audit(f);
	struct user_input in;
	struct zerr err;

	user_input_init(&in);
	in.name = "新名字";
	in.phone = "12345"; /* bad: nothing of the change applies */
	zerr_clear(&err);
	assert_int_equal(user_update(f->db, id, &in, "admin", &u, &err), -1);
	assert_int_equal(err.kind, ZE_INVALID_FIELD);
	assert_string_equal(err.field, "phone");

	user_input_init(&in);
	in.username = "renamed";
	assert_int_equal(user_update(f->db, id, &in, "admin", &u, &err), -1);
	assert_int_equal(err.kind, ZE_INVALID_FIELD);
	assert_string_equal(err.field, "username");

	user_input_init(&in);
	in.scope_department = 4242;
	assert_int_equal(user_update(f->db, id, &in, "admin", &u, &err), -1);
	assert_string_equal(err.field, "scope.department");

	assert_int_equal(user_get(f->db, id, &after), 0);
	assert_memory_equal(&before, &after, sizeof before);
	assert_int_equal(count_audit(f), audits);
	assert_int_equal(f->db->in_tx, 0);
}

static void test_users_update_unknown_id_not_found(void **state)
{
	struct fixture *f = *state;
	struct user_input in;
	user_input_init(&in);
	in.name = "无人";
	struct user u;
	struct zerr err;
	zerr_clear(&err);
	int64_t audits = count_audit(f);
	assert_int_equal(user_update(f->db, 9999, &in, "admin", &u, &err), -1);
	assert_int_equal(err.kind, ZE_NOT_FOUND);
	assert_int_equal(count_audit(f), audits);
	assert_int_equal(f->db->in_tx, 0);
}

static void test_users_update_writes_audit_row(void **state)
{
	struct fixture *f = *state;
	int64_t audits = count_audit(f);
	struct user_input in;
	user_input_init(&in);
	in.roles = ROLE_DISPATCHER | ROLE_LEADER;
	in.disabled = 1;
	struct user u;
	struct zerr err;
	assert_int_equal(user_update(f->db, seed_id[3], &in, "admin", &u, &err), 0);
	assert_int_equal(count_audit(f), audits + 1);
	struct db_stmt *st =
	        db_prepare(f->db, "SELECT actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT 1");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "admin");
	assert_string_equal(db_col_text(st, 1), "user.update");
	assert_string_equal(db_col_text(st, 2), "li.si");
	assert_non_null(strstr(db_col_text(st, 3), "roles"));
	assert_non_null(strstr(db_col_text(st, 3), "disabled"));
	/* No password, hash or secret in the trail. */
	assert_null(strstr(db_col_text(st, 3), "argon2"));
	db_stmt_done(st);
}

/* --- get, list, phone mask --------------------------------------------- */

static void test_users_get_found_and_not_found(void **state)
{
	struct fixture *f = *state;
	struct user u;
	assert_int_equal(user_get(f->db, seed_id[0], &u), 0);
	assert_string_equal(u.username, "admin");
	assert_int_equal(u.roles, ROLE_ADMIN);
	assert_int_equal(user_get(f->db, 12345, &u), 1);
	assert_int_equal(user_get_by_name(f->db, "wang-wu", &u), 0);
	assert_string_equal(u.name, "王五 100%");
	assert_int_equal(user_get_by_name(f->db, "nobody", &u), 1);
}

/* Usernames of a list page, joined with ','. */
static void page_names(json_t *items, char *out, size_t outlen)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < json_array_size(items); i++) {
		const char *name = json_string_value(json_object_get(json_array_get(items, i), "username"));
		assert_non_null(name);
		used += (size_t)snprintf(out + used, outlen - used, "%s%s", i ? "," : "", name);
		assert_true(used < outlen);
	}
}

static void list(struct fixture *f, const char *q, int page, int per_page, int64_t want_total, const char *want)
{
	json_t *items = NULL;
	int64_t total = -1;
	char got[512];
	assert_int_equal(user_list(f->db, q, page, per_page, &items, &total), 0);
	assert_non_null(items);
	page_names(items, got, sizeof got);
	if (total != want_total || strcmp(got, want) != 0)
		print_error("q=%s page %d: total %lld [%s], want %lld [%s]\n", q ? q : "(null)", page, (long long)total,
		            got, (long long)want_total, want);
	assert_int_equal(total, want_total);
	assert_string_equal(got, want);
	json_decref(items);
}

static void test_users_list_pages_in_id_order(void **state)
{
	struct fixture *f = *state;
	list(f, NULL, 1, 2, NSEED, "admin,zhang_san");
	list(f, NULL, 2, 2, NSEED, "zhangsan,li.si");
	list(f, NULL, 3, 2, NSEED, "wang-wu,zhao6");
	list(f, NULL, 4, 2, NSEED, "");
	list(f, NULL, 1, 100, NSEED, "admin,zhang_san,zhangsan,li.si,wang-wu,zhao6");
	list(f, "", 2, 4, NSEED, "wang-wu,zhao6");
}

static void test_users_list_q_searches_username_and_name(void **state)
{
	struct fixture *f = *state;
	list(f, "zhang", 1, 50, 2, "zhang_san,zhangsan");
	list(f, "张三", 1, 50, 2, "zhang_san,zhangsan");
	list(f, "张三丰", 1, 50, 1, "zhangsan");
	list(f, "管理", 1, 50, 1, "admin");
	list(f, "nobody", 1, 50, 0, "");
	/* total counts every match, not the page. */
	list(f, "zhang", 2, 1, 2, "zhangsan");
}

static void test_users_list_q_escapes_like_wildcards(void **state)
{
	struct fixture *f = *state;
	/* '_' and '%' are literal characters, not LIKE wildcards. */
	list(f, "_", 1, 50, 2, "zhang_san,zhao6");
	list(f, "%", 1, 50, 1, "wang-wu");
	list(f, "0%", 1, 50, 1, "wang-wu");
	list(f, "g_s", 1, 50, 1, "zhang_san");
	list(f, "%%", 1, 50, 0, "");
	/* The escape character itself is literal too. */
	list(f, "\\", 1, 50, 0, "");
	list(f, "\\%", 1, 50, 0, "");
}

static void test_users_list_masks_phones(void **state)
{
	struct fixture *f = *state;
	json_t *items = NULL;
	int64_t total;
	assert_int_equal(user_list(f->db, "zhang_san", 1, 10, &items, &total), 0);
	assert_int_equal(json_array_size(items), 1);
	json_t *u = json_array_get(items, 0);
	assert_string_equal(json_string_value(json_object_get(u, "phone")), "138****1234");
	assert_null(json_object_get(u, "password_hash"));
	json_decref(items);
}

static void test_users_phone_mask(void **state)
{
	(void)state;
	char out[32];
	phone_mask("13812341234", out, sizeof out);
	assert_string_equal(out, "138****1234");
	phone_mask("", out, sizeof out);
	assert_string_equal(out, "");
	phone_mask("12345", out, sizeof out);
	assert_string_equal(out, "****");
	phone_mask("13812341234", out, 5);
	assert_string_equal(out, "138*");
}

static void test_users_to_json_shape(void **state)
{
	struct fixture *f = *state;
	struct user u;
	assert_int_equal(user_get(f->db, seed_id[1], &u), 0);
	json_t *masked = user_to_json(&u, 0), *shown = user_to_json(&u, 1);
	assert_string_equal(json_string_value(json_object_get(masked, "phone")), "138****1234");
	assert_string_equal(json_string_value(json_object_get(shown, "phone")), "13812341234");
	assert_int_equal(json_integer_value(json_object_get(shown, "id")), seed_id[1]);
	assert_string_equal(json_string_value(json_object_get(shown, "name")), "张三");
	json_t *roles = json_object_get(shown, "roles");
	assert_int_equal(json_array_size(roles), 1);
	assert_string_equal(json_string_value(json_array_get(roles, 0)), "grid_worker");
	assert_true(json_is_null(json_object_get(json_object_get(shown, "scope"), "department")));
	assert_true(json_is_false(json_object_get(shown, "disabled")));
	const char *created = json_string_value(json_object_get(shown, "created_at"));
	assert_non_null(created);
	assert_non_null(strstr(created, "+08:00"));
	json_decref(masked);
	json_decref(shown);

	assert_int_equal(user_get(f->db, seed_id[0], &u), 0);
	json_t *nophone = user_to_json(&u, 1);
	assert_true(json_is_null(json_object_get(nophone, "phone")));
	json_decref(nophone);
}

/* --- input from JSON --------------------------------------------------- */

static void test_users_input_from_json_parses_fields(void **state)
{
	(void)state;
	json_error_t jerr;
	json_t *obj = json_loads("{\"username\":\"new.user\",\"name\":\"新用户\",\"password\":\"correct-horse-42\","
	                         "\"roles\":[\"admin\",\"leader\"],\"phone\":\"13900001111\",\"disabled\":true,"
	                         "\"scope\":{\"unit\":\"0101\",\"department\":null}}",
	                         0, &jerr);
	assert_non_null(obj);
	struct user_input in;
	user_input_init(&in);
	struct zerr err;
	zerr_clear(&err);
	assert_int_equal(user_input_from_json(obj, &in, &err), 0);
	assert_string_equal(in.username, "new.user");
	assert_string_equal(in.name, "新用户");
	assert_int_equal(in.roles, ROLE_ADMIN | ROLE_LEADER);
	assert_int_equal(in.disabled, 1);
	assert_string_equal(in.scope_unit, "0101");
	assert_int_equal(in.scope_department, 0);
	json_decref(obj);
}

static void test_users_input_from_json_refuses_wrong_types(void **state)
{
	(void)state;
	static const struct {
		const char *json, *field;
	} bad[] = {
	        {"{\"username\":5}", "username"},
	        {"{\"name\":[\"a\"]}", "name"},
	        {"{\"roles\":[]}", "roles"},
	        {"{\"roles\":\"admin\"}", "roles"},
	        {"{\"roles\":[\"root\"]}", "roles"},
	        {"{\"disabled\":\"yes\"}", "disabled"},
	        {"{\"scope\":[]}", "scope"},
	        {"{\"scope\":{\"department\":0}}", "scope.department"},
	        {"{\"scope\":{\"unit\":101}}", "scope.unit"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *obj = json_loads(bad[i].json, 0, NULL);
		assert_non_null(obj);
		struct user_input in;
		user_input_init(&in);
		struct zerr err;
		zerr_clear(&err);
		assert_int_equal(user_input_from_json(obj, &in, &err), -1);
		assert_int_equal(err.kind, ZE_INVALID_FIELD);
		assert_string_equal(err.field, bad[i].field);
		json_decref(obj);
	}
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
	        T(test_users_create_refuses_bad_username),
	        T(test_users_create_refuses_bad_name),
	        T(test_users_create_refuses_bad_password_length),
	        T(test_users_create_refuses_empty_roles),
	        T(test_users_create_refuses_bad_phone),
	        T(test_users_create_refuses_bad_scope_unit),
	        T(test_users_create_refuses_unknown_department),
	        T(test_users_create_duplicate_username_conflict),
	        T(test_users_create_stores_account_and_audits),
	        T(test_users_update_disabling_revokes_sessions),
	        T(test_users_update_password_revokes_sessions),
	        T(test_users_update_changes_given_fields_only),
	        T(test_users_update_refused_leaves_account_unchanged),
	        T(test_users_update_unknown_id_not_found),
	        T(test_users_update_writes_audit_row),
	        T(test_users_get_found_and_not_found),
	        T(test_users_list_pages_in_id_order),
	        T(test_users_list_q_searches_username_and_name),
	        T(test_users_list_q_escapes_like_wildcards),
	        T(test_users_list_masks_phones),
	        cmocka_unit_test(test_users_phone_mask),
	        T(test_users_to_json_shape),
	        cmocka_unit_test(test_users_input_from_json_parses_fields),
	        cmocka_unit_test(test_users_input_from_json_refuses_wrong_types),
	};
#undef T
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
