/*
 * server.c — bringing a server up and down; see server.h.
 */
#include "server.h"
#include "buf.h"
#include "http.h"
#include "grid.h"
#include "log.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int server_start(struct server *s, const struct config *cfg, struct buf *err)
{
	struct db_options o = {cfg->synchronous, cfg->busy_timeout_ms, 0};
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
	if (session_cache_init(&s->sessions)) {
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

	workcal_init_default(&s->cal);
	if (workcal_load_dir(&s->cal, cfg->holidays_dir, err) || db_open(cfg->db, &o, &db, err))
		goto fail_cal;
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
	if (http_start(s, err))
		goto fail_pool;
	return 0;

	/* Undo in reverse order of setting up. */
fail_pool:
	dbpool_release_all(&s->pool);
fail_units:
	unit_dir_holder_release(&s->units);
fail_cal:
	workcal_release(&s->cal);
fail_sessions:
	session_cache_release(&s->sessions);
	return -1;
}

void server_stop(struct server *s, int grace_ms)
{
	http_stop(s, grace_ms);
	dbpool_release_all(&s->pool);
	unit_dir_holder_release(&s->units);
	workcal_release(&s->cal);
	session_cache_release(&s->sessions);
}
