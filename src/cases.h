/*
 * cases.h — cases (事件工单): intake, reading, and the viewer's scope.
 *
 * Intake validates the report, locates its point to the finest unit and
 * its chain, routes it by the category's rule (the grid, or a department),
 * numbers it (YYYYMMDD-NNNN, a per-day sequence in Asia/Shanghai that can
 * be read out on the phone) and starts the accept stage's deadline on the
 * working-time calendar. Reports from trusted sources (grid_patrol,
 * supervisor, inspection) of categories marked auto_accept are accepted and
 * dispatched by the system at once (系统自动传). All of it, with the first
 * events and the idempotency key, is one transaction: an acknowledged case
 * is complete or absent, never half-written.
 *
 * The workflow after intake (actions) is case_flow.h's table, applied by
 * case_act() in case_act.c.
 */
#ifndef ZG_CASES_H
#define ZG_CASES_H

#include "categories.h"
#include "errors.h"
#include "photos.h"
#include "units.h"

#include <jansson.h>
#include <stdint.h>

struct db;
struct unit_dir;
struct workcal;
struct user;

#define CASE_DESCRIPTION_MAX 2000 /* characters */
#define CASE_IDEMPOTENCY_KEY_MAX 128

/* What intake needs besides the store. Borrowed. */
struct case_env {
	struct db *db;
	const struct unit_dir *units;
	const struct workcal *cal;
};

struct case_input {
	const char *category;
	const char *description;
	double lat, lon;
	const char *crs;   /* "wgs84" (default) or "gcj02" */
	const char *phone; /* reporter's phone, NULL/"" none */
	int anonymous;
	const char *source;
	const char *idempotency_key;
	const char *idempotency_scope;          /* "public" or "user:<id>" */
	char request_hash[65];                  /* hex BLAKE2b-256 of the body (case_input_from_json) */
	int64_t reporter_id;                    /* staff reporter, 0 for the public */
	int64_t project_id;                     /* source project: the key project it concerns, else 0 */
	const char *actor;                      /* name recorded in the first event */
	const char *photos[PHOTO_MAX_PER_CASE]; /* uploaded photo ids (photos.h), borrowed */
	int nphotos;
};

/* Reads an intake body. public_intake forces source "resident" and
 * requires a phone (the reporter follows the case with number + phone4).
 * Returns 0 or -1 with err naming the field. */
int case_input_from_json(json_t *body, int public_intake, struct case_input *in, struct zerr *err);

/* Files a case. On success returns 0 with *id set; *replayed = 1 when the
 * idempotency key named an existing case (nothing new written). Returns -1
 * with err otherwise (store unchanged). One transaction of its own. */
int case_create(const struct case_env *env, const struct case_input *in, int64_t *id, int *replayed, struct zerr *err);

/* The two halves of case_create, for group commit (committer.h). */
struct case_plan {
	struct category cat;
	double lat, lon;              /* WGS-84 */
	const char *chain[UL__COUNT]; /* unit codes by level, borrowed from env->units: keep it acquired */
	const char *unit_code;        /* the finest unit */
	int32_t at;                   /* its entry in env->units */
	int64_t now, deadline;
	int by_grid, auto_go;
	char day[16]; /* YYYYMMDD in Asia/Shanghai, the number's prefix */
};
/* Everything intake decides before writing: category, locate, route,
 * deadline. Reads only. Returns 0, or -1 with err. */
int case_plan_make(const struct case_env *env, const struct case_input *in, struct case_plan *p, struct zerr *err);
/* Writes the case inside the caller's open transaction. Returns 0 with *id;
 * 1 when the idempotency key is taken (the caller rolls back its writes
 * and answers with case_replay_lookup's case); -1 with err (the caller
 * rolls back). */
int case_insert(struct db *db, const struct case_input *in, const struct case_plan *p, int64_t *id, char number[32],
                struct zerr *err);
/* The public answer to intake, from what intake decided and wrote (no
 * reading): {"id","number","status","version","units","department",
 * "deadline"}; units from d, finest first. */
json_t *case_intake_json(const struct case_plan *p, const struct unit_dir *d, int64_t id, const char *number);
/* The case an idempotency key names: 1 with *id, 0 when none, -1 on error,
 * 2 when the key was used for a different request body (a 422). */
int case_replay_lookup(struct db *db, const struct case_input *in, int64_t *id);
/* The error for case_replay_lookup's answer rc (2: the key was used for another body; else the store). */
int case_replay_error(int rc, struct zerr *err);

/* Who is looking, for scope and masking. */
struct case_viewer {
	const struct user *user;      /* NULL for the public */
	const struct unit_dir *units; /* optional: unit names from memory instead of the store */
};

/* 1 when the viewer may see the case (data scope of docs/WORKFLOW.md),
 * 0 when not, -1 on a store error. */
int case_visible(struct db *db, int64_t id, const struct case_viewer *v);
/* The same decision from the case's scope columns already read (its five
 * unit codes in any order and its department, 0 when none). */
int case_visible_row(struct db *db, int64_t id, const struct user *u, const char (*codes)[40], int64_t dept);

/* The case as JSON for a viewer (phones masked as the viewer's role says;
 * anonymous reporters hidden), with its events when with_events. NULL with
 * err (ZE_NOT_FOUND or ZE_STORE). */
json_t *case_get_json(struct db *db, int64_t id, const struct case_viewer *v, int with_events, struct zerr *err);

/* Likely duplicates of case id (same category, within CASE_DUP_METRES and
 * CASE_DUP_HOURS either side, not rejected), nearest first, only those the
 * viewer may see: [{"id","number","status","distance_m","created_at"}].
 * NULL on a store error. */
#define CASE_DUP_METRES 50.0
#define CASE_DUP_HOURS 72
#define CASE_DUP_MAX 20
json_t *case_duplicates_json(struct db *db, int64_t id, const struct case_viewer *v);

/* What differs between viewers in case_get_json's text: 1 when the viewer
 * sees whole phone numbers, else 0. */
int case_viewer_variant(const struct case_viewer *v);

/* Source names. */
int case_source_valid(const char *s);

/* Internal to the case modules (cases.c, case_act.c). */
struct category;
/* Appends one event; call inside the caller's transaction. */
int case_event_append(struct db *db, int64_t case_id, int seq, const char *action, int64_t actor_id, const char *actor,
                      const char *from, const char *to, const char *note, const char *fields, int64_t at);
/* Deadline of stage (enum category_stage) of category c from start; err when the calendar does not reach. */
int case_stage_deadline(const struct workcal *cal, const struct category *c, int stage, int64_t start,
                        int64_t *deadline, struct zerr *err);

#endif
