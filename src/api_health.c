/*
 * api_health.c — liveness, metrics and the OpenAPI document.
 */
#include "api.h"
#include "db.h"
#include "roles.h"
#include "server.h"
#include "version.h"

#include <stdlib.h>
#include <string.h>

static const char SQL_PING[] = "SELECT 1";

void api_settings(struct req *r)
{
	const struct config *c = &r->srv->cfg;
	reply_json(r, 200,
	           json_pack("{s:{s:s?,s:s}}", "map", "tile_url", c->map_tile_url[0] ? c->map_tile_url : NULL,
	                     "tile_attribution", c->map_tile_attribution));
}

void api_healthz(struct req *r)
{
	struct db_stmt *st = db_prepare(r->db, SQL_PING);
	int rc = st ? db_step(st) : DB_ERROR;
	db_stmt_done(st);
	if (rc != DB_ROW) {
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
		return;
	}
	reply_json(r, 200, json_pack("{s:s,s:s}", "status", "ok", "version", ZONEGOV_VERSION));
}

void api_metrics(struct req *r)
{
	struct buf out;
	buf_init(&out, 4 * 1024 * 1024);
	metrics_render(&r->srv->metrics, r->srv->routes, r->srv->nroutes, &out);
	if (out.err) {
		buf_release(&out);
		reply_error(r, ZE_INTERNAL, NULL, NULL, NULL);
		return;
	}
	size_t len = out.len;
	reply_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", buf_take(&out), len);
}

/* OpenAPI path template: the route patterns already use {name}. */
void api_openapi(struct req *r)
{
	json_t *paths = json_object();
	for (size_t i = 0; i < r->srv->nroutes; i++) {
		const struct route *rt = &r->srv->routes[i];
		char method[16];
		http_methods_format(rt->method, method, sizeof method);
		for (char *p = method; *p; p++)
			*p = (char)(*p - 'A' + 'a');
		json_t *item = json_object_get(paths, rt->pattern);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, rt->pattern, item);
		}
		json_t *op = json_pack("{s:s,s:{s:{s:s}}}", "summary", rt->summary, "responses", "default",
		                       "description", "JSON; errors as {\"error\":{code,field,message,message_en}}");
		json_t *params = json_array();
		for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
			const char *end = strchr(p, '}');
			json_array_append_new(params,
			                      json_pack("{s:s%,s:s,s:b,s:{s:s}}", "name", p + 1, (size_t)(end - p - 1),
			                                "in", "path", "required", 1, "schema", "type", "string"));
		}
		if (json_array_size(params))
			json_object_set_new(op, "parameters", params);
		else
			json_decref(params);
		if (rt->flags & RF_PUBLIC) {
			json_object_set_new(op, "security", json_array());
		} else {
			json_object_set_new(op, "x-roles", roles_to_json(rt->roles));
		}
		if (rt->flags & RF_JSON_BODY)
			json_object_set_new(op, "requestBody",
			                    json_pack("{s:b,s:{s:{s:{s:s}}}}", "required", 1, "content",
			                              "application/json", "schema", "type", "object"));
		json_object_set_new(item, method, op);
	}
	json_t *codes = json_array();
	for (int e = ZE_BAD_JSON; e < ZE__COUNT; e++)
		json_array_append_new(codes, json_pack("{s:s,s:i,s:s,s:s}", "code", zg_error_code((enum zg_error)e),
		                                       "status", zg_error_status((enum zg_error)e), "message",
		                                       zg_error_zh((enum zg_error)e), "message_en",
		                                       zg_error_en((enum zg_error)e)));
	json_t *doc = json_pack("{s:s,s:{s:s,s:s},s:o,s:{s:{s:{s:s,s:s}}},s:[{s:[]}],s:o}", "openapi", "3.0.3", "info",
	                        "title", "zonegov API", "version", ZONEGOV_VERSION, "paths", paths, "components",
	                        "securitySchemes", "bearer", "type", "http", "scheme", "bearer", "security", "bearer",
	                        "x-error-codes", codes);
	reply_json(r, 200, doc);
}
