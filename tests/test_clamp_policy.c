/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for src/clamp_policy.c: what "auto", "off" and a fixed MSS mean
 * for each family and direction, whichever option spelled them.
 */
#include <check.h>

#include "check_main.h"
#include "clamp_policy.h"

START_TEST(test_mss_setting_parse)
{
	struct mss_setting setting;

	ck_assert(mss_setting_parse("auto", &setting));
	ck_assert_int_eq(setting.mode, MSS_MODE_AUTO);
	ck_assert(mss_setting_parse("off", &setting));
	ck_assert_int_eq(setting.mode, MSS_MODE_OFF);
	ck_assert(mss_setting_parse("0", &setting));
	ck_assert_int_eq(setting.mode, MSS_MODE_OFF);
	ck_assert(mss_setting_parse("1452", &setting));
	ck_assert_int_eq(setting.mode, MSS_MODE_FIXED);
	ck_assert_uint_eq(setting.value, 1452);
	ck_assert(mss_setting_parse("88", &setting));
	ck_assert(!mss_setting_parse("87", &setting));
	ck_assert(!mss_setting_parse("65496", &setting));
	ck_assert(!mss_setting_parse("1452x", &setting));
	ck_assert(!mss_setting_parse("Auto", &setting));
	ck_assert(!mss_setting_parse("", &setting));
	ck_assert(!mss_setting_parse(NULL, &setting));
}
END_TEST

START_TEST(test_policy_limits)
{
	struct clamp_policy policy;
	struct clamp_limits limits;

	clamp_policy_default(&policy);
	limits = clamp_policy_limits(&policy, 1400, 1480);
	ck_assert_uint_eq(limits.outbound.ipv4, 1440);
	ck_assert_uint_eq(limits.outbound.ipv6, 1420);
	ck_assert_uint_eq(limits.inbound.ipv4, 1360);
	ck_assert_uint_eq(limits.inbound.ipv6, 1340);

	clamp_policy_fixed_ipv4(&policy, 1400);
	limits = clamp_policy_limits(&policy, 1492, 1492);
	ck_assert_uint_eq(limits.outbound.ipv4, 1400);
	ck_assert_uint_eq(limits.inbound.ipv4, 1400);
	ck_assert_uint_eq(limits.outbound.ipv6, 1380);
	ck_assert_uint_eq(limits.inbound.ipv6, 1380);

	clamp_policy_fixed_ipv4(&policy, 90);
	ck_assert_uint_eq(policy.ipv6.value, MSS_FLOOR);

	policy.ipv4 = (struct mss_setting){ .mode = MSS_MODE_OFF };
	policy.ipv6 = (struct mss_setting){ .mode = MSS_MODE_AUTO };
	limits = clamp_policy_limits(&policy, 1492, 1492);
	ck_assert_uint_eq(limits.outbound.ipv4, 0);
	ck_assert_uint_eq(limits.inbound.ipv4, 0);
	ck_assert_uint_eq(limits.outbound.ipv6, 1432);
}
END_TEST

START_TEST(test_set_mss_fixed_gives_ipv6_twenty_less)
{
	struct clamp_policy policy;

	clamp_policy_default(&policy);
	ck_assert(clamp_policy_set_mss(&policy, "1452", false));
	ck_assert_int_eq(policy.ipv4.mode, MSS_MODE_FIXED);
	ck_assert_uint_eq(policy.ipv4.value, 1452);
	ck_assert_int_eq(policy.ipv6.mode, MSS_MODE_FIXED);
	ck_assert_uint_eq(policy.ipv6.value, 1432);
	ck_assert(clamp_policy_set_mss(&policy, "off", false));
	ck_assert_int_eq(policy.ipv4.mode, MSS_MODE_OFF);
	ck_assert_int_eq(policy.ipv6.mode, MSS_MODE_OFF);
	ck_assert(clamp_policy_set_mss(&policy, "auto", false));
	ck_assert_int_eq(policy.ipv4.mode, MSS_MODE_AUTO);
	ck_assert_int_eq(policy.ipv6.mode, MSS_MODE_AUTO);
}
END_TEST

/* pppoe-mss-ipv6 wins over what pppoe-mss implies, before or after it. */
START_TEST(test_set_mss_keeps_an_explicit_ipv6_setting)
{
	struct clamp_policy policy;

	clamp_policy_default(&policy);
	ck_assert(mss_setting_parse("off", &policy.ipv6));
	ck_assert(clamp_policy_set_mss(&policy, "1400", true));
	ck_assert_uint_eq(policy.ipv4.value, 1400);
	ck_assert_int_eq(policy.ipv6.mode, MSS_MODE_OFF);

	clamp_policy_default(&policy);
	ck_assert(clamp_policy_set_mss(&policy, "1400", false));
	ck_assert(mss_setting_parse("1300", &policy.ipv6));
	ck_assert_uint_eq(policy.ipv4.value, 1400);
	ck_assert_uint_eq(policy.ipv6.value, 1300);
}
END_TEST

START_TEST(test_set_mss_refuses_bad_values_unchanged)
{
	struct clamp_policy policy, before;
	static const char *const bad[] = { "", "87", "65496", "1452 ", "0x5ac", "-1", "on", "AUTO" };

	clamp_policy_default(&policy);
	ck_assert(clamp_policy_set_mss(&policy, "1452", false));
	before = policy;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(!clamp_policy_set_mss(&policy, bad[i], false), "accepted '%s'", bad[i]);
		ck_assert_mem_eq(&policy, &before, sizeof(policy));
	}
	ck_assert(!clamp_policy_set_mss(&policy, NULL, false));
}
END_TEST

static Suite *clamp_policy_suite(void)
{
	Suite *suite = suite_create("clamp_policy");
	TCase *settings = tcase_create("settings");
	TCase *limits = tcase_create("limits");

	tcase_add_test(settings, test_mss_setting_parse);
	tcase_add_test(settings, test_set_mss_fixed_gives_ipv6_twenty_less);
	tcase_add_test(settings, test_set_mss_keeps_an_explicit_ipv6_setting);
	tcase_add_test(settings, test_set_mss_refuses_bad_values_unchanged);
	suite_add_tcase(suite, settings);
	tcase_add_test(limits, test_policy_limits);
	suite_add_tcase(suite, limits);
	return suite;
}

int main(void)
{
	return check_main_run(clamp_policy_suite());
}
