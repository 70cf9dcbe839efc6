/*
 * case_cache.c — rendered case answers; see case_cache.h.
 */
#include "case_cache.h"

#include <stdlib.h>
#include <string.h>

#define SETS (CASE_CACHE_SLOTS / CASE_CACHE_WAYS)

static size_t set_of(int64_t id, int variant)
{
	uint64_t h = (uint64_t)id * 2 + (uint64_t)(variant & 1);
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)(h % SETS);
}

int case_cache_init(struct case_cache *c)
{
	c->slots = calloc(CASE_CACHE_SLOTS, sizeof *c->slots);
	if (!c->slots)
		return -1;
	for (int i = 0; i < CASE_CACHE_STRIPES; i++)
		pthread_mutex_init(&c->stripes[i], NULL);
	c->names = 0;
	pthread_mutex_init(&c->names_mu, NULL);
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
	pthread_mutex_destroy(&c->names_mu);
}

static unsigned names_now(struct case_cache *c)
{
	pthread_mutex_lock(&c->names_mu);
	unsigned n = c->names;
	pthread_mutex_unlock(&c->names_mu);
	return n;
}

void case_cache_names_changed(struct case_cache *c)
{
	pthread_mutex_lock(&c->names_mu);
	c->names++;
	pthread_mutex_unlock(&c->names_mu);
}

int case_cache_get(struct case_cache *c, int64_t id, int version, int variant, int64_t now, struct buf *out)
{
	unsigned names = names_now(c);
	size_t s = set_of(id, variant);
	pthread_mutex_t *mu = &c->stripes[s % CASE_CACHE_STRIPES];
	int hit = 0;
	pthread_mutex_lock(mu);
	for (int w = 0; w < CASE_CACHE_WAYS; w++) {
		struct case_cache_entry *e = &c->slots[s * CASE_CACHE_WAYS + w];
		if (e->id == id && e->variant == variant && e->version == version && e->text && e->names == names &&
		    now - e->stored_at < CASE_CACHE_TTL_MS && now >= e->stored_at) {
			hit = buf_append(out, e->text, e->len) == 0;
			break;
		}
	}
	pthread_mutex_unlock(mu);
	return hit;
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
	unsigned names = names_now(c);
	size_t s = set_of(id, variant);
	pthread_mutex_t *mu = &c->stripes[s % CASE_CACHE_STRIPES];
	pthread_mutex_lock(mu);
	/* The same case's older copy, else an empty slot, else the oldest. */
	struct case_cache_entry *set = &c->slots[s * CASE_CACHE_WAYS], *e = NULL;
	for (int w = 0; w < CASE_CACHE_WAYS && !e; w++)
		if (set[w].id == id && set[w].variant == variant)
			e = &set[w];
	for (int w = 0; w < CASE_CACHE_WAYS && !e; w++)
		if (!set[w].id)
			e = &set[w];
	if (!e) {
		e = &set[0];
		for (int w = 1; w < CASE_CACHE_WAYS; w++)
			if (set[w].stored_at < e->stored_at)
				e = &set[w];
	}
	char *old = e->text;
	*e = (struct case_cache_entry){id, version, variant, names, now, copy, len};
	pthread_mutex_unlock(mu);
	free(old);
}
