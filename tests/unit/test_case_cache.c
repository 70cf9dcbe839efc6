/*
 * test_case_cache.c — rendered case answers (case_cache.h): a hit only for
 * the same id, version and variant within the TTL; a newer version or the
 * other variant misses; a collision evicts; texts are copies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "case_cache.h"

#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
	struct case_cache *c = calloc(1, sizeof *c);
	if (!c || case_cache_init(c))
		return -1;
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	case_cache_release(*state);
	free(*state);
	return 0;
}

static void expect_text(struct case_cache *c, int64_t id, int version, int variant, int64_t now, const char *want)
{
	size_t len = 0;
	char *got = case_cache_get(c, id, version, variant, now, &len);
	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(got, want, len);
	free(got);
}

static void test_case_cache_hit_only_for_the_same_version_and_variant(void **state)
{
	struct case_cache *c = *state;
	case_cache_put(c, 7, 3, 0, 1000, "{\"id\":7,\"v\":3}", 14);
	expect_text(c, 7, 3, 0, 1001, "{\"id\":7,\"v\":3}");
	expect_text(c, 7, 4, 0, 1001, NULL); /* the case moved on */
	expect_text(c, 7, 3, 1, 1001, NULL); /* the dispatcher's text (whole phones) is another */
	expect_text(c, 8, 3, 0, 1001, NULL);
	case_cache_put(c, 7, 3, 1, 1000, "{\"phone\":\"13800001234\"}", 23);
	expect_text(c, 7, 3, 1, 1001, "{\"phone\":\"13800001234\"}");
	expect_text(c, 7, 3, 0, 1001, "{\"id\":7,\"v\":3}");
}

static void test_case_cache_expires_after_the_ttl(void **state)
{
	struct case_cache *c = *state;
	case_cache_put(c, 9, 1, 0, 5000, "{}", 2);
	expect_text(c, 9, 1, 0, 5000 + CASE_CACHE_TTL_MS - 1, "{}");
	expect_text(c, 9, 1, 0, 5000 + CASE_CACHE_TTL_MS, NULL);
	expect_text(c, 9, 1, 0, 4999, NULL); /* a clock that went back */
}

static void test_case_cache_replaces_and_copies(void **state)
{
	struct case_cache *c = *state;
	char text[] = "{\"a\":1}";
	case_cache_put(c, 11, 1, 0, 0, text, strlen(text));
	text[2] = 'X'; /* the cache kept its own copy */
	expect_text(c, 11, 1, 0, 1, "{\"a\":1}");
	case_cache_put(c, 11, 2, 0, 0, "{\"a\":2}", 7);
	expect_text(c, 11, 1, 0, 1, NULL);
	expect_text(c, 11, 2, 0, 1, "{\"a\":2}");
	/* Far more cases than slots: every lookup is a hit or a clean miss. */
	for (int64_t id = 1; id <= 4 * CASE_CACHE_SLOTS; id++)
		case_cache_put(c, id, 1, 0, 0, "{\"x\":0}", 7);
	int hits = 0;
	for (int64_t id = 1; id <= 4 * CASE_CACHE_SLOTS; id++) {
		size_t len;
		char *t = case_cache_get(c, id, 1, 0, 1, &len);
		if (t) {
			assert_int_equal(len, 7);
			hits++;
			free(t);
		}
	}
	assert_true(hits > 0 && hits <= CASE_CACHE_SLOTS);
	/* Too long to keep. */
	char *big = malloc(CASE_CACHE_MAX_TEXT + 1);
	memset(big, ' ', CASE_CACHE_MAX_TEXT + 1);
	case_cache_put(c, 99999, 1, 0, 0, big, CASE_CACHE_MAX_TEXT + 1);
	free(big);
	expect_text(c, 99999, 1, 0, 1, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_case_cache_hit_only_for_the_same_version_and_variant, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_case_cache_expires_after_the_ttl, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_case_cache_replaces_and_copies, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
