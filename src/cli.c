/*
 * cli.c — shared parsing for the subcommands; see cli.h.
 */
#include "cli.h"
#include "buf.h"
#include "db.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>

extern char **environ;

#define MAX_FLAGS 32

int cli_parse(int argc, char **argv, const struct cli_opt *opts, struct config *cfg, const char **pos, int maxpos,
              int *npos, const char *usage)
{
	const char *config_file = getenv("ZONEGOV_CONFIG");
	const char *keys[MAX_FLAGS], *vals[MAX_FLAGS];
	char keybuf[MAX_FLAGS][64];
	int nflags = 0;
	*npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return -1;
		}
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (*npos >= maxpos) {
				fprintf(stderr, "zonegov %s: unexpected argument '%s'\n%s", argv[0], a, usage);
				return EXIT_USAGE;
			}
			pos[(*npos)++] = a;
			continue;
		}
		char name[64];
		const char *eq = strchr(a + 2, '=');
		size_t nlen = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		if (nlen >= sizeof name) {
			fprintf(stderr, "zonegov %s: unknown option '%s'\n", argv[0], a);
			return EXIT_USAGE;
		}
		memcpy(name, a + 2, nlen);
		name[nlen] = '\0';
		const struct cli_opt *o = NULL;
		for (const struct cli_opt *p = opts; p && p->name; p++)
			if (strcmp(p->name, name) == 0)
				o = p;
		const char *value = eq ? eq + 1 : NULL;
		if (o && !o->takes_value) {
			if (value) {
				fprintf(stderr, "zonegov %s: --%s takes no value\n", argv[0], name);
				return EXIT_USAGE;
			}
			*o->value = "1";
			continue;
		}
		if (!value) {
			if (i + 1 >= argc) {
				fprintf(stderr, "zonegov %s: --%s needs a value\n", argv[0], name);
				return EXIT_USAGE;
			}
			value = argv[++i];
		}
		if (o) {
			*o->value = value;
		} else if (strcmp(name, "config") == 0) {
			config_file = value;
		} else {
			if (nflags >= MAX_FLAGS) {
				fprintf(stderr, "zonegov %s: too many options\n", argv[0]);
				return EXIT_USAGE;
			}
			for (size_t k = 0; k <= nlen; k++)
				keybuf[nflags][k] = name[k] == '-' ? '_' : name[k];
			keys[nflags] = keybuf[nflags];
			vals[nflags++] = value;
		}
	}

	struct buf err;
	buf_init(&err, 1024);
	int rc = 0;
	if (config_file && config_load_file(cfg, config_file, &err))
		rc = EXIT_USAGE;
	if (!rc && config_load_env(cfg, environ, &err))
		rc = EXIT_USAGE;
	for (int i = 0; !rc && i < nflags; i++) {
		if (config_set(cfg, keys[i], vals[i], &err))
			rc = EXIT_USAGE; /* "unknown configuration key" or why the value is bad */
	}
	if (rc)
		fprintf(stderr, "zonegov %s: %s\n", argv[0], buf_cstr(&err));
	buf_release(&err);
	if (!rc) {
		enum log_level lvl;
		if (log_parse_level(cfg->log_level, &lvl) == 0)
			log_set_level(lvl);
	}
	return rc;
}

struct db *cli_open_store(const struct config *cfg)
{
	struct db_options o = {cfg->synchronous, cfg->busy_timeout_ms, 0, 0};
	struct db *db = NULL;
	struct buf err;
	buf_init(&err, 1024);
	if (db_open(cfg->db, &o, &db, &err) || db_migrate(db, &err) < 0) {
		fprintf(stderr, "zonegov: %s\n", buf_cstr(&err));
		db_close(db);
		db = NULL;
	}
	buf_release(&err);
	return db;
}

/* The size of a file cli_check_file accepts, or -1 (printed). */
static long cli_file_size(const char *who, const char *file, long limit)
{
	struct stat st;
	if (stat(file, &st) != 0) {
		fprintf(stderr, "zonegov %s: %s: %s\n", who, file, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > limit) {
		fprintf(stderr, "zonegov %s: %s: %s (limit %ld bytes, import_limit)\n", who, file,
		        S_ISREG(st.st_mode) ? "file too large" : "not a regular file", limit);
		return -1;
	}
	return (long)st.st_size;
}

int cli_check_file(const char *who, const char *file, long limit)
{
	return cli_file_size(who, file, limit) < 0 ? -1 : 0;
}

int cli_read_file(const char *who, const char *file, long limit, char **out, size_t *len)
{
	*out = NULL;
	long size = cli_file_size(who, file, limit);
	if (size < 0)
		return -1;
	FILE *f = fopen(file, "rb");
	char *data = malloc((size_t)size + 1);
	size_t n = 0;
	if (f && data)
		n = fread(data, 1, (size_t)size, f);
	int bad = !f || !data || ferror(f);
	if (f)
		fclose(f);
	if (bad) {
		fprintf(stderr, "zonegov %s: %s: cannot read\n", who, file);
		free(data);
		return -1;
	}
	data[n] = '\0';
	*out = data;
	*len = n;
	return 0;
}
