/*
 * main.c — entry point: picks the subcommand.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
        {"serve", cli_serve, "serve the web app and API until SIGTERM"},
        {"migrate", cli_migrate, "create or upgrade the store's schema"},
        {"user", cli_user, "manage accounts: add, list, passwd, disable"},
        {"import", cli_import, "import units from GeoJSON (all or nothing, with a report)"},
        {"backup", cli_backup, "write a consistent copy of the store, also while serving"},
        {"demo", cli_demo, "fill a new store with the demo zone and demo users"},
        {"version", cli_version, "print the version"},
        {"convert", cli_convert, "convert coordinates between WGS-84 and GCJ-02"},
        {"categories", cli_categories, "import or list the case category catalog (CSV, all or nothing)"},
        {"cases", cli_cases, "run an overdue scan of the cases (the server runs one every minute)"},
        {"calendar", cli_calendar, "print the working-day calendar of a year, or a deadline"},
        {"projects", cli_projects, "export the key projects ledger (xlsx, CSV, OC4IDS) or import one"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: zonegov COMMAND [options]   (zonegov COMMAND --help for details)\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nexit status: 0 ok, 1 runtime failure, 2 usage or bad input\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0)
		return cli_version(1, argv + 1);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "zonegov: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
