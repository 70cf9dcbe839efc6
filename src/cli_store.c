/*
 * cli_store.c — `zonegov migrate`, `zonegov backup FILE` and `zonegov version`.
 */
#include "buf.h"
#include "cli.h"
#include "db.h"
#include "version.h"

#include <stdio.h>
#include <unistd.h>

int cli_migrate(int argc, char **argv)
{
	static const char usage[] = "usage: zonegov migrate [--db FILE] [--config FILE]\n"
	                            "Creates the store if needed and applies the migrations it lacks.\n";
	struct config cfg;
	const char *pos[1];
	int npos;
	config_defaults(&cfg, argv[0]);
	int rc = cli_parse(argc, argv, NULL, &cfg, pos, 0, &npos, usage);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	struct db *db = cli_open_store(&cfg);
	if (!db)
		return EXIT_RUNTIME;
	printf("%s: schema version %d (this zonegov knows %d)\n", cfg.db, db_schema_version(db), db_migration_count());
	db_close(db);
	return EXIT_OK;
}

int cli_backup(int argc, char **argv)
{
	static const char usage[] = "usage: zonegov backup FILE [--db FILE] [--config FILE]\n"
	                            "Writes a consistent copy of the store to FILE, also while the server runs.\n"
	                            "FILE must not exist yet.\n";
	struct config cfg;
	const char *pos[1];
	int npos;
	config_defaults(&cfg, argv[0]);
	int rc = cli_parse(argc, argv, NULL, &cfg, pos, 1, &npos, usage);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (npos != 1) {
		fprintf(stderr, "zonegov backup: name the backup file\n%s", usage);
		return EXIT_USAGE;
	}
	if (access(pos[0], F_OK) == 0) {
		fprintf(stderr, "zonegov backup: %s already exists; choose a new file\n", pos[0]);
		return EXIT_USAGE;
	}
	if (access(cfg.db, F_OK) != 0) {
		fprintf(stderr, "zonegov backup: %s: no such store\n", cfg.db);
		return EXIT_USAGE;
	}
	struct db *db = cli_open_store(&cfg);
	if (!db)
		return EXIT_RUNTIME;
	struct buf err;
	buf_init(&err, 1024);
	rc = db_backup(db, pos[0], &err);
	if (rc) {
		fprintf(stderr, "zonegov backup: %s\n", buf_cstr(&err));
		unlink(pos[0]);
	} else {
		printf("backed up %s to %s\n", cfg.db, pos[0]);
	}
	buf_release(&err);
	db_close(db);
	return rc ? EXIT_RUNTIME : EXIT_OK;
}

int cli_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("zonegov %s (%s)\n", ZONEGOV_VERSION, ZONEGOV_GIT);
	return EXIT_OK;
}
