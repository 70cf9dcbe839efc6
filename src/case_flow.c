/*
 * case_flow.c — the transition table of the case workflow; see case_flow.h
 * and docs/WORKFLOW.md.
 */
#include "case_flow.h"

#include <stddef.h>
#include <string.h>

static const char *const status_names[CS__COUNT] = {"reported",   "accepted", "rejected",
                                                    "dispatched", "handled",  "closed"};
static const char *const status_zh[CS__COUNT] = {"已上报", "已立案", "不予立案", "已派遣", "已处置", "已结案"};
static const char *const action_names[CA__COUNT] = {
        "accept", "reject", "dispatch",  "return", "request_extension", "approve_extension", "handle",
        "verify", "rate",   "supervise", "merge",  "comment",
};
static const char *const action_zh[CA__COUNT] = {
        "立案", "不予立案", "派遣", "退回", "申请延期", "审批延期", "处置", "核查", "评价", "督办", "合并", "备注",
};

#define D ACT_DISPATCHER
#define H ACT_DEPT_HANDLER
#define GL ACT_GRID_LEADER
#define GW ACT_GRID_WORKER
#define S ACT_SUPERVISOR
#define L ACT_LEADER
#define R ACT_REPORTER
#define SYS ACT_SYSTEM
#define V ACT_VIEWER

/* Open statuses: supervise applies to each. */
static const struct case_transition table[] = {
        /* from           action                 to              actors          route              required */
        {CS_REPORTED, CA_ACCEPT, CS_ACCEPTED, D | SYS, ROUTE_DEPARTMENT, ""},
        {CS_REPORTED, CA_ACCEPT, CS_ACCEPTED, D | GL | SYS, ROUTE_GRID, ""},
        {CS_REPORTED, CA_REJECT, CS_REJECTED, D, ROUTE_DEPARTMENT, "reason"},
        {CS_REPORTED, CA_REJECT, CS_REJECTED, D | GL, ROUTE_GRID, "reason"},
        {CS_REPORTED, CA_MERGE, CS_REJECTED, D, ROUTE_ANY, "into"},
        {CS_ACCEPTED, CA_MERGE, CS_REJECTED, D, ROUTE_ANY, "into"},
        {CS_ACCEPTED, CA_DISPATCH, CS_DISPATCHED, D | SYS, ROUTE_ANY, ""},
        {CS_ACCEPTED, CA_REJECT, CS_REJECTED, D, ROUTE_ANY, "reason"},
        {CS_DISPATCHED, CA_RETURN, CS_ACCEPTED, H, ROUTE_DEPARTMENT, "reason"},
        {CS_DISPATCHED, CA_RETURN, CS_ACCEPTED, GL, ROUTE_GRID, "reason"},
        {CS_DISPATCHED, CA_REQUEST_EXTENSION, CS_SAME, H, ROUTE_DEPARTMENT, "deadline,reason"},
        {CS_DISPATCHED, CA_REQUEST_EXTENSION, CS_SAME, GL, ROUTE_GRID, "deadline,reason"},
        {CS_DISPATCHED, CA_APPROVE_EXTENSION, CS_SAME, D, ROUTE_ANY, "approved"},
        {CS_DISPATCHED, CA_HANDLE, CS_HANDLED, H, ROUTE_DEPARTMENT, "result"},
        {CS_DISPATCHED, CA_HANDLE, CS_HANDLED, GL | GW, ROUTE_GRID, "result"},
        {CS_HANDLED, CA_VERIFY, CS_BY_OUTCOME, GW | GL | S | D, ROUTE_ANY, "passed"},
        {CS_CLOSED, CA_RATE, CS_BY_OUTCOME, R | D, ROUTE_ANY, "rating"},
        {CS_REPORTED, CA_SUPERVISE, CS_SAME, S | L | SYS, ROUTE_ANY, "level"},
        {CS_ACCEPTED, CA_SUPERVISE, CS_SAME, S | L | SYS, ROUTE_ANY, "level"},
        {CS_DISPATCHED, CA_SUPERVISE, CS_SAME, S | L | SYS, ROUTE_ANY, "level"},
        {CS_HANDLED, CA_SUPERVISE, CS_SAME, S | L | SYS, ROUTE_ANY, "level"},
        {CS_REPORTED, CA_COMMENT, CS_SAME, V, ROUTE_ANY, "note"},
        {CS_ACCEPTED, CA_COMMENT, CS_SAME, V, ROUTE_ANY, "note"},
        {CS_REJECTED, CA_COMMENT, CS_SAME, V, ROUTE_ANY, "note"},
        {CS_DISPATCHED, CA_COMMENT, CS_SAME, V, ROUTE_ANY, "note"},
        {CS_HANDLED, CA_COMMENT, CS_SAME, V, ROUTE_ANY, "note"},
        {CS_CLOSED, CA_COMMENT, CS_SAME, V, ROUTE_ANY, "note"},
};

#undef D
#undef H
#undef GL
#undef GW
#undef S
#undef L
#undef R
#undef SYS
#undef V

#define NROWS (sizeof table / sizeof table[0])

const char *case_status_name(enum case_status s)
{
	return (int)s >= 0 && s < CS__COUNT ? status_names[s] : "";
}

const char *case_status_zh(enum case_status s)
{
	return (int)s >= 0 && s < CS__COUNT ? status_zh[s] : "";
}

int case_status_parse(const char *name)
{
	for (int i = 0; name && i < CS__COUNT; i++)
		if (strcmp(name, status_names[i]) == 0)
			return i;
	return -1;
}

const char *case_action_name(enum case_action a)
{
	return (int)a >= 0 && a < CA__COUNT ? action_names[a] : "";
}

const char *case_action_zh(enum case_action a)
{
	return (int)a >= 0 && a < CA__COUNT ? action_zh[a] : "";
}

int case_action_parse(const char *name)
{
	for (int i = 0; name && i < CA__COUNT; i++)
		if (strcmp(name, action_names[i]) == 0)
			return i;
	return -1;
}

static int route_matches(enum case_route row, enum case_route route)
{
	return row == ROUTE_ANY || row == route;
}

enum case_flow_result case_flow_find(enum case_status from, enum case_action action, enum case_route route,
                                     unsigned actors, const struct case_transition **out)
{
	int exists = 0;
	*out = NULL;
	for (size_t i = 0; i < NROWS; i++) {
		const struct case_transition *t = &table[i];
		if (t->from != from || t->action != action || !route_matches(t->route, route))
			continue;
		exists = 1;
		if (t->actors & actors) {
			*out = t;
			return FLOW_OK;
		}
	}
	return exists ? FLOW_FORBIDDEN : FLOW_NOT_IN_STATUS;
}

unsigned case_flow_allowed(enum case_status from, enum case_route route, unsigned actors)
{
	unsigned mask = 0;
	for (size_t i = 0; i < NROWS; i++)
		if (table[i].from == from && route_matches(table[i].route, route) && (table[i].actors & actors))
			mask |= 1u << table[i].action;
	return mask;
}

enum case_status case_flow_next(const struct case_transition *t, int passed, int unsatisfied)
{
	if (t->to == CS_SAME)
		return t->from;
	if (t->to == CS_BY_OUTCOME) {
		if (t->action == CA_VERIFY)
			return passed ? CS_CLOSED : CS_DISPATCHED;
		return unsatisfied ? CS_DISPATCHED : CS_CLOSED;
	}
	return (enum case_status)t->to;
}

const struct case_transition *case_flow_table(int *n)
{
	*n = (int)NROWS;
	return table;
}
