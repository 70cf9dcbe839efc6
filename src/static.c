/*
 * static.c — serving the built web front end from the web root.
 *
 * Only GET and HEAD reach here, for paths outside /api/. A path is mapped
 * under the web root; ".." segments, hidden files and anything that resolves
 * outside the root are refused with 404. A directory serves its index.html.
 * Files are revalidated on every use (Cache-Control: no-cache with
 * Last-Modified; If-Modified-Since gets 304), so an upgrade never leaves a
 * browser running a mix of old and new modules.
 */
#include "http.h"
#include "server.h"

#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const struct {
	const char *ext, *type;
} types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".ico", "image/x-icon"},
        {".woff", "font/woff"},
        {".woff2", "font/woff2"},
        {".ttf", "font/ttf"},
        {".map", "application/json"},
        {".txt", "text/plain; charset=utf-8"},
};

static const char *content_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (dot)
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcmp(dot, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

static int safe_path(const char *url)
{
	if (url[0] != '/' || strlen(url) > 512)
		return 0;
	for (const char *p = url; *p; p++) {
		if (*p == '\\' || (unsigned char)*p < 0x20)
			return 0;
		if (p[0] == '/' && p[1] == '.')
			return 0; /* "..", hidden files */
	}
	return 1;
}

void static_serve(struct req *r)
{
	struct server *s = r->srv;
	char path[PATH_MAX], real[PATH_MAX];
	if (!s->web_root_real[0] || !safe_path(r->url)) {
		reply_error(r, ZE_NOT_FOUND, NULL, NULL, NULL);
		return;
	}
	int n = snprintf(path, sizeof path, "%s%s", s->web_root_real, r->url);
	if (n < 0 || (size_t)n >= sizeof path - 16) {
		reply_error(r, ZE_NOT_FOUND, NULL, NULL, NULL);
		return;
	}
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode) && path[n - 1] != '/') {
		/* /public → /public/, so that the page's relative links resolve. */
		char location[600];
		snprintf(location, sizeof location, "%s/", r->url);
		reply_empty(r, 301);
		reply_header(r, MHD_HTTP_HEADER_LOCATION, location);
		return;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(path + n, sizeof path - (size_t)n, "%sindex.html", path[n - 1] == '/' ? "" : "/");
	size_t rootlen = strlen(s->web_root_real);
	if (!realpath(path, real) || strncmp(real, s->web_root_real, rootlen) != 0 || real[rootlen] != '/') {
		reply_error(r, ZE_NOT_FOUND, NULL, NULL, NULL);
		return;
	}
	int fd = open(real, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		reply_error(r, ZE_NOT_FOUND, NULL, NULL, NULL);
		return;
	}
	char modified[64];
	struct tm tm;
	gmtime_r(&st.st_mtime, &tm);
	strftime(modified, sizeof modified, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	const char *since = req_header(r, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
	struct MHD_Response *resp;
	int status = 200;
	if (since && strcmp(since, modified) == 0) {
		close(fd);
		resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		status = 304;
	} else {
		resp = MHD_create_response_from_fd((size_t)st.st_size, fd);
		if (!resp)
			close(fd);
	}
	if (!resp) {
		reply_error(r, ZE_INTERNAL, NULL, NULL, NULL);
		return;
	}
	r->resp = resp;
	r->status = status;
	reply_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type(real));
	reply_header(r, MHD_HTTP_HEADER_LAST_MODIFIED, modified);
	reply_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	const char *base = strrchr(real, '/');
	if (base && strcmp(base, "/index.html") == 0) {
		reply_header(r, "X-Frame-Options", "DENY");
		/* Map tiles, when configured, are the one outside origin allowed. */
		char origin[300] = "";
		const char *t = s->cfg.map_tile_url, *scheme_end = strstr(t, "://");
		if (scheme_end) {
			const char *host = scheme_end + 3, *open = strchr(host, '{');
			size_t hostlen = strcspn(host, "/");
			if (open && open < host + hostlen && strchr(open, '}') < host + hostlen) {
				/* {s}.tiles.example → *.tiles.example */
				const char *close = strchr(open, '}');
				snprintf(origin, sizeof origin, " %.*s*%.*s", (int)(open - t), t,
				         (int)(host + hostlen - close - 1), close + 1);
			} else {
				snprintf(origin, sizeof origin, " %.*s", (int)(host - t + hostlen), t);
			}
		}
		char csp[600];
		snprintf(csp, sizeof csp,
		         "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline';"
		         " img-src 'self' data: blob:%s; connect-src 'self'; frame-ancestors 'none'",
		         origin);
		reply_header(r, "Content-Security-Policy", csp);
	}
}
