/*
 * testutil.h — small helpers shared by the unit tests: a temporary folder
 * that is removed afterwards, a migrated SQLite store inside it, and fresh
 * copies of a template store (so that accounts, whose argon2id hashing is
 * slow, are made once per file rather than once per test).
 *
 * Include after <cmocka.h>. Everything is static inline so that a test file
 * that uses only part of it builds without unused-function warnings.
 */
#ifndef ZG_TESTUTIL_H
#define ZG_TESTUTIL_H

#include "buf.h"
#include "db.h"

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Creates a fresh folder under $TMPDIR (or /tmp) into dir[PATH_MAX]. */
static inline void tu_mkdtemp(char *dir)
{
	const char *base = getenv("TMPDIR");
	snprintf(dir, PATH_MAX, "%s/zonegov-unit-XXXXXX", base && *base ? base : "/tmp");
	assert_non_null(mkdtemp(dir));
}

static inline int tu_rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path);
}

/* Removes dir and everything under it. */
static inline void tu_rmtree(const char *dir)
{
	nftw(dir, tu_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Opens dir/name as a store and applies the migrations. */
static inline struct db *tu_open_store(const char *dir, const char *name)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	struct buf err;
	buf_init(&err, 1024);
	struct db *db = NULL;
	int rc = db_open(path, NULL, &db, &err);
	if (rc != 0)
		print_error("db_open: %s\n", buf_cstr(&err));
	assert_int_equal(rc, 0);
	rc = db_migrate(db, &err);
	if (rc < 0)
		print_error("db_migrate: %s\n", buf_cstr(&err));
	assert_true(rc >= 0);
	buf_release(&err);
	return db;
}

/* Opens dir/name as a fresh copy of the store src (made with db_backup). */
static inline struct db *tu_copy_store(struct db *src, const char *dir, const char *name)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	struct buf err;
	buf_init(&err, 1024);
	struct db *db = NULL;
	int rc = db_backup(src, path, &err);
	if (rc == 0)
		rc = db_open(path, NULL, &db, &err);
	if (rc != 0)
		print_error("copy to %s: %s\n", path, buf_cstr(&err));
	assert_int_equal(rc, 0);
	buf_release(&err);
	return db;
}

/* Runs a one-column integer query (constant SQL, no parameters). */
static inline int64_t tu_query_i64(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	int64_t v = db_col_i64(st, 0);
	db_stmt_done(st);
	return v;
}

#endif
