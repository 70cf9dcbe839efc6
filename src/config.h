/*
 * config.h — the server's configuration and where it comes from.
 *
 * Precedence, lowest to highest: built-in defaults, the config file
 * (`key = value` lines, read with libinih; `#`/`;` comments), ZONEGOV_<KEY>
 * environment variables (key upper-cased, e.g. ZONEGOV_SESSION_TTL), and
 * command-line flags (--key value, '_' written as '-'). All four paths go
 * through config_set(), so a key means the same thing everywhere and is
 * validated once.
 */
#ifndef ZG_CONFIG_H
#define ZG_CONFIG_H

#include <limits.h>
#include <stddef.h>

struct buf;

struct config {
	char db[PATH_MAX];           /* store file; default ./zonegov.db */
	char listen[128];            /* HOST:PORT; default 127.0.0.1:8080 */
	char web_root[PATH_MAX];     /* static front end; default <dir of binary>/web */
	char holidays_dir[PATH_MAX]; /* holiday calendars YYYY.json; default <dir of binary>/data/holidays */
	int threads;                 /* HTTP worker threads; 0 = number of cores */
	long body_limit;             /* max request body in bytes; default 1 MiB */
	long import_limit;           /* max import file or body in bytes; default 64 MiB */
	int session_ttl;             /* session lifetime in seconds; default 12 h */
	int login_max_failures;      /* failed logins before back-off; default 5 */
	int login_backoff;           /* first back-off in seconds, doubling; default 30 */
	char synchronous[8];         /* SQLite synchronous: full|normal; default full */
	int busy_timeout_ms;         /* store busy timeout; default 5000 */
	int access_log;              /* 1 = one log line per request */
	char log_level[8];           /* debug|info|warn|error */
	int cookie_secure;           /* 1 = add Secure to the session cookie (behind TLS) */
	int overdue_scan;            /* seconds between overdue scans; 0 = none; default 60 */
	char media_dir[PATH_MAX];    /* photos, content-addressed; default "<db>.media" */
	char map_tile_url[512];      /* Leaflet tile URL template ({z}/{x}/{y}); "" = plain background */
	char map_tile_attribution[256];
};

/* Fills in the defaults. argv0 locates the default web root and holidays folder. */
void config_defaults(struct config *c, const char *argv0);

/* Sets one key from a string. Returns 0, or -1 with a message in err
 * ("unknown key" or why the value is bad); c is unchanged on failure. */
int config_set(struct config *c, const char *key, const char *value, struct buf *err);

/* Reads a config file. Returns 0, or -1 with "FILE:LINE: reason" in err. */
int config_load_file(struct config *c, const char *path, struct buf *err);

/* Applies every ZONEGOV_<KEY> variable in envp that names a known key.
 * Returns 0, or -1 with "ZONEGOV_X: reason" in err. */
int config_load_env(struct config *c, char **envp, struct buf *err);

/* Writes the reference of all keys (name, default, meaning) for --help. */
void config_print_reference(void);

#endif
