/*
 * limiter.h — counting failed guesses per key in memory (e.g. the last four
 * digits of a phone tried against one case number).
 *
 * A fixed table of LIMITER_SLOTS entries, keyed by a 64-bit hash of the key
 * (libsodium's keyed shorthash, with a random key per process, so a client
 * cannot pick keys that collide). A key is blocked once it has
 * LIMITER_MAX_FAILURES failures within LIMITER_WINDOW_MS; the block ends when
 * the window since its first failure has passed. When the table is full the
 * oldest window is recycled: under a flood the limiter forgets, it never
 * grows. Thread-safe.
 */
#ifndef ZG_LIMITER_H
#define ZG_LIMITER_H

#include <pthread.h>
#include <stdint.h>

#define LIMITER_SLOTS 4096
#define LIMITER_MAX_FAILURES 10
#define LIMITER_WINDOW_MS (15 * 60 * 1000LL)

struct limiter_slot {
	uint64_t key;  /* 0: free */
	int64_t since; /* first failure of the window, ms */
	int failures;
};

struct limiter {
	pthread_mutex_t mu;
	unsigned char hash_key[16];
	struct limiter_slot slot[LIMITER_SLOTS];
};

void limiter_init(struct limiter *l);
void limiter_release(struct limiter *l);
/* Seconds until key may try again, 0 when it may now. */
int limiter_blocked(struct limiter *l, const char *key, int64_t now_ms);
/* Counts a failure of key. */
void limiter_fail(struct limiter *l, const char *key, int64_t now_ms);
/* Forgets key (after a success). */
void limiter_reset(struct limiter *l, const char *key);

#endif
