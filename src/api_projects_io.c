/*
 * api_projects_io.c — the ledger's export (.xlsx, CSV, OC4IDS) and import
 * over HTTP (docs/PROJECTS.md, "Excel"). Any staff member may export; import
 * is for those who may change the ledger (route table).
 */
#include "api.h"
#include "http.h"
#include "projects_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The ledger views' filters (api_projects.c): year (default this year), month, level, batch,
 * industry, leader, department, stage, q. */
static int filter_or_reply(struct req *r, struct project_filter *f)
{
	return api_projects_filter_or_reply(r, f);
}

/* Content-Disposition with an ASCII name and the Chinese one (RFC 6266 filename*). */
static void disposition(struct req *r, const struct project_filter *f, const char *ext)
{
	char zh[128], enc[512], value[768];
	snprintf(zh, sizeof zh, "重点项目台账-%d年%d月.%s", f->year, f->month, ext);
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)zh; *p && n + 4 < sizeof enc; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		    *p == '.' || *p == '_')
			enc[n++] = (char)*p;
		else
			n += (size_t)snprintf(enc + n, sizeof enc - n, "%%%02X", *p);
	}
	enc[n] = '\0';
	snprintf(value, sizeof value, "attachment; filename=\"projects-%d-%02d.%s\"; filename*=UTF-8''%s", f->year,
	         f->month, ext, enc);
	reply_header(r, "Content-Disposition", value);
}

/* A spreadsheet export: the file made by make(), with its type and name. */
static void export_reply(struct req *r,
                         int (*make)(struct db *, const struct project_filter *, char **, size_t *, struct zerr *),
                         const char *type, const char *ext)
{
	struct project_filter f;
	if (filter_or_reply(r, &f))
		return;
	struct zerr err;
	zerr_clear(&err);
	char *out;
	size_t len;
	if (make(r->db, &f, &out, &len, &err)) {
		reply_zerr(r, &err);
		return;
	}
	reply_bytes(r, 200, type, out, len);
	disposition(r, &f, ext);
}

void api_projects_export_xlsx(struct req *r)
{
	export_reply(r, projects_export_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	             "xlsx");
}

void api_projects_export_csv(struct req *r)
{
	export_reply(r, projects_export_csv, "text/csv; charset=utf-8", "csv");
}

void api_projects_export_oc4ids(struct req *r)
{
	struct project_filter f;
	if (filter_or_reply(r, &f))
		return;
	struct zerr err;
	zerr_clear(&err);
	json_t *pkg = projects_export_oc4ids(r->db, &f, &err);
	if (!pkg) {
		reply_zerr(r, &err);
		return;
	}
	reply_json(r, 200, pkg);
	disposition(r, &f, "oc4ids.json");
}

static int starts_with_ci(const char *s, const char *prefix)
{
	while (s && *s == ' ')
		s++;
	return s && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

void api_projects_import(struct req *r)
{
	const char *ct = req_header(r, "Content-Type");
	int dry_run;
	if (req_dry_run_or_reply(r, &dry_run))
		return;
	int is_zip = r->body.len >= 4 && memcmp(r->body.data, "PK\x03\x04", 4) == 0;
	struct sheet s;
	struct zerr err;
	zerr_clear(&err);
	int rc;
	if (is_zip && !starts_with_ci(ct, "text/"))
		rc = sheet_read_xlsx(r->body.data, r->body.len, &s, &err);
	else if (starts_with_ci(ct, "text/csv"))
		rc = sheet_read_csv(r->body.data ? r->body.data : "", r->body.len, &s, &err);
	else {
		reply_error(r, ZE_UNSUPPORTED_MEDIA_TYPE, NULL, "请求体须为 .xlsx 文件或 text/csv(UTF-8)",
		            "Request body must be an .xlsx file or text/csv (UTF-8)");
		return;
	}
	if (rc) {
		reply_zerr(r, &err);
		return;
	}
	struct projects_import_result res;
	rc = projects_import(r->db, &s, dry_run, &res, &err);
	sheet_release(&s);
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
	reply_json(r, 200,
	           json_pack("{s:b,s:i,s:i,s:i}", "dry_run", dry_run, "rows", res.rows, "added", res.added, "updated",
	                     res.updated));
}
