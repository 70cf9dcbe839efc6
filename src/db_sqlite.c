/*
 * db_sqlite.c — the SQLite backend of the storage API (db.h).
 *
 * Every connection runs in WAL mode with foreign keys on, synchronous=FULL
 * unless configured otherwise, and a busy timeout. Statements are cached in
 * a small per-connection array keyed by the SQL string's address; a miss
 * prepares with SQLITE_PREPARE_PERSISTENT. Past the cache size, statements
 * are prepared per use and finalized by db_stmt_done.
 */
#include "db.h"
#include "buf.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STMT_CACHE 96

struct db_stmt {
	const struct db_ops *ops; /* first: lets db.c dispatch */
	struct sqlite_db *owner;
	sqlite3_stmt *st;
	const char *sql; /* cache key (address) */
	int cached;
};

struct sqlite_db {
	struct db base; /* first */
	sqlite3 *h;
	int wal_pages; /* WAL size after the last commit (no_autocheckpoint connections), else -1 */
	struct db_stmt cache[STMT_CACHE];
	int ncache;
};

const struct db_ops db_sqlite_ops;

static int map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
		return DB_OK;
	case SQLITE_ROW:
		return DB_ROW;
	case SQLITE_DONE:
		return DB_DONE;
	case SQLITE_CONSTRAINT:
		return DB_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_BUSY;
	default:
		return DB_ERROR;
	}
}

static void s_close(struct db *db)
{
	struct sqlite_db *s = (struct sqlite_db *)db;
	for (int i = 0; i < s->ncache; i++)
		sqlite3_finalize(s->cache[i].st);
	sqlite3_close_v2(s->h);
	free(s);
}

/* Before SQLite's first use: no global allocation statistics (each malloc
 * would take a process-wide mutex; connections are used by one thread each). */
/* Records the WAL's size after each commit (instead of checkpointing). */
static int wal_hook(void *arg, sqlite3 *h, const char *dbname, int pages)
{
	(void)h;
	(void)dbname;
	((struct sqlite_db *)arg)->wal_pages = pages;
	return SQLITE_OK;
}

static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int s_open(const char *path, const struct db_options *o, struct db **out, struct buf *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sqlite_setup);
	struct sqlite_db *s = calloc(1, sizeof *s);
	if (!s) {
		buf_puts(err, "out of memory");
		return -1;
	}
	s->base.ops = &db_sqlite_ops;
	int flags =
	        SQLITE_OPEN_NOMUTEX | (o->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	int rc = sqlite3_open_v2(path, &s->h, flags, NULL);
	if (rc != SQLITE_OK) {
		buf_printf(err, "%s: cannot open store: %s", path, s->h ? sqlite3_errmsg(s->h) : sqlite3_errstr(rc));
		s_close(&s->base);
		return -1;
	}
	sqlite3_extended_result_codes(s->h, 1);
	sqlite3_busy_timeout(s->h, o->busy_timeout_ms);
	const char *sync = o->synchronous && strcmp(o->synchronous, "normal") == 0 ? "NORMAL" : "FULL";
	char pragmas[256];
	/* Reads map the file instead of copying pages through pread (256 MiB of
	 * address space), and each connection caches up to 16 MiB of pages. */
	snprintf(pragmas, sizeof pragmas,
	         "PRAGMA foreign_keys=ON; PRAGMA synchronous=%s; PRAGMA temp_store=MEMORY;"
	         " PRAGMA mmap_size=268435456; PRAGMA cache_size=-16384;%s",
	         sync, o->no_autocheckpoint ? " PRAGMA wal_autocheckpoint=0;" : "");
	char *msg = NULL;
	if (!o->readonly && sqlite3_exec(s->h, "PRAGMA journal_mode=WAL", NULL, NULL, &msg) != SQLITE_OK) {
		buf_printf(err, "%s: cannot switch to WAL: %s", path, msg ? msg : "?");
		sqlite3_free(msg);
		s_close(&s->base);
		return -1;
	}
	if (sqlite3_exec(s->h, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
		buf_printf(err, "%s: %s", path, msg ? msg : "?");
		sqlite3_free(msg);
		s_close(&s->base);
		return -1;
	}
	s->wal_pages = -1;
	if (o->no_autocheckpoint) {
		s->wal_pages = 0;
		sqlite3_wal_hook(s->h, wal_hook, s); /* replaces SQLite's auto-checkpoint */
	}
	*out = &s->base;
	return 0;
}

static struct db_stmt *prepare(struct db *db, const char *sql, int may_cache)
{
	struct sqlite_db *s = (struct sqlite_db *)db;
	for (int i = 0; may_cache && i < s->ncache; i++)
		if (s->cache[i].sql == sql)
			return &s->cache[i];
	sqlite3_stmt *st = NULL;
	int persistent = may_cache && s->ncache < STMT_CACHE;
	if (sqlite3_prepare_v3(s->h, sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0, &st, NULL) != SQLITE_OK)
		return NULL;
	if (persistent) {
		struct db_stmt *c = &s->cache[s->ncache++];
		*c = (struct db_stmt){&db_sqlite_ops, s, st, sql, 1};
		return c;
	}
	struct db_stmt *c = malloc(sizeof *c);
	if (!c) {
		sqlite3_finalize(st);
		return NULL;
	}
	*c = (struct db_stmt){&db_sqlite_ops, s, st, sql, 0};
	return c;
}

static struct db_stmt *s_prepare(struct db *db, const char *sql)
{
	return prepare(db, sql, 1);
}

static struct db_stmt *s_prepare_once(struct db *db, const char *sql)
{
	return prepare(db, sql, 0);
}

static int s_bind_i64(struct db_stmt *st, int idx, int64_t v)
{
	return map_rc(sqlite3_bind_int64(st->st, idx, v));
}

static int s_bind_text(struct db_stmt *st, int idx, const char *v)
{
	if (!v)
		return map_rc(sqlite3_bind_null(st->st, idx));
	return map_rc(sqlite3_bind_text(st->st, idx, v, -1, SQLITE_TRANSIENT));
}

static int s_bind_null(struct db_stmt *st, int idx)
{
	return map_rc(sqlite3_bind_null(st->st, idx));
}

static int s_bind_double(struct db_stmt *st, int idx, double v)
{
	return map_rc(sqlite3_bind_double(st->st, idx, v));
}

static double s_col_double(struct db_stmt *st, int col)
{
	return sqlite3_column_double(st->st, col);
}

static int s_step(struct db_stmt *st)
{
	int rc = map_rc(sqlite3_step(st->st));
	if (rc < 0)
		st->owner->base.errors++;
	return rc;
}

static int s_col_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

static int64_t s_col_i64(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

static const char *s_col_text(struct db_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st->st, col);
	return t ? (const char *)t : "";
}

static void s_stmt_done(struct db_stmt *st)
{
	if (st->cached) {
		sqlite3_reset(st->st);
		sqlite3_clear_bindings(st->st);
	} else {
		sqlite3_finalize(st->st);
		free(st);
	}
}

static int s_wal_pages(struct db *db)
{
	return ((struct sqlite_db *)db)->wal_pages;
}

static int s_exec(struct db *db, const char *sql)
{
	struct sqlite_db *s = (struct sqlite_db *)db;
	return map_rc(sqlite3_exec(s->h, sql, NULL, NULL, NULL));
}

static int s_backup(struct db *db, const char *dest, struct buf *err)
{
	struct sqlite_db *s = (struct sqlite_db *)db;
	sqlite3 *to = NULL;
	int rc = sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		buf_printf(err, "%s: cannot create: %s", dest, to ? sqlite3_errmsg(to) : sqlite3_errstr(rc));
		sqlite3_close(to);
		return -1;
	}
	sqlite3_backup *b = sqlite3_backup_init(to, "main", s->h, "main");
	if (!b) {
		buf_printf(err, "%s: %s", dest, sqlite3_errmsg(to));
		sqlite3_close(to);
		return -1;
	}
	/* Copy in steps so writers are not blocked for long; a step that finds
	 * the source changed restarts transparently and the copy stays consistent. */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		buf_printf(err, "%s: backup failed: %s", dest, sqlite3_errstr(rc));
		sqlite3_close(to);
		return -1;
	}
	/* Make the copy a self-contained file in rollback-journal mode. */
	sqlite3_exec(to, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	sqlite3_close(to);
	return 0;
}

static const char *s_errmsg(struct db *db)
{
	return sqlite3_errmsg(((struct sqlite_db *)db)->h);
}

const struct db_ops db_sqlite_ops = {
        .name = "sqlite",
        .open = s_open,
        .close = s_close,
        .prepare = s_prepare,
        .prepare_once = s_prepare_once,
        .bind_i64 = s_bind_i64,
        .bind_text = s_bind_text,
        .bind_null = s_bind_null,
        .bind_double = s_bind_double,
        .step = s_step,
        .col_is_null = s_col_is_null,
        .col_i64 = s_col_i64,
        .col_text = s_col_text,
        .col_double = s_col_double,
        .stmt_done = s_stmt_done,
        .exec = s_exec,
        .wal_pages = s_wal_pages,
        .backup = s_backup,
        .errmsg = s_errmsg,
};
