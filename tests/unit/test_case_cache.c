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
	struct buf b;
	buf_init(&b, 1 << 20);
	buf_puts(&b, "<"); /* a hit appends to what the buffer holds */
	int hit = case_cache_get(c, id, version, variant, now, &b);
	if (!want) {
		assert_int_equal(hit, 0);
		assert_string_equal(buf_cstr(&b), "<");
		buf_release(&b);
		return;
	}
	assert_int_equal(hit, 1);
	assert_int_equal(b.len, strlen(want) + 1);
	assert_memory_equal(b.data + 1, want, b.len - 1);
	buf_release(&b);
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
		case_cache_put(c, id, 1, 0, id, "{\"x\":0}", 7);
	int hits = 0;
	struct buf b;
	buf_init(&b, 1 << 20);
	for (int64_t id = 1; id <= 4 * CASE_CACHE_SLOTS; id++) {
		buf_reset(&b);
		if (case_cache_get(c, id, 1, 0, 4 * CASE_CACHE_SLOTS, &b)) {
			assert_int_equal(b.len, 7);
			hits++;
		}
	}
	buf_release(&b);
	assert_true(hits > 0 && hits <= CASE_CACHE_SLOTS);
	/* Too long to keep. */
	char *big = malloc(CASE_CACHE_MAX_TEXT + 1);
	memset(big, ' ', CASE_CACHE_MAX_TEXT + 1);
	case_cache_put(c, 99999, 1, 0, 0, big, CASE_CACHE_MAX_TEXT + 1);
	free(big);
	expect_text(c, 99999, 1, 0, 1, NULL);
}

/* Sets of CASE_CACHE_WAYS: of as many cases as half the slots, about 1.3 %
 * find their set full (a direct-mapped cache would lose about a fifth of
 * them to collisions). */
static void test_case_cache_keeps_a_working_set_of_half_its_slots(void **state)
{
	struct case_cache *c = *state;
	int n = CASE_CACHE_SLOTS / 2;
	for (int64_t id = 1; id <= n; id++)
		case_cache_put(c, id * 7919, 1, 0, 10, "{}", 2);
	int misses = 0;
	struct buf b;
	buf_init(&b, 1 << 20);
	for (int64_t id = 1; id <= n; id++) {
		buf_reset(&b);
		misses += !case_cache_get(c, id * 7919, 1, 0, 11, &b);
	}
	buf_release(&b);
	assert_true(misses < n * 3 / 100);
}

/* A changed category, department or unit name makes every entry stale. */
static void test_case_cache_names_change_drops_everything(void **state)
{
	struct case_cache *c = *state;
	case_cache_put(c, 5, 1, 0, 100, "{\"c\":\"old\"}", 11);
	expect_text(c, 5, 1, 0, 101, "{\"c\":\"old\"}");
	case_cache_names_changed(c);
	expect_text(c, 5, 1, 0, 102, NULL);
	case_cache_put(c, 5, 1, 0, 103, "{\"c\":\"new\"}", 11);
	expect_text(c, 5, 1, 0, 104, "{\"c\":\"new\"}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_case_cache_hit_only_for_the_same_version_and_variant, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_case_cache_expires_after_the_ttl, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_case_cache_replaces_and_copies, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_case_cache_keeps_a_working_set_of_half_its_slots, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_case_cache_names_change_drops_everything, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
