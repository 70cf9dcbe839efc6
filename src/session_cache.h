/*
 * session_cache.h — sessions the server has checked recently, kept in
 * memory so that an authenticated request needs no store read.
 *
 * An entry maps a token's hash to its user, the session's expiry and the
 * rendered body of GET /api/v1/me. It is trusted for SESSION_CACHE_TTL_MS
 * after it was read from the store; then the store is asked again, so a
 * change made elsewhere (the CLI, another server on the same store) takes
 * effect within that time. Changes made through this server (logout, any
 * account change) invalidate every entry at once by raising the cache's
 * generation.
 *
 * The table has a fixed number of slots (direct-mapped by the token hash)
 * under striped mutexes; a collision simply evicts.
 */
#ifndef ZG_SESSION_CACHE_H
#define ZG_SESSION_CACHE_H

#include "users.h"

#include <pthread.h>
#include <stdint.h>

#define SESSION_CACHE_SLOTS 4096
#define SESSION_CACHE_STRIPES 64
#define SESSION_CACHE_TTL_MS 2000
#define SESSION_ME_MAX 1024

struct session_entry {
	char token_hash[65]; /* "" when empty */
	struct user user;
	int64_t expires_at; /* the session's own expiry, ms */
	int64_t checked_at; /* when the store last confirmed it, ms */
	uint64_t generation;
	char me[SESSION_ME_MAX]; /* rendered {"user":...}, "" when too long */
};

struct session_cache {
	struct session_entry *slots;
	pthread_mutex_t stripes[SESSION_CACHE_STRIPES];
	uint64_t generation; /* atomic */
};

int session_cache_init(struct session_cache *c); /* 0 or -1 (out of memory) */
void session_cache_release(struct session_cache *c);
/* 1 and *user (and me, when not NULL, of SESSION_ME_MAX bytes) filled on a
 * fresh hit; 0 on a miss. */
int session_cache_get(struct session_cache *c, const char *token_hash, int64_t now_ms, struct user *user, char *me);
/* The current generation: read it before asking the store, and pass it to
 * session_cache_put, so that an invalidation in between is not undone. */
uint64_t session_cache_generation(struct session_cache *c);
/* Records a session the store confirmed while the cache was at generation gen. */
void session_cache_put(struct session_cache *c, const char *token_hash, const struct user *user, int64_t expires_at,
                       int64_t now_ms, uint64_t gen);
/* Forgets every entry (logout, account changes). */
void session_cache_invalidate(struct session_cache *c);

#endif
