/*
 * auth.c — passwords, tokens, sessions and login back-off; see auth.h.
 */
#include "auth.h"
#include "db.h"
#include "log.h"
#include "timeutil.h"
#include "users.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static char dummy_hash[crypto_pwhash_STRBYTES];

int auth_init(void)
{
	if (sodium_init() < 0)
		return -1;
	if (dummy_hash[0])
		return 0;
	/* Verified against when the user does not exist, so that an unknown name
	 * costs the same time as a wrong password. */
	char pw[AUTH_TOKEN_LEN + 1]; /* auth_token_new writes AUTH_TOKEN_LEN + 1 bytes */
	auth_token_new(pw);
	pw[32] = '\0';
	return auth_hash_password(pw, dummy_hash);
}

int auth_hash_password(const char *pw, char *out)
{
	return crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                             crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) == 0
	               ? 0
	               : -1;
}

int auth_verify_password(const char *hash, const char *pw)
{
	if (!hash || strncmp(hash, "$argon2id$", 10) != 0)
		return 0;
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void auth_token_new(char *out)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void auth_token_hash(const char *token, char *out)
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

static const char SQL_SESSION_INSERT[] =
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)";
static const char SQL_SESSION_PURGE[] =
        "DELETE FROM sessions WHERE user_id = ? AND (expires_at <= ? OR revoked_at IS NOT NULL)";

int auth_session_create(struct db *db, int64_t user_id, int ttl_s, char *token_out, int64_t *expires_at)
{
	char hash[65];
	int64_t now = time_now_ms();
	auth_token_new(token_out);
	auth_token_hash(token_out, hash);
	*expires_at = now + (int64_t)ttl_s * 1000;

	struct db_stmt *st = db_prepare(db, SQL_SESSION_PURGE);
	if (!st)
		return -1;
	db_bind_i64(st, 1, user_id);
	db_bind_i64(st, 2, now);
	int rc = db_step(st);
	db_stmt_done(st);
	if (rc != DB_DONE)
		return -1;

	st = db_prepare(db, SQL_SESSION_INSERT);
	if (!st)
		return -1;
	db_bind_text(st, 1, hash);
	db_bind_i64(st, 2, user_id);
	db_bind_i64(st, 3, now);
	db_bind_i64(st, 4, *expires_at);
	rc = db_step(st);
	db_stmt_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static const char SQL_SESSION_LOOKUP[] =
        "SELECT u.id, u.username, u.name, u.roles, u.phone, u.scope_unit, u.scope_department, u.disabled, u.created_at,"
        " s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id"
        " WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND u.disabled = 0";

int auth_session_lookup(struct db *db, const char *token, int64_t now_ms, struct user *u)
{
	if (strlen(token) != AUTH_TOKEN_LEN)
		return 1;
	char hash[65];
	int64_t expires_at;
	auth_token_hash(token, hash);
	return auth_session_check(db, hash, now_ms, u, &expires_at);
}

int auth_session_check(struct db *db, const char *hash, int64_t now_ms, struct user *u, int64_t *expires_at)
{
	struct db_stmt *st = db_prepare(db, SQL_SESSION_LOOKUP);
	if (!st)
		return -1;
	db_bind_text(st, 1, hash);
	db_bind_i64(st, 2, now_ms);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		user_from_row(st, u);
		*expires_at = db_col_i64(st, 9);
	}
	db_stmt_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

static const char SQL_SESSION_REVOKE[] =
        "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL";

int auth_session_revoke(struct db *db, const char *token)
{
	char hash[65];
	auth_token_hash(token, hash);
	struct db_stmt *st = db_prepare(db, SQL_SESSION_REVOKE);
	if (!st)
		return -1;
	db_bind_i64(st, 1, time_now_ms());
	db_bind_text(st, 2, hash);
	int rc = db_step(st);
	db_stmt_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static const char SQL_SESSION_REVOKE_USER[] =
        "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL";

int auth_session_revoke_user(struct db *db, int64_t user_id)
{
	struct db_stmt *st = db_prepare(db, SQL_SESSION_REVOKE_USER);
	if (!st)
		return -1;
	db_bind_i64(st, 1, time_now_ms());
	db_bind_i64(st, 2, user_id);
	int rc = db_step(st);
	db_stmt_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static const char SQL_ATTEMPT_GET[] = "SELECT failures, locked_until FROM login_attempts WHERE username = ?";
static const char SQL_ATTEMPT_UPSERT[] =
        "INSERT INTO login_attempts (username, failures, last_failure_at, locked_until) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (username) DO UPDATE SET failures = excluded.failures,"
        " last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until";
static const char SQL_ATTEMPT_CLEAR[] = "DELETE FROM login_attempts WHERE username = ?";

/* Reads the failure count and lock of a name. Returns 0 or -1. */
static int attempts_get(struct db *db, const char *username, int64_t *failures, int64_t *locked_until)
{
	struct db_stmt *st = db_prepare(db, SQL_ATTEMPT_GET);
	if (!st)
		return -1;
	db_bind_text(st, 1, username);
	int rc = db_step(st);
	*failures = rc == DB_ROW ? db_col_i64(st, 0) : 0;
	*locked_until = rc == DB_ROW ? db_col_i64(st, 1) : 0;
	db_stmt_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

/* Counts one more failure and sets the lock; in its own transaction so two
 * concurrent failures both count. */
static int attempts_fail(struct db *db, const struct auth_policy *p, const char *username)
{
	int64_t failures, locked_until, now = time_now_ms();
	if (db_begin(db) != DB_OK)
		return -1;
	if (attempts_get(db, username, &failures, &locked_until))
		goto fail;
	failures++;
	if (failures >= p->max_failures) {
		int64_t secs = p->backoff;
		for (int64_t i = p->max_failures; i < failures && secs < 900; i++)
			secs *= 2;
		if (secs > 900)
			secs = 900;
		locked_until = now + secs * 1000;
	}
	struct db_stmt *st = db_prepare(db, SQL_ATTEMPT_UPSERT);
	if (!st)
		goto fail;
	db_bind_text(st, 1, username);
	db_bind_i64(st, 2, failures);
	db_bind_i64(st, 3, now);
	db_bind_i64(st, 4, locked_until);
	int rc = db_step(st);
	db_stmt_done(st);
	if (rc != DB_DONE)
		goto fail;
	return db_commit(db) == DB_OK ? 0 : -1;
fail:
	db_rollback(db);
	return -1;
}

static const char SQL_LOGIN_USER[] = "SELECT id, password_hash, disabled FROM users WHERE username = ?";

enum auth_result auth_login(struct db *db, const struct auth_policy *p, const char *username, const char *password,
                            struct user *u, char *token_out, int64_t *expires_at, int64_t *retry_after_s)
{
	int64_t failures, locked_until, now = time_now_ms();
	*retry_after_s = 0;
	if (attempts_get(db, username, &failures, &locked_until))
		return AUTH_ERROR;
	if (locked_until > now) {
		*retry_after_s = (locked_until - now + 999) / 1000;
		return AUTH_LOCKED;
	}

	char hash[crypto_pwhash_STRBYTES] = "";
	int64_t id = 0, disabled = 1;
	struct db_stmt *st = db_prepare(db, SQL_LOGIN_USER);
	if (!st)
		return AUTH_ERROR;
	db_bind_text(st, 1, username);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		id = db_col_i64(st, 0);
		snprintf(hash, sizeof hash, "%s", db_col_text(st, 1));
		disabled = db_col_i64(st, 2);
	}
	db_stmt_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return AUTH_ERROR;

	int ok = auth_verify_password(rc == DB_ROW ? hash : dummy_hash, password) && rc == DB_ROW && !disabled;
	sodium_memzero(hash, sizeof hash);
	if (!ok)
		return attempts_fail(db, p, username) ? AUTH_ERROR : AUTH_BAD;

	if (db_begin(db) != DB_OK)
		return AUTH_ERROR;
	st = db_prepare(db, SQL_ATTEMPT_CLEAR);
	if (!st)
		goto fail;
	db_bind_text(st, 1, username);
	rc = db_step(st);
	db_stmt_done(st);
	if (rc != DB_DONE || auth_session_create(db, id, p->session_ttl, token_out, expires_at))
		goto fail;
	if (db_commit(db) != DB_OK)
		return AUTH_ERROR;
	return user_get(db, id, u) == 0 ? AUTH_OK : AUTH_ERROR;
fail:
	db_rollback(db);
	return AUTH_ERROR;
}
