/*
 * cli_user.c — `zonegov user add|list|passwd|disable`: accounts from the
 * command line, through the same users.c rules as the API.
 */
#include "cli.h"
#include "db.h"
#include "roles.h"
#include "users.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
        "usage: zonegov user add USERNAME --name NAME --roles ROLE[,ROLE] [--phone N] [--unit CODE]\n"
        "                        [--department ID] (--password PW | --password-stdin)\n"
        "       zonegov user list\n"
        "       zonegov user passwd USERNAME (--password PW | --password-stdin)\n"
        "       zonegov user disable USERNAME [--enable]\n"
        "Common options: --db FILE --config FILE\n"
        "Roles: admin leader dispatcher department_handler grid_leader grid_worker supervisor\n";

/* The actor recorded in the audit log: "cli:<login>". */
static void actor_name(char *out, size_t len)
{
	struct passwd *pw = getpwuid(getuid());
	snprintf(out, len, "cli:%s", pw ? pw->pw_name : "?");
}

static int read_password(const char *given, const char *from_stdin, char *out, size_t len)
{
	if (given) {
		snprintf(out, len, "%s", given);
		return 0;
	}
	if (!from_stdin) {
		fprintf(stderr, "zonegov user: give --password PW or --password-stdin\n");
		return -1;
	}
	if (!fgets(out, (int)len, stdin)) {
		fprintf(stderr, "zonegov user: no password on standard input\n");
		return -1;
	}
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

static int report(const struct zerr *e)
{
	fprintf(stderr, "zonegov user: %s%s%s\n", e->field ? e->field : "", e->field ? ": " : "",
	        e->en[0] ? e->en : zg_error_en(e->kind));
	return e->kind == ZE_STORE || e->kind == ZE_INTERNAL ? EXIT_RUNTIME : EXIT_USAGE;
}

int cli_user(int argc, char **argv)
{
	const char *name = NULL, *roles = NULL, *phone = NULL, *unit = NULL, *dept = NULL, *password = NULL,
	           *password_stdin = NULL, *enable = NULL;
	const struct cli_opt opts[] = {
	        {"name", 1, &name},         {"roles", 1, &roles},
	        {"role", 1, &roles},        {"phone", 1, &phone},
	        {"unit", 1, &unit},         {"department", 1, &dept},
	        {"password", 1, &password}, {"password-stdin", 0, &password_stdin},
	        {"enable", 0, &enable},     {NULL, 0, NULL},
	};
	struct config cfg;
	const char *pos[2];
	int npos;
	config_defaults(&cfg, argv[0]);
	int rc = cli_parse(argc, argv, opts, &cfg, pos, 2, &npos, usage);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (npos < 1) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	const char *verb = pos[0];
	int needs_name = strcmp(verb, "list") != 0;
	if (needs_name != (npos == 2)) {
		fprintf(stderr, "zonegov user %s: %s\n%s", verb, needs_name ? "name the user" : "takes no argument",
		        usage);
		return EXIT_USAGE;
	}
	if (strcmp(verb, "add") && strcmp(verb, "list") && strcmp(verb, "passwd") && strcmp(verb, "disable")) {
		fprintf(stderr, "zonegov user: unknown action '%s'\n%s", verb, usage);
		return EXIT_USAGE;
	}

	char actor[64], pw[256];
	actor_name(actor, sizeof actor);
	struct user_input in;
	user_input_init(&in);
	struct zerr err;
	zerr_clear(&err);
	struct user u;
	if (strcmp(verb, "add") == 0 || strcmp(verb, "passwd") == 0) {
		if (read_password(password, password_stdin, pw, sizeof pw))
			return EXIT_USAGE;
		in.password = pw;
	}
	if (strcmp(verb, "add") == 0) {
		in.username = pos[1];
		in.name = name;
		in.phone = phone;
		in.scope_unit = unit;
		if (roles && !(in.roles = roles_parse_list(roles))) {
			fprintf(stderr, "zonegov user: --roles: unknown role in '%s'\n", roles);
			return EXIT_USAGE;
		}
		if (dept) {
			char *end;
			in.scope_department = strtoll(dept, &end, 10);
			if (*end || in.scope_department <= 0) {
				fprintf(stderr, "zonegov user: --department: expected a department id, got '%s'\n",
				        dept);
				return EXIT_USAGE;
			}
		}
	}

	struct db *db = cli_open_store(&cfg);
	if (!db)
		return EXIT_RUNTIME;
	rc = EXIT_OK;
	if (strcmp(verb, "add") == 0) {
		if (user_create(db, &in, actor, &u, &err))
			rc = report(&err);
		else
			printf("created user %s (id %lld)\n", u.username, (long long)u.id);
	} else if (strcmp(verb, "list") == 0) {
		json_t *items = NULL;
		int64_t total = 0;
		int page = 1;
		printf("%-6s %-20s %-16s %-8s %s\n", "ID", "USERNAME", "NAME", "STATUS", "ROLES");
		do {
			if (user_list(db, NULL, page, 100, &items, &total)) {
				fprintf(stderr, "zonegov user list: %s\n", db_errmsg(db));
				rc = EXIT_RUNTIME;
				break;
			}
			size_t i;
			json_t *it;
			json_array_foreach (items, i, it) {
				char *r = json_dumps(json_object_get(it, "roles"), JSON_COMPACT);
				printf("%-6lld %-20s %-16s %-8s %s\n",
				       (long long)json_integer_value(json_object_get(it, "id")),
				       json_string_value(json_object_get(it, "username")),
				       json_string_value(json_object_get(it, "name")),
				       json_is_true(json_object_get(it, "disabled")) ? "disabled" : "active",
				       r ? r : "");
				free(r);
			}
			json_decref(items);
		} while ((int64_t)page++ * 100 < total);
	} else {
		int found = user_get_by_name(db, pos[1], &u);
		if (found != 0) {
			fprintf(stderr, "zonegov user %s: %s\n", verb, found == 1 ? "no such user" : db_errmsg(db));
			rc = found == 1 ? EXIT_USAGE : EXIT_RUNTIME;
		} else {
			if (strcmp(verb, "disable") == 0)
				in.disabled = enable ? 0 : 1;
			if (user_update(db, u.id, &in, actor, &u, &err))
				rc = report(&err);
			else
				printf("%s: %s\n", u.username,
				       strcmp(verb, "passwd") == 0 ? "password changed; sessions ended"
				       : u.disabled                ? "disabled; sessions ended"
				                                   : "enabled");
		}
	}
	memset(pw, 0, sizeof pw);
	db_close(db);
	return rc;
}
