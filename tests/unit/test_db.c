/*
 * test_db.c — the storage API (db.h) on the SQLite backend: migrations,
 * transactions, the statement cache, constraint errors and backups.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "buf.h"
#include "db.h"
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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
	f->db = tu_open_store(f->dir, "store.db");
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

static const char SQL_DEPT_INSERT[] = "INSERT INTO departments (code, name, created_at) VALUES (?, ?, ?) RETURNING id";
static const char SQL_DEPT_COUNT[] = "SELECT COUNT(*) FROM departments";
static const char SQL_DEPT_NAMES[] = "SELECT code, name FROM departments ORDER BY id";

/* Inserts a department; returns the step result and its id in *id. */
static int insert_dept(struct db *db, const char *code, const char *name, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, SQL_DEPT_INSERT);
	assert_non_null(st);
	db_bind_text(st, 1, code);
	db_bind_text(st, 2, name);
	db_bind_i64(st, 3, 1700000000000);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		if (id)
			*id = db_col_i64(st, 0);
		rc = db_step(st);
	}
	db_stmt_done(st);
	return rc;
}

static void test_db_migrations_apply_once(void **state)
{
	struct fixture *f = *state;
	struct buf err;
	buf_init(&err, 1024);
	/* The fixture already migrated: nothing left to apply. */
	assert_int_equal(db_migrate(f->db, &err), 0);
	assert_int_equal(db_migrate(f->db, &err), 0);
	assert_int_equal(err.len, 0);
	/* One row per migration, no duplicates. */
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM schema_migrations"), db_migration_count());
	buf_release(&err);
}

static void test_db_migrate_fresh_store_applies_all(void **state)
{
	struct fixture *f = *state;
	char path[PATH_MAX + 16];
	snprintf(path, sizeof path, "%s/fresh.db", f->dir);
	struct buf err;
	buf_init(&err, 1024);
	struct db *db = NULL;
	assert_int_equal(db_open(path, NULL, &db, &err), 0);
	assert_true(db_migration_count() >= 1);
	assert_int_equal(db_migrate(db, &err), db_migration_count());
	assert_int_equal(db_schema_version(db), db_migration_count());
	assert_int_equal(db_migrate(db, &err), 0);
	assert_int_equal(db_schema_version(db), db_migration_count());
	db_close(db);

	/* Reopened, the store remembers its version. */
	assert_int_equal(db_open(path, NULL, &db, &err), 0);
	assert_int_equal(db_migrate(db, &err), 0);
	db_close(db);
	buf_release(&err);
}

static void test_db_schema_version_equals_migration_count(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_schema_version(f->db), db_migration_count());
	/* The tables of migration 1 exist. */
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN"
	                                     " ('users', 'departments', 'sessions', 'login_attempts', 'audit_log')"),
	                 5);
}

static void test_db_migrate_refuses_newer_store(void **state)
{
	struct fixture *f = *state;
	char sql[160];
	snprintf(sql, sizeof sql, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%d, 'future', 0)",
	         db_migration_count() + 1);
	assert_int_equal(db_exec(f->db, sql), DB_OK);
	struct buf err;
	buf_init(&err, 1024);
	assert_int_equal(db_migrate(f->db, &err), -1);
	assert_non_null(strstr(buf_cstr(&err), "upgrade zonegov"));
	buf_release(&err);
}

static void test_db_begin_rollback_leaves_no_row(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(tu_query_i64(f->db, SQL_DEPT_COUNT), 0);
	assert_int_equal(db_begin(f->db), DB_OK);
	assert_int_equal(f->db->in_tx, 1);
	assert_int_equal(insert_dept(f->db, "D01", "城管局", NULL), DB_DONE);
	assert_int_equal(insert_dept(f->db, "D02", "应急局", NULL), DB_DONE);
	assert_int_equal(tu_query_i64(f->db, SQL_DEPT_COUNT), 2);
	db_rollback(f->db);
	assert_int_equal(f->db->in_tx, 0);
	assert_int_equal(tu_query_i64(f->db, SQL_DEPT_COUNT), 0);
	/* Rollback outside a transaction is a no-op, and NULL is accepted. */
	db_rollback(f->db);
	db_rollback(NULL);
	assert_int_equal(tu_query_i64(f->db, SQL_DEPT_COUNT), 0);
}

static void test_db_begin_commit_keeps_rows(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_begin(f->db), DB_OK);
	int64_t id = 0;
	assert_int_equal(insert_dept(f->db, "D01", "城管局", &id), DB_DONE);
	assert_true(id > 0);
	assert_int_equal(db_commit(f->db), DB_OK);
	assert_int_equal(f->db->in_tx, 0);
	assert_int_equal(tu_query_i64(f->db, SQL_DEPT_COUNT), 1);
}

static void test_db_nested_begin_refused(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_begin(f->db), DB_OK);
	assert_int_equal(db_begin(f->db), DB_ERROR);
	/* The outer transaction is still open and still rolls back. */
	assert_int_equal(f->db->in_tx, 1);
	assert_int_equal(insert_dept(f->db, "D09", "x", NULL), DB_DONE);
	db_rollback(f->db);
	assert_int_equal(tu_query_i64(f->db, SQL_DEPT_COUNT), 0);
}

static void test_db_statement_cache_returns_same_statement(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *a = db_prepare(f->db, SQL_DEPT_COUNT);
	assert_non_null(a);
	db_stmt_done(a);
	struct db_stmt *b = db_prepare(f->db, SQL_DEPT_COUNT);
	assert_ptr_equal(a, b);
	db_stmt_done(b);
	/* Same text at another address is another statement. */
	char copy[sizeof SQL_DEPT_COUNT];
	memcpy(copy, SQL_DEPT_COUNT, sizeof copy);
	struct db_stmt *c = db_prepare(f->db, copy);
	assert_non_null(c);
	assert_ptr_not_equal(a, c);
	db_stmt_done(c);
}

static void test_db_cached_statement_is_reset_with_bindings_cleared(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(insert_dept(f->db, "D01", "城管局", NULL), DB_DONE);
	assert_int_equal(insert_dept(f->db, "D02", "应急局", NULL), DB_DONE);

	/* Left mid-result after one row ... */
	struct db_stmt *st = db_prepare(f->db, SQL_DEPT_NAMES);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "D01");
	db_stmt_done(st);
	/* ... the next prepare starts again from the first row. */
	st = db_prepare(f->db, SQL_DEPT_NAMES);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "D01");
	assert_string_equal(db_col_text(st, 1), "城管局");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "D02");
	assert_int_equal(db_step(st), DB_DONE);
	db_stmt_done(st);

	/* Bindings do not survive into the next use: an unbound ? is NULL. */
	static const char SQL_ECHO[] = "SELECT ? IS NULL, ?";
	st = db_prepare(f->db, SQL_ECHO);
	db_bind_text(st, 1, "x");
	db_bind_i64(st, 2, 7);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_i64(st, 0), 0);
	db_stmt_done(st);
	st = db_prepare(f->db, SQL_ECHO);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_i64(st, 0), 1);
	assert_true(db_col_is_null(st, 1));
	assert_string_equal(db_col_text(st, 1), "");
	db_stmt_done(st);
}

static void test_db_bind_text_null_binds_null(void **state)
{
	struct fixture *f = *state;
	static const char SQL_NULLS[] = "SELECT ? IS NULL, ? IS NULL, ?";
	struct db_stmt *st = db_prepare(f->db, SQL_NULLS);
	db_bind_text(st, 1, NULL);
	db_bind_null(st, 2);
	db_bind_text(st, 3, "开发区");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_i64(st, 0), 1);
	assert_int_equal(db_col_i64(st, 1), 1);
	assert_false(db_col_is_null(st, 2));
	assert_string_equal(db_col_text(st, 2), "开发区");
	db_stmt_done(st);
}

static void test_db_unique_violation_is_constraint(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(insert_dept(f->db, "D01", "城管局", NULL), DB_DONE);
	uint64_t errors = f->db->errors;
	assert_int_equal(insert_dept(f->db, "D01", "另一个", NULL), DB_CONSTRAINT);
	assert_true(f->db->errors > errors);
	assert_int_equal(tu_query_i64(f->db, SQL_DEPT_COUNT), 1);
	/* The cached statement works again afterwards. */
	assert_int_equal(insert_dept(f->db, "D02", "应急局", NULL), DB_DONE);
	assert_int_equal(tu_query_i64(f->db, SQL_DEPT_COUNT), 2);
}

static void test_db_foreign_key_violation_is_constraint(void **state)
{
	struct fixture *f = *state;
	static const char SQL_BAD_SESSION[] =
	        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('h', 999, 0, 1)";
	struct db_stmt *st = db_prepare(f->db, SQL_BAD_SESSION);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_CONSTRAINT);
	db_stmt_done(st);
}

static void test_db_prepare_error_returns_null_and_counts(void **state)
{
	struct fixture *f = *state;
	uint64_t errors = f->db->errors;
	assert_null(db_prepare(f->db, "SELECT FROM nowhere"));
	assert_true(f->db->errors > errors);
	assert_true(strlen(db_errmsg(f->db)) > 0);
	assert_int_equal(db_exec(f->db, "NOT SQL"), DB_ERROR);
}

static void test_db_backup_writes_copy_with_same_rows(void **state)
{
	struct fixture *f = *state;
	for (int i = 0; i < 50; i++) {
		char code[16];
		snprintf(code, sizeof code, "D%03d", i);
		assert_int_equal(insert_dept(f->db, code, "部门", NULL), DB_DONE);
	}
	char dest[PATH_MAX + 16];
	snprintf(dest, sizeof dest, "%s/backup.db", f->dir);
	struct buf err;
	buf_init(&err, 1024);
	assert_int_equal(db_backup(f->db, dest, &err), 0);
	assert_int_equal(err.len, 0);

	/* The copy is one self-contained file. */
	struct stat sb;
	assert_int_equal(stat(dest, &sb), 0);
	assert_true(sb.st_size > 0);
	char wal[PATH_MAX + 32];
	snprintf(wal, sizeof wal, "%s-wal", dest);
	assert_int_not_equal(stat(wal, &sb), 0);

	struct db *copy = NULL;
	struct db_options ro = {"full", 1000, 1, 0};
	assert_int_equal(db_open(dest, &ro, &copy, &err), 0);
	assert_int_equal(db_schema_version(copy), db_migration_count());
	assert_int_equal(tu_query_i64(copy, SQL_DEPT_COUNT), 50);
	struct db_stmt *a = db_prepare(f->db, SQL_DEPT_NAMES), *b = db_prepare(copy, SQL_DEPT_NAMES);
	int n = 0;
	for (;;) {
		int ra = db_step(a), rb = db_step(b);
		assert_int_equal(ra, rb);
		if (ra != DB_ROW)
			break;
		assert_string_equal(db_col_text(a, 0), db_col_text(b, 0));
		assert_string_equal(db_col_text(a, 1), db_col_text(b, 1));
		n++;
	}
	assert_int_equal(n, 50);
	db_stmt_done(a);
	db_stmt_done(b);
	db_close(copy);
	buf_release(&err);
}

static void test_db_backup_to_bad_path_fails(void **state)
{
	struct fixture *f = *state;
	char dest[PATH_MAX + 32];
	snprintf(dest, sizeof dest, "%s/no/such/dir/backup.db", f->dir);
	struct buf err;
	buf_init(&err, 1024);
	assert_int_equal(db_backup(f->db, dest, &err), -1);
	assert_true(err.len > 0);
	buf_release(&err);
}

static void test_db_open_postgres_not_built(void **state)
{
	(void)state;
	struct buf err;
	buf_init(&err, 1024);
	struct db *db = (struct db *)1;
	assert_int_equal(db_open("postgres://localhost/zonegov", NULL, &db, &err), -1);
	assert_null(db);
	assert_non_null(strstr(buf_cstr(&err), "PostgreSQL"));
	buf_release(&err);
	db_close(NULL);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
	        T(test_db_migrations_apply_once),
	        T(test_db_migrate_fresh_store_applies_all),
	        T(test_db_schema_version_equals_migration_count),
	        T(test_db_migrate_refuses_newer_store),
	        T(test_db_begin_rollback_leaves_no_row),
	        T(test_db_begin_commit_keeps_rows),
	        T(test_db_nested_begin_refused),
	        T(test_db_statement_cache_returns_same_statement),
	        T(test_db_cached_statement_is_reset_with_bindings_cleared),
	        T(test_db_bind_text_null_binds_null),
	        T(test_db_unique_violation_is_constraint),
	        T(test_db_foreign_key_violation_is_constraint),
	        T(test_db_prepare_error_returns_null_and_counts),
	        T(test_db_backup_writes_copy_with_same_rows),
	        T(test_db_backup_to_bad_path_fails),
	        cmocka_unit_test(test_db_open_postgres_not_built),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
