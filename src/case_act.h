/*
 * case_act.h — applying a workflow action (docs/WORKFLOW.md) to a case.
 */
#ifndef ZG_CASE_ACT_H
#define ZG_CASE_ACT_H

#include "cases.h"

/* Who acts: a staff user, or the public reporter (user NULL, extra =
 * ACT_REPORTER, name "public"). */
struct case_actor_info {
	const struct user *user;
	unsigned extra;   /* enum case_actor bits granted besides the user's own */
	const char *name; /* event actor when user is NULL */
};

struct case_act_result {
	int conflict;     /* 1: a 409 (stale version or action not in this status) */
	unsigned allowed; /* actions this actor may take in the current status */
};

/*
 * Applies body {"action", "version", ...fields} to case id. Returns 0, or
 * -1 with err: ZE_NOT_FOUND, ZE_CONFLICT (stale version, action not possible
 * in the status, extension already pending; res->allowed lists what is),
 * ZE_FORBIDDEN (outside the actor's role or scope), ZE_MISSING_FIELD /
 * ZE_INVALID_FIELD (the action's fields), ZE_STORE. Nothing is written on
 * failure.
 */
int case_act(const struct case_env *env, int64_t id, const struct case_actor_info *who, json_t *body,
             struct case_act_result *res, struct zerr *err);

/* What a staff read must know before it can answer from a rendered copy,
 * from one read of the case row (more only for department and grid staff):
 * its version, whether it is in the user's scope, and the actions the user
 * may take now. Returns 1 in scope, 0 outside it (*version and *mask still
 * set), 2 when there is no such case, -1 on a store error. */
int case_access(struct db *db, int64_t id, const struct user *user, int *version, unsigned *mask);

#endif
