/*
 * case_cache.h — rendered case answers, kept so that reading a case that
 * has not changed costs no rendering.
 *
 * A case changes only through its events, and every event raises its
 * version: an entry keyed by (case id, version, variant) is never wrong
 * about the case itself. The variant is what differs between viewers in
 * the stored text (whole or masked phone). What the text also holds from
 * other tables (category, department and unit names) is dropped at once
 * when this server changes one of those (case_cache_names_changed) and
 * trusted for at most CASE_CACHE_TTL_MS against changes made elsewhere
 * (the CLI, another server). Per-viewer parts (the scope check,
 * allowed_actions, duplicates) are never cached.
 *
 * Fixed slots in sets of CASE_CACHE_WAYS, chosen by (id, variant), under
 * striped mutexes; a full set evicts its oldest entry. Thread-safe.
 */
#ifndef ZG_CASE_CACHE_H
#define ZG_CASE_CACHE_H

#include "buf.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define CASE_CACHE_SLOTS 32768 /* about 50 MiB of answers at 1.6 KB each */
#define CASE_CACHE_WAYS 4
#define CASE_CACHE_STRIPES 64
#define CASE_CACHE_TTL_MS 60000
#define CASE_CACHE_MAX_TEXT (64 * 1024) /* larger answers are not kept */

struct case_cache_entry {
	int64_t id; /* 0: empty */
	int version;
	int variant;
	unsigned names;    /* the names generation it was rendered in */
	int64_t stored_at; /* ms */
	char *text;        /* malloc'd, len bytes, not NUL-terminated */
	size_t len;
};

struct case_cache {
	struct case_cache_entry *slots;
	pthread_mutex_t stripes[CASE_CACHE_STRIPES];
	unsigned names; /* raised by case_cache_names_changed; under names_mu */
	pthread_mutex_t names_mu;
};

int case_cache_init(struct case_cache *c); /* 0, or -1 out of memory */
void case_cache_release(struct case_cache *c);
/* Appends the text for (id, version, variant), stored at most
 * CASE_CACHE_TTL_MS before now and since the last names change, to out.
 * Returns 1 when it did, 0 when there is no such entry. */
int case_cache_get(struct case_cache *c, int64_t id, int version, int variant, int64_t now, struct buf *out);
/* Stores a copy of text (ignored when too long or out of memory). */
void case_cache_put(struct case_cache *c, int64_t id, int version, int variant, int64_t now, const char *text,
                    size_t len);
/* A category, department or unit name changed: every entry is stale. */
void case_cache_names_changed(struct case_cache *c);

#endif
