/*
 * test_auth.c — passwords, tokens, sessions and login back-off (auth.h) on
 * a real temporary SQLite store.
 *
 * argon2id at the interactive cost takes ~0.2 s per hash or verify, so the
 * file keeps to about 20 of them: one hash and one account (in a template
 * store that each test copies) are made once for the group.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "auth.h"
#include "db.h"
#include "roles.h"
#include "testutil.h"
#include "timeutil.h"
#include "users.h"

#include <stdio.h>
#include <string.h>

#define PASSWORD "correct-horse-42"

/* Made once for the group: the argon2id hash of PASSWORD, and a store
 * holding the account "alice" (made with user_create) that each test gets
 * a fresh copy of. */
static char group_hash[AUTH_HASH_MAX];
static char template_dir[PATH_MAX];
static struct db *template_db;
static struct user alice;

static int group_setup(void **state)
{
	(void)state;
	if (auth_init() != 0 || auth_hash_password(PASSWORD, group_hash) != 0)
		return -1;
	tu_mkdtemp(template_dir);
	template_db = tu_open_store(template_dir, "template.db");
	struct user_input in;
	user_input_init(&in);
	in.username = "alice";
	in.name = "王丽";
	in.password = PASSWORD;
	in.roles = ROLE_DISPATCHER;
	struct zerr err;
	zerr_clear(&err);
	if (user_create(template_db, &in, "test", &alice, &err)) {
		print_error("user_create: %s (%s)\n", zg_error_code(err.kind), err.en);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	db_close(template_db);
	tu_rmtree(template_dir);
	return 0;
}

struct fixture {
	char dir[PATH_MAX];
	struct db *db;
	struct user user; /* "alice", when made by setup_user */
};

/* A fresh empty store. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	tu_mkdtemp(f->dir);
	f->db = tu_open_store(f->dir, "store.db");
	*state = f;
	return 0;
}

/* A fresh copy of the template store, with "alice". */
static int setup_user(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	tu_mkdtemp(f->dir);
	f->db = tu_copy_store(template_db, f->dir, "store.db");
	f->user = alice;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	tu_rmtree(f->dir);
	free(f);
	return 0;
}

static const struct auth_policy policy = {3600, 2, 30};

/* --- passwords --------------------------------------------------------- */

static void test_auth_hash_password_is_argon2id_and_verifies(void **state)
{
	(void)state;
	assert_int_equal(strncmp(group_hash, "$argon2id$", 10), 0);
	assert_true(strlen(group_hash) < AUTH_HASH_MAX);
	assert_non_null(strstr(group_hash, "$v=19$"));
	assert_int_equal(auth_verify_password(group_hash, PASSWORD), 1);
}

static void test_auth_verify_wrong_password_fails(void **state)
{
	(void)state;
	assert_int_equal(auth_verify_password(group_hash, "correct-horse-43"), 0);
}

static void test_auth_two_hashes_of_same_password_differ(void **state)
{
	(void)state;
	char again[AUTH_HASH_MAX];
	assert_int_equal(auth_hash_password(PASSWORD, again), 0);
	assert_int_equal(strncmp(again, "$argon2id$", 10), 0);
	/* A fresh random salt each time. */
	assert_string_not_equal(again, group_hash);
}

static void test_auth_verify_malformed_hash_is_zero(void **state)
{
	(void)state;
	assert_int_equal(auth_verify_password(NULL, PASSWORD), 0);
	assert_int_equal(auth_verify_password("", PASSWORD), 0);
	assert_int_equal(auth_verify_password("$argon2id$", PASSWORD), 0);
	assert_int_equal(auth_verify_password("$argon2id$v=19$m=65536,t=2,p=1$garbage", PASSWORD), 0);
	assert_int_equal(auth_verify_password("$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", PASSWORD),
	                 0);
	assert_int_equal(auth_verify_password(PASSWORD, PASSWORD), 0);
	/* argon2i is not accepted either: only argon2id hashes are ours. */
	char other[AUTH_HASH_MAX];
	memcpy(other, group_hash, sizeof other);
	memmove(other + 8, other + 9, strlen(other + 9) + 1); /* "$argon2id$" -> "$argon2i$" */
	assert_int_equal(strncmp(other, "$argon2i$", 9), 0);
	assert_int_equal(auth_verify_password(other, PASSWORD), 0);
}

/* --- tokens ------------------------------------------------------------ */

static void test_auth_tokens_are_43_char_base64url_and_differ(void **state)
{
	(void)state;
	char tokens[32][AUTH_TOKEN_LEN + 1];
	for (int i = 0; i < 32; i++) {
		memset(tokens[i], '!', sizeof tokens[i]);
		auth_token_new(tokens[i]);
		assert_int_equal(strlen(tokens[i]), AUTH_TOKEN_LEN);
		assert_int_equal(AUTH_TOKEN_LEN, 43);
		for (const char *p = tokens[i]; *p; p++)
			assert_true((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			            *p == '-' || *p == '_');
		for (int j = 0; j < i; j++)
			assert_string_not_equal(tokens[i], tokens[j]);
	}
}

static void test_auth_token_hash_is_64_hex_and_deterministic(void **state)
{
	(void)state;
	char token[AUTH_TOKEN_LEN + 1], other[AUTH_TOKEN_LEN + 1];
	char h1[65], h2[65], h3[65];
	auth_token_new(token);
	auth_token_new(other);
	auth_token_hash(token, h1);
	auth_token_hash(token, h2);
	auth_token_hash(other, h3);
	assert_int_equal(strlen(h1), 64);
	for (const char *p = h1; *p; p++)
		assert_true((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'));
	assert_string_equal(h1, h2);
	assert_string_not_equal(h1, h3);
	/* The hash is not the token. */
	assert_null(strstr(h1, token));
}

/* --- sessions ---------------------------------------------------------- */

static void test_auth_session_create_then_lookup_ok(void **state)
{
	struct fixture *f = *state;
	char token[AUTH_TOKEN_LEN + 1];
	int64_t expires_at = 0, before = time_now_ms();
	assert_int_equal(auth_session_create(f->db, f->user.id, 3600, token, &expires_at), 0);
	assert_int_equal(strlen(token), AUTH_TOKEN_LEN);
	assert_true(expires_at >= before + 3600 * 1000);
	assert_true(expires_at <= time_now_ms() + 3600 * 1000);

	struct user u;
	assert_int_equal(auth_session_lookup(f->db, token, time_now_ms(), &u), 0);
	assert_int_equal(u.id, f->user.id);
	assert_string_equal(u.username, "alice");
	assert_string_equal(u.name, "王丽");
	assert_int_equal(u.roles, ROLE_DISPATCHER);
	assert_int_equal(u.disabled, 0);

	/* The store keeps the hash, never the token. */
	char hash[65];
	auth_token_hash(token, hash);
	struct db_stmt *st = db_prepare(f->db, "SELECT token_hash FROM sessions");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), hash);
	db_stmt_done(st);
}

static void test_auth_session_lookup_unknown_token_is_one(void **state)
{
	struct fixture *f = *state;
	char token[AUTH_TOKEN_LEN + 1];
	struct user u;
	auth_token_new(token);
	assert_int_equal(auth_session_lookup(f->db, token, time_now_ms(), &u), 1);
	assert_int_equal(auth_session_lookup(f->db, "", time_now_ms(), &u), 1);
	assert_int_equal(auth_session_lookup(f->db, "short", time_now_ms(), &u), 1);
	char longer[AUTH_TOKEN_LEN + 2];
	memset(longer, 'A', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	assert_int_equal(auth_session_lookup(f->db, longer, time_now_ms(), &u), 1);
}

static void test_auth_session_expired_is_one(void **state)
{
	struct fixture *f = *state;
	char token[AUTH_TOKEN_LEN + 1];
	int64_t expires_at;
	struct user u;
	assert_int_equal(auth_session_create(f->db, f->user.id, 1, token, &expires_at), 0);
	assert_int_equal(auth_session_lookup(f->db, token, expires_at - 1, &u), 0);
	/* The lifetime is absolute: at and after expires_at the token is dead. */
	assert_int_equal(auth_session_lookup(f->db, token, expires_at, &u), 1);
	assert_int_equal(auth_session_lookup(f->db, token, time_now_ms() + 2000, &u), 1);
}

static void test_auth_session_revoke_is_one(void **state)
{
	struct fixture *f = *state;
	char token[AUTH_TOKEN_LEN + 1], other[AUTH_TOKEN_LEN + 1];
	int64_t expires_at;
	struct user u;
	assert_int_equal(auth_session_create(f->db, f->user.id, 3600, token, &expires_at), 0);
	assert_int_equal(auth_session_create(f->db, f->user.id, 3600, other, &expires_at), 0);
	assert_int_equal(auth_session_revoke(f->db, token), 0);
	assert_int_equal(auth_session_lookup(f->db, token, time_now_ms(), &u), 1);
	/* Only that token: the user's other session goes on. */
	assert_int_equal(auth_session_lookup(f->db, other, time_now_ms(), &u), 0);
	/* Revoking again, or an unknown token, is not an error. */
	assert_int_equal(auth_session_revoke(f->db, token), 0);
	assert_int_equal(auth_session_revoke(f->db, "no-such-token"), 0);
}

static void test_auth_session_revoke_user_ends_all_sessions(void **state)
{
	struct fixture *f = *state;
	char t1[AUTH_TOKEN_LEN + 1], t2[AUTH_TOKEN_LEN + 1];
	int64_t expires_at;
	struct user u;
	assert_int_equal(auth_session_create(f->db, f->user.id, 3600, t1, &expires_at), 0);
	assert_int_equal(auth_session_create(f->db, f->user.id, 3600, t2, &expires_at), 0);
	assert_int_equal(db_begin(f->db), DB_OK);
	assert_int_equal(auth_session_revoke_user(f->db, f->user.id), 0);
	assert_int_equal(db_commit(f->db), DB_OK);
	assert_int_equal(auth_session_lookup(f->db, t1, time_now_ms(), &u), 1);
	assert_int_equal(auth_session_lookup(f->db, t2, time_now_ms(), &u), 1);
}

static void test_auth_session_of_disabled_user_is_one(void **state)
{
	struct fixture *f = *state;
	char token[AUTH_TOKEN_LEN + 1];
	int64_t expires_at;
	struct user u;
	assert_int_equal(auth_session_create(f->db, f->user.id, 3600, token, &expires_at), 0);
	/* Flip the flag under the session (no revocation), as a second server
	 * or an older row might: the lookup itself must refuse it. */
	assert_int_equal(db_exec(f->db, "UPDATE users SET disabled = 1 WHERE username = 'alice'"), DB_OK);
	assert_int_equal(auth_session_lookup(f->db, token, time_now_ms(), &u), 1);
	assert_int_equal(db_exec(f->db, "UPDATE users SET disabled = 0 WHERE username = 'alice'"), DB_OK);
	assert_int_equal(auth_session_lookup(f->db, token, time_now_ms(), &u), 0);
}

/* --- login ------------------------------------------------------------- */

static enum auth_result login(struct fixture *f, const char *username, const char *password, int64_t *retry_after)
{
	struct user u;
	char token[AUTH_TOKEN_LEN + 1] = "";
	int64_t expires_at = 0, retry = -1;
	enum auth_result rc = auth_login(f->db, &policy, username, password, &u, token, &expires_at, &retry);
	if (retry_after)
		*retry_after = retry;
	if (rc == AUTH_OK) {
		assert_string_equal(u.username, username);
		assert_int_equal(strlen(token), AUTH_TOKEN_LEN);
	}
	return rc;
}

static void test_auth_login_right_password_ok(void **state)
{
	struct fixture *f = *state;
	struct user u;
	char token[AUTH_TOKEN_LEN + 1];
	int64_t expires_at = 0, retry = -1, before = time_now_ms();
	assert_int_equal(auth_login(f->db, &policy, "alice", PASSWORD, &u, token, &expires_at, &retry), AUTH_OK);
	assert_int_equal(retry, 0);
	assert_int_equal(u.id, f->user.id);
	assert_string_equal(u.username, "alice");
	assert_int_equal(strlen(token), AUTH_TOKEN_LEN);
	assert_true(expires_at >= before + (int64_t)policy.session_ttl * 1000);
	/* The token opens a session. */
	struct user me;
	assert_int_equal(auth_session_lookup(f->db, token, time_now_ms(), &me), 0);
	assert_int_equal(me.id, f->user.id);
	assert_int_equal(f->db->in_tx, 0);
}

static void test_auth_login_wrong_password_bad(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(login(f, "alice", "correct-horse-43", NULL), AUTH_BAD);
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM sessions"), 0);
	assert_int_equal(tu_query_i64(f->db, "SELECT failures FROM login_attempts WHERE username = 'alice'"), 1);
	assert_int_equal(f->db->in_tx, 0);
}

static void test_auth_login_unknown_user_bad(void **state)
{
	struct fixture *f = *state;
	int64_t retry;
	assert_int_equal(login(f, "nobody", PASSWORD, &retry), AUTH_BAD);
	assert_int_equal(retry, 0);
	/* Failures of unknown names count too (no hint that the name is unknown). */
	assert_int_equal(tu_query_i64(f->db, "SELECT failures FROM login_attempts WHERE username = 'nobody'"), 1);
}

static void test_auth_login_disabled_user_bad(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_exec(f->db, "UPDATE users SET disabled = 1 WHERE username = 'alice'"), DB_OK);
	assert_int_equal(login(f, "alice", PASSWORD, NULL), AUTH_BAD);
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM sessions"), 0);
}

static void test_auth_login_locked_after_max_failures(void **state)
{
	struct fixture *f = *state;
	int64_t retry = -1;
	assert_int_equal(policy.max_failures, 2);
	assert_int_equal(login(f, "alice", "wrong-password-1", &retry), AUTH_BAD);
	assert_int_equal(retry, 0);
	assert_int_equal(login(f, "alice", "wrong-password-2", &retry), AUTH_BAD);
	/* Now even the right password is refused, with a time to wait. */
	assert_int_equal(login(f, "alice", PASSWORD, &retry), AUTH_LOCKED);
	assert_true(retry > 0);
	assert_true(retry <= policy.backoff);
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM sessions"), 0);
	/* The lock is per name: another name is not locked. */
	assert_int_equal(login(f, "bob", "whatever-123", &retry), AUTH_BAD);
	assert_int_equal(retry, 0);
}

static void test_auth_login_backoff_doubles_after_lock_expires(void **state)
{
	struct fixture *f = *state;
	int64_t retry = -1;
	assert_int_equal(login(f, "alice", "wrong-password-1", &retry), AUTH_BAD);
	assert_int_equal(login(f, "alice", "wrong-password-2", &retry), AUTH_BAD);
	assert_int_equal(login(f, "alice", PASSWORD, &retry), AUTH_LOCKED);
	/* Let the first lock run out, then fail once more: twice the wait. */
	assert_int_equal(db_exec(f->db, "UPDATE login_attempts SET locked_until = 0"), DB_OK);
	assert_int_equal(login(f, "alice", "wrong-password-3", &retry), AUTH_BAD);
	assert_int_equal(login(f, "alice", PASSWORD, &retry), AUTH_LOCKED);
	assert_true(retry > policy.backoff);
	assert_true(retry <= 2 * policy.backoff);
}

static void test_auth_login_success_resets_failure_count(void **state)
{
	struct fixture *f = *state;
	int64_t retry = -1;
	assert_int_equal(login(f, "alice", "wrong-password-1", &retry), AUTH_BAD);
	assert_int_equal(login(f, "alice", PASSWORD, &retry), AUTH_OK);
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM login_attempts"), 0);
	/* Had the first failure still counted, this one would lock the name. */
	assert_int_equal(login(f, "alice", "wrong-password-2", &retry), AUTH_BAD);
	assert_int_equal(login(f, "alice", PASSWORD, &retry), AUTH_OK);
	assert_int_equal(retry, 0);
}

int main(void)
{
#define T(name) cmocka_unit_test(name)
#define S(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
#define U(name) cmocka_unit_test_setup_teardown(name, setup_user, teardown)
	const struct CMUnitTest tests[] = {
	        T(test_auth_hash_password_is_argon2id_and_verifies),
	        T(test_auth_verify_wrong_password_fails),
	        T(test_auth_two_hashes_of_same_password_differ),
	        T(test_auth_verify_malformed_hash_is_zero),
	        T(test_auth_tokens_are_43_char_base64url_and_differ),
	        T(test_auth_token_hash_is_64_hex_and_deterministic),
	        U(test_auth_session_create_then_lookup_ok),
	        S(test_auth_session_lookup_unknown_token_is_one),
	        U(test_auth_session_expired_is_one),
	        U(test_auth_session_revoke_is_one),
	        U(test_auth_session_revoke_user_ends_all_sessions),
	        U(test_auth_session_of_disabled_user_is_one),
	        U(test_auth_login_right_password_ok),
	        U(test_auth_login_wrong_password_bad),
	        S(test_auth_login_unknown_user_bad),
	        U(test_auth_login_disabled_user_bad),
	        U(test_auth_login_locked_after_max_failures),
	        U(test_auth_login_backoff_doubles_after_lock_expires),
	        U(test_auth_login_success_resets_failure_count),
	};
#undef T
#undef S
#undef U
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
