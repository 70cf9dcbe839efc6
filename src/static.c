/*
 * static.c — serving the built web front end from the web root.
 *
 * Only GET and HEAD reach here, for paths outside /api/. A path is mapped
 * under the web root; ".." segments, hidden files and anything that resolves
 * outside the root are refused with 404. A directory serves its index.html.
 * index.html is never cached (it names the current assets); other files may
 * be cached for an hour.
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
	struct MHD_Response *resp = MHD_create_response_from_fd((size_t)st.st_size, fd);
	if (!resp) {
		close(fd);
		reply_error(r, ZE_INTERNAL, NULL, NULL, NULL);
		return;
	}
	r->resp = resp;
	r->status = 200;
	reply_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type(real));
	int is_index = strstr(real + rootlen, "index.html") != NULL;
	reply_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, is_index ? "no-cache" : "public, max-age=3600");
	if (is_index) {
		reply_header(r, "X-Frame-Options", "DENY");
		reply_header(r, "Content-Security-Policy",
		             "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline';"
		             " img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'");
	}
}
