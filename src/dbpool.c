/*
 * dbpool.c — see dbpool.h.
 */
#include "dbpool.h"
#include "buf.h"

#include <stdlib.h>

int dbpool_init(struct dbpool *p, int n, const char *target, const struct db_options *o, struct buf *err)
{
	p->n = p->nidle = 0;
	p->all = calloc((size_t)n, sizeof *p->all);
	p->idle = calloc((size_t)n, sizeof *p->idle);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if (!p->all || !p->idle) {
		buf_puts(err, "out of memory");
		dbpool_release_all(p);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (db_open(target, o, &p->all[i], err)) {
			dbpool_release_all(p);
			return -1;
		}
		p->idle[p->nidle++] = p->all[i];
		p->n++;
	}
	return 0;
}

void dbpool_release_all(struct dbpool *p)
{
	for (int i = 0; i < p->n; i++)
		db_close(p->all[i]);
	free(p->all);
	free(p->idle);
	p->all = p->idle = NULL;
	p->n = p->nidle = 0;
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
}

struct db *dbpool_acquire(struct dbpool *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->nidle == 0)
		pthread_cond_wait(&p->cv, &p->mu);
	struct db *db = p->idle[--p->nidle];
	pthread_mutex_unlock(&p->mu);
	return db;
}

void dbpool_put(struct dbpool *p, struct db *db)
{
	if (!db)
		return;
	db_rollback(db); /* a handler that returned inside a transaction loses it */
	pthread_mutex_lock(&p->mu);
	p->idle[p->nidle++] = db;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}
