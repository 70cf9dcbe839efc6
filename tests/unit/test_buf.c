/*
 * test_buf.c — the bounded buffer (buf.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "buf.h"

#include <stdlib.h>
#include <string.h>

static void test_buf_empty_cstr_is_empty_string(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 16);
	assert_null(b.data);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.err, BUF_OK);
	buf_release(&b);
}

static void test_buf_append_concatenates(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 1024);
	assert_int_equal(buf_append(&b, "abc", 3), 0);
	assert_int_equal(buf_puts(&b, "def"), 0);
	assert_int_equal(buf_putc(&b, 'g'), 0);
	assert_int_equal(buf_append(&b, "hij", 0), 0);
	assert_int_equal(b.len, 7);
	assert_string_equal(buf_cstr(&b), "abcdefg");
	assert_int_equal(b.data[b.len], '\0');
	buf_release(&b);
}

static void test_buf_append_grows_past_initial_capacity(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 100000);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_puts(&b, "0123456789"), 0);
	assert_int_equal(b.len, 10000);
	assert_true(b.cap > b.len);
	assert_int_equal(strlen(buf_cstr(&b)), 10000);
	assert_memory_equal(b.data + 9990, "0123456789", 10);
	buf_release(&b);
}

static void test_buf_printf_formats(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 256);
	assert_int_equal(buf_printf(&b, "%s=%d", "n", 42), 0);
	assert_int_equal(buf_printf(&b, ",%05.1f,%c", 3.14159, 'x'), 0);
	assert_string_equal(buf_cstr(&b), "n=42,003.1,x");
	assert_int_equal(b.len, strlen("n=42,003.1,x"));
	buf_release(&b);
}

static void test_buf_printf_chinese_text(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 256);
	assert_int_equal(buf_printf(&b, "%s:%s", "用户名", "张三"), 0);
	assert_string_equal(buf_cstr(&b), "用户名:张三");
	buf_release(&b);
}

static void test_buf_exact_max_is_allowed(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "12345678"), 0);
	assert_int_equal(b.err, BUF_OK);
	assert_string_equal(buf_cstr(&b), "12345678");
	assert_true(b.cap <= b.max + 1);
	buf_release(&b);
}

static void test_buf_max_limit_sets_sticky_too_long(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "12345"), 0);
	/* Would pass the maximum: refused, nothing of it written. */
	assert_int_equal(buf_puts(&b, "6789"), BUF_TOO_LONG);
	assert_int_equal(b.err, BUF_TOO_LONG);
	assert_int_equal(b.len, 5);
	assert_string_equal(buf_cstr(&b), "12345");
	/* Sticky: later appends that would fit are ignored too. */
	assert_int_equal(buf_putc(&b, 'x'), BUF_TOO_LONG);
	assert_int_equal(buf_append(&b, "y", 1), BUF_TOO_LONG);
	assert_int_equal(buf_printf(&b, "%d", 1), BUF_TOO_LONG);
	assert_int_equal(b.len, 5);
	assert_string_equal(buf_cstr(&b), "12345");
	assert_int_equal(b.err, BUF_TOO_LONG);
	buf_release(&b);
}

static void test_buf_printf_over_max_sets_too_long(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 10);
	assert_int_equal(buf_printf(&b, "%s", "0123456789A"), BUF_TOO_LONG);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_puts(&b, "ok"), BUF_TOO_LONG);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void test_buf_huge_append_does_not_overflow(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 16);
	assert_int_equal(buf_puts(&b, "abc"), 0);
	/* len + extra would wrap around size_t. */
	assert_int_equal(buf_append(&b, "x", SIZE_MAX - 1), BUF_TOO_LONG);
	assert_int_equal(b.len, 3);
	buf_release(&b);
}

static void test_buf_reset_clears_error_and_content(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 4);
	assert_int_equal(buf_puts(&b, "abcdef"), BUF_TOO_LONG);
	buf_reset(&b);
	assert_int_equal(b.err, BUF_OK);
	assert_int_equal(buf_puts(&b, "ab"), 0);
	assert_string_equal(buf_cstr(&b), "ab");
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	buf_release(&b);
}

static void test_buf_take_hands_over_string_and_empties(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 64);
	buf_printf(&b, "hello %s", "world");
	char *s = buf_take(&b);
	assert_non_null(s);
	assert_string_equal(s, "hello world");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(b.max, 64);
	assert_string_equal(buf_cstr(&b), "");
	/* The buffer is reusable after take. */
	assert_int_equal(buf_puts(&b, "again"), 0);
	assert_string_equal(buf_cstr(&b), "again");
	free(s);
	buf_release(&b);
}

static void test_buf_take_of_empty_is_empty_string(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 64);
	char *s = buf_take(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

static void test_buf_release_accepts_null_and_frees(void **state)
{
	(void)state;
	buf_release(NULL);
	struct buf b;
	buf_init(&b, 64);
	buf_puts(&b, "data");
	buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_buf_empty_cstr_is_empty_string),
	        cmocka_unit_test(test_buf_append_concatenates),
	        cmocka_unit_test(test_buf_append_grows_past_initial_capacity),
	        cmocka_unit_test(test_buf_printf_formats),
	        cmocka_unit_test(test_buf_printf_chinese_text),
	        cmocka_unit_test(test_buf_exact_max_is_allowed),
	        cmocka_unit_test(test_buf_max_limit_sets_sticky_too_long),
	        cmocka_unit_test(test_buf_printf_over_max_sets_too_long),
	        cmocka_unit_test(test_buf_huge_append_does_not_overflow),
	        cmocka_unit_test(test_buf_reset_clears_error_and_content),
	        cmocka_unit_test(test_buf_take_hands_over_string_and_empties),
	        cmocka_unit_test(test_buf_take_of_empty_is_empty_string),
	        cmocka_unit_test(test_buf_release_accepts_null_and_frees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
