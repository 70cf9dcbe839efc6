/*
 * test_case_flow.c — the workflow transition table against docs/WORKFLOW.md.
 *
 * The expected matrix below is written out separately from src/case_flow.c,
 * row by row from the document; every (status, action, route, actor)
 * combination is checked against it, the allowed ones and the refused ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "case_flow.h"

struct expect {
	const char *status, *action, *route; /* route: "grid", "department" or "any" */
	const char *actors;                  /* space-separated */
	const char *to;                      /* status, "same" or "outcome" */
};

/* docs/WORKFLOW.md, "Transition table". */
static const struct expect expected[] = {
        {"reported", "accept", "department", "dispatcher system", "accepted"},
        {"reported", "accept", "grid", "dispatcher grid_leader system", "accepted"},
        {"reported", "reject", "department", "dispatcher", "rejected"},
        {"reported", "reject", "grid", "dispatcher grid_leader", "rejected"},
        {"reported", "merge", "any", "dispatcher", "rejected"},
        {"accepted", "merge", "any", "dispatcher", "rejected"},
        {"accepted", "dispatch", "any", "dispatcher system", "dispatched"},
        {"accepted", "reject", "any", "dispatcher", "rejected"},
        {"dispatched", "return", "department", "handler", "accepted"},
        {"dispatched", "return", "grid", "grid_leader", "accepted"},
        {"dispatched", "request_extension", "department", "handler", "same"},
        {"dispatched", "request_extension", "grid", "grid_leader", "same"},
        {"dispatched", "approve_extension", "any", "dispatcher", "same"},
        {"dispatched", "handle", "department", "handler", "handled"},
        {"dispatched", "handle", "grid", "grid_leader grid_worker", "handled"},
        {"handled", "verify", "any", "grid_worker grid_leader supervisor dispatcher", "outcome"},
        {"closed", "rate", "any", "reporter dispatcher", "outcome"},
        {"reported", "supervise", "any", "supervisor leader system", "same"},
        {"accepted", "supervise", "any", "supervisor leader system", "same"},
        {"dispatched", "supervise", "any", "supervisor leader system", "same"},
        {"handled", "supervise", "any", "supervisor leader system", "same"},
        {"reported", "comment", "any", "viewer", "same"},
        {"accepted", "comment", "any", "viewer", "same"},
        {"rejected", "comment", "any", "viewer", "same"},
        {"dispatched", "comment", "any", "viewer", "same"},
        {"handled", "comment", "any", "viewer", "same"},
        {"closed", "comment", "any", "viewer", "same"},
};

static const struct {
	const char *name;
	unsigned bit;
} actors[] = {
        {"dispatcher", ACT_DISPATCHER},   {"handler", ACT_DEPT_HANDLER},  {"grid_leader", ACT_GRID_LEADER},
        {"grid_worker", ACT_GRID_WORKER}, {"supervisor", ACT_SUPERVISOR}, {"leader", ACT_LEADER},
        {"reporter", ACT_REPORTER},       {"system", ACT_SYSTEM},         {"viewer", ACT_VIEWER},
};
#define NACTORS (sizeof actors / sizeof actors[0])

static int has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

static const struct expect *lookup(const char *status, const char *action, const char *route)
{
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
		if (strcmp(expected[i].status, status) == 0 && strcmp(expected[i].action, action) == 0 &&
		    (strcmp(expected[i].route, "any") == 0 || strcmp(expected[i].route, route) == 0))
			return &expected[i];
	return NULL;
}

/* Every combination: allowed exactly when the document says so; refused
 * ones are FLOW_FORBIDDEN when the action exists in the status for others,
 * FLOW_NOT_IN_STATUS otherwise. */
static void test_case_flow_every_pair_matches_the_document(void **state)
{
	(void)state;
	static const char *const routes[] = {"grid", "department"};
	int checked = 0, allowed = 0;
	for (int s = 0; s < CS__COUNT; s++)
		for (int a = 0; a < CA__COUNT; a++)
			for (int r = 0; r < 2; r++)
				for (size_t k = 0; k < NACTORS; k++) {
					const struct expect *e =
					        lookup(case_status_name((enum case_status)s),
					               case_action_name((enum case_action)a), routes[r]);
					const struct case_transition *t;
					enum case_flow_result got = case_flow_find(
					        (enum case_status)s, (enum case_action)a,
					        r == 0 ? ROUTE_GRID : ROUTE_DEPARTMENT, actors[k].bit, &t);
					int want_ok = e && has_word(e->actors, actors[k].name);
					if (want_ok) {
						assert_int_equal(got, FLOW_OK);
						assert_non_null(t);
						allowed++;
					} else if (e) {
						assert_int_equal(got, FLOW_FORBIDDEN);
					} else {
						assert_int_equal(got, FLOW_NOT_IN_STATUS);
					}
					checked++;
				}
	assert_int_equal(checked, CS__COUNT * CA__COUNT * 2 * (int)NACTORS);
	assert_true(allowed > 30);
}

/* Every row of the code's table is in the document (nothing extra). */
static void test_case_flow_table_has_no_row_the_document_lacks(void **state)
{
	(void)state;
	int n;
	const struct case_transition *t = case_flow_table(&n);
	for (int i = 0; i < n; i++) {
		const char *route = t[i].route == ROUTE_GRID ? "grid" : "department";
		const struct expect *e = lookup(case_status_name(t[i].from), case_action_name(t[i].action), route);
		assert_non_null(e);
		for (size_t k = 0; k < NACTORS; k++)
			if (t[i].actors & actors[k].bit)
				assert_true(has_word(e->actors, actors[k].name));
	}
}

static void test_case_flow_next_status_follows_the_document(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		const struct expect *e = &expected[i];
		int from = case_status_parse(e->status), action = case_action_parse(e->action);
		assert_true(from >= 0 && action >= 0);
		enum case_route route = strcmp(e->route, "grid") == 0 ? ROUTE_GRID : ROUTE_DEPARTMENT;
		unsigned who = 0;
		for (size_t k = 0; k < NACTORS; k++)
			if (has_word(e->actors, actors[k].name))
				who |= actors[k].bit;
		const struct case_transition *t;
		assert_int_equal(case_flow_find((enum case_status)from, (enum case_action)action, route, who, &t),
		                 FLOW_OK);
		if (strcmp(e->to, "same") == 0) {
			assert_int_equal(case_flow_next(t, 0, 0), from);
		} else if (strcmp(e->to, "outcome") != 0) {
			assert_int_equal(case_flow_next(t, 0, 0), case_status_parse(e->to));
		}
	}
}

static void test_case_flow_verify_passed_closes_failed_reworks(void **state)
{
	(void)state;
	const struct case_transition *t;
	assert_int_equal(case_flow_find(CS_HANDLED, CA_VERIFY, ROUTE_DEPARTMENT, ACT_GRID_WORKER, &t), FLOW_OK);
	assert_int_equal(case_flow_next(t, 1, 0), CS_CLOSED);
	assert_int_equal(case_flow_next(t, 0, 0), CS_DISPATCHED);
}

static void test_case_flow_unsatisfied_rating_reopens(void **state)
{
	(void)state;
	const struct case_transition *t;
	assert_int_equal(case_flow_find(CS_CLOSED, CA_RATE, ROUTE_GRID, ACT_REPORTER, &t), FLOW_OK);
	assert_int_equal(case_flow_next(t, 0, 1), CS_DISPATCHED);
	assert_int_equal(case_flow_next(t, 0, 0), CS_CLOSED);
}

static void test_case_flow_rejected_is_terminal_but_for_comments(void **state)
{
	(void)state;
	unsigned all = 0;
	for (size_t k = 0; k < NACTORS; k++)
		all |= actors[k].bit;
	assert_int_equal(case_flow_allowed(CS_REJECTED, ROUTE_GRID, all), 1u << CA_COMMENT);
	assert_int_equal(case_flow_allowed(CS_REJECTED, ROUTE_DEPARTMENT, all), 1u << CA_COMMENT);
}

static void test_case_flow_allowed_lists_what_a_dispatcher_may_do(void **state)
{
	(void)state;
	unsigned m = case_flow_allowed(CS_REPORTED, ROUTE_DEPARTMENT, ACT_DISPATCHER);
	assert_int_equal(m, (1u << CA_ACCEPT) | (1u << CA_REJECT) | (1u << CA_MERGE));
	m = case_flow_allowed(CS_DISPATCHED, ROUTE_DEPARTMENT, ACT_DEPT_HANDLER);
	assert_int_equal(m, (1u << CA_RETURN) | (1u << CA_REQUEST_EXTENSION) | (1u << CA_HANDLE));
	/* In-grid cases are handled by the grid, not by department handlers. */
	assert_int_equal(case_flow_allowed(CS_DISPATCHED, ROUTE_GRID, ACT_DEPT_HANDLER), 0);
}

static void test_case_flow_names_round_trip(void **state)
{
	(void)state;
	for (int s = 0; s < CS__COUNT; s++) {
		assert_int_equal(case_status_parse(case_status_name((enum case_status)s)), s);
		assert_true(strlen(case_status_zh((enum case_status)s)) > 0);
	}
	for (int a = 0; a < CA__COUNT; a++) {
		assert_int_equal(case_action_parse(case_action_name((enum case_action)a)), a);
		assert_true(strlen(case_action_zh((enum case_action)a)) > 0);
	}
	assert_int_equal(case_status_parse("merged"), -1);
	assert_int_equal(case_action_parse("delete"), -1);
	assert_int_equal(case_status_parse(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_case_flow_every_pair_matches_the_document),
	        cmocka_unit_test(test_case_flow_table_has_no_row_the_document_lacks),
	        cmocka_unit_test(test_case_flow_next_status_follows_the_document),
	        cmocka_unit_test(test_case_flow_verify_passed_closes_failed_reworks),
	        cmocka_unit_test(test_case_flow_unsatisfied_rating_reopens),
	        cmocka_unit_test(test_case_flow_rejected_is_terminal_but_for_comments),
	        cmocka_unit_test(test_case_flow_allowed_lists_what_a_dispatcher_may_do),
	        cmocka_unit_test(test_case_flow_names_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
