/*
 * committer.c — group commit; see committer.h.
 */
#include "committer.h"
#include "buf.h"
#include "db.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char SQL_SAVEPOINT[] = "SAVEPOINT job";
static const char SQL_RELEASE[] = "RELEASE job";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO job";

/* Runs one batch (a list linked by next). Returns 1 when it committed.
 * First without savepoints, as one transaction (jobs hardly ever fail);
 * when a job does, everything is rolled back and the batch runs again with
 * a savepoint per job, so that only the failed job's writes are undone. */
static int run_batch(struct committer *c, struct commit_job *jobs)
{
	struct db *db = c->db;
	if (db_begin(db) != DB_OK)
		return 0;
	struct commit_job *j = jobs;
	while (j && j->run(db, j) == 0)
		j = j->next;
	if (j) {
		db_rollback(db);
		if (db_begin(db) != DB_OK)
			return 0;
		for (j = jobs; j; j = j->next) {
			if (db_exec_cached(db, SQL_SAVEPOINT))
				goto fail;
			if (j->run(db, j) != 0) {
				if (db_exec_cached(db, SQL_ROLLBACK_TO))
					goto fail;
			}
			if (db_exec_cached(db, SQL_RELEASE))
				goto fail;
		}
	}
	if (db_commit(db) != DB_OK)
		return 0; /* db_commit rolls back */
	return 1;
fail:
	db_rollback(db);
	return 0;
}

static void *committer_main(void *arg)
{
	struct committer *c = arg;
	pthread_mutex_lock(&c->mu);
	for (;;) {
		while (!c->head && !c->stop)
			pthread_cond_wait(&c->cv, &c->mu);
		if (!c->head && c->stop)
			break;
		/* Take up to COMMITTER_MAX_BATCH waiting jobs. */
		struct commit_job *batch = c->head, *last = c->head;
		uint32_t n = 1;
		while (last->next && n < COMMITTER_MAX_BATCH) {
			last = last->next;
			n++;
		}
		c->head = last->next;
		if (!c->head)
			c->tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&c->mu);

		int committed = run_batch(c, batch);
		int wal = db_wal_pages(c->db);
		if (wal >= COMMITTER_WAL_RESTART_PAGES)
			db_checkpoint_restart(c->db);
		else if (wal >= COMMITTER_WAL_PASSIVE_PAGES)
			db_checkpoint(c->db);
		if (!committed) {
			__atomic_add_fetch(&c->failed_batches, 1, __ATOMIC_RELAXED);
			log_error("group commit of %u job(s) failed: %s", n, db_errmsg(c->db));
		}
		__atomic_add_fetch(&c->batches, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&c->jobs, n, __ATOMIC_RELAXED);
		if (n > __atomic_load_n(&c->largest_batch, __ATOMIC_RELAXED))
			__atomic_store_n(&c->largest_batch, n, __ATOMIC_RELAXED);
		for (struct commit_job *j = batch, *next; j; j = next) {
			next = j->next; /* done() may free the job */
			j->next = NULL;
			j->done(j, committed);
		}
		pthread_mutex_lock(&c->mu);
		if (++c->ckpt_due >= COMMITTER_CHECKPOINT_EVERY)
			pthread_cond_signal(&c->ckpt_cv);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

static void *checkpointer_main(void *arg)
{
	struct committer *c = arg;
	pthread_mutex_lock(&c->mu);
	while (!c->stop) {
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += 1;
		while (!c->stop && c->ckpt_due < COMMITTER_CHECKPOINT_EVERY &&
		       pthread_cond_timedwait(&c->ckpt_cv, &c->mu, &until) == 0)
			;
		if (c->stop)
			break;
		int due = c->ckpt_due;
		c->ckpt_due = 0;
		pthread_mutex_unlock(&c->mu);
		if (due && db_checkpoint(c->ckpt_db) != DB_OK)
			log_warn("WAL checkpoint failed: %s", db_errmsg(c->ckpt_db));
		pthread_mutex_lock(&c->mu);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

int committer_start(struct committer *c, const char *target, const struct db_options *o, struct buf *err)
{
	memset(c, 0, sizeof *c);
	struct db_options mine = *o;
	mine.no_autocheckpoint = 1;
	if (db_open(target, &mine, &c->db, err))
		return -1;
	if (db_open(target, o, &c->ckpt_db, err)) {
		db_close(c->db);
		return -1;
	}
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	pthread_cond_init(&c->ckpt_cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&c->thread, NULL, committer_main, c) != 0) {
		buf_puts(err, "cannot start the committer thread");
		goto fail;
	}
	c->running = 1;
	if (pthread_create(&c->ckpt_thread, NULL, checkpointer_main, c) != 0) {
		buf_puts(err, "cannot start the checkpointer thread");
		committer_stop(c);
		return -1;
	}
	c->ckpt_running = 1;
	return 0;
fail:
	pthread_cond_destroy(&c->ckpt_cv);
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	db_close(c->ckpt_db);
	db_close(c->db);
	c->db = c->ckpt_db = NULL;
	return -1;
}

void committer_submit(struct committer *c, struct commit_job *job)
{
	job->next = NULL;
	pthread_mutex_lock(&c->mu);
	if (c->tail)
		c->tail->next = job;
	else
		c->head = job;
	c->tail = job;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

void committer_stop(struct committer *c)
{
	if (!c->running)
		return;
	pthread_mutex_lock(&c->mu);
	c->stop = 1;
	pthread_cond_signal(&c->cv);
	pthread_cond_signal(&c->ckpt_cv);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->thread, NULL);
	if (c->ckpt_running)
		pthread_join(c->ckpt_thread, NULL);
	c->running = c->ckpt_running = 0;
	pthread_cond_destroy(&c->ckpt_cv);
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	db_close(c->ckpt_db);
	db_close(c->db);
	c->db = c->ckpt_db = NULL;
}
