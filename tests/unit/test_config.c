/*
 * test_config.c — defaults, validation and precedence of the configuration
 * (config.h): file < environment < flag.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "buf.h"
#include "config.h"
#include "testutil.h"

#include <stdio.h>
#include <string.h>

struct fixture {
	char dir[PATH_MAX];
	struct config c;
	struct buf err;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	tu_mkdtemp(f->dir);
	config_defaults(&f->c, "/opt/zonegov/bin/zonegov");
	buf_init(&f->err, 4096);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	tu_rmtree(f->dir);
	buf_release(&f->err);
	free(f);
	return 0;
}

/* Writes text to dir/name and returns the path in a static buffer. */
static const char *write_file(struct fixture *f, const char *name, const char *text)
{
	static char path[PATH_MAX + 64];
	snprintf(path, sizeof path, "%s/%s", f->dir, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static void test_config_defaults(void **state)
{
	struct fixture *f = *state;
	struct config *c = &f->c;
	assert_string_equal(c->db, "./zonegov.db");
	assert_string_equal(c->listen, "127.0.0.1:8080");
	assert_int_equal(c->body_limit, 1048576);
	assert_string_equal(c->synchronous, "full");
	assert_int_equal(c->threads, 0);
	assert_int_equal(c->session_ttl, 12 * 3600);
	assert_int_equal(c->login_max_failures, 5);
	assert_int_equal(c->login_backoff, 30);
	assert_int_equal(c->busy_timeout_ms, 5000);
	assert_int_equal(c->access_log, 1);
	assert_string_equal(c->log_level, "info");
	assert_int_equal(c->cookie_secure, 0);
	/* "web" beside the executable. */
	size_t n = strlen(c->web_root);
	assert_true(n >= 3);
	assert_string_equal(c->web_root + n - 3, "web");
}

static void test_config_set_accepts_valid_values(void **state)
{
	struct fixture *f = *state;
	struct config *c = &f->c;
	assert_int_equal(config_set(c, "threads", "8", &f->err), 0);
	assert_int_equal(c->threads, 8);
	assert_int_equal(config_set(c, "body_limit", "67108864", &f->err), 0);
	assert_int_equal(c->body_limit, 64L * 1024 * 1024);
	assert_int_equal(config_set(c, "session_ttl", "1", &f->err), 0);
	assert_int_equal(c->session_ttl, 1);
	assert_int_equal(config_set(c, "listen", "0.0.0.0:9090", &f->err), 0);
	assert_string_equal(c->listen, "0.0.0.0:9090");
	assert_int_equal(config_set(c, "listen", "[::1]:65535", &f->err), 0);
	assert_string_equal(c->listen, "[::1]:65535");
	assert_int_equal(config_set(c, "synchronous", "normal", &f->err), 0);
	assert_string_equal(c->synchronous, "normal");
	assert_int_equal(config_set(c, "log_level", "debug", &f->err), 0);
	assert_string_equal(c->log_level, "debug");
	assert_int_equal(config_set(c, "access_log", "off", &f->err), 0);
	assert_int_equal(c->access_log, 0);
	assert_int_equal(config_set(c, "cookie_secure", "YES", &f->err), 0);
	assert_int_equal(c->cookie_secure, 1);
	assert_int_equal(config_set(c, "db", "/var/lib/zonegov/开发区.db", &f->err), 0);
	assert_string_equal(c->db, "/var/lib/zonegov/开发区.db");
	assert_int_equal(f->err.len, 0);
}

/* Asserts that config_set(key, value) fails, leaves the config as it was
 * and explains itself with a message containing want. */
static void refuse(struct fixture *f, const char *key, const char *value, const char *want)
{
	struct config before = f->c;
	buf_reset(&f->err);
	int rc = config_set(&f->c, key, value, &f->err);
	if (rc != -1)
		print_error("config_set(%s, %s) was accepted\n", key, value);
	assert_int_equal(rc, -1);
	assert_memory_equal(&before, &f->c, sizeof before);
	assert_true(f->err.len > 0);
	if (!strstr(buf_cstr(&f->err), want))
		print_error("message '%s' lacks '%s'\n", buf_cstr(&f->err), want);
	assert_non_null(strstr(buf_cstr(&f->err), want));
}

static void test_config_set_refuses_bad_int(void **state)
{
	struct fixture *f = *state;
	refuse(f, "threads", "many", "threads: expected an integer");
	refuse(f, "threads", "4x", "threads");
	refuse(f, "threads", "", "threads");
	refuse(f, "threads", "2.5", "threads");
	refuse(f, "session_ttl", "99999999999999999999999", "session_ttl");
}

static void test_config_set_refuses_out_of_range(void **state)
{
	struct fixture *f = *state;
	refuse(f, "threads", "257", "from 0 to 256");
	refuse(f, "threads", "-1", "threads");
	refuse(f, "body_limit", "1023", "body_limit");
	refuse(f, "body_limit", "67108865", "body_limit");
	refuse(f, "session_ttl", "0", "session_ttl");
	refuse(f, "session_ttl", "2592001", "session_ttl");
	refuse(f, "login_max_failures", "0", "login_max_failures");
	refuse(f, "busy_timeout_ms", "600001", "busy_timeout_ms");
}

static void test_config_set_refuses_bad_listen(void **state)
{
	struct fixture *f = *state;
	refuse(f, "listen", "localhost", "HOST:PORT");
	refuse(f, "listen", ":8080", "HOST:PORT");
	refuse(f, "listen", "localhost:", "HOST:PORT");
	refuse(f, "listen", "localhost:0", "HOST:PORT");
	refuse(f, "listen", "localhost:65536", "HOST:PORT");
	refuse(f, "listen", "localhost:80x", "HOST:PORT");
	refuse(f, "listen", "", "listen");
}

static void test_config_set_refuses_unknown_key(void **state)
{
	struct fixture *f = *state;
	refuse(f, "port", "8080", "unknown configuration key 'port'");
	refuse(f, "session-ttl", "60", "unknown");
	refuse(f, "DB", "x.db", "unknown");
}

static void test_config_set_refuses_bad_enum_and_bool(void **state)
{
	struct fixture *f = *state;
	refuse(f, "synchronous", "off", "full|normal");
	refuse(f, "synchronous", "FULL", "synchronous");
	refuse(f, "synchronous", "", "synchronous");
	refuse(f, "log_level", "trace", "debug|info|warn|error");
	refuse(f, "access_log", "maybe", "on or off");
	refuse(f, "cookie_secure", "", "cookie_secure");
}

static void test_config_set_refuses_too_long_string(void **state)
{
	struct fixture *f = *state;
	char longpath[PATH_MAX + 10];
	memset(longpath, 'a', sizeof longpath - 1);
	longpath[sizeof longpath - 1] = '\0';
	refuse(f, "db", longpath, "db: value must be");
	refuse(f, "db", "", "db");
}

static void test_config_file_sets_keys(void **state)
{
	struct fixture *f = *state;
	const char *path = write_file(f, "zonegov.conf",
	                              "# zonegov configuration\n"
	                              "; another comment\n"
	                              "\n"
	                              "db = /srv/zonegov/store.db\n"
	                              "listen=0.0.0.0:9000\n"
	                              "threads   =   3  \n"
	                              "access_log = off ; inline comment\n");
	assert_int_equal(config_load_file(&f->c, path, &f->err), 0);
	assert_string_equal(f->c.db, "/srv/zonegov/store.db");
	assert_string_equal(f->c.listen, "0.0.0.0:9000");
	assert_int_equal(f->c.threads, 3);
	assert_int_equal(f->c.access_log, 0);
	/* Keys the file does not name keep their values. */
	assert_int_equal(f->c.session_ttl, 43200);
}

static void test_config_env_overrides_file_and_flag_overrides_env(void **state)
{
	struct fixture *f = *state;
	const char *path = write_file(f, "zonegov.conf",
	                              "session_ttl = 100\n"
	                              "threads = 2\n"
	                              "listen = 0.0.0.0:9000\n"
	                              "log_level = warn\n");
	char *envp[] = {
	        "HOME=/root",        "ZONEGOV_SESSION_TTL=200",
	        "ZONEGOV_THREADS=4", "ZONEGOV_LOG_LEVEL=error",
	        "PATH=/usr/bin",     NULL,
	};
	/* The order of cli.c: defaults, file, environment, flags. */
	assert_int_equal(config_load_file(&f->c, path, &f->err), 0);
	assert_int_equal(f->c.session_ttl, 100);
	assert_int_equal(config_load_env(&f->c, envp, &f->err), 0);
	assert_int_equal(config_set(&f->c, "session_ttl", "300", &f->err), 0);

	assert_int_equal(f->c.session_ttl, 300);          /* flag */
	assert_int_equal(f->c.threads, 4);                /* env over file */
	assert_string_equal(f->c.log_level, "error");     /* env over file */
	assert_string_equal(f->c.listen, "0.0.0.0:9000"); /* file over default */
	assert_int_equal(f->c.body_limit, 1048576);       /* default */
	assert_int_equal(f->err.len, 0);
}

static void test_config_file_bad_value_reports_file_line(void **state)
{
	struct fixture *f = *state;
	const char *path = write_file(f, "bad.conf",
	                              "threads = 6\n"
	                              "# comment\n"
	                              "body_limit = 12x\n"
	                              "session_ttl = 60\n");
	struct config before = f->c;
	assert_int_equal(config_load_file(&f->c, path, &f->err), -1);
	char want[PATH_MAX + 80];
	snprintf(want, sizeof want, "%s:3: body_limit: expected an integer", path);
	if (strncmp(buf_cstr(&f->err), want, strlen(want)) != 0)
		print_error("got '%s'\n", buf_cstr(&f->err));
	assert_int_equal(strncmp(buf_cstr(&f->err), want, strlen(want)), 0);
	/* Nothing of the file applies, not even the good lines. */
	assert_memory_equal(&before, &f->c, sizeof before);
}

static void test_config_file_syntax_error_reports_file_line(void **state)
{
	struct fixture *f = *state;
	const char *path = write_file(f, "syntax.conf", "threads = 6\nthis line has no equals sign\n");
	struct config before = f->c;
	assert_int_equal(config_load_file(&f->c, path, &f->err), -1);
	char want[PATH_MAX + 80];
	snprintf(want, sizeof want, "%s:2: expected 'key = value'", path);
	assert_string_equal(buf_cstr(&f->err), want);
	assert_memory_equal(&before, &f->c, sizeof before);
}

static void test_config_file_reason_belongs_to_reported_line(void **state)
{
	struct fixture *f = *state;
	/* Line 2 is malformed and line 3 has a bad value: the message names
	 * line 2 and gives line 2's reason, not line 3's. */
	const char *path = write_file(f, "two.conf", "threads = 6\nnot a pair\nthreads = lots\n");
	assert_int_equal(config_load_file(&f->c, path, &f->err), -1);
	char want[PATH_MAX + 80];
	snprintf(want, sizeof want, "%s:2: expected 'key = value'", path);
	if (strcmp(buf_cstr(&f->err), want) != 0)
		print_error("got '%s'\n", buf_cstr(&f->err));
	assert_string_equal(buf_cstr(&f->err), want);
}

static void test_config_file_unknown_key_and_section_refused(void **state)
{
	struct fixture *f = *state;
	const char *path = write_file(f, "unknown.conf", "threads = 6\nport = 80\n");
	assert_int_equal(config_load_file(&f->c, path, &f->err), -1);
	assert_non_null(strstr(buf_cstr(&f->err), ":2: unknown configuration key 'port'"));
	assert_int_equal(f->c.threads, 0);

	buf_reset(&f->err);
	path = write_file(f, "section.conf", "[server]\nthreads = 6\n");
	assert_int_equal(config_load_file(&f->c, path, &f->err), -1);
	assert_non_null(strstr(buf_cstr(&f->err), ":2: sections are not used"));
	assert_int_equal(f->c.threads, 0);
}

static void test_config_file_missing_reports_path(void **state)
{
	struct fixture *f = *state;
	char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/does-not-exist.conf", f->dir);
	struct config before = f->c;
	assert_int_equal(config_load_file(&f->c, path, &f->err), -1);
	assert_int_equal(strncmp(buf_cstr(&f->err), path, strlen(path)), 0);
	assert_non_null(strstr(buf_cstr(&f->err), "cannot open"));
	assert_memory_equal(&before, &f->c, sizeof before);
}

static void test_config_env_unknown_zonegov_variables_ignored(void **state)
{
	struct fixture *f = *state;
	char *envp[] = {
	        "ZONEGOV_BIN=/usr/local/bin/zonegov",
	        "ZONEGOV_URL=http://127.0.0.1:8080",
	        "ZONEGOV_=x",
	        "ZONEGOV_NO_EQUALS_SIGN",
	        "ZONEGOVERNMENT=1",
	        "zonegov_threads=9",
	        "ZONEGOV_BUSY_TIMEOUT_MS=100",
	        NULL,
	};
	struct config want = f->c;
	want.busy_timeout_ms = 100;
	assert_int_equal(config_load_env(&f->c, envp, &f->err), 0);
	assert_int_equal(f->err.len, 0);
	assert_memory_equal(&want, &f->c, sizeof want);
	/* NULL and empty environments change nothing. */
	char *empty[] = {NULL};
	assert_int_equal(config_load_env(&f->c, empty, &f->err), 0);
	assert_int_equal(config_load_env(&f->c, NULL, &f->err), 0);
	assert_memory_equal(&want, &f->c, sizeof want);
}

static void test_config_env_bad_value_names_variable_and_changes_nothing(void **state)
{
	struct fixture *f = *state;
	char *envp[] = {"ZONEGOV_SESSION_TTL=600", "ZONEGOV_THREADS=many", NULL};
	struct config before = f->c;
	assert_int_equal(config_load_env(&f->c, envp, &f->err), -1);
	assert_int_equal(strncmp(buf_cstr(&f->err), "ZONEGOV_THREADS: ", 17), 0);
	assert_non_null(strstr(buf_cstr(&f->err), "many"));
	/* The good variable before it is not applied either. */
	assert_memory_equal(&before, &f->c, sizeof before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_config_defaults, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config_set_accepts_valid_values, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config_set_refuses_bad_int, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config_set_refuses_out_of_range, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config_set_refuses_bad_listen, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config_set_refuses_unknown_key, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config_set_refuses_bad_enum_and_bool, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config_set_refuses_too_long_string, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config_file_sets_keys, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config_env_overrides_file_and_flag_overrides_env, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config_file_bad_value_reports_file_line, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config_file_syntax_error_reports_file_line, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config_file_reason_belongs_to_reported_line, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config_file_unknown_key_and_section_refused, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config_file_missing_reports_path, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config_env_unknown_zonegov_variables_ignored, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config_env_bad_value_names_variable_and_changes_nothing, setup,
	                                        teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
