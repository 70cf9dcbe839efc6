/*
 * test_projects.c — the ledger's arithmetic (projects.h): money in 亿元 as
 * the seeds print it, percentages in tenths rounded half up in integers,
 * and the credit code's check character (GB 32100-2015).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "projects.h"

static void test_projects_money_as_the_seeds_print_it(void **state)
{
	(void)state;
	char s[32];
	money_yi(26400000000LL, s, sizeof s);
	assert_string_equal(s, "264");
	money_yi(14195000000LL, s, sizeof s);
	assert_string_equal(s, "141.95");
	money_yi(2539000000LL, s, sizeof s);
	assert_string_equal(s, "25.39");
	money_yi(1269000000LL, s, sizeof s);
	assert_string_equal(s, "12.69");
	money_yi(2530000000LL, s, sizeof s);
	assert_string_equal(s, "25.3");
	money_yi(122000000LL, s, sizeof s); /* seed 002's loans, 1.22亿 */
	assert_string_equal(s, "1.22");
	money_yi(14194999999LL, s, sizeof s); /* half up at the hundredth */
	assert_string_equal(s, "141.95");
	money_yi(14194499999LL, s, sizeof s);
	assert_string_equal(s, "141.94");
	money_yi(0, s, sizeof s);
	assert_string_equal(s, "0");
}

static void test_projects_percent_in_tenths_half_up(void **state)
{
	(void)state;
	char s[32];
	percent_tenths(14195000000LL, 10100000000LL, s, sizeof s); /* seed 000 */
	assert_string_equal(s, "140.5");
	percent_tenths(36, 36, s, sizeof s); /* seed 002's rates */
	assert_string_equal(s, "100.0");
	percent_tenths(189, 278, s, sizeof s); /* seed 004: 68.0 % */
	assert_string_equal(s, "68.0");
	percent_tenths(1, 8, s, sizeof s); /* 12.5 exactly */
	assert_string_equal(s, "12.5");
	percent_tenths(1, 1600, s, sizeof s); /* 0.0625 % → 0.1 (half up) */
	assert_string_equal(s, "0.1");
	percent_tenths(5, 0, s, sizeof s);
	assert_string_equal(s, "");
}

static void test_projects_credit_code_check_character(void **state)
{
	(void)state;
	assert_true(credit_code_valid("91350100M000100Y43"));
	assert_true(credit_code_valid("91410900MA44RDN41T"));
	assert_false(credit_code_valid("91410900MA44RDN41X")); /* wrong check character */
	assert_false(credit_code_valid("91350100M000100Y4"));  /* 17 characters */
	assert_false(credit_code_valid("91350100M000100I43")); /* I is not in the charset */
	assert_false(credit_code_valid("91350100m000100Y43")); /* lower case */
	assert_false(credit_code_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_projects_money_as_the_seeds_print_it),
	        cmocka_unit_test(test_projects_percent_in_tenths_half_up),
	        cmocka_unit_test(test_projects_credit_code_check_character),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
