/*
 * db.h — the storage API that domain code uses.
 *
 * Domain code writes portable SQL: `?` placeholders only, values always
 * bound (never formatted into SQL), `INSERT ... RETURNING id` for new keys,
 * no backend-specific functions. A backend implements struct db_ops; SQLite
 * (db_sqlite.c) is the embedded default and PostgreSQL will follow as a
 * second implementation of the same table.
 *
 * A struct db is one connection and is used by one thread at a time; the
 * server hands connections out from a pool (dbpool.h). Prepared statements
 * are cached per connection, keyed by the SQL string's address, so pass
 * string literals to db_prepare: the second call returns the cached
 * statement, reset and with cleared bindings.
 *
 * Statement lifetime: db_prepare → bind → step ... → db_stmt_done. A
 * statement belongs to its connection; db_close frees them all.
 */
#ifndef ZG_DB_H
#define ZG_DB_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct db;
struct db_stmt;

enum db_rc {
	DB_OK = 0,
	DB_ROW = 1,         /* step: a row is ready */
	DB_DONE = 2,        /* step: no more rows */
	DB_ERROR = -1,      /* anything else; see db_errmsg */
	DB_CONSTRAINT = -2, /* unique/foreign-key/check violation */
	DB_BUSY = -3,       /* lock not obtained within the busy timeout */
};

struct db_options {
	const char *synchronous; /* "full" (default) or "normal" */
	int busy_timeout_ms;
	int readonly;
	int no_autocheckpoint; /* 1: commits never checkpoint the WAL (someone calls db_checkpoint) */
};

struct db_ops {
	const char *name;
	int (*open)(const char *target, const struct db_options *o, struct db **out, struct buf *err);
	void (*close)(struct db *db);
	struct db_stmt *(*prepare)(struct db *db, const char *sql);
	struct db_stmt *(*prepare_once)(struct db *db, const char *sql); /* not cached */
	int (*wal_pages)(struct db *db);
	int (*bind_i64)(struct db_stmt *st, int idx, int64_t v);
	int (*bind_text)(struct db_stmt *st, int idx, const char *s);
	int (*bind_null)(struct db_stmt *st, int idx);
	int (*bind_double)(struct db_stmt *st, int idx, double v);
	int (*step)(struct db_stmt *st);
	int (*col_is_null)(struct db_stmt *st, int col);
	int64_t (*col_i64)(struct db_stmt *st, int col);
	const char *(*col_text)(struct db_stmt *st, int col);
	double (*col_double)(struct db_stmt *st, int col);
	void (*stmt_done)(struct db_stmt *st);
	int (*exec)(struct db *db, const char *sql);
	int (*backup)(struct db *db, const char *dest, struct buf *err);
	const char *(*errmsg)(struct db *db);
};

/* Every backend's connection starts with this header. */
struct db {
	const struct db_ops *ops;
	int in_tx;       /* nesting guard: 1 inside db_begin..commit/rollback */
	uint64_t errors; /* store errors seen on this connection */
};

/* Opens the store named by target (for now a SQLite file path), applies
 * the pragmas of o (NULL: defaults). Returns 0 or -1 with err filled. */
int db_open(const char *target, const struct db_options *o, struct db **out, struct buf *err);
void db_close(struct db *db); /* accepts NULL */

/* Returns a ready statement or NULL (error counted; see db_errmsg). */
struct db_stmt *db_prepare(struct db *db, const char *sql);
/* The same for SQL built at run time (a list's WHERE from its filters, with
 * every value still bound): never cached, finalized by db_stmt_done. */
struct db_stmt *db_prepare_once(struct db *db, const char *sql);
/* Binding helpers; idx starts at 1. db_bind_text(NULL) binds NULL. */
int db_bind_i64(struct db_stmt *st, int idx, int64_t v);
int db_bind_text(struct db_stmt *st, int idx, const char *s);
int db_bind_null(struct db_stmt *st, int idx);
int db_bind_double(struct db_stmt *st, int idx, double v);
int db_step(struct db_stmt *st);
int db_col_is_null(struct db_stmt *st, int col);
int64_t db_col_i64(struct db_stmt *st, int col);
double db_col_double(struct db_stmt *st, int col);
/* Borrowed; valid until the next step or db_stmt_done. Never NULL ("" for NULL). */
const char *db_col_text(struct db_stmt *st, int col);
void db_stmt_done(struct db_stmt *st); /* accepts NULL */

/* Runs SQL without parameters (migrations, pragmas). Not for user data. */
int db_exec(struct db *db, const char *sql);
/* Runs one statement without parameters or rows from the statement cache
 * (sql a string constant: transaction control, savepoints). DB_OK or an error. */
int db_exec_cached(struct db *db, const char *sql);
/* Transactions; db_begin takes the write lock at once (BEGIN IMMEDIATE on SQLite). */
int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db); /* accepts NULL; no-op outside a transaction */
/* A read transaction: one consistent snapshot for several statements, and
 * on SQLite one WAL read lock instead of one per statement. End it with
 * db_read_end (never writes; a no-op when db_read_begin failed). */
int db_read_begin(struct db *db);
void db_read_end(struct db *db);
/* Writes a consistent copy of the whole store to dest (online; readers and
 * writers go on). Returns 0 or -1 with err filled. */
int db_backup(struct db *db, const char *dest, struct buf *err);
const char *db_errmsg(struct db *db);
/* Copies what it can of the write-ahead log into the store without waiting
 * for readers or the writer (SQLite PASSIVE checkpoint). Returns DB_OK or an error. */
int db_checkpoint(struct db *db);
/* The same, but waiting for readers and writers so that the next write
 * starts the log from its beginning (SQLite RESTART). */
int db_checkpoint_restart(struct db *db);
/* Pages in the write-ahead log after this connection's last commit, for a
 * connection opened with no_autocheckpoint; -1 otherwise. */
int db_wal_pages(struct db *db);

/* Applies numbered migrations not yet recorded in schema_migrations, each
 * in its own transaction. Returns the number applied, or -1 with err. */
int db_migrate(struct db *db, struct buf *err);
/* Highest applied migration version, or -1 on error. */
int db_schema_version(struct db *db);
/* Number of migrations compiled into this binary. */
int db_migration_count(void);

#endif
