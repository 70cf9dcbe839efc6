/*
 * api_auth.c — login, logout and the current user.
 *
 * The session token goes back in the body (for API clients, used as
 * `Authorization: Bearer`) and in an HttpOnly SameSite=Strict cookie (for
 * the web app, which never sees it).
 */
#include "api.h"
#include "server.h"
#include "timeutil.h"

#include <stdio.h>
#include <string.h>

static void set_session_cookie(struct req *r, const char *token, int max_age)
{
	char cookie[256];
	snprintf(cookie, sizeof cookie, "zonegov_session=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s", token,
	         max_age, r->srv->cfg.cookie_secure ? "; Secure" : "");
	reply_header(r, "Set-Cookie", cookie);
}

void api_login(struct req *r)
{
	json_t *u = json_object_get(r->json, "username"), *p = json_object_get(r->json, "password");
	if (!u || json_is_null(u)) {
		reply_error(r, ZE_MISSING_FIELD, "username", "请输入用户名", "username is required");
		return;
	}
	if (!json_is_string(u) || json_string_length(u) == 0 || json_string_length(u) > 64) {
		reply_error(r, ZE_INVALID_FIELD, "username", "用户名格式不正确",
		            "username must be a string of 1-64 bytes");
		return;
	}
	if (!p || json_is_null(p)) {
		reply_error(r, ZE_MISSING_FIELD, "password", "请输入密码", "password is required");
		return;
	}
	if (!json_is_string(p) || json_string_length(p) > 128) {
		reply_error(r, ZE_INVALID_FIELD, "password", "密码格式不正确",
		            "password must be a string of at most 128 bytes");
		return;
	}
	struct user user;
	char token[AUTH_TOKEN_LEN + 1];
	int64_t expires_at = 0, retry_after = 0;
	enum auth_result rc = auth_login(r->db, &r->srv->auth, json_string_value(u), json_string_value(p), &user, token,
	                                 &expires_at, &retry_after);
	if (rc == AUTH_LOCKED) {
		char secs[32], zh[160], en[160];
		snprintf(secs, sizeof secs, "%lld", (long long)retry_after);
		snprintf(zh, sizeof zh, "登录失败次数过多,请 %lld 秒后再试", (long long)retry_after);
		snprintf(en, sizeof en, "Too many failed attempts; try again in %lld seconds", (long long)retry_after);
		reply_error(r, ZE_TOO_MANY_ATTEMPTS, NULL, zh, en);
		reply_header(r, "Retry-After", secs);
		return;
	}
	if (rc == AUTH_BAD) {
		reply_error(r, ZE_INVALID_CREDENTIALS, NULL, NULL, NULL);
		return;
	}
	if (rc != AUTH_OK) {
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
		return;
	}
	char expires[40];
	time_format_iso(expires_at, expires, sizeof expires);
	reply_json(r, 200,
	           json_pack("{s:s,s:s,s:o}", "token", token, "expires_at", expires, "user", user_to_json(&user, 1)));
	set_session_cookie(r, token, r->srv->auth.session_ttl);
}

void api_logout(struct req *r)
{
	session_cache_invalidate(&r->srv->sessions);
	if (auth_session_revoke(r->db, r->token)) {
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
		return;
	}
	reply_empty(r, 204);
	set_session_cookie(r, "", 0);
}

void api_me(struct req *r)
{
	if (r->me[0]) { /* rendered when the session was cached */
		char *body = strdup(r->me);
		if (body) {
			reply_bytes(r, 200, "application/json; charset=utf-8", body, strlen(body));
			return;
		}
	}
	reply_json(r, 200, json_pack("{s:o}", "user", user_to_json(&r->user, 1)));
}
