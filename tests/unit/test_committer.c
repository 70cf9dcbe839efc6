/*
 * test_committer.c — group commit (committer.h): a batch commits once; a
 * job that fails has its writes undone alone while the others of its batch
 * are kept; every job's done() is called exactly once, after the commit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "committer.h"
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

struct job {
	struct commit_job base;
	const char *code; /* the department it inserts */
	int runs, done_calls, committed, rc;
	/* The first job holds the committer until the others are queued, so
	 * that they form one batch. */
	pthread_mutex_t *gate;
};

static const char SQL_INSERT[] = "INSERT INTO departments (code, name, created_at) VALUES (?, ?, 1)";

static pthread_mutex_t done_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;
static int done_total, gate_reached;

static int job_run(struct db *db, struct commit_job *cj)
{
	struct job *j = (struct job *)cj;
	if (j->gate) {
		pthread_mutex_lock(&done_mu);
		gate_reached = 1;
		pthread_cond_signal(&done_cv);
		pthread_mutex_unlock(&done_mu);
		pthread_mutex_lock(j->gate);
		pthread_mutex_unlock(j->gate);
	}
	j->runs++;
	struct db_stmt *st = db_prepare(db, SQL_INSERT);
	assert_non_null(st);
	db_bind_text(st, 1, j->code);
	db_bind_text(st, 2, j->code);
	int rc = db_step(st);
	db_stmt_done(st);
	j->rc = rc == DB_DONE ? 0 : -1;
	return j->rc;
}

static void job_done(struct commit_job *cj, int committed)
{
	struct job *j = (struct job *)cj;
	pthread_mutex_lock(&done_mu);
	j->done_calls++;
	j->committed = committed;
	done_total++;
	pthread_cond_signal(&done_cv);
	pthread_mutex_unlock(&done_mu);
}

static int64_t count_code(struct db *db, const char *code)
{
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM departments WHERE code = ?");
	assert_non_null(st);
	db_bind_text(st, 1, code);
	assert_int_equal(db_step(st), DB_ROW);
	int64_t n = db_col_i64(st, 0);
	db_stmt_done(st);
	return n;
}

/* Runs jobs for codes through a committer on a new store in dir: job 0 in a
 * batch of its own, the others queued meanwhile, so in one batch. Returns
 * the store for the checks. */
static struct db *run_jobs(const char *const *codes, int n, struct job *jobs, char *dir)
{
	tu_mkdtemp(dir);
	struct db *db = tu_open_store(dir, "store.db");
	char path[PATH_MAX + 16];
	snprintf(path, sizeof path, "%s/store.db", dir);
	struct committer c;
	struct buf err;
	buf_init(&err, 256);
	struct db_options o = {.synchronous = "full", .busy_timeout_ms = 5000};
	assert_int_equal(committer_start(&c, path, &o, &err), 0);
	pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&gate);
	done_total = 0;
	gate_reached = 0;
	for (int i = 0; i < n; i++)
		jobs[i] = (struct job){
		        .base = {NULL, job_run, job_done}, .code = codes[i], .gate = i == 0 ? &gate : NULL};
	committer_submit(&c, &jobs[0].base);
	pthread_mutex_lock(&done_mu);
	while (!gate_reached) /* job 0 is running, alone in its batch */
		pthread_cond_wait(&done_cv, &done_mu);
	pthread_mutex_unlock(&done_mu);
	for (int i = 1; i < n; i++)
		committer_submit(&c, &jobs[i].base);
	pthread_mutex_unlock(&gate);
	pthread_mutex_lock(&done_mu);
	while (done_total < n)
		pthread_cond_wait(&done_cv, &done_mu);
	pthread_mutex_unlock(&done_mu);
	committer_stop(&c);
	buf_release(&err);
	return db;
}

static void test_committer_batch_commits_every_job(void **state)
{
	(void)state;
	static const char *const codes[] = {"G0", "A1", "A2", "A3"};
	struct job jobs[4];
	char dir[PATH_MAX];
	struct db *db = run_jobs(codes, 4, jobs, dir);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(jobs[i].done_calls, 1);
		assert_int_equal(jobs[i].committed, 1);
		assert_int_equal(jobs[i].rc, 0);
		assert_int_equal(jobs[i].runs, 1); /* nobody failed: one run each */
		assert_int_equal(count_code(db, codes[i]), 1);
	}
	db_close(db);
	tu_rmtree(dir);
}

static void test_committer_failed_job_rolls_back_alone(void **state)
{
	(void)state;
	/* B2 repeats G0's code: its insert fails inside the second batch. */
	static const char *const codes[] = {"G0", "B1", "G0", "B3"};
	struct job jobs[4];
	char dir[PATH_MAX];
	struct db *db = run_jobs(codes, 4, jobs, dir);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(jobs[i].done_calls, 1);
		assert_int_equal(jobs[i].committed, 1);
	}
	assert_int_equal(jobs[2].rc, -1);
	assert_int_equal(jobs[1].rc, 0);
	assert_int_equal(jobs[3].rc, 0);
	assert_int_equal(count_code(db, "G0"), 1);
	assert_int_equal(count_code(db, "B1"), 1);
	assert_int_equal(count_code(db, "B3"), 1);
	/* The batch ran again with savepoints: B1 ran twice, and its second run is what stays. */
	assert_int_equal(jobs[1].runs, 2);
	assert_int_equal(jobs[3].runs, 1); /* the first pass stopped at the failure */
	db_close(db);
	tu_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_committer_batch_commits_every_job),
	        cmocka_unit_test(test_committer_failed_job_rolls_back_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
