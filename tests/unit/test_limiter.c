/*
 * test_limiter.c — failed guesses per key (limiter.h): blocked after the
 * limit within the window, free again after it, keys independent, a
 * success forgets, and a full table recycles instead of growing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "limiter.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

static int setup(void **state)
{
	if (sodium_init() < 0)
		return -1;
	struct limiter *l = malloc(sizeof *l);
	limiter_init(l);
	*state = l;
	return 0;
}

static int teardown(void **state)
{
	limiter_release(*state);
	free(*state);
	return 0;
}

static void test_limiter_blocks_after_the_limit_within_the_window(void **state)
{
	struct limiter *l = *state;
	int64_t t = 1000000;
	for (int i = 0; i < LIMITER_MAX_FAILURES - 1; i++) {
		limiter_fail(l, "20261122-0001", t + i);
		assert_int_equal(limiter_blocked(l, "20261122-0001", t + i), 0);
	}
	limiter_fail(l, "20261122-0001", t + 100);
	int wait = limiter_blocked(l, "20261122-0001", t + 100);
	assert_true(wait > 0 && wait <= LIMITER_WINDOW_MS / 1000);
	assert_int_equal(limiter_blocked(l, "20261122-0002", t + 100), 0); /* another key */
	/* Free again once the window since the first failure is over. */
	assert_true(limiter_blocked(l, "20261122-0001", t + LIMITER_WINDOW_MS - 1) > 0);
	assert_int_equal(limiter_blocked(l, "20261122-0001", t + LIMITER_WINDOW_MS), 0);
	/* And a new window starts from zero. */
	limiter_fail(l, "20261122-0001", t + LIMITER_WINDOW_MS + 1);
	assert_int_equal(limiter_blocked(l, "20261122-0001", t + LIMITER_WINDOW_MS + 1), 0);
}

static void test_limiter_success_forgets(void **state)
{
	struct limiter *l = *state;
	for (int i = 0; i < LIMITER_MAX_FAILURES - 1; i++)
		limiter_fail(l, "k", 5);
	limiter_reset(l, "k");
	limiter_fail(l, "k", 6);
	assert_int_equal(limiter_blocked(l, "k", 6), 0);
}

static void test_limiter_full_table_recycles(void **state)
{
	struct limiter *l = *state;
	char key[32];
	for (int i = 0; i < 4 * LIMITER_SLOTS; i++) {
		snprintf(key, sizeof key, "flood-%d", i);
		limiter_fail(l, key, 10 + i);
	}
	/* A key blocked after the flood is still counted. */
	for (int i = 0; i < LIMITER_MAX_FAILURES; i++)
		limiter_fail(l, "late", 100000);
	assert_true(limiter_blocked(l, "late", 100000) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_limiter_blocks_after_the_limit_within_the_window, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_limiter_success_forgets, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_limiter_full_table_recycles, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
