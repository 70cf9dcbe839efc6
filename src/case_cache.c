/*
 * case_cache.c — rendered case answers; see case_cache.h.
 */
#include "case_cache.h"

#include <stdlib.h>
#include <string.h>

static size_t slot_of(int64_t id, int variant)
{
	uint64_t h = (uint64_t)id * 2 + (uint64_t)(variant & 1);
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)(h % CASE_CACHE_SLOTS);
}

int case_cache_init(struct case_cache *c)
{
	c->slots = calloc(CASE_CACHE_SLOTS, sizeof *c->slots);
	if (!c->slots)
		return -1;
	for (int i = 0; i < CASE_CACHE_STRIPES; i++)
		pthread_mutex_init(&c->stripes[i], NULL);
	return 0;
}

void case_cache_release(struct case_cache *c)
{
	if (!c->slots)
		return;
	for (size_t i = 0; i < CASE_CACHE_SLOTS; i++)
		free(c->slots[i].text);
	free(c->slots);
	c->slots = NULL;
	for (int i = 0; i < CASE_CACHE_STRIPES; i++)
		pthread_mutex_destroy(&c->stripes[i]);
}

char *case_cache_get(struct case_cache *c, int64_t id, int version, int variant, int64_t now, size_t *len)
{
	size_t s = slot_of(id, variant);
	pthread_mutex_t *mu = &c->stripes[s % CASE_CACHE_STRIPES];
	char *out = NULL;
	pthread_mutex_lock(mu);
	struct case_cache_entry *e = &c->slots[s];
	if (e->id == id && e->version == version && e->variant == variant && e->text &&
	    now - e->stored_at < CASE_CACHE_TTL_MS && now >= e->stored_at) {
		out = malloc(e->len);
		if (out) {
			memcpy(out, e->text, e->len);
			*len = e->len;
		}
	}
	pthread_mutex_unlock(mu);
	return out;
}

void case_cache_put(struct case_cache *c, int64_t id, int version, int variant, int64_t now, const char *text,
                    size_t len)
{
	if (len > CASE_CACHE_MAX_TEXT)
		return;
	char *copy = malloc(len ? len : 1);
	if (!copy)
		return;
	memcpy(copy, text, len);
	size_t s = slot_of(id, variant);
	pthread_mutex_t *mu = &c->stripes[s % CASE_CACHE_STRIPES];
	pthread_mutex_lock(mu);
	struct case_cache_entry *e = &c->slots[s];
	char *old = e->text;
	*e = (struct case_cache_entry){id, version, variant, now, copy, len};
	pthread_mutex_unlock(mu);
	free(old);
}
