/*
 * api_units.c — the unit hierarchy over HTTP: locate a point, list and read
 * units, map features, import GeoJSON, assign people.
 *
 * Phones of responsible people are shown whole to administrators and
 * dispatchers (who call them) and masked for everyone else.
 */
#include "api.h"
#include "buf.h"
#include "gcj.h"
#include "log.h"
#include "roles.h"
#include "server.h"
#include "unit_import.h"
#include "units.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int sees_phones(const struct req *r)
{
	return (r->user.roles & (ROLE_ADMIN | ROLE_DISPATCHER)) != 0;
}

/* Reads a coordinate query parameter; replies 400 and returns -1 when bad. */
static int coord_or_reply(struct req *r, const char *name, double min, double max, double *out)
{
	const char *v = req_query(r, name);
	char zh[160], en[160];
	if (!v || !*v) {
		snprintf(zh, sizeof zh, "缺少坐标参数 %s", name);
		snprintf(en, sizeof en, "the coordinate %s is missing", name);
		reply_error(r, ZE_BAD_REQUEST, name, zh, en);
		return -1;
	}
	char *end;
	errno = 0;
	/* Plain decimal numbers only: strtod alone would take hex floats and leading spaces. */
	int plain = 1;
	for (const char *p = v; *p; p++)
		plain &= (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '+' || *p == 'e' || *p == 'E';
	double d = plain ? strtod(v, &end) : NAN;
	if (!plain || errno || *end || !isfinite(d) || d < min || d > max) {
		snprintf(zh, sizeof zh, "%s 须为 %g 至 %g 之间的数值", name, min, max);
		snprintf(en, sizeof en, "%s must be a number from %g to %g", name, min, max);
		reply_error(r, ZE_BAD_REQUEST, name, zh, en);
		return -1;
	}
	*out = d;
	return 0;
}

/* Parses crs=wgs84|gcj02 (default wgs84) into *gcj. */
static int crs_or_reply(struct req *r, const char *crs, int *gcj)
{
	*gcj = 0;
	if (!crs || strcmp(crs, "wgs84") == 0)
		return 0;
	if (strcmp(crs, "gcj02") == 0) {
		*gcj = 1;
		return 0;
	}
	reply_error(r, ZE_BAD_REQUEST, "crs", "坐标系须为 wgs84 或 gcj02", "crs must be wgs84 or gcj02");
	return -1;
}

json_t *api_unit_chain_json(struct req *r, const struct unit_dir *d, int32_t at)
{
	json_t *units = json_array();
	for (int32_t i = at; i >= 0; i = d->e[i].parent) {
		const struct unit_entry *e = &d->e[i];
		json_t *people = unit_people_json(r->db, e->id, sees_phones(r));
		if (!people) {
			json_decref(units);
			return NULL;
		}
		json_array_append_new(units, json_pack("{s:s,s:s,s:s,s:o}", "code", e->code, "name", e->name, "level",
		                                       unit_level_name(e->level), "people", people));
	}
	return units;
}

void api_locate(struct req *r)
{
	double lat, lon;
	int gcj;
	if (coord_or_reply(r, "lat", -90, 90, &lat) || coord_or_reply(r, "lon", -180, 180, &lon) ||
	    crs_or_reply(r, req_query(r, "crs"), &gcj))
		return;
	double wlat = lat, wlon = lon;
	if (gcj)
		gcj_to_wgs(lat, lon, &wlat, &wlon);
	struct unit_dir *d = unit_dir_acquire(&r->srv->units);
	int32_t at = unit_dir_locate(d, wlat, wlon);
	if (at < 0) {
		unit_dir_release(&r->srv->units, d);
		reply_error(r, ZE_OUTSIDE_ZONE, NULL, NULL, NULL);
		return;
	}
	json_t *units = api_unit_chain_json(r, d, at);
	unit_dir_release(&r->srv->units, d);
	if (!units) {
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
		return;
	}
	json_t *out = json_pack("{s:f,s:f,s:o}", "lat", wlat, "lon", wlon, "units", units);
	if (gcj)
		json_object_set_new(out, "input", json_pack("{s:f,s:f,s:s}", "lat", lat, "lon", lon, "crs", "gcj02"));
	reply_json(r, 200, out);
}

static int level_or_reply(struct req *r, int *level)
{
	const char *lv = req_query(r, "level");
	*level = -1;
	if (!lv || !*lv)
		return 0;
	*level = unit_level_parse(lv);
	if (*level < 0) {
		reply_error(r, ZE_BAD_REQUEST, "level", "层级须为 zone、street、community、grid 或 microgrid",
		            "level must be zone, street, community, grid or microgrid");
		return -1;
	}
	return 0;
}

void api_units_list(struct req *r)
{
	int page, per_page, level;
	const char *parent, *q;
	if (req_paging_or_reply(r, &page, &per_page) || level_or_reply(r, &level) ||
	    req_query_text_or_reply(r, "parent", 32, &parent) || req_query_text_or_reply(r, "q", 64, &q))
		return;
	json_t *items;
	int64_t total;
	if (unit_list_json(r->db, level, parent && *parent ? parent : NULL, q, page, per_page, &items, &total)) {
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
		return;
	}
	reply_json(r, 200,
	           json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "page", page, "per_page",
	                     per_page));
}

void api_units_get(struct req *r)
{
	struct zerr err;
	zerr_clear(&err);
	json_t *u = unit_get_json(r->db, req_param(r, "code"), sees_phones(r), &err);
	if (!u)
		reply_zerr(r, &err);
	else
		reply_json(r, 200, u);
}

void api_map_features(struct req *r)
{
	int level;
	const char *parent;
	if (level_or_reply(r, &level) || req_query_text_or_reply(r, "parent", 32, &parent))
		return;
	if (level < 0) {
		reply_error(r, ZE_BAD_REQUEST, "level", "请指定层级 level", "give a level");
		return;
	}
	json_t *fc = unit_features_json(r->db, level, parent && *parent ? parent : NULL);
	if (!fc)
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
	else /* 10 significant digits: 1e-7 degree, about 1 cm; halves the payload */
		reply_json_flags(r, 200, fc, JSON_REAL_PRECISION(10));
}

void api_units_import(struct req *r)
{
	struct import_options o;
	import_options_init(&o);
	if (req_dry_run_or_reply(r, &o.dry_run))
		return;
	o.actor = r->user.username;
	o.source = "api";
	struct import_result res;
	struct zerr err;
	zerr_clear(&err);
	int rc = unit_import(r->db, r->json, &o, &res, &err);
	if (rc < 0) {
		json_decref(res.problems);
		reply_zerr(r, &err);
		return;
	}
	if (rc == 1) {
		reply_invalid_import(r, res.problems, -1);
		return;
	}
	json_decref(res.problems);
	if (!o.dry_run) {
		struct buf e;
		buf_init(&e, 512);
		case_cache_names_changed(&r->srv->case_cache); /* cases show their units' names */
		if (unit_dir_reload(&r->srv->units, r->db, &e))
			log_error("units imported but the index was not rebuilt: %s", buf_cstr(&e));
		buf_release(&e);
	}
	reply_json(r, 200,
	           json_pack("{s:b,s:i,s:i,s:i,s:i}", "dry_run", o.dry_run, "features", res.features, "added",
	                     res.added, "updated", res.updated, "unchanged", res.unchanged));
}

void api_units_people_add(struct req *r)
{
	const char *username = json_string_value(json_object_get(r->json, "username"));
	const char *duty = json_string_value(json_object_get(r->json, "duty"));
	if (!username) {
		reply_error(r, ZE_MISSING_FIELD, "username", "缺少用户名", "username is required");
		return;
	}
	if (!duty) {
		reply_error(r, ZE_MISSING_FIELD, "duty", "缺少职责", "duty is required");
		return;
	}
	struct zerr err;
	zerr_clear(&err);
	if (unit_people_add(r->db, req_param(r, "code"), username, duty, &err)) {
		reply_zerr(r, &err);
		return;
	}
	json_t *u = unit_get_json(r->db, req_param(r, "code"), 1, &err);
	if (!u)
		reply_zerr(r, &err);
	else
		reply_json(r, 200, u);
}
