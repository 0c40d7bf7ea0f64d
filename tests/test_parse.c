/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/parse.c. */
#include <check.h>
#include <stdbool.h>
#include <string.h>

#include "check_main.h"
#include "parse.h"

START_TEST(test_mac_parse_accepts_colons_and_dashes)
{
	uint8_t mac[PPPOE_MAC_LEN];
	const uint8_t expected[PPPOE_MAC_LEN] = { 0x00, 0x1a, 0x2B, 0xc3, 0xff, 0x09 };

	ck_assert(parse_mac("00:1a:2B:c3:ff:09", mac));
	ck_assert_mem_eq(mac, expected, PPPOE_MAC_LEN);
	memset(mac, 0, sizeof(mac));
	ck_assert(parse_mac("00-1a-2b-c3-ff-09", mac));
	ck_assert_mem_eq(mac, expected, PPPOE_MAC_LEN);
}
END_TEST

START_TEST(test_mac_parse_rejects_malformed)
{
	static const char *const bad[] = {
		"", "00:11:22:33:44", "00:11:22:33:44:55:66", "00:11:22:33:44:5", "0:11:22:33:44:55",
		"00:11:22:33:44:5g", "00;11:22:33:44:55", "00:11:22:33:44:55 ", " 00:11:22:33:44:55",
	};
	uint8_t mac[PPPOE_MAC_LEN] = { 0xee, 0xee, 0xee, 0xee, 0xee, 0xee };
	const uint8_t untouched[PPPOE_MAC_LEN] = { 0xee, 0xee, 0xee, 0xee, 0xee, 0xee };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!parse_mac(bad[i], mac), "accepted '%s'", bad[i]);
	ck_assert(!parse_mac(NULL, mac));
	ck_assert_mem_eq(mac, untouched, PPPOE_MAC_LEN);
}
END_TEST

START_TEST(test_hex_parse)
{
	uint8_t out[4];

	ck_assert_int_eq(parse_hex("deadBEEF", out, sizeof(out)), 4);
	ck_assert_uint_eq(out[0], 0xde);
	ck_assert_uint_eq(out[3], 0xef);
	ck_assert_int_eq(parse_hex("0x0102", out, sizeof(out)), 2);
	ck_assert_uint_eq(out[1], 0x02);
	ck_assert_int_eq(parse_hex("", out, sizeof(out)), -1);
	ck_assert_int_eq(parse_hex("0x", out, sizeof(out)), -1);
	ck_assert_int_eq(parse_hex("abc", out, sizeof(out)), -1);
	ck_assert_int_eq(parse_hex("zz", out, sizeof(out)), -1);
	ck_assert_int_eq(parse_hex("0102030405", out, sizeof(out)), -1);
	ck_assert_int_eq(parse_hex(NULL, out, sizeof(out)), -1);
}
END_TEST

START_TEST(test_session_parse)
{
	uint16_t session = 0;
	uint8_t mac[PPPOE_MAC_LEN];
	const uint8_t expected[PPPOE_MAC_LEN] = { 0x02, 0, 0, 0, 0, 0x01 };

	ck_assert(parse_session("4711:02:00:00:00:00:01", &session, mac));
	ck_assert_uint_eq(session, 4711);
	ck_assert_mem_eq(mac, expected, PPPOE_MAC_LEN);
	ck_assert(parse_session("65535:02:00:00:00:00:01", &session, mac));
	ck_assert_uint_eq(session, 65535);
	/* Session 0 belongs to discovery; ids past 16 bits and junk are errors. */
	ck_assert(!parse_session("0:02:00:00:00:00:01", &session, mac));
	ck_assert(!parse_session("65536:02:00:00:00:00:01", &session, mac));
	ck_assert(!parse_session("12x:02:00:00:00:00:01", &session, mac));
	ck_assert(!parse_session(":02:00:00:00:00:01", &session, mac));
	ck_assert(!parse_session("12:02:00:00:00:00", &session, mac));
	ck_assert(!parse_session("12", &session, mac));
	ck_assert(!parse_session("-1:02:00:00:00:00:01", &session, mac));
}
END_TEST

START_TEST(test_ethertypes_parse)
{
	struct pppoe_ethertypes types;

	ck_assert(parse_ethertypes("3c12:3c13", &types));
	ck_assert_uint_eq(types.discovery, 0x3c12);
	ck_assert_uint_eq(types.session, 0x3c13);
	ck_assert(parse_ethertypes("8863:8864", &types));
	ck_assert(!parse_ethertypes("8863", &types));
	ck_assert(!parse_ethertypes("8863:8863", &types));
	ck_assert(!parse_ethertypes("0:8864", &types));
	ck_assert(!parse_ethertypes("18863:8864", &types));
	ck_assert(!parse_ethertypes("88g3:8864", &types));
	ck_assert(!parse_ethertypes("8863:", &types));
}
END_TEST

START_TEST(test_uint_parse_bounds)
{
	unsigned long value;

	ck_assert(parse_uint("5", 1, 10, &value));
	ck_assert_uint_eq(value, 5);
	ck_assert(!parse_uint("0", 1, 10, &value));
	ck_assert(!parse_uint("11", 1, 10, &value));
	ck_assert(!parse_uint("5s", 1, 10, &value));
	ck_assert(!parse_uint(" 5", 1, 10, &value));
	ck_assert(!parse_uint("-5", 0, 10, &value));
	ck_assert(!parse_uint("", 0, 10, &value));
	ck_assert(!parse_uint("99999999999999999999999", 0, ~0ul, &value));
}
END_TEST

static Suite *parse_suite(void)
{
	Suite *suite = suite_create("parse");
	TCase *mac = tcase_create("mac");
	TCase *values = tcase_create("values");

	tcase_add_test(mac, test_mac_parse_accepts_colons_and_dashes);
	tcase_add_test(mac, test_mac_parse_rejects_malformed);
	suite_add_tcase(suite, mac);
	tcase_add_test(values, test_hex_parse);
	tcase_add_test(values, test_session_parse);
	tcase_add_test(values, test_ethertypes_parse);
	tcase_add_test(values, test_uint_parse_bounds);
	suite_add_tcase(suite, values);
	return suite;
}

int main(void)
{
	return check_main_run(parse_suite());
}
