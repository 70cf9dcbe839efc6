/*
 * router.h — matching a method and path against the route table.
 *
 * A pattern is a path of segments, each literal or a parameter `{name}`
 * that matches one non-empty segment ("/api/v1/users/{id}"). Matching is
 * exact (no trailing-slash folding). When a path matches some pattern but
 * not with this method, the result is ROUTER_METHOD_NOT_ALLOWED with the
 * mask of methods that would match, for the Allow header.
 *
 * The router only matches. The dispatcher (http.c) then checks
 * authentication, roles, body size and JSON — once, for every route.
 */
#ifndef ZG_ROUTER_H
#define ZG_ROUTER_H

#include <stddef.h>

struct req;

enum http_method {
	HM_GET = 1 << 0,
	HM_HEAD = 1 << 1,
	HM_POST = 1 << 2,
	HM_PUT = 1 << 3,
	HM_PATCH = 1 << 4,
	HM_DELETE = 1 << 5,
	HM_OPTIONS = 1 << 6,
};

enum route_flags {
	RF_PUBLIC = 1 << 0,     /* no session needed; roles ignored */
	RF_JSON_BODY = 1 << 1,  /* body must be a JSON object; parsed before the handler */
	RF_LARGE_BODY = 1 << 2, /* body up to cfg.import_limit instead of cfg.body_limit (imports) */
	RF_PHOTO_BODY = 1 << 3, /* body up to PHOTO_MAX_BYTES (photos.h): one image */
};

typedef void (*route_handler)(struct req *r);

struct route {
	unsigned method; /* one enum http_method */
	const char *pattern;
	route_handler handler;
	unsigned roles; /* mask of enum role allowed (ignored with RF_PUBLIC) */
	unsigned flags;
	const char *summary; /* one line, for the OpenAPI document */
};

#define ROUTER_MAX_PARAMS 4
#define ROUTER_PARAM_LEN 128

struct route_match {
	int index;        /* into the table, or -1 */
	unsigned allowed; /* on ROUTER_METHOD_NOT_ALLOWED: methods that match */
	int nparams;
	const char *names[ROUTER_MAX_PARAMS]; /* borrowed from the pattern, not NUL-ended at '}' */
	size_t name_lens[ROUTER_MAX_PARAMS];
	char values[ROUTER_MAX_PARAMS][ROUTER_PARAM_LEN];
};

enum router_result { ROUTER_FOUND = 0, ROUTER_NOT_FOUND = 1, ROUTER_METHOD_NOT_ALLOWED = 2 };

/* Method bit for a method name, 0 if unknown. */
unsigned http_method_parse(const char *name);
/* Writes "GET, HEAD, POST" for a mask into out. */
void http_methods_format(unsigned mask, char *out, size_t outlen);

enum router_result router_match(const struct route *table, size_t n, unsigned method, const char *path,
                                struct route_match *m);
/* Value of a named parameter of the match, or NULL. */
const char *route_param(const struct route_match *m, const char *name);

#endif
