/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fixture and helpers the parts of tests/test_discovery share (discovery_fixture.h). */
#include <check.h>
#include <string.h>

#include "discovery_fixture.h"

const uint8_t our_mac[PPPOE_MAC_LEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
const uint8_t other_host[PPPOE_MAC_LEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
const uint8_t ac1[PPPOE_MAC_LEN] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
const uint8_t ac2[PPPOE_MAC_LEN] = { 0x00, 0x66, 0x77, 0x88, 0x99, 0xaa };
const uint8_t host_uniq[] = { 0xde, 0xad, 0xbe, 0xef };

/* ---- writing received frames ---- */

/* A discovery frame from source to us. */
void frame_to_us(struct raw_frame *f, const uint8_t *source, uint8_t code,
		 uint16_t session_id)
{
	raw_begin_frame(f, our_mac, source, 0x8863, 0x11, code, session_id);
}

/* A PADO as an RFC 2516 AC sends it, answering our Host-Uniq. */
void pado_begin(struct raw_frame *f, const uint8_t *source, const char *ac_name)
{
	frame_to_us(f, source, PPPOE_CODE_PADO, 0);
	raw_tag_text(f, PPPOE_TAG_AC_NAME, ac_name);
	raw_tag_text(f, PPPOE_TAG_SERVICE_NAME, "");
	raw_tag(f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
}

void make_pado(struct raw_frame *f, const uint8_t *source, const char *ac_name)
{
	pado_begin(f, source, ac_name);
	raw_finish(f);
}

void make_pads(struct raw_frame *f, const uint8_t *source, uint16_t session_id)
{
	frame_to_us(f, source, PPPOE_CODE_PADS, session_id);
	raw_tag_text(f, PPPOE_TAG_SERVICE_NAME, "");
	raw_tag(f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_finish(f);
}

void make_padt(struct raw_frame *f, const uint8_t *source, uint16_t session_id)
{
	frame_to_us(f, source, PPPOE_CODE_PADT, session_id);
	raw_finish(f);
}

/* ---- checking sent frames ---- */

void check_sent_header(const struct discovery_event *ev, const uint8_t *dest,
		       uint16_t ethertype, uint8_t code, uint16_t session_id)
{
	const uint8_t *s = ev->send;

	ck_assert_uint_ge(ev->send_len, 20);
	ck_assert_uint_le(ev->send_len, PPPOE_DISCOVERY_FRAME_MAX);
	ck_assert_mem_eq(s, dest, 6);
	ck_assert_mem_eq(s + 6, our_mac, 6);
	ck_assert_uint_eq(s[12], ethertype >> 8);
	ck_assert_uint_eq(s[13], ethertype & 0xff);
	ck_assert_uint_eq(s[14], 0x11);
	ck_assert_uint_eq(s[15], code);
	ck_assert_uint_eq(s[16], session_id >> 8);
	ck_assert_uint_eq(s[17], session_id & 0xff);
	ck_assert_uint_eq((size_t)(s[18] << 8 | s[19]), ev->send_len - 20);
}

/*
 * Count the tags of a type in a sent frame (type 0: all tags); *value gets
 * the first.  The list must end exactly at the PPPoE length.
 */
static unsigned sent_tag(const struct discovery_event *ev, uint16_t type,
			 const uint8_t **value, size_t *len)
{
	size_t pos = 20;
	unsigned count = 0;

	if (value)
		*value = NULL;
	while (pos < ev->send_len) {
		uint16_t tag_type, tag_len;

		ck_assert_uint_le(pos + 4, ev->send_len);
		tag_type = (uint16_t)(ev->send[pos] << 8 | ev->send[pos + 1]);
		tag_len = (uint16_t)(ev->send[pos + 2] << 8 | ev->send[pos + 3]);
		ck_assert_uint_le(pos + 4 + tag_len, ev->send_len);
		ck_assert_uint_ne(tag_type, PPPOE_TAG_END_OF_LIST);
		if (type == 0 || tag_type == type) {
			if (count == 0 && value) {
				*value = ev->send + pos + 4;
				*len = tag_len;
			}
			count++;
		}
		pos += 4 + (size_t)tag_len;
	}
	ck_assert_uint_eq(pos, ev->send_len);
	return count;
}

void check_sent_tag(const struct discovery_event *ev, uint16_t type,
		    const void *expected, size_t expected_len)
{
	const uint8_t *value;
	size_t len = 0;

	ck_assert_uint_eq(sent_tag(ev, type, &value, &len), 1);
	ck_assert_uint_eq(len, expected_len);
	if (expected_len)
		ck_assert_mem_eq(value, expected, expected_len);
}

unsigned sent_tag_count(const struct discovery_event *ev, uint16_t type)
{
	return sent_tag(ev, type, NULL, NULL);
}

/* ---- driving the state machine ---- */

void config_default(struct discovery_config *cfg)
{
	discovery_config_defaults(cfg);
	memcpy(cfg->our_mac, our_mac, 6);
	cfg->host_uniq = host_uniq;
	cfg->host_uniq_len = sizeof(host_uniq);
}

struct discovery_fixture t;

static void fixture_setup(void)
{
	memset(&t, 0, sizeof(t));
	config_default(&t.cfg);
}

TCase *fixture_tcase(const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, fixture_setup, NULL);
	return tc;
}

void feed(struct discovery *disc, const struct raw_frame *f, uint64_t now,
	  struct discovery_event *ev)
{
	discovery_handle_frame(disc, f->bytes, f->len, now, ev);
}

void start_at(struct discovery *disc, const struct discovery_config *cfg,
	      uint64_t now, struct discovery_event *ev)
{
	discovery_init(disc, cfg);
	discovery_start(disc, now, ev);
	ck_assert_int_eq(ev->type, DISCOVERY_EVENT_SENT);
	ck_assert_int_eq(disc->state, DISCOVERY_WAIT_PADO);
}

void reach_wait_pads(struct discovery *disc, const struct discovery_config *cfg,
		     struct discovery_event *ev)
{
	struct raw_frame f;

	start_at(disc, cfg, 0, ev);
	make_pado(&f, ac1, "BRAS");
	feed(disc, &f, 100, ev);
	ck_assert_int_eq(ev->type, DISCOVERY_EVENT_PADO);
	ck_assert(ev->accepted);
	ck_assert_int_eq(disc->state, DISCOVERY_WAIT_PADS);
}

void reach_session(struct discovery *disc, const struct discovery_config *cfg,
		   uint16_t session_id, struct discovery_event *ev)
{
	struct raw_frame f;

	reach_wait_pads(disc, cfg, ev);
	make_pads(&f, ac1, session_id);
	feed(disc, &f, 200, ev);
	ck_assert_int_eq(ev->type, DISCOVERY_EVENT_SESSION_UP);
	ck_assert_int_eq(disc->state, DISCOVERY_SESSION);
}

void check_ignored(const struct discovery_event *ev, enum discovery_ignore_reason reason)
{
	ck_assert_int_eq(ev->type, DISCOVERY_EVENT_IGNORED);
	ck_assert_int_eq(ev->ignored, reason);
	ck_assert_uint_eq(ev->send_len, 0);
}

void check_rejected(const struct discovery_event *ev, enum discovery_reject_reason reason)
{
	ck_assert_int_eq(ev->type, DISCOVERY_EVENT_PADO);
	ck_assert(!ev->accepted);
	ck_assert_int_eq(ev->rejected, reason);
	ck_assert_uint_eq(ev->send_len, 0);
}
