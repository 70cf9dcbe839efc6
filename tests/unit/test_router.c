/*
 * test_router.c — route matching (router.h) and the real route table
 * (routes.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "roles.h"
#include "router.h"
#include "server.h"

#include <stdio.h>
#include <string.h>

static const struct route table[] = {
        {HM_GET, "/healthz", NULL, 0, RF_PUBLIC, "health"},                      /* 0 */
        {HM_GET, "/api/v1/users", NULL, ROLE_ADMIN, 0, "list"},                  /* 1 */
        {HM_POST, "/api/v1/users", NULL, ROLE_ADMIN, RF_JSON_BODY, "create"},    /* 2 */
        {HM_GET, "/api/v1/users/{id}", NULL, ROLE_ADMIN, 0, "get"},              /* 3 */
        {HM_PATCH, "/api/v1/users/{id}", NULL, ROLE_ADMIN, RF_JSON_BODY, "upd"}, /* 4 */
        {HM_GET, "/api/v1/units/{unit}/grids/{grid}", NULL, ROLE_ALL, 0, "two"}, /* 5 */
        {HM_GET, "/api/v1/users/me", NULL, ROLE_ALL, 0, "shadowed"},             /* 6 */
        {HM_DELETE, "/api/v1/items/{a}", NULL, ROLE_ALL, 0, "first"},            /* 7 */
        {HM_DELETE, "/api/v1/items/{b}", NULL, ROLE_ALL, 0, "second"},           /* 8 */
        {HM_POST, "/", NULL, ROLE_ALL, 0, "root"},                               /* 9 */
};
#define NTABLE (sizeof table / sizeof table[0])

static enum router_result match(unsigned method, const char *path, struct route_match *m)
{
	return router_match(table, NTABLE, method, path, m);
}

static void test_router_literal_match(void **state)
{
	(void)state;
	struct route_match m;
	assert_int_equal(match(HM_GET, "/healthz", &m), ROUTER_FOUND);
	assert_int_equal(m.index, 0);
	assert_int_equal(m.nparams, 0);
	assert_int_equal(match(HM_GET, "/api/v1/users", &m), ROUTER_FOUND);
	assert_int_equal(m.index, 1);
	assert_int_equal(match(HM_POST, "/api/v1/users", &m), ROUTER_FOUND);
	assert_int_equal(m.index, 2);
	assert_int_equal(match(HM_POST, "/", &m), ROUTER_FOUND);
	assert_int_equal(m.index, 9);
}

static void test_router_literal_mismatch_not_found(void **state)
{
	(void)state;
	struct route_match m;
	assert_int_equal(match(HM_GET, "/healthz2", &m), ROUTER_NOT_FOUND);
	assert_int_equal(m.index, -1);
	assert_int_equal(match(HM_GET, "/health", &m), ROUTER_NOT_FOUND);
	assert_int_equal(match(HM_GET, "/HEALTHZ", &m), ROUTER_NOT_FOUND);
	assert_int_equal(match(HM_GET, "/api/v1", &m), ROUTER_NOT_FOUND);
	assert_int_equal(match(HM_GET, "", &m), ROUTER_NOT_FOUND);
	assert_int_equal(match(HM_GET, "healthz", &m), ROUTER_NOT_FOUND);
	assert_int_equal(match(HM_GET, "/api/v1/users/1/extra", &m), ROUTER_NOT_FOUND);
}

static void test_router_param_captures_segment(void **state)
{
	(void)state;
	struct route_match m;
	assert_int_equal(match(HM_GET, "/api/v1/users/42", &m), ROUTER_FOUND);
	assert_int_equal(m.index, 3);
	assert_int_equal(m.nparams, 1);
	assert_int_equal(m.name_lens[0], 2);
	assert_memory_equal(m.names[0], "id", 2);
	assert_string_equal(m.values[0], "42");
	assert_string_equal(route_param(&m, "id"), "42");
	assert_null(route_param(&m, "i"));
	assert_null(route_param(&m, "idx"));
	assert_null(route_param(&m, "unit"));
}

static void test_router_two_params_capture_in_order(void **state)
{
	(void)state;
	struct route_match m;
	assert_int_equal(match(HM_GET, "/api/v1/units/0101/grids/g-7", &m), ROUTER_FOUND);
	assert_int_equal(m.index, 5);
	assert_int_equal(m.nparams, 2);
	assert_string_equal(route_param(&m, "unit"), "0101");
	assert_string_equal(route_param(&m, "grid"), "g-7");
}

static void test_router_param_needs_non_empty_segment(void **state)
{
	(void)state;
	struct route_match m;
	assert_int_equal(match(HM_GET, "/api/v1/units//grids/1", &m), ROUTER_NOT_FOUND);
	/* "/api/v1/users/" is neither the list nor one user. */
	assert_int_equal(match(HM_GET, "/api/v1/users/", &m), ROUTER_NOT_FOUND);
}

static void test_router_trailing_slash_not_matched(void **state)
{
	(void)state;
	struct route_match m;
	assert_int_equal(match(HM_GET, "/healthz/", &m), ROUTER_NOT_FOUND);
	assert_int_equal(m.index, -1);
	assert_int_equal(match(HM_GET, "/api/v1/users/42/", &m), ROUTER_NOT_FOUND);
	assert_int_equal(match(HM_GET, "//healthz", &m), ROUTER_NOT_FOUND);
}

static void test_router_head_answered_by_get_routes(void **state)
{
	(void)state;
	struct route_match m;
	assert_int_equal(match(HM_HEAD, "/healthz", &m), ROUTER_FOUND);
	assert_int_equal(m.index, 0);
	assert_int_equal(match(HM_HEAD, "/api/v1/users/7", &m), ROUTER_FOUND);
	assert_int_equal(m.index, 3);
	assert_string_equal(route_param(&m, "id"), "7");
	/* HEAD is not answered by a route of another method. */
	assert_int_equal(match(HM_HEAD, "/", &m), ROUTER_METHOD_NOT_ALLOWED);
	assert_int_equal(m.allowed, HM_POST);
}

static void test_router_wrong_method_is_405_with_allowed_mask(void **state)
{
	(void)state;
	struct route_match m;
	assert_int_equal(match(HM_DELETE, "/api/v1/users", &m), ROUTER_METHOD_NOT_ALLOWED);
	assert_int_equal(m.index, -1);
	assert_int_equal(m.allowed, HM_GET | HM_HEAD | HM_POST);

	assert_int_equal(match(HM_PUT, "/api/v1/users/9", &m), ROUTER_METHOD_NOT_ALLOWED);
	assert_int_equal(m.allowed, HM_GET | HM_HEAD | HM_PATCH);

	assert_int_equal(match(HM_POST, "/healthz", &m), ROUTER_METHOD_NOT_ALLOWED);
	assert_int_equal(m.allowed, HM_GET | HM_HEAD);
	char allow[64];
	http_methods_format(m.allowed, allow, sizeof allow);
	assert_string_equal(allow, "GET, HEAD");
}

static void test_router_unknown_path_is_404_with_empty_mask(void **state)
{
	(void)state;
	struct route_match m;
	assert_int_equal(match(HM_GET, "/nope", &m), ROUTER_NOT_FOUND);
	assert_int_equal(m.allowed, 0);
	assert_int_equal(m.index, -1);
	/* An unknown method (0) on an unknown path is still 404. */
	assert_int_equal(match(0, "/nope", &m), ROUTER_NOT_FOUND);
	/* ... and on a known path 405. */
	assert_int_equal(match(0, "/healthz", &m), ROUTER_METHOD_NOT_ALLOWED);
}

static void test_router_param_longer_than_limit_refused(void **state)
{
	(void)state;
	char path[64 + ROUTER_PARAM_LEN * 2];
	char seg[ROUTER_PARAM_LEN + 8];
	struct route_match m;

	/* ROUTER_PARAM_LEN - 1 characters fit with the NUL. */
	memset(seg, '7', ROUTER_PARAM_LEN - 1);
	seg[ROUTER_PARAM_LEN - 1] = '\0';
	snprintf(path, sizeof path, "/api/v1/users/%s", seg);
	assert_int_equal(match(HM_GET, path, &m), ROUTER_FOUND);
	assert_int_equal(strlen(route_param(&m, "id")), ROUTER_PARAM_LEN - 1);

	memset(seg, '7', ROUTER_PARAM_LEN);
	seg[ROUTER_PARAM_LEN] = '\0';
	snprintf(path, sizeof path, "/api/v1/users/%s", seg);
	assert_int_equal(match(HM_GET, path, &m), ROUTER_NOT_FOUND);
	assert_int_equal(m.index, -1);

	memset(seg, '7', ROUTER_PARAM_LEN + 5);
	seg[ROUTER_PARAM_LEN + 5] = '\0';
	snprintf(path, sizeof path, "/api/v1/users/%s", seg);
	assert_int_equal(match(HM_GET, path, &m), ROUTER_NOT_FOUND);
}

static void test_router_first_matching_route_wins(void **state)
{
	(void)state;
	struct route_match m;
	/* "/api/v1/users/{id}" comes before the literal "/api/v1/users/me". */
	assert_int_equal(match(HM_GET, "/api/v1/users/me", &m), ROUTER_FOUND);
	assert_int_equal(m.index, 3);
	assert_string_equal(route_param(&m, "id"), "me");
	/* Two identical patterns: the first row, with its parameter name. */
	assert_int_equal(match(HM_DELETE, "/api/v1/items/x1", &m), ROUTER_FOUND);
	assert_int_equal(m.index, 7);
	assert_string_equal(route_param(&m, "a"), "x1");
	assert_null(route_param(&m, "b"));
}

static void test_router_too_many_params_refused(void **state)
{
	(void)state;
	static const struct route many[] = {
	        {HM_GET, "/{a}/{b}/{c}/{d}", NULL, ROLE_ALL, 0, "four"},
	        {HM_GET, "/{a}/{b}/{c}/{d}/{e}", NULL, ROLE_ALL, 0, "five"},
	};
	struct route_match m;
	assert_int_equal(router_match(many, 2, HM_GET, "/1/2/3/4", &m), ROUTER_FOUND);
	assert_int_equal(m.nparams, ROUTER_MAX_PARAMS);
	assert_string_equal(route_param(&m, "d"), "4");
	/* A fifth parameter would pass ROUTER_MAX_PARAMS: the row never matches. */
	assert_int_equal(router_match(many, 2, HM_GET, "/1/2/3/4/5", &m), ROUTER_NOT_FOUND);
}

static void test_router_method_parse_and_format(void **state)
{
	(void)state;
	assert_int_equal(http_method_parse("GET"), HM_GET);
	assert_int_equal(http_method_parse("HEAD"), HM_HEAD);
	assert_int_equal(http_method_parse("POST"), HM_POST);
	assert_int_equal(http_method_parse("PUT"), HM_PUT);
	assert_int_equal(http_method_parse("PATCH"), HM_PATCH);
	assert_int_equal(http_method_parse("DELETE"), HM_DELETE);
	assert_int_equal(http_method_parse("OPTIONS"), HM_OPTIONS);
	assert_int_equal(http_method_parse("get"), 0);
	assert_int_equal(http_method_parse("TRACE"), 0);
	assert_int_equal(http_method_parse(""), 0);

	char out[64];
	http_methods_format(HM_GET | HM_HEAD, out, sizeof out);
	assert_string_equal(out, "GET, HEAD");
	http_methods_format(HM_PATCH | HM_GET | HM_HEAD, out, sizeof out);
	assert_string_equal(out, "GET, HEAD, PATCH");
	http_methods_format(HM_POST, out, sizeof out);
	assert_string_equal(out, "POST");
	http_methods_format(0, out, sizeof out);
	assert_string_equal(out, "");
	/* A short buffer is never overrun and stays terminated. */
	memset(out, 'x', sizeof out);
	http_methods_format(HM_GET | HM_HEAD | HM_POST, out, 12);
	assert_true(strlen(out) < 12);
	assert_memory_equal(out, "GET, HEAD", 9);
	assert_int_equal(out[12], 'x');
}

/* --- the real table ---------------------------------------------------- */

static void test_router_table_non_public_routes_have_roles(void **state)
{
	(void)state;
	assert_true(zg_nroutes > 0);
	for (size_t i = 0; i < zg_nroutes; i++) {
		const struct route *r = &zg_routes[i];
		if (!(r->flags & RF_PUBLIC)) {
			if (r->roles == 0)
				print_error("route %s has no roles\n", r->pattern);
			assert_int_not_equal(r->roles, 0);
		}
		assert_int_equal(r->roles & ~ROLE_ALL, 0);
		assert_non_null(r->handler);
		assert_non_null(r->summary);
		assert_true(strlen(r->summary) > 0);
	}
}

static void test_router_table_patterns_rooted_and_unique_per_method(void **state)
{
	(void)state;
	for (size_t i = 0; i < zg_nroutes; i++) {
		const struct route *r = &zg_routes[i];
		assert_non_null(r->pattern);
		assert_int_equal(r->pattern[0], '/');
		/* Exactly one method bit per row. */
		assert_int_not_equal(r->method, 0);
		assert_int_equal(r->method & (r->method - 1), 0);
		assert_int_equal(r->method & ~(unsigned)(HM_GET | HM_HEAD | HM_POST | HM_PUT | HM_PATCH | HM_DELETE |
		                                         HM_OPTIONS),
		                 0);
		for (size_t j = 0; j < i; j++) {
			if (zg_routes[j].method == r->method && strcmp(zg_routes[j].pattern, r->pattern) == 0) {
				print_error("duplicate route %s %s\n", r->summary, r->pattern);
				fail();
			}
		}
	}
}

static void test_router_table_every_route_reachable(void **state)
{
	(void)state;
	/* Each row is the one matched by its own pattern (with "{x}" filled),
	 * so no row is shadowed by an earlier one. */
	for (size_t i = 0; i < zg_nroutes; i++) {
		char path[256];
		size_t j = 0;
		for (const char *p = zg_routes[i].pattern; *p && j < sizeof path - 2; p++) {
			if (*p == '{') {
				path[j++] = '1';
				while (*p && *p != '}')
					p++;
				if (!*p)
					break;
			} else {
				path[j++] = *p;
			}
		}
		path[j] = '\0';
		struct route_match m;
		assert_int_equal(router_match(zg_routes, zg_nroutes, zg_routes[i].method, path, &m), ROUTER_FOUND);
		if (m.index != (int)i)
			print_error("%s is shadowed by row %d\n", zg_routes[i].pattern, m.index);
		assert_int_equal(m.index, (int)i);
	}
}

static void test_router_table_users_routes_admin_only(void **state)
{
	(void)state;
	int seen = 0;
	for (size_t i = 0; i < zg_nroutes; i++) {
		const struct route *r = &zg_routes[i];
		if (strcmp(r->pattern, "/api/v1/users") != 0 && strncmp(r->pattern, "/api/v1/users/", 14) != 0)
			continue;
		seen++;
		assert_int_equal(r->flags & RF_PUBLIC, 0);
		assert_int_equal(r->roles, ROLE_ADMIN);
	}
	assert_true(seen >= 1);
}

static void test_router_table_login_public_logout_not(void **state)
{
	(void)state;
	struct route_match m;
	assert_int_equal(router_match(zg_routes, zg_nroutes, HM_POST, "/api/v1/auth/login", &m), ROUTER_FOUND);
	assert_true(zg_routes[m.index].flags & RF_PUBLIC);
	assert_int_equal(router_match(zg_routes, zg_nroutes, HM_POST, "/api/v1/auth/logout", &m), ROUTER_FOUND);
	assert_false(zg_routes[m.index].flags & RF_PUBLIC);
	assert_int_equal(router_match(zg_routes, zg_nroutes, HM_GET, "/healthz", &m), ROUTER_FOUND);
	assert_true(zg_routes[m.index].flags & RF_PUBLIC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_router_literal_match),
	        cmocka_unit_test(test_router_literal_mismatch_not_found),
	        cmocka_unit_test(test_router_param_captures_segment),
	        cmocka_unit_test(test_router_two_params_capture_in_order),
	        cmocka_unit_test(test_router_param_needs_non_empty_segment),
	        cmocka_unit_test(test_router_trailing_slash_not_matched),
	        cmocka_unit_test(test_router_head_answered_by_get_routes),
	        cmocka_unit_test(test_router_wrong_method_is_405_with_allowed_mask),
	        cmocka_unit_test(test_router_unknown_path_is_404_with_empty_mask),
	        cmocka_unit_test(test_router_param_longer_than_limit_refused),
	        cmocka_unit_test(test_router_first_matching_route_wins),
	        cmocka_unit_test(test_router_too_many_params_refused),
	        cmocka_unit_test(test_router_method_parse_and_format),
	        cmocka_unit_test(test_router_table_non_public_routes_have_roles),
	        cmocka_unit_test(test_router_table_patterns_rooted_and_unique_per_method),
	        cmocka_unit_test(test_router_table_every_route_reachable),
	        cmocka_unit_test(test_router_table_users_routes_admin_only),
	        cmocka_unit_test(test_router_table_login_public_logout_not),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
