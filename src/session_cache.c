/*
 * session_cache.c — see session_cache.h.
 */
#include "session_cache.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int session_cache_init(struct session_cache *c)
{
	c->slots = calloc(SESSION_CACHE_SLOTS, sizeof *c->slots);
	if (!c->slots)
		return -1;
	for (int i = 0; i < SESSION_CACHE_STRIPES; i++)
		pthread_mutex_init(&c->stripes[i], NULL);
	c->generation = 1;
	return 0;
}

void session_cache_release(struct session_cache *c)
{
	if (!c->slots)
		return;
	for (int i = 0; i < SESSION_CACHE_STRIPES; i++)
		pthread_mutex_destroy(&c->stripes[i]);
	free(c->slots);
	c->slots = NULL;
}

static unsigned slot_of(const char *token_hash)
{
	/* The hash is hex of BLAKE2b: its first 8 digits are uniform. */
	return (unsigned)strtoul((char[9]){token_hash[0], token_hash[1], token_hash[2], token_hash[3], token_hash[4],
	                                   token_hash[5], token_hash[6], token_hash[7], 0},
	                         NULL, 16) %
	       SESSION_CACHE_SLOTS;
}

int session_cache_get(struct session_cache *c, const char *token_hash, int64_t now_ms, struct user *user, char *me)
{
	unsigned s = slot_of(token_hash);
	uint64_t gen = __atomic_load_n(&c->generation, __ATOMIC_ACQUIRE);
	pthread_mutex_t *mu = &c->stripes[s % SESSION_CACHE_STRIPES];
	int hit = 0;
	pthread_mutex_lock(mu);
	struct session_entry *e = &c->slots[s];
	if (e->generation == gen && strcmp(e->token_hash, token_hash) == 0 && now_ms < e->expires_at &&
	    now_ms - e->checked_at < SESSION_CACHE_TTL_MS && now_ms >= e->checked_at) {
		*user = e->user;
		if (me)
			memcpy(me, e->me, SESSION_ME_MAX);
		hit = 1;
	}
	pthread_mutex_unlock(mu);
	return hit;
}

uint64_t session_cache_generation(struct session_cache *c)
{
	return __atomic_load_n(&c->generation, __ATOMIC_ACQUIRE);
}

void session_cache_put(struct session_cache *c, const char *token_hash, const struct user *user, int64_t expires_at,
                       int64_t now_ms, uint64_t gen)
{
	char me[SESSION_ME_MAX] = "";
	json_t *body = json_pack("{s:o}", "user", user_to_json(user, 1));
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	if (text && strlen(text) < sizeof me)
		memcpy(me, text, strlen(text) + 1);
	free(text);
	json_decref(body);
	unsigned s = slot_of(token_hash);
	pthread_mutex_t *mu = &c->stripes[s % SESSION_CACHE_STRIPES];
	pthread_mutex_lock(mu);
	struct session_entry *e = &c->slots[s];
	snprintf(e->token_hash, sizeof e->token_hash, "%s", token_hash);
	e->user = *user;
	e->expires_at = expires_at;
	e->checked_at = now_ms;
	e->generation = gen;
	memcpy(e->me, me, sizeof me);
	pthread_mutex_unlock(mu);
}

void session_cache_invalidate(struct session_cache *c)
{
	__atomic_add_fetch(&c->generation, 1, __ATOMIC_ACQ_REL);
}
