/*
 * db.c — backend dispatch and transactions for the storage API (db.h).
 */
#include "db.h"
#include "buf.h"
#include "log.h"

#include <string.h>

extern const struct db_ops db_sqlite_ops;

int db_open(const char *target, const struct db_options *o, struct db **out, struct buf *err)
{
	static const struct db_options defaults = {"full", 5000, 0, 0};
	*out = NULL;
	/* postgres:// targets will select the PostgreSQL backend here. */
	if (strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0) {
		buf_printf(err, "%s: the PostgreSQL backend is not built yet", target);
		return -1;
	}
	return db_sqlite_ops.open(target, o ? o : &defaults, out, err);
}

void db_close(struct db *db)
{
	if (db)
		db->ops->close(db);
}

struct db_stmt *db_prepare_once(struct db *db, const char *sql)
{
	struct db_stmt *st = db->ops->prepare_once(db, sql);
	if (!st) {
		db->errors++;
		log_error("store: prepare failed: %s", db->ops->errmsg(db));
	}
	return st;
}

struct db_stmt *db_prepare(struct db *db, const char *sql)
{
	struct db_stmt *st = db->ops->prepare(db, sql);
	if (!st) {
		db->errors++;
		log_error("store: prepare failed: %s", db->ops->errmsg(db));
	}
	return st;
}

int db_bind_i64(struct db_stmt *st, int idx, int64_t v)
{
	return (*(const struct db_ops **)st)->bind_i64(st, idx, v);
}

int db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	return (*(const struct db_ops **)st)->bind_text(st, idx, s);
}

int db_bind_null(struct db_stmt *st, int idx)
{
	return (*(const struct db_ops **)st)->bind_null(st, idx);
}

int db_bind_double(struct db_stmt *st, int idx, double v)
{
	return (*(const struct db_ops **)st)->bind_double(st, idx, v);
}

double db_col_double(struct db_stmt *st, int col)
{
	return (*(const struct db_ops **)st)->col_double(st, col);
}

int db_step(struct db_stmt *st)
{
	return (*(const struct db_ops **)st)->step(st);
}

int db_col_is_null(struct db_stmt *st, int col)
{
	return (*(const struct db_ops **)st)->col_is_null(st, col);
}

int64_t db_col_i64(struct db_stmt *st, int col)
{
	return (*(const struct db_ops **)st)->col_i64(st, col);
}

const char *db_col_text(struct db_stmt *st, int col)
{
	return (*(const struct db_ops **)st)->col_text(st, col);
}

void db_stmt_done(struct db_stmt *st)
{
	if (st)
		(*(const struct db_ops **)st)->stmt_done(st);
}

int db_exec(struct db *db, const char *sql)
{
	int rc = db->ops->exec(db, sql);
	if (rc != DB_OK) {
		db->errors++;
		log_error("store: %s", db->ops->errmsg(db));
	}
	return rc;
}

/* Transaction control through cached statements (db_exec_cached): parsed once per connection. */
static const char SQL_BEGIN_IMMEDIATE[] = "BEGIN IMMEDIATE";
static const char SQL_BEGIN[] = "BEGIN";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";

int db_exec_cached(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return DB_ERROR;
	int rc = db_step(st);
	db_stmt_done(st);
	return rc == DB_DONE ? DB_OK : rc;
}

int db_begin(struct db *db)
{
	if (db->in_tx) {
		log_error("store: nested transaction refused");
		return DB_ERROR;
	}
	int rc = db_exec_cached(db, SQL_BEGIN_IMMEDIATE);
	if (rc == DB_OK)
		db->in_tx = 1;
	return rc;
}

int db_commit(struct db *db)
{
	int rc = db_exec_cached(db, SQL_COMMIT);
	if (rc == DB_OK)
		db->in_tx = 0;
	else
		db_rollback(db);
	return rc;
}

int db_checkpoint(struct db *db)
{
	return db_exec(db, "PRAGMA wal_checkpoint(PASSIVE)");
}

int db_checkpoint_restart(struct db *db)
{
	return db_exec(db, "PRAGMA wal_checkpoint(RESTART)");
}

int db_wal_pages(struct db *db)
{
	return db->ops->wal_pages ? db->ops->wal_pages(db) : -1;
}

int db_read_begin(struct db *db)
{
	if (db->in_tx)
		return DB_ERROR;
	int rc = db_exec_cached(db, SQL_BEGIN);
	if (rc == DB_OK)
		db->in_tx = 1;
	return rc;
}

void db_read_end(struct db *db)
{
	db_rollback(db);
}

void db_rollback(struct db *db)
{
	if (!db || !db->in_tx)
		return;
	if (db_exec_cached(db, SQL_ROLLBACK) != DB_OK)
		db->ops->exec(db, "ROLLBACK");
	db->in_tx = 0;
}

int db_backup(struct db *db, const char *dest, struct buf *err)
{
	return db->ops->backup(db, dest, err);
}

const char *db_errmsg(struct db *db)
{
	return db->ops->errmsg(db);
}
