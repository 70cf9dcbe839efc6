/*
 * test_jsonw.c — json_write (jsonw.h) writes exactly what
 * json_dumps(v, JSON_COMPACT) writes: checked against jansson itself on
 * every control character, Chinese text, NUL inside strings, integers at
 * their limits, reals of every magnitude and nesting, and many random trees.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "jsonw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* json_text(v) equals json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(p)); v is consumed. */
static void same_as_jansson(json_t *v, int p)
{
	assert_non_null(v);
	char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | (p ? JSON_REAL_PRECISION(p) : 0));
	size_t len = 0;
	char *got = json_text(v, p, &len);
	assert_non_null(want);
	assert_non_null(got);
	assert_string_equal(got, want);
	assert_int_equal(len, strlen(want));
	free(want);
	free(got);
	json_decref(v);
}

static void test_jsonw_scalars_match_jansson(void **state)
{
	(void)state;
	same_as_jansson(json_null(), 0);
	same_as_jansson(json_true(), 0);
	same_as_jansson(json_false(), 0);
	same_as_jansson(json_integer(0), 0);
	same_as_jansson(json_integer(-1), 0);
	same_as_jansson(json_integer(INT64_MAX), 0);
	same_as_jansson(json_integer(INT64_MIN), 0);
	const double reals[] = {0.0,     -0.0,      1.0,
	                        -2.5,    35.730924, 114.966151,
	                        1e21,    1e-7,      123456789012345678.0,
	                        1e300,   -1e-300,   0.1,
	                        1.0 / 3, 5e-324,    1.7976931348623157e308};
	for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) {
		same_as_jansson(json_real(reals[i]), 0);
		same_as_jansson(json_real(reals[i]), 15);
		same_as_jansson(json_real(reals[i]), 3);
	}
}

static void test_jsonw_strings_escape_as_jansson(void **state)
{
	(void)state;
	char all[160];
	for (int c = 1; c < 128; c++)
		all[c - 1] = (char)c;
	all[127] = '\0';
	same_as_jansson(json_string(all), 0);
	same_as_jansson(json_string("昆吾路与黄河路交叉口 “引号” \\ / \u2028 😀"), 0);
	same_as_jansson(json_stringn("a\0b", 3), 0); /* NUL inside a string */
	same_as_jansson(json_string(""), 0);
	json_t *o = json_object();
	json_object_set_new(o, "键\n\"k\"", json_string("v\t"));
	json_object_set_new(o, "", json_null());
	same_as_jansson(o, 0);
}

static void test_jsonw_containers_keep_insertion_order(void **state)
{
	(void)state;
	same_as_jansson(json_object(), 0);
	same_as_jansson(json_array(), 0);
	json_t *o = json_pack("{s:i,s:[i,s,{}],s:{s:n,s:b},s:f}", "z", 1, "a", 2, "x", "m", "n", "t", 1, "r", 0.5);
	same_as_jansson(o, 0);
}

/* A random tree of depth up to d. */
static json_t *random_tree(int d, unsigned *seed)
{
	int kind = rand_r(seed) % (d > 0 ? 8 : 6);
	switch (kind) {
	case 0:
		return json_null();
	case 1:
		return json_boolean(rand_r(seed) & 1);
	case 2:
		return json_integer((json_int_t)rand_r(seed) * (rand_r(seed) & 1 ? -1 : 1) * 1000003);
	case 3:
		return json_real(ldexp((double)rand_r(seed) / RAND_MAX, rand_r(seed) % 200 - 100));
	case 4:
	case 5: {
		char s[24];
		int n = rand_r(seed) % 20;
		for (int i = 0; i < n; i++)
			s[i] = (char)(1 + rand_r(seed) % 127);
		s[n] = '\0';
		return json_string(s);
	}
	case 6: {
		json_t *a = json_array();
		for (int i = rand_r(seed) % 5; i > 0; i--)
			json_array_append_new(a, random_tree(d - 1, seed));
		return a;
	}
	default: {
		json_t *o = json_object();
		for (int i = rand_r(seed) % 5; i > 0; i--) {
			char k[8];
			snprintf(k, sizeof k, "k%d", rand_r(seed) % 100);
			json_object_set_new(o, k, random_tree(d - 1, seed));
		}
		return o;
	}
	}
}

static void test_jsonw_random_trees_match_jansson(void **state)
{
	(void)state;
	unsigned seed = 20261206;
	for (int i = 0; i < 2000; i++)
		same_as_jansson(random_tree(6, &seed), 0);
}

static void test_jsonw_refuses_too_deep_trees_and_null(void **state)
{
	(void)state;
	json_t *root = json_array(), *cur = root;
	for (int i = 0; i < JSONW_MAX_DEPTH + 2; i++) {
		json_t *next = json_array();
		json_array_append_new(cur, next);
		cur = next;
	}
	size_t len;
	assert_null(json_text(root, 0, &len));
	json_decref(root);
	assert_null(json_text(NULL, 0, &len));
	struct buf b;
	buf_init(&b, 4); /* a full buffer is an error, not a cut text */
	json_t *s = json_string("too long");
	assert_int_equal(json_write(&b, s, 0), -1);
	json_decref(s);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_jsonw_scalars_match_jansson),
	        cmocka_unit_test(test_jsonw_strings_escape_as_jansson),
	        cmocka_unit_test(test_jsonw_containers_keep_insertion_order),
	        cmocka_unit_test(test_jsonw_random_trees_match_jansson),
	        cmocka_unit_test(test_jsonw_refuses_too_deep_trees_and_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
