/*
 * api_users.c — account administration (admin only, enforced by the route
 * table) and the department list.
 *
 * Phones are masked in lists and shown whole on a single account, which
 * only an administrator can read.
 */
#include "api.h"
#include "db.h"
#include "server.h"

void api_users_list(struct req *r)
{
	int page, per_page;
	const char *q;
	if (req_paging_or_reply(r, &page, &per_page) || req_query_text_or_reply(r, "q", 64, &q))
		return;
	json_t *items = NULL;
	int64_t total = 0;
	if (user_list(r->db, q, page, per_page, &items, &total)) {
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
		return;
	}
	reply_json(r, 200,
	           json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "page", page, "per_page",
	                     per_page));
}

void api_users_create(struct req *r)
{
	struct user_input in;
	struct zerr err;
	struct user u;
	zerr_clear(&err);
	user_input_init(&in);
	if (user_input_from_json(r->json, &in, &err) || user_create(r->db, &in, r->user.username, &u, &err)) {
		reply_zerr(r, &err);
		return;
	}
	reply_json(r, 201, json_pack("{s:o}", "user", user_to_json(&u, 1)));
}

void api_users_get(struct req *r)
{
	int64_t id;
	struct user u;
	if (req_param_id_or_reply(r, "id", &id))
		return;
	int rc = user_get(r->db, id, &u);
	if (rc == 1)
		reply_error(r, ZE_NOT_FOUND, NULL, "用户不存在", "no such user");
	else if (rc < 0)
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
	else
		reply_json(r, 200, json_pack("{s:o}", "user", user_to_json(&u, 1)));
}

void api_users_update(struct req *r)
{
	int64_t id;
	struct user_input in;
	struct zerr err;
	struct user u;
	if (req_param_id_or_reply(r, "id", &id))
		return;
	zerr_clear(&err);
	user_input_init(&in);
	if (user_input_from_json(r->json, &in, &err))
		goto fail;
	if (id == r->user.id && ((in.disabled == 1) || (in.roles && !(in.roles & 1u)))) {
		/* An admin cannot lock themselves out. */
		zerr_set(&err, ZE_CONFLICT, in.disabled == 1 ? "disabled" : "roles",
		         "不能停用自己或取消自己的管理员角色",
		         "you cannot disable yourself or drop your own admin role");
		goto fail;
	}
	if (user_update(r->db, id, &in, r->user.username, &u, &err))
		goto fail;
	session_cache_invalidate(&r->srv->sessions); /* roles, scope or access may have changed */
	reply_json(r, 200, json_pack("{s:o}", "user", user_to_json(&u, 1)));
	return;
fail:
	reply_zerr(r, &err);
}

static const char SQL_DEPTS[] = "SELECT id, code, name FROM departments ORDER BY code";

void api_departments_list(struct req *r)
{
	struct db_stmt *st = db_prepare(r->db, SQL_DEPTS);
	if (!st) {
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
		return;
	}
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)db_col_i64(st, 0), "code",
		                                       db_col_text(st, 1), "name", db_col_text(st, 2)));
	db_stmt_done(st);
	if (rc != DB_DONE) {
		json_decref(items);
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
		return;
	}
	reply_json(r, 200, json_pack("{s:o}", "items", items));
}
