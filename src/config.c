/*
 * config.c — configuration keys, defaults and the three loaders; see config.h.
 *
 * One table lists every key with its type, bounds and help text; config_set
 * is the only writer of struct config.
 */
#include "config.h"
#include "buf.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum kind { K_STR, K_INT, K_BOOL, K_ENUM };

struct key {
	const char *name;
	enum kind kind;
	size_t offset;
	size_t size;       /* for strings: buffer size */
	long min, max;     /* for ints: bounds; for strings: min = least length */
	const char *enums; /* for enums: "a|b|c" */
	const char *def;   /* default shown in help */
	const char *help;
};

#define OFF(f) offsetof(struct config, f)
#define SZ(f) sizeof(((struct config *)0)->f)

static const struct key keys[] = {
        {"db", K_STR, OFF(db), SZ(db), 1, 0, NULL, "./zonegov.db", "SQLite store file"},
        {"listen", K_STR, OFF(listen), SZ(listen), 1, 0, NULL, "127.0.0.1:8080",
         "address and port to serve on (HOST:PORT)"},
        {"web_root", K_STR, OFF(web_root), SZ(web_root), 1, 0, NULL, "<binary dir>/web",
         "folder of the built web front end"},
        {"holidays_dir", K_STR, OFF(holidays_dir), SZ(holidays_dir), 1, 0, NULL, "<binary dir>/data/holidays",
         "folder of the official holiday calendars (YYYY.json, holiday-cn format)"},
        {"threads", K_INT, OFF(threads), 0, 0, 256, NULL, "0", "HTTP worker threads (0 = one per core)"},
        {"body_limit", K_INT, OFF(body_limit), 0, 1024, 64L * 1024 * 1024, NULL, "1048576",
         "largest request body in bytes"},
        {"import_limit", K_INT, OFF(import_limit), 0, 1024, 1024L * 1024 * 1024, NULL, "67108864",
         "largest import file (GeoJSON, spreadsheets) in bytes"},
        {"session_ttl", K_INT, OFF(session_ttl), 0, 1, 30L * 86400, NULL, "43200", "session lifetime in seconds"},
        {"login_max_failures", K_INT, OFF(login_max_failures), 0, 1, 1000, NULL, "5",
         "failed logins of one user name before back-off"},
        {"login_backoff", K_INT, OFF(login_backoff), 0, 1, 86400, NULL, "30",
         "first back-off in seconds; doubles with each further failure, at most 15 min"},
        {"synchronous", K_ENUM, OFF(synchronous), SZ(synchronous), 0, 0, "full|normal", "full",
         "SQLite synchronous mode (full: every commit is on disk)"},
        {"busy_timeout_ms", K_INT, OFF(busy_timeout_ms), 0, 0, 600000, NULL, "5000",
         "how long a writer waits for the store lock"},
        {"access_log", K_BOOL, OFF(access_log), 0, 0, 0, NULL, "on", "one log line per request (on|off)"},
        {"log_level", K_ENUM, OFF(log_level), SZ(log_level), 0, 0, "debug|info|warn|error", "info",
         "least severe level logged"},
        {"map_tile_url", K_STR, OFF(map_tile_url), SZ(map_tile_url), 0, 0, NULL, "(none)",
         "map tiles, e.g. https://tiles.example/{z}/{x}/{y}.png; none: plain background, works offline"},
        {"map_tile_attribution", K_STR, OFF(map_tile_attribution), SZ(map_tile_attribution), 0, 0, NULL, "(none)",
         "attribution shown under the map tiles"},
        {"overdue_scan", K_INT, OFF(overdue_scan), 0, 0, 86400, NULL, "60",
         "seconds between scans for overdue cases (0: no scans; `zonegov cases scan` runs one)"},
        {"media_dir", K_STR, OFF(media_dir), SZ(media_dir), 0, 0, NULL, "<db>.media",
         "folder of uploaded photos (content-addressed); empty: beside the store"},
        {"cookie_secure", K_BOOL, OFF(cookie_secure), 0, 0, 0, NULL, "off",
         "mark the session cookie Secure (serve behind TLS)"},
};

static const struct key *find_key(const char *name)
{
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

void config_defaults(struct config *c, const char *argv0)
{
	memset(c, 0, sizeof *c);
	snprintf(c->db, sizeof c->db, "./zonegov.db");
	snprintf(c->listen, sizeof c->listen, "127.0.0.1:8080");
	c->threads = 0;
	c->body_limit = 1048576;
	c->import_limit = 64L * 1024 * 1024;
	c->session_ttl = 43200;
	c->login_max_failures = 5;
	c->login_backoff = 30;
	snprintf(c->synchronous, sizeof c->synchronous, "full");
	c->busy_timeout_ms = 5000;
	c->access_log = 1;
	snprintf(c->log_level, sizeof c->log_level, "info");
	c->cookie_secure = 0;
	c->overdue_scan = 60;

	/* Default web root and holidays folder: "web" and "data/holidays" beside the
	 * executable (build/web, build/data/holidays). */
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0 && argv0) {
		snprintf(exe, sizeof exe, "%s", argv0);
		n = (ssize_t)strlen(exe);
	}
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(c->web_root, sizeof c->web_root, "%.*s/web", (int)(sizeof c->web_root - 5), exe);
			snprintf(c->holidays_dir, sizeof c->holidays_dir, "%.*s/data/holidays",
			         (int)(sizeof c->holidays_dir - 15), exe);
			return;
		}
	}
	snprintf(c->web_root, sizeof c->web_root, "web");
	snprintf(c->holidays_dir, sizeof c->holidays_dir, "data/holidays");
}

static int parse_bool(const char *v, int *out)
{
	static const char *yes[] = {"1", "on", "true", "yes"}, *no[] = {"0", "off", "false", "no"};
	for (int i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return *out = 1, 0;
		if (strcasecmp(v, no[i]) == 0)
			return *out = 0, 0;
	}
	return -1;
}

static int enum_has(const char *list, const char *v)
{
	size_t n = strlen(v);
	const char *p = list;
	while (*p) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && strncmp(p, v, n) == 0)
			return 1;
		if (!bar)
			break;
		p = bar + 1;
	}
	return 0;
}

int config_set(struct config *c, const char *key, const char *value, struct buf *err)
{
	const struct key *k = find_key(key);
	if (!k) {
		buf_printf(err, "unknown configuration key '%s'", key);
		return -1;
	}
	char *field = (char *)c + k->offset;
	switch (k->kind) {
	case K_STR:
		if (strlen(value) < (size_t)k->min || strlen(value) >= k->size) {
			buf_printf(err, "%s: value must be %ld to %zu characters", key, k->min, k->size - 1);
			return -1;
		}
		if (strcmp(key, "map_tile_url") == 0 && *value &&
		    (strncmp(value, "https://", 8) != 0 && strncmp(value, "http://", 7) != 0)) {
			buf_printf(err, "map_tile_url: expected an http(s) URL template, got '%s'", value);
			return -1;
		}
		if (strcmp(key, "listen") == 0) {
			const char *colon = strrchr(value, ':');
			char *end;
			long port = colon ? strtol(colon + 1, &end, 10) : -1;
			if (!colon || colon == value || !colon[1] || *end || port < 1 || port > 65535) {
				buf_printf(err, "listen: expected HOST:PORT with a port 1-65535, got '%s'", value);
				return -1;
			}
		}
		memcpy(field, value, strlen(value) + 1);
		return 0;
	case K_INT: {
		errno = 0;
		char *end;
		long v = strtol(value, &end, 10);
		if (errno || end == value || *end || v < k->min || v > k->max) {
			buf_printf(err, "%s: expected an integer from %ld to %ld, got '%s'", key, k->min, k->max,
			           value);
			return -1;
		}
		if (k->offset == OFF(body_limit) || k->offset == OFF(import_limit))
			*(long *)field = v;
		else
			*(int *)field = (int)v;
		return 0;
	}
	case K_BOOL: {
		int b;
		if (parse_bool(value, &b)) {
			buf_printf(err, "%s: expected on or off, got '%s'", key, value);
			return -1;
		}
		*(int *)field = b;
		return 0;
	}
	case K_ENUM:
		if (!enum_has(k->enums, value)) {
			buf_printf(err, "%s: expected one of %s, got '%s'", key, k->enums, value);
			return -1;
		}
		memcpy(field, value, strlen(value) + 1);
		return 0;
	}
	return -1;
}

struct file_ctx {
	struct config *c;
	struct buf *why; /* reason of the first bad line */
	int failed;
	FILE *f;
	int lineno;      /* lines read so far, counted as libinih counts them */
	int failed_line; /* line of the first refused key */
};

/* libinih reader: fgets that counts lines, so that a refused key's reason is
 * reported only when its line is the first bad line (libinih goes on after
 * a malformed line and returns the number of the first one). */
static char *read_line(char *str, int num, void *stream)
{
	struct file_ctx *fc = stream;
	char *s = fgets(str, num, fc->f);
	if (s)
		fc->lineno++;
	return s;
}

/* libinih calls this per key; returning 0 marks the line as bad, and
 * ini_parse_stream then returns the number of the first bad line. */
static int on_ini(void *user, const char *section, const char *name, const char *value)
{
	struct file_ctx *fc = user;
	if (fc->failed)
		return 1;
	if (section && *section) {
		buf_printf(fc->why, "sections are not used; remove [%s]", section);
		fc->failed = 1;
		fc->failed_line = fc->lineno;
		return 0;
	}
	if (config_set(fc->c, name, value ? value : "", fc->why)) {
		fc->failed = 1;
		fc->failed_line = fc->lineno;
		return 0;
	}
	return 1;
}

int config_load_file(struct config *c, const char *path, struct buf *err)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		buf_printf(err, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	struct config copy = *c;
	struct buf why;
	buf_init(&why, 512);
	struct file_ctx fc = {&copy, &why, 0, f, 0, 0};
	int line = ini_parse_stream(read_line, &fc, on_ini, &fc);
	fclose(f);
	if (line != 0) {
		int ours = fc.failed && fc.failed_line == line;
		buf_printf(err, "%s:%d: %s", path, line, ours ? buf_cstr(&why) : "expected 'key = value'");
		buf_release(&why);
		return -1;
	}
	buf_release(&why);
	*c = copy;
	return 0;
}

int config_load_env(struct config *c, char **envp, struct buf *err)
{
	static const char prefix[] = "ZONEGOV_";
	struct config copy = *c;
	for (char **e = envp; e && *e; e++) {
		if (strncmp(*e, prefix, sizeof prefix - 1) != 0)
			continue;
		const char *eq = strchr(*e, '=');
		if (!eq)
			continue;
		char key[64];
		size_t klen = (size_t)(eq - *e) - (sizeof prefix - 1);
		if (klen == 0 || klen >= sizeof key)
			continue;
		for (size_t i = 0; i < klen; i++)
			key[i] = (char)tolower((unsigned char)(*e)[sizeof prefix - 1 + i]);
		key[klen] = '\0';
		if (!find_key(key))
			continue; /* ZONEGOV_BIN and the like belong to other tools */
		struct buf why;
		buf_init(&why, 512);
		if (config_set(&copy, key, eq + 1, &why)) {
			buf_printf(err, "%.*s: %s", (int)(eq - *e), *e, buf_cstr(&why));
			buf_release(&why);
			return -1;
		}
		buf_release(&why);
	}
	*c = copy;
	return 0;
}

void config_print_reference(void)
{
	printf("Configuration keys (file: key = value; environment: ZONEGOV_KEY; flag: --key value):\n");
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		printf("  %-20s default %-18s %s\n", keys[i].name, keys[i].def, keys[i].help);
}
