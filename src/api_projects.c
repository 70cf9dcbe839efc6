/*
 * api_projects.c — the key projects ledger over HTTP (docs/PROJECTS.md).
 */
#include "api.h"
#include "http.h"
#include "projects.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A whole number from a route parameter; LONG_MIN when it is not one. */
static long param_long(struct req *r, const char *name)
{
	const char *s = req_param(r, name);
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || strlen(s) > 9)
		return -1;
	return v;
}

static void reply_ok_or_error(struct req *r, int rc, const struct zerr *err, int64_t id)
{
	if (rc) {
		reply_zerr(r, err);
		return;
	}
	reply_json(r, 200, json_pack("{s:I}", "id", (json_int_t)id));
}

void api_projects_create(struct req *r)
{
	struct zerr err;
	zerr_clear(&err);
	int64_t id;
	if (project_create(r->db, r->json, &id, &err)) {
		reply_zerr(r, &err);
		return;
	}
	reply_json(r, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

void api_projects_plan_put(struct req *r)
{
	int64_t id;
	if (req_param_id_or_reply(r, "id", &id))
		return;
	struct zerr err;
	zerr_clear(&err);
	int rc = project_set_plan(r->db, id, param_long(r, "year"), r->json, &err);
	reply_ok_or_error(r, rc, &err, id);
}

void api_projects_progress_put(struct req *r)
{
	int64_t id;
	if (req_param_id_or_reply(r, "id", &id))
		return;
	struct zerr err;
	zerr_clear(&err);
	int rc = project_set_progress(r->db, id, param_long(r, "year"), param_long(r, "month"), r->json, &err);
	reply_ok_or_error(r, rc, &err, id);
}

void api_projects_stage_put(struct req *r)
{
	int64_t id;
	if (req_param_id_or_reply(r, "id", &id))
		return;
	struct zerr err;
	zerr_clear(&err);
	int rc = project_set_stage(r->db, id, r->json, &err);
	reply_ok_or_error(r, rc, &err, id);
}

void api_projects_summary(struct req *r)
{
	long year, month, batch;
	const char *levels;
	if (req_query_int_or_reply(r, "year", -1, 2000, 2100, &year) ||
	    req_query_int_or_reply(r, "month", 12, 1, 12, &month) ||
	    req_query_int_or_reply(r, "batch", 0, 0, 1000, &batch) || req_query_text_or_reply(r, "level", 64, &levels))
		return;
	if (year < 0) {
		reply_error(r, ZE_BAD_REQUEST, "year", "请指定年份 year", "year is required");
		return;
	}
	struct project_filter f = {(int)year, (int)month, 0, (int)batch};
	static const char *const names[] = {"province", "city", "district", "other"};
	for (const char *p = levels; p && *p;) {
		size_t n = strcspn(p, ",");
		int found = 0;
		for (int i = 0; i < 4; i++)
			if (strlen(names[i]) == n && strncmp(p, names[i], n) == 0)
				f.levels |= 1u << i, found = 1;
		if (!found) {
			reply_error(r, ZE_BAD_REQUEST, "level", "级别须为 province、city、district、other(逗号分隔)",
			            "level: province, city, district, other, comma-separated");
			return;
		}
		p += n + (p[n] == ',');
	}
	struct zerr err;
	zerr_clear(&err);
	json_t *s = project_summary(r->db, &f, &err);
	if (!s) {
		reply_zerr(r, &err);
		return;
	}
	reply_json(r, 200, s);
}
