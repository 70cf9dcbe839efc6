/*
 * api_projects.c — the key projects ledger over HTTP (docs/PROJECTS.md).
 */
#include "api.h"
#include "http.h"
#include "gcj.h"
#include "projects.h"
#include "units.h"
#include "server.h"
#include "timeutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* A project's point ("lat", "lon", "crs": wgs84 or gcj02) → WGS-84 and the
 * finest unit it lies in ("unit"), found with the server's locate index, so
 * that projects.c stores what it is given. 0, or -1 when it answered 422. */
static int locate_project_or_reply(struct req *r)
{
	json_t *b = r->json, *jl = json_object_get(b, "lat"), *jo = json_object_get(b, "lon");
	json_t *jc = json_object_get(b, "crs");
	if (!json_is_number(jl) || !json_is_number(jo))
		return 0; /* none, a clearing null or a bad value: projects.c decides */
	const char *crs = jc && !json_is_null(jc) ? json_string_value(jc) : "wgs84";
	if (!crs || (strcmp(crs, "wgs84") != 0 && strcmp(crs, "gcj02") != 0)) {
		reply_error(r, ZE_INVALID_FIELD, "crs", "坐标系须为 wgs84 或 gcj02", "crs must be wgs84 or gcj02");
		return -1;
	}
	double lat = json_number_value(jl), lon = json_number_value(jo);
	if (strcmp(crs, "gcj02") == 0)
		gcj_to_wgs(json_number_value(jl), json_number_value(jo), &lat, &lon);
	struct unit_dir *d = unit_dir_acquire(&r->srv->units);
	int32_t at = d ? unit_dir_locate(d, lat, lon) : -1;
	if (at < 0) {
		unit_dir_release(&r->srv->units, d);
		reply_error(r, ZE_INVALID_FIELD, "lat", "项目位置不在本区范围内",
		            "the project's point is outside the zone");
		return -1;
	}
	json_object_set_new(b, "unit", json_string(d->e[at].code));
	unit_dir_release(&r->srv->units, d);
	json_object_set_new(b, "lat", json_real(lat));
	json_object_set_new(b, "lon", json_real(lon));
	json_object_del(b, "crs");
	return 0;
}

void api_projects_create(struct req *r)
{
	struct zerr err;
	zerr_clear(&err);
	int64_t id;
	if (locate_project_or_reply(r))
		return;
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

/* The current year and month in Asia/Shanghai. */
static void this_month(int *year, int *month)
{
	time_t secs = (time_t)(time_now_ms() / 1000) + 8 * 3600;
	struct tm tm;
	gmtime_r(&secs, &tm);
	*year = tm.tm_year + 1900;
	*month = tm.tm_mon + 1;
}

/* Reads the filters every figure route takes (docs/API.md); 0, or -1 having answered 400. */
static int filter_or_reply(struct req *r, struct project_filter *f)
{
	long year, month, batch, dept;
	const char *levels;
	int now_year, now_month;
	this_month(&now_year, &now_month);
	memset(f, 0, sizeof *f);
	if (req_query_int_or_reply(r, "year", now_year, 2000, 2100, &year) ||
	    req_query_int_or_reply(r, "month", year == now_year ? now_month : 12, 1, 12, &month) ||
	    req_query_int_or_reply(r, "batch", 0, 0, 1000, &batch) ||
	    req_query_int_or_reply(r, "department", 0, 1, 2000000000, &dept) ||
	    req_query_text_or_reply(r, "level", 64, &levels) ||
	    req_query_text_or_reply(r, "industry", 128, &f->industry) ||
	    req_query_text_or_reply(r, "leader", 128, &f->leader) ||
	    req_query_text_or_reply(r, "stage", 16, &f->stage) || req_query_text_or_reply(r, "q", 200, &f->q))
		return -1;
	f->year = (int)year;
	f->month = (int)month;
	f->batch = (int)batch;
	f->department = dept;
	size_t nl = levels ? strlen(levels) : 0;
	for (const char *p = levels; p && *p;) {
		size_t n = strcspn(p, ",");
		char name[16] = "";
		if (n < sizeof name)
			memcpy(name, p, n), name[n] = '\0';
		/* "city," or "city,,town": an empty name is no level */
		int k = p[n] == ',' && (p[n + 1] == ',' || p + n + 1 == levels + nl) ? -1 : project_level_index(name);
		if (k < 0) {
			reply_error(r, ZE_BAD_REQUEST, "level", "级别须为 province、city、district、other(逗号分隔)",
			            "level: province, city, district, other, comma-separated");
			return -1;
		}
		f->levels |= 1u << k;
		p += n + (p[n] == ',');
	}
	if (f->stage && *f->stage && project_stage_index(f->stage) < 0) {
		reply_error(r, ZE_BAD_REQUEST, "stage",
		            "阶段须为 planning、signed、started、building、production 或 effective",
		            "stage: planning, signed, started, building, production or effective");
		return -1;
	}
	return 0;
}

static void reply_or_error(struct req *r, json_t *body, const struct zerr *err)
{
	if (!body)
		reply_zerr(r, err);
	else
		reply_json(r, 200, body);
}

/* A view of the ledger that takes only the filters. */
static void figures_reply(struct req *r, json_t *(*view)(struct db *, const struct project_filter *, struct zerr *))
{
	struct project_filter f;
	if (filter_or_reply(r, &f))
		return;
	struct zerr err;
	zerr_clear(&err);
	reply_or_error(r, view(r->db, &f, &err), &err);
}

void api_projects_summary(struct req *r)
{
	figures_reply(r, project_summary);
}

void api_projects_list(struct req *r)
{
	struct project_filter f;
	int page, per_page;
	const char *sort, *order;
	if (filter_or_reply(r, &f) || req_paging_or_reply(r, &page, &per_page) ||
	    req_query_text_or_reply(r, "sort", 32, &sort) || req_query_text_or_reply(r, "order", 8, &order))
		return;
	int s = sort && *sort ? project_sort_parse(sort) : PS_CODE;
	if (s < 0) {
		reply_error(r, ZE_BAD_REQUEST, "sort",
		            "排序须为 code、name、total_investment、annual_plan、completed 或 completion_pct",
		            "sort: code, name, total_investment, annual_plan, completed or completion_pct");
		return;
	}
	int desc = 0;
	if (order && *order) {
		if (strcmp(order, "desc") != 0 && strcmp(order, "asc") != 0) {
			reply_error(r, ZE_BAD_REQUEST, "order", "顺序须为 asc 或 desc", "order: asc or desc");
			return;
		}
		desc = order[0] == 'd';
	}
	struct zerr err;
	zerr_clear(&err);
	reply_or_error(r, project_list(r->db, &f, (enum project_sort)s, desc, page, per_page, &err), &err);
}

void api_projects_get(struct req *r)
{
	int64_t id;
	struct project_filter f;
	if (req_param_id_or_reply(r, "id", &id) || filter_or_reply(r, &f))
		return;
	struct zerr err;
	zerr_clear(&err);
	reply_or_error(r, project_get(r->db, id, f.year, f.month, &err), &err);
}

void api_projects_patch(struct req *r)
{
	int64_t id;
	struct project_filter f;
	if (req_param_id_or_reply(r, "id", &id) || filter_or_reply(r, &f))
		return;
	struct zerr err;
	zerr_clear(&err);
	if (locate_project_or_reply(r))
		return;
	if (project_patch(r->db, id, r->json, &err)) {
		reply_zerr(r, &err);
		return;
	}
	reply_or_error(r, project_get(r->db, id, f.year, f.month, &err), &err);
}

void api_projects_trend(struct req *r)
{
	figures_reply(r, project_trend);
}

void api_projects_rankings(struct req *r)
{
	struct project_filter f;
	const char *by;
	if (filter_or_reply(r, &f) || req_query_text_or_reply(r, "by", 16, &by))
		return;
	if (!by || (strcmp(by, "leader") != 0 && strcmp(by, "department") != 0)) {
		reply_error(r, ZE_BAD_REQUEST, "by", "by 须为 leader 或 department", "by: leader or department");
		return;
	}
	struct zerr err;
	zerr_clear(&err);
	reply_or_error(r, project_rankings(r->db, &f, by[0] == 'd', &err), &err);
}

void api_projects_batches(struct req *r)
{
	figures_reply(r, project_batches);
}

/* The same filters for the ledger's export (api_projects_io.c). */
int api_projects_filter_or_reply(struct req *r, struct project_filter *f)
{
	return filter_or_reply(r, f);
}

/* A photo of a month's progress: any staff member may see the ledger and
 * its photos; 404 for a photo not attached to this project. */
void api_projects_photo_get(struct req *r)
{
	int64_t id;
	if (req_param_id_or_reply(r, "id", &id))
		return;
	char path[4200], mime[16];
	int64_t size;
	int rc =
	        project_photo_file(r->db, r->srv->media_dir, id, req_param(r, "photo"), path, sizeof path, mime, &size);
	reply_photo(r, rc, path, mime, "no such photo on this project");
}
