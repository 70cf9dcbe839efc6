/*
 * projects.h — the key projects ledger (重点项目台账, docs/PROJECTS.md).
 *
 * Money is integer yuan everywhere; a figure is derived by summing the
 * stored rows (never typed twice), and a percentage is rounded half up to
 * one decimal in integer arithmetic, as the seeds print it.
 */
#ifndef ZG_PROJECTS_H
#define ZG_PROJECTS_H

#include "errors.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;

#define PROJECT_MONEY_MAX 1000000000000000LL /* 10^15 yuan: far beyond any project, safe in sums × 1000 */

/* 1 when s is an 18-character unified social credit code whose check
 * character (GB 32100-2015) is right. */
int credit_code_valid(const char *s);

/* Creates a project from {"code","name","level","industry","total_investment", optional
 * "owner_credit_code","owner_name","planned_start","planned_completion","leader",
 * "department" (id),"new_economy","strategic_emerging","batches":[{"batch","kind"}]}.
 * Returns 0 with *id, or -1 with err (409 conflict on "code" when taken). */
int project_create(struct db *db, json_t *body, int64_t *id, struct zerr *err);

/* Sets the annual plan; {"planned_investment"}. */
int project_set_plan(struct db *db, int64_t id, long year, json_t *body, struct zerr *err);
/* Sets one month's completed investment; {"completed_investment","note", optional "photos":[ID…]}
 * (uploaded photos, at most 9: the month's photos become these; absent keeps them). */
int project_set_progress(struct db *db, int64_t id, long year, long month, json_t *body, struct zerr *err);
/* Records that the project reached a stage on a date; {"stage","date"}. */
int project_set_stage(struct db *db, int64_t id, json_t *body, struct zerr *err);

/* The projects a request selects (docs/API.md, "filters"): one definition for the summary, the
 * list, the trend, the rankings and the batches. Text values are borrowed; NULL or 0 = any. */
struct project_filter {
	int year, month; /* the figures are for year, months 1..month */
	unsigned levels; /* bits: 1 province, 2 city, 4 district, 8 other; 0 = all */
	int batch;       /* 0 = any */
	const char *industry, *leader;
	const char *stage; /* the project's current stage (a STAGES name) */
	const char *q;     /* code or name contains */
	int64_t department;
};

/* Index of a level / stage name, -1 when unknown. */
int project_level_index(const char *s);
int project_stage_index(const char *s);

/* {"count","total_investment","annual_plan","completed","completion_pct","in_production","text"}.
 * NULL with err on a store error. */
json_t *project_summary(struct db *db, const struct project_filter *f, struct zerr *err);

/* List order: a column of the list and its direction. */
enum project_sort { PS_CODE, PS_NAME, PS_TOTAL, PS_PLAN, PS_DONE, PS_PCT };
/* The sort named s (code, name, total_investment, annual_plan, completed, completion_pct), -1 when unknown. */
int project_sort_parse(const char *s);

/* {"items":[P...],"total","page","per_page","year","month","totals":{...}} (docs/API.md). */
json_t *project_list(struct db *db, const struct project_filter *f, enum project_sort sort, int desc, int page,
                     int per_page, struct zerr *err);
/* P with "plans","progress","stages","cases"; NULL with err (ZE_NOT_FOUND, ZE_STORE). */
json_t *project_get(struct db *db, int64_t id, int year, int month, struct zerr *err);
/* Changes the fields given in body when body's "version" is the project's (409 otherwise). */
int project_patch(struct db *db, int64_t id, json_t *body, struct zerr *err);

/* {"year","month","months":[{"month","completed","cumulative","completion_pct"}x12]}. */
json_t *project_trend(struct db *db, const struct project_filter *f, struct zerr *err);
/* {"by","year","month","items":[{"rank","key","name","count","annual_plan","completed","completion_pct"}]}. */
json_t *project_rankings(struct db *db, const struct project_filter *f, int by_department, struct zerr *err);
/* {"items":[per batch],"totals":{...}}: the "三个一批" rates (docs/PROJECTS.md, "per batch"). */
json_t *project_batches(struct db *db, const struct project_filter *f, struct zerr *err);

/* Money as the seeds print it: yuan → "141.95" (亿元, at most two decimals, trailing zeros dropped,
 * half up). */
void money_yi(int64_t yuan, char *out, size_t outlen);
/* A share in tenths of a percent, half up: "140.5"; "" when whole is 0. */
void percent_tenths(int64_t part, int64_t whole, char *out, size_t outlen);

/* The file of a photo attached to one of the project's months: path, mime (16 bytes), size.
 * Returns 0, 1 when the photo is not attached to this project, -1 on a store error. */
int project_photo_file(struct db *db, const char *dir, int64_t id, const char *photo, char *path, size_t pathlen,
                       char *mime, int64_t *size);

#endif
