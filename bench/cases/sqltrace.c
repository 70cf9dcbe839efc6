/*
 * sqltrace.c — an LD_PRELOAD shim for bench/cases/run.sh: appends the text
 * of every statement the process prepares to the file named by
 * BENCH_SQL_LOG, one statement a line (line breaks become spaces), so that
 * SQL which zonegov builds at run time (the case list's WHERE clause) can be
 * shown with EXPLAIN QUERY PLAN exactly as the server ran it.
 *
 * Interposes sqlite3_prepare_v2 and sqlite3_prepare_v3 and calls the real
 * ones (dlsym RTLD_NEXT); works because the server links the shared
 * libsqlite3. Opens and closes the file on every call: slow, meant for a
 * server that answers a handful of requests, never for one being timed.
 */
#include <sqlite3.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void log_sql(const char *sql, int n)
{
	const char *path = getenv("BENCH_SQL_LOG");
	if (!path || !*path || !sql)
		return;
	size_t len = n < 0 ? strlen(sql) : strnlen(sql, (size_t)n);
	pthread_mutex_lock(&mu);
	FILE *f = fopen(path, "a");
	if (f) {
		for (size_t i = 0; i < len; i++)
			fputc(sql[i] == '\n' || sql[i] == '\r' ? ' ' : sql[i], f);
		fputc('\n', f);
		fclose(f);
	}
	pthread_mutex_unlock(&mu);
}

typedef int prepare_v2_fn(sqlite3 *, const char *, int, sqlite3_stmt **, const char **);
typedef int prepare_v3_fn(sqlite3 *, const char *, int, unsigned int, sqlite3_stmt **, const char **);

int sqlite3_prepare_v2(sqlite3 *db, const char *sql, int n, sqlite3_stmt **st, const char **tail)
{
	static prepare_v2_fn *real;
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "sqlite3_prepare_v2");
	log_sql(sql, n);
	return real(db, sql, n, st, tail);
}

int sqlite3_prepare_v3(sqlite3 *db, const char *sql, int n, unsigned int flags, sqlite3_stmt **st, const char **tail)
{
	static prepare_v3_fn *real;
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "sqlite3_prepare_v3");
	log_sql(sql, n);
	return real(db, sql, n, flags, st, tail);
}
