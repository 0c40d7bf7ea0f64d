/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/render.c. */
#include <check.h>
#include <stdbool.h>
#include <string.h>

#include "check_main.h"
#include "parse.h"
#include "render.h"

START_TEST(test_mac_format_round_trip)
{
	const uint8_t mac[PPPOE_MAC_LEN] = { 0xde, 0xad, 0x00, 0xbe, 0xef, 0x01 };
	uint8_t back[PPPOE_MAC_LEN];
	char text[RENDER_MAC_LEN];

	render_mac(mac, text);
	ck_assert_str_eq(text, "de:ad:00:be:ef:01");
	ck_assert(parse_mac(text, back));
	ck_assert_mem_eq(back, mac, PPPOE_MAC_LEN);
}
END_TEST

START_TEST(test_printable_masks_control_bytes)
{
	const uint8_t value[] = { 'i', 's', 'p', 0x00, 0x1b, 0xc3, '!' };
	/* An AC-Name that would forge a log line of its own. */
	static const char forged[] = "ac1\npppd[1]: CHAP authentication succeeded\r\x7f";
	char out[64];
	char tiny[3];

	render_printable(value, sizeof(value), out, sizeof(out));
	ck_assert_str_eq(out, "isp??" "?!"); /* split: "??!" is a trigraph */
	render_printable(value, sizeof(value), tiny, sizeof(tiny));
	ck_assert_str_eq(tiny, "is");
	render_printable(value, 0, out, sizeof(out));
	ck_assert_str_eq(out, "");
	render_printable((const uint8_t *)forged, strlen(forged), out, sizeof(out));
	ck_assert_str_eq(out, "ac1?pppd[1]: CHAP authentication succeeded??");
}
END_TEST

static void check_script_safe(const char *value, size_t len, const char *want)
{
	char out[64];

	render_script_safe((const uint8_t *)value, len, out, sizeof(out));
	ck_assert_msg(strcmp(out, want) == 0, "'%s' became '%s', not '%s'", value, out, want);
}

/* What a shell would expand, split, glob or run, or a file name would climb. */
START_TEST(test_script_safe_character_set)
{
	static const struct {
		const char *value, *want;
	} names[] = {
		{ "BRAS-01.example_net", "BRAS-01.example_net" },
		{ "x;reboot", "x_reboot" },
		{ "$(reboot)", "__reboot_" },
		{ "`id`", "_id_" },
		{ "${IFS}", "__IFS_" },
		{ "a|b&c>d<e", "a_b_c_d_e" },
		{ "\"quoted\" 'too'", "_quoted___too_" },
		{ "back\\slash", "back_slash" },
		{ "Big AC 1", "Big_AC_1" },
		{ "tab\there", "tab_here" },
		{ "ac1\nACNAME=forged", "ac1_ACNAME_forged" },
		{ "*", "_" },
		{ "[a-z]?", "_a-z__" },
		{ "~root", "_root" },
		{ "#comment", "_comment" },
		{ "100%s", "100_s" },
		{ "-rf", "_rf" },
		{ "--help", "_-help" },
		{ ".", "_" },
		{ "..", "_." },
		{ "../../etc/passwd", "_._.._etc_passwd" },
		{ ".hidden", "_hidden" },
		{ "Z\xc3\xbcrich", "Z__rich" },
		{ "", "" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		check_script_safe(names[i].value, strlen(names[i].value), names[i].want);
	/* A NUL does not end the value early. */
	check_script_safe("a\0b", 3, "a_b");
}
END_TEST

START_TEST(test_script_safe_every_byte)
{
	uint8_t value[256];
	char out[257];

	for (size_t i = 0; i < sizeof(value); i++)
		value[i] = (uint8_t)(255 - i);  /* '-' and '.' are not first */
	render_script_safe(value, sizeof(value), out, sizeof(out));
	ck_assert_uint_eq(strlen(out), sizeof(value));
	for (size_t i = 0; i < sizeof(value); i++) {
		char c = (char)value[i];
		bool portable = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
				(c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';

		ck_assert_msg(out[i] == (portable ? c : '_'), "byte 0x%02x became '%c'", value[i],
			      out[i]);
	}
}
END_TEST

START_TEST(test_script_safe_capacity)
{
	uint8_t name[1484];
	char out[256], tiny[4] = "xyz";

	/* An AC-Name as long as a tag can be: the environment gets 255 bytes. */
	memset(name, 'a', sizeof(name));
	render_script_safe(name, sizeof(name), out, sizeof(out));
	ck_assert_uint_eq(strlen(out), sizeof(out) - 1);
	render_script_safe((const uint8_t *)"-abcdef", 7, tiny, sizeof(tiny));
	ck_assert_str_eq(tiny, "_ab");
	render_script_safe((const uint8_t *)"abc", 3, tiny, 1);
	ck_assert_str_eq(tiny, "");
	tiny[0] = 'x';
	render_script_safe((const uint8_t *)"abc", 3, tiny, 0);
	ck_assert_int_eq(tiny[0], 'x');
}
END_TEST

static Suite *render_suite(void)
{
	Suite *suite = suite_create("render");
	TCase *mac = tcase_create("mac");
	TCase *values = tcase_create("values");

	tcase_add_test(mac, test_mac_format_round_trip);
	suite_add_tcase(suite, mac);
	tcase_add_test(values, test_printable_masks_control_bytes);
	tcase_add_test(values, test_script_safe_character_set);
	tcase_add_test(values, test_script_safe_every_byte);
	tcase_add_test(values, test_script_safe_capacity);
	suite_add_tcase(suite, values);
	return suite;
}

int main(void)
{
	return check_main_run(render_suite());
}
