/*
 * api_cases.c — cases over HTTP: staff and public intake, reading.
 *
 * Intake honours an Idempotency-Key header (at most 128 printable ASCII
 * characters): a retry with the same key from the same caller answers with
 * the case already filed (201 again, Idempotent-Replayed: true) and files
 * nothing. Staff see a case only within their data scope (403 otherwise).
 */
#include "api.h"
#include "cases.h"
#include "server.h"

#include <stdio.h>
#include <string.h>

static int idempotency_key_or_reply(struct req *r, const char **key)
{
	*key = req_header(r, "Idempotency-Key");
	if (!*key)
		return 0;
	size_t n = strlen(*key);
	int ok = n >= 1 && n <= CASE_IDEMPOTENCY_KEY_MAX;
	for (size_t i = 0; ok && i < n; i++)
		ok = (*key)[i] > 0x20 && (*key)[i] < 0x7f;
	if (!ok) {
		reply_error(r, ZE_BAD_REQUEST, "Idempotency-Key", "Idempotency-Key 须为1至128个可见 ASCII 字符",
		            "Idempotency-Key must be 1-128 printable ASCII characters");
		return -1;
	}
	return 0;
}

static void intake(struct req *r, int public_intake)
{
	struct case_input in;
	struct zerr err;
	zerr_clear(&err);
	const char *key;
	if (idempotency_key_or_reply(r, &key))
		return;
	if (case_input_from_json(r->json, public_intake, &in, &err)) {
		reply_zerr(r, &err);
		return;
	}
	char scope[40];
	if (public_intake)
		snprintf(scope, sizeof scope, "public");
	else
		snprintf(scope, sizeof scope, "user:%lld", (long long)r->user.id);
	in.idempotency_key = key;
	in.idempotency_scope = scope;
	in.reporter_id = public_intake ? 0 : r->user.id;
	in.actor = public_intake ? "public" : r->user.name;
	struct unit_dir *d = unit_dir_acquire(&r->srv->units);
	struct case_env env = {r->db, d, &r->srv->cal};
	int64_t id;
	int replayed;
	int rc = case_create(&env, &in, &id, &replayed, &err);
	unit_dir_release(&r->srv->units, d);
	if (rc) {
		reply_zerr(r, &err);
		return;
	}
	struct case_viewer v = {public_intake ? NULL : &r->user};
	json_t *c = case_get_json(r->db, id, &v, !public_intake, &err);
	if (!c) {
		reply_zerr(r, &err);
		return;
	}
	if (public_intake) {
		/* The public answer: what the reporter needs to follow the case, nothing personal. */
		json_t *pub = json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "id", json_object_get(c, "id"), "number",
		                        json_object_get(c, "number"), "status", json_object_get(c, "status"), "version",
		                        json_object_get(c, "version"), "units", json_object_get(c, "units"), "department",
		                        json_object_get(c, "department"), "deadline", json_object_get(c, "deadline"));
		json_decref(c);
		c = pub;
	}
	reply_json(r, 201, c);
	if (replayed)
		reply_header(r, "Idempotent-Replayed", "true");
}

void api_cases_create(struct req *r)
{
	intake(r, 0);
}

void api_public_cases_create(struct req *r)
{
	intake(r, 1);
}

void api_cases_get(struct req *r)
{
	int64_t id;
	if (req_param_id_or_reply(r, "id", &id))
		return;
	struct case_viewer v = {&r->user};
	int vis = case_visible(r->db, id, &v);
	struct zerr err;
	zerr_clear(&err);
	if (vis < 0) {
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
		return;
	}
	json_t *c = case_get_json(r->db, id, &v, 1, &err);
	if (!c) {
		reply_zerr(r, &err);
		return;
	}
	if (!vis) {
		json_decref(c);
		reply_error(r, ZE_FORBIDDEN, NULL, "该事件不在您的管辖范围内", "this case is outside your scope");
		return;
	}
	reply_json(r, 200, c);
}
