/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for src/pppoe.c.  Frames are written here byte by byte, not
 * with the builder under test, so that the tests pin down the RFC 2516 wire
 * format rather than agree with whatever the codec happens to do.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "pppoe.h"
#include "raw_frame.h"

static const uint8_t host_mac[PPPOE_MAC_LEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t ac_mac[PPPOE_MAC_LEN] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };

/* A frame from the AC to the host: header fields first, then raw payload bytes. */
static void frame_from_ac(struct raw_frame *f, uint16_t ethertype, uint8_t version_type,
			  uint8_t code, uint16_t session_id)
{
	raw_begin_frame(f, host_mac, ac_mac, ethertype, version_type, code, session_id);
}

/* Copy to an exact-size heap block so ASan catches any read past len. */
static uint8_t *exact_copy(const uint8_t *data, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(copy);
	if (len)
		memcpy(copy, data, len);
	return copy;
}

/*
 * What the parsing tests start from (a checked fixture: set up afresh for
 * each): a PADO from the AC with no tags yet in t.f, and where the parsers
 * put what they found.
 */
static struct {
	struct raw_frame f;
	struct pppoe_frame out;      /* parse_exact()'s */
	struct pppoe_discovery msg;  /* discovery_exact()'s */
	uint8_t *copy;               /* what t.msg points into */
} t;

static void fixture_setup(void)
{
	memset(&t, 0, sizeof(t));
	frame_from_ac(&t.f, 0x8863, 0x11, 0x07, 0);
}

static void fixture_teardown(void)
{
	free(t.copy);
}

/* The first len bytes of t.f into t.out. */
static enum pppoe_parse_status parse_exact(size_t len, const struct pppoe_ethertypes *types)
{
	uint8_t *copy = exact_copy(t.f.bytes, len);
	enum pppoe_parse_status status = pppoe_frame_parse(copy, len, types, &t.out);

	free(copy);
	return status;
}

/* ---- constants ---- */

START_TEST(test_constants)
{
	static const uint8_t broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	ck_assert_uint_eq(pppoe_standard_ethertypes.discovery, 0x8863);
	ck_assert_uint_eq(pppoe_standard_ethertypes.session, 0x8864);
	ck_assert_mem_eq(pppoe_broadcast_mac, broadcast, 6);
}
END_TEST

/* ---- header parsing ---- */

START_TEST(test_parse_discovery_header)
{
	frame_from_ac(&t.f, 0x8863, 0x11, 0x07, 0x0000);
	raw_tag(&t.f, PPPOE_TAG_AC_NAME, "ac1", 3);
	raw_finish(&t.f);

	ck_assert_int_eq(pppoe_frame_parse(t.f.bytes, t.f.len, &pppoe_standard_ethertypes, &t.out),
			 PPPOE_PARSE_OK);
	ck_assert_ptr_eq(t.out.dest, t.f.bytes);
	ck_assert_ptr_eq(t.out.source, t.f.bytes + 6);
	ck_assert_mem_eq(t.out.dest, host_mac, 6);
	ck_assert_mem_eq(t.out.source, ac_mac, 6);
	ck_assert_uint_eq(t.out.ethertype, 0x8863);
	ck_assert_uint_eq(t.out.code, PPPOE_CODE_PADO);
	ck_assert_uint_eq(t.out.session_id, 0);
	ck_assert_ptr_eq(t.out.payload, t.f.bytes + 20);
	ck_assert_uint_eq(t.out.payload_len, 7);
}
END_TEST

START_TEST(test_parse_session_header)
{
	static const uint8_t ppp[] = { 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04 };

	frame_from_ac(&t.f, 0x8864, 0x11, 0x00, 0xbeef);
	raw_bytes(&t.f, ppp, sizeof(ppp));
	raw_finish(&t.f);

	ck_assert_int_eq(parse_exact(t.f.len, &pppoe_standard_ethertypes), PPPOE_PARSE_OK);
	ck_assert_uint_eq(t.out.ethertype, 0x8864);
	ck_assert_uint_eq(t.out.code, PPPOE_CODE_SESSION);
	ck_assert_uint_eq(t.out.session_id, 0xbeef);
	ck_assert_uint_eq(t.out.payload_len, sizeof(ppp));
}
END_TEST

START_TEST(test_parse_header_only)
{
	frame_from_ac(&t.f, 0x8863, 0x11, 0xa7, 0x0001);
	raw_finish(&t.f);
	ck_assert_int_eq(parse_exact(20, &pppoe_standard_ethertypes), PPPOE_PARSE_OK);
	ck_assert_uint_eq(t.out.payload_len, 0);
	ck_assert_uint_eq(t.out.code, PPPOE_CODE_PADT);
	ck_assert_uint_eq(t.out.session_id, 1);
}
END_TEST

START_TEST(test_parse_ignores_padding)
{
	/* A PADT is 20 bytes; Ethernet pads it to 60 with zeros (or junk). */
	frame_from_ac(&t.f, 0x8863, 0x11, 0xa7, 0x1234);
	raw_tag(&t.f, PPPOE_TAG_GENERIC_ERROR, "x", 1);
	raw_finish(&t.f);
	memset(t.f.bytes + t.f.len, 0xa5, 60 - t.f.len);
	ck_assert_int_eq(parse_exact(60, &pppoe_standard_ethertypes), PPPOE_PARSE_OK);
	ck_assert_uint_eq(t.out.payload_len, 5);
}
END_TEST

START_TEST(test_parse_truncated)
{
	size_t len = (size_t)_i;

	raw_finish(&t.f);
	ck_assert_int_eq(parse_exact(len, &pppoe_standard_ethertypes), PPPOE_PARSE_TRUNCATED);
	ck_assert_ptr_null(t.out.payload);
}
END_TEST

START_TEST(test_parse_bad_version)
{
	static const uint8_t bad[] = { 0x00, 0x10, 0x01, 0x12, 0x21, 0x22, 0xff };
	size_t i;

	for (i = 0; i < sizeof(bad); i++) {
		frame_from_ac(&t.f, 0x8863, bad[i], 0x07, 0);
		raw_finish(&t.f);
		ck_assert_int_eq(parse_exact(t.f.len, &pppoe_standard_ethertypes),
				 PPPOE_PARSE_BAD_VERSION);
	}
}
END_TEST

START_TEST(test_parse_length_past_frame)
{
	frame_from_ac(&t.f, 0x8864, 0x11, 0x00, 1);
	raw_bytes(&t.f, "abcd", 4);
	raw_set_length(&t.f, 5);
	ck_assert_int_eq(parse_exact(t.f.len, &pppoe_standard_ethertypes), PPPOE_PARSE_BAD_LENGTH);
	raw_set_length(&t.f, 0xffff);
	ck_assert_int_eq(parse_exact(t.f.len, &pppoe_standard_ethertypes), PPPOE_PARSE_BAD_LENGTH);
	raw_set_length(&t.f, 4);
	ck_assert_int_eq(parse_exact(t.f.len, &pppoe_standard_ethertypes), PPPOE_PARSE_OK);
	ck_assert_uint_eq(t.out.payload_len, 4);
}
END_TEST

START_TEST(test_parse_length_shorter_than_frame)
{
	frame_from_ac(&t.f, 0x8864, 0x11, 0x00, 1);
	raw_bytes(&t.f, "abcdefgh", 8);
	raw_set_length(&t.f, 3);
	ck_assert_int_eq(pppoe_frame_parse(t.f.bytes, t.f.len, &pppoe_standard_ethertypes, &t.out),
			 PPPOE_PARSE_OK);
	ck_assert_uint_eq(t.out.payload_len, 3);
	ck_assert_mem_eq(t.out.payload, "abc", 3);
}
END_TEST

START_TEST(test_parse_not_pppoe)
{
	static const struct pppoe_ethertypes custom = { 0x3c12, 0x3c13 };

	frame_from_ac(&t.f, 0x0800, 0x45, 0x00, 0);
	raw_finish(&t.f);
	ck_assert_int_eq(parse_exact(t.f.len, &pppoe_standard_ethertypes), PPPOE_PARSE_NOT_PPPOE);

	/* With custom ethertypes, the standard ones are foreign. */
	frame_from_ac(&t.f, 0x8863, 0x11, 0x07, 0);
	raw_finish(&t.f);
	ck_assert_int_eq(parse_exact(t.f.len, &custom), PPPOE_PARSE_NOT_PPPOE);

	frame_from_ac(&t.f, 0x3c12, 0x11, 0x07, 0);
	raw_finish(&t.f);
	ck_assert_int_eq(parse_exact(t.f.len, &custom), PPPOE_PARSE_OK);
	ck_assert_uint_eq(t.out.ethertype, 0x3c12);
	ck_assert_int_eq(parse_exact(t.f.len, &pppoe_standard_ethertypes), PPPOE_PARSE_NOT_PPPOE);

	frame_from_ac(&t.f, 0x3c13, 0x11, 0x00, 7);
	raw_finish(&t.f);
	ck_assert_int_eq(parse_exact(t.f.len, &custom), PPPOE_PARSE_OK);
	ck_assert_uint_eq(t.out.session_id, 7);
}
END_TEST

/* ---- tag cursor ---- */

START_TEST(test_tags_walk)
{
	static const uint8_t payload[] = {
		0x01, 0x01, 0x00, 0x00,                    /* Service-Name, empty */
		0x01, 0x02, 0x00, 0x03, 'a', 'c', '1',     /* AC-Name "ac1" */
		0xab, 0xcd, 0x00, 0x01, 0x42,              /* unknown tag */
	};
	uint8_t *copy = exact_copy(payload, sizeof(payload));
	struct pppoe_tag_cursor cursor;
	struct pppoe_tag tag;

	pppoe_tags_begin(&cursor, copy, sizeof(payload));
	ck_assert_int_eq(pppoe_tags_next(&cursor, &tag), PPPOE_TAG_FOUND);
	ck_assert_uint_eq(tag.type, PPPOE_TAG_SERVICE_NAME);
	ck_assert_uint_eq(tag.length, 0);
	ck_assert_ptr_eq(tag.value, copy + 4);
	ck_assert_int_eq(pppoe_tags_next(&cursor, &tag), PPPOE_TAG_FOUND);
	ck_assert_uint_eq(tag.type, PPPOE_TAG_AC_NAME);
	ck_assert_uint_eq(tag.length, 3);
	ck_assert_mem_eq(tag.value, "ac1", 3);
	ck_assert_int_eq(pppoe_tags_next(&cursor, &tag), PPPOE_TAG_FOUND);
	ck_assert_uint_eq(tag.type, 0xabcd);
	ck_assert_uint_eq(tag.value[0], 0x42);
	ck_assert_int_eq(pppoe_tags_next(&cursor, &tag), PPPOE_TAG_LIST_END);
	ck_assert_int_eq(pppoe_tags_next(&cursor, &tag), PPPOE_TAG_LIST_END);
	free(copy);
}
END_TEST

START_TEST(test_tags_empty)
{
	struct pppoe_tag_cursor cursor;
	struct pppoe_tag tag;

	pppoe_tags_begin(&cursor, NULL, 0);
	ck_assert_int_eq(pppoe_tags_next(&cursor, &tag), PPPOE_TAG_LIST_END);
}
END_TEST

START_TEST(test_tags_partial_header)
{
	/* 1..3 bytes after the last whole tag: never a tag header. */
	static const uint8_t payload[] = { 0x01, 0x02, 0x00, 0x01, 'x', 0x01, 0x03, 0x00 };
	size_t extra = (size_t)_i;
	uint8_t *copy = exact_copy(payload, 5 + extra);
	struct pppoe_tag_cursor cursor;
	struct pppoe_tag tag;

	pppoe_tags_begin(&cursor, copy, 5 + extra);
	ck_assert_int_eq(pppoe_tags_next(&cursor, &tag), PPPOE_TAG_FOUND);
	ck_assert_int_eq(pppoe_tags_next(&cursor, &tag), PPPOE_TAG_MALFORMED);
	ck_assert_int_eq(pppoe_tags_next(&cursor, &tag), PPPOE_TAG_MALFORMED);
	free(copy);
}
END_TEST

START_TEST(test_tags_value_past_end)
{
	/* AC-Cookie claims 5 bytes but only 4 follow. */
	static const uint8_t payload[] = { 0x01, 0x04, 0x00, 0x05, 1, 2, 3, 4 };
	uint8_t *copy = exact_copy(payload, sizeof(payload));
	struct pppoe_tag_cursor cursor;
	struct pppoe_tag tag;

	pppoe_tags_begin(&cursor, copy, sizeof(payload));
	ck_assert_int_eq(pppoe_tags_next(&cursor, &tag), PPPOE_TAG_MALFORMED);
	ck_assert_ptr_null(tag.value);

	/* Exactly to the end is fine. */
	copy[3] = 4;
	pppoe_tags_begin(&cursor, copy, sizeof(payload));
	ck_assert_int_eq(pppoe_tags_next(&cursor, &tag), PPPOE_TAG_FOUND);
	ck_assert_uint_eq(tag.length, 4);
	ck_assert_int_eq(pppoe_tags_next(&cursor, &tag), PPPOE_TAG_LIST_END);

	copy[2] = 0xff;
	copy[3] = 0xff;
	pppoe_tags_begin(&cursor, copy, sizeof(payload));
	ck_assert_int_eq(pppoe_tags_next(&cursor, &tag), PPPOE_TAG_MALFORMED);
	free(copy);
}
END_TEST

START_TEST(test_tags_end_of_list)
{
	/* After End-Of-List comes garbage that would be malformed as tags. */
	static const uint8_t payload[] = {
		0x01, 0x03, 0x00, 0x02, 'h', 'u',
		0x00, 0x00, 0x00, 0x00,
		0x01, 0x02, 0xff, 0xff, 0x01,
	};
	uint8_t *copy = exact_copy(payload, sizeof(payload));
	struct pppoe_tag_cursor cursor;
	struct pppoe_tag tag;

	pppoe_tags_begin(&cursor, copy, sizeof(payload));
	ck_assert_int_eq(pppoe_tags_next(&cursor, &tag), PPPOE_TAG_FOUND);
	ck_assert_uint_eq(tag.type, PPPOE_TAG_HOST_UNIQ);
	ck_assert_int_eq(pppoe_tags_next(&cursor, &tag), PPPOE_TAG_LIST_END);
	ck_assert_int_eq(pppoe_tags_next(&cursor, &tag), PPPOE_TAG_LIST_END);
	free(copy);
}
END_TEST

/* ---- discovery parsing ---- */

/* The first len bytes of t.f into t.msg, which points into t.copy until the next call. */
static enum pppoe_parse_status discovery_exact(size_t len, const struct pppoe_ethertypes *types)
{
	free(t.copy);
	t.copy = exact_copy(t.f.bytes, len);
	return pppoe_discovery_parse(t.copy, len, types, &t.msg);
}

START_TEST(test_discovery_parse_tags)
{
	raw_tag(&t.f, PPPOE_TAG_SERVICE_NAME, "", 0);
	raw_tag(&t.f, PPPOE_TAG_AC_NAME, "BRAS-1", 6);
	raw_tag(&t.f, PPPOE_TAG_SERVICE_NAME, "isp", 3);
	raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, "\x01\x02\x03\x04", 4);
	raw_tag(&t.f, PPPOE_TAG_AC_COOKIE, "cookie", 6);
	raw_tag(&t.f, PPPOE_TAG_AC_COOKIE, "second", 6);
	raw_tag(&t.f, PPPOE_TAG_VENDOR_SPECIFIC, "\x00\x00\x0d\xe9", 4);
	raw_tag(&t.f, PPPOE_TAG_RELAY_SESSION_ID, "relay", 5);
	raw_tag(&t.f, PPPOE_TAG_PPP_MAX_PAYLOAD, "\x05\xdc", 2);
	raw_tag(&t.f, PPPOE_TAG_SERVICE_NAME, "other", 5);
	raw_finish(&t.f);

	ck_assert_int_eq(discovery_exact(t.f.len, &pppoe_standard_ethertypes), PPPOE_PARSE_OK);
	ck_assert_uint_eq(t.msg.frame.code, PPPOE_CODE_PADO);
	ck_assert_uint_eq(t.msg.service_name_count, 3);
	ck_assert_ptr_nonnull(t.msg.service_name.value);
	ck_assert_uint_eq(t.msg.service_name.length, 0);
	ck_assert_uint_eq(t.msg.service_name.type, PPPOE_TAG_SERVICE_NAME);
	ck_assert_uint_eq(t.msg.ac_name.length, 6);
	ck_assert_mem_eq(t.msg.ac_name.value, "BRAS-1", 6);
	ck_assert_mem_eq(t.msg.host_uniq.value, "\x01\x02\x03\x04", 4);
	ck_assert_uint_eq(t.msg.ac_cookie.length, 6);
	ck_assert_mem_eq(t.msg.ac_cookie.value, "cookie", 6);
	ck_assert_mem_eq(t.msg.relay_session_id.value, "relay", 5);
	ck_assert_uint_eq(t.msg.ppp_max_payload.length, 2);
	ck_assert_uint_eq(t.msg.ppp_max_payload.value[0], 0x05);
	ck_assert_uint_eq(t.msg.ppp_max_payload.value[1], 0xdc);
	/* Absent tags are all zero. */
	ck_assert_ptr_null(t.msg.hurl.value);
	ck_assert_uint_eq(t.msg.hurl.length, 0);
	ck_assert_uint_eq(t.msg.hurl.type, 0);
	ck_assert_ptr_null(t.msg.motm.value);
	ck_assert_ptr_null(t.msg.error.value);
	ck_assert_uint_eq(t.msg.error.type, 0);
}
END_TEST

START_TEST(test_discovery_parse_first_error_tag)
{
	frame_from_ac(&t.f, 0x8863, 0x11, 0x65, 0);
	raw_tag(&t.f, PPPOE_TAG_SERVICE_NAME, "isp", 3);
	raw_tag(&t.f, PPPOE_TAG_AC_SYSTEM_ERROR, "full", 4);
	raw_tag(&t.f, PPPOE_TAG_SERVICE_NAME_ERROR, "nope", 4);
	raw_tag(&t.f, PPPOE_TAG_GENERIC_ERROR, "err", 3);
	raw_tag(&t.f, PPPOE_TAG_HURL, "http://x", 8);
	raw_tag(&t.f, PPPOE_TAG_MOTM, "hello", 5);
	raw_finish(&t.f);

	ck_assert_int_eq(discovery_exact(t.f.len, &pppoe_standard_ethertypes), PPPOE_PARSE_OK);
	ck_assert_uint_eq(t.msg.error.type, PPPOE_TAG_AC_SYSTEM_ERROR);
	ck_assert_mem_eq(t.msg.error.value, "full", 4);
	ck_assert_mem_eq(t.msg.hurl.value, "http://x", 8);
	ck_assert_mem_eq(t.msg.motm.value, "hello", 5);
	ck_assert_uint_eq(t.msg.service_name_count, 1);
}
END_TEST

START_TEST(test_discovery_parse_zero_length_tags)
{
	raw_tag(&t.f, PPPOE_TAG_AC_NAME, "", 0);
	raw_tag(&t.f, PPPOE_TAG_AC_COOKIE, "", 0);
	raw_tag(&t.f, PPPOE_TAG_GENERIC_ERROR, "", 0);
	raw_finish(&t.f);

	ck_assert_int_eq(discovery_exact(t.f.len, &pppoe_standard_ethertypes), PPPOE_PARSE_OK);
	/* Present with length 0 is not absent. */
	ck_assert_ptr_eq(t.msg.ac_name.value, t.copy + 24);
	ck_assert_uint_eq(t.msg.ac_name.length, 0);
	ck_assert_ptr_eq(t.msg.ac_cookie.value, t.copy + 28);
	ck_assert_ptr_eq(t.msg.error.value, t.copy + 32);
	ck_assert_uint_eq(t.msg.error.type, PPPOE_TAG_GENERIC_ERROR);
	ck_assert_uint_eq(t.msg.service_name_count, 0);
	ck_assert_ptr_null(t.msg.service_name.value);
}
END_TEST

START_TEST(test_discovery_parse_trailing_bytes)
{
	size_t extra = (size_t)_i;

	raw_tag(&t.f, PPPOE_TAG_AC_NAME, "ac", 2);
	raw_bytes(&t.f, "\x01\x01\x00", extra);
	raw_finish(&t.f);
	ck_assert_int_eq(discovery_exact(t.f.len, &pppoe_standard_ethertypes),
			 PPPOE_PARSE_BAD_TAGS);
}
END_TEST

START_TEST(test_discovery_parse_padding_not_tags)
{
	/* Padding after the PPPoE length must not be walked as tags. */
	frame_from_ac(&t.f, 0x8863, 0x11, 0xa7, 0x0042);
	raw_finish(&t.f);
	memset(t.f.bytes + 20, 0xff, 40);
	ck_assert_int_eq(discovery_exact(60, &pppoe_standard_ethertypes), PPPOE_PARSE_OK);
	ck_assert_uint_eq(t.msg.frame.session_id, 0x42);
	ck_assert_uint_eq(t.msg.frame.payload_len, 0);
}
END_TEST

START_TEST(test_discovery_parse_oversized_tag)
{
	raw_tag(&t.f, PPPOE_TAG_SERVICE_NAME, "isp", 3);
	raw_tag(&t.f, PPPOE_TAG_AC_COOKIE, "abcdef", 6);
	raw_finish(&t.f);
	/* The cookie claims one byte more than the PPPoE payload holds, even
	 * though the frame continues (padding): still malformed. */
	t.f.bytes[20 + 7 + 3] = 7;
	ck_assert_int_eq(discovery_exact(t.f.len + 10, &pppoe_standard_ethertypes),
			 PPPOE_PARSE_BAD_TAGS);
}
END_TEST

START_TEST(test_discovery_parse_after_end_of_list)
{
	raw_tag(&t.f, PPPOE_TAG_AC_NAME, "ac", 2);
	raw_tag(&t.f, PPPOE_TAG_END_OF_LIST, "", 0);
	raw_tag(&t.f, PPPOE_TAG_AC_COOKIE, "late", 4);
	raw_tag(&t.f, PPPOE_TAG_GENERIC_ERROR, "late", 4);
	raw_bytes(&t.f, "\x01", 1);
	raw_finish(&t.f);
	ck_assert_int_eq(discovery_exact(t.f.len, &pppoe_standard_ethertypes), PPPOE_PARSE_OK);
	ck_assert_mem_eq(t.msg.ac_name.value, "ac", 2);
	ck_assert_ptr_null(t.msg.ac_cookie.value);
	ck_assert_ptr_null(t.msg.error.value);
}
END_TEST

START_TEST(test_discovery_parse_truncated_frames)
{
	size_t len;

	raw_tag(&t.f, PPPOE_TAG_SERVICE_NAME, "isp", 3);
	raw_tag(&t.f, PPPOE_TAG_AC_NAME, "ac", 2);
	raw_finish(&t.f);
	for (len = 0; len < t.f.len; len++) {
		enum pppoe_parse_status status = discovery_exact(len, &pppoe_standard_ethertypes);

		ck_assert_int_eq(status, len < 20 ? PPPOE_PARSE_TRUNCATED : PPPOE_PARSE_BAD_LENGTH);
	}
	ck_assert_int_eq(discovery_exact(t.f.len, &pppoe_standard_ethertypes), PPPOE_PARSE_OK);
}
END_TEST

START_TEST(test_discovery_parse_wrong_ethertype)
{
	static const struct pppoe_ethertypes custom = { 0x3c12, 0x3c13 };

	frame_from_ac(&t.f, 0x8864, 0x11, 0x07, 0);
	raw_tag(&t.f, PPPOE_TAG_AC_NAME, "ac", 2);
	raw_finish(&t.f);
	ck_assert_int_eq(discovery_exact(t.f.len, &pppoe_standard_ethertypes),
			 PPPOE_PARSE_NOT_PPPOE);

	t.f.bytes[12] = 0x3c;
	t.f.bytes[13] = 0x13;
	ck_assert_int_eq(discovery_exact(t.f.len, &custom), PPPOE_PARSE_NOT_PPPOE);

	t.f.bytes[13] = 0x12;
	ck_assert_int_eq(discovery_exact(t.f.len, &custom), PPPOE_PARSE_OK);
	ck_assert_uint_eq(t.msg.frame.ethertype, 0x3c12);
	ck_assert_mem_eq(t.msg.ac_name.value, "ac", 2);

	ck_assert_int_eq(discovery_exact(t.f.len, &pppoe_standard_ethertypes),
			 PPPOE_PARSE_NOT_PPPOE);
}
END_TEST

/* ---- offers_service ---- */

START_TEST(test_offers_service)
{
	raw_tag(&t.f, PPPOE_TAG_SERVICE_NAME, "", 0);
	raw_tag(&t.f, PPPOE_TAG_SERVICE_NAME, "isp", 3);
	raw_tag(&t.f, PPPOE_TAG_AC_NAME, "voip", 4);
	raw_tag(&t.f, PPPOE_TAG_SERVICE_NAME, "iptv", 4);
	raw_finish(&t.f);
	ck_assert_int_eq(discovery_exact(t.f.len, &pppoe_standard_ethertypes), PPPOE_PARSE_OK);

	ck_assert(pppoe_discovery_offers_service(&t.msg, (const uint8_t *)"isp", 3));
	ck_assert(pppoe_discovery_offers_service(&t.msg, (const uint8_t *)"iptv", 4));
	ck_assert(pppoe_discovery_offers_service(&t.msg, NULL, 0));
	ck_assert(pppoe_discovery_offers_service(&t.msg, (const uint8_t *)"", 0));
	/* A prefix, a longer name, and a name that is only an AC-Name do not match. */
	ck_assert(!pppoe_discovery_offers_service(&t.msg, (const uint8_t *)"is", 2));
	ck_assert(!pppoe_discovery_offers_service(&t.msg, (const uint8_t *)"isp1", 4));
	ck_assert(!pppoe_discovery_offers_service(&t.msg, (const uint8_t *)"voip", 4));
	ck_assert(!pppoe_discovery_offers_service(&t.msg, (const uint8_t *)"ISP", 3));
}
END_TEST

START_TEST(test_offers_service_none)
{
	raw_tag(&t.f, PPPOE_TAG_AC_NAME, "ac", 2);
	raw_tag(&t.f, PPPOE_TAG_END_OF_LIST, "", 0);
	raw_tag(&t.f, PPPOE_TAG_SERVICE_NAME, "isp", 3);
	raw_finish(&t.f);
	ck_assert_int_eq(discovery_exact(t.f.len, &pppoe_standard_ethertypes), PPPOE_PARSE_OK);
	/* Empty asks for anything, even from a PADO naming no service. */
	ck_assert(pppoe_discovery_offers_service(&t.msg, NULL, 0));
	/* A Service-Name after End-Of-List is not offered. */
	ck_assert(!pppoe_discovery_offers_service(&t.msg, (const uint8_t *)"isp", 3));
}
END_TEST

/* ---- builder ---- */

/* The PADI built in the round-trip tests, written out by hand. */
static size_t expected_padi(uint8_t *out)
{
	static const uint8_t frame[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x88, 0x63, 0x11, 0x09, 0x00, 0x00, 0x00, 0x19,
		0x01, 0x01, 0x00, 0x03, 'i', 's', 'p',
		0x01, 0x03, 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef,
		0x01, 0x20, 0x00, 0x02, 0x05, 0xdc,
		0x01, 0x04, 0x00, 0x00,
	};

	memcpy(out, frame, sizeof(frame));
	return sizeof(frame);
}

static size_t build_padi(uint8_t *buf, size_t capacity)
{
	static const uint8_t host_uniq[] = { 0xde, 0xad, 0xbe, 0xef };
	static const uint8_t max_payload[] = { 0x05, 0xdc };
	struct pppoe_builder builder;

	pppoe_builder_begin(&builder, buf, capacity, pppoe_broadcast_mac, host_mac,
			    PPPOE_ETHERTYPE_DISCOVERY, PPPOE_CODE_PADI, 0);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_SERVICE_NAME, "isp", 3);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	pppoe_builder_add_tag(&builder, PPPOE_TAG_PPP_MAX_PAYLOAD, max_payload, 2);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_AC_COOKIE, NULL, 0);
	return pppoe_builder_finish(&builder);
}

START_TEST(test_builder_exact_bytes)
{
	uint8_t expected[64];
	uint8_t buf[PPPOE_DISCOVERY_FRAME_MAX];
	size_t expected_len = expected_padi(expected);
	size_t len = build_padi(buf, sizeof(buf));

	ck_assert_uint_eq(len, expected_len);
	ck_assert_mem_eq(buf, expected, expected_len);
}
END_TEST

START_TEST(test_builder_round_trip)
{
	uint8_t buf[PPPOE_DISCOVERY_FRAME_MAX];
	struct pppoe_discovery msg;
	size_t len = build_padi(buf, sizeof(buf));
	uint8_t *copy = exact_copy(buf, len);

	ck_assert_int_eq(pppoe_discovery_parse(copy, len, &pppoe_standard_ethertypes, &msg),
			 PPPOE_PARSE_OK);
	ck_assert_mem_eq(msg.frame.dest, pppoe_broadcast_mac, 6);
	ck_assert_mem_eq(msg.frame.source, host_mac, 6);
	ck_assert_uint_eq(msg.frame.code, PPPOE_CODE_PADI);
	ck_assert_uint_eq(msg.frame.payload_len, len - 20);
	ck_assert_uint_eq(msg.service_name_count, 1);
	ck_assert_mem_eq(msg.service_name.value, "isp", 3);
	ck_assert_uint_eq(msg.host_uniq.length, 4);
	ck_assert_uint_eq(msg.ppp_max_payload.length, 2);
	ck_assert_ptr_nonnull(msg.ac_cookie.value);
	ck_assert_uint_eq(msg.ac_cookie.length, 0);
	ck_assert(pppoe_discovery_offers_service(&msg, (const uint8_t *)"isp", 3));
	free(copy);
}
END_TEST

START_TEST(test_builder_custom_ethertype_session)
{
	uint8_t buf[64];
	struct pppoe_builder builder;
	struct pppoe_frame frame;
	static const struct pppoe_ethertypes custom = { 0x3c12, 0x3c13 };

	pppoe_builder_begin(&builder, buf, sizeof(buf), ac_mac, host_mac, 0x3c12,
			    PPPOE_CODE_PADT, 0x1234);
	ck_assert_uint_eq(pppoe_builder_finish(&builder), 20);
	ck_assert_uint_eq(buf[12], 0x3c);
	ck_assert_uint_eq(buf[13], 0x12);
	ck_assert_uint_eq(buf[14], 0x11);
	ck_assert_uint_eq(buf[15], 0xa7);
	ck_assert_uint_eq(buf[16], 0x12);
	ck_assert_uint_eq(buf[17], 0x34);
	ck_assert_uint_eq(buf[18], 0);
	ck_assert_uint_eq(buf[19], 0);
	ck_assert_int_eq(pppoe_frame_parse(buf, 20, &custom, &frame), PPPOE_PARSE_OK);
	ck_assert_uint_eq(frame.session_id, 0x1234);
}
END_TEST

START_TEST(test_builder_every_capacity)
{
	uint8_t expected[64];
	uint8_t buf[128];
	size_t expected_len = expected_padi(expected);
	size_t capacity;

	/* Below the exact size: 0 and not one byte written past capacity. */
	for (capacity = 0; capacity <= expected_len + 1; capacity++) {
		size_t len;

		memset(buf, 0xa5, sizeof(buf));
		len = build_padi(buf, capacity);
		if (capacity < expected_len) {
			size_t i;

			ck_assert_uint_eq(len, 0);
			for (i = capacity; i < sizeof(buf); i++)
				ck_assert_uint_eq(buf[i], 0xa5);
		} else {
			ck_assert_uint_eq(len, expected_len);
			ck_assert_mem_eq(buf, expected, expected_len);
		}
	}
}
END_TEST

START_TEST(test_builder_overflow_sticks)
{
	uint8_t buf[64];
	struct pppoe_builder builder;

	/* A tag that does not fit, then one that would: still overflowed. */
	pppoe_builder_begin(&builder, buf, 30, ac_mac, host_mac, 0x8863, PPPOE_CODE_PADR, 0);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_AC_COOKIE, "0123456789", 10);
	ck_assert(builder.overflow);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	ck_assert_uint_eq(pppoe_builder_finish(&builder), 0);

	pppoe_builder_begin(&builder, buf, 19, ac_mac, host_mac, 0x8863, PPPOE_CODE_PADR, 0);
	ck_assert(builder.overflow);
	ck_assert_uint_eq(pppoe_builder_finish(&builder), 0);
}
END_TEST

START_TEST(test_builder_length_limits)
{
	static uint8_t big_buf[0x10000 + 64];
	static uint8_t value[0x10000];
	struct pppoe_builder builder;

	/* A tag value longer than its 16-bit length field. */
	pppoe_builder_begin(&builder, big_buf, sizeof(big_buf), ac_mac, host_mac, 0x8863,
			    PPPOE_CODE_PADR, 0);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_AC_COOKIE, value, 0x10000);
	ck_assert_uint_eq(pppoe_builder_finish(&builder), 0);

	/* The largest PPPoE payload: one tag of 0xffff - 4 bytes. */
	pppoe_builder_begin(&builder, big_buf, sizeof(big_buf), ac_mac, host_mac, 0x8863,
			    PPPOE_CODE_PADR, 0);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_AC_COOKIE, value, 0xffff - 4);
	ck_assert_uint_eq(pppoe_builder_finish(&builder), 20 + 0xffff);
	ck_assert_uint_eq(big_buf[18], 0xff);
	ck_assert_uint_eq(big_buf[19], 0xff);

	/* 0xffff reached with two tags, then one byte more than the length field can say. */
	pppoe_builder_begin(&builder, big_buf, sizeof(big_buf), ac_mac, host_mac, 0x8863,
			    PPPOE_CODE_PADR, 0);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_AC_COOKIE, value, 0xffff - 8);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	ck_assert(!builder.overflow);
	ck_assert_uint_eq(builder.len, 20 + 0xffff);
	pppoe_builder_begin(&builder, big_buf, sizeof(big_buf), ac_mac, host_mac, 0x8863,
			    PPPOE_CODE_PADR, 0);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_AC_COOKIE, value, 0xffff - 7);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	ck_assert_uint_eq(pppoe_builder_finish(&builder), 0);
}
END_TEST

START_TEST(test_session_header_write)
{
	static const uint8_t expected[20] = {
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x88, 0x64, 0x11, 0x00, 0xab, 0xcd, 0x05, 0xd4,
	};
	uint8_t buf[22];
	struct pppoe_frame frame;

	memset(buf, 0xa5, sizeof(buf));
	pppoe_session_header_write(buf, ac_mac, host_mac, 0x8864, 0xabcd, 1492);
	ck_assert_mem_eq(buf, expected, 20);
	ck_assert_uint_eq(buf[20], 0xa5);
	/* The length says 1492 but only 2 bytes follow. */
	ck_assert_int_eq(pppoe_frame_parse(buf, sizeof(buf), &pppoe_standard_ethertypes, &frame),
			 PPPOE_PARSE_BAD_LENGTH);
	pppoe_session_header_write(buf, ac_mac, host_mac, 0x8864, 0xabcd, 2);
	ck_assert_int_eq(pppoe_frame_parse(buf, sizeof(buf), &pppoe_standard_ethertypes, &frame),
			 PPPOE_PARSE_OK);
	ck_assert_uint_eq(frame.code, PPPOE_CODE_SESSION);
}
END_TEST

/* ---- names ---- */

START_TEST(test_names)
{
	ck_assert_str_eq(pppoe_code_name(PPPOE_CODE_PADI), "PADI");
	ck_assert_str_eq(pppoe_code_name(PPPOE_CODE_PADO), "PADO");
	ck_assert_str_eq(pppoe_code_name(PPPOE_CODE_PADR), "PADR");
	ck_assert_str_eq(pppoe_code_name(PPPOE_CODE_PADS), "PADS");
	ck_assert_str_eq(pppoe_code_name(PPPOE_CODE_PADT), "PADT");
	ck_assert_str_eq(pppoe_code_name(PPPOE_CODE_PADM), "PADM");
	ck_assert_str_eq(pppoe_code_name(PPPOE_CODE_PADN), "PADN");
	ck_assert_str_eq(pppoe_code_name(PPPOE_CODE_SESSION), "session");
	ck_assert_str_eq(pppoe_code_name(0x42), "unknown");

	ck_assert_str_eq(pppoe_tag_name(PPPOE_TAG_END_OF_LIST), "End-Of-List");
	ck_assert_str_eq(pppoe_tag_name(PPPOE_TAG_SERVICE_NAME), "Service-Name");
	ck_assert_str_eq(pppoe_tag_name(PPPOE_TAG_AC_NAME), "AC-Name");
	ck_assert_str_eq(pppoe_tag_name(PPPOE_TAG_HOST_UNIQ), "Host-Uniq");
	ck_assert_str_eq(pppoe_tag_name(PPPOE_TAG_AC_COOKIE), "AC-Cookie");
	ck_assert_str_eq(pppoe_tag_name(PPPOE_TAG_VENDOR_SPECIFIC), "Vendor-Specific");
	ck_assert_str_eq(pppoe_tag_name(PPPOE_TAG_RELAY_SESSION_ID), "Relay-Session-Id");
	ck_assert_str_eq(pppoe_tag_name(PPPOE_TAG_HURL), "HURL");
	ck_assert_str_eq(pppoe_tag_name(PPPOE_TAG_MOTM), "MOTM");
	ck_assert_str_eq(pppoe_tag_name(PPPOE_TAG_PPP_MAX_PAYLOAD), "PPP-Max-Payload");
	ck_assert_str_eq(pppoe_tag_name(PPPOE_TAG_IP_ROUTE_ADD), "IP_Route_Add");
	ck_assert_str_eq(pppoe_tag_name(PPPOE_TAG_SERVICE_NAME_ERROR), "Service-Name-Error");
	ck_assert_str_eq(pppoe_tag_name(PPPOE_TAG_AC_SYSTEM_ERROR), "AC-System-Error");
	ck_assert_str_eq(pppoe_tag_name(PPPOE_TAG_GENERIC_ERROR), "Generic-Error");
	ck_assert_str_eq(pppoe_tag_name(0x0999), "unknown");

	ck_assert_str_eq(pppoe_parse_status_name(PPPOE_PARSE_OK), "ok");
	ck_assert_str_eq(pppoe_parse_status_name((enum pppoe_parse_status)99), "unknown");
}
END_TEST

START_TEST(test_parse_status_names_distinct)
{
	enum pppoe_parse_status a, b;

	for (a = PPPOE_PARSE_OK; a <= PPPOE_PARSE_BAD_TAGS; a++) {
		ck_assert_str_ne(pppoe_parse_status_name(a), "unknown");
		for (b = a + 1; b <= PPPOE_PARSE_BAD_TAGS; b++)
			ck_assert_str_ne(pppoe_parse_status_name(a), pppoe_parse_status_name(b));
	}
}
END_TEST

/* RFC 4638: more than 1492 only when asked for, confirmed, and carried. */
START_TEST(test_link_mtu_follows_rfc4638)
{
	ck_assert_uint_eq(pppoe_link_mtu(1500, 0, 0), 1492);
	ck_assert_uint_eq(pppoe_link_mtu(9000, 0, 0), 1492);
	ck_assert_uint_eq(pppoe_link_mtu(1400, 0, 0), 1392);
	/* Confirmed without being asked, or below the standard: ignored. */
	ck_assert_uint_eq(pppoe_link_mtu(9000, 0, 1500), 1492);
	ck_assert_uint_eq(pppoe_link_mtu(1500, 0, 100), 1492);
	ck_assert_uint_eq(pppoe_link_mtu(9000, 1500, 100), 1492);
	/* Asked for and confirmed: the smaller of both, within the Ethernet. */
	ck_assert_uint_eq(pppoe_link_mtu(1508, 1500, 1500), 1500);
	ck_assert_uint_eq(pppoe_link_mtu(9000, 1500, 1600), 1500);
	ck_assert_uint_eq(pppoe_link_mtu(9000, 1600, 1500), 1500);
	ck_assert_uint_eq(pppoe_link_mtu(1504, 1500, 1500), 1496);
	/* Asked for but not confirmed. */
	ck_assert_uint_eq(pppoe_link_mtu(1508, 1500, 0), 1492);
	/* Absurd interfaces do not underflow or overflow. */
	ck_assert_uint_eq(pppoe_link_mtu(0, 0, 0), 0);
	ck_assert_uint_eq(pppoe_link_mtu(4, 0, 0), 0);
	ck_assert_uint_le(pppoe_link_mtu(~0u, 65535, 65535), PPPOE_FRAME_MAX);
}
END_TEST

static Suite *pppoe_suite(void)
{
	Suite *suite = suite_create("pppoe");
	TCase *header = tcase_create("header");
	TCase *tags = tcase_create("tags");
	TCase *discovery = tcase_create("discovery");
	TCase *builder = tcase_create("builder");
	TCase *names = tcase_create("names");

	tcase_add_checked_fixture(header, fixture_setup, fixture_teardown);
	tcase_add_checked_fixture(discovery, fixture_setup, fixture_teardown);

	tcase_add_test(header, test_constants);
	tcase_add_test(header, test_link_mtu_follows_rfc4638);
	tcase_add_test(header, test_parse_discovery_header);
	tcase_add_test(header, test_parse_session_header);
	tcase_add_test(header, test_parse_header_only);
	tcase_add_test(header, test_parse_ignores_padding);
	tcase_add_loop_test(header, test_parse_truncated, 0, 20);
	tcase_add_test(header, test_parse_bad_version);
	tcase_add_test(header, test_parse_length_past_frame);
	tcase_add_test(header, test_parse_length_shorter_than_frame);
	tcase_add_test(header, test_parse_not_pppoe);
	suite_add_tcase(suite, header);

	tcase_add_test(tags, test_tags_walk);
	tcase_add_test(tags, test_tags_empty);
	tcase_add_loop_test(tags, test_tags_partial_header, 1, 4);
	tcase_add_test(tags, test_tags_value_past_end);
	tcase_add_test(tags, test_tags_end_of_list);
	suite_add_tcase(suite, tags);

	tcase_add_test(discovery, test_discovery_parse_tags);
	tcase_add_test(discovery, test_discovery_parse_first_error_tag);
	tcase_add_test(discovery, test_discovery_parse_zero_length_tags);
	tcase_add_loop_test(discovery, test_discovery_parse_trailing_bytes, 1, 4);
	tcase_add_test(discovery, test_discovery_parse_padding_not_tags);
	tcase_add_test(discovery, test_discovery_parse_oversized_tag);
	tcase_add_test(discovery, test_discovery_parse_after_end_of_list);
	tcase_add_test(discovery, test_discovery_parse_truncated_frames);
	tcase_add_test(discovery, test_discovery_parse_wrong_ethertype);
	tcase_add_test(discovery, test_offers_service);
	tcase_add_test(discovery, test_offers_service_none);
	suite_add_tcase(suite, discovery);

	tcase_add_test(builder, test_builder_exact_bytes);
	tcase_add_test(builder, test_builder_round_trip);
	tcase_add_test(builder, test_builder_custom_ethertype_session);
	tcase_add_test(builder, test_builder_every_capacity);
	tcase_add_test(builder, test_builder_overflow_sticks);
	tcase_add_test(builder, test_builder_length_limits);
	tcase_add_test(builder, test_session_header_write);
	suite_add_tcase(suite, builder);

	tcase_add_test(names, test_names);
	tcase_add_test(names, test_parse_status_names_distinct);
	suite_add_tcase(suite, names);

	return suite;
}

int main(void)
{
	return check_main_run(pppoe_suite());
}
