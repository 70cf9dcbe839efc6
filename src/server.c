/*
 * server.c — bringing a server up and down; see server.h.
 */
#include "server.h"
#include "buf.h"
#include "case_overdue.h"
#include "http.h"
#include "grid.h"
#include "log.h"
#include "timeutil.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- the overdue scanner -------------------------------------------------- */

static void *scanner_main(void *arg)
{
	struct server *s = arg;
	struct scanner *sc = &s->scanner;
	pthread_mutex_lock(&sc->mu);
	while (!sc->stop) {
		pthread_mutex_unlock(&sc->mu);
		struct db *db = dbpool_acquire(&s->pool);
		struct overdue_counts n;
		if (case_overdue_scan(db, &s->cal, time_now_ms(), &n) == 0 && (n.marked || n.escalated))
			log_info("overdue scan: %d case(s) overdue (yellow 督办), %d raised to red, %d to retry",
			         n.marked, n.escalated, n.skipped);
		dbpool_put(&s->pool, db);
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += s->cfg.overdue_scan;
		pthread_mutex_lock(&sc->mu);
		while (!sc->stop && pthread_cond_timedwait(&sc->cv, &sc->mu, &until) == 0)
			;
	}
	pthread_mutex_unlock(&sc->mu);
	return NULL;
}

static int scanner_start(struct server *s)
{
	struct scanner *sc = &s->scanner;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&sc->mu, NULL);
	pthread_cond_init(&sc->cv, &ca);
	pthread_condattr_destroy(&ca);
	sc->stop = 0;
	if (s->cfg.overdue_scan <= 0)
		return 0;
	if (pthread_create(&sc->thread, NULL, scanner_main, s) != 0)
		return -1;
	sc->running = 1;
	return 0;
}

static void scanner_stop(struct server *s)
{
	struct scanner *sc = &s->scanner;
	pthread_mutex_lock(&sc->mu);
	sc->stop = 1;
	pthread_cond_broadcast(&sc->cv);
	pthread_mutex_unlock(&sc->mu);
	if (sc->running)
		pthread_join(sc->thread, NULL);
	sc->running = 0;
	pthread_cond_destroy(&sc->cv);
	pthread_mutex_destroy(&sc->mu);
}

int server_start(struct server *s, const struct config *cfg, struct buf *err)
{
	struct db_options o = {cfg->synchronous, cfg->busy_timeout_ms, 0, 0};
	struct db *db = NULL;
	memset(s, 0, sizeof *s);
	s->cfg = *cfg;
	s->routes = zg_routes;
	s->nroutes = zg_nroutes;
	if (s->nroutes > METRICS_MAX_ROUTES) {
		buf_puts(err, "route table larger than METRICS_MAX_ROUTES");
		return -1;
	}
	s->auth.session_ttl = cfg->session_ttl;
	s->auth.max_failures = cfg->login_max_failures;
	s->auth.backoff = cfg->login_backoff;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	s->threads = cfg->threads > 0 ? cfg->threads : (cores > 0 ? (int)cores : 2);
	metrics_init(&s->metrics);
	limiter_init(&s->phone4_guesses);
	if (session_cache_init(&s->sessions)) {
		buf_puts(err, "out of memory");
		return -1;
	}
	if (case_cache_init(&s->case_cache)) {
		session_cache_release(&s->sessions);
		buf_puts(err, "out of memory");
		return -1;
	}
	if (auth_init()) {
		buf_puts(err, "cannot initialise libsodium");
		goto fail_sessions;
	}
	s->instance = randombytes_random();

	if (!realpath(cfg->web_root, s->web_root_real)) {
		s->web_root_real[0] = '\0';
		log_warn("web root %s not found: only the API is served", cfg->web_root);
	}

	if (cfg->media_dir[0])
		snprintf(s->media_dir, sizeof s->media_dir, "%s", cfg->media_dir);
	else
		snprintf(s->media_dir, sizeof s->media_dir, "%.4000s.media", cfg->db);

	workcal_init_default(&s->cal);
	if (workcal_load_dir(&s->cal, cfg->holidays_dir, err) || db_open(cfg->db, &o, &db, err))
		goto fail_cal;
	int provisional = workcal_provisional_year(&s->cal);
	if (provisional)
		log_warn("holiday calendar: no notice for %d loaded (%s/%d.json); deadlines in %d are provisional: "
		         "Monday to Friday, 1 January off",
		         provisional, cfg->holidays_dir, provisional, provisional);
	int applied = db_migrate(db, err);
	if (applied > 0)
		log_info("store %s: applied %d migration(s)", cfg->db, applied);
	unit_dir_holder_init(&s->units);
	int loaded = applied >= 0 && unit_dir_reload(&s->units, db, err) == 0;
	db_close(db);
	if (!loaded)
		goto fail_units;
	struct unit_dir *d = unit_dir_acquire(&s->units);
	struct grid_stats gs = {0};
	if (d->index)
		grid_index_stats(d->index, &gs);
	log_info("units: %u loaded, %u cells indexed in %.1f ms (index %.1f MiB)", d->n, gs.cells, d->build_ms,
	         (double)gs.memory_bytes / (1024 * 1024));
	unit_dir_release(&s->units, d);

	/* One connection per worker, plus one for background work. */
	if (dbpool_init(&s->pool, s->threads + 1, cfg->db, &o, err))
		goto fail_units; /* dbpool_init releases what it opened */
	if (scanner_start(s)) {
		buf_puts(err, "cannot start the overdue scanner");
		goto fail_scanner;
	}
	if (committer_start(&s->committer, cfg->db, &o, err))
		goto fail_scanner;
	if (http_start(s, err))
		goto fail_committer;
	return 0;

	/* Undo in reverse order of setting up. */
fail_committer:
	committer_stop(&s->committer);
fail_scanner:
	scanner_stop(s);
	dbpool_release_all(&s->pool);
fail_units:
	unit_dir_holder_release(&s->units);
fail_cal:
	workcal_release(&s->cal);
fail_sessions:
	session_cache_release(&s->sessions);
	case_cache_release(&s->case_cache);
	return -1;
}

void server_stop(struct server *s, int grace_ms)
{
	http_stop(s, grace_ms);
	committer_stop(&s->committer);
	scanner_stop(s);
	dbpool_release_all(&s->pool);
	unit_dir_holder_release(&s->units);
	workcal_release(&s->cal);
	session_cache_release(&s->sessions);
	case_cache_release(&s->case_cache);
	limiter_release(&s->phone4_guesses);
}
