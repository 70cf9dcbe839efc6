/*
 * http.h — what a handler sees of a request and how it answers.
 *
 * The dispatcher (http.c) has already matched the route, authenticated the
 * caller, checked the role, limited the body and parsed JSON when the route
 * asks for it. A handler reads r->user, r->json, route parameters and query
 * arguments, and answers exactly once with one of the reply_* functions.
 * Functions named ..._or_reply answer with an error themselves when they
 * fail, and the handler then just returns.
 */
#ifndef ZG_HTTP_H
#define ZG_HTTP_H

#include "buf.h"
#include "errors.h"
#include "router.h"
#include "users.h"

#include <jansson.h>
#include <stdint.h>

struct server;
struct db;
struct commit_job;
struct MHD_Connection;
struct MHD_Response;

struct req {
	struct server *srv;
	struct MHD_Connection *conn;
	const char *url; /* path without the query, borrowed from MHD */
	const char *method_name;
	unsigned method;
	int64_t start_ns;
	char id[40];     /* request id, echoed as X-Request-Id */
	long body_limit; /* this route's limit: cfg.body_limit or cfg.import_limit */
	struct buf body; /* request body, at most body_limit */
	int body_too_large;
	unsigned long long body_seen; /* bytes of body received, kept or not */
	struct route_match match;
	const struct route *route; /* NULL when no route matched */
	int metrics_row;
	struct db *db; /* store connection while the handler runs */
	int authed;
	struct user user;              /* the caller when authed */
	char token[64];                /* the caller's session token when authed */
	char me[1024];                 /* rendered GET /me body from the session cache, "" when not cached */
	json_t *json;                  /* parsed body for RF_JSON_BODY routes */
	struct MHD_Response *resp;     /* the answer, queued by the dispatcher */
	struct commit_job *job;        /* a write handed to the group committer (req_defer) */
	void (*finish)(struct req *r); /* answers once the job's batch is done */
	int deferred;                  /* 1 from req_defer until finish has run */
	int job_done;                  /* atomic: set by req_resume */
	int status;
	int queued;
};

/* Answers with JSON; consumes body. */
void reply_json(struct req *r, int status, json_t *body);
/* The same with jansson dump flags (e.g. JSON_REAL_PRECISION(10) for map data). */
void reply_json_flags(struct req *r, int status, json_t *body, size_t flags);
/* Answers {"error":...}; NULL messages take the defaults of the error table. */
void reply_error(struct req *r, enum zg_error e, const char *field, const char *zh, const char *en);
void reply_zerr(struct req *r, const struct zerr *e);
/* 422 invalid_import with error.report (consumed) and, when problems >= 0,
 * error.problems: an import refused, nothing written. */
void reply_invalid_import(struct req *r, json_t *report, int problems);
/* Answers with a body of the given type; consumes body (malloc'd). */
void reply_bytes(struct req *r, int status, const char *content_type, char *body, size_t len);
void reply_empty(struct req *r, int status);
/* Answers 200 with the file at path; returns -1 (nothing answered) when it cannot be opened. */
int reply_file(struct req *r, const char *path, const char *content_type);
/* Adds a header to the answer; call after reply_*. */
void reply_header(struct req *r, const char *name, const char *value);

/* Route parameter by name (never NULL for names in the pattern). */
const char *req_param(struct req *r, const char *name);
/* Query argument, or NULL. Not yet checked for UTF-8: use req_query_text_or_reply. */
const char *req_query(struct req *r, const char *name);
/* Query text up to maxlen bytes of valid UTF-8; *out NULL when absent. Returns 0 or -1 (replied). */
int req_query_text_or_reply(struct req *r, const char *name, size_t maxlen, const char **out);
/* Query integer in [min,max], def when absent. Returns 0 or -1 (replied 400). */
int req_query_int_or_reply(struct req *r, const char *name, long def, long min, long max, long *out);
/* page (≥1) and per_page (1..100, default 20). Returns 0 or -1 (replied). */
int req_paging_or_reply(struct req *r, int *page, int *per_page);
/* Positive integer id from a route parameter; 404 when it is not one. */
int req_param_id_or_reply(struct req *r, const char *name, int64_t *out);
/* ?dry_run=1|true|0|false of an import into *dry_run (0 when absent); anything
 * else is 400, so that a typo never turns a check into a real import.
 * Returns 0 or -1 (replied). */
int req_dry_run_or_reply(struct req *r, int *dry_run);

/*
 * Group commit (committer.h): instead of answering, a handler may hand a
 * write to the committer. The connection is suspended; once the job's batch
 * is on disk (or failed), the job's done() calls req_resume(r), and then
 * finish(r) runs on an HTTP worker with r->db set, and answers. The request
 * (and everything it borrows: r->json, headers) stays alive until then.
 */
void req_defer(struct req *r, struct commit_job *job, void (*finish)(struct req *r));
void req_resume(struct req *r);

/* Value of a request header, or NULL. */
const char *req_header(struct req *r, const char *name);

/* Serves a file of the web root for GET/HEAD (static.c). */
void static_serve(struct req *r);

/* HTTP side of server_start/stop (http.c). */
int http_start(struct server *s, struct buf *err);
void http_stop(struct server *s, int grace_ms);

#endif
