/*
 * auth.h — passwords, session tokens and login with back-off.
 *
 * Passwords are hashed with argon2id (libsodium crypto_pwhash_str, the
 * "interactive" cost). Session tokens are 32 random bytes written in
 * base64url (43 characters); the store keeps only their BLAKE2b-256 hash, so
 * a copy of the store does not let anyone in. Sessions have an absolute
 * lifetime and are revoked by logout, by disabling the account and by a
 * password change.
 *
 * Login answers the same way (AUTH_BAD) for an unknown user, a disabled
 * user and a wrong password, and spends the same hashing work on each.
 * After login_max_failures consecutive failures for a user name, further
 * attempts are refused (AUTH_LOCKED) for login_backoff seconds, doubling
 * with each further failure up to 15 minutes; a success resets the count.
 */
#ifndef ZG_AUTH_H
#define ZG_AUTH_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct user;

#define AUTH_TOKEN_LEN 43 /* characters, without NUL */
#define AUTH_HASH_MAX 128 /* crypto_pwhash_STRBYTES */

/* Initialises libsodium and the dummy hash. Returns 0 or -1. Call once. */
int auth_init(void);

/* Writes the argon2id hash of pw into out[AUTH_HASH_MAX]. Returns 0 or -1. */
int auth_hash_password(const char *pw, char *out);
/* Returns 1 when pw matches hash, 0 otherwise (including a malformed hash). */
int auth_verify_password(const char *hash, const char *pw);

/* Fresh random token, NUL-terminated, into out[AUTH_TOKEN_LEN + 1]. */
void auth_token_new(char *out);
/* Hex BLAKE2b-256 of the token into out[65]. */
void auth_token_hash(const char *token, char *out);

/* Creates a session; writes its token and expiry. Returns 0 or -1. */
int auth_session_create(struct db *db, int64_t user_id, int ttl_s, char *token_out, int64_t *expires_at);
/* Looks a token up: 0 and *u filled when valid, 1 when unknown, expired,
 * revoked or the account is disabled, -1 on a store error. */
int auth_session_lookup(struct db *db, const char *token, int64_t now_ms, struct user *u);
/* The same by the token's hash (auth_token_hash), also giving the session's expiry. */
int auth_session_check(struct db *db, const char *token_hash, int64_t now_ms, struct user *u, int64_t *expires_at);
/* Revokes one token (0 also when it was unknown) or -1. */
int auth_session_revoke(struct db *db, const char *token);
/* Revokes all sessions of a user; call inside the caller's transaction. */
int auth_session_revoke_user(struct db *db, int64_t user_id);

struct auth_policy {
	int session_ttl; /* seconds */
	int max_failures;
	int backoff; /* seconds */
};

enum auth_result { AUTH_OK = 0, AUTH_BAD = 1, AUTH_LOCKED = 2, AUTH_ERROR = -1 };

/* Checks the credentials and, on success, opens a session. On AUTH_LOCKED
 * *retry_after_s says when to try again. */
enum auth_result auth_login(struct db *db, const struct auth_policy *p, const char *username, const char *password,
                            struct user *u, char *token_out, int64_t *expires_at, int64_t *retry_after_s);

#endif
