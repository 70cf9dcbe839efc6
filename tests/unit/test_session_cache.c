/*
 * test_session_cache.c — the in-memory session cache (session_cache.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "session_cache.h"

static const char H1[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
static const char H2[] = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

static struct user alice(void)
{
	struct user u;
	memset(&u, 0, sizeof u);
	u.id = 7;
	snprintf(u.username, sizeof u.username, "alice");
	snprintf(u.name, sizeof u.name, "王五");
	u.roles = 1;
	return u;
}

static int setup(void **state)
{
	static struct session_cache c;
	assert_int_equal(session_cache_init(&c), 0);
	*state = &c;
	return 0;
}

static int teardown(void **state)
{
	session_cache_release(*state);
	return 0;
}

static void test_session_cache_hit_returns_user_and_rendered_me(void **state)
{
	struct session_cache *c = *state;
	struct user u = alice(), got;
	char me[SESSION_ME_MAX];
	session_cache_put(c, H1, &u, 100000, 1000, session_cache_generation(c));
	assert_int_equal(session_cache_get(c, H1, 1500, &got, me), 1);
	assert_int_equal(got.id, 7);
	assert_string_equal(got.username, "alice");
	assert_non_null(strstr(me, "\"username\":\"alice\""));
	assert_int_equal(session_cache_get(c, H2, 1500, &got, NULL), 0);
}

static void test_session_cache_entry_is_rechecked_after_its_ttl(void **state)
{
	struct session_cache *c = *state;
	struct user u = alice(), got;
	session_cache_put(c, H1, &u, 100000, 1000, session_cache_generation(c));
	assert_int_equal(session_cache_get(c, H1, 1000 + SESSION_CACHE_TTL_MS - 1, &got, NULL), 1);
	assert_int_equal(session_cache_get(c, H1, 1000 + SESSION_CACHE_TTL_MS, &got, NULL), 0);
}

static void test_session_cache_never_outlives_the_session(void **state)
{
	struct session_cache *c = *state;
	struct user u = alice(), got;
	session_cache_put(c, H1, &u, 1200, 1000, session_cache_generation(c));
	assert_int_equal(session_cache_get(c, H1, 1199, &got, NULL), 1);
	assert_int_equal(session_cache_get(c, H1, 1200, &got, NULL), 0);
}

static void test_session_cache_invalidate_forgets_everything(void **state)
{
	struct session_cache *c = *state;
	struct user u = alice(), got;
	session_cache_put(c, H1, &u, 100000, 1000, session_cache_generation(c));
	session_cache_put(c, H2, &u, 100000, 1000, session_cache_generation(c));
	session_cache_invalidate(c);
	assert_int_equal(session_cache_get(c, H1, 1001, &got, NULL), 0);
	assert_int_equal(session_cache_get(c, H2, 1001, &got, NULL), 0);
}

/* A lookup that read the store before a logout must not put the session back. */
static void test_session_cache_put_from_before_an_invalidation_is_ignored(void **state)
{
	struct session_cache *c = *state;
	struct user u = alice(), got;
	uint64_t gen = session_cache_generation(c); /* read, then the store is asked ... */
	session_cache_invalidate(c);                /* ... meanwhile someone logs out */
	session_cache_put(c, H1, &u, 100000, 1000, gen);
	assert_int_equal(session_cache_get(c, H1, 1001, &got, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_session_cache_hit_returns_user_and_rendered_me, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_session_cache_entry_is_rechecked_after_its_ttl, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_session_cache_never_outlives_the_session, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_session_cache_invalidate_forgets_everything, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_session_cache_put_from_before_an_invalidation_is_ignored, setup,
	                                        teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
