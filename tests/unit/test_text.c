/*
 * test_text.c — UTF-8 validity and character counts (text.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "text.h"

#include <string.h>

/* Valid when the whole literal (without its NUL) is checked. */
#define VALID(lit) utf8_valid((lit), sizeof(lit) - 1)

static void test_text_utf8_valid_accepts_ascii(void **state)
{
	(void)state;
	assert_true(VALID("hello, world 0123 ~!@#$%^&*()"));
	assert_true(VALID(""));
	assert_true(utf8_valid("abc", 0));
	/* NUL is a valid code point when inside the length. */
	assert_true(utf8_valid("a\0b", 3));
	assert_true(VALID("\x7f"));
}

static void test_text_utf8_valid_accepts_chinese(void **state)
{
	(void)state;
	assert_true(VALID("开发区网格化治理"));
	assert_true(VALID("张三 Zhang San,手机 138"));
	/* Full-width punctuation and the smallest 2- and 3-byte code points. */
	assert_true(VALID("\xc2\x80"));     /* U+0080 */
	assert_true(VALID("\xe0\xa0\x80")); /* U+0800 */
	assert_true(VALID("\xef\xbf\xbf")); /* U+FFFF */
	assert_true(VALID("\xed\x9f\xbf")); /* U+D7FF, just below the surrogates */
	assert_true(VALID("\xee\x80\x80")); /* U+E000, just above */
}

static void test_text_utf8_valid_accepts_four_byte_emoji(void **state)
{
	(void)state;
	assert_true(VALID("\xf0\x9f\x98\x80"));       /* U+1F600 😀 */
	assert_true(VALID("ok \xf0\x9f\x91\x8d 好")); /* 👍 */
	assert_true(VALID("\xf0\x90\x80\x80"));       /* U+10000 */
	assert_true(VALID("\xf4\x8f\xbf\xbf"));       /* U+10FFFF, the last */
}

static void test_text_utf8_valid_refuses_overlongs(void **state)
{
	(void)state;
	assert_false(VALID("\xc0\x80"));         /* NUL in two bytes */
	assert_false(VALID("\xc1\xbf"));         /* U+007F in two bytes */
	assert_false(VALID("\xe0\x80\x80"));     /* NUL in three bytes */
	assert_false(VALID("\xe0\x9f\xbf"));     /* U+07FF in three bytes */
	assert_false(VALID("\xf0\x80\x80\x80")); /* NUL in four bytes */
	assert_false(VALID("\xf0\x8f\xbf\xbf")); /* U+FFFF in four bytes */
	assert_false(VALID("a\xc0\xafz"));       /* overlong '/' amid text */
}

static void test_text_utf8_valid_refuses_surrogates(void **state)
{
	(void)state;
	assert_false(VALID("\xed\xa0\x80")); /* U+D800 */
	assert_false(VALID("\xed\xbf\xbf")); /* U+DFFF */
	assert_false(VALID("\xed\xb0\x80")); /* U+DC00 */
	/* A CESU-8 pair for U+1F600. */
	assert_false(VALID("\xed\xa0\xbd\xed\xb8\x80"));
}

static void test_text_utf8_valid_refuses_truncated_sequences(void **state)
{
	(void)state;
	assert_false(VALID("\xe4\xb8")); /* 中 without its last byte */
	assert_false(VALID("abc\xe4"));
	assert_false(VALID("\xf0\x9f\x98")); /* emoji without its last byte */
	assert_false(VALID("\xc2"));
	/* Truncated by the length, not by the data. */
	assert_false(utf8_valid("\xe4\xb8\xad", 2));
	assert_true(utf8_valid("\xe4\xb8\xad", 3));
	/* A lead byte followed by a non-continuation byte. */
	assert_false(VALID("\xe4\x41\xad"));
	assert_false(VALID("\xc2 "));
}

static void test_text_utf8_valid_refuses_past_max_code_point(void **state)
{
	(void)state;
	assert_false(VALID("\xf4\x90\x80\x80")); /* U+110000 */
	assert_false(VALID("\xf5\x80\x80\x80"));
	assert_false(VALID("\xf7\xbf\xbf\xbf"));
	/* Five- and six-byte forms and the bytes that never occur. */
	assert_false(VALID("\xf8\x88\x80\x80\x80"));
	assert_false(VALID("\xfc\x84\x80\x80\x80\x80"));
	assert_false(VALID("\xfe"));
	assert_false(VALID("\xff"));
}

static void test_text_utf8_valid_refuses_lone_continuation_bytes(void **state)
{
	(void)state;
	assert_false(VALID("\x80"));
	assert_false(VALID("\xbf"));
	assert_false(VALID("abc\x80"));
	/* One continuation byte too many after a complete character. */
	assert_false(VALID("\xe4\xb8\xad\xad"));
}

static void test_text_utf8_chars_counts_code_points(void **state)
{
	(void)state;
	assert_int_equal(utf8_chars(""), 0);
	assert_int_equal(utf8_chars("abc"), 3);
	assert_int_equal(utf8_chars("张三"), 2);
	assert_int_equal(strlen("张三"), 6);
	assert_int_equal(utf8_chars("a\xc2\xa9z"), 3);       /* a©z */
	assert_int_equal(utf8_chars("\xf0\x9f\x98\x80"), 1); /* one emoji */
	assert_int_equal(utf8_chars("开发区 A1 \xf0\x9f\x91\x8d"), 8);
}

static void test_text_has_control_finds_control_characters(void **state)
{
	(void)state;
	assert_false(text_has_control("张三 Zhang"));
	assert_false(text_has_control(""));
	assert_true(text_has_control("a\tb"));
	assert_true(text_has_control("line\n"));
	assert_true(text_has_control("\x1f"));
	assert_true(text_has_control("del\x7f"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_text_utf8_valid_accepts_ascii),
	        cmocka_unit_test(test_text_utf8_valid_accepts_chinese),
	        cmocka_unit_test(test_text_utf8_valid_accepts_four_byte_emoji),
	        cmocka_unit_test(test_text_utf8_valid_refuses_overlongs),
	        cmocka_unit_test(test_text_utf8_valid_refuses_surrogates),
	        cmocka_unit_test(test_text_utf8_valid_refuses_truncated_sequences),
	        cmocka_unit_test(test_text_utf8_valid_refuses_past_max_code_point),
	        cmocka_unit_test(test_text_utf8_valid_refuses_lone_continuation_bytes),
	        cmocka_unit_test(test_text_utf8_chars_counts_code_points),
	        cmocka_unit_test(test_text_has_control_finds_control_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
