/*
 * dbpool.h — a fixed set of store connections shared by the worker threads.
 *
 * A request takes one connection (dbpool_acquire blocks while all are in
 * use) and gives it back when its handler returns. All connections are
 * opened at start; a failure to open any is a start-up error.
 */
#ifndef ZG_DBPOOL_H
#define ZG_DBPOOL_H

#include "db.h"

#include <pthread.h>

struct dbpool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct db **all;  /* n connections */
	struct db **idle; /* stack of idle connections */
	int n, nidle;
};

int dbpool_init(struct dbpool *p, int n, const char *target, const struct db_options *o, struct buf *err);
void dbpool_release_all(struct dbpool *p); /* closes every connection; none may be in use */
struct db *dbpool_acquire(struct dbpool *p);
void dbpool_put(struct dbpool *p, struct db *db); /* accepts NULL */

#endif
