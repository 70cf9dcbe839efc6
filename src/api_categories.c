/*
 * api_categories.c — the case category catalog over HTTP.
 *
 * Reading is public (the public portal offers the categories): without a
 * session only active categories are listed (no 小类 of an inactive 大类),
 * without department ids and auto_accept; staff see everything. Writing is
 * for administrators (route table): PUT one category, or POST a whole CSV
 * (text/csv, read from the raw body) that is imported all or nothing.
 */
#include "api.h"
#include "categories.h"
#include "db.h"
#include "server.h"

#include <string.h>
#include <strings.h>

void api_categories_list(struct req *r)
{
	json_t *items = category_list_json(r->db, !r->authed);
	if (!items) {
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
		return;
	}
	reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* The category of the path for this caller; 0, or -1 after replying. */
static int find_or_reply(struct req *r, struct category *c)
{
	int rc = category_get(r->db, req_param(r, "code"), c);
	if (rc == 0 && !r->authed && c->parent_code[0] && c->active) {
		struct category parent;
		int prc = category_get(r->db, c->parent_code, &parent);
		if (prc < 0)
			rc = -1;
		else if (prc == 0 && !parent.active)
			c->active = 0;
	}
	if (rc < 0) {
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
		return -1;
	}
	if (rc == 1 || (!r->authed && !c->active)) {
		reply_error(r, ZE_NOT_FOUND, NULL, "类别不存在", "no such category");
		return -1;
	}
	return 0;
}

void api_categories_get(struct req *r)
{
	struct category c;
	if (find_or_reply(r, &c))
		return;
	reply_json(r, 200, json_pack("{s:o}", "category", category_to_json(&c, !r->authed)));
}

void api_categories_put(struct req *r)
{
	struct category_input in;
	struct category c;
	struct zerr err;
	int created = 0;
	zerr_clear(&err);
	category_input_init(&in);
	if (category_input_from_json(r->json, &in, &err) ||
	    category_put(r->db, req_param(r, "code"), &in, r->user.username, &c, &created, &err)) {
		reply_zerr(r, &err);
		return;
	}
	case_cache_names_changed(&r->srv->case_cache); /* a case shows its category's name */
	reply_json(r, created ? 201 : 200, json_pack("{s:o}", "category", category_to_json(&c, 0)));
}

/* 1 when the Content-Type is text/csv, with no charset or charset=utf-8. */
static int is_csv(const char *ct)
{
	if (!ct)
		return 0;
	while (*ct == ' ')
		ct++;
	if (strncasecmp(ct, "text/csv", 8) != 0)
		return 0;
	const char *p = ct + 8;
	while (*p == ' ')
		p++;
	if (!*p)
		return 1;
	if (*p != ';')
		return 0;
	while (*p) {
		p++;
		while (*p == ' ')
			p++;
		const char *end = strchr(p, ';');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		while (n && p[n - 1] == ' ')
			n--;
		if (n >= 8 && strncasecmp(p, "charset=", 8) == 0) {
			const char *v = p + 8;
			size_t vn = n - 8;
			if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
				v++;
				vn -= 2;
			}
			if (!((vn == 5 && strncasecmp(v, "utf-8", 5) == 0) ||
			      (vn == 4 && strncasecmp(v, "utf8", 4) == 0)))
				return 0;
		}
		p = end ? end : p + strlen(p);
	}
	return 1;
}

void api_categories_import(struct req *r)
{
	if (!is_csv(req_header(r, "Content-Type"))) {
		reply_error(r, ZE_UNSUPPORTED_MEDIA_TYPE, NULL, "请求体须为 text/csv(UTF-8)",
		            "Request body must be text/csv (UTF-8)");
		return;
	}
	struct category_import_options o = {0};
	if (req_dry_run_or_reply(r, &o.dry_run))
		return;
	o.actor = r->user.username;
	o.source = "api";
	struct category_import_result res;
	struct zerr err;
	zerr_clear(&err);
	int rc = category_import_csv(r->db, r->body.data, r->body.len, &o, &res, &err);
	if (rc < 0) {
		json_decref(res.report);
		reply_zerr(r, &err);
		return;
	}
	if (rc == 1) {
		reply_invalid_import(r, res.report, res.problems);
		return;
	}
	json_decref(res.report);
	if (!o.dry_run)
		case_cache_names_changed(&r->srv->case_cache);
	reply_json(r, 200,
	           json_pack("{s:b,s:i,s:i,s:i,s:i}", "dry_run", o.dry_run, "rows", res.rows, "added", res.added,
	                     "updated", res.updated, "unchanged", res.unchanged));
}
