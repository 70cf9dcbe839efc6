/*
 * case_flow.h — the case workflow as one explicit transition table.
 *
 * docs/WORKFLOW.md is the prose of this table; keep the two in step. The
 * table answers, for a case in a status and a user standing in some
 * relation to it (dispatcher, handler of its department, grid leader of its
 * grid ...): which actions are allowed, what each requires, and the status
 * it leads to. It knows nothing of storage; case.c applies it.
 */
#ifndef ZG_CASE_FLOW_H
#define ZG_CASE_FLOW_H

enum case_status { CS_REPORTED = 0, CS_ACCEPTED, CS_REJECTED, CS_DISPATCHED, CS_HANDLED, CS_CLOSED, CS__COUNT };

enum case_action {
	CA_ACCEPT = 0,
	CA_REJECT,
	CA_DISPATCH,
	CA_RETURN,
	CA_REQUEST_EXTENSION,
	CA_APPROVE_EXTENSION,
	CA_HANDLE,
	CA_VERIFY,
	CA_RATE,
	CA_SUPERVISE,
	CA_MERGE,
	CA_COMMENT,
	CA__COUNT
};

/* How the acting user stands to the case (a user may hold several). */
enum case_actor {
	ACT_DISPATCHER = 1u << 0,
	ACT_DEPT_HANDLER = 1u << 1, /* handler of the case's current department */
	ACT_GRID_LEADER = 1u << 2,  /* grid leader of the case's grid */
	ACT_GRID_WORKER = 1u << 3,  /* grid worker of the case's grid */
	ACT_SUPERVISOR = 1u << 4,
	ACT_LEADER = 1u << 5,
	ACT_REPORTER = 1u << 6, /* the public reporter (case number + phone4) */
	ACT_SYSTEM = 1u << 7,   /* automatic steps at intake and the overdue scanner */
	ACT_VIEWER = 1u << 8,   /* anyone allowed to see the case */
};

/* Which route the case takes: in the grid (no department) or by a department. */
enum case_route { ROUTE_ANY = 0, ROUTE_GRID = 1, ROUTE_DEPARTMENT = 2 };

/* The status a transition leads to when it depends on the action's fields. */
#define CS_SAME (-1)       /* status unchanged */
#define CS_BY_OUTCOME (-2) /* verify: passed → closed, else dispatched; rate: unsatisfied → dispatched */

struct case_transition {
	enum case_status from;
	enum case_action action;
	int to;                /* enum case_status, CS_SAME or CS_BY_OUTCOME */
	unsigned actors;       /* enum case_actor mask allowed */
	enum case_route route; /* ROUTE_ANY, or the row applies only to this route */
	const char *required;  /* comma-separated required fields, "" for none */
};

const char *case_status_name(enum case_status s);
const char *case_status_zh(enum case_status s);
int case_status_parse(const char *name); /* -1 when unknown */
const char *case_action_name(enum case_action a);
const char *case_action_zh(enum case_action a);
int case_action_parse(const char *name); /* -1 when unknown */

enum case_flow_result {
	FLOW_OK = 0,
	FLOW_NOT_IN_STATUS = 1, /* no row for (status, action, route): 409 */
	FLOW_FORBIDDEN = 2,     /* a row exists, but not for these actors: 403 */
};

/*
 * Finds the row for (from, action, route) allowed to actors. Returns
 * FLOW_OK with *out set, FLOW_FORBIDDEN when the action exists in this
 * status for other actors, FLOW_NOT_IN_STATUS otherwise.
 */
enum case_flow_result case_flow_find(enum case_status from, enum case_action action, enum case_route route,
                                     unsigned actors, const struct case_transition **out);

/* Mask (bit = 1 << action) of the actions actors may take in a status. */
unsigned case_flow_allowed(enum case_status from, enum case_route route, unsigned actors);

/* The next status of a transition: passed (verify) and unsatisfied (rate)
 * resolve CS_BY_OUTCOME; CS_SAME gives from. */
enum case_status case_flow_next(const struct case_transition *t, int passed, int unsatisfied);

/* The whole table, for documentation and tests. */
const struct case_transition *case_flow_table(int *n);

#endif
