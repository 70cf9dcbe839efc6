/*
 * server.h — the one struct that holds a running server's state.
 *
 * Nothing is global: configuration, the store pool, metrics and the route
 * table hang off struct server, and every handler reaches them through its
 * request (r->srv). Fields marked "fixed" are set before the HTTP threads
 * start and never change while they run.
 */
#ifndef ZG_SERVER_H
#define ZG_SERVER_H

#include "auth.h"
#include "case_cache.h"
#include "committer.h"
#include "config.h"
#include "dbpool.h"
#include "limiter.h"
#include "metrics.h"
#include "router.h"
#include "session_cache.h"
#include "units.h"
#include "workcal.h"

#include <pthread.h>
#include <stdint.h>

struct MHD_Daemon;

/* The background thread that scans for overdue cases (case_overdue.h). */
struct scanner {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* signalled to stop */
	int running;       /* the thread was started */
	int stop;          /* under mu */
};

struct server {
	struct config cfg;             /* fixed: effective configuration */
	struct auth_policy auth;       /* fixed: from cfg */
	struct dbpool pool;            /* store connections for the workers */
	struct metrics metrics;        /* counters, updated atomically */
	struct session_cache sessions; /* recently checked sessions (session_cache.h) */
	const struct route *routes;    /* fixed: the route table (routes.c) */
	size_t nroutes;                /* fixed */
	struct unit_dir_holder units;  /* current unit directory and locate index */
	struct workcal cal;            /* fixed: holidays and office hours for deadlines */
	struct MHD_Daemon *mhd;        /* the HTTP daemon, NULL when stopped */
	struct scanner scanner;        /* overdue scans every cfg.overdue_scan seconds */
	struct committer committer;    /* group commit of case intake (committer.h) */
	struct limiter phone4_guesses; /* wrong phone4 per case number (public follow-up) */
	struct case_cache case_cache;  /* rendered case answers (case_cache.h) */
	int threads;                   /* fixed: worker threads in use */
	uint32_t instance;             /* fixed: random prefix of request ids */
	uint64_t next_request;         /* atomic: request id counter */
	int inflight;                  /* atomic: requests between first byte and completion */
	char web_root_real[4096];      /* fixed: realpath of cfg.web_root, "" when absent */
	char media_dir[4096];          /* fixed: photos (cfg.media_dir, or "<db>.media") */
};

/* Opens the store (migrating it), the pool and the HTTP daemon. Returns 0,
 * or -1 with the reason in err and everything released. */
int server_start(struct server *s, const struct config *cfg, struct buf *err);
/* Stops accepting, waits up to grace_ms for in-flight requests, stops the
 * daemon and closes the store. */
void server_stop(struct server *s, int grace_ms);

/* The route table (routes.c). */
extern const struct route zg_routes[];
extern const size_t zg_nroutes;

#endif
