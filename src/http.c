/*
 * http.c — the HTTP server on libmicrohttpd and the one request dispatcher.
 *
 * Threading: MHD runs an epoll loop in each of `threads` pool threads; a
 * request is handled entirely on the thread that accepted its connection.
 * Handlers block (store, password hashing), so the pool is sized to the
 * cores and store connections come from a pool of the same size.
 *
 * Life of a request (MHD calls on_request several times):
 *  1. first call: allocate struct req, match the route; an announced
 *     body over the limit is refused at once only with Expect: 100-continue
 *     or past HTTP_DRAIN_MAX;
 *  2. upload calls: append the body; past the limit, read and discard it;
 *  3. last call (no more upload data): dispatch() checks route, method,
 *     session, role, body size, media type, UTF-8 and JSON — in this order —
 *     then runs the handler, then queues its answer with the common headers;
 *  4. on_completed: metrics, one access-log line, free.
 * No answer is queued on the first call of a request that may still send a
 * body (or keep-alive breaks): the answer waits for step 3.
 */
#include "http.h"
#include "jsonw.h"
#include "committer.h"
#include "log.h"
#include "photos.h"
#include "roles.h"
#include "server.h"
#include "text.h"
#include "timeutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bodies over the limit are read and discarded up to this size, so that
 * the client sees the 413; past it the connection is closed at once. */
#define HTTP_DRAIN_MAX (16ull * 1024 * 1024)

/* ---- replies ---------------------------------------------------------- */

static void set_response(struct req *r, int status, struct MHD_Response *resp)
{
	if (r->resp) {
		/* A second answer is a programmer error; keep the first. */
		log_error("request %s: handler answered twice", r->id);
		MHD_destroy_response(resp);
		return;
	}
	r->resp = resp;
	r->status = status;
}

void reply_bytes(struct req *r, int status, const char *content_type, char *body, size_t len)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return;
	}
	if (content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	set_response(r, status, resp);
}

int reply_file(struct req *r, const char *path, const char *content_type)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (!resp) {
		close(fd);
		return -1;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	set_response(r, 200, resp);
	return 0;
}

void reply_json(struct req *r, int status, json_t *body)
{
	reply_json_flags(r, status, body, 0);
}

void reply_json_flags(struct req *r, int status, json_t *body, size_t flags)
{
	size_t len = 0;
	char *text;
	if ((flags & ~(size_t)JSON_REAL_PRECISION(0x1F)) == 0) {
		text = json_text(body, (int)((flags >> 11) & 0x1F), &len);
	} else {
		text = json_dumps(body, JSON_COMPACT | flags);
		len = text ? strlen(text) : 0;
	}
	json_decref(body);
	if (!text) {
		text = strdup("{\"error\":{\"code\":\"internal_error\",\"field\":null,"
		              "\"message\":\"服务器内部错误\",\"message_en\":\"Internal server error\"}}");
		status = 500;
		if (!text)
			return;
		len = strlen(text);
	}
	reply_bytes(r, status, "application/json; charset=utf-8", text, len);
}

void reply_error(struct req *r, enum zg_error e, const char *field, const char *zh, const char *en)
{
	reply_json(r, zg_error_status(e), zg_error_json(e, field, zh, en));
}

void reply_zerr(struct req *r, const struct zerr *e)
{
	reply_error(r, e->kind, e->field, e->zh, e->en);
}

void reply_invalid_import(struct req *r, json_t *report, int problems)
{
	json_t *body = zg_error_json(ZE_INVALID_IMPORT, NULL, NULL, NULL);
	json_t *e = json_object_get(body, "error");
	if (problems >= 0)
		json_object_set_new(e, "problems", json_integer(problems));
	json_object_set_new(e, "report", report);
	reply_json(r, 422, body);
}

void reply_empty(struct req *r, int status)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (resp)
		set_response(r, status, resp);
}

void reply_header(struct req *r, const char *name, const char *value)
{
	if (r->resp)
		MHD_add_response_header(r->resp, name, value);
}

/* ---- request accessors -------------------------------------------------- */

const char *req_param(struct req *r, const char *name)
{
	const char *v = route_param(&r->match, name);
	return v ? v : "";
}

const char *req_query(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

int req_query_text_or_reply(struct req *r, const char *name, size_t maxlen, const char **out)
{
	const char *v = req_query(r, name);
	*out = NULL;
	if (!v)
		return 0;
	size_t n = strlen(v);
	if (!utf8_valid(v, n)) {
		reply_error(r, ZE_BAD_ENCODING, name, NULL, NULL);
		return -1;
	}
	if (n > maxlen) {
		reply_error(r, ZE_BAD_REQUEST, name, "查询参数过长", "query parameter too long");
		return -1;
	}
	*out = v;
	return 0;
}

int req_query_int_or_reply(struct req *r, const char *name, long def, long min, long max, long *out)
{
	const char *v = req_query(r, name);
	*out = def;
	if (!v || !*v)
		return 0;
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || *end || n < min || n > max) {
		char zh[128], en[128];
		snprintf(zh, sizeof zh, "须为 %ld 至 %ld 之间的整数", min, max);
		snprintf(en, sizeof en, "must be an integer from %ld to %ld", min, max);
		reply_error(r, ZE_BAD_REQUEST, name, zh, en);
		return -1;
	}
	*out = n;
	return 0;
}

int req_dry_run_or_reply(struct req *r, int *dry_run)
{
	const char *dry = req_query(r, "dry_run");
	*dry_run = dry && (strcmp(dry, "1") == 0 || strcmp(dry, "true") == 0);
	if (dry && !*dry_run && strcmp(dry, "0") != 0 && strcmp(dry, "false") != 0) {
		reply_error(r, ZE_BAD_REQUEST, "dry_run", "dry_run 须为 1、true、0 或 false",
		            "dry_run must be 1, true, 0 or false");
		return -1;
	}
	return 0;
}

int req_paging_or_reply(struct req *r, int *page, int *per_page)
{
	long p, pp;
	if (req_query_int_or_reply(r, "page", 1, 1, 1000000, &p) ||
	    req_query_int_or_reply(r, "per_page", 20, 1, 100, &pp))
		return -1;
	*page = (int)p;
	*per_page = (int)pp;
	return 0;
}

int req_param_id_or_reply(struct req *r, const char *name, int64_t *out)
{
	const char *v = req_param(r, name);
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (errno || *end || n <= 0 || !*v) {
		reply_error(r, ZE_NOT_FOUND, NULL, NULL, NULL);
		return -1;
	}
	*out = n;
	return 0;
}

/* ---- dispatch ----------------------------------------------------------- */

/* Finds the session token: Authorization: Bearer X, else the cookie. */
static const char *find_token(struct req *r)
{
	const char *h = req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
	if (h && strncasecmp(h, "Bearer ", 7) == 0)
		return h + 7;
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "zonegov_session");
}

static int authenticate(struct req *r)
{
	const char *token = find_token(r);
	if (!token || strlen(token) >= sizeof r->token)
		return 1;
	if (strlen(token) != AUTH_TOKEN_LEN)
		return 1;
	char hash[65];
	int64_t now = time_now_ms(), expires_at;
	auth_token_hash(token, hash);
	int rc = 0;
	if (!session_cache_get(&r->srv->sessions, hash, now, &r->user, r->me)) {
		uint64_t gen = session_cache_generation(&r->srv->sessions);
		rc = auth_session_check(r->db, hash, now, &r->user, &expires_at);
		if (rc == 0) {
			session_cache_put(&r->srv->sessions, hash, &r->user, expires_at, now, gen);
			r->me[0] = '\0';
		}
	}
	if (rc == 0) {
		r->authed = 1;
		snprintf(r->token, sizeof r->token, "%s", token);
	}
	return rc;
}

static int is_json_type(const char *ct)
{
	if (!ct)
		return 0;
	while (*ct == ' ')
		ct++;
	size_t n = strlen("application/json");
	return strncasecmp(ct, "application/json", n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Body checks of RF_JSON_BODY routes; replies and returns -1 on failure. */
static int parse_body_or_reply(struct req *r)
{
	if (!is_json_type(req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE))) {
		reply_error(r, ZE_UNSUPPORTED_MEDIA_TYPE, NULL, NULL, NULL);
		return -1;
	}
	if (r->body.err) {
		reply_error(r, ZE_INTERNAL, NULL, NULL, NULL);
		return -1;
	}
	if (!utf8_valid(buf_cstr(&r->body), r->body.len)) {
		reply_error(r, ZE_BAD_ENCODING, NULL, NULL, NULL);
		return -1;
	}
	json_error_t jerr;
	r->json = json_loadb(buf_cstr(&r->body), r->body.len, JSON_REJECT_DUPLICATES, &jerr);
	if (!r->json || !json_is_object(r->json)) {
		char zh[300], en[300];
		if (r->json) {
			snprintf(zh, sizeof zh, "请求体须为 JSON 对象");
			snprintf(en, sizeof en, "request body must be a JSON object");
		} else {
			snprintf(zh, sizeof zh, "JSON 格式错误(第 %d 行第 %d 列):%s", jerr.line, jerr.column,
			         jerr.text);
			snprintf(en, sizeof en, "malformed JSON at line %d column %d: %s", jerr.line, jerr.column,
			         jerr.text);
		}
		reply_error(r, ZE_BAD_JSON, NULL, zh, en);
		return -1;
	}
	return 0;
}

static void dispatch(struct req *r)
{
	struct server *s = r->srv;
	if (r->body_too_large) {
		reply_error(r, ZE_PAYLOAD_TOO_LARGE, NULL, NULL, NULL);
		return;
	}
	if (!r->route) {
		int is_api = strncmp(r->url, "/api/", 5) == 0 || strcmp(r->url, "/api") == 0;
		if (r->match.allowed) {
			char allow[96];
			http_methods_format(r->match.allowed, allow, sizeof allow);
			reply_error(r, ZE_METHOD_NOT_ALLOWED, NULL, NULL, NULL);
			reply_header(r, MHD_HTTP_HEADER_ALLOW, allow);
		} else if (!is_api && (r->method & (HM_GET | HM_HEAD))) {
			r->metrics_row = METRICS_ROW_STATIC;
			static_serve(r);
		} else if (!is_api) {
			reply_error(r, ZE_METHOD_NOT_ALLOWED, NULL, NULL, NULL);
			reply_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		} else {
			reply_error(r, ZE_NOT_FOUND, NULL, NULL, NULL);
		}
		return;
	}

	r->db = dbpool_acquire(&s->pool);
	uint64_t errors_before = r->db->errors;
	if (!(r->route->flags & RF_PUBLIC) || find_token(r)) {
		int rc = authenticate(r);
		if (rc < 0) {
			reply_error(r, ZE_STORE, NULL, NULL, NULL);
			goto out;
		}
		if (!(r->route->flags & RF_PUBLIC)) {
			if (rc != 0) {
				reply_error(r, ZE_UNAUTHENTICATED, NULL, NULL, NULL);
				goto out;
			}
			if (!(r->user.roles & r->route->roles)) {
				reply_error(r, ZE_FORBIDDEN, NULL, NULL, NULL);
				goto out;
			}
		}
	}
	if ((r->route->flags & RF_JSON_BODY) && parse_body_or_reply(r))
		goto out;
	r->route->handler(r);
	if (!r->resp && !r->deferred) {
		log_error("request %s: %s %s: handler gave no answer", r->id, r->method_name, r->url);
		reply_error(r, ZE_INTERNAL, NULL, NULL, NULL);
	}
out:
	if (r->db->errors > errors_before)
		metrics_store_error(&s->metrics, r->db->errors - errors_before);
	dbpool_put(&s->pool, r->db);
	r->db = NULL;
}

static enum MHD_Result queue(struct req *r)
{
	if (!r->resp)
		reply_error(r, ZE_INTERNAL, NULL, NULL, NULL);
	if (!r->resp)
		return MHD_NO;
	MHD_add_response_header(r->resp, "X-Request-Id", r->id);
	MHD_add_response_header(r->resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r->resp, "Referrer-Policy", "same-origin");
	if (r->metrics_row != METRICS_ROW_STATIC) {
		MHD_add_response_header(r->resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	}
	enum MHD_Result rc = MHD_queue_response(r->conn, (unsigned)r->status, r->resp);
	MHD_destroy_response(r->resp);
	r->resp = NULL;
	r->queued = 1;
	return rc;
}

/* ---- MHD callbacks ------------------------------------------------------ */

static int sane_request_id(const char *v)
{
	size_t n = strlen(v);
	if (n == 0 || n > 36)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(v[i] == '-' || v[i] == '_' || (v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'z') ||
		      (v[i] >= 'A' && v[i] <= 'Z')))
			return 0;
	return 1;
}

static struct req *req_new(struct server *s, struct MHD_Connection *c, const char *url, const char *method)
{
	struct req *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->srv = s;
	r->conn = c;
	r->url = url;
	r->method_name = method;
	r->method = http_method_parse(method);
	r->start_ns = time_mono_ns();
	const char *given = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Request-Id");
	if (given && sane_request_id(given))
		snprintf(r->id, sizeof r->id, "%s", given);
	else
		snprintf(r->id, sizeof r->id, "%08x-%010llx", s->instance,
		         (unsigned long long)__atomic_add_fetch(&s->next_request, 1, __ATOMIC_RELAXED));
	enum router_result rr = router_match(s->routes, s->nroutes, r->method, url, &r->match);
	if (rr == ROUTER_FOUND) {
		r->route = &s->routes[r->match.index];
		r->metrics_row = r->match.index;
	} else {
		r->metrics_row = METRICS_ROW_UNMATCHED;
	}
	r->body_limit = !r->route                           ? s->cfg.body_limit
	                : (r->route->flags & RF_LARGE_BODY) ? s->cfg.import_limit
	                : (r->route->flags & RF_PHOTO_BODY) ? PHOTO_MAX_BYTES
	                                                    : s->cfg.body_limit;
	buf_init(&r->body, (size_t)r->body_limit);
	__atomic_add_fetch(&s->inflight, 1, __ATOMIC_SEQ_CST);
	return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
	(void)version;
	struct server *s = cls;
	struct req *r = *con_cls;
	if (!r) {
		r = req_new(s, c, url, method);
		if (!r)
			return MHD_NO;
		*con_cls = r;
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		unsigned long long announced = cl ? strtoull(cl, NULL, 10) : 0;
		if (announced > (unsigned long long)r->body_limit) {
			r->body_too_large = 1;
			/* A client that waits for 100 Continue, or a body too big to be
			 * worth reading, is refused at once (MHD then closes). Others
			 * are read to the end and discarded: closing while the client is
			 * still sending makes the kernel reset the connection, and the
			 * client may never see the 413. */
			const char *expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
			if ((expect && strcasecmp(expect, "100-continue") == 0) || announced > HTTP_DRAIN_MAX) {
				dispatch(r);
				return queue(r);
			}
		}
		return MHD_YES;
	}
	if (r->deferred) {
		/* Resumed by the committer: answer now. */
		if (!__atomic_load_n(&r->job_done, __ATOMIC_ACQUIRE))
			return MHD_YES;
		r->deferred = 0;
		r->db = dbpool_acquire(&s->pool);
		r->finish(r);
		dbpool_put(&s->pool, r->db);
		r->db = NULL;
		return queue(r);
	}
	if (r->queued) {
		*upload_data_size = 0; /* discard the rest of a refused body */
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!r->body_too_large && buf_append(&r->body, upload_data, *upload_data_size) == BUF_TOO_LONG)
			r->body_too_large = 1;
		r->body_seen += *upload_data_size;
		*upload_data_size = 0;
		if (r->body_too_large && r->body_seen > HTTP_DRAIN_MAX) {
			dispatch(r);
			return queue(r);
		}
		return MHD_YES;
	}
	dispatch(r);
	if (r->deferred) {
		/* Suspend first: the committer may resume as soon as it has the job. */
		MHD_suspend_connection(c);
		committer_submit(&s->committer, r->job);
		return MHD_YES;
	}
	return queue(r);
}

void req_defer(struct req *r, struct commit_job *job, void (*finish)(struct req *r))
{
	r->job = job;
	r->finish = finish;
	r->deferred = 1;
}

void req_resume(struct req *r)
{
	__atomic_store_n(&r->job_done, 1, __ATOMIC_RELEASE);
	MHD_resume_connection(r->conn);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)c;
	struct server *s = cls;
	struct req *r = *con_cls;
	if (!r)
		return;
	int64_t dur = time_mono_ns() - r->start_ns;
	int status = r->queued ? r->status : 499; /* 499: the client went away first */
	metrics_observe(&s->metrics, r->metrics_row, status, dur);
	if (s->cfg.access_log)
		log_info("access id=%s method=%s path=%s status=%d dur_ms=%.3f user=%s%s", r->id, r->method_name,
		         r->url, status, (double)dur / 1e6, r->authed ? r->user.username : "-",
		         toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
	if (r->resp)
		MHD_destroy_response(r->resp);
	json_decref(r->json);
	buf_release(&r->body);
	free(r);
	*con_cls = NULL;
	__atomic_sub_fetch(&s->inflight, 1, __ATOMIC_SEQ_CST);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	log_warn("http: %s", msg);
}

/* Resolves HOST:PORT (or [v6]:PORT) into addr. */
static int parse_listen(const char *listen, struct sockaddr_storage *addr, struct buf *err)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	if (!colon || (size_t)(colon - listen) >= sizeof host) {
		buf_printf(err, "listen: expected HOST:PORT, got '%s'", listen);
		return -1;
	}
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *h = host;
	if (*h == '[' && h[strlen(h) - 1] == ']') {
		h[strlen(h) - 1] = '\0';
		h++;
	}
	struct addrinfo hints = {0}, *res = NULL;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	int rc = getaddrinfo(h, colon + 1, &hints, &res);
	if (rc != 0 || !res) {
		buf_printf(err, "listen: cannot resolve '%s': %s", listen, gai_strerror(rc));
		return -1;
	}
	memcpy(addr, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return 0;
}

int http_start(struct server *s, struct buf *err)
{
	struct sockaddr_storage addr;
	if (parse_listen(s->cfg.listen, &addr, err))
		return -1;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_USE_TURBO |
	                 MHD_ALLOW_SUSPEND_RESUME;
	if (addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
	                          MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
	                          (unsigned)s->threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	                          MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_CONNECTION_LIMIT, 4096u,
	                          MHD_OPTION_PER_IP_CONNECTION_LIMIT, 0u, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	                          (size_t)16 * 1024, MHD_OPTION_END);
	if (!s->mhd) {
		buf_printf(err, "cannot listen on %s (address in use, or not allowed)", s->cfg.listen);
		return -1;
	}
	return 0;
}

void http_stop(struct server *s, int grace_ms)
{
	if (!s->mhd)
		return;
	MHD_socket fd = MHD_quiesce_daemon(s->mhd);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	/* In-flight requests finish; idle keep-alive connections do not count. */
	for (int waited = 0; waited < grace_ms && __atomic_load_n(&s->inflight, __ATOMIC_SEQ_CST) > 0; waited += 10)
		usleep(10000);
	MHD_stop_daemon(s->mhd);
	s->mhd = NULL;
}
