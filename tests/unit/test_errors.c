/*
 * test_errors.c — the error table and the JSON error body (errors.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "errors.h"

#include <stdlib.h>
#include <string.h>

/* Checks the shape {"error":{"code","field","message","message_en"}} and
 * returns the inner object (borrowed from root). */
static json_t *error_object(json_t *root)
{
	assert_non_null(root);
	assert_true(json_is_object(root));
	assert_int_equal(json_object_size(root), 1);
	json_t *e = json_object_get(root, "error");
	assert_non_null(e);
	assert_true(json_is_object(e));
	assert_int_equal(json_object_size(e), 4);
	assert_true(json_is_string(json_object_get(e, "code")));
	assert_non_null(json_object_get(e, "field"));
	assert_true(json_is_string(json_object_get(e, "message")));
	assert_true(json_is_string(json_object_get(e, "message_en")));
	return e;
}

static const char *str(json_t *e, const char *key)
{
	return json_string_value(json_object_get(e, key));
}

static void test_errors_json_shape_with_defaults(void **state)
{
	(void)state;
	json_t *root = zg_error_json(ZE_NOT_FOUND, NULL, NULL, NULL);
	json_t *e = error_object(root);
	assert_string_equal(str(e, "code"), "not_found");
	assert_true(json_is_null(json_object_get(e, "field")));
	assert_string_equal(str(e, "message"), "请求的资源不存在");
	assert_string_equal(str(e, "message_en"), "The requested resource does not exist");
	json_decref(root);
}

static void test_errors_json_empty_messages_take_defaults(void **state)
{
	(void)state;
	json_t *root = zg_error_json(ZE_FORBIDDEN, NULL, "", "");
	json_t *e = error_object(root);
	assert_string_equal(str(e, "code"), "forbidden");
	assert_string_equal(str(e, "message"), zg_error_zh(ZE_FORBIDDEN));
	assert_string_equal(str(e, "message_en"), zg_error_en(ZE_FORBIDDEN));
	json_decref(root);
}

static void test_errors_json_custom_messages_and_field(void **state)
{
	(void)state;
	json_t *root = zg_error_json(ZE_INVALID_FIELD, "phone", "手机号须为以1开头的11位数字",
	                             "phone must be 11 digits starting with 1");
	json_t *e = error_object(root);
	assert_string_equal(str(e, "code"), "invalid_field");
	assert_true(json_is_string(json_object_get(e, "field")));
	assert_string_equal(str(e, "field"), "phone");
	assert_string_equal(str(e, "message"), "手机号须为以1开头的11位数字");
	assert_string_equal(str(e, "message_en"), "phone must be 11 digits starting with 1");
	json_decref(root);
}

static void test_errors_json_one_custom_message_other_default(void **state)
{
	(void)state;
	json_t *root = zg_error_json(ZE_CONFLICT, "username", "用户名已存在", NULL);
	json_t *e = error_object(root);
	assert_string_equal(str(e, "message"), "用户名已存在");
	assert_string_equal(str(e, "message_en"), "Conflicts with existing data");
	json_decref(root);
}

static void test_errors_json_serializes_compactly(void **state)
{
	(void)state;
	json_t *root = zg_error_json(ZE_METHOD_NOT_ALLOWED, NULL, NULL, NULL);
	char *text = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"code\":\"method_not_allowed\""));
	assert_non_null(strstr(text, "\"field\":null"));
	free(text);
	json_decref(root);
}

static void test_errors_status_mapping_for_each_code(void **state)
{
	(void)state;
	static const struct {
		enum zg_error e;
		int status;
		const char *code;
	} want[] = {
	        {ZE_OK, 200, "ok"},
	        {ZE_BAD_JSON, 400, "bad_json"},
	        {ZE_BAD_ENCODING, 400, "bad_encoding"},
	        {ZE_BAD_REQUEST, 400, "bad_request"},
	        {ZE_UNAUTHENTICATED, 401, "unauthenticated"},
	        {ZE_INVALID_CREDENTIALS, 401, "invalid_credentials"},
	        {ZE_FORBIDDEN, 403, "forbidden"},
	        {ZE_NOT_FOUND, 404, "not_found"},
	        {ZE_OUTSIDE_ZONE, 404, "outside_zone"},
	        {ZE_METHOD_NOT_ALLOWED, 405, "method_not_allowed"},
	        {ZE_CONFLICT, 409, "conflict"},
	        {ZE_PAYLOAD_TOO_LARGE, 413, "payload_too_large"},
	        {ZE_UNSUPPORTED_MEDIA_TYPE, 415, "unsupported_media_type"},
	        {ZE_INVALID_FIELD, 422, "invalid_field"},
	        {ZE_MISSING_FIELD, 422, "missing_field"},
	        {ZE_INVALID_IMPORT, 422, "invalid_import"},
	        {ZE_TOO_MANY_ATTEMPTS, 429, "too_many_attempts"},
	        {ZE_INTERNAL, 500, "internal_error"},
	        {ZE_STORE, 503, "store_unavailable"},
	};
	assert_int_equal(sizeof want / sizeof want[0], ZE__COUNT);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_int_equal(zg_error_status(want[i].e), want[i].status);
		assert_string_equal(zg_error_code(want[i].e), want[i].code);
	}
}

static void test_errors_out_of_range_is_internal(void **state)
{
	(void)state;
	assert_int_equal(zg_error_status(ZE__COUNT), 500);
	assert_string_equal(zg_error_code(ZE__COUNT), "internal_error");
	assert_string_equal(zg_error_zh((enum zg_error) - 1), zg_error_zh(ZE_INTERNAL));
	assert_string_equal(zg_error_en((enum zg_error)99), zg_error_en(ZE_INTERNAL));
}

static void test_errors_table_rows_complete_and_codes_unique(void **state)
{
	(void)state;
	for (int i = 0; i < ZE__COUNT; i++) {
		enum zg_error e = (enum zg_error)i;
		assert_non_null(zg_error_code(e));
		assert_true(strlen(zg_error_code(e)) > 0);
		assert_true(strlen(zg_error_zh(e)) > 0);
		assert_true(strlen(zg_error_en(e)) > 0);
		int st = zg_error_status(e);
		assert_true(st >= 200 && st <= 599);
		/* Codes are snake_case ASCII: part of the API. */
		for (const char *p = zg_error_code(e); *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || *p == '_');
		for (int j = 0; j < i; j++)
			assert_string_not_equal(zg_error_code(e), zg_error_code((enum zg_error)j));
	}
}

static void test_errors_zerr_set_returns_minus_one_and_fills(void **state)
{
	(void)state;
	struct zerr e;
	zerr_clear(&e);
	assert_int_equal(e.kind, ZE_OK);
	assert_null(e.field);
	assert_string_equal(e.zh, "");
	assert_string_equal(e.en, "");

	assert_int_equal(zerr_set(&e, ZE_MISSING_FIELD, "name", "缺少姓名", "name is required"), -1);
	assert_int_equal(e.kind, ZE_MISSING_FIELD);
	assert_string_equal(e.field, "name");
	assert_string_equal(e.zh, "缺少姓名");
	assert_string_equal(e.en, "name is required");

	/* NULL messages mean the defaults: stored as "". */
	assert_int_equal(zerr_set(&e, ZE_STORE, NULL, NULL, NULL), -1);
	assert_int_equal(e.kind, ZE_STORE);
	assert_null(e.field);
	assert_string_equal(e.zh, "");
	assert_string_equal(e.en, "");

	/* A NULL target is allowed. */
	assert_int_equal(zerr_set(NULL, ZE_INTERNAL, NULL, NULL, NULL), -1);

	zerr_set(&e, ZE_CONFLICT, "username", "x", "y");
	zerr_clear(&e);
	assert_int_equal(e.kind, ZE_OK);
	assert_null(e.field);
	assert_string_equal(e.zh, "");
	zerr_clear(NULL);
}

static void test_errors_zerr_set_truncates_long_message(void **state)
{
	(void)state;
	char longmsg[600];
	memset(longmsg, 'm', sizeof longmsg - 1);
	longmsg[sizeof longmsg - 1] = '\0';
	struct zerr e;
	assert_int_equal(zerr_set(&e, ZE_BAD_REQUEST, NULL, longmsg, longmsg), -1);
	assert_int_equal(strlen(e.zh), sizeof e.zh - 1);
	assert_int_equal(strlen(e.en), sizeof e.en - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_errors_json_shape_with_defaults),
	        cmocka_unit_test(test_errors_json_empty_messages_take_defaults),
	        cmocka_unit_test(test_errors_json_custom_messages_and_field),
	        cmocka_unit_test(test_errors_json_one_custom_message_other_default),
	        cmocka_unit_test(test_errors_json_serializes_compactly),
	        cmocka_unit_test(test_errors_status_mapping_for_each_code),
	        cmocka_unit_test(test_errors_out_of_range_is_internal),
	        cmocka_unit_test(test_errors_table_rows_complete_and_codes_unique),
	        cmocka_unit_test(test_errors_zerr_set_returns_minus_one_and_fills),
	        cmocka_unit_test(test_errors_zerr_set_truncates_long_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
