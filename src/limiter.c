/*
 * limiter.c — failed guesses per key; see limiter.h.
 */
#include "limiter.h"

#include <sodium.h>
#include <string.h>

#define PROBES 8 /* slots looked at from a key's home slot */

void limiter_init(struct limiter *l)
{
	memset(l, 0, sizeof *l);
	pthread_mutex_init(&l->mu, NULL);
	randombytes_buf(l->hash_key, sizeof l->hash_key);
}

void limiter_release(struct limiter *l)
{
	pthread_mutex_destroy(&l->mu);
}

static uint64_t hash(const struct limiter *l, const char *key)
{
	unsigned char h[crypto_shorthash_BYTES];
	crypto_shorthash(h, (const unsigned char *)key, strlen(key), l->hash_key);
	uint64_t v;
	memcpy(&v, h, sizeof v);
	return v ? v : 1;
}

/* The slot of key, or NULL; with create, a free or the stalest slot (reset). */
static struct limiter_slot *find(struct limiter *l, uint64_t k, int64_t now, int create)
{
	struct limiter_slot *victim = NULL;
	for (int i = 0; i < PROBES; i++) {
		struct limiter_slot *s = &l->slot[(k + (uint64_t)i) % LIMITER_SLOTS];
		if (s->key == k) {
			if (now - s->since >= LIMITER_WINDOW_MS) /* the window is over: start afresh */
				s->failures = 0, s->since = now;
			return s;
		}
		if (s->key == 0) { /* a free slot beats any taken one */
			if (!victim || victim->key != 0)
				victim = s;
		} else if (!victim || (victim->key != 0 && s->since < victim->since)) {
			victim = s; /* else the stalest window */
		}
	}
	if (!create)
		return NULL;
	victim->key = k;
	victim->since = now;
	victim->failures = 0;
	return victim;
}

int limiter_blocked(struct limiter *l, const char *key, int64_t now_ms)
{
	uint64_t k = hash(l, key);
	pthread_mutex_lock(&l->mu);
	struct limiter_slot *s = find(l, k, now_ms, 0);
	int wait = 0;
	if (s && s->failures >= LIMITER_MAX_FAILURES)
		wait = (int)((s->since + LIMITER_WINDOW_MS - now_ms + 999) / 1000);
	pthread_mutex_unlock(&l->mu);
	return wait > 0 ? wait : 0;
}

void limiter_fail(struct limiter *l, const char *key, int64_t now_ms)
{
	uint64_t k = hash(l, key);
	pthread_mutex_lock(&l->mu);
	struct limiter_slot *s = find(l, k, now_ms, 1);
	s->failures++;
	pthread_mutex_unlock(&l->mu);
}

void limiter_reset(struct limiter *l, const char *key)
{
	uint64_t k = hash(l, key);
	pthread_mutex_lock(&l->mu);
	struct limiter_slot *s = find(l, k, 0, 0);
	if (s)
		s->key = 0;
	pthread_mutex_unlock(&l->mu);
}
