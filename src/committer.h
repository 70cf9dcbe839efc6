/*
 * committer.h — group commit: one writer thread that puts many requests'
 * writes into one transaction, so that one fsync makes them all durable.
 *
 * With synchronous=FULL every COMMIT waits for the disk (about 0.2 ms here,
 * far more on real disks); a transaction per request caps creates at a few
 * thousand per second however many cores answer HTTP. Instead, a handler
 * that has checked its input hands the write to the committer as a job and
 * its connection is suspended (http.c). The committer takes every job that
 * is waiting (up to COMMITTER_MAX_BATCH), runs them in one transaction —
 * when one fails, the batch runs again with a SAVEPOINT per job, so a job
 * that fails rolls back alone — commits once,
 * and then calls each job's done(): only then is the client answered, so
 * every acknowledged write is on disk. While a batch commits the next one
 * gathers, so batches grow with the load and nobody waits for a timer.
 * The WAL is checkpointed by a second thread (every COMMITTER_CHECKPOINT_EVERY
 * batches, and once a second while idle), not inside the committer's commit.
 */
#ifndef ZG_COMMITTER_H
#define ZG_COMMITTER_H

#include <pthread.h>
#include <stdint.h>

struct db;
struct db_options;
struct buf;

#define COMMITTER_MAX_BATCH 1024
#define COMMITTER_CHECKPOINT_EVERY 64
/* The log is restarted only when a checkpoint has copied all of it: the
 * checkpointer copies while the committer writes, and past these sizes the
 * committer finishes the job itself between two batches. */
#define COMMITTER_WAL_PASSIVE_PAGES 4096  /* 16 MiB: copy the rest (little) */
#define COMMITTER_WAL_RESTART_PAGES 32768 /* 128 MiB: wait for readers if need be */

struct commit_job {
	struct commit_job *next;
	/* Runs inside the batch's transaction (in the job's own savepoint when
	 * another job of the batch failed). Returns 0 to keep its writes, -1 to
	 * have them rolled back (the job records why itself). May run twice: a
	 * second run starts from a store without the first one's writes and
	 * must set everything the job reports. */
	int (*run)(struct db *db, struct commit_job *job);
	/* Called after the batch, from the committer thread: committed is 1
	 * when the transaction (with this job's writes, if run returned 0) is
	 * on disk, 0 when the batch failed and nothing of it was written. */
	void (*done)(struct commit_job *job, int committed);
};

struct committer {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct commit_job *head, *tail; /* waiting jobs, under mu */
	int stop;                       /* under mu */
	int running;
	struct db *db; /* the committer's own connection (never checkpoints) */
	/* The checkpointer: copies the WAL into the store on its own thread
	 * and connection, so that the committer never stops for it. */
	pthread_t ckpt_thread;
	pthread_cond_t ckpt_cv;
	int ckpt_running;
	int ckpt_due; /* under mu: commits since the last checkpoint */
	struct db *ckpt_db;
	/* Statistics (atomic). */
	uint64_t batches, jobs, failed_batches;
	uint32_t largest_batch;
};

/* Opens its connection to target and starts the thread. Returns 0, or -1
 * with the reason in err. */
int committer_start(struct committer *c, const char *target, const struct db_options *o, struct buf *err);
/* Queues a job; its done() will be called exactly once. */
void committer_submit(struct committer *c, struct commit_job *job);
/* Finishes the waiting jobs, stops the thread and closes the connection. */
void committer_stop(struct committer *c);

#endif
