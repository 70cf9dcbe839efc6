/*
 * errors.h — the one table of error kinds.
 *
 * Each row: enum name, HTTP status, stable code string (part of the API),
 * default Chinese message, default English message. HTTP replies, CLI
 * messages and the OpenAPI document all come from this table.
 *
 * struct zerr carries an error from domain code (users, auth, ...) to
 * whoever reports it: an HTTP handler turns it into a JSON error reply, a CLI
 * command prints it and exits 2. Messages are optional; NULL/empty means the
 * table's default.
 */
#ifndef ZG_ERRORS_H
#define ZG_ERRORS_H

#include <jansson.h>

#define ZG_ERRORS(X)                                                                                                   \
	X(ZE_OK, 200, "ok", "成功", "OK")                                                                              \
	X(ZE_BAD_JSON, 400, "bad_json", "请求体不是合法的 JSON 对象", "Request body is not a valid JSON object")       \
	X(ZE_BAD_ENCODING, 400, "bad_encoding", "请求包含无效的 UTF-8 编码", "Request contains invalid UTF-8")         \
	X(ZE_BAD_REQUEST, 400, "bad_request", "请求参数有误", "Bad request parameter")                                 \
	X(ZE_UNAUTHENTICATED, 401, "unauthenticated", "请先登录,或登录已过期",                                         \
	  "Please log in; the session is missing or expired")                                                          \
	X(ZE_INVALID_CREDENTIALS, 401, "invalid_credentials", "用户名或密码错误", "Wrong username or password")        \
	X(ZE_FORBIDDEN, 403, "forbidden", "您没有执行此操作的权限", "You are not allowed to do this")                  \
	X(ZE_NOT_FOUND, 404, "not_found", "请求的资源不存在", "The requested resource does not exist")                 \
	X(ZE_OUTSIDE_ZONE, 404, "outside_zone", "该位置不在本区任何网格内",                                            \
	  "The point lies outside every grid cell of the zone")                                                        \
	X(ZE_METHOD_NOT_ALLOWED, 405, "method_not_allowed", "不支持该请求方法", "Method not allowed on this resource") \
	X(ZE_CONFLICT, 409, "conflict", "与现有数据冲突", "Conflicts with existing data")                              \
	X(ZE_PAYLOAD_TOO_LARGE, 413, "payload_too_large", "请求体超过大小限制", "Request body exceeds the size limit") \
	X(ZE_UNSUPPORTED_MEDIA_TYPE, 415, "unsupported_media_type", "请求体须为 application/json",                     \
	  "Request body must be application/json")                                                                     \
	X(ZE_INVALID_FIELD, 422, "invalid_field", "字段值无效", "Invalid field value")                                 \
	X(ZE_MISSING_FIELD, 422, "missing_field", "缺少必填字段", "A required field is missing")                       \
	X(ZE_INVALID_IMPORT, 422, "invalid_import", "导入文件有误,未导入任何数据",                                     \
	  "The import file has problems; nothing was imported")                                                        \
	X(ZE_TOO_MANY_ATTEMPTS, 429, "too_many_attempts", "登录失败次数过多,请稍后再试",                               \
	  "Too many failed attempts; try again later")                                                                 \
	X(ZE_INTERNAL, 500, "internal_error", "服务器内部错误", "Internal server error")                               \
	X(ZE_STORE, 503, "store_unavailable", "数据存储暂不可用", "The data store is unavailable")

enum zg_error {
#define ZG_ERR_ENUM(name, status, code, zh, en) name,
	ZG_ERRORS(ZG_ERR_ENUM)
#undef ZG_ERR_ENUM
	        ZE__COUNT
};

int zg_error_status(enum zg_error e);
const char *zg_error_code(enum zg_error e);
const char *zg_error_zh(enum zg_error e);
const char *zg_error_en(enum zg_error e);

struct zerr {
	enum zg_error kind; /* ZE_OK when no error */
	const char *field;  /* static string naming the field, or NULL */
	char zh[256];       /* message in Chinese, "" for the default */
	char en[256];       /* message in English, "" for the default */
};

/* Fills *e (any pointer may be NULL for a default) and returns -1, so that
 * domain code can write `return zerr_set(e, ZE_INVALID_FIELD, "name", ...)`. */
int zerr_set(struct zerr *e, enum zg_error kind, const char *field, const char *zh, const char *en);
void zerr_clear(struct zerr *e);

/* Builds {"error":{"code","field","message","message_en"}}; returns a new
 * reference (caller owns). NULL messages take the table's defaults. */
json_t *zg_error_json(enum zg_error e, const char *field, const char *zh, const char *en);

#endif
