/*
 * cli.h — the `zonegov` command line: subcommands and their shared parsing.
 *
 * Exit codes: 0 success, 1 runtime failure (store unreachable, disk full),
 * 2 usage or bad input (with the file and line where there is one).
 *
 * Every subcommand accepts --config FILE and any configuration key as a
 * flag (--db FILE, --listen HOST:PORT, --session-ttl N ...), with the
 * precedence of config.h: defaults < file < ZONEGOV_* < flags.
 */
#ifndef ZG_CLI_H
#define ZG_CLI_H

#include "config.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

/* A command-specific option. value receives the argument (or "1" for a flag). */
struct cli_opt {
	const char *name; /* without the leading "--" */
	int takes_value;
	const char **value;
};

/*
 * Parses argv (argv[0] is the subcommand) into options, positional
 * arguments and the effective configuration. Returns -1 when it has
 * answered --help (exit 0), EXIT_USAGE after printing why, or 0.
 */
int cli_parse(int argc, char **argv, const struct cli_opt *opts, struct config *cfg, const char **pos, int maxpos,
              int *npos, const char *usage);

/* Opens the configured store and applies migrations; prints and returns NULL on failure. */
struct db *cli_open_store(const struct config *cfg);

/* A file given to an import: a regular file of at most limit bytes (the
 * import_limit setting). Prints "zonegov WHO: FILE: why" and returns -1 when
 * not; 0 when it is. */
int cli_check_file(const char *who, const char *file, long limit);
/* The same, then the whole file into *out (malloc'd, NUL-terminated) and
 * *len. Prints and returns -1 on failure. */
int cli_read_file(const char *who, const char *file, long limit, char **out, size_t *len);

/* Subcommands (cli_<verb>.c). argv[0] is the subcommand name. */
int cli_serve(int argc, char **argv);
int cli_migrate(int argc, char **argv);
int cli_backup(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_version(int argc, char **argv);
int cli_convert(int argc, char **argv);
int cli_categories(int argc, char **argv);
int cli_calendar(int argc, char **argv);
int cli_cases(int argc, char **argv);
int cli_projects(int argc, char **argv);

#endif
